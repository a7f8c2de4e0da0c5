/** A running emulator's parts, shared by the request handler and the control endpoints. */
import type { Envelope } from "./envelope";
import type { FaultPlan } from "./faults";
import type { BodyReader, Waits } from "./http-io";
import type { Policy } from "./policy";
import type { ServiceRateLimiter } from "./rate-limit";
import type { RequestLog } from "./request-log";
import type { Store } from "./state";

export interface EmulatorInternals {
  sdkAppId: number;
  /** Unix milliseconds. */
  clock: () => number;
  store: Store;
  faults: FaultPlan;
  log: RequestLog;
  limiter: ServiceRateLimiter;
  envelope: Envelope;
  bodies: BodyReader;
  waits: Waits;
  /** Added before every API answer. */
  latencyMs: number;
  /** Up to this much more, at random, before each answer. */
  latencyJitterMs: number;
  /** Up to this much, at random, before a call reaches the rate limit: a network's jitter on the way in. */
  arrivalJitterMs: number;
  /** Longest a request's body may take to arrive. */
  requestTimeoutMs: number;
  policy: Policy;
  /** When set, control endpoints answer only requests that carry it. */
  controlToken?: string;
  /** Counts resets: a call that arrived before the last one does not act after it. */
  generation: number;
}
