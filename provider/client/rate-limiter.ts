/**
 * Pacing calls under Tencent's frequency limits (200 calls/s per command, 1/s for
 * get_appid_group_list), adapting to what the service says.
 *
 * Each command gets evenly spaced slots at its current rate. When a fifth of a second's
 * worth of calls come back throttled within a second, the app's budget is shared (several CI
 * jobs on one SDKAppID): the rate drops multiplicatively, at most once per second, then
 * climbs back linearly while no more cut is needed (AIMD, as TCP does). A few scattered
 * throttling answers are retried without slowing everyone down. One limiter per SDKAppID and endpoint is shared by every client in
 * the process, even across copies of this module, through a registry on `globalThis`.
 */

export interface RateLimitOptions {
  /** Calls per second per command. @default 200 */
  rateLimit?: number;
  /** Per-command overrides. @default { get_appid_group_list: 1 } */
  commandRateLimits?: Record<string, number>;
}

export const DEFAULT_RATE_LIMIT = 200;
export const DEFAULT_COMMAND_RATE_LIMITS: Readonly<Record<string, number>> = { get_appid_group_list: 1 };

/**
 * Slack added to each one-second window, spread over its calls: the service counts arrivals,
 * and calls sent exactly 1000 ms apart can arrive 999 ms apart. 200/s is paced at about
 * 198/s, 1/s at one call every 1.01 s.
 */
const WINDOW_SLACK_MS = 10;
/** Share of the rate kept after a throttling answer. */
const DECREASE = 0.7;
/** Share of the full rate regained per second without throttling. */
const RECOVERY_PER_SECOND = 0.1;
/** Never slower than this share of the full rate. */
const FLOOR = 0.05;
/**
 * Cut only when, within one second, throttling answers reach a fifth of the calls the
 * current pace sends in a second (at least one): a sign the budget is shared, not noise.
 */
const THROTTLED_SHARE = 0.2;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

class CommandPacer {
  private rate: number;
  private nextSlot = 0;
  private lastDecrease = -Infinity;
  private lastUpdate: number;
  private windowStart = -Infinity;
  private throttledInWindow = 0;

  constructor(
    private readonly maxRate: number,
    private readonly clock: Clock,
  ) {
    this.rate = maxRate;
    this.lastUpdate = clock.now();
  }

  get currentRate(): number {
    this.recover(this.clock.now());
    return this.rate;
  }

  async acquire(): Promise<void> {
    const now = this.clock.now();
    this.recover(now);
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + (1000 + WINDOW_SLACK_MS) / this.rate;
    if (slot > now) await this.clock.sleep(slot - now);
  }

  throttled(): void {
    const now = this.clock.now();
    this.recover(now);
    this.roll(now);
    this.throttledInWindow++;
    const enough = this.throttledInWindow >= Math.max(1, THROTTLED_SHARE * this.rate);
    // Answers to calls sent in the same second describe the same overload: cut once.
    if (!enough || now - this.lastDecrease < 1000) return;
    this.lastDecrease = now;
    this.rate = Math.max(this.maxRate * FLOOR, this.rate * DECREASE);
  }

  private roll(now: number): void {
    if (now - this.windowStart < 1000) return;
    this.windowStart = now;
    this.throttledInWindow = 0;
  }

  /** Regains rate for the time since the last update, not counting the second after a cut. */
  private recover(now: number): void {
    const from = Math.max(this.lastUpdate, this.lastDecrease + 1000);
    const elapsed = Math.max(0, now - from) / 1000;
    this.lastUpdate = now;
    this.rate = Math.min(this.maxRate, this.rate + this.maxRate * RECOVERY_PER_SECOND * elapsed);
  }
}

export class RateLimiter {
  private readonly pacers = new Map<string, CommandPacer>();

  constructor(
    private readonly options: RateLimitOptions = {},
    private readonly clock: Clock = realClock,
  ) {}

  private pacer(command: string): CommandPacer | undefined {
    let pacer = this.pacers.get(command);
    if (!pacer) {
      const limit =
        this.options.commandRateLimits?.[command] ??
        DEFAULT_COMMAND_RATE_LIMITS[command] ??
        this.options.rateLimit ??
        DEFAULT_RATE_LIMIT;
      if (limit <= 0) return undefined;
      pacer = new CommandPacer(limit, this.clock);
      this.pacers.set(command, pacer);
    }
    return pacer;
  }

  /** Waits for the command's next slot. */
  async acquire(command: string): Promise<void> {
    await this.pacer(command)?.acquire();
  }

  /** Tells the limiter the service throttled this command. */
  throttled(command: string): void {
    this.pacer(command)?.throttled();
  }

  /** Current calls per second for the command (Infinity when unlimited). */
  currentRate(command: string): number {
    return this.pacer(command)?.currentRate ?? Infinity;
  }
}

const REGISTRY = Symbol.for("pulumi-tencent-chat.rateLimiters");

/** The process-wide limiter for one app on one endpoint, created on first use. */
export function sharedRateLimiter(key: string, options: RateLimitOptions): RateLimiter {
  const global = globalThis as unknown as Record<symbol, Map<string, RateLimiter> | undefined>;
  const registry = (global[REGISTRY] ??= new Map<string, RateLimiter>());
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = new RateLimiter(options);
    registry.set(key, limiter);
  }
  return limiter;
}
