/**
 * The answers Tencent leaves open, each switchable in the emulator (its `policy`): admins on a
 * Work group, which byte limits group texts have, how get_topic answers for a topic that does
 * not exist, terse ErrorInfo texts like the service's, and the plan's daily quota of groups.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { testClient } from "../helpers/client";
import { TestEmulator, useEmulator } from "../helpers/emulator";

const emu = useEmulator();
const TOPIC = "million_group_open_http_svc";

afterEach(() =>
  emu().control.configure({
    workGroupAdmins: "refused",
    textLimits: "current",
    missingTopicAnswer: "item",
    errorTexts: "explained",
    missingProfileAnswer: "item",
    accountIds: "recommended",
    dailyGroupQuota: 0,
  }),
);

beforeEach(() => emu().importAccounts("alice", "bob"));

describe("admins on a Work (Private) group", () => {
  it("are refused by default, at create and by modify_group_member_info, with 10004", async () => {
    const created = await emu().groupFails("create_group", {
      Type: "Private",
      Name: "n",
      MemberList: [{ Member_Account: "alice", Role: "Admin" }],
    });
    expect(created).toMatchObject({ code: 10004, info: expect.stringContaining("Work (Private) group has no admins") });
    const { GroupId } = (await emu().group("create_group", {
      Type: "Private",
      Name: "n",
      MemberList: [{ Member_Account: "alice" }],
    })) as { GroupId: string };
    expect(
      (await emu().groupFails("modify_group_member_info", { GroupId, Member_Account: "alice", Role: "Admin" })).code,
    ).toBe(10004);
    // A Public group takes them.
    const pub = (await emu().group("create_group", {
      Type: "Public",
      Name: "n",
      MemberList: [{ Member_Account: "alice", Role: "Admin" }],
    })) as { GroupId: string };
    expect(pub.GroupId).toBeTruthy();
  });

  it("are taken when the app is set to allow them", async () => {
    await emu().control.configure({ workGroupAdmins: "allowed" });
    await emu().group("create_group", {
      Type: "Private",
      Name: "n",
      MemberList: [{ Member_Account: "alice", Role: "Admin" }],
    });
  });
});

describe("group text limits", () => {
  it.each([
    ["current", 100, 101],
    ["legacy", 30, 31],
  ] as const)("with %s limits take a name of %i bytes and refuse %i with 10004", async (textLimits, fits, over) => {
    await emu().control.configure({ textLimits });
    await emu().group("create_group", { Type: "Public", Name: "n".repeat(fits) });
    expect((await emu().groupFails("create_group", { Type: "Public", Name: "n".repeat(over) })).code).toBe(10004);
  });
});

describe("get_topic for a topic that does not exist", () => {
  let gid = "";
  beforeEach(async () => {
    gid = (
      (await emu().group("create_group", { Type: "Community", Name: "Guild", SupportTopic: 1 })) as { GroupId: string }
    ).GroupId;
  });
  const ask = () =>
    emu().raw(TOPIC, "get_topic", { GroupId: gid, From_Account: "administrator", TopicIdList: [`${gid}@TOPIC#_gone`] });

  it.each([
    [
      "item",
      (r: Awaited<ReturnType<typeof ask>>) =>
        expect(r.json).toMatchObject({ ErrorCode: 0, TopicAndSelfInfo: [{ ErrorCode: 110003 }] }),
    ],
    [
      "omitted",
      (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ErrorCode: 0, TopicAndSelfInfo: [] }),
    ],
    [
      "call-110003",
      (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 110003 }),
    ],
    [
      "call-10004",
      (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 10004 }),
    ],
  ] as const)("answers as %s when set so", async (missingTopicAnswer, expectAnswer) => {
    await emu().control.configure({ missingTopicAnswer });
    expectAnswer(await ask());
  });
});

describe("terse ErrorInfo texts", () => {
  it("answer in the service's few words instead of the emulator's explanations", async () => {
    const explained = await emu().groupFails("create_group", { Type: "Public", Name: "n", Owner_Account: "nobody" });
    await emu().control.configure({ errorTexts: "terse" });
    const terse = await emu().groupFails("create_group", { Type: "Public", Name: "n", Owner_Account: "nobody" });
    expect(terse).toMatchObject({ code: explained.code, info: "account not exist" });
    expect(explained.info).not.toBe(terse.info);
  });
});

describe.each(["item", "call"] as const)("portrait_get answering a missing account as %s", (missingProfileAnswer) => {
  it("answers so, and the client reads the same per-account results from either", async () => {
    await emu().control.configure({ missingProfileAnswer });
    const raw = await emu().raw("profile", "portrait_get", {
      To_Account: ["alice", "nobody"],
      TagList: ["Tag_Profile_IM_Nick"],
    });
    if (missingProfileAnswer === "call") expect(raw.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 40003 });
    else
      expect(raw.json.UserProfileItem).toEqual([
        expect.objectContaining({ To_Account: "alice", ResultCode: 0 }),
        expect.objectContaining({ To_Account: "nobody", ResultCode: 40003 }),
      ]);
    const profiles = await testClient(emu()).client.getProfiles(["alice", "nobody", "bob"], ["Tag_Profile_IM_Nick"]);
    expect([...profiles].map(([id, p]) => [id, p.resultCode]).sort()).toEqual([
      ["alice", 0],
      ["bob", 0],
      ["nobody", 40003],
    ]);
  });
});

describe.each(["recommended", "extended"] as const)(
  "account IDs with . and @ when the app takes %s IDs",
  (accountIds) => {
    it(accountIds === "extended" ? "are imported" : "are refused with 70402", async () => {
      await emu().control.configure({ accountIds });
      const answer = await emu().raw("im_open_login_svc", "account_import", { UserID: "a.b@c" });
      expect(answer.json.ErrorCode).toBe(accountIds === "extended" ? 0 : 70402);
    });
  },
);

describe("the plan's daily quota of net new groups", () => {
  const create = (e: TestEmulator, GroupId: string) =>
    e.raw("group_open_http_svc", "create_group", { Type: "Public", Name: "n", GroupId }).then((r) => r.json.ErrorCode);

  it("answers 10006 past it, counts dissolved groups against it, and starts again on the next Beijing day", async () => {
    // 23:59:00 in Beijing (15:59 UTC); the clock is the emulator's own.
    let now = Date.parse("2026-12-02T15:59:00Z");
    const e = await TestEmulator.start({ clock: () => now, policy: { dailyGroupQuota: 2 } });
    try {
      expect([await create(e, "a"), await create(e, "b"), await create(e, "c")]).toEqual([0, 0, 10006]);
      await e.group("destroy_group", { GroupId: "a" });
      expect([await create(e, "c"), await create(e, "d")]).toEqual([0, 10006]);
      now += 60_000; // midnight in Beijing
      expect([await create(e, "d"), await create(e, "e"), await create(e, "f")]).toEqual([0, 0, 10006]);
      expect((await e.control.state()).groups.map((g) => g.groupId).sort()).toEqual(["b", "c", "d", "e"]);
    } finally {
      await e.close();
    }
  });

  it("keeps the day's count in the state file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "quota-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await TestEmulator.start({ stateFile, policy: { dailyGroupQuota: 1 } });
      expect(await create(first, "a")).toBe(0);
      await first.close();
      const second = await TestEmulator.start({ stateFile, policy: { dailyGroupQuota: 1 } });
      try {
        expect(await create(second, "b")).toBe(10006);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
