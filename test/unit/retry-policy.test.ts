import { ChatApiError, type ChatApiErrorKind, isApiError } from "../../provider/client/errors";
import { CODE, GROUP_GONE_CODES } from "../../chat-api/codes";
import { backoffDelay, isThrottling, isTransient } from "../../provider/client/retry-policy";

const err = (kind: ChatApiErrorKind, extra: { errorCode?: number; httpStatus?: number } = {}) =>
  new ChatApiError({ command: "destroy_group", kind, attempts: 1, ...extra });

describe("isApiError", () => {
  it("is true for the service's answer with one of the codes asked, and for any answer without codes", () => {
    const gone = err("api", { errorCode: CODE.groupGone });
    expect([isApiError(gone), isApiError(gone, GROUP_GONE_CODES), isApiError(gone, CODE.groupGone), isApiError(gone, CODE.groupFull)]).toEqual([true, true, true, false]);
  });

  it("is false for a transport failure, whatever its code, and for anything that is not a ChatApiError", () => {
    expect(isApiError(err("http", { httpStatus: 502 }))).toBe(false);
    expect(isApiError(err("network"), GROUP_GONE_CODES)).toBe(false);
    expect(isApiError({ kind: "api", errorCode: CODE.groupGone }, GROUP_GONE_CODES)).toBe(false);
  });
});

describe("classifying failures", () => {
  it.each([60007, 60011, 60018, 60019, 10006])("treats ErrorCode %d as throttling, and so transient", (errorCode) => {
    expect(isThrottling(err("api", { errorCode }))).toBe(true);
    expect(isTransient(err("api", { errorCode }))).toBe(true);
  });

  it.each([10002, 60008, 60014, 70169, 70500, 40006])("treats ErrorCode %d as transient, not throttling", (errorCode) => {
    expect(isTransient(err("api", { errorCode }))).toBe(true);
    expect(isThrottling(err("api", { errorCode }))).toBe(false);
  });

  it.each([10003, 10004, 10007, 10010, 10015, 10019, 10021, 60002, 60003, 60010, 70001, 70003, 70009, 70013, 70014, 70020])(
    "treats ErrorCode %d as permanent",
    (errorCode) => {
      expect(isTransient(err("api", { errorCode }))).toBe(false);
    },
  );

  it.each([408, 429, 500, 502, 503, 504])("retries HTTP %d", (httpStatus) => {
    expect(isTransient(err("http", { httpStatus }))).toBe(true);
  });

  it.each([400, 401, 403, 404, 413])("does not retry HTTP %d", (httpStatus) => {
    expect(isTransient(err("http", { httpStatus }))).toBe(false);
  });

  it("retries network failures and timeouts, not malformed answers", () => {
    expect(isTransient(err("network"))).toBe(true);
    expect(isTransient(err("timeout"))).toBe(true);
    expect(isTransient(err("invalid-response"))).toBe(false);
  });
});

describe("backoff", () => {
  const options = { baseDelayMs: 100, maxDelayMs: 5000 };

  it("doubles the ceiling each retry up to the cap, with full jitter below it", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelay(retry, options, () => 0.999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 1599, 3199, 4999, 4999]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  });
});
