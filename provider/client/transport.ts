/**
 * One attempt of one REST call: the envelope, the HTTP exchange on a keep-alive connection,
 * and the answer turned into parsed JSON or a ChatApiError. No retries here.
 */
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import type { Dispatcher } from "undici";
import dispatchRequest from "undici/lib/api/api-request.js";
import Agent from "undici/lib/dispatcher/agent.js";

import { redact, scrubSecrets } from "../../chat-api/redaction";
import { ChatApiError } from "./errors";
import { EnvelopeSchema } from "./schemas";

let sharedAgent: Dispatcher | undefined;

/** One keep-alive connection pool per process, so calls reuse warm connections. */
export function defaultDispatcher(): Dispatcher {
  return (sharedAgent ??= new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000, connections: 256 }));
}

export interface Attempt {
  baseUrl: string;
  service: string;
  command: string;
  sdkAppId: number;
  identifier: string;
  userSig: string;
  /** The JSON body as text. */
  bodyText: string;
  /** Deadline of the whole attempt, connection to the last byte of the answer, in ms. */
  timeoutMs: number;
  /** Largest answer read; a longer one drops the connection. */
  maxAnswerBytes: number;
  /** Parse without losing 64-bit integers (get_appid_group_list's Next). */
  lossless: boolean;
  dispatcher: Dispatcher;
  /** Secrets to scrub from anything that becomes an error. */
  secrets: readonly string[];
}

/** The random the envelope requires: a fresh unsigned 32-bit integer per request. */
const random32 = (): number => Math.floor(Math.random() * 0x1_0000_0000);

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** The attempt ran past its deadline. */
class DeadlineExceeded extends Error {
  readonly code = "ERR_TENCENT_CHAT_DEADLINE";
}

/** The answer is longer than any the service sends: the connection is dropped unread. */
class AnswerTooLarge extends Error {
  readonly code = "ERR_TENCENT_CHAT_ANSWER_TOO_LARGE";
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads a body as UTF-8 text, giving up (and dropping the connection) past `max` bytes. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown },
  max: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      const err = new AnswerTooLarge(`the answer exceeds ${max} bytes`);
      body.destroy(err);
      throw err;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string, lossless: boolean): unknown {
  if (!lossless) return JSON.parse(text);
  return parseLossless(text, undefined, (value) => (isSafeNumber(value) ? Number(value) : BigInt(value)));
}

/** Sends once; resolves with the parsed body of a successful answer. */
export async function sendOnce(a: Attempt): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({
    sdkappid: String(a.sdkAppId),
    identifier: a.identifier,
    usersig: a.userSig,
    random: String(random32()),
    contenttype: "json",
  });
  const fail = (d: Omit<ConstructorParameters<typeof ChatApiError>[0], "command" | "attempts">) =>
    new ChatApiError({ command: a.command, attempts: 1, ...d }, a.secrets);

  let status: number;
  let text: string;
  let retryAfter: number | undefined;
  // One deadline for the whole attempt: a server that trickles bytes cannot hold it longer.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DeadlineExceeded(`no complete answer within ${a.timeoutMs} ms`)),
    a.timeoutMs,
  );
  try {
    const url = new URL(`${a.baseUrl}/v4/${a.service}/${a.command}?${query}`);
    const res = await dispatchRequest.call(a.dispatcher, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      body: a.bodyText,
      headers: { "content-type": "application/json" },
      signal: deadline.signal,
      headersTimeout: a.timeoutMs,
      bodyTimeout: a.timeoutMs,
    });
    status = res.statusCode;
    retryAfter = retryAfterMs(res.headers["retry-after"]);
    const declared = Number(res.headers["content-length"]);
    if (declared > a.maxAnswerBytes) {
      const err = new AnswerTooLarge(`the answer declares ${declared} bytes, more than ${a.maxAnswerBytes}`);
      res.body.destroy(err);
      throw err;
    }
    text = await readCapped(res.body, a.maxAnswerBytes);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const timedOut = deadline.signal.aborted || (typeof code === "string" && TIMEOUT_CODES.has(code));
    throw fail({
      kind: timedOut ? "timeout" : "network",
      cause: deadline.signal.aborted ? deadline.signal.reason : err,
    });
  } finally {
    clearTimeout(timer);
  }

  // Every answer, successful ones too, is scrubbed of the live secrets before it is read: a name
  // or custom field holding a signature would otherwise reach lookups, outputs and state.
  text = scrubSecrets(text, a.secrets);
  // Scrubbed whole before it is cut short, so no part of an echoed signature survives.
  const excerpt = () => redact(text, a.secrets).slice(0, 200);
  if (status !== 200) throw fail({ kind: "http", httpStatus: status, info: excerpt(), retryAfterMs: retryAfter });
  let json: unknown;
  try {
    json = parseJson(text, a.lossless);
  } catch {
    throw fail({ kind: "invalid-response", httpStatus: status, info: `body is not JSON: ${excerpt()}` });
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw fail({ kind: "invalid-response", httpStatus: status, info: `no ActionStatus in ${excerpt()}` });
  }
  const { ActionStatus, ErrorCode = 0, ErrorInfo = "" } = envelope.data;
  if (ActionStatus !== "OK" || ErrorCode !== 0) {
    throw fail({ kind: "api", errorCode: ErrorCode, info: ErrorInfo, httpStatus: status });
  }
  return envelope.data as Record<string, unknown>;
}
