import { inspect } from "node:util";

import { ERROR_HINTS } from "../../chat-api/hints";
import { ChatApiError, isChatApiError } from "../../provider/client/errors";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { testClient } from "../helpers/client";
import { TEST_KEY, useEmulator } from "../helpers/emulator";
import { startStubServer } from "../helpers/stub-server";
import { VirtualClock } from "../helpers/virtual-clock";

const emu = useEmulator();

async function caught(promise: Promise<unknown>): Promise<ChatApiError> {
  try {
    await promise;
  } catch (err) {
    if (isChatApiError(err)) return err;
    throw err;
  }
  throw new Error("expected a ChatApiError");
}

const attempts = async (command: string) => (await emu().control.requests(command)).length;
const read = (client: ReturnType<typeof testClient>["client"]) => client.getGroupInfo(["x"]);

describe("errors", () => {
  it("turns an API failure into a ChatApiError with command, ErrorCode, ErrorInfo, HTTP status and attempts", async () => {
    const { client } = testClient(emu());
    const err = await caught(client.createGroup({ Type: "Public", Name: "n".repeat(101), GroupId: "long" }));
    expect(err).toBeInstanceOf(ChatApiError);
    expect(err).toMatchObject({ command: "create_group", kind: "api", errorCode: 10004, httpStatus: 200, attempts: 1 });
    expect(err.info).toContain("Name");
    expect(err.message).toBe(`create_group failed: 10004 ${err.info}. ${ERROR_HINTS[10004]}`);
  });

  it("carries no id and no numeric code, which Pulumi's host would misread", async () => {
    const { client } = testClient(emu());
    const err = await caught(client.changeGroupOwner("nope", "x"));
    expect("id" in err).toBe(false);
    expect(typeof err.code).toBe("string");
    expect(err.errorCode).toBe(10010);
  });

  it("reports an HTTP failure with its status", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "http", status: 502 }, times: 3 });
    const err = await caught(read(testClient(emu(), { maxAttempts: 3 }).client));
    expect(err).toMatchObject({ kind: "http", httpStatus: 502, errorCode: 0, attempts: 3 });
    expect(err.message).toBe("get_group_info failed: HTTP 502 (after 3 attempts)");
  });

  it("reports a dropped connection as a network failure with its cause", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "drop" }, times: 2 });
    const err = await caught(read(testClient(emu(), { maxAttempts: 2 }).client));
    expect(err).toMatchObject({ kind: "network", attempts: 2 });
    expect(err.cause).toBeInstanceOf(Error);
  });

  it("reports no answer within timeoutMs as a timeout", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "delay", ms: 1500 } });
    const err = await caught(read(testClient(emu(), { maxAttempts: 1, timeoutMs: 200 }).client));
    expect(err).toMatchObject({ kind: "timeout", attempts: 1 });
  });

  it("reports a 200 answer that is not the documented JSON as an invalid response, without retrying", async () => {
    let calls = 0;
    const stub = await startStubServer((_req, res) => {
      calls++;
      res.end("<html>gateway</html>");
    });
    try {
      const err = await caught(testClient(emu(), { endpoint: stub.url }).client.getGroupInfo(["x"]));
      expect(err).toMatchObject({ kind: "invalid-response", attempts: 1 });
      expect(calls).toBe(1);
    } finally {
      await stub.close();
    }
  });

  it("checks successful bodies against the command's schema", async () => {
    const stub = await startStubServer((_req, res) =>
      res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, GroupInfo: [{ GroupId: 7 }] })),
    );
    try {
      const err = await caught(testClient(emu(), { endpoint: stub.url }).client.getGroupInfo(["x"]));
      expect(err).toMatchObject({ kind: "invalid-response" });
      expect(err.info).toMatch(/GroupInfo\.0\.GroupId/);
    } finally {
      await stub.close();
    }
  });
});

describe("retries", () => {
  it.each([60007, 60011, 60018, 60019, 10006])(
    "retries the throttling code %d in the pacer's next slot, with no backoff of its own",
    async (errorCode) => {
      await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode }, times: 2 });
      const { client, delays } = testClient(emu());
      await read(client);
      expect(await attempts("get_group_info")).toBe(3);
      expect(delays).toEqual([]);
    },
  );

  it("retries throttling answers past maxAttempts, until the throttling deadline", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 60007 }, times: 20 });
    await read(testClient(emu(), { maxAttempts: 2 }).client);
    expect(await attempts("get_group_info")).toBe(21);
  });

  /** A server answering every call 429 with this Retry-After, and a client on a virtual clock with this throttling deadline. */
  async function throttlingServer(retryAfterSeconds: number, throttleDeadlineMs: number) {
    const stub = await startStubServer((_req, res) => {
      res.writeHead(429, { "retry-after": String(retryAfterSeconds) });
      res.end();
    });
    const clock = new VirtualClock();
    return {
      stub,
      clock,
      ...testClient(emu(), { endpoint: stub.url, throttleDeadlineMs, now: clock.now, sleep: clock.sleep }),
    };
  }

  it("never waits past the throttling deadline, whatever Retry-After asks for", async () => {
    // A day, against a deadline of three seconds.
    const { stub, clock, client, delays } = await throttlingServer(86_400, 3000);
    try {
      const started = clock.now();
      const err = await caught(read(client));
      expect(err).toMatchObject({ kind: "http", httpStatus: 429 });
      expect(delays).toEqual([3000]);
      expect(clock.now() - started).toBe(3000);
    } finally {
      await stub.close();
    }
  });

  it("gives up on throttling once the throttling deadline has passed, saying how many attempts it made", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "http", status: 429 }, times: 100 });
    // Each answer asks to wait two seconds; the deadline is five.
    const { stub, client, delays } = await throttlingServer(2, 5000);
    try {
      const err = await caught(read(client));
      expect(err).toMatchObject({ kind: "http", httpStatus: 429, attempts: 4 });
      // The third wait is what is left of the deadline.
      expect(delays).toEqual([2000, 2000, 1000]);
    } finally {
      await stub.close();
    }
  });

  it.each([
    ["ErrorCode 10002", { kind: "error", errorCode: 10002 }],
    ["ErrorCode 70500", { kind: "error", errorCode: 70500 }],
    ["HTTP 502", { kind: "http", status: 502 }],
    ["HTTP 503", { kind: "http", status: 503 }],
    ["a dropped connection", { kind: "drop" }],
  ] as const)("retries %s", async (_label, action) => {
    await emu().control.addFault({ command: "get_group_info", action, times: 3 });
    await read(testClient(emu()).client);
    expect(await attempts("get_group_info")).toBe(4);
  });

  it.each([10003, 10004, 10007, 60010, 70003, 70009, 70013])(
    "does not retry the permanent code %d",
    async (errorCode) => {
      await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode } });
      const err = await caught(read(testClient(emu()).client));
      expect(err).toMatchObject({ errorCode, attempts: 1 });
      expect(await attempts("get_group_info")).toBe(1);
    },
  );

  it("gives up after maxAttempts, naming the attempts", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 10002 }, times: 10 });
    const { client, delays } = testClient(emu(), { maxAttempts: 4 });
    const err = await caught(read(client));
    expect(err).toMatchObject({ errorCode: 10002, attempts: 4 });
    expect(err.message).toContain("after 4 attempts");
    expect(await attempts("get_group_info")).toBe(4);
    expect(delays).toHaveLength(3);
  });

  it("caps the backoff at maxDelayMs", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 10002 }, times: 7 });
    const { client, delays } = testClient(emu(), { random: () => 0.999, baseDelayMs: 100, maxDelayMs: 1000 });
    await read(client);
    expect(delays).toEqual([99, 199, 399, 799, 999, 999, 999]);
  });

  it("reports each retry to onRetry", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 10002 } });
    const events: unknown[] = [];
    await read(
      testClient(emu(), {
        onRetry: (e) => events.push({ command: e.command, attempt: e.attempt, code: e.error.errorCode }),
      }).client,
    );
    expect(events).toEqual([{ command: "get_group_info", attempt: 1, code: 10002 }]);
  });

  it("tells the limiter when the service throttles, which slows it down", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 60007 } });
    const limiter = new RateLimiter({ rateLimit: 5 });
    await read(testClient(emu(), { rateLimiter: limiter }).client);
    expect(limiter.currentRate("get_group_info")).toBeLessThan(5);
  });

  describe("never duplicating a create", () => {
    it("does not retry a create_group that names no GroupId", async () => {
      await emu().control.addFault({ command: "create_group", action: { kind: "error", errorCode: 10002 } });
      const err = await caught(testClient(emu()).client.createGroup({ Type: "Public", Name: "n" }));
      expect(err).toMatchObject({ errorCode: 10002, attempts: 1 });
      expect(await attempts("create_group")).toBe(1);
    });

    it("does not retry a create_group without GroupId even after a dropped connection", async () => {
      await emu().control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
      await caught(testClient(emu()).client.createGroup({ Type: "Public", Name: "n" }));
      expect((await emu().control.state()).groups).toHaveLength(1);
      expect(await attempts("create_group")).toBe(1);
    });

    it("retries a create_group that names its GroupId", async () => {
      await emu().control.addFault({ command: "create_group", action: { kind: "http", status: 502 } });
      expect(await testClient(emu()).client.createGroup({ Type: "Public", Name: "n", GroupId: "named" })).toEqual({
        groupId: "named",
        recovered: false,
      });
      expect(await attempts("create_group")).toBe(2);
    });

    it("reads the group back when the answer was lost and every retry failed, and reports it recovered only when it is the one asked for", async () => {
      await emu().control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
      await emu().control.addFault({ command: "create_group", action: { kind: "http", status: 502 }, times: 2 });
      const { client } = testClient(emu(), { maxAttempts: 3 });
      expect(await client.createGroup({ Type: "Public", Name: "n", GroupId: "lost" })).toMatchObject({
        groupId: "lost",
        recovered: true,
        group: { Name: "n" },
      });

      await emu().control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
      await emu().control.addFault({ command: "create_group", action: { kind: "http", status: 502 }, times: 2 });
      const notOurs = () => false;
      expect(
        await caught(client.createGroup({ Type: "Public", Name: "n", GroupId: "lost-2" }, { isOurs: notOurs })),
      ).toMatchObject({ uncertain: true });
    });

    it.each([
      ["a dropped answer", { kind: "drop" }],
      ["a 502 after the work was done", { kind: "http", status: 502 }],
    ] as const)(
      "recognises its own group when the retry after %s answers 10021, leaving exactly one",
      async (_label, action) => {
        await emu().importAccounts("owner1");
        await emu().control.addFault({ command: "create_group", action, afterCommit: true });
        const result = await testClient(emu()).client.createGroup({
          Type: "Public",
          Name: "n",
          GroupId: "once",
          Owner_Account: "owner1",
        });
        expect(result).toEqual({
          groupId: "once",
          recovered: true,
          group: expect.objectContaining({ GroupId: "once", Owner_Account: "owner1" }),
        });
        expect((await emu().control.state()).groups.map((g) => g.groupId)).toEqual(["once"]);
        expect((await emu().control.requests("create_group")).map((r) => r.errorCode ?? "dropped")).toEqual([
          action.kind === "drop" ? "dropped" : 10002,
          10021,
        ]);
      },
    );

    it("recognises its own group when the first attempt was carried out but answered after its deadline", async () => {
      // The machine or the network is slow: the answer comes after the attempt gave up.
      await emu().control.addFault({ command: "create_group", action: { kind: "delay", ms: 1500 }, afterCommit: true });
      const { client } = testClient(emu(), { timeoutMs: 300 });
      const result = await client.createGroup({ Type: "Public", Name: "slow", GroupId: "late" });
      expect(result).toEqual({
        groupId: "late",
        recovered: true,
        group: expect.objectContaining({ GroupId: "late", Name: "slow" }),
      });
      expect((await emu().control.state()).groups.map((g) => g.groupId)).toEqual(["late"]);
    });

    it("recognises its own groups among 100 made at once, each first attempt answered after its deadline", async () => {
      // Every create backs off at the same time: the client must still date its calls by the clock they ran on.
      await emu().control.addFault({
        command: "create_group",
        action: { kind: "delay", ms: 4000 },
        afterCommit: true,
        times: 100,
      });
      const { client } = testClient(emu(), { timeoutMs: 3000, random: () => 0.999 });
      const ids = Array.from({ length: 100 }, (_, i) => `many-${i}`);
      // Throttled attempts take a fault and are refused: their retries make the group at once.
      const results = await Promise.allSettled(
        ids.map((GroupId) => client.createGroup({ Type: "Public", Name: GroupId, GroupId })),
      );
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect((await emu().control.state()).groups).toHaveLength(100);
    });

    it("does not claim somebody else's group that holds the ID", async () => {
      const { client } = testClient(emu());
      await client.createGroup({ Type: "Public", Name: "theirs", GroupId: "contested" });
      await emu().control.addFault({ command: "create_group", action: { kind: "http", status: 502 } });
      const err = await caught(client.createGroup({ Type: "Public", Name: "ours", GroupId: "contested" }));
      expect(err).toMatchObject({ errorCode: 10021 });
    });

    it("reports 10021 at once when the first attempt finds the ID taken", async () => {
      const { client } = testClient(emu());
      await client.createGroup({ Type: "Public", Name: "n", GroupId: "dup" });
      const err = await caught(client.createGroup({ Type: "Public", Name: "n", GroupId: "dup" }));
      expect(err).toMatchObject({ errorCode: 10021, attempts: 1 });
    });
  });

  describe("UserSig renewal", () => {
    it.each([70001, 70052])("renews the signature and retries once on %d", async (errorCode) => {
      await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode } });
      const { client, delays } = testClient(emu());
      await read(client);
      expect(await attempts("get_group_info")).toBe(2);
      expect(delays).toEqual([]);
    });

    it("retries 70001 only once", async () => {
      await emu().control.addFault({
        command: "get_group_info",
        action: { kind: "error", errorCode: 70001 },
        times: 5,
      });
      const err = await caught(read(testClient(emu()).client));
      expect(err).toMatchObject({ errorCode: 70001, attempts: 2 });
    });

    it("recovers from a signature that really expired", async () => {
      // The first signature is made as if two days ago, valid for one: the emulator says
      // 70001. The clock is right again once that answer has come.
      let stale = true;
      const now = () => (stale ? Date.now() - 2 * 86_400_000 : Date.now());
      const limiter = new RateLimiter({ rateLimit: 0 });
      limiter.answered = () => void (stale = false);
      await read(testClient(emu(), { now, userSigTtlSeconds: 86_400, rateLimiter: limiter }).client);
      expect((await emu().control.requests("get_group_info")).map((r) => r.errorCode)).toEqual([70001, 0]);
    });
  });
});

describe("redaction", () => {
  it("redacts usersig from error messages, properties, causes and retry events", async () => {
    // A misbehaving gateway that echoes the request line, and even the key, back in its body.
    const stub = await startStubServer((req, res) => {
      res.statusCode = 500;
      res.end(`upstream failed for ${req.url} with key ${TEST_KEY}`);
    });
    const seen: string[] = [];
    try {
      const { client } = testClient(emu(), {
        endpoint: stub.url,
        maxAttempts: 2,
        onRetry: (e) => seen.push(e.error.message, inspect(e.error)),
      });
      const err = await caught(client.getGroupInfo(["x"]));
      seen.push(
        err.message,
        err.info,
        inspect(err, { depth: 5 }),
        JSON.stringify(err),
        String(err.stack),
        inspect(client, { depth: 5 }),
      );
    } finally {
      await stub.close();
    }
    const all = seen.join("\n");
    expect(all).toContain("usersig=[redacted]");
    expect(all).not.toMatch(/usersig=(?!\[redacted\])/);
    expect(all).not.toContain(TEST_KEY);
  });
});
