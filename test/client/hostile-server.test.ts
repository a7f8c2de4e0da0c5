/**
 * The client against servers that misbehave on purpose, each a few lines on a loopback port:
 * answers that trickle, never end, are huge, are HTML, redirect, ask to wait, echo the
 * signature back, or carry numbers and keys meant to confuse a parser. Every call must end
 * within its deadline, read a bounded amount, and leave no secret in what it reports.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { inspect } from "node:util";

import { ChatClient } from "../../provider/client/client";
import { type ChatApiError, isChatApiError } from "../../provider/client/errors";
import type { ChatClientOptions } from "../../provider/client/options";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { ADMIN, TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";

interface Hostile {
  url: string;
  /** UserSigs the server was sent. */
  sigs: string[];
  /** Requests it received. */
  hits: number;
  close(): Promise<void>;
}

/** An HTTP server that records each request's UserSig, then answers with `answer`. */
async function hostile(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, sig: string) => void,
): Promise<Hostile> {
  const server = http.createServer((req, res) => {
    const sig = new URL(req.url ?? "/", "http://x").searchParams.get("usersig") ?? "";
    h.sigs.push(sig);
    h.hits++;
    req.resume();
    req.on("end", () => answer(req, res, sig));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const h: Hostile = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sigs: [],
    hits: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return h;
}

/** A TCP server that accepts and does whatever `onSocket` does: for answers HTTP cannot express. */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const delays: number[] = [];
let slept = 0;
const client = (endpoint: string, options: Partial<ChatClientOptions> = {}) =>
  new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
    timeoutMs: 400,
    maxAttempts: 2,
    sleep: async (ms) => {
      delays.push(ms);
      slept += ms;
    },
    now: () => Date.now() + slept,
    random: () => 0.5,
    ...options,
  });

async function failure(promise: Promise<unknown>): Promise<ChatApiError> {
  try {
    await promise;
  } catch (err) {
    if (isChatApiError(err)) return err;
    throw err;
  }
  throw new Error("the call was expected to fail");
}

/** Everything a user could see of an error. */
const printed = (err: ChatApiError) =>
  [err.message, err.info, String(err.stack), inspect(err, { depth: 5 }), JSON.stringify(err)].join("\n");

/** For the closing figures: each case, whether it ended in time, the memory it grew by, secrets seen. */
const figures: { name: string; ended: boolean; heapMiB: number; secrets: number }[] = [];

/** Memory JavaScript holds: the heap, and the buffers outside it where answers are read. */
const held = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

async function measured<T>(
  name: string,
  run: () => Promise<T>,
  secretsIn?: (result: T) => { text: string; sigs: string[] },
): Promise<T> {
  const before = held();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, held())), 2);
  try {
    const result = await run();
    const seen = secretsIn?.(result);
    const secrets = seen ? [TEST_KEY, ...seen.sigs].filter((s) => s && seen.text.includes(s)).length : 0;
    figures.push({ name, ended: true, heapMiB: (peak - before) / 1048576, secrets });
    return result;
  } finally {
    clearInterval(sampler);
  }
}

beforeEach(() => {
  delays.length = 0;
});
afterAll(() => {
  const rows = figures.map(
    (f) =>
      `  ${f.name.padEnd(48)} ended: ${f.ended ? "yes" : "NO "}  peak memory +${f.heapMiB.toFixed(1)} MiB  secrets found: ${f.secrets}`,
  );
  console.log(`Hostile servers: ${figures.length} cases\n${rows.join("\n")}`);
});

describe("answers that never end", () => {
  it("drops an answer that trickles a byte at a time once the attempt's deadline passes", async () => {
    const server = await rawServer((socket) => {
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{");
        const timer = setInterval(() => socket.write(" "), 100);
        socket.on("close", () => clearInterval(timer));
      });
    });
    try {
      const err = await measured("trickle, one byte every 100 ms", () =>
        failure(client(server.url).getGroupInfo(["g"])),
      );
      expect(err).toMatchObject({ kind: "timeout", attempts: 2, uncertain: true });
    } finally {
      await server.close();
    }
  });

  it("gives up on a server that accepts and never answers", async () => {
    const server = await rawServer(() => undefined);
    try {
      const err = await measured("silent after connecting", () => failure(client(server.url).getGroupInfo(["g"])));
      expect(err).toMatchObject({ kind: "timeout", attempts: 2 });
    } finally {
      await server.close();
    }
  });

  it("stops reading an endless answer at the size cap", async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on("drain", pump);
      res.on("close", () => res.removeListener("drain", pump));
      pump();
    });
    try {
      const err = await measured("endless body, 2 MiB cap", () =>
        failure(client(server.url, { maxAnswerBytes: 2 * 1048576, timeoutMs: 5000 }).getGroupInfo(["g"])),
      );
      expect(err).toMatchObject({ kind: "network" });
      expect(err.message).toMatch(/exceeds 2097152 bytes/);
    } finally {
      await server.close();
    }
  });

  it("refuses an answer that declares more than the cap without reading it", async () => {
    const server = await rawServer((socket) => {
      socket.once("data", () =>
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n{"),
      );
    });
    try {
      const err = await measured("declares 100 MB", () => failure(client(server.url).getGroupInfo(["g"])));
      expect(err.message).toMatch(/declares 104857600 bytes/);
    } finally {
      await server.close();
    }
  });

  it("keeps memory bounded with eight 100 MB answers read at once", async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 100 * 1048576 && res.write(chunk)) sent += chunk.length;
      };
      res.on("drain", pump);
      pump();
    });
    try {
      const c = client(server.url, { timeoutMs: 10_000, maxAttempts: 1 });
      await measured("8 parallel 100 MB answers, 8 MiB cap", () =>
        Promise.all(Array.from({ length: 8 }, (_, i) => failure(c.getGroupInfo([`g${i}`])))),
      );
      expect(figures[figures.length - 1].heapMiB).toBeLessThan(100);
    } finally {
      await server.close();
    }
  });
});

describe("answers that are not the service's", () => {
  it("reports an HTML 502 page as HTTP 502 and retries it", async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    try {
      const err = await measured("HTML 502", () => failure(client(server.url).getGroupInfo(["g"])));
      expect(err).toMatchObject({ kind: "http", httpStatus: 502, attempts: 2 });
      expect(server.hits).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("does not follow a redirect to another host, so the signature goes nowhere else", async () => {
    const elsewhere = await hostile((_req, res) => res.end("{}"));
    const server = await hostile((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v4/group_open_http_svc/get_group_info?usersig=stolen` });
      res.end();
    });
    try {
      const err = await measured("302 to another host", () => failure(client(server.url).getGroupInfo(["g"])));
      expect(err).toMatchObject({ kind: "http", httpStatus: 302, attempts: 1 });
      expect(elsewhere.hits).toBe(0);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it.each([
    ["429 with Retry-After in seconds", 429, () => "2"],
    // HTTP dates have whole seconds: three from now is two to three seconds away.
    ["503 with Retry-After as a date", 503, () => new Date(Date.now() + 3000).toUTCString()],
  ])("waits as long as a %s asks, within the cap, and slows the pacer", async (_label, status, retryAfter) => {
    let calls = 0;
    const server = await hostile((_req, res) => {
      if (calls++ === 0) {
        res.writeHead(status, { "retry-after": retryAfter() });
        return res.end();
      }
      res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, GroupInfo: [] }));
    });
    const limiter = new RateLimiter({ rateLimit: 0 });
    const slowed: string[] = [];
    limiter.answered = (command: string, throttled: boolean) => void (throttled && slowed.push(command));
    try {
      await measured(`${status} with Retry-After`, () =>
        client(server.url, { rateLimiter: limiter }).getGroupInfo(["g"]),
      );
      expect(delays).toHaveLength(1);
      expect(delays[0]).toBeGreaterThanOrEqual(1000);
      expect(delays[0]).toBeLessThanOrEqual(3100);
      expect(slowed).toEqual(["get_group_info"]);
    } finally {
      await server.close();
    }
  });

  it("caps a Retry-After that asks for an hour", async () => {
    const server = await hostile((_req, res) => {
      res.writeHead(429, { "retry-after": "3600" });
      res.end();
    });
    try {
      await measured("Retry-After: 3600", () =>
        failure(client(server.url, { maxRetryAfterMs: 5000, throttleDeadlineMs: 9000 }).getGroupInfo(["g"])),
      );
      // At most maxRetryAfterMs, and never past the throttling deadline: the second wait is what is left of it.
      expect(delays).toHaveLength(2);
      expect(delays[0]).toBe(5000);
      expect(delays[1]).toBeGreaterThan(0);
      expect(delays[0] + delays[1]).toBeLessThanOrEqual(9000);
    } finally {
      await server.close();
    }
  });

  it("reads 64-bit numbers without breaking, and keeps the list cursor exact", async () => {
    const server = await hostile((req, res) => {
      const body = req.url?.includes("get_appid_group_list")
        ? '{"ActionStatus":"OK","ErrorCode":0,"TotalCount":18446744073709551615,"GroupIdList":[{"GroupId":"a"}],"Next":18446744073709551614}'
        : '{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[{"GroupId":"a","ErrorCode":0,"CreateTime":9223372036854775807,"MemberNum":18446744073709551615}]}';
      res.end(body);
    });
    try {
      const c = client(server.url);
      const page = await measured("64-bit numbers", () => c.listGroups());
      expect(page.next).toBe(18446744073709551614n);
      const [info] = await c.getGroupInfo(["a"]);
      expect(info.GroupId).toBe("a");
    } finally {
      await server.close();
    }
  });

  it("is not steered by __proto__ keys in an answer", async () => {
    const server = await hostile((_req, res) => {
      res.end(
        '{"ActionStatus":"OK","ErrorCode":0,"__proto__":{"polluted":1},"GroupInfo":[{"GroupId":"a","ErrorCode":0,"__proto__":{"Owner_Account":"evil","Type":"AVChatRoom"}}]}',
      );
    });
    try {
      const [info] = await measured("__proto__ keys", () => client(server.url).getGroupInfo(["a"]));
      expect(info.Owner_Account).toBeUndefined();
      expect(info.Type).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(info)).toBe(Object.prototype);
    } finally {
      await server.close();
    }
  });
});

describe("answers that echo the signature", () => {
  const forms: [string, (sig: string) => string][] = [
    ["plain, in ErrorInfo", (sig) => `usersig ${sig} is not valid`],
    ["JSON-escaped, in ErrorInfo", (sig) => JSON.stringify({ usersig: sig })],
    ["percent-encoded", (sig) => `bad request: usersig%3D${encodeURIComponent(sig)}`],
    ["in standard Base64", (sig) => `sig=${sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=")}`],
    ["cut short", (sig) => `truncated ${sig.slice(0, 120)}`],
  ];

  it.each(forms)("keeps a signature echoed %s out of the error", async (label, echo) => {
    const server = await hostile((_req, res, sig) =>
      res.end(JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 70003, ErrorInfo: echo(sig) })),
    );
    try {
      const err = await measured(
        `echoed signature, ${label}`,
        () => failure(client(server.url).getGroupInfo(["g"])),
        (e) => ({ text: printed(e), sigs: server.sigs }),
      );
      expect(err.errorCode).toBe(70003);
      const text = printed(err);
      for (const sig of server.sigs) expect(text).not.toContain(sig);
      expect(text).not.toContain(server.sigs[0].slice(0, 60));
      expect(text).not.toContain(TEST_KEY);
    } finally {
      await server.close();
    }
  });

  it.each([
    ["as it is", (sig: string) => sig],
    ["in Base64", (sig: string) => Buffer.from(sig).toString("base64")],
    ["in hex", (sig: string) => Buffer.from(sig).toString("hex")],
    ["spread with spaces", (sig: string) => [...sig].join(" ")],
  ])(
    "keeps a signature a successful answer echoes %s in a name, an introduction or custom data out of what the caller gets",
    async (_label, echo) => {
      const server = await hostile((_req, res, sig) => {
        const text = `room ${echo(sig)}`;
        res.end(
          JSON.stringify({
            ActionStatus: "OK",
            ErrorCode: 0,
            GroupInfo: [
              {
                GroupId: "g",
                ErrorCode: 0,
                Type: "Public",
                Name: text,
                Introduction: text,
                AppDefinedData: [{ Key: "k", Value: text }],
              },
            ],
          }),
        );
      });
      try {
        const [info] = await client(server.url).getGroupInfo(["g"]);
        const got = JSON.stringify(info);
        expect(info.Name).toMatch(/^room .*\[redacted\]/);
        for (const sig of server.sigs) {
          for (const form of [sig, Buffer.from(sig).toString("base64"), Buffer.from(sig).toString("hex")])
            expect(got.replace(/\s/g, "")).not.toContain(form.slice(8, 48));
        }
      } finally {
        await server.close();
      }
    },
  );

  it("keeps a signature echoed in an HTTP error page out of the error", async () => {
    const server = await hostile((req, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end(`<pre>upstream error for ${req.url}</pre>`);
    });
    try {
      const err = await measured(
        "echoed URL in a 500 page",
        () => failure(client(server.url).getGroupInfo(["g"])),
        (e) => ({ text: printed(e), sigs: server.sigs }),
      );
      for (const sig of server.sigs) expect(printed(err)).not.toContain(sig);
    } finally {
      await server.close();
    }
  });
});
