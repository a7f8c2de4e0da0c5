/**
 * The service's frequency limit: at most `limit` accepted calls in any one-second window,
 * per SDKAppID and command. Calls over the limit are refused, not queued, as the real
 * service answers them with a throttling ErrorCode.
 */

export { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT } from "../chat-api/rate-limits";

const WINDOW_MS = 1000;

interface Window {
  /** Acceptance times of the last `limit` calls, as a ring. */
  stamps: number[];
  next: number;
}

export class ServiceRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private limits: { rateLimit: number; rateLimits: Record<string, number> },
    private readonly nowMs: () => number,
  ) {}

  /** Limit for `command` in calls per second; 0 means unlimited. */
  limitFor(command: string): number {
    return this.limits.rateLimits[command] ?? this.limits.rateLimit;
  }

  get settings(): { rateLimit: number; rateLimits: Record<string, number> } {
    return { rateLimit: this.limits.rateLimit, rateLimits: { ...this.limits.rateLimits } };
  }

  configure(limits: { rateLimit: number; rateLimits: Record<string, number> }): void {
    this.limits = limits;
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }

  /** Records a call and says whether it is within the limit. */
  tryAcquire(sdkAppId: number, command: string): boolean {
    const limit = this.limitFor(command);
    if (limit <= 0) return true;
    const key = `${sdkAppId}/${command}`;
    let window = this.windows.get(key);
    if (!window || window.stamps.length !== limit) {
      window = { stamps: new Array<number>(limit).fill(-Infinity), next: 0 };
      this.windows.set(key, window);
    }
    const now = this.nowMs();
    // The slot to reuse holds the oldest of the last `limit` acceptances.
    if (now - window.stamps[window.next] < WINDOW_MS) return false;
    window.stamps[window.next] = now;
    window.next = (window.next + 1) % limit;
    return true;
  }
}
