/**
 * The emulator's side of HTTP: reading request bodies within bounds of size, time and
 * memory, writing answers, and holding answers back (latency, delay faults) in a way that
 * ends when the emulator closes.
 */
import type * as http from "node:http";

import { stringify as stringifyLossless } from "lossless-json";

/** Bodies beyond this are refused. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Bodies being read at once may hold at most this much memory together. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Why a body could not be read: each is answered in the service's error shape. */
export class BodyRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Reads bodies, counting the memory all of them hold at once. */
export class BodyReader {
  #buffered = 0;

  constructor(private readonly maxBuffered = MAX_BUFFERED_BYTES) {}

  /** The body as text, or a BodyRefused: too large, too slow, or the emulator too full. */
  read(req: http.IncomingMessage, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (err?: BodyRefused) => {
        // Once: a refused body is drained after, and its end must not count it out again.
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#buffered -= size;
        req.removeListener("data", onData);
        if (err) {
          req.resume();
          reject(err);
        } else {
          resolve(Buffer.concat(chunks).toString("utf8"));
        }
      };
      const timer = setTimeout(
        () => finish(new BodyRefused(408, `the request body did not arrive within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > MAX_BODY_BYTES)
          return finish(new BodyRefused(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
        if (this.#buffered + chunk.length > this.maxBuffered)
          return finish(new BodyRefused(503, "the emulator holds too many request bodies at once, retry"));
        size += chunk.length;
        this.#buffered += chunk.length;
        chunks.push(chunk);
      };
      req.on("data", onData);
      req.once("end", () => finish());
      req.once("error", () => finish(new BodyRefused(400, "the request body broke off")));
    });
  }
}

/** Writes a JSON answer; `close` ends the connection after it. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: Record<string, unknown>,
  options: { lossless?: boolean; close?: boolean } = {},
): void {
  const text = options.lossless ? (stringifyLossless(body) as string) : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(options.close ? { connection: "close" } : {}),
  });
  res.end(text);
}

/** Held answers (latency, delay faults): their timers end when the emulator closes, so none keeps a process alive. */
export class Waits {
  readonly #pending = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve();
      }, ms);
      this.#pending.set(timer, resolve);
    });
  }

  /** Ends every wait at once. */
  release(): void {
    for (const [timer, resolve] of this.#pending) {
      clearTimeout(timer);
      resolve();
    }
    this.#pending.clear();
  }
}
