/**
 * One attempt of one REST call: the envelope, the HTTP exchange on a keep-alive connection,
 * and the answer turned into parsed JSON or a ChatApiError. No retries here.
 */
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import { Agent, type Dispatcher, request } from "undici";
import { ChatApiError } from "./errors";
import { EnvelopeSchema } from "./schemas";

let sharedAgent: Agent | undefined;

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
  timeoutMs: number;
  /** Parse without losing 64-bit integers (get_appid_group_list's Next). */
  lossless: boolean;
  dispatcher: Dispatcher;
  /** Secrets to scrub from anything that becomes an error. */
  secrets: readonly string[];
}

/** The random the envelope requires: a fresh unsigned 32-bit integer per request. */
const random32 = (): number => Math.floor(Math.random() * 0x1_0000_0000);

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

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
  try {
    const res = await request(`${a.baseUrl}/v4/${a.service}/${a.command}?${query}`, {
      method: "POST",
      body: a.bodyText,
      headers: { "content-type": "application/json" },
      dispatcher: a.dispatcher,
      headersTimeout: a.timeoutMs,
      bodyTimeout: a.timeoutMs,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw fail({ kind: typeof code === "string" && TIMEOUT_CODES.has(code) ? "timeout" : "network", cause: err });
  }

  if (status !== 200) throw fail({ kind: "http", httpStatus: status, info: text.slice(0, 200) });
  let json: unknown;
  try {
    json = parseJson(text, a.lossless);
  } catch {
    throw fail({ kind: "invalid-response", httpStatus: status, info: `body is not JSON: ${text.slice(0, 200)}` });
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw fail({ kind: "invalid-response", httpStatus: status, info: `no ActionStatus in ${text.slice(0, 200)}` });
  }
  const { ActionStatus, ErrorCode = 0, ErrorInfo = "" } = envelope.data;
  if (ActionStatus !== "OK" || ErrorCode !== 0) {
    throw fail({ kind: "api", errorCode: ErrorCode, info: ErrorInfo, httpStatus: status });
  }
  return envelope.data as Record<string, unknown>;
}
