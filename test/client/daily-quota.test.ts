/**
 * create_group's 10006 is the group frequency limit and, past the plan's daily quota of net new
 * groups, the quota too. The client retries it as throttling, and gives up on it as the quota
 * once every call of create_group in the process has been refused for a minute: a per-second
 * limit lets the slowed calls through long before that.
 *
 * Time here is the client's own: each retry moves its clock on by a second, so "a minute of
 * refusals" is sixty attempts whatever the machine's speed.
 */
import { ChatApiError, isChatApiError } from "../../provider/client/errors";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { testClient } from "../helpers/client";
import { useEmulator } from "../helpers/emulator";

// No rate limit in the emulator: every refusal here is the quota's or a scripted one.
const emu = useEmulator({ rateLimit: 0 });

async function caught(promise: Promise<unknown>): Promise<ChatApiError> {
  try {
    await promise;
  } catch (err) {
    if (isChatApiError(err)) return err;
    throw err;
  }
  throw new Error("expected a ChatApiError");
}

/** A client whose clock moves on by a second at each retry, and the limiter it reports to. */
function secondPerRetry(onRetry?: (attempt: number, limiter: RateLimiter) => void, throttleDeadlineMs?: number) {
  let now = Date.now();
  const limiter = new RateLimiter({ rateLimit: 0 });
  const { client } = testClient(emu(), {
    now: () => now,
    rateLimiter: limiter,
    ...(throttleDeadlineMs ? { throttleDeadlineMs } : {}),
    onRetry: (e) => {
      now += 1000;
      onRetry?.(e.attempt, limiter);
    },
  });
  return { client, limiter };
}

const groups = async () => (await emu().control.state()).groups.map((g) => g.groupId).sort();

describe("the daily quota of new groups", () => {
  afterEach(() => emu().control.configure({ dailyGroupQuota: 0 }));

  it("gives up after a minute of refusals that no call gets past, saying it is the quota and that nothing was made", async () => {
    await emu().control.configure({ dailyGroupQuota: 2 });
    const { client } = secondPerRetry();
    await client.createGroup({ Type: "Public", Name: "one", GroupId: "quota-1" });
    await client.createGroup({ Type: "Public", Name: "two", GroupId: "quota-2" });

    const err = await caught(client.createGroup({ Type: "Public", Name: "three", GroupId: "quota-3" }));
    expect(err).toMatchObject({ command: "create_group", errorCode: 10006, quotaRefusedForMs: 60_000, attempts: 61 });
    expect(err.message).toContain("daily quota of net new groups");
    expect(err.message).toContain("Nothing was created");
    expect(await groups()).toEqual(["quota-1", "quota-2"]);
  });

  it("counts net new groups: a group dissolved today makes room for another", async () => {
    await emu().control.configure({ dailyGroupQuota: 1 });
    const { client } = secondPerRetry();
    await client.createGroup({ Type: "Public", Name: "one", GroupId: "quota-1" });
    expect(await caught(client.createGroup({ Type: "Public", Name: "two", GroupId: "quota-2" }))).toMatchObject({
      errorCode: 10006,
    });
    await client.destroyGroup("quota-1");
    await client.createGroup({ Type: "Public", Name: "two", GroupId: "quota-2" });
    expect(await groups()).toEqual(["quota-2"]);
  });

  it("goes on retrying while other calls of create_group get through, and counts the minute from the last of them", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "error", errorCode: 10006 }, times: 200 });
    // At the 30th refusal another create_group of this process is let through.
    const { client } = secondPerRetry((attempt, limiter) => {
      if (attempt === 30) limiter.answered("create_group", false);
    });
    const err = await caught(client.createGroup({ Type: "Public", Name: "n", GroupId: "busy" }));
    expect(err).toMatchObject({ errorCode: 10006, quotaRefusedForMs: 60_000, attempts: 91 });
  });

  it("takes a 10006 that passes for throttling, and creates the group", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "error", errorCode: 10006 }, times: 40 });
    const { client } = secondPerRetry();
    await client.createGroup({ Type: "Public", Name: "n", GroupId: "slow" });
    expect(await groups()).toEqual(["slow"]);
  });

  it("says throttling, not the quota, for 10006 on other commands, and waits for the throttling deadline", async () => {
    await emu().control.addFault({
      command: "get_group_info",
      action: { kind: "error", errorCode: 10006 },
      times: 200,
    });
    const { client } = secondPerRetry(undefined, 100_000);
    const err = await caught(client.getGroupInfo(["x"]));
    expect(err.quotaRefusedForMs).toBeUndefined();
    expect(err.message).not.toContain("Nothing was created");
    expect(err.attempts).toBe(101);
  });
});
