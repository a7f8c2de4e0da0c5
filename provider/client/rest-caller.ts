/**
 * The core of the Chat REST client: settings, the admin signature, and one retry loop over
 * `sendOnce`, paced by the shared rate limiter. Typed commands build on it (client.ts).
 */
import type { Dispatcher } from "undici";
import type { z } from "zod";

import { isLoopback, resolveBaseUrl } from "./endpoint";
import { ChatApiError, isChatApiError } from "./errors";
import type { ChatClientOptions } from "./options";
import { type RateLimiter, sharedRateLimiter } from "./rate-limiter";
import { DailyQuotaWatch, isThrottling, mayHaveApplied, nextStep, shouldRenewSignature } from "./retry-policy";
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
  console.warn(
    `pulumi-tencent-chat: warning: signed admin requests go to ${url.origin} over plain http (allowInsecureEndpoint is set)`,
  );
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
  private readonly o: Required<
    Pick<
      ChatClientOptions,
      | "timeoutMs"
      | "maxAnswerBytes"
      | "maxAttempts"
      | "throttleDeadlineMs"
      | "baseDelayMs"
      | "maxDelayMs"
      | "maxRetryAfterMs"
    >
  > &
    Pick<ChatClientOptions, "onRetry"> & { sleep: (ms: number) => Promise<void>; random: () => number };

  constructor(options: ChatClientOptions) {
    if (!Number.isSafeInteger(options.sdkAppId) || options.sdkAppId <= 0)
      throw new TypeError("sdkAppId must be a positive integer");
    if (!options.secretKey) throw new TypeError("secretKey is required");
    this.baseUrl = resolveBaseUrl(options);
    if (options.allowInsecureEndpoint) warnIfInsecure(this.baseUrl);
    this.sdkAppId = options.sdkAppId;
    this.identifier = options.identifier ?? "administrator";
    this.#signer = new AdminSigner(
      {
        sdkAppId: options.sdkAppId,
        secretKey: options.secretKey,
        identifier: this.identifier,
        ttlSeconds: options.userSigTtlSeconds,
      },
      options.now,
    );
    // Only the pacing settings go to the limiter, which is shared on globalThis.
    const { rateLimit, commandRateLimits, rateLimitRedisUrl } = options;
    this.limiter =
      options.rateLimiter ??
      sharedRateLimiter(
        { sdkAppId: options.sdkAppId, baseUrl: this.baseUrl },
        { rateLimit, commandRateLimits, rateLimitRedisUrl },
        options.throttleDeadlineMs ?? 300_000,
      );
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
    const quota = new DailyQuotaWatch();
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
        throw new ChatApiError(
          { command, kind: "invalid-response", info: where, httpStatus: 200, attempts: attempt },
          secrets,
        );
      } catch (err) {
        if (!isChatApiError(err)) throw err;
        uncertain ||= mayHaveApplied(err);
        error = err.withAttempts(attempt, uncertain, secrets);
      }
      if (error.kind === "api" || error.kind === "http") this.limiter.answered(command, isThrottling(error), slot);

      if (shouldRenewSignature(error, renewedSignature)) {
        renewedSignature = true;
        this.#signer.renew();
        continue;
      }
      const now = this.now();
      const quotaRefusedForMs = quota.observe(error, {
        attempt,
        started,
        now,
        accepted: this.limiter.accepted(command),
      });
      const step = nextStep(error, { started, now, failures, idempotent: opts.idempotent, quotaRefusedForMs }, this.o);
      failures = step.failures;
      if (step.kind === "give-up")
        throw step.dailyQuotaForMs === undefined ? error : error.asDailyQuota(step.dailyQuotaForMs, secrets);
      this.o.onRetry?.({ command, attempt, delayMs: step.delayMs, error });
      if (step.delayMs > 0) await this.o.sleep(step.delayMs);
    }
  }
}
