/**
 * Errors in the exact shape the Chat REST API answers with: HTTP 200 and a body of
 * `{"ActionStatus":"FAIL","ErrorCode":<code>,"ErrorInfo":"<text>"}`.
 *
 * Codes and texts follow Tencent's error-code tables: the common codes of the RESTful API
 * overview (https://www.tencentcloud.com/document/product/1047/34620) and each group
 * command's own table of 10xxx codes (create_group: .../34895). Operations throw `ApiFailure`; the server turns it into the body.
 */

import { CODE } from "../chat-api/codes";

/** The ErrorCodes the emulator answers with: chat-api's vocabulary, which the client reads too. */
export { CODE };

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
  throw new ApiFailure(CODE.invalidParam, info);
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
