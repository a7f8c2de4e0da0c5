import { testClient } from "../helpers/client";
import { TEST_SDKAPPID, useEmulator } from "../helpers/emulator";

// Groups of a hundred members and more: an app whose plan allows them (a Trial app's cap is 20).
const emu = useEmulator({ rateLimits: { get_appid_group_list: 0 }, plan: "enterprise" });
beforeEach(async () => {
  await emu().importAccounts("owner1", "alice", "bob");
});

async function lastBody(command: string): Promise<unknown> {
  const log = await emu().control.requests(command);
  return JSON.parse(log[log.length - 1].body);
}

describe("the wire shape of each command", () => {
  it("sends POST /v4/<service>/<command> with the five query parameters and a signature the server accepts", async () => {
    const { client } = testClient(emu());
    await client.getGroupInfo(["a"]);
    await client.getGroupInfo(["b"]);
    const log = await emu().control.requests("get_group_info");
    expect(log).toHaveLength(2);
    for (const entry of log) {
      expect(entry).toMatchObject({
        method: "POST",
        path: "/v4/group_open_http_svc/get_group_info",
        httpStatus: 200,
        errorCode: 0,
      });
      expect(Object.keys(entry.query).sort()).toEqual(["contenttype", "identifier", "random", "sdkappid", "usersig"]);
      expect(entry.query).toMatchObject({
        sdkappid: String(TEST_SDKAPPID),
        identifier: "administrator",
        contenttype: "json",
      });
      const random = Number(entry.query.random);
      expect(Number.isInteger(random) && random >= 0 && random <= 4294967295).toBe(true);
    }
    expect(log[0].query.random).not.toBe(log[1].query.random);
  });

  it("create_group: Tencent's create-time field names, MaxMemberCount included", async () => {
    const { client } = testClient(emu());
    const req = {
      Type: "Public",
      Name: "QA",
      GroupId: "qa",
      Owner_Account: "owner1",
      Introduction: "i",
      Notification: "n",
      FaceUrl: "https://x/y.png",
      MaxMemberCount: 100,
      ApplyJoinOption: "FreeAccess",
      InviteJoinOption: "NeedPermission",
      AppDefinedData: [{ Key: "k", Value: "v" }],
      MemberList: [{ Member_Account: "alice" }],
    };
    expect(await client.createGroup(req)).toEqual({ groupId: "qa", recovered: false });
    expect(await lastBody("create_group")).toEqual(req);
  });

  it("get_group_info returns typed groups, with per-group codes for missing ones", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Private", Name: "p", GroupId: "p", Owner_Account: "owner1" });
    const [found, missing] = await client.getGroupInfo(["p", "nope"]);
    expect(found).toMatchObject({ GroupId: "p", ErrorCode: 0, Type: "Private", Owner_Account: "owner1", MemberNum: 1 });
    expect(missing).toMatchObject({ GroupId: "nope", ErrorCode: 10015 });
    expect(await client.getGroup("nope")).toBeUndefined();
    expect(await lastBody("get_group_info")).toEqual({ GroupIdList: ["nope"] });
  });

  it("modify_group_base_info sends MaxMemberNum, MuteAllMember and AppDefinedData deletions", async () => {
    const { client } = testClient(emu());
    await client.createGroup({
      Type: "Public",
      Name: "m",
      GroupId: "m",
      AppDefinedData: [{ Key: "gone", Value: "1" }],
    });
    await client.modifyGroupBaseInfo({
      GroupId: "m",
      Name: "m2",
      MaxMemberNum: 50,
      MuteAllMember: "On",
      AppDefinedData: [{ Key: "gone", Value: "" }],
    });
    expect(await lastBody("modify_group_base_info")).toEqual({
      GroupId: "m",
      Name: "m2",
      MaxMemberNum: 50,
      MuteAllMember: "On",
      AppDefinedData: [{ Key: "gone", Value: "" }],
    });
    expect(await client.getGroup("m")).toMatchObject({
      Name: "m2",
      MaxMemberNum: 50,
      MuteAllMember: "On",
      AppDefinedData: [],
    });
  });

  it("destroy_group reports destroyed, then already gone (10010)", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Public", Name: "d", GroupId: "d" });
    expect(await client.destroyGroup("d")).toBe("destroyed");
    expect(await client.destroyGroup("d")).toBe("already-gone");
    expect(await lastBody("destroy_group")).toEqual({ GroupId: "d" });
  });

  it("change_group_owner, add_group_member and delete_group_member", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Public", Name: "t", GroupId: "t", Owner_Account: "owner1" });
    expect(await client.addGroupMembers("t", ["alice", "bob"], { silence: true })).toEqual([
      { account: "alice", result: 1 },
      { account: "bob", result: 1 },
    ]);
    expect(await lastBody("add_group_member")).toEqual({
      GroupId: "t",
      Silence: 1,
      MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob" }],
    });
    await client.changeGroupOwner("t", "alice");
    expect(await lastBody("change_group_owner")).toEqual({ GroupId: "t", NewOwner_Account: "alice" });
    await client.deleteGroupMembers("t", ["bob"], { reason: "cleanup" });
    expect(await lastBody("delete_group_member")).toEqual({
      GroupId: "t",
      MemberToDel_Account: ["bob"],
      Silence: 0,
      Reason: "cleanup",
    });
    expect(await client.getGroup("t")).toMatchObject({ Owner_Account: "alice", MemberNum: 2 });
  });

  it("account commands", async () => {
    const { client } = testClient(emu());
    await client.importAccount({ userId: "carol", nick: "Carol" });
    expect(await lastBody("account_import")).toEqual({ UserID: "carol", Nick: "Carol" });
    expect(await client.importAccounts(["d1", "d2"])).toEqual([]);
    expect(await client.checkAccounts(["carol", "zed"])).toEqual(
      new Map([
        ["carol", true],
        ["zed", false],
      ]),
    );
    expect(await client.deleteAccounts(["carol", "zed"])).toEqual([
      { userId: "carol", resultCode: 0, resultInfo: "" },
      { userId: "zed", resultCode: 70107, resultInfo: "Err_TLS_PT_Open_Login_Account_Not_Exist" },
    ]);
  });
});

describe("splitting large requests at Tencent's per-call limits", () => {
  it("reads 120 groups in three get_group_info calls of at most 50", async () => {
    const { client } = testClient(emu());
    const ids = Array.from({ length: 120 }, (_, i) => `x${i}`);
    expect(await client.getGroupInfo(ids)).toHaveLength(120);
    const sizes = (await emu().control.requests("get_group_info")).map(
      (e) => (JSON.parse(e.body) as { GroupIdList: string[] }).GroupIdList.length,
    );
    expect(sizes.sort((a, b) => b - a)).toEqual([50, 50, 20]);
  });

  it("adds 45 members in calls of 20 and removes 150 in calls of 100", async () => {
    const { client } = testClient(emu());
    const users = Array.from({ length: 150 }, (_, i) => `u${i}`);
    expect(await client.importAccounts(users)).toEqual([]);
    await client.createGroup({ Type: "Public", Name: "big", GroupId: "big" });
    await client.addGroupMembers("big", users.slice(0, 45));
    await client.deleteGroupMembers("big", users);
    const adds = (await emu().control.requests("add_group_member")).map(
      (e) => (JSON.parse(e.body) as { MemberList: unknown[] }).MemberList.length,
    );
    const deletes = (await emu().control.requests("delete_group_member")).map(
      (e) => (JSON.parse(e.body) as { MemberToDel_Account: unknown[] }).MemberToDel_Account.length,
    );
    expect(adds).toEqual([20, 20, 5]);
    expect(deletes).toEqual([100, 50]);
    expect(await client.getGroup("big")).toMatchObject({ MemberNum: 0 });
  });
});

describe("get_appid_group_list", () => {
  it("keeps Next as a 64-bit integer and pages through every group", async () => {
    const { client } = testClient(emu());
    for (let i = 0; i < 30; i++) await client.createGroup({ Type: "Public", Name: "n", GroupId: `g${i}` });
    const seen: string[] = [];
    let next = 0n;
    const cursors: bigint[] = [];
    do {
      const page = await client.listGroups({ limit: 7, next });
      expect(page.totalCount).toBe(30);
      seen.push(...page.groupIds);
      next = page.next;
      cursors.push(next);
    } while (next !== 0n);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `g${i}`));
    expect(cursors.slice(0, -1).every((c) => c > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    // The cursor went back on the wire exactly as received.
    const sent = (await emu().control.requests("get_appid_group_list")).map((e) => /"Next":(\d+)/.exec(e.body)?.[1]);
    expect(sent.slice(1)).toEqual(cursors.slice(0, -1).map(String));
  });

  it("filters by group type", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Private", Name: "n", GroupId: "p1" });
    await client.createGroup({ Type: "Public", Name: "n", GroupId: "q1" });
    expect(await client.listGroups({ groupType: "Private" })).toEqual({ totalCount: 1, groupIds: ["p1"], next: 0n });
  });
});
