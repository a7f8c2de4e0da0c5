/**
 * Which failures are worth another attempt, and how long to wait before it.
 * Pure functions; the retry loop in client.ts applies them.
 */
import { DAILY_QUOTA_CODES, THROTTLING_CODES, TRANSIENT_CODES } from "../../chat-api/codes";
import { type ChatApiError, isApiError, neverSent } from "./errors";

/** HTTP statuses from gateways and overloaded servers. */
const TRANSIENT_HTTP: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** HTTP statuses that mean "too many requests, slow down": 429, and 503 from an overloaded gateway. */
const THROTTLING_HTTP: ReadonlySet<number> = new Set([429, 503]);

/** "Slow down": a throttling ErrorCode, or HTTP 429/503. The pacer slows for these. */
export const isThrottling = (e: ChatApiError): boolean =>
  isApiError(e, THROTTLING_CODES) || (e.kind === "http" && e.httpStatus !== undefined && THROTTLING_HTTP.has(e.httpStatus));

/**
 * How long a command's daily-quota code (DAILY_QUOTA_CODES) must refuse every call of it in
 * this process before the call gives up on it as the quota. A per-second limit lets the
 * pacer's slowed calls through within seconds; a quota refuses them all until the next day.
 */
export const DAILY_QUOTA_VERDICT_MS = 60_000;

/** An answer that is the command's daily quota, or throttling: which one, only time tells. */
export const mayBeDailyQuota = (e: ChatApiError): boolean => e.kind === "api" && DAILY_QUOTA_CODES[e.command] === e.errorCode;

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
