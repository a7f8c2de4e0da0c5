import { useEmulator } from "../helpers/emulator";

/** A clock the test moves by hand, so that windows are exact and nothing waits. */
let nowMs = Date.now();
const emu = useEmulator({ clock: () => nowMs });
beforeEach(async () => {
  nowMs += 10_000;
});

const INFO = { GroupIdList: ["@TGS#none"] };

async function burst(command: string, body: unknown, n: number): Promise<number[]> {
  const results = await Promise.all(Array.from({ length: n }, () => emu().raw("group_open_http_svc", command, body)));
  return results.map((r) => r.json.ErrorCode as number);
}

const count = (codes: number[], code: number) => codes.filter((c) => c === code).length;

describe("rate limits", () => {
  it("serves 200 calls a second per command and answers the rest with 60007", async () => {
    const codes = await burst("get_group_info", INFO, 250);
    expect(count(codes, 0)).toBe(200);
    expect(count(codes, 60007)).toBe(50);
  });

  it("counts each command separately", async () => {
    await burst("get_group_info", INFO, 200);
    expect(count(await burst("destroy_group", { GroupId: "x" }, 10), 60007)).toBe(0);
  });

  it("limits over a sliding second, not a fixed one", async () => {
    expect(count(await burst("get_group_info", INFO, 100), 0)).toBe(100);
    nowMs += 500;
    expect(count(await burst("get_group_info", INFO, 100), 0)).toBe(100);
    nowMs += 499;
    expect(count(await burst("get_group_info", INFO, 5), 60007)).toBe(5);
    nowMs += 1;
    // The first hundred have left the window; the second hundred have not.
    expect(count(await burst("get_group_info", INFO, 101), 0)).toBe(100);
  });

  it("does not count refused calls against the budget", async () => {
    await burst("get_group_info", INFO, 400);
    nowMs += 1000;
    expect(count(await burst("get_group_info", INFO, 200), 0)).toBe(200);
  });

  it("allows get_appid_group_list once a second, as the service does", async () => {
    expect(count(await burst("get_appid_group_list", {}, 3), 0)).toBe(1);
    nowMs += 999;
    expect(count(await burst("get_appid_group_list", {}, 1), 60007)).toBe(1);
    nowMs += 1;
    expect(count(await burst("get_appid_group_list", {}, 1), 0)).toBe(1);
  });

  it("takes new limits at run time, 0 meaning none", async () => {
    const config = await emu().control.configure({ rateLimit: 5, rateLimits: { get_group_info: 0 } });
    expect(config).toEqual({
      rateLimit: 5,
      rateLimits: { get_group_info: 0 },
      latencyMs: 0,
      latencyJitterMs: 0,
      arrivalJitterMs: 0,
      destroyedGroupIds: "reusable",
      plan: "trial",
      workGroupAdmins: "refused",
      textLimits: "current",
      missingTopicAnswer: "item",
      errorTexts: "explained",
      accountIds: "recommended",
      missingProfileAnswer: "item",
      applyJoinDefaults: "documented",
      groupInfoMembers: "complete",
      topicReaders: "anyone",
      dailyGroupQuota: 0,
    });
    expect(count(await burst("destroy_group", { GroupId: "x" }, 8), 60007)).toBe(3);
    expect(count(await burst("get_group_info", INFO, 500), 0)).toBe(500);
    await emu().control.configure({ rateLimit: 200, rateLimits: { get_appid_group_list: 1 } });
  });
});
