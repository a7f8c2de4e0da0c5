/**
 * Which failures are worth another attempt, and how long to wait before it: pure functions,
 * and the one decision of what a call does after a failed attempt (`nextStep`). The retry
 * loop in rest-caller.ts applies them.
 */
import { DAILY_QUOTA_CODES, EXPIRED_SIGNATURE_CODES, THROTTLING_CODES, TRANSIENT_CODES } from "../../chat-api/codes";
import { type ChatApiError, isApiError, neverSent } from "./errors";

/** HTTP statuses from gateways and overloaded servers. */
const TRANSIENT_HTTP: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** HTTP statuses that mean "too many requests, slow down": 429, and 503 from an overloaded gateway. */
const THROTTLING_HTTP: ReadonlySet<number> = new Set([429, 503]);

/** "Slow down": a throttling ErrorCode, or HTTP 429/503. The pacer slows for these. */
export const isThrottling = (e: ChatApiError): boolean =>
  isApiError(e, THROTTLING_CODES) ||
  (e.kind === "http" && e.httpStatus !== undefined && THROTTLING_HTTP.has(e.httpStatus));

/**
 * How long a command's daily-quota code (DAILY_QUOTA_CODES) must refuse every call of it in
 * this process before the call gives up on it as the quota. A per-second limit lets the
 * pacer's slowed calls through within seconds; a quota refuses them all until the next day.
 */
export const DAILY_QUOTA_VERDICT_MS = 60_000;

/** An answer that is the command's daily quota, or throttling: which one, only time tells. */
export const mayBeDailyQuota = (e: ChatApiError): boolean =>
  e.kind === "api" && DAILY_QUOTA_CODES[e.command] === e.errorCode;

/** A failure that may pass: throttling, a transient code, a gateway status, a lost connection. */
export function isTransient(e: ChatApiError): boolean {
  switch (e.kind) {
    case "api":
      return THROTTLING_CODES.has(e.errorCode) || TRANSIENT_CODES.has(e.errorCode);
    case "http":
      return e.httpStatus !== undefined && TRANSIENT_HTTP.has(e.httpStatus);
    case "network":
      // A refused connection or an unknown host: most likely a wrong endpoint, said at once.
      return !neverSent(e);
    case "timeout":
      return true;
    case "invalid-response":
      return false;
  }
}

/**
 * A failure after which the call may still have been carried out: the answer was lost or
 * late (connection closed, timeout, a gateway's 5xx), the service said "internal error" or
 * "timeout", or the answer could not be read. Throttling and other refusals mean "not done".
 */
export function mayHaveApplied(e: ChatApiError): boolean {
  switch (e.kind) {
    case "api":
      return TRANSIENT_CODES.has(e.errorCode);
    case "http":
      return e.httpStatus === 408 || (e.httpStatus !== undefined && e.httpStatus >= 500);
    case "network":
      return !neverSent(e);
    case "timeout":
    case "invalid-response":
      return true;
  }
}

export interface BackoffOptions {
  /** First delay ceiling in ms. @default 100 */
  baseDelayMs: number;
  /** Largest delay ceiling in ms. @default 5000 */
  maxDelayMs: number;
}

/**
 * Capped exponential backoff with full jitter: a uniform delay in
 * [0, min(maxDelay, base * 2^(retry-1))). `retry` counts from 1; `random` returns [0, 1).
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** The settings the next-step decision reads. */
export interface RetrySettings extends BackoffOptions {
  maxAttempts: number;
  throttleDeadlineMs: number;
  maxRetryAfterMs: number;
  random: () => number;
}

/** What a call has been through so far, when an attempt has just failed. */
export interface CallHistory {
  /** When the call began, and now, in ms on the client's clock. */
  started: number;
  now: number;
  /** Failed attempts before this one that were not throttling. */
  failures: number;
  /** Safe to send twice. */
  idempotent: boolean;
  /** How long every attempt has been refused with the command's daily-quota code (DailyQuotaWatch). */
  quotaRefusedForMs?: number;
}

/** What the call does next: wait and go again, or fail (as the daily quota, when that is what refused it). */
export type NextStep =
  | { kind: "retry"; delayMs: number; failures: number }
  | { kind: "give-up"; failures: number; dailyQuotaForMs?: number };

/** An expired signature was refused before anything happened: sign again and go at once, once per call. */
export const shouldRenewSignature = (error: ChatApiError, renewedAlready: boolean): boolean =>
  !renewedAlready && isApiError(error, EXPIRED_SIGNATURE_CODES);

/**
 * The decision after a failed attempt (one that is not a signature to renew). A command's daily-quota code that has
 * refused every attempt for DAILY_QUOTA_VERDICT_MS (or the whole throttling deadline, if
 * shorter) is the quota: the call gives up on it. "Too many requests" is not carried out, so
 * it is retried until the throttling deadline, with no backoff of its own (the pacer, which
 * has just slowed down, places the retry). Other transient failures of an idempotent call are
 * retried within `maxAttempts`, with capped exponential backoff. Either way a Retry-After is
 * honoured, within `maxRetryAfterMs` and what is left of the throttling deadline.
 */
export function nextStep(error: ChatApiError, history: CallHistory, o: RetrySettings): NextStep {
  const failures = history.failures + (isThrottling(error) ? 0 : 1);
  const refused = history.quotaRefusedForMs;
  if (refused !== undefined && refused >= Math.min(DAILY_QUOTA_VERDICT_MS, o.throttleDeadlineMs))
    return { kind: "give-up", failures, dailyQuotaForMs: refused };
  // No Retry-After holds a call past its throttling deadline, whatever it asks for.
  const asked = Math.min(error.retryAfterMs ?? 0, o.maxRetryAfterMs, o.throttleDeadlineMs);
  // A 503 may have been carried out: only an idempotent call may go again.
  if (isThrottling(error) && (history.idempotent || !mayHaveApplied(error))) {
    const left = o.throttleDeadlineMs - (history.now - history.started);
    return left > 0 ? { kind: "retry", delayMs: Math.min(asked, left), failures } : { kind: "give-up", failures };
  }
  if (!(isTransient(error) && history.idempotent) || failures >= o.maxAttempts) return { kind: "give-up", failures };
  return { kind: "retry", delayMs: Math.max(backoffDelay(failures, o, o.random), asked), failures };
}

/**
 * Tells a command's daily quota from a per-second limit answered with the same code: how long
 * every attempt of a call has been refused with it while no other call of the command got
 * through. A call that got through meanwhile means the window opens: the run starts again.
 */
export class DailyQuotaWatch {
  private run?: { since: number; accepted: number };

  /**
   * Notes a failed attempt: `accepted` is how many calls of the command the service has let
   * through so far. Returns how long the quota code has refused the call, or undefined when
   * this failure is not that code.
   */
  observe(
    error: ChatApiError,
    at: { attempt: number; started: number; now: number; accepted: number },
  ): number | undefined {
    if (!mayBeDailyQuota(error)) {
      this.run = undefined;
      return undefined;
    }
    if (!this.run || at.accepted > this.run.accepted)
      this.run = { since: at.attempt === 1 ? at.started : at.now, accepted: at.accepted };
    return at.now - this.run.since;
  }
}
