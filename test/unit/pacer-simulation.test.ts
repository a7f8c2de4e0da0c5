/**
 * Jobs sharing one app's budget, simulated: each job a pacer and a number of workers
 * (Pulumi's --parallel), the service a strict sliding one-second window of 200 calls, answers
 * after a round trip. Time is simulated (a queue of timers), so a run of seconds takes
 * milliseconds and repeats exactly. Throttled calls are retried in the pacer's next slot, as
 * the client does; other faults after a backoff.
 */
import { AdaptivePacer, type Clock } from "../../provider/client/pacer";

interface Scenario {
  jobs: number;
  parallel: number;
  perJob: number;
  latencyMs: number;
  /** Share of calls answered with a fault, half of them a throttling code (noise, not capacity). */
  faultRate?: number;
}

interface Outcome {
  /** Completed calls a second, as a share of the limit. */
  combined: number;
  /** Throttling answers, as a share of all calls. */
  throttledShare: number;
  failed: number;
}

const LIMIT = 200;

async function simulate(s: Scenario): Promise<Outcome> {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => new Promise((wake) => timers.push({ at: now + Math.max(0, ms), wake })),
  };
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const window: number[] = [];
  let calls = 0;
  let throttled = 0;
  const serve = (): "ok" | "throttled" | "fault" => {
    while (window.length && window[0] <= now - 1000) window.shift();
    if (s.faultRate && random() < s.faultRate) return random() < 0.5 ? "throttled" : "fault";
    if (window.length >= LIMIT) return "throttled";
    window.push(now);
    return "ok";
  };
  const job = async () => {
    const pacer = new AdaptivePacer(LIMIT, clock);
    let next = 0;
    const worker = async () => {
      while (next < s.perJob) {
        next++;
        for (let attempt = 0; ; attempt++) {
          await pacer.acquire();
          await clock.sleep(s.latencyMs / 2);
          calls++;
          const answer = serve();
          await clock.sleep(s.latencyMs / 2);
          pacer.answered(answer === "throttled");
          if (answer === "ok") break;
          if (answer === "throttled") throttled++;
          else await clock.sleep(random() * 100 * 2 ** Math.min(attempt, 5));
        }
      }
    };
    await Promise.all(Array.from({ length: s.parallel }, worker));
  };
  let finished = false;
  void Promise.all(Array.from({ length: s.jobs }, job)).then(() => (finished = true));
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve));
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    if (!timer) continue;
    now = timer.at;
    timer.wake();
  }
  return { combined: (s.jobs * s.perJob) / (now / 1000) / LIMIT, throttledShare: throttled / calls, failed: 0 };
}

describe("jobs sharing one app's budget (simulated)", () => {
  it.each([
    [2, 30],
    [4, 30],
    [8, 30],
    [16, 30],
    [8, 150],
    [16, 150],
  ])("%d jobs at %d ms: settle on their shares, near the limit, with few wasted calls", async (jobs, latencyMs) => {
    const outcome = await simulate({ jobs, parallel: 8, perJob: 1600 / jobs, latencyMs });
    expect(outcome.combined).toBeGreaterThan(0.9);
    // Throttling answers are the price of sharing without Redis: each job learns the budget is
    // full only from them. Bounds hold with a little room over the figures this simulation gives.
    expect(outcome.throttledShare).toBeLessThan(jobs <= 4 ? 0.08 : jobs <= 8 ? 0.125 : 0.25);
  });

  it("one job with 64 calls at once runs at the limit", async () => {
    expect((await simulate({ jobs: 1, parallel: 64, perJob: 1000, latencyMs: 30 })).combined).toBeGreaterThan(0.97);
  });

  it("one job is not slowed by stray throttling answers: 10% faults, half of them throttling codes", async () => {
    expect(
      (await simulate({ jobs: 1, parallel: 64, perJob: 1000, latencyMs: 30, faultRate: 0.1 })).combined,
    ).toBeGreaterThan(0.85);
  });
});
