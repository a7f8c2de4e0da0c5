/** Everything a ChatClient can be told. */
import type { ChatApiError } from "./errors";
import type { RateLimiter, RateLimitOptions } from "./rate-limiter";

/** Settings of a ChatClient: the app, where it lives, and how calls are retried and paced. */
export interface ChatClientOptions extends RateLimitOptions {
  sdkAppId: number;
  /** The app's SDK secret key. Never logged, never part of an error. */
  secretKey: string;
  /** App admin account that signs requests. @default "administrator" */
  identifier?: string;
  /** Data center, e.g. "singapore" (see REGION_DOMAINS). @default "china" */
  region?: string;
  /** Base URL overriding `region`, e.g. the emulator's. Plain http only to 127.0.0.1, [::1] or localhost. */
  endpoint?: string;
  /**
   * Allow plain http to an endpoint that is not loopback, e.g. an emulator in docker compose
   * (`http://emulator:9080`). Signatures then cross the network in the clear; a warning says so. @default false
   */
  allowInsecureEndpoint?: boolean;
  /**
   * Deadline of each attempt in ms, from connecting to the last byte of the answer; past it
   * the connection is dropped and the attempt counts as failed (and may be retried). @default 10000
   */
  timeoutMs?: number;
  /** Largest answer read, in bytes; a longer one drops the connection and counts as a failed attempt. @default 8 MiB */
  maxAnswerBytes?: number;
  /**
   * Attempts per call that fails in a way worth retrying (10002, a 5xx, a lost connection),
   * including the first. Throttling answers do not count: see `throttleDeadlineMs`. @default 8
   */
  maxAttempts?: number;
  /**
   * How long a call is retried while the service answers "too many requests" (60007, 60011,
   * 60018, 60019, 10006, HTTP 429 and 503), each time in the next free slot of the pacer.
   * create_group's 10006, when no create_group of the process has been let through for a
   * minute (or this deadline, if shorter), is given up on as the plan's daily quota of groups.
   * @default 300000 (five minutes)
   */
  throttleDeadlineMs?: number;
  /** First backoff ceiling in ms. @default 100 */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. @default 5000 */
  maxDelayMs?: number;
  /** Longest wait a Retry-After header may ask for, in ms; longer requests are cut to it. @default 30000 */
  maxRetryAfterMs?: number;
  /** Validity of the admin UserSig in seconds. @default 86400 */
  userSigTtlSeconds?: number;
  /** Quiet time a single-group read waits to share a get_group_info call, in ms. @default 5 */
  coalesceWindowMs?: number;
  /** Called before each retry, with a redacted error. */
  onRetry?: (event: RetryEvent) => void;
  /** Test seams. */
  dispatcher?: RequestDispatcher;
  rateLimiter?: RateLimiter;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Unix milliseconds. @default Date.now */
  now?: () => number;
}

/** What `onRetry` is told before a call is sent again; the error is already redacted. */
export interface RetryEvent {
  command: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  error: ChatApiError;
}

/**
 * An undici `Dispatcher` (an `Agent`, a `MockAgent`, ...), described by the one method the
 * client's requests go through, so that the package's declarations do not depend on undici's
 * types (a program may have another undici, or none).
 */
export interface RequestDispatcher {
  dispatch(options: object, handler: object): boolean;
}
