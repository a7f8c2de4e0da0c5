export { ChatGroup } from "./chat-group/resource";
export type { ChatGroupArgs, ChatGroupType } from "./chat-group/resource";
export * from "./client";
export { generateUserSig, verifyUserSig } from "./usersig";
export type { UserSigFailure, UserSigRequest, UserSigVerification, UserSigVerifyRequest } from "./usersig";
