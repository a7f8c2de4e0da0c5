/**
 * The rate budget shared through a real Redis (redis-server on a loopback port): processes
 * that share it stay within the service's limit without being throttled, and a Redis that is
 * unreachable, silent or refuses the password never fails a call.
 *
 * @slow processes sharing a budget at the service's real rate
 */
import * as net from "node:net";

import { Redis } from "ioredis";

import { MiniEngine } from "../../harness/engine";
import { ChatClient } from "../../provider/client/client";
import { realClock } from "../../provider/client/pacer";
import { RateLimiter } from "../../provider/client/rate-limiter";
import {
  COMMAND_TIMEOUT_MS,
  HEADROOM,
  MAX_WAIT_MS,
  SCHEDULE,
  type ScheduleTuning,
  SharedBudget,
} from "../../provider/client/shared-budget";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { describeWithRedis, type RunningRedis, startFakeRedis, startRedis } from "../helpers/redis";
import { TestStack } from "../helpers/stack";

/** Where the schedule of destroy_group for the test app is kept. */
const SCHEDULE_KEY = `pulumi-tencent-chat:schedule:${TEST_SDKAPPID}:destroy_group`;
/** The service's limit for destroy_group in these tests. */
const LIMIT = 100;
/** What the clients are told: the budget's work is to keep four processes together at whatever limit they are given. */
const TOLD = 90;

/** A client standing for one process: its own limiter, drawing on the budget at `url`. */
function processClient(
  emu: TestEmulator,
  url: string,
  warnings: string[] = [],
  sleep = realClock.sleep,
  budget = new SharedBudget(url, TEST_SDKAPPID, sleep, (text) => warnings.push(text)),
): ChatClient {
  const limiter = new RateLimiter({ commandRateLimits: { destroy_group: TOLD } }, realClock, budget);
  return new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: limiter,
  });
}

/** `n` destroys of groups that do not exist (answered 10010, which counts against the limit), `parallel` at a time. */
async function destroys(client: ChatClient, n: number, parallel: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) await client.destroyGroup(`gone-${next++}`);
    }),
  );
}

describeWithRedis("the shared rate budget in Redis", () => {
  let redis: RunningRedis;
  let emu: TestEmulator;
  beforeAll(async () => {
    redis = await startRedis();
    emu = await TestEmulator.start();
  });
  afterAll(async () => {
    await emu?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    await emu.control.reset();
    await emu.control.configure({ rateLimits: { destroy_group: LIMIT, get_appid_group_list: 1 } });
  });

  it("keeps four processes on one schedule: every call draws the next slot of the shared key, and every call is answered", async () => {
    const peek = new Redis(redis.url);
    try {
      const [seconds, micros] = await peek.time();
      const startedMs = Number(seconds) * 1000 + Number(micros) / 1000;
      const clients = Array.from({ length: 4 }, () => processClient(emu, redis.url));
      await Promise.all(clients.map((c) => destroys(c, 60, 8)));
      const answers = await emu.control.requests("destroy_group");
      const throttled = answers.filter((r) => r.errorCode === 60007).length;
      expect(answers.length - throttled).toBe(240);
      // One schedule: each call, and each retry of a throttled one, took the slot after the
      // last one handed out, whichever process asked. Four processes pacing alone would leave
      // no key, or one a quarter as far ahead. (How few calls the service throttles is a
      // figure of `npm run bench -- jobs`, not a behaviour.)
      const scheduledUntil = Number(await peek.hget(SCHEDULE_KEY, "tat"));
      const interval = 1000 / (TOLD * HEADROOM);
      expect(scheduledUntil - startedMs).toBeGreaterThanOrEqual(answers.length * interval - 1);
    } finally {
      peek.disconnect();
    }
  });

  it("keeps its schedule in one key per app and command, on Redis's clock", async () => {
    await destroys(processClient(emu, redis.url), 5, 1);
    const peek = new Redis(redis.url);
    try {
      expect(await peek.keys("pulumi-tencent-chat:*")).toEqual([SCHEDULE_KEY]);
    } finally {
      peek.disconnect();
    }
  });

  it("is used by a stack whose config names it, through Pulumi's provider host", async () => {
    const stack = await TestStack.start({ extraConfig: { "tencent-chat:rateLimitRedisUrl": redis.url } });
    try {
      const engine = new MiniEngine(stack.host);
      await engine.apply(stack.registration("g", { type: "Public", name: "n" }));
      await engine.destroy();
      const peek = new Redis(redis.url);
      try {
        expect(await peek.keys(`pulumi-tencent-chat:schedule:${TEST_SDKAPPID}:*`)).toEqual(
          expect.arrayContaining([`pulumi-tencent-chat:schedule:${TEST_SDKAPPID}:create_group`]),
        );
      } finally {
        peek.disconnect();
      }
    } finally {
      await stack.close();
    }
  });

  describe("learning from the service's answers", () => {
    /** The limit these budgets are told: slots a tenth of a second apart, easy to read. */
    const TEN = 10;
    let peek: Redis;
    beforeAll(() => {
      peek = new Redis(redis.url);
    });
    afterAll(() => peek.disconnect());
    beforeEach(() => peek.del(SCHEDULE_KEY));

    /** A process's budget whose waits for a slot take no time: the slots it is handed show the schedule's spacing. */
    const noWaits = (ms: number) => (ms === COMMAND_TIMEOUT_MS ? realClock.sleep(ms) : Promise.resolve());
    const budgetOf = (tuning: Partial<ScheduleTuning> = {}) =>
      new SharedBudget(redis.url, TEST_SDKAPPID, noWaits, () => undefined, MAX_WAIT_MS, { ...SCHEDULE, ...tuning });
    /** Long enough that the rate does not climb back while a test reads it. */
    const NO_REGAIN = { regainMs: 3_600_000 };

    /** Milliseconds between the next two slots `budget` is handed, with the schedule queued ahead so that they follow each other. */
    async function spacing(budget: SharedBudget): Promise<number> {
      const [seconds, micros] = await peek.time();
      await peek.hset(SCHEDULE_KEY, "tat", String(Number(seconds) * 1000 + Number(micros) / 1000 + 2000));
      await budget.take("destroy_group", TEN);
      const first = Number(await peek.hget(SCHEDULE_KEY, "tat"));
      await budget.take("destroy_group", TEN);
      return Number(await peek.hget(SCHEDULE_KEY, "tat")) - first;
    }
    const clean = 1000 / (TEN * SCHEDULE.headroom);

    it("slows the schedule of every process when one is throttled, once for one overload, again when the cut did not help", async () => {
      const [one, other] = [budgetOf(NO_REGAIN), budgetOf(NO_REGAIN)];
      expect(await spacing(other)).toBeCloseTo(clean, 1);
      const before = await other.take("destroy_group", TEN);
      const throttled = await one.take("destroy_group", TEN);
      if (!before || !throttled) throw new Error("the budget was not available");
      await one.throttled("destroy_group", throttled);
      expect(await spacing(other)).toBeCloseTo(clean / SCHEDULE.cutTo, 1);
      // The other process's call went out at the old rate, before the cut: the same overload, already answered.
      await other.throttled("destroy_group", before);
      expect(await spacing(other)).toBeCloseTo(clean / SCHEDULE.cutTo, 1);
      // A call paced at the cut rate and still throttled: the cut was not enough.
      const after = await other.take("destroy_group", TEN);
      if (!after) throw new Error("the budget was not available");
      await other.throttled("destroy_group", after);
      expect(await spacing(one)).toBeCloseTo(clean / SCHEDULE.cutTo ** 2, 1);
    });

    it("climbs back to the full rate while answers are clean", async () => {
      const budget = budgetOf({ regainMs: 1 });
      const slot = await budget.take("destroy_group", TEN);
      if (!slot) throw new Error("the budget was not available");
      await budget.throttled("destroy_group", slot);
      // Twenty of the gap's time constants later, the gap is gone.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await spacing(budget)).toBeCloseTo(clean, 1);
    });

    it("never cuts below its floor", async () => {
      const budget = budgetOf({ ...NO_REGAIN, cutTo: 0.1, floor: 0.5 });
      for (let i = 0; i < 3; i++) {
        const slot = await budget.take("destroy_group", TEN);
        if (!slot) throw new Error("the budget was not available");
        await budget.throttled("destroy_group", slot);
      }
      expect(await spacing(budget)).toBeCloseTo(1000 / (TEN * 0.5), 1);
    });

    it("hears of a throttling answer through the client, and leaves the local pacer out while Redis answers", async () => {
      await emu.control.addFault({ command: "destroy_group", action: { kind: "error", errorCode: 60007 }, times: 1 });
      const budget = budgetOf(NO_REGAIN);
      const limiter = new RateLimiter({ commandRateLimits: { destroy_group: TEN } }, realClock, budget);
      const client = new ChatClient({
        sdkAppId: TEST_SDKAPPID,
        secretKey: TEST_KEY,
        identifier: ADMIN,
        endpoint: emu.url,
        rateLimiter: limiter,
      });
      await client.destroyGroup("gone-1");
      expect((await emu.control.requests("destroy_group")).map((r) => r.errorCode)).toEqual([60007, 10010]);
      // The report goes in the background: the answer never waits on Redis.
      for (let i = 0; i < 500 && (await peek.hget(SCHEDULE_KEY, "cut")) === null; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(Number(await peek.hget(SCHEDULE_KEY, "cut"))).toBeCloseTo(SCHEDULE.headroom * SCHEDULE.cutTo, 3);
      expect(limiter.currentRate("destroy_group")).toBe(TEN);
    });
  });

  describe("when Redis cannot be used", () => {
    it.each([
      [
        "nothing listens on its port",
        async () => ({ url: "redis://:pw-secret-1@127.0.0.1:1", close: async () => undefined }),
      ],
      [
        "it accepts and never answers",
        async () => {
          const sockets: net.Socket[] = [];
          const server = net.createServer((s) => void sockets.push(s));
          await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
          const { port } = server.address() as net.AddressInfo;
          return {
            url: `redis://:pw-secret-1@127.0.0.1:${port}`,
            close: () =>
              new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
          };
        },
      ],
      [
        "it refuses the password",
        async () => {
          const locked = await startRedis({ password: "the-right-one" });
          return { url: `redis://:pw-secret-1@127.0.0.1:${locked.port}`, close: () => locked.stop() };
        },
      ],
    ])("paces locally when %s, warning once, without the password", async (_label, make) => {
      const target = await make();
      const warnings: string[] = [];
      try {
        const client = processClient(emu, target.url, warnings);
        await destroys(client, 20, 4);
        expect((await emu.control.requests("destroy_group")).filter((r) => r.errorCode === 10010)).toHaveLength(20);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/the shared rate budget in Redis is not available .*pacing in this process alone/);
        expect(warnings[0]).not.toContain("pw-secret-1");
        if (_label === "it refuses the password")
          expect(warnings[0]).toContain("Redis refused the password in the URL");
      } finally {
        await target.close();
      }
    });

    /**
     * Sleeps as asked, up to 100 ms, recording what was asked: a wait of an hour shows without
     * taking one. The command timeout's own wait is left long, so that a slow machine's slow
     * connection is not what these tests see.
     */
    const recorded = () => {
      const asked: number[] = [];
      return {
        asked,
        sleep: (ms: number) => (
          asked.push(ms),
          realClock.sleep(ms === COMMAND_TIMEOUT_MS ? 30_000 : Math.min(ms, 100))
        ),
      };
    };

    it.each([
      ["a number that is not one", "$3\r\nNaN\r\n", /Redis answered "NaN"/],
      ["a negative wait", "$2\r\n-5\r\n", /Redis answered "-5"/],
      ["a list", "*1\r\n$1\r\n5\r\n", /Redis answered a list/],
      ["an integer, not the script's text", ":7\r\n", /Redis answered 7/],
      [
        "a wait of an hour",
        "$7\r\n3600000\r\n",
        /Redis answered "3600000" where the schedule's wait was due \(from 0 to 5000 ms\)/,
      ],
      ["an error", "-ERR unknown command\r\n", /ERR unknown command/],
    ])(
      "paces locally when Redis answers %s, warning once, and waits for no such answer",
      async (_label, reply, warning) => {
        const fake = await startFakeRedis(reply);
        const warnings: string[] = [];
        const { asked, sleep } = recorded();
        try {
          await destroys(processClient(emu, fake.url, warnings, sleep), 20, 4);
          expect((await emu.control.requests("destroy_group")).filter((r) => r.errorCode === 10010)).toHaveLength(20);
          expect(warnings).toHaveLength(1);
          expect(warnings[0]).toMatch(warning);
          expect(warnings[0]).not.toContain("pw-secret-1");
          expect(asked.filter((ms) => ms !== COMMAND_TIMEOUT_MS)).toEqual([]);
        } finally {
          await fake.close();
        }
      },
    );

    it("starts a schedule an hour ahead (a clock stepped back on a failover) afresh, with no call waiting past the cap", async () => {
      const peek = new Redis(redis.url);
      try {
        const [seconds] = await peek.time();
        await peek.hset(SCHEDULE_KEY, "tat", String(Number(seconds) * 1000 + 3_600_000));
        const warnings: string[] = [];
        const { asked, sleep } = recorded();
        await destroys(processClient(emu, redis.url, warnings, sleep), 20, 4);
        expect((await emu.control.requests("destroy_group")).filter((r) => r.errorCode === 10010)).toHaveLength(20);
        expect(Math.max(...asked.filter((ms) => ms !== COMMAND_TIMEOUT_MS))).toBeLessThanOrEqual(MAX_WAIT_MS);
        expect(warnings).toEqual([]);
        const [after] = await peek.time();
        expect(Number(await peek.hget(SCHEDULE_KEY, "tat"))).toBeLessThan(Number(after) * 1000 + MAX_WAIT_MS);
      } finally {
        peek.disconnect();
      }
    });

    it("goes on pacing locally when Redis is killed mid-run, warning once", async () => {
      const doomed = await startRedis({ password: "pw-secret-1" });
      const warnings: string[] = [];
      const client = processClient(emu, doomed.url, warnings);
      await destroys(client, 5, 1);
      await doomed.stop();
      await destroys(client, 20, 4);
      expect((await emu.control.requests("destroy_group")).filter((r) => r.errorCode === 10010)).toHaveLength(25);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/the shared rate budget in Redis is not available .*pacing in this process alone/);
      expect(warnings[0]).not.toContain("pw-secret-1");
    });

    it("holds no call for a paused Redis longer than its command timeout, and goes on pacing locally", async () => {
      const paused = await startRedis({ password: "pw-secret-1" });
      const warnings: string[] = [];
      const asked: number[] = [];
      // The budget's clock: its command timeout passes at once, so a call that waited on the
      // connection or the script instead would never finish.
      const instant = (ms: number) => (
        asked.push(ms),
        ms === COMMAND_TIMEOUT_MS ? Promise.resolve() : realClock.sleep(ms)
      );
      try {
        const client = processClient(emu, paused.url, warnings, instant);
        await destroys(client, 5, 1);
        paused.pause();
        await destroys(client, 20, 4);
        expect((await emu.control.requests("destroy_group")).filter((r) => r.errorCode === 10010)).toHaveLength(25);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/did not answer within 500 ms/);
      } finally {
        paused.resume();
        await paused.stop();
      }
    });
  });

  describe("with a password holding URL escapes", () => {
    it.each([
      ["percent-encoded, as a URL should hold it", "a%b/c@d:e", (pw: string) => encodeURIComponent(pw)],
      ["pasted raw, with a bare %", "p%zz-secret", (pw: string) => pw],
    ])(
      "draws on the budget when the password is %s, and keeps it out of every warning",
      async (_label, password, inUrl) => {
        const locked = await startRedis({ password });
        const warnings: string[] = [];
        try {
          await destroys(processClient(emu, `redis://:${inUrl(password)}@127.0.0.1:${locked.port}`, warnings), 5, 1);
          expect(warnings).toEqual([]);
          const peek = new Redis({ port: locked.port, password });
          try {
            expect(await peek.keys("pulumi-tencent-chat:*")).toEqual([SCHEDULE_KEY]);
          } finally {
            peek.disconnect();
          }
        } finally {
          await locked.stop();
        }
      },
    );
  });
});
