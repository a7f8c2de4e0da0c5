export { ChatAccount } from "./chat-account/resource";
export type { ChatAccountArgs } from "./chat-account/resource";
export { ChatGroup } from "./chat-group/resource";
export type { ChatGroupArgs, ChatGroupType } from "./chat-group/resource";
export * from "./client";
export { generateUserSig, verifyUserSig } from "./usersig";
export type { UserSigFailure, UserSigRequest, UserSigVerification, UserSigVerifyRequest } from "./usersig";
export { sweep, MIN_PREFIX_LENGTH, SweepOptionError } from "./sweeper/sweep";
export type { SweepCandidate, SweepFailure, SweepOptions, SweepProgress, SweepReport } from "./sweeper/sweep";
