import { CODE, GROUP_GONE_CODES } from "../../chat-api/codes";
import { ChatApiError, type ChatApiErrorKind, isApiError } from "../../provider/client/errors";
import {
  backoffDelay,
  type CallHistory,
  DAILY_QUOTA_VERDICT_MS,
  DailyQuotaWatch,
  isThrottling,
  isTransient,
  nextStep,
  shouldRenewSignature,
} from "../../provider/client/retry-policy";

const err = (kind: ChatApiErrorKind, extra: { errorCode?: number; httpStatus?: number } = {}) =>
  new ChatApiError({ command: "destroy_group", kind, attempts: 1, ...extra });

describe("isApiError", () => {
  it("is true for the service's answer with one of the codes asked, and for any answer without codes", () => {
    const gone = err("api", { errorCode: CODE.groupGone });
    expect([
      isApiError(gone),
      isApiError(gone, GROUP_GONE_CODES),
      isApiError(gone, CODE.groupGone),
      isApiError(gone, CODE.groupFull),
    ]).toEqual([true, true, true, false]);
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

  it.each([10002, 60008, 60014, 70169, 70500, 40006])(
    "treats ErrorCode %d as transient, not throttling",
    (errorCode) => {
      expect(isTransient(err("api", { errorCode }))).toBe(true);
      expect(isThrottling(err("api", { errorCode }))).toBe(false);
    },
  );

  it.each([
    10003, 10004, 10007, 10010, 10015, 10019, 10021, 60002, 60003, 60010, 70001, 70003, 70009, 70013, 70014, 70020,
  ])("treats ErrorCode %d as permanent", (errorCode) => {
    expect(isTransient(err("api", { errorCode }))).toBe(false);
  });

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

describe("nextStep, the decision after a failed attempt", () => {
  const settings = {
    maxAttempts: 3,
    throttleDeadlineMs: 300_000,
    maxRetryAfterMs: 30_000,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    random: () => 0.5,
  };
  const history = (over: Partial<CallHistory> = {}): CallHistory => ({
    started: 0,
    now: 1_000,
    failures: 0,
    idempotent: true,
    ...over,
  });
  const throttled = (over: { errorCode?: number; retryAfterMs?: number } = {}) => {
    const e = err("api", { errorCode: over.errorCode ?? CODE.restFrequency });
    return over.retryAfterMs === undefined ? e : Object.assign(e, { retryAfterMs: over.retryAfterMs });
  };

  it("renews an expired signature once per call", () => {
    expect(shouldRenewSignature(err("api", { errorCode: CODE.sigExpired }), false)).toBe(true);
    expect(shouldRenewSignature(err("api", { errorCode: CODE.sigInvalidOrExpired }), false)).toBe(true);
    expect(shouldRenewSignature(err("api", { errorCode: CODE.sigExpired }), true)).toBe(false);
    expect(shouldRenewSignature(err("api", { errorCode: CODE.internal }), false)).toBe(false);
  });

  it("retries throttling at once, without counting it as a failure, until the throttling deadline", () => {
    expect(nextStep(throttled(), history({ failures: 2 }), settings)).toEqual({
      kind: "retry",
      delayMs: 0,
      failures: 2,
    });
    expect(nextStep(throttled(), history({ now: 300_000 }), settings)).toEqual({ kind: "give-up", failures: 0 });
  });

  it("honours a Retry-After within its cap and what is left of the deadline", () => {
    expect(nextStep(throttled({ retryAfterMs: 60_000 }), history(), settings)).toMatchObject({
      kind: "retry",
      delayMs: 30_000,
    });
    expect(nextStep(throttled({ retryAfterMs: 20_000 }), history({ now: 290_000 }), settings)).toMatchObject({
      kind: "retry",
      delayMs: 10_000,
    });
  });

  it("retries a transient failure of an idempotent call with backoff, counting it, up to maxAttempts", () => {
    const internal = err("api", { errorCode: CODE.internal });
    expect(nextStep(internal, history({ failures: 1 }), settings)).toEqual({
      kind: "retry",
      delayMs: 100,
      failures: 2,
    });
    expect(nextStep(internal, history({ failures: 2 }), settings)).toEqual({ kind: "give-up", failures: 3 });
  });

  it("gives up at once on a permanent failure, and on an uncertain failure of a call that is not idempotent", () => {
    expect(nextStep(err("api", { errorCode: CODE.invalidParam }), history(), settings)).toEqual({
      kind: "give-up",
      failures: 1,
    });
    expect(nextStep(err("timeout"), history({ idempotent: false }), settings)).toEqual({
      kind: "give-up",
      failures: 1,
    });
    // A 503 may have been carried out: only an idempotent call goes again.
    expect(nextStep(err("http", { httpStatus: 503 }), history({ idempotent: false }), settings)).toMatchObject({
      kind: "give-up",
    });
    expect(nextStep(err("http", { httpStatus: 429 }), history({ idempotent: false }), settings)).toMatchObject({
      kind: "retry",
    });
  });

  it("gives up as the daily quota once its code has refused the call for the verdict's time", () => {
    const quota = new ChatApiError({
      command: "create_group",
      kind: "api",
      errorCode: CODE.groupFrequency,
      attempts: 1,
    });
    expect(nextStep(quota, history({ quotaRefusedForMs: DAILY_QUOTA_VERDICT_MS - 1 }), settings)).toMatchObject({
      kind: "retry",
    });
    expect(nextStep(quota, history({ quotaRefusedForMs: DAILY_QUOTA_VERDICT_MS }), settings)).toEqual({
      kind: "give-up",
      failures: 0,
      dailyQuotaForMs: DAILY_QUOTA_VERDICT_MS,
    });
    // A throttling deadline shorter than the verdict's time decides sooner.
    expect(
      nextStep(quota, history({ quotaRefusedForMs: 10_000 }), { ...settings, throttleDeadlineMs: 10_000 }),
    ).toMatchObject({ kind: "give-up", dailyQuotaForMs: 10_000 });
  });
});

describe("DailyQuotaWatch", () => {
  const quota = (command = "create_group") =>
    new ChatApiError({ command, kind: "api", errorCode: CODE.groupFrequency, attempts: 1 });

  it("counts from the call's start while no other call of the command gets through", () => {
    const watch = new DailyQuotaWatch();
    expect(watch.observe(quota(), { attempt: 1, started: 0, now: 500, accepted: 7 })).toBe(500);
    expect(watch.observe(quota(), { attempt: 2, started: 0, now: 40_000, accepted: 7 })).toBe(40_000);
  });

  it("starts again when another call got through meanwhile, and forgets on any other failure", () => {
    const watch = new DailyQuotaWatch();
    watch.observe(quota(), { attempt: 1, started: 0, now: 500, accepted: 7 });
    expect(watch.observe(quota(), { attempt: 2, started: 0, now: 30_000, accepted: 8 })).toBe(0);
    expect(watch.observe(err("timeout"), { attempt: 3, started: 0, now: 31_000, accepted: 8 })).toBeUndefined();
    expect(watch.observe(quota(), { attempt: 4, started: 0, now: 32_000, accepted: 8 })).toBe(0);
  });

  it("is not the quota for a command without one, nor for another code", () => {
    const watch = new DailyQuotaWatch();
    expect(watch.observe(quota("add_group_member"), { attempt: 1, started: 0, now: 500, accepted: 0 })).toBeUndefined();
    expect(
      watch.observe(err("api", { errorCode: CODE.restFrequency }), { attempt: 1, started: 0, now: 500, accepted: 0 }),
    ).toBeUndefined();
  });
});
