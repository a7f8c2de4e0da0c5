export { EmulatorControl } from "./control-client";
export type { EmulatorConfig, FaultAction, FaultInput, RandomFaults, ScriptedFault } from "./control-types";
export type { AccountRecord, GroupRecord, GroupType, MemberRecord } from "./model";
export type { DestroyedGroupIds, Plan } from "./policy";
export type { LoggedRequest } from "./request-log";
export type { EmulatorOptions, RunningEmulator } from "./server";
export { DEFAULT_ADMIN, DEFAULT_SDKAPPID, MAX_BODY_BYTES, startEmulator } from "./server";
