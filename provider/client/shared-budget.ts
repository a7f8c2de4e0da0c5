/**
 * A rate budget shared through Redis by every process on every machine that calls one app:
 * many CI jobs on one SDKAppID then draw calls from one schedule instead of each guessing its
 * share from throttling answers.
 *
 * The schedule is GCRA (the generic cell rate algorithm) kept in one Redis hash per SDKAppID
 * and command: a Lua script, run atomically on Redis's own clock (so machines need not agree
 * on the time), hands each caller the next slot, evenly spaced at a little under the limit,
 * and says how long to wait for it. One round trip a call, no polling, no window edges:
 * fixed windows (rate-limiter-flexible's RateLimiterRedis) let two bursts straddle an edge,
 * and the service, which counts a sliding second, throttled 7.8–11.6% of the calls of 8 jobs
 * drawing on them against 0% with this (`npm run bench -- redis-choice`).
 *
 * The schedule learns from the service. Calls sent on time still arrive bunched (network
 * jitter, a machine's busy event loop), and the service counts arrivals: a throttling answer
 * to a call drawn from the schedule cuts its rate for every process on the app and command,
 * and while answers are clean the rate climbs back, quickly at first, to the headroom. Only
 * answers to calls handed out after the last cut count, so one overload seen by many callers
 * cuts once, and a cut that did not help is followed by another. The constants were chosen
 * with `npm run bench -- jobs` (bench/README.md).
 *
 * Redis must never fail or stall a deploy. A call waits for Redis at most the command
 * timeout, connection included; a schedule further ahead than `maxWaitMs` (a clock stepped
 * back on a failover, a key written by something else) is started afresh by the script, and
 * an answer that is not a wait within bounds is not trusted. In each case the budget says so
 * once and reports "not available", and the caller paces on its own for a while before trying
 * Redis again. The URL may hold a password: it is decoded once, here, and never printed.
 */
// Only this file's code uses ioredis's types: its declarations describe what they need locally, so
// a user's compile never reads ioredis's own (6.1.0's import the untyped redis-errors).
import type { Redis } from "ioredis";

import { redact } from "../../chat-api/redaction";

/** How the shared schedule paces and learns. */
export interface ScheduleTuning {
  /** Share of the limit the schedule fills when answers are clean: the rest absorbs arrival jitter. */
  headroom: number;
  /** A throttling answer cuts the share to this much of what it was (3% off: 5% cost half a point of the limit at 8 jobs, bench/README.md)... */
  cutTo: number;
  /** ... never below this share of the limit. */
  floor: number;
  /** After a cut, the gap to the headroom shrinks by e (about 2.7) times every this many milliseconds. */
  regainMs: number;
}

export const SCHEDULE: Readonly<ScheduleTuning> = { headroom: 0.975, cutTo: 0.97, floor: 0.05, regainMs: 1000 };
/** Share of the limit the shared schedule fills while answers are clean. */
export const HEADROOM = SCHEDULE.headroom;
/** How long a Redis call, connecting included, may take before the budget counts as unavailable. */
export const COMMAND_TIMEOUT_MS = 500;
/** After a failure, Redis is left alone this long. */
const BACKOFF_MS = 15_000;
/** Longest wait the shared schedule may hand out, unless the caller's throttling deadline is shorter. */
export const MAX_WAIT_MS = 5_000;

/**
 * The schedule's share of the limit now (`s`), from the last cut's share and time, in Lua:
 * the gap to the headroom shrinks exponentially. ARGV[1..4]: headroom, cutTo, floor, regainMs.
 * A cut stamped in the future (a clock stepped back) counts as made now.
 */
const SHARE_NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tat', 'cut', 'at')
local headroom = tonumber(ARGV[1])
local s = headroom
local cut = tonumber(state[2])
local at = tonumber(state[3])
if cut and at then
  if at > now then at = now end
  local c = math.max(tonumber(ARGV[3]), math.min(headroom, cut))
  s = headroom - (headroom - c) * math.exp(-(now - at) / tonumber(ARGV[4]))
end
`;

/**
 * KEYS[1]: the schedule's hash. ARGV[1..4]: as SHARE_NOW; ARGV[5]: the limit, calls a
 * second; ARGV[6]: the furthest ahead a slot may be. Returns "<wait> <now>": milliseconds
 * until the slot handed out, and the Redis time it was handed out at (a throttling answer
 * to it cuts only if no cut came since). A schedule further ahead than that (a clock
 * stepped back, a stray value) starts again from now. The key expires once it is idle.
 */
const NEXT_SLOT = `${SHARE_NOW}
local tat = tonumber(state[1]) or 0
local interval = 1000 / (tonumber(ARGV[5]) * s)
if tat < now or tat - now > tonumber(ARGV[6]) then tat = now end
redis.call('HSET', KEYS[1], 'tat', tostring(tat + interval))
redis.call('PEXPIRE', KEYS[1], math.ceil(tat - now + interval + 60000))
return tostring(tat - now) .. ' ' .. tostring(now)
`;

/**
 * KEYS[1]: the schedule's hash. ARGV[1..4]: as SHARE_NOW; ARGV[5]: when the throttled
 * call's slot was handed out. Cuts the share, unless a cut came after that slot was handed out (the call
 * went at the old rate, which is already cut). Returns the share now.
 */
const THROTTLED = `${SHARE_NOW}
if at and tonumber(ARGV[5]) < at then return tostring(s) end
local cutTo = math.max(tonumber(ARGV[3]), s * tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'cut', tostring(cutTo), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000 + tonumber(ARGV[4]))
return tostring(cutTo)
`;

/** ARGV[1..4] of both scripts: how the schedule paces and learns. */
const tuningArgs = (t: ScheduleTuning): string[] => [t.headroom, t.cutTo, t.floor, t.regainMs].map(String);
type SlotRedis = Redis & {
  nextChatSlot(key: string, ...args: [...tuning: string[], limit: string, maxAheadMs: string]): Promise<unknown>;
  chatThrottled(key: string, ...args: [...tuning: string[], handedAt: string]): Promise<unknown>;
};

/** A slot taken from the shared schedule: when Redis handed it out, on Redis's clock. */
export interface SharedSlot {
  handedAt: number;
}

/** Why the budget cannot be used; the message holds no password. */
class BudgetUnavailable extends Error {}

/** Where and as whom to connect: the part of the Redis client's options a URL gives. */
export interface RedisConnectOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: { servername: string };
}

/** A Redis URL as connection options, its user name and password decoded once. */
export function redisOptions(url: string): { options: RedisConnectOptions; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BudgetUnavailable("the Redis URL is not a URL");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new BudgetUnavailable(`the Redis URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
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
  const options: RedisConnectOptions = {
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
  if (/WRONGPASS|invalid password|invalid username-password|NOAUTH|AUTH failed/i.test(message))
    return "Redis refused the password in the URL (or asks for one)";
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : message;
}

export class SharedBudget {
  readonly #url: string;
  readonly #password?: string;
  readonly #options?: RedisConnectOptions;
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
    private readonly tuning: ScheduleTuning = SCHEDULE,
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
  async take(command: string, limit: number): Promise<SharedSlot | false> {
    if (this.#problem !== undefined) return this.unavailable(new BudgetUnavailable(this.#problem));
    if (Date.now() < this.#unavailableUntil) return false;
    let slot: { wait: number; handedAt: number };
    try {
      slot = await this.withinTimeout(this.slot(command, limit));
    } catch (err) {
      return this.unavailable(err);
    }
    if (slot.wait > 0) await this.sleep(slot.wait);
    return { handedAt: slot.handedAt };
  }

  /**
   * Tells the schedule the service throttled a call that drew `slot`: the rate is cut for
   * every process on the app and command. Never waits on the caller; a Redis that cannot be
   * reached here is handled as in `take`.
   */
  async throttled(command: string, slot: SharedSlot): Promise<void> {
    if (this.#problem !== undefined || Date.now() < this.#unavailableUntil) return;
    const report = async () =>
      (await this.connect()).chatThrottled(this.keyOf(command), ...tuningArgs(this.tuning), String(slot.handedAt));
    await this.withinTimeout(report()).catch((err: unknown) => this.unavailable(err));
  }

  private keyOf(command: string): string {
    // A hash since the schedule learned; the plain string keys of earlier versions are left to them.
    return `pulumi-tencent-chat:schedule:${this.sdkAppId}:${command}`;
  }

  private async slot(command: string, limit: number): Promise<{ wait: number; handedAt: number }> {
    const redis = await this.connect();
    const answer = await redis.nextChatSlot(
      this.keyOf(command),
      ...tuningArgs(this.tuning),
      String(limit),
      String(this.maxWaitMs),
    );
    const number = "-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?";
    const parts = typeof answer === "string" ? new RegExp(`^(${number}) (${number})$`, "i").exec(answer) : null;
    const wait = parts ? Number(parts[1]) : NaN;
    if (!parts || !Number.isFinite(wait) || wait < 0 || wait > this.maxWaitMs) {
      throw new BudgetUnavailable(
        `Redis answered ${describe(answer)} where the schedule's wait was due (from 0 to ${this.maxWaitMs} ms): is something else writing its keys?`,
      );
    }
    return { wait, handedAt: Number(parts[2]) };
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
    this.#redis?.then(
      (r) => r.disconnect(),
      () => undefined,
    );
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
    redis.defineCommand("chatThrottled", { numberOfKeys: 1, lua: THROTTLED });
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
      this.warn(
        `pulumi-tencent-chat: warning: the shared rate budget in Redis is not available (${redact(reasonOf(err), this.secrets())}); pacing in this process alone, and trying Redis again later`,
      );
    }
    return false;
  }
}

/** An answer as a warning may show it: its type, and a short printout. */
function describe(answer: unknown): string {
  const text = typeof answer === "string" ? JSON.stringify(answer) : Array.isArray(answer) ? "a list" : String(answer);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
