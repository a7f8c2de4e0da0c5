import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { sweep as sweepGroups, SweepOptionError, type SweepOptions } from "../../provider/sweeper/sweep";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { TestStack } from "../helpers/stack";
import { startStubServer } from "../helpers/stub-server";
import { VirtualClock } from "../helpers/virtual-clock";

/**
 * The sweeper's client and the emulator share a virtual clock: get_appid_group_list's 1 call
 * a second is kept and enforced without the test waiting for it. The emulator's clock runs
 * `offsetMs` from it, so groups can be made "two days ago".
 */
const clock = new VirtualClock();
let offsetMs = 0;
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ clock: () => clock.now() + offsetMs });
});
afterAll(() => emu.close());

const client = () =>
  new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: new RateLimiter({}, clock),
    sleep: clock.sleep,
    now: clock.now,
  });
const sweep = (options: Omit<SweepOptions, "now">) => sweepGroups({ ...options, now: clock.now });
const groupIds = async () => (await emu.control.state()).groups.map((g) => g.groupId).sort();

/** 300 groups: 120 old pr-1 ones (two days), 60 new pr-1 ones, 60 pr-2, 60 to keep (some named pr-…). */
async function seed(): Promise<void> {
  await emu.control.reset();
  await emu.control.configure({ rateLimit: 0 });
  const setup = new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
  });
  const make = (GroupId: string, Name: string, Type = "Public") => setup.createGroup({ Type, Name, GroupId });
  offsetMs = -2 * 86_400_000;
  await Promise.all(Array.from({ length: 120 }, (_, i) => make(`pr-1-old-${i}`, "old", i % 2 ? "Public" : "Private")));
  offsetMs = 0;
  await Promise.all(Array.from({ length: 60 }, (_, i) => make(`pr-1-new-${i}`, "new")));
  await Promise.all(Array.from({ length: 60 }, (_, i) => make(`pr-2-${i}`, "other pr")));
  await Promise.all(Array.from({ length: 50 }, (_, i) => make(`keep-${i}`, "production room")));
  await Promise.all(Array.from({ length: 10 }, (_, i) => make(`named-${i}`, `pr-1-by-name-${i}`)));
  await emu.control.configure({ rateLimit: 200, rateLimits: { get_appid_group_list: 1 } });
  await emu.control.clearRequests();
}

describe("sweep", () => {
  beforeEach(seed);

  it("refuses a prefix shorter than 3 characters, before any call", async () => {
    await expect(sweep({ client: client(), prefix: "pr" })).rejects.toThrow(SweepOptionError);
    await expect(sweep({ client: client(), prefix: "  " })).rejects.toThrow(/at least 3 characters/);
    expect(await emu.control.requests()).toEqual([]);
  });

  it("lists by default and removes nothing", async () => {
    const before = await groupIds();
    const report = await sweep({ client: client(), prefix: "pr-1-" });
    expect(report).toMatchObject({ dryRun: true, scanned: 300, removed: [], failed: [] });
    expect(report.selected).toHaveLength(190);
    expect(await groupIds()).toEqual(before);
    expect(await emu.control.requests("destroy_group")).toEqual([]);
  });

  it("selects by GroupId or name prefix, by age and by type", async () => {
    const byAge = await sweep({ client: client(), prefix: "pr-1-", olderThanSeconds: 86_400 });
    expect(byAge.selected.map((c) => c.groupId).sort()).toEqual(
      Array.from({ length: 120 }, (_, i) => `pr-1-old-${i}`).sort(),
    );
    expect(byAge.selected.every((c) => c.ageSeconds >= 86_400 && c.ageSeconds < 3 * 86_400)).toBe(true);
    const byName = await sweep({ client: client(), prefix: "pr-1-by-name" });
    expect(byName.selected.map((c) => c.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `pr-1-by-name-${i}`).sort(),
    );
    const byType = await sweep({ client: client(), prefix: "pr-1-old", type: "Work" });
    expect(byType.selected).toHaveLength(60);
    expect(byType.selected.every((c) => c.type === "Private")).toBe(true);
  });

  it("finds a Community by the custom part of its ID, after the @TGS#_ every Community ID begins with", async () => {
    const setup = new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      identifier: ADMIN,
      endpoint: emu.url,
      rateLimiter: new RateLimiter({ rateLimit: 0 }),
    });
    await setup.createGroup({ Type: "Community", Name: "Community of PR 1", GroupId: "@TGS#_pr-1-community" });
    await setup.createGroup({ Type: "Community", Name: "Production", GroupId: "@TGS#_keep-community" });
    const report = await sweep({ client: client(), prefix: "pr-1-" });
    expect(report.selected.map((c) => c.groupId)).toContain("@TGS#_pr-1-community");
    expect(report.selected.map((c) => c.groupId)).not.toContain("@TGS#_keep-community");
    expect((await sweep({ client: client(), prefix: "@TGS#_pr-1-" })).selected.map((c) => c.groupId)).toEqual([
      "@TGS#_pr-1-community",
    ]);
  });

  it("removes exactly the selected groups, and the others survive", async () => {
    const report = await sweep({ client: client(), prefix: "pr-1-", olderThanSeconds: 86_400, remove: true });
    expect(report.removed).toHaveLength(120);
    expect(report.failed).toEqual([]);
    const left = await groupIds();
    expect(left).toHaveLength(180);
    expect(left.some((id) => id.startsWith("pr-1-old"))).toBe(false);
  });

  it("pages through get_appid_group_list with Next within its 1 call a second", async () => {
    const report = await sweep({ client: client(), prefix: "keep-", pageSize: 70 });
    expect(report.scanned).toBe(300);
    expect(report.selected).toHaveLength(50);
    // Five pages of up to 70, each asked once: the client kept to the limit, so none was throttled.
    const listCalls = await emu.control.requests("get_appid_group_list");
    expect(listCalls.map((c) => c.errorCode)).toEqual([0, 0, 0, 0, 0]);
    const sentNext = listCalls.map((c) => /"Next":(\d+)/.exec(c.body)?.[1]);
    expect(sentNext[0]).toBe("0");
    expect(sentNext.slice(1).every((n) => n !== undefined && BigInt(n) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it("survives throttling and transient faults", async () => {
    await emu.control.setRandomFaults({
      rate: 0.15,
      seed: 5,
      commands: ["destroy_group", "get_group_info", "get_appid_group_list"],
    });
    const report = await sweep({ client: client(), prefix: "pr-2-", remove: true });
    expect(report.failed).toEqual([]);
    expect(report.removed).toHaveLength(60);
    expect((await groupIds()).some((id) => id.startsWith("pr-2-"))).toBe(false);
    expect((await emu.control.requests()).filter((r) => r.fault).length).toBeGreaterThan(3);
  });

  it("reports failures with their code and keeps going", async () => {
    await emu.control.addFault({
      command: "destroy_group",
      action: { kind: "error", errorCode: 10007, errorInfo: "no permission" },
      times: 2,
    });
    const report = await sweep({ client: client(), prefix: "pr-2-", remove: true, concurrency: 1 });
    expect(report.failed).toEqual([
      expect.objectContaining({
        errorCode: 10007,
        message: expect.stringContaining("destroy_group failed: 10007 no permission"),
      }),
      expect.objectContaining({ errorCode: 10007 }),
    ]);
    expect(report.removed).toHaveLength(58);
  });
});

describe("a sweep racing a pulumi destroy of the same groups", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start();
  });
  afterAll(() => stack?.close());

  it("finishes with no failures on either side", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `env-${i}`);
    await stack.engine.up(
      names.map((name) => stack.registration(name, { type: "Public", name, groupId: `race-${name}` })),
    );
    const sweeper = new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      identifier: ADMIN,
      endpoint: stack.emu.url,
      rateLimiter: new RateLimiter(),
    });
    const [report] = await Promise.all([
      sweep({ client: sweeper, prefix: "race-", remove: true }),
      stack.engine.destroy(),
    ]);
    expect(report.failed).toEqual([]);
    // Whatever the sweep selected counts as removed, whoever got there first.
    expect(report.removed.sort()).toEqual(report.selected.map((c) => c.groupId).sort());
    expect(stack.engine.state.size).toBe(0);
    expect((await stack.emu.control.state()).groups).toEqual([]);
  });
});

describe("a list that never ends", () => {
  it.each([
    [
      "repeats the same Next",
      () => '{"ActionStatus":"OK","ErrorCode":0,"TotalCount":2,"GroupIdList":[{"GroupId":"pr-1"}],"Next":7}',
    ],
    [
      "sends pages with nothing new",
      (() => {
        let n = 0;
        return () =>
          `{"ActionStatus":"OK","ErrorCode":0,"TotalCount":1,"GroupIdList":[{"GroupId":"pr-1"}],"Next":${++n}}`;
      })(),
    ],
  ])("stops with an error when the service %s", async (_label, page) => {
    let calls = 0;
    const stub = await startStubServer((_req, res) => {
      calls++;
      res.end(page());
    });
    try {
      const c = new ChatClient({
        sdkAppId: TEST_SDKAPPID,
        secretKey: TEST_KEY,
        endpoint: stub.url,
        rateLimiter: new RateLimiter({ rateLimit: 0 }),
      });
      await expect(sweep({ client: c, prefix: "pr-" })).rejects.toThrow(
        /answered the cursor \d+ again, or a page with no new group/,
      );
      expect(calls).toBeLessThanOrEqual(3);
    } finally {
      await stub.close();
    }
  });
});
