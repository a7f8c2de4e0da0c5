/**
 * Tests that need a real redis-server: where it is not installed they are reported as not
 * run, with the reason; under CI (CI=true) that is a failure instead.
 */
import * as net from "node:net";

import { REDIS_SERVER } from "../../harness/redis-process";

export { type RunningRedis, startRedis } from "../../harness/redis-process";

/**
 * `describe` for tests that need redis-server: without it they are skipped with the reason in
 * their name (the run's summary lists them), and under CI they fail instead.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER) return describe(name, body);
  if (process.env.CI === "true") {
    return describe(name, () => {
      it("needs redis-server, which CI must install (.ci/run does)", () => {
        throw new Error("redis-server is not installed");
      });
    });
  }
  describe.skip(`${name} [not run: redis-server is not installed]`, body);
}

/** A TCP server that speaks just enough of Redis's protocol to hand ioredis the answers a test chooses. */
export interface FakeRedis {
  url: string;
  close(): Promise<void>;
}

/**
 * Answers INFO as a ready Redis does and every script call (EVAL, EVALSHA) with `scriptReply`,
 * a raw RESP reply such as `$3\r\nNaN\r\n`; anything else with +OK.
 */
export async function startFakeRedis(scriptReply: string, password = "pw-secret-1"): Promise<FakeRedis> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = "";
    socket.on("data", (data: Buffer) => {
      buffered += data.toString("latin1");
      for (;;) {
        const parsed = takeCommand(buffered);
        if (!parsed) break;
        buffered = buffered.slice(parsed.length);
        const name = parsed.args[0]?.toUpperCase();
        if (name === "INFO") socket.write(bulk("# Server\r\nredis_version:7.0.0\r\nloading:0\r\n"));
        else if (name === "EVAL" || name === "EVALSHA") socket.write(scriptReply);
        else socket.write("+OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

const bulk = (text: string) => `$${Buffer.byteLength(text, "latin1")}\r\n${text}\r\n`;

/** One command (`*N` then N bulk strings) from the front of `text`, or undefined when it is not all there. */
function takeCommand(text: string): { args: string[]; length: number } | undefined {
  const header = /^\*(\d+)\r\n/.exec(text);
  if (!header) return undefined;
  let at = header[0].length;
  const args: string[] = [];
  for (let i = 0; i < Number(header[1]); i++) {
    const size = /^\$(\d+)\r\n/.exec(text.slice(at));
    if (!size) return undefined;
    at += size[0].length;
    if (text.length < at + Number(size[1]) + 2) return undefined;
    args.push(text.slice(at, at + Number(size[1])));
    at += Number(size[1]) + 2;
  }
  return { args, length: at };
}
