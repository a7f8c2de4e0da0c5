/**
 * The emulator as a server: its options, the HTTP server with bounded header and body time,
 * and the running emulator handed back. What a call does is in dispatch.ts.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

import type { EmulatorInternals } from "./app";
import { requestHandler } from "./dispatch";
import { Envelope } from "./envelope";
import { CODE, failureBody } from "./errors";
import { FaultPlan } from "./faults";
import { BodyReader, Waits } from "./http-io";
import { DEFAULT_POLICY, type DestroyedGroupIds, type Plan, type Policy } from "./policy";
import { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT, ServiceRateLimiter } from "./rate-limit";
import { RequestLog } from "./request-log";
import { Store } from "./state";

export { MAX_BODY_BYTES } from "./http-io";

/** How an emulator is started: its app, key, port, limits, latency, faults and state file. */
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
  /** Up to this much more, at random, before each answer: a network that varies. @default 0 */
  latencyJitterMs?: number;
  /**
   * Up to this much, at random, before a call reaches the rate limit: calls a client spaces
   * evenly arrive bunched, as they do over a real network. @default 0
   */
  arrivalJitterMs?: number;
  /** JSON file to load and persist state to. @default none (memory only) */
  stateFile?: string;
  /** Whether a dissolved group's custom ID may be created again at once. @default "reusable" */
  destroyedGroupIds?: DestroyedGroupIds;
  /** The app's plan: paid plans refuse a deleted UserID for three months. @default "trial" */
  plan?: Plan;
  /** The answers Tencent leaves open (Work-group admins, text limits, get_topic for a missing topic, ErrorInfo texts): see policy.ts. */
  policy?: Partial<Policy>;
  /** Longest a request may take to arrive, headers and body; then it is answered 408. @default 10000 */
  requestTimeoutMs?: number;
  /** Memory all request bodies being read at once may hold; past it a request is answered 503. @default 64 MiB */
  maxBufferedBytes?: number;
  /** Clock in Unix milliseconds. @default Date.now */
  clock?: () => number;
  /**
   * A secret the control endpoints (`/emulator/v1/`: reset, state, faults) then require, in the
   * `x-emulator-control-token` header; give one to an emulator other machines can reach.
   * @default none: they answer anyone who reaches the port
   */
  controlToken?: string;
}

/** An emulator that is serving. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:9080`: one a client on this machine can reach. */
  url: string;
  sdkAppId: number;
  admin: string;
  /** Stops serving, closes connections and finishes pending state writes. */
  close(): Promise<void>;
}

/** The SDKAppID the emulator serves when none is configured. */
export const DEFAULT_SDKAPPID = 1400000000;
/** The App admin account the emulator accepts when none is configured. */
export const DEFAULT_ADMIN = "administrator";

function checkOptions(options: EmulatorOptions): void {
  if (!options.secretKey) throw new Error("startEmulator: secretKey is required");
  const sdkAppId = options.sdkAppId ?? DEFAULT_SDKAPPID;
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0)
    throw new Error("startEmulator: sdkAppId must be a positive integer");
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs >= 1))
    throw new Error("startEmulator: requestTimeoutMs must be 1 or more");
}

async function internalsFor(options: EmulatorOptions): Promise<EmulatorInternals> {
  const clock = options.clock ?? Date.now;
  const nowSeconds = () => Math.floor(clock() / 1000);
  const sdkAppId = options.sdkAppId ?? DEFAULT_SDKAPPID;
  const admin = options.admin ?? DEFAULT_ADMIN;
  const rateLimits = { ...DEFAULT_COMMAND_RATE_LIMITS, ...options.rateLimits };
  return {
    sdkAppId,
    clock,
    store: await Store.open(admin, options.stateFile, nowSeconds),
    faults: new FaultPlan(),
    log: new RequestLog(),
    limiter: new ServiceRateLimiter({ rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT, rateLimits }, clock),
    envelope: new Envelope(sdkAppId, options.secretKey, admin, nowSeconds),
    bodies: new BodyReader(options.maxBufferedBytes),
    waits: new Waits(),
    latencyMs: options.latencyMs ?? 0,
    latencyJitterMs: options.latencyJitterMs ?? 0,
    arrivalJitterMs: options.arrivalJitterMs ?? 0,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    policy: {
      ...DEFAULT_POLICY,
      ...options.policy,
      destroyedGroupIds:
        options.destroyedGroupIds ?? options.policy?.destroyedGroupIds ?? DEFAULT_POLICY.destroyedGroupIds,
      plan: options.plan ?? options.policy?.plan ?? DEFAULT_POLICY.plan,
    },
    controlToken: options.controlToken,
    generation: 0,
  };
}

/** An HTTP server whose requests must arrive in time; a late one is answered in the service's shape. */
function createServer(app: EmulatorInternals): http.Server {
  // Node checks its timeouts every connectionsCheckingInterval: once a second, not every 30.
  const server = http.createServer(
    { connectionsCheckingInterval: Math.min(1000, app.requestTimeoutMs) },
    requestHandler(app),
  );
  server.headersTimeout = app.requestTimeoutMs;
  server.requestTimeout = app.requestTimeoutMs + 1000;
  server.keepAliveTimeout = 60_000;
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const timedOut = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
    const text = JSON.stringify(
      failureBody(
        CODE.httpParse,
        timedOut ? `the request did not arrive within ${app.requestTimeoutMs} ms` : "malformed HTTP request",
      ),
    );
    const status = timedOut ? "408 Request Timeout" : "400 Bad Request";
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });
  return server;
}

/** A URL a local client can use: an emulator listening on every address is reached on loopback. */
function reachableUrl(address: AddressInfo): string {
  const any = address.address === "0.0.0.0" || address.address === "::";
  const host = any
    ? address.family === "IPv6"
      ? "[::1]"
      : "127.0.0.1"
    : address.family === "IPv6"
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Starts an emulator of the Chat REST API on loopback (port 0 for any free port) and resolves once it listens.
 *
 * ```ts
 * const emulator = await startEmulator({ port: 0, secretKey: "local-key" });
 * // point tencent-chat:endpoint at emulator.url ... then:
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  checkOptions(options);
  const app = await internalsFor(options);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    url: reachableUrl(server.address() as AddressInfo),
    sdkAppId: app.sdkAppId,
    admin: options.admin ?? DEFAULT_ADMIN,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        app.waits.release();
      });
      await app.store.commit();
    },
  };
}
