import { AdaptivePacer, binomialTail } from "../../provider/client/pacer";
import { type Clock, RateLimiter, sharedRateLimiter } from "../../provider/client/rate-limiter";

/** A clock that only moves when a caller sleeps or the test moves it. */
function manualClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

async function grantTimes(limiter: RateLimiter, clock: { t: number }, command: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.acquire(command);
    times.push(clock.t);
  }
  return times;
}

describe("the rate limiter", () => {
  it("spaces calls evenly, keeping any 200 of them more than a second apart", async () => {
    const clock = manualClock();
    const times = await grantTimes(new RateLimiter({}, clock), clock, "destroy_group", 201);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(5.05);
    expect(times[200]).toBeCloseTo(1010);
  });

  it.each([
    ["get_appid_group_list", 1],
    ["account_check", 100],
    ["multiaccount_import", 100],
    ["account_delete", 100],
    ["create_group", 200],
  ])("paces %s at its documented limit, %d a second", (command, limit) => {
    expect(new RateLimiter({}).limitFor(command)).toBe(limit);
  });

  it("allows get_appid_group_list once a second, with slack for arrival jitter", async () => {
    const clock = manualClock();
    expect(await grantTimes(new RateLimiter({}, clock), clock, "get_appid_group_list", 3)).toEqual([0, 1010, 2020]);
  });

  it("paces each command on its own", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 10 }, clock);
    await grantTimes(limiter, clock, "create_group", 1);
    await limiter.acquire("destroy_group");
    expect(clock.t).toBe(0);
  });

  it("treats a limit of 0 as no limit, for every command, the one-a-second list among them", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 0 }, clock);
    await grantTimes(limiter, clock, "destroy_group", 1000);
    await grantTimes(limiter, clock, "get_appid_group_list", 10);
    expect(clock.t).toBe(0);
    expect(
      new RateLimiter({ rateLimit: 0, commandRateLimits: { get_appid_group_list: 1 } }).limitFor(
        "get_appid_group_list",
      ),
    ).toBe(1);
  });

  it("is shared by every client of the same app, endpoint and settings, and holds no URL", () => {
    const app = { sdkAppId: 1400000001, baseUrl: "https://console.tim.qq.com" };
    const a = sharedRateLimiter(app, {});
    expect(sharedRateLimiter(app, {})).toBe(a);
    expect(sharedRateLimiter({ ...app, sdkAppId: 1400000002 }, {})).not.toBe(a);
    expect(sharedRateLimiter(app, { rateLimit: 50 })).not.toBe(a);
    const withRedis = sharedRateLimiter(app, { rateLimitRedisUrl: "redis://:hunter2-password@redis.internal:6379" });
    const registry = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[
      Symbol.for("pulumi-tencent-chat.rateLimiters")
    ];
    expect(JSON.stringify([...registry.keys()])).not.toContain("redis");
    expect(withRedis.secrets()).toContain("hunter2-password");
  });
});

describe("the adaptive pacer", () => {
  /** `accepted` answers then `throttled` ones, spread over `overMs`. */
  function answers(pacer: AdaptivePacer, clock: { t: number }, accepted: number, throttled: number, overMs = 1000) {
    const n = accepted + throttled;
    for (let i = 0; i < n; i++) {
      clock.t += overMs / n;
      pacer.answered(i >= accepted);
    }
  }

  it("keeps its pace through stray throttling answers (a few percent of calls)", async () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    for (let i = 0; i < 1000; i++) {
      await pacer.acquire();
      pacer.answered(i % 30 === 5);
    }
    expect(pacer.currentRate()).toBe(200);
    expect(clock.t).toBeCloseTo(999 * 5.05);
  });

  it("does not cut on a count of throttling answers that strays make by chance, early in a spell or later", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    // Three of the first 31 answers, as 5% of stray answers give one spell in five: over the
    // ramp-up of a `pulumi destroy` those 31 came in 218 ms, which read as 124 a second accepted.
    for (let i = 0; i < 31; i++) {
      clock.t += 7;
      pacer.answered(i === 8 || i === 19 || i === 30);
    }
    expect(pacer.currentRate()).toBe(200);
    // A real overshoot, a fifth of the next answers throttled, is cut at once.
    for (let i = 0; i < 30; i++) {
      clock.t += 5;
      pacer.answered(i % 5 === 4);
    }
    expect(pacer.currentRate()).toBeLessThan(200);
    expect(binomialTail(31, 3, 0.03)).toBeGreaterThan(0.01);
    expect(binomialTail(30, 6, 0.03)).toBeLessThan(0.01);
    expect(binomialTail(10, 0, 0.5)).toBe(1);
  });

  it("does not take three throttling answers among a spell's first few for a full window", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    // Two accepted, then three injected throttling codes: over a full second, that would read as 2 a second.
    for (const throttled of [false, false, true, true, true]) {
      clock.t += 5;
      pacer.answered(throttled);
    }
    expect(pacer.currentRate()).toBe(200);
  });

  it("measures what the service accepted from when calls began to flow, not from a call made before a pause", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    // One read, then half a second of nothing, as a `pulumi up` that reads and then deletes.
    pacer.answered(false);
    clock.t += 500;
    // Then 200 a second, every fourth answer throttled: 150 a second accepted.
    for (let i = 0; i < 40; i++) {
      clock.t += 5;
      pacer.answered(i % 4 === 3);
    }
    // Counting the pause would put the accepted rate near 60 a second.
    expect(pacer.currentRate()).toBeGreaterThan(150 * 0.97 - 10);
  });

  it("while throttled, paces at what the service accepted in the last second, a little less", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    // A second and a half of answers, every fourth throttled: 75 a second accepted.
    for (let i = 0; i < 150; i++) {
      clock.t += 10;
      pacer.answered(i % 4 === 3);
    }
    expect(pacer.currentRate()).toBeGreaterThan(75 * 0.97 - 1.5);
    expect(pacer.currentRate()).toBeLessThan(75 * 0.97 + 1.5);
  });

  it("after three throttled answers in a row, sends nothing until its oldest accepted call has left the window", async () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    answers(pacer, clock, 12, 3, 150);
    const start = clock.t;
    await pacer.acquire();
    // The first accepted answer came at 10 ms: the service frees that slot a second later.
    expect(clock.t).toBeGreaterThanOrEqual(1010);
    expect(clock.t - start).toBeGreaterThan(800);
  });

  it("judges nothing on its first few answers", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    answers(pacer, clock, 3, 2, 20);
    expect(pacer.currentRate()).toBe(200);
  });

  it("regains slowly at first, so jobs sharing the budget creep up on it, then steeply enough to be whole again in seconds", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    answers(pacer, clock, 80, 20, 1000);
    const cut = pacer.currentRate();
    expect(cut).toBeLessThan(100);
    clock.t += 1000;
    expect(pacer.currentRate() / cut).toBeCloseTo(1.01);
    // The cut came a few answers before the last one: just under three seconds after it, 6% up.
    clock.t += 1800;
    expect(pacer.currentRate() / cut).toBeGreaterThan(1.04);
    expect(pacer.currentRate() / cut).toBeLessThan(1.07);
    // Three seconds without a cut: it doubles each second from then on.
    clock.t += 1200;
    expect(pacer.currentRate() / cut).toBeGreaterThan(2);
    expect(pacer.currentRate() / cut).toBeLessThan(2.4);
    clock.t += 2000;
    expect(pacer.currentRate()).toBe(200);
  });

  it("lets a queued call go at the new pace as soon as the rate is cut", async () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    await pacer.acquire();
    const queued = [pacer.acquire(), pacer.acquire(), pacer.acquire()];
    // Meanwhile a second of answers, every third throttled: about 70 a second from now on.
    for (let i = 0; i < 100; i++) {
      clock.t += 10;
      pacer.answered(i % 3 === 2);
    }
    const cutAt = clock.t;
    await Promise.all(queued);
    // The first goes at once, the next two about 14 ms apart, not the 5 ms they queued under.
    expect(clock.t - cutAt).toBeGreaterThan(25);
  });

  it("never drops below 2% of the full rate", () => {
    const clock = manualClock();
    const pacer = new AdaptivePacer(200, clock);
    for (let i = 0; i < 300; i++) {
      clock.t += 10;
      pacer.answered(true);
    }
    expect(pacer.currentRate()).toBeCloseTo(4);
  });
});
