/**
 * The one error class of the Chat REST client.
 *
 * It carries Tencent's ErrorCode as `errorCode`, never as `code`: Pulumi sends an error's
 * numeric `code` as the gRPC status, so a numeric `code` would be misread by the engine.
 * `code` is a stable string, as in undici and Node. It has no `id` field either: the
 * dynamic-provider host reads `id` on a create error as "this object was created".
 */

/** What went wrong, at which layer. */
import { dailyQuotaHint, ERROR_HINTS, UNREACHABLE_HINT } from "../../chat-api/hints";
import { redact } from "../../chat-api/redaction";

export type ChatApiErrorKind =
  /** HTTP 200 with ActionStatus FAIL or a non-zero ErrorCode. */
  | "api"
  /** An HTTP status other than 200. */
  | "http"
  /** The connection failed or was closed without an answer. */
  | "network"
  /** No answer within the timeout. */
  | "timeout"
  /** A 200 answer whose body is not what the command documents. */
  | "invalid-response";

export interface ChatApiErrorDetails {
  command: string;
  kind: ChatApiErrorKind;
  /** Tencent's ErrorCode; 0 when the failure was below the API (HTTP, network). */
  errorCode?: number;
  /** Tencent's ErrorInfo. */
  info?: string;
  httpStatus?: number;
  /** Attempts made, including the last. */
  attempts: number;
  /** An attempt may have been carried out although no success was seen (a lost answer, a timeout, a 502). */
  uncertain?: boolean;
  /** How long the service asked to wait before trying again (Retry-After), in ms. */
  retryAfterMs?: number;
  /** How long a daily quota's refusal persisted before the call gave up (see DAILY_QUOTA_CODES), in ms. */
  quotaRefusedForMs?: number;
  cause?: unknown;
}

export { redact } from "../../chat-api/redaction";

/** Connection errors that happen before any byte of the request leaves: nothing was sent. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_NONAME", "UND_ERR_INVALID_ARG"]);

/** True for a failure to connect at all: the request never left, so it was not carried out. */
export function neverSent(d: Pick<ChatApiErrorDetails, "kind" | "cause">): boolean {
  const code = (d.cause as { code?: unknown } | undefined)?.code;
  return d.kind === "network" && typeof code === "string" && NOT_SENT.has(code);
}

/** What to do, for the failures that say it. */
function hintOf(d: ChatApiErrorDetails): string | undefined {
  if (d.quotaRefusedForMs !== undefined) return dailyQuotaHint(d.command, d.quotaRefusedForMs);
  if (d.kind === "api" && d.errorCode !== undefined) return ERROR_HINTS[d.errorCode];
  if (neverSent(d)) return UNREACHABLE_HINT;
  return undefined;
}

const BRAND = Symbol.for("pulumi-tencent-chat.ChatApiError");

function describe(d: ChatApiErrorDetails): string {
  switch (d.kind) {
    case "api":
      return `${d.errorCode} ${d.info ?? ""}`.trimEnd();
    case "http":
      return `HTTP ${d.httpStatus}`;
    case "timeout":
      return "no answer before the timeout";
    case "network":
      return `connection failed (${causeText(d.cause)})`;
    case "invalid-response":
      return `unexpected answer: ${d.info ?? ""}`;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/**
 * A call that failed: Tencent's ErrorCode and text, an HTTP status, a lost connection or an answer
 * of the wrong shape (see `kind`). Its message and properties never hold the secret key or a
 * UserSig.
 */
export class ChatApiError extends Error {
  /** Stable identifier of this error class. */
  readonly code = "ERR_TENCENT_CHAT_API";
  readonly command: string;
  readonly kind: ChatApiErrorKind;
  readonly errorCode: number;
  readonly info: string;
  readonly httpStatus?: number;
  readonly attempts: number;
  /** An attempt may have been carried out although no success was seen: check before assuming nothing happened. */
  readonly uncertain: boolean;
  /** How long the service asked to wait before trying again (an HTTP Retry-After), in ms. */
  readonly retryAfterMs?: number;
  /** Set when the call gave up because a daily quota, not a per-second limit, refused it: for how long, in ms. */
  readonly quotaRefusedForMs?: number;

  constructor(details: ChatApiErrorDetails, secrets: readonly string[] = []) {
    const attempts = details.attempts > 1 ? ` (after ${details.attempts} attempts)` : "";
    const hint = hintOf(details);
    super(redact(`${details.command} failed: ${describe(details)}${attempts}${hint ? `. ${hint}` : ""}`, secrets));
    this.name = "ChatApiError";
    this.command = details.command;
    this.kind = details.kind;
    this.errorCode = details.errorCode ?? 0;
    this.info = redact(details.info ?? "", secrets);
    this.httpStatus = details.httpStatus;
    this.attempts = details.attempts;
    this.uncertain = details.uncertain === true;
    this.retryAfterMs = details.retryAfterMs;
    this.quotaRefusedForMs = details.quotaRefusedForMs;
    if (details.cause !== undefined) this.cause = sanitizeCause(details.cause, secrets);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The same failure, counted with more attempts, and uncertain when any attempt was. */
  withAttempts(attempts: number, uncertain: boolean, secrets: readonly string[] = []): ChatApiError {
    return new ChatApiError({ ...this.details(), attempts, uncertain: this.uncertain || uncertain }, secrets);
  }

  /** The same failure, given up on as a daily quota's refusal that lasted `refusedForMs`. */
  asDailyQuota(refusedForMs: number, secrets: readonly string[] = []): ChatApiError {
    return new ChatApiError({ ...this.details(), quotaRefusedForMs: refusedForMs }, secrets);
  }

  details(): ChatApiErrorDetails {
    return {
      command: this.command,
      kind: this.kind,
      errorCode: this.errorCode,
      info: this.info,
      httpStatus: this.httpStatus,
      attempts: this.attempts,
      uncertain: this.uncertain,
      retryAfterMs: this.retryAfterMs,
      quotaRefusedForMs: this.quotaRefusedForMs,
      cause: this.cause,
    };
  }
}

/** A cause keeps its message and code, never the request it may reference. */
function sanitizeCause(cause: unknown, secrets: readonly string[]): Error {
  const err = new Error(redact(cause instanceof Error ? cause.message : String(cause), secrets));
  if (cause instanceof Error) {
    err.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") (err as Error & { code: string }).code = code;
  }
  return err;
}

/** True for a ChatApiError from any loaded copy of this package. */
export function isChatApiError(value: unknown): value is ChatApiError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** True when `err` is the service's answer (not a transport failure) with one of `codes` (or any code, without them). */
export function isApiError(err: unknown, codes?: ReadonlySet<number> | number): err is ChatApiError & { kind: "api" } {
  if (!isChatApiError(err) || err.kind !== "api") return false;
  if (codes === undefined) return true;
  return typeof codes === "number" ? err.errorCode === codes : codes.has(err.errorCode);
}
