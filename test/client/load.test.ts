import { pool } from "../../harness/pool";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { VirtualClock } from "../helpers/virtual-clock";

/** The client's pacing and backoff and the emulator's limit run on one virtual clock: no real waits. */
const clock = new VirtualClock();
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ clock: clock.now });
});
afterAll(() => emu.close());

describe("under load", () => {
  it("destroys 1,000 groups at concurrency 100 against a 200/s limit with 10% transient faults, all succeeding", async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `load-${i}`);
    // Setup at full speed: the limit and the faults apply to the destroys only.
    await emu.control.configure({ rateLimit: 0 });
    const setup = new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      identifier: ADMIN,
      endpoint: emu.url,
      rateLimiter: new RateLimiter({ rateLimit: 0 }),
    });
    await pool(ids, 50, (GroupId) => setup.createGroup({ Type: "Public", Name: "load", GroupId }));
    expect((await emu.control.state()).groups).toHaveLength(1000);
    await emu.control.clearRequests();
    await emu.control.configure({ rateLimit: 200 });
    await emu.control.setRandomFaults({ rate: 0.1, seed: 42, commands: ["destroy_group"] });

    // The real thing: default limiter (200/s), the real backoff schedule, default retry budget.
    const client = new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      identifier: ADMIN,
      endpoint: emu.url,
      rateLimiter: new RateLimiter({}, clock),
      sleep: clock.sleep,
      now: clock.now,
    });
    const started = clock.now();
    const results = await pool(ids, 100, (id) => client.destroyGroup(id));

    const failures = results
      .filter((r) => r.status === "rejected")
      .map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect((await emu.control.state()).groups).toEqual([]);
    const log = await emu.control.requests("destroy_group");
    // Faults really happened and were retried through.
    expect(log.filter((r) => r.fault).length).toBeGreaterThan(50);
    expect(log.filter((r) => r.errorCode === 0).length).toBe(1000);
    // At 200/s, 1,000 destroys and their retries take at least five seconds of the clock.
    expect(clock.now() - started).toBeGreaterThanOrEqual(5000);
  });
});
