export { generateUserSig, verifyUserSig } from "./usersig";
export type { UserSigFailure, UserSigRequest, UserSigVerification, UserSigVerifyRequest } from "./usersig";
export * from "./client";
