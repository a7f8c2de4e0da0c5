/**
 * The core of the Chat REST client: settings, the admin signature, and one retry loop over
 * `sendOnce`, paced by the shared rate limiter. Typed commands build on it (client.ts).
 */
import type { Dispatcher } from "undici";
import type { z } from "zod";
import { isLoopback, resolveBaseUrl } from "./endpoint";
import { ChatApiError, isApiError, isChatApiError } from "./errors";
import type { ChatClientOptions } from "./options";
import { type RateLimiter, sharedRateLimiter } from "./rate-limiter";
import { EXPIRED_SIGNATURE_CODES } from "../../chat-api/codes";
import { backoffDelay, DAILY_QUOTA_VERDICT_MS, isThrottling, isTransient, mayBeDailyQuota, mayHaveApplied } from "./retry-policy";
import { AdminSigner } from "./signer";
import { defaultDispatcher, sendOnce } from "./transport";

export interface CallOptions {
  /** Safe to send twice. Only idempotent calls are retried after an uncertain failure. */
  idempotent: boolean;
  lossless?: boolean;
}

const WARNED = Symbol.for("pulumi-tencent-chat.insecureEndpointsWarned");

/** Says once per endpoint and process that signed requests go out over plain http. */
function warnIfInsecure(baseUrl: string): void {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || isLoopback(url.hostname)) return;
  const warned = ((globalThis as unknown as Record<symbol, Set<string> | undefined>)[WARNED] ??= new Set());
  if (warned.has(url.origin)) return;
  warned.add(url.origin);
  console.warn(`pulumi-tencent-chat: warning: signed admin requests go to ${url.origin} over plain http (allowInsecureEndpoint is set)`);
}

/** A body already printed as JSON text, sent as it is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Settings, the admin signature and the retry loop; ChatClient adds the typed commands. */
export class RestCaller {
  readonly baseUrl: string;
  readonly sdkAppId: number;
  readonly identifier: string;
  /** Private fields: no printout of a client shows the key or a signature. */
  readonly #signer: AdminSigner;
  private readonly limiter: RateLimiter;
  private readonly dispatcher: Dispatcher;
  readonly now: () => number;
  private readonly o: Required<Pick<ChatClientOptions, "timeoutMs" | "maxAnswerBytes" | "maxAttempts" | "throttleDeadlineMs" | "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs">> &
    Pick<ChatClientOptions, "onRetry"> & { sleep: (ms: number) => Promise<void>; random: () => number };

  constructor(options: ChatClientOptions) {
    if (!Number.isSafeInteger(options.sdkAppId) || options.sdkAppId <= 0) throw new TypeError("sdkAppId must be a positive integer");
    if (!options.secretKey) throw new TypeError("secretKey is required");
    this.baseUrl = resolveBaseUrl(options);
    if (options.allowInsecureEndpoint) warnIfInsecure(this.baseUrl);
    this.sdkAppId = options.sdkAppId;
    this.identifier = options.identifier ?? "administrator";
    this.#signer = new AdminSigner(
      { sdkAppId: options.sdkAppId, secretKey: options.secretKey, identifier: this.identifier, ttlSeconds: options.userSigTtlSeconds },
      options.now,
    );
    // Only the pacing settings go to the limiter, which is shared on globalThis.
    const { rateLimit, commandRateLimits, rateLimitRedisUrl } = options;
    this.limiter = options.rateLimiter ?? sharedRateLimiter({ sdkAppId: options.sdkAppId, baseUrl: this.baseUrl }, { rateLimit, commandRateLimits, rateLimitRedisUrl }, options.throttleDeadlineMs ?? 300_000);
    // Typed loosely in the options (RequestDispatcher): what is passed there is an undici Dispatcher.
    this.dispatcher = (options.dispatcher as Dispatcher | undefined) ?? defaultDispatcher();
    this.now = options.now ?? Date.now;
    this.o = {
      timeoutMs: options.timeoutMs ?? 10_000,
      maxAnswerBytes: options.maxAnswerBytes ?? 8 * 1024 * 1024,
      maxAttempts: Math.max(1, options.maxAttempts ?? 8),
      throttleDeadlineMs: options.throttleDeadlineMs ?? 300_000,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 5_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      onRetry: options.onRetry,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    };
  }

  /**
   * Calls any command with retries, pacing and validation. The typed commands of
   * ChatClient are built on it.
   */
  async call<T>(service: string, command: string, body: unknown, schema: z.ZodType<T>, opts: CallOptions): Promise<T> {
    // The service refuses an empty body: a command without fields still sends {}.
    const bodyText = body instanceof RawJson ? body.text : JSON.stringify(body ?? {});
    const started = this.now();
    let renewedSignature = false;
    let uncertain = false;
    let failures = 0;
    // Since when every answer to this call was its daily-quota code, and how many calls of
    // the command the service had let through by then.
    let quotaRun: { since: number; accepted: number } | undefined;
    for (let attempt = 1; ; attempt++) {
      const slot = await this.limiter.acquire(command);
      const userSig = this.#signer.current();
      const secrets = [...this.#signer.secrets(), ...this.limiter.secrets()];
      let error: ChatApiError;
      try {
        const answer = await sendOnce({
          baseUrl: this.baseUrl,
          service,
          command,
          sdkAppId: this.sdkAppId,
          identifier: this.identifier,
          userSig,
          bodyText,
          timeoutMs: this.o.timeoutMs,
          maxAnswerBytes: this.o.maxAnswerBytes,
          lossless: opts.lossless === true,
          dispatcher: this.dispatcher,
          secrets,
        });
        this.limiter.answered(command, false, slot);
        const parsed = schema.safeParse(answer);
        if (parsed.success) return parsed.data;
        const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        throw new ChatApiError({ command, kind: "invalid-response", info: where, httpStatus: 200, attempts: attempt }, secrets);
      } catch (err) {
        if (!isChatApiError(err)) throw err;
        uncertain ||= mayHaveApplied(err);
        error = err.withAttempts(attempt, uncertain, secrets);
      }
      if (error.kind === "api" || error.kind === "http") this.limiter.answered(command, isThrottling(error), slot);

      // An expired signature was refused before anything happened: renew it and go again, once.
      if (isApiError(error, EXPIRED_SIGNATURE_CODES) && !renewedSignature) {
        renewedSignature = true;
        this.#signer.renew();
        continue;
      }
      if (!isThrottling(error)) failures++;
      const now = this.now();
      if (mayBeDailyQuota(error)) {
        const accepted = this.limiter.accepted(command);
        // Another call got through meanwhile: the window opens, so this is a per-second limit.
        if (!quotaRun || accepted > quotaRun.accepted) quotaRun = { since: attempt === 1 ? started : now, accepted };
        const refusedFor = now - quotaRun.since;
        if (refusedFor >= Math.min(DAILY_QUOTA_VERDICT_MS, this.o.throttleDeadlineMs)) throw error.asDailyQuota(refusedFor, secrets);
      } else quotaRun = undefined;
      const delayMs = this.retryDelay(error, { now, failures, started, idempotent: opts.idempotent });
      if (delayMs === undefined) throw error;
      this.o.onRetry?.({ command, attempt, delayMs, error });
      if (delayMs > 0) await this.o.sleep(delayMs);
    }
  }

  /**
   * How long to wait before the next attempt, or undefined to give up. "Too many requests"
   * is not carried out, so it is retried until the throttling deadline, with no backoff of
   * its own: the pacer, which has just slowed down, places the retry. Other transient
   * failures are retried within `maxAttempts`, with capped exponential backoff. Either way
   * a Retry-After is honoured, within `maxRetryAfterMs` and what is left of the throttling
   * deadline.
   */
  private retryDelay(error: ChatApiError, at: { now: number; failures: number; started: number; idempotent: boolean }): number | undefined {
    // No Retry-After holds a call past its throttling deadline, whatever it asks for.
    const asked = Math.min(error.retryAfterMs ?? 0, this.o.maxRetryAfterMs, this.o.throttleDeadlineMs);
    // A 503 may have been carried out: only an idempotent call may go again.
    if (isThrottling(error) && (at.idempotent || !mayHaveApplied(error))) {
      const left = this.o.throttleDeadlineMs - (at.now - at.started);
      return left > 0 ? Math.min(asked, left) : undefined;
    }
    if (!(isTransient(error) && at.idempotent) || at.failures >= this.o.maxAttempts) return undefined;
    return Math.max(backoffDelay(at.failures, this.o, this.o.random), asked);
  }
}
