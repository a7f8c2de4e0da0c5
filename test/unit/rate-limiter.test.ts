import { type Clock, RateLimiter, sharedRateLimiter } from "../../provider/client/rate-limiter";

/** A clock that only moves when a caller sleeps, recording when each slot was granted. */
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
    const limiter = new RateLimiter({}, clock);
    const times = await grantTimes(limiter, clock, "destroy_group", 201);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(5.05);
    expect(times[200]).toBeCloseTo(1010);
  });

  it("allows get_appid_group_list once a second, with slack for arrival jitter", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({}, clock);
    expect(await grantTimes(limiter, clock, "get_appid_group_list", 3)).toEqual([0, 1010, 2020]);
  });

  it("paces each command on its own", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 10 }, clock);
    await grantTimes(limiter, clock, "create_group", 1);
    await limiter.acquire("destroy_group");
    expect(clock.t).toBe(0);
  });

  it("treats a limit of 0 as no limit", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 0 }, clock);
    await grantTimes(limiter, clock, "destroy_group", 1000);
    expect(clock.t).toBe(0);
  });

  /** Throttling answers for `n` calls. */
  const throttle = (limiter: RateLimiter, n: number) => {
    for (let i = 0; i < n; i++) limiter.throttled("destroy_group");
  };

  it("slows down when a fifth of a second's calls are throttled, once per second, and recovers while no more comes", () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 200 }, clock);
    throttle(limiter, 39);
    expect(limiter.currentRate("destroy_group")).toBe(200);
    throttle(limiter, 1);
    expect(limiter.currentRate("destroy_group")).toBeCloseTo(140);
    throttle(limiter, 80);
    expect(limiter.currentRate("destroy_group")).toBeCloseTo(140);
    clock.t += 1000;
    throttle(limiter, 28);
    expect(limiter.currentRate("destroy_group")).toBeCloseTo(98);
    clock.t += 2000;
    // One second of holding, then 10% of the full rate regained per second.
    expect(limiter.currentRate("destroy_group")).toBeCloseTo(118);
    clock.t += 60_000;
    expect(limiter.currentRate("destroy_group")).toBe(200);
  });

  it("keeps its pace through scattered throttling answers (a few percent of calls)", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 200 }, clock);
    for (let i = 0; i < 1000; i++) {
      await limiter.acquire("destroy_group");
      if (i % 30 === 0) limiter.throttled("destroy_group");
    }
    expect(limiter.currentRate("destroy_group")).toBe(200);
    expect(clock.t).toBeCloseTo(999 * 5.05);
  });

  it("reacts to a single throttling answer on a command limited to one call a second", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({}, clock);
    await limiter.acquire("get_appid_group_list");
    limiter.throttled("get_appid_group_list");
    expect(limiter.currentRate("get_appid_group_list")).toBeCloseTo(0.7);
  });

  it("never drops below 5% of the full rate", () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ rateLimit: 200 }, clock);
    for (let i = 0; i < 50; i++) {
      throttle(limiter, 40);
      clock.t += 1000;
    }
    expect(limiter.currentRate("destroy_group")).toBeGreaterThanOrEqual(10);
  });

  it("is shared by every client of the same app and endpoint", () => {
    const a = sharedRateLimiter("1400000001@https://console.tim.qq.com", {});
    expect(sharedRateLimiter("1400000001@https://console.tim.qq.com", {})).toBe(a);
    expect(sharedRateLimiter("1400000002@https://console.tim.qq.com", {})).not.toBe(a);
  });
});
