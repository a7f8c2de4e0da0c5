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
 * Redis must never fail or stall a deploy. A call waits for Redis at most the command
 * timeout, connection included; a schedule further ahead than `maxWaitMs` (a clock stepped
 * back on a failover, a key written by something else) is started afresh by the script, and
 * an answer that is not a wait within bounds is not trusted. In each case the budget says so
 * once and reports "not available", and the caller paces on its own for a while before trying
 * Redis again. The URL may hold a password: it is decoded once, here, and never printed.
 */
import type { Redis, RedisOptions } from "ioredis";
import { redact } from "../../chat-api/redaction";

/** Share of the limit the shared schedule fills: the rest absorbs arrival jitter between machines. */
export const HEADROOM = 0.975;
/** How long a Redis call, connecting included, may take before the budget counts as unavailable. */
export const COMMAND_TIMEOUT_MS = 500;
/** After a failure, Redis is left alone this long. */
const BACKOFF_MS = 15_000;
/** Longest wait the shared schedule may hand out, unless the caller's throttling deadline is shorter. */
export const MAX_WAIT_MS = 5_000;

/**
 * KEYS[1]: the schedule's key. ARGV[1]: milliseconds between slots; ARGV[2]: the furthest
 * ahead a slot may be. Returns the wait, in milliseconds, until the slot handed out. A
 * schedule further ahead than that (a clock stepped back, a stray value) starts again from
 * now. The key expires once the schedule is idle.
 */
const NEXT_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
local interval = tonumber(ARGV[1])
if tat < now or tat - now > tonumber(ARGV[2]) then tat = now end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat - now + interval + 60000))
return tostring(tat - now)
`;

type SlotRedis = Redis & { nextChatSlot(key: string, intervalMs: string, maxAheadMs: string): Promise<unknown> };

/** Why the budget cannot be used; the message holds no password. */
class BudgetUnavailable extends Error {}

/** A Redis URL as connection options, its user name and password decoded once. */
export function redisOptions(url: string): { options: RedisOptions; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BudgetUnavailable("the Redis URL is not a URL");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new BudgetUnavailable(`the Redis URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  // A password pasted with a bare "%" is meant as written; a percent-encoded one is decoded.
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const password = parsed.password ? decode(parsed.password) : undefined;
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username && { username: decode(parsed.username) }),
    ...(password !== undefined && { password }),
    ...(db !== undefined && Number.isInteger(db) && { db }),
    ...(parsed.protocol === "rediss:" && { tls: { servername: parsed.hostname } }),
  };
  return { options, password };
}

/** How a failure reads, with nothing of the URL in it. */
function reasonOf(err: unknown): string {
  if (err instanceof BudgetUnavailable) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/WRONGPASS|invalid password|invalid username-password|NOAUTH|AUTH failed/i.test(message)) return "Redis refused the password in the URL (or asks for one)";
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : message;
}

export class SharedBudget {
  readonly #url: string;
  readonly #password?: string;
  readonly #options?: RedisOptions;
  readonly #problem?: string;
  /** The connection, once asked for: calls that come while it opens wait for it, within the command timeout. */
  #redis?: Promise<SlotRedis>;
  #unavailableUntil = 0;
  #warned = false;

  constructor(
    url: string,
    private readonly sdkAppId: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly warn: (text: string) => void = (text) => console.warn(text),
    /** The longest wait the schedule may ask of a call (the caller's throttling deadline bounds it too). */
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {
    this.#url = url;
    try {
      const { options, password } = redisOptions(url);
      this.#options = options;
      this.#password = password;
    } catch (err) {
      this.#problem = reasonOf(err);
    }
  }

  /** The URL and its password, for redaction. */
  secrets(): string[] {
    return [this.#url, ...(this.#password ? [this.#password, encodeURIComponent(this.#password)] : [])];
  }

  /**
   * Waits for this call's slot in the shared schedule of `command`, limited to `limit` calls
   * a second. Resolves false, at once or within the command timeout, when the budget cannot
   * be used: pace locally.
   */
  async take(command: string, limit: number): Promise<boolean> {
    if (this.#problem !== undefined) return this.unavailable(new BudgetUnavailable(this.#problem));
    if (Date.now() < this.#unavailableUntil) return false;
    let wait: number;
    try {
      wait = await this.withinTimeout(this.slot(command, limit));
    } catch (err) {
      return this.unavailable(err);
    }
    if (wait > 0) await this.sleep(wait);
    return true;
  }

  private async slot(command: string, limit: number): Promise<number> {
    const redis = await this.connect();
    const answer = await redis.nextChatSlot(`pulumi-tencent-chat:budget:${this.sdkAppId}:${command}`, String(1000 / (limit * HEADROOM)), String(this.maxWaitMs));
    const wait = typeof answer === "string" && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(answer) ? Number(answer) : NaN;
    if (!Number.isFinite(wait) || wait < 0 || wait > this.maxWaitMs) {
      throw new BudgetUnavailable(`Redis answered ${describe(answer)} where the schedule's wait was due (from 0 to ${this.maxWaitMs} ms): is something else writing its keys?`);
    }
    return wait;
  }

  /** The answer, or a rejection once the command timeout has passed on the budget's clock, whichever comes first. */
  private withinTimeout<T>(answer: Promise<T>): Promise<T> {
    const late = this.sleep(COMMAND_TIMEOUT_MS).then(() => {
      throw new BudgetUnavailable(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`);
    });
    return Promise.race([answer, late]);
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
    const redis = new Redis({
      ...this.#options,
      lazyConnect: true,
      connectTimeout: COMMAND_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    }) as SlotRedis;
    redis.defineCommand("nextChatSlot", { numberOfKeys: 1, lua: NEXT_SLOT });
    // Failures arrive as rejected commands; the connection's own error events are kept only to
    // say why it closed (a refused password is an event, then "Connection is closed.").
    let closedBy: unknown;
    redis.on("error", (err: unknown) => (closedBy ??= err));
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw closedBy ?? err;
    }
    // An open connection must not keep a finished process alive.
    (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
    return redis;
  }

  private unavailable(err: unknown): false {
    this.close();
    this.#unavailableUntil = Date.now() + BACKOFF_MS;
    if (!this.#warned) {
      this.#warned = true;
      this.warn(`pulumi-tencent-chat: warning: the shared rate budget in Redis is not available (${redact(reasonOf(err), this.secrets())}); pacing in this process alone, and trying Redis again later`);
    }
    return false;
  }
}

/** An answer as a warning may show it: its type, and a short printout. */
function describe(answer: unknown): string {
  const text = typeof answer === "string" ? JSON.stringify(answer) : Array.isArray(answer) ? "a list" : String(answer);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

