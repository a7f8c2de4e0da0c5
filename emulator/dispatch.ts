/**
 * One API call, from the request to the answer: the route, fault injection, the envelope,
 * the frequency limit, the command itself, persistence, and the answer in the service's
 * shape. Control endpoints (`/emulator/v1/`) branch off first.
 */
import type * as http from "node:http";

import { MAX_ANSWER_BYTES } from "../chat-api/codes";
import type { EmulatorInternals } from "./app";
import { handleControl } from "./control";
import { parseBody } from "./envelope";
import { ApiFailure, CODE, errorText, failureBody, okBody } from "./errors";
import type { FaultAction, FaultDecision } from "./faults";
import { BodyRefused, sendJson } from "./http-io";
import { SERVICES } from "./operations";
import type { Operation, OperationContext } from "./operations/context";
import { StateWriteError } from "./state";

/** What one call produced, before it is written. */
type Outcome = { kind: "json"; status: number; body: Record<string, unknown>; lossless?: boolean } | { kind: "drop" };

/** What the request log notes besides the request. */
interface Note {
  command?: string;
  fault?: string;
}

const failed = (e: ApiFailure, app?: EmulatorInternals): Outcome => ({
  kind: "json",
  status: 200,
  body: failureBody(e.errorCode, errorText(e.errorCode, e.errorInfo, app?.policy.errorTexts === "terse")),
});

function faultOutcome(action: FaultAction): Outcome | undefined {
  switch (action.kind) {
    case "error":
      return { kind: "json", status: 200, body: failureBody(action.errorCode, action.errorInfo ?? "injected fault") };
    case "http":
      return {
        kind: "json",
        status: action.status,
        body: failureBody(CODE.internal, `HTTP ${action.status} (injected)`),
      };
    case "drop":
      return { kind: "drop" };
    case "delay":
    case "memberResult":
      return undefined;
  }
}

/** The add_group_member results a memberResult fault forces, by account. */
function memberResults(action: FaultAction | undefined): Map<string, 0 | 3> | undefined {
  if (action?.kind !== "memberResult") return undefined;
  return new Map((action.accounts ?? ["*"]).map((a) => [a, action.result]));
}

/** The operation a path names, or the failure the service answers for it. Own names only. */
function route(method: string | undefined, pathname: string, note: Note): Operation | ApiFailure {
  if (method !== "POST") return new ApiFailure(CODE.httpParse, "only POST is supported");
  const match = /^\/v4\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)$/.exec(pathname);
  if (!match) return new ApiFailure(CODE.resourceNotFound, "request resource error, check the URL");
  const [, service, command] = match;
  note.command = command;
  if (!Object.hasOwn(SERVICES, service)) return new ApiFailure(CODE.resourceNotFound, `unknown service ${service}`);
  const commands = SERVICES[service];
  if (!Object.hasOwn(commands, command)) return new ApiFailure(CODE.badCommand, `invalid command ${command}`);
  return commands[command];
}

async function serveCommand(
  app: EmulatorInternals,
  req: http.IncomingMessage,
  url: URL,
  bodyText: string,
  note: Note,
): Promise<Outcome> {
  const operation = route(req.method, url.pathname, note);
  if (operation instanceof ApiFailure) return failed(operation, app);
  const command = note.command as string;
  // Faults are this app's: a request that is not signed for it never takes one.
  try {
    app.envelope.check(url.searchParams);
  } catch (err) {
    if (err instanceof ApiFailure) return failed(err, app);
    throw err;
  }
  const generation = app.generation;
  const fault = app.faults.take(command);
  if (fault) note.fault = fault.afterCommit ? `${fault.action.kind} after commit` : fault.action.kind;
  // A delay holds the call before it is carried out, or with afterCommit, its answer after.
  if (fault?.action.kind === "delay" && !fault.afterCommit) await app.waits.sleep(fault.action.ms);
  // Reset while it waited: the world it was sent to is gone, and so is its answer.
  if (app.generation !== generation) return { kind: "drop" };
  const early = fault && !fault.afterCommit ? faultOutcome(fault.action) : undefined;
  const outcome = early ?? (await run(app, command, operation, url, bodyText, fault));
  if (fault?.action.kind === "delay" && fault.afterCommit) await app.waits.sleep(fault.action.ms);
  return outcome;
}

async function run(
  app: EmulatorInternals,
  command: string,
  operation: Operation,
  url: URL,
  bodyText: string,
  fault: FaultDecision | undefined,
): Promise<Outcome> {
  try {
    if (!app.limiter.tryAcquire(app.sdkAppId, command)) {
      throw new ApiFailure(CODE.restFrequency, "REST API call frequency exceeds the limit, lower the request rate");
    }
    const ctx: OperationContext = {
      store: app.store,
      sdkAppId: app.sdkAppId,
      identifier: url.searchParams.get("identifier") ?? "",
      now: () => Math.floor(app.clock() / 1000),
      random: Math.random,
      policy: app.policy,
      memberResults: memberResults(fault?.action),
    };
    const result = operation.run(parseBody(bodyText, operation.lossless === true), ctx);
    if (operation.mutates) await app.store.commit();
    const late = fault?.afterCommit ? faultOutcome(fault.action) : undefined;
    const body = okBody(result);
    // The service sends no answer over 1 MB: a read that would is refused, to be asked again for less.
    if (
      !late &&
      !operation.mutates &&
      !operation.lossless &&
      Buffer.byteLength(JSON.stringify(body)) > MAX_ANSWER_BYTES
    ) {
      throw new ApiFailure(
        CODE.answerTooLarge,
        "the response packet exceeds the length limit of 1 MB: reduce the amount of data in a single request",
      );
    }
    return late ?? { kind: "json", status: 200, body, lossless: operation.lossless };
  } catch (err) {
    if (err instanceof ApiFailure) return failed(err, app);
    if (err instanceof StateWriteError) {
      // Not kept, so not done: refused as a server that lost its disk would, never answered as a success.
      console.error(`tencent-chat-emulator: ${command} refused: ${err.message}`);
      return {
        kind: "json",
        status: 503,
        body: failureBody(CODE.internal, `${err.message}: nothing was changed, please retry`),
      };
    }
    // A bug: said where someone can see it, answered as the service does.
    console.error(`tencent-chat-emulator: ${command} failed unexpectedly:`, err);
    return failed(new ApiFailure(CODE.internal, "internal error, please retry"));
  }
}

async function handle(app: EmulatorInternals, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = app.clock();
  const arrival = app.log.arrive();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const note: Note = {};
  let bodyText: string;
  try {
    bodyText = await app.bodies.read(req, app.requestTimeoutMs);
  } catch (err) {
    const refused = err instanceof BodyRefused ? err : new BodyRefused(400, "the request could not be read");
    app.log.add(
      {
        time: started,
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: "",
        httpStatus: refused.status,
      },
      arrival,
    );
    return sendJson(
      res,
      refused.status,
      failureBody(refused.status === 503 ? CODE.internal : CODE.httpParse, refused.reason),
      { close: true },
    );
  }
  if (url.pathname.startsWith("/emulator/v1/")) return handleControl(req, res, url, bodyText, app);
  // The way in varies too: calls sent evenly reach the limit bunched.
  if (app.arrivalJitterMs > 0) await app.waits.sleep(Math.random() * app.arrivalJitterMs);
  const outcome = await serveCommand(app, req, url, bodyText, note);
  const latency = app.latencyMs + Math.random() * app.latencyJitterMs;
  if (latency > 0) await app.waits.sleep(latency);
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
    app.log.add({ ...entry, httpStatus: 0 }, arrival);
    req.socket.destroy();
    return;
  }
  app.log.add({ ...entry, httpStatus: outcome.status, errorCode: outcome.body.ErrorCode as number }, arrival);
  sendJson(res, outcome.status, outcome.body, { lossless: outcome.lossless });
}

/** The server's request listener. */
export function requestHandler(app: EmulatorInternals): http.RequestListener {
  return (req, res) => {
    handle(app, req, res).catch((err: unknown) => {
      console.error("tencent-chat-emulator: a request failed unexpectedly:", err);
      req.socket.destroy();
    });
  };
}
