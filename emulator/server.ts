/**
 * The HTTP server: the Chat REST envelope (`POST /v4/<service>/<command>?sdkappid=…&identifier=…
 * &usersig=…&random=…&contenttype=json`), checked in the order the service checks it, then
 * rate limiting, fault injection, the command itself, persistence and the answer.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseLossless, stringify as stringifyLossless } from "lossless-json";
import { verifyUserSig, type UserSigFailure } from "../provider/usersig";
import { handleControl, type EmulatorInternals } from "./control";
import { ApiFailure, Code, failureBody, okBody } from "./errors";
import { FaultPlan, type FaultAction } from "./faults";
import type { Operation, OperationContext } from "./operations/context";
import { accountOperations } from "./operations/accounts";
import { groupReadOperations } from "./operations/group-reads";
import { groupOperations } from "./operations/groups";
import { memberOperations } from "./operations/members";
import { profileOperations } from "./operations/profile";
import { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT, RateLimiter } from "./rate-limit";
import { DEFAULT_POLICY, type DestroyedGroupIds, type Plan } from "./policy";
import { RequestLog } from "./request-log";
import { Store } from "./state";

export interface EmulatorOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 1400000000 */
  sdkAppId?: number;
  /** The key UserSigs must be signed with. */
  secretKey: string;
  /** The App admin identifier. @default "administrator" */
  admin?: string;
  /** Calls per second per command; 0 for no limit. @default 200 */
  rateLimit?: number;
  /** Per-command overrides. @default { get_appid_group_list: 1 } */
  rateLimits?: Record<string, number>;
  /** Added before every answer, to model distance. @default 0 */
  latencyMs?: number;
  /** JSON file to load and persist state to. @default none (memory only) */
  stateFile?: string;
  /** Whether a dissolved group's custom ID may be created again at once. @default "reusable" */
  destroyedGroupIds?: DestroyedGroupIds;
  /** The app's plan: paid plans refuse a deleted UserID for three months. @default "trial" */
  plan?: Plan;
  /** Clock in Unix milliseconds. @default Date.now */
  clock?: () => number;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:9080`. */
  url: string;
  sdkAppId: number;
  admin: string;
  /** Stops serving, closes connections and finishes pending state writes. */
  close(): Promise<void>;
}

export const DEFAULT_SDKAPPID = 1400000000;
export const DEFAULT_ADMIN = "administrator";
/** Bodies beyond this are refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SERVICES: Record<string, Record<string, Operation>> = {
  group_open_http_svc: { ...groupOperations, ...groupReadOperations, ...memberOperations },
  im_open_login_svc: accountOperations,
  profile: profileOperations,
};

/** How each UserSig failure is answered (shared reference, section 5). */
const SIG_ERRORS: Record<UserSigFailure, [number, string]> = {
  malformed: [Code.sigMalformed, "Err_TLS_PT_Open_Login_UserSig_Parse_Failed"],
  "sdkappid-mismatch": [Code.sigSdkAppIdMismatch, "sdkappid in usersig does not match the request"],
  "identifier-mismatch": [Code.sigIdentifierMismatch, "identifier in usersig does not match the request"],
  expired: [Code.sigExpired, "usersig expired, generate a new one"],
  "signature-mismatch": [Code.sigKeyMismatch, "usersig verification failed, check the secret key"],
};

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The add_group_member results a memberResult fault forces, by account. */
function memberResults(action: FaultAction | undefined): Map<string, 0 | 3> | undefined {
  if (action?.kind !== "memberResult") return undefined;
  return new Map((action.accounts ?? ["*"]).map((a) => [a, action.result]));
}

/** Held answers (latency, delay faults): their timers end when the emulator closes, so none keeps a process alive. */
class Waits {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  /** Ends every wait at once. */
  release(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}

/** What one call produced, before it is written. */
type Outcome =
  | { kind: "json"; status: number; body: Record<string, unknown>; lossless?: boolean }
  | { kind: "drop" };

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (!options.secretKey) throw new Error("startEmulator: secretKey is required");
  const clock = options.clock ?? Date.now;
  const sdkAppId = options.sdkAppId ?? DEFAULT_SDKAPPID;
  const admin = options.admin ?? DEFAULT_ADMIN;
  const nowSeconds = () => Math.floor(clock() / 1000);
  const store = await Store.open(admin, options.stateFile, nowSeconds);
  const internals: EmulatorInternals = {
    store,
    faults: new FaultPlan(),
    log: new RequestLog(),
    limiter: new RateLimiter(
      { rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT, rateLimits: { ...DEFAULT_COMMAND_RATE_LIMITS, ...options.rateLimits } },
      clock,
    ),
    latencyMs: options.latencyMs ?? 0,
    policy: {
      destroyedGroupIds: options.destroyedGroupIds ?? DEFAULT_POLICY.destroyedGroupIds,
      plan: options.plan ?? DEFAULT_POLICY.plan,
    },
  };
  const waits = new Waits();
  const sleep = (ms: number) => waits.sleep(ms);
  // A verified signature is good until it expires: verifying it again per call is wasted work.
  const verified = new Map<string, number>();

  function authenticate(query: URLSearchParams): void {
    if (query.get("contenttype") !== "json") throw new ApiFailure(Code.httpParse, "contenttype must be json");
    const appIdText = query.get("sdkappid");
    if (!appIdText) throw new ApiFailure(Code.sdkAppIdMissing, "sdkappid is missing");
    if (!/^\d+$/.test(appIdText)) throw new ApiFailure(Code.sdkAppIdInvalid, "sdkappid is invalid");
    if (Number(appIdText) !== sdkAppId) throw new ApiFailure(Code.sdkAppIdNotFound, "sdkappid not found, check the data center domain");
    const random = query.get("random");
    if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 4294967295) {
      throw new ApiFailure(Code.httpParse, "random must be an integer from 0 to 4294967295");
    }
    const identifier = query.get("identifier");
    if (!identifier) throw new ApiFailure(Code.identifierInvalid, "identifier is missing");
    const userSig = query.get("usersig");
    if (!userSig) throw new ApiFailure(Code.sigEmpty, "usersig is empty");
    const cacheKey = `${identifier}\n${userSig}`;
    const cachedExpiry = verified.get(cacheKey);
    if (cachedExpiry === undefined || nowSeconds() > cachedExpiry) {
      const result = verifyUserSig({ userSig, sdkAppId, secretKey: options.secretKey, identifier, now: nowSeconds() });
      if (!result.ok) {
        verified.delete(cacheKey);
        const [code, info] = SIG_ERRORS[result.reason];
        throw new ApiFailure(code, info);
      }
      if (verified.size >= 10_000) verified.clear();
      verified.set(cacheKey, result.expiresAt);
    }
    if (identifier !== admin) throw new ApiFailure(Code.needsAdmin, "this request needs the App admin identifier");
  }

  function parseBody(text: string, lossless: boolean): Record<string, unknown> {
    if (text.trim() === "") throw new ApiFailure(Code.jsonParse, "request body is empty, send {} when a command takes no fields");
    let parsed: unknown;
    try {
      parsed = lossless ? parseLossless(text) : JSON.parse(text);
    } catch {
      throw new ApiFailure(Code.jsonParse, "request body is not valid JSON");
    }
    // Only a plain object: lossless parsing turns a bare number into a LosslessNumber object.
    if (typeof parsed !== "object" || parsed === null || Object.getPrototypeOf(parsed) !== Object.prototype) {
      throw new ApiFailure(Code.jsonParse, "request body must be a JSON object");
    }
    return parsed as Record<string, unknown>;
  }

  function faultOutcome(action: FaultAction): Outcome | undefined {
    switch (action.kind) {
      case "error":
        return { kind: "json", status: 200, body: failureBody(action.errorCode, action.errorInfo ?? "injected fault") };
      case "http":
        return { kind: "json", status: action.status, body: failureBody(Code.internal, `HTTP ${action.status} (injected)`) };
      case "drop":
        return { kind: "drop" };
      case "delay":
      case "memberResult":
        return undefined;
    }
  }

  async function serveCommand(
    req: http.IncomingMessage,
    url: URL,
    bodyText: string,
    note: { command?: string; fault?: string },
  ): Promise<Outcome> {
    const fail = (e: ApiFailure): Outcome => ({ kind: "json", status: 200, body: failureBody(e.errorCode, e.errorInfo) });
    if (req.method !== "POST") return fail(new ApiFailure(Code.httpParse, "only POST is supported"));
    const match = /^\/v4\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (!match) return fail(new ApiFailure(Code.resourceNotFound, "request resource error, check the URL"));
    const [, service, command] = match;
    note.command = command;
    const commands = SERVICES[service];
    if (!commands) return fail(new ApiFailure(Code.resourceNotFound, `unknown service ${service}`));
    const operation = commands[command];
    if (!operation) return fail(new ApiFailure(Code.badCommand, `invalid command ${command}`));

    const fault = internals.faults.take(command);
    if (fault) note.fault = fault.afterCommit ? `${fault.action.kind} after commit` : fault.action.kind;
    if (fault?.action.kind === "delay") await sleep(fault.action.ms);
    const early = fault && !fault.afterCommit ? faultOutcome(fault.action) : undefined;
    if (early) return early;

    try {
      authenticate(url.searchParams);
      if (!internals.limiter.tryAcquire(sdkAppId, command)) {
        throw new ApiFailure(Code.restFrequency, "REST API call frequency exceeds the limit, lower the request rate");
      }
      const body = parseBody(bodyText, operation.lossless === true);
      const ctx: OperationContext = {
        store,
        sdkAppId,
        identifier: url.searchParams.get("identifier") ?? "",
        now: nowSeconds,
        random: Math.random,
        policy: internals.policy,
        memberResults: memberResults(fault?.action),
      };
      const result = operation.run(body, ctx);
      if (operation.mutates) {
        await store.commit().catch(() => {
          throw new ApiFailure(Code.internal, "internal error, please retry");
        });
      }
      const late = fault?.afterCommit ? faultOutcome(fault.action) : undefined;
      return late ?? { kind: "json", status: 200, body: okBody(result), lossless: operation.lossless };
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err);
      return fail(new ApiFailure(Code.internal, "internal error, please retry"));
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = clock();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const note: { command?: string; fault?: string } = {};
    let bodyText = "";
    let outcome: Outcome;
    try {
      bodyText = await readBody(req);
      if (url.pathname.startsWith("/emulator/v1/")) {
        await handleControl(req, res, url, bodyText, internals);
        return;
      }
      outcome = await serveCommand(req, url, bodyText, note);
    } catch (err) {
      outcome =
        err instanceof BodyTooLarge
          ? { kind: "json", status: 413, body: failureBody(Code.httpParse, `request body exceeds ${MAX_BODY_BYTES} bytes`) }
          : { kind: "json", status: 200, body: failureBody(Code.internal, "internal error, please retry") };
    }
    if (internals.latencyMs > 0) await sleep(internals.latencyMs);

    const entry = {
      time: started,
      method: req.method ?? "",
      path: url.pathname,
      command: note.command,
      query: Object.fromEntries(url.searchParams),
      body: bodyText,
      fault: note.fault,
    };
    if (outcome.kind === "drop") {
      internals.log.add({ ...entry, httpStatus: 0 });
      req.socket.destroy();
      return;
    }
    const text = outcome.lossless ? (stringifyLossless(outcome.body) as string) : JSON.stringify(outcome.body);
    internals.log.add({ ...entry, httpStatus: outcome.status, errorCode: outcome.body.ErrorCode as number });
    res.writeHead(outcome.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      ...(outcome.status === 413 ? { connection: "close" } : {}),
    });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      // The socket may already be gone; there is no one left to answer.
      req.socket.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    sdkAppId,
    admin,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        waits.release();
      });
      await store.commit();
    },
  };
}
