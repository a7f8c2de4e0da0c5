/**
 * Pacing calls under Tencent's frequency limits, per app and command: 200 calls a second
 * by default; 100 for account_check, multiaccount_import and account_delete; 1 for
 * get_appid_group_list (their doc pages, 34956, 34954, 34955, 1614).
 *
 * Each command has an adaptive pacer (pacer.ts). With a shared budget in Redis, a call
 * takes its slot in the schedule every process shares (shared-budget.ts) instead, and a
 * throttling answer to it slows that schedule, for every process; the local pacer takes over
 * whenever Redis cannot be used.
 * One limiter per app and settings is shared by every client in the process, even across
 * copies of this module, through a registry on `globalThis` that holds no secret.
 */
import { createHash } from "node:crypto";

import { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT } from "../../chat-api/rate-limits";
import { AdaptivePacer, type Clock, realClock } from "./pacer";
import { MAX_WAIT_MS, SharedBudget, type SharedSlot } from "./shared-budget";

export type { Clock } from "./pacer";
export { realClock } from "./pacer";

/** How calls are paced. The defaults are Tencent's documented limits. */
export interface RateLimitOptions {
  /**
   * Calls per second per command; 0 for no limit on any command (unless `commandRateLimits`
   * sets one). @default 200
   */
  rateLimit?: number;
  /** Per-command limits, over the defaults. @default { get_appid_group_list: 1, account_check: 100, multiaccount_import: 100, account_delete: 100 } */
  commandRateLimits?: Record<string, number>;
  /**
   * A Redis URL (`redis://` or `rediss://`, may hold a password): every process using it
   * draws from one budget per app and command. When Redis cannot be reached, pacing is local.
   * @default none
   */
  rateLimitRedisUrl?: string;
}

/** Where a call's slot came from: the local pacer, or the shared schedule. */
export type Slot = SharedSlot | typeof LOCAL;
const LOCAL = "local";

/**
 * Paces calls per command at the service's limits, adapting to throttling answers, optionally
 * drawing on a budget shared through Redis. ChatClients of one app and endpoint share one unless
 * given their own.
 */
export class RateLimiter {
  private readonly pacers = new Map<string, AdaptivePacer>();
  /** Answers other than "too many requests", per command, since the limiter was made. */
  private readonly acceptedCounts = new Map<string, number>();
  readonly #budget?: SharedBudget;

  constructor(
    private readonly options: Pick<RateLimitOptions, "rateLimit" | "commandRateLimits"> = {},
    private readonly clock: Clock = realClock,
    budget?: SharedBudget,
  ) {
    this.#budget = budget;
  }

  /** The command's limit in calls per second; 0 for none. */
  limitFor(command: string): number {
    const own = this.options.commandRateLimits;
    if (own && Object.hasOwn(own, command)) return own[command];
    if (this.options.rateLimit === 0) return 0;
    if (Object.hasOwn(DEFAULT_COMMAND_RATE_LIMITS, command)) return DEFAULT_COMMAND_RATE_LIMITS[command];
    return this.options.rateLimit ?? DEFAULT_RATE_LIMIT;
  }

  private pacer(command: string): AdaptivePacer | undefined {
    let pacer = this.pacers.get(command);
    if (!pacer) {
      const limit = this.limitFor(command);
      if (limit <= 0) return undefined;
      pacer = new AdaptivePacer(limit, this.clock);
      this.pacers.set(command, pacer);
    }
    return pacer;
  }

  /**
   * Waits for the command's next slot: in the shared budget when there is one and it answers,
   * else locally. Returns the slot, to be handed back with the answer.
   */
  async acquire(command: string): Promise<Slot> {
    const pacer = this.pacer(command);
    if (!pacer) return LOCAL;
    const shared = this.#budget ? await this.#budget.take(command, this.limitFor(command)) : false;
    if (shared) return shared;
    await pacer.acquire();
    return LOCAL;
  }

  /**
   * Tells the limiter the service answered a call that went in `slot`, and whether the
   * answer was "too many requests": the schedule the slot came from learns from it.
   */
  answered(command: string, throttled: boolean, slot: Slot = LOCAL): void {
    if (!throttled) this.acceptedCounts.set(command, this.accepted(command) + 1);
    if (slot === LOCAL) this.pacer(command)?.answered(throttled);
    // Reported in the background: an answer never waits on Redis.
    else if (throttled) void this.#budget?.throttled(command, slot);
  }

  /**
   * How many calls of the command the service has let through (answered with anything but
   * "too many requests") in this process: a refusal that no call gets past is no per-second limit.
   */
  accepted(command: string): number {
    return this.acceptedCounts.get(command) ?? 0;
  }

  /** Current calls per second for the command (Infinity when unlimited). */
  currentRate(command: string): number {
    return this.pacer(command)?.currentRate() ?? Infinity;
  }

  /** The key and the Redis URL's password must be kept out of errors: these are the latter. */
  secrets(): string[] {
    return this.#budget?.secrets() ?? [];
  }
}

const REGISTRY = Symbol.for("pulumi-tencent-chat.rateLimiters");

/**
 * The process-wide limiter for one app on one endpoint with these settings, created on first
 * use. The registry's keys are hashes: they hold no URL and no password. A call waits for its
 * shared slot at most `throttleDeadlineMs` (and never more than the budget's own cap).
 */
export function sharedRateLimiter(
  app: { sdkAppId: number; baseUrl: string },
  options: RateLimitOptions,
  throttleDeadlineMs = Infinity,
): RateLimiter {
  const global = globalThis as unknown as Record<symbol, Map<string, RateLimiter> | undefined>;
  const registry = (global[REGISTRY] ??= new Map<string, RateLimiter>());
  const maxWaitMs = Math.min(MAX_WAIT_MS, throttleDeadlineMs);
  const settings = JSON.stringify([
    app.sdkAppId,
    app.baseUrl,
    options.rateLimit ?? null,
    options.commandRateLimits ?? null,
    options.rateLimitRedisUrl ?? null,
    maxWaitMs,
  ]);
  const key = createHash("sha256").update(settings).digest("hex").slice(0, 16);
  let limiter = registry.get(key);
  if (!limiter) {
    const budget = options.rateLimitRedisUrl
      ? new SharedBudget(options.rateLimitRedisUrl, app.sdkAppId, realClock.sleep, undefined, maxWaitMs)
      : undefined;
    limiter = new RateLimiter(
      { rateLimit: options.rateLimit, commandRateLimits: options.commandRateLimits },
      realClock,
      budget,
    );
    registry.set(key, limiter);
  }
  return limiter;
}
