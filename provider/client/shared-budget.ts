/**
 * A rate budget shared through Redis by every process on every machine that calls one app:
 * many CI jobs on one SDKAppID then draw calls from one schedule instead of each guessing its
 * share from throttling answers.
 *
 * The schedule is GCRA (the generic cell rate algorithm) kept in one Redis key per SDKAppID
 * and command: a Lua script, run atomically on Redis's own clock (so machines need not agree
 * on the time), hands each caller the next slot, evenly spaced at a little under the limit,
 * and says how long to wait for it. One round trip a call, no polling, no window edges:
 * fixed windows (rate-limiter-flexible's RateLimiterRedis) let two bursts straddle an edge,
 * and the service, which counts a sliding second, throttled 7.8–11.6% of the calls of 8 jobs
 * drawing on them against 0% with this (`npm run bench -- redis-choice`).
 *
 * Redis must never fail a deploy: when it cannot be reached, or answers slowly, this says so
 * once and reports "not available", and the caller paces on its own for a while before
 * trying Redis again. The URL may hold a password: it is never printed.
 */
import type { Redis } from "ioredis";
import { redact } from "../../chat-api/redaction";

/** Share of the limit the shared schedule fills: the rest absorbs arrival jitter between machines. */
export const HEADROOM = 0.975;
/** How long a Redis call may take before the budget counts as unavailable. */
const COMMAND_TIMEOUT_MS = 500;
/** After a failure, Redis is left alone this long. */
const BACKOFF_MS = 15_000;

/**
 * KEYS[1]: the schedule's key. ARGV[1]: milliseconds between slots. Returns the wait, in
 * milliseconds, until the slot handed out. The key expires once the schedule is idle.
 */
const NEXT_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat - now + interval + 60000))
return tostring(tat - now)
`;

type SlotRedis = Redis & { nextChatSlot(key: string, intervalMs: string): Promise<string> };

export class SharedBudget {
  readonly #url: string;
  /** The connection, once asked for: calls that come while it opens wait for it. */
  #redis?: Promise<SlotRedis>;
  #unavailableUntil = 0;
  #warned = false;

  constructor(
    url: string,
    private readonly sdkAppId: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly warn: (text: string) => void = (text) => console.warn(text),
  ) {
    this.#url = url;
  }

  /** The URL and its password, for redaction. */
  secrets(): string[] {
    const password = safeUrl(this.#url)?.password;
    return [this.#url, ...(password ? [decodeURIComponent(password)] : [])];
  }

  /**
   * Waits for this call's slot in the shared schedule of `command`, limited to `limit` calls
   * a second. Resolves false, at once, when the budget cannot be used: pace locally.
   */
  async take(command: string, limit: number): Promise<boolean> {
    if (Date.now() < this.#unavailableUntil) return false;
    try {
      const redis = await this.connect();
      const wait = Number(await redis.nextChatSlot(`pulumi-tencent-chat:budget:${this.sdkAppId}:${command}`, String(1000 / (limit * HEADROOM))));
      if (wait > 0) await this.sleep(wait);
      return true;
    } catch (err) {
      this.unavailable(err);
      return false;
    }
  }

  /** Closes the connection; the budget can be used again later. */
  close(): void {
    this.#redis?.then((r) => r.disconnect(), () => undefined);
    this.#redis = undefined;
  }

  private connect(): Promise<SlotRedis> {
    return (this.#redis ??= this.open());
  }

  private async open(): Promise<SlotRedis> {
    // Loaded when a budget is configured: a stack without one never loads a Redis client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis } = require("ioredis") as typeof import("ioredis");
    const redis = new Redis(this.#url, {
      lazyConnect: true,
      connectTimeout: COMMAND_TIMEOUT_MS * 2,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    }) as SlotRedis;
    redis.defineCommand("nextChatSlot", { numberOfKeys: 1, lua: NEXT_SLOT });
    // Failures arrive as rejected commands; the connection's own error events are not news.
    redis.on("error", () => undefined);
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    // An open connection must not keep a finished process alive.
    (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
    return redis;
  }

  private unavailable(err: unknown): void {
    this.close();
    this.#unavailableUntil = Date.now() + BACKOFF_MS;
    if (this.#warned) return;
    this.#warned = true;
    const code = (err as { code?: unknown }).code;
    const reason = redact(typeof code === "string" ? code : err instanceof Error ? err.message : String(err), this.secrets());
    this.warn(`pulumi-tencent-chat: warning: the shared rate budget in Redis is not available (${reason}); pacing in this process alone, and trying Redis again later`);
  }
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
