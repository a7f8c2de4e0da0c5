/**
 * Errors in the exact shape the Chat REST API answers with: HTTP 200 and a body of
 * `{"ActionStatus":"FAIL","ErrorCode":<code>,"ErrorInfo":"<text>"}`.
 *
 * Codes and texts follow Tencent's error-code tables: the common codes of the RESTful API
 * overview (https://www.tencentcloud.com/document/product/1047/34620) and each group
 * command's own table of 10xxx codes (create_group: .../34895). Operations throw `ApiFailure`; the server turns it into the body.
 */

import { ANSWER_TOO_LARGE } from "../chat-api/codes";
import { TOPIC_CODES } from "../chat-api/topics";

/** ErrorCodes the emulator answers with, named by what they mean. */
export const Code = {
  // Envelope (REST common errors).
  httpParse: 60002,
  jsonParse: 60003,
  identifierInvalid: 60004,
  sdkAppIdInvalid: 60006,
  restFrequency: 60007,
  resourceNotFound: 60009,
  needsAdmin: 60010,
  sdkAppIdMissing: 60012,
  // UserSig.
  sigExpired: 70001,
  sigEmpty: 70002,
  sigMalformed: 70003,
  sigKeyMismatch: 70009,
  sigIdentifierMismatch: 70013,
  sigSdkAppIdMismatch: 70014,
  sdkAppIdNotFound: 70020,
  accountInvalidParam: 70402,
  accountDeletedRecently: 70399,
  // Group space.
  internal: 10002,
  badCommand: 10003,
  invalidParam: 10004,
  tooManyAccounts: 10005,
  groupFrequency: 10006,
  noPermission: 10007,
  answerTooLarge: ANSWER_TOO_LARGE,
  groupGone: 10010,
  groupFull: 10014,
  groupIdInvalid: 10015,
  accountMissing: 10019,
  groupIdTaken: 10021,
  groupIdTakenByYou: 10025,
  memberLimit: 10038,
  // Community topics.
  topicsNotSupported: TOPIC_CODES.notSupported,
  topicGone: TOPIC_CODES.alreadyDeleted,
} as const;

/** An API-level failure, answered as HTTP 200 with `ActionStatus: "FAIL"`. */
export class ApiFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly errorInfo: string,
  ) {
    super(`${errorCode} ${errorInfo}`);
    this.name = "ApiFailure";
  }
}

/** Throws 10004 with Tencent's habit of naming the field in ErrorInfo. */
export function invalid(info: string): never {
  throw new ApiFailure(Code.invalidParam, info);
}

/**
 * The service's own words for its failures, as terse as they come back from Tencent (the
 * emulator's "terse" ErrorInfo texts): a client has to say itself what to do.
 */
const TERSE: Readonly<Record<number, string>> = {
  70001: "sig expired",
  70003: "sig parse failed",
  70009: "sig verify failed",
  70013: "identifier not match",
  70014: "sdkappid not match",
  70020: "sdkappid not found",
  60010: "need admin",
  10004: "invalid param",
  10007: "permission denied",
  10010: "group not exist",
  10019: "account not exist",
  10021: "group id used",
  10025: "group id used",
  10006: "freq limit",
  60007: "freq limit",
};

/** `info`, or the service's terse word for `errorCode` when the app is set to answer tersely. */
export function errorText(errorCode: number, info: string, terse: boolean): string {
  return terse ? (TERSE[errorCode] ?? "error") : info;
}

export function failureBody(errorCode: number, errorInfo: string): Record<string, unknown> {
  return { ActionStatus: "FAIL", ErrorCode: errorCode, ErrorInfo: errorInfo };
}

export function okBody(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ...fields };
}
