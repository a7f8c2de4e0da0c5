import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();
beforeEach(async () => {
  await emu().importAccounts("owner1", "alice", "bob", "carol");
});

type Info = Record<string, unknown> & { MemberList?: { Member_Account: string; Role: string }[] };

async function info(groupId: string): Promise<Info> {
  const res = await emu().group("get_group_info", { GroupIdList: [groupId] });
  return (res.GroupInfo as Info[])[0];
}

async function create(GroupId: string, extra: Record<string, unknown> = {}): Promise<void> {
  await emu().group("create_group", { Type: "Public", Name: GroupId, GroupId, ...extra });
}

describe("get_group_info", () => {
  it("answers up to 50 groups in one call, each with its own ErrorCode", async () => {
    const ids = Array.from({ length: 48 }, (_, i) => `g${i}`);
    for (const id of ids) await create(id);
    await emu().group("destroy_group", { GroupId: "g0" });
    const res = await emu().group("get_group_info", { GroupIdList: [...ids, "never-was", "g1"] });
    const items = res.GroupInfo as Info[];
    expect(res).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(items).toHaveLength(50);
    expect(items[0]).toEqual({ GroupId: "g0", ErrorCode: 10010, ErrorInfo: "this group does not exist" });
    expect(items[1]).toMatchObject({ GroupId: "g1", ErrorCode: 0, Name: "g1" });
    expect(items[48]).toMatchObject({ GroupId: "never-was", ErrorCode: 10015 });
  });

  it("refuses more than 50 IDs and an empty list with 10004", async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `g${i}`);
    expect(await emu().groupFails("get_group_info", { GroupIdList: ids })).toMatchObject({
      code: 10004,
      info: expect.stringContaining("50"),
    });
    expect((await emu().groupFails("get_group_info", { GroupIdList: [] })).code).toBe(10004);
  });

  it("returns only the fields a ResponseFilter names", async () => {
    await create("filtered", {
      Owner_Account: "owner1",
      AppDefinedData: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    });
    const res = await emu().group("get_group_info", {
      GroupIdList: ["filtered"],
      ResponseFilter: {
        GroupBaseInfoFilter: ["Name", "MemberNum"],
        MemberInfoFilter: ["Role"],
        AppDefinedDataFilter_Group: ["b"],
      },
    });
    expect((res.GroupInfo as Info[])[0]).toEqual({
      GroupId: "filtered",
      ErrorCode: 0,
      ErrorInfo: "",
      Name: "filtered",
      MemberNum: 1,
      AppDefinedData: [{ Key: "b", Value: "2" }],
      MemberList: [{ Member_Account: "owner1", Role: "Owner" }],
    });
  });
});

describe("modify_group_base_info", () => {
  it("changes the named fields and leaves the others", async () => {
    await create("m", { Introduction: "keep" });
    await emu().group("modify_group_base_info", {
      GroupId: "m",
      Name: "renamed",
      Notification: "n2",
      MuteAllMember: "On",
      ApplyJoinOption: "DisableApply",
    });
    expect(await info("m")).toMatchObject({
      Name: "renamed",
      Introduction: "keep",
      Notification: "n2",
      MuteAllMember: "On",
      ApplyJoinOption: "DisableApply",
      InfoSeq: 2,
    });
  });

  it("sets the member cap through MaxMemberNum and ignores the create-time name MaxMemberCount", async () => {
    await create("cap");
    await emu().group("modify_group_base_info", { GroupId: "cap", MaxMemberCount: 15 });
    // A Trial app's: its plan's cap.
    expect((await info("cap")).MaxMemberNum).toBe(20);
    await emu().group("modify_group_base_info", { GroupId: "cap", MaxMemberNum: 15 });
    expect((await info("cap")).MaxMemberNum).toBe(15);
  });

  it("deletes an AppDefinedData key given an empty Value", async () => {
    await create("app", {
      AppDefinedData: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    });
    await emu().group("modify_group_base_info", {
      GroupId: "app",
      AppDefinedData: [
        { Key: "a", Value: "" },
        { Key: "c", Value: "3" },
      ],
    });
    expect((await info("app")).AppDefinedData).toEqual([
      { Key: "b", Value: "2" },
      { Key: "c", Value: "3" },
    ]);
  });

  it.each(["__proto__", "constructor", "toString"])(
    "keeps an AppDefinedData key named %s like any other, on create and on modify",
    async (key) => {
      await create("proto", { AppDefinedData: [{ Key: key, Value: "1" }] });
      expect((await info("proto")).AppDefinedData).toEqual([{ Key: key, Value: "1" }]);
      await emu().group("modify_group_base_info", {
        GroupId: "proto",
        AppDefinedData: [
          { Key: key, Value: "2" },
          { Key: "b", Value: "3" },
        ],
      });
      expect((await info("proto")).AppDefinedData).toEqual([
        { Key: key, Value: "2" },
        { Key: "b", Value: "3" },
      ]);
      await emu().group("modify_group_base_info", { GroupId: "proto", AppDefinedData: [{ Key: key, Value: "" }] });
      expect((await info("proto")).AppDefinedData).toEqual([{ Key: "b", Value: "3" }]);
    },
  );

  it("accepts the older name ShutUpAllMember", async () => {
    await create("old");
    await emu().group("modify_group_base_info", { GroupId: "old", ShutUpAllMember: "On" });
    expect((await info("old")).MuteAllMember).toBe("On");
  });

  it("changes nothing when one field is invalid", async () => {
    await create("atomic");
    const failure = await emu().groupFails("modify_group_base_info", {
      GroupId: "atomic",
      Name: "new",
      FaceUrl: "x".repeat(501),
    });
    expect(failure).toMatchObject({ code: 10004, info: expect.stringContaining("FaceUrl") });
    expect((await info("atomic")).Name).toBe("atomic");
  });

  it("answers 10010 for a missing group", async () => {
    expect((await emu().groupFails("modify_group_base_info", { GroupId: "nope", Name: "x" })).code).toBe(10010);
  });
});

describe("destroy_group", () => {
  it("dissolves a group, and answers 10010 when asked again", async () => {
    await create("bye");
    await emu().group("destroy_group", { GroupId: "bye" });
    expect(await emu().groupFails("destroy_group", { GroupId: "bye" })).toEqual({
      status: 200,
      code: 10010,
      info: "this group does not exist",
    });
    expect((await info("bye")).ErrorCode).toBe(10010);
  });

  it.each(["AVChatRoom", "Community", "Private", "ChatRoom"])("dissolves a %s group", async (Type) => {
    const res = await emu().group("create_group", { Type, Name: "x" });
    await emu().group("destroy_group", { GroupId: res.GroupId });
    expect((await emu().control.state()).groups).toEqual([]);
  });

  it("requires GroupId", async () => {
    expect((await emu().groupFails("destroy_group", {})).code).toBe(10004);
  });
});

describe("members", () => {
  it("adds members, reporting who was added and who was already there", async () => {
    await create("team", { Owner_Account: "owner1", MemberList: [{ Member_Account: "alice" }] });
    const res = await emu().group("add_group_member", {
      GroupId: "team",
      Silence: 1,
      MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob" }],
    });
    expect(res.MemberList).toEqual([
      { Member_Account: "alice", Result: 2 },
      { Member_Account: "bob", Result: 1 },
    ]);
    expect((await info("team")).MemberNum).toBe(3);
  });

  it("answers 10014 when the group is full, adding none of the batch", async () => {
    await create("small", { MaxMemberCount: 2, MemberList: [{ Member_Account: "alice" }] });
    const failure = await emu().groupFails("add_group_member", {
      GroupId: "small",
      MemberList: [{ Member_Account: "bob" }, { Member_Account: "carol" }],
    });
    expect(failure.code).toBe(10014);
    expect((await info("small")).MemberNum).toBe(1);
  });

  it.each([
    [0, "failed"],
    [3, "waiting for the invitee"],
  ] as const)(
    "answers Result %d (%s) for accounts a memberResult fault names, without adding them",
    async (result, _meaning) => {
      await create("team");
      await emu().control.addFault({
        command: "add_group_member",
        action: { kind: "memberResult", result, accounts: ["bob"] },
      });
      const res = await emu().group("add_group_member", {
        GroupId: "team",
        MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob" }],
      });
      expect(res.MemberList).toEqual([
        { Member_Account: "alice", Result: 1 },
        { Member_Account: "bob", Result: result },
      ]);
      expect((await info("team")).MemberNum).toBe(1);
    },
  );

  it("refuses more than 20 accounts in one add_group_member call (10005)", async () => {
    await create("big");
    const MemberList = Array.from({ length: 21 }, (_, i) => ({ Member_Account: `u${i}` }));
    expect((await emu().groupFails("add_group_member", { GroupId: "big", MemberList })).code).toBe(10005);
  });

  it("refuses accounts that were never imported (10019) and adds none of the batch", async () => {
    await create("strict");
    const failure = await emu().groupFails("add_group_member", {
      GroupId: "strict",
      MemberList: [{ Member_Account: "alice" }, { Member_Account: "ghost" }],
    });
    expect(failure.code).toBe(10019);
    expect((await info("strict")).MemberNum).toBe(0);
  });

  it("refuses member changes on an AVChatRoom", async () => {
    const res = await emu().group("create_group", { Type: "AVChatRoom", Name: "live" });
    expect(
      (await emu().groupFails("add_group_member", { GroupId: res.GroupId, MemberList: [{ Member_Account: "alice" }] }))
        .code,
    ).toBe(10007);
    expect(
      (await emu().groupFails("delete_group_member", { GroupId: res.GroupId, MemberToDel_Account: ["alice"] })).code,
    ).toBe(10004);
  });

  it("removes members, succeeds for accounts that are not members, and keeps the owner", async () => {
    await create("shrink", {
      Owner_Account: "owner1",
      MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob" }],
    });
    await emu().group("delete_group_member", { GroupId: "shrink", MemberToDel_Account: ["alice", "carol"] });
    expect((await info("shrink")).MemberList?.map((m) => m.Member_Account)).toEqual(["owner1", "bob"]);
    expect(
      (await emu().groupFails("delete_group_member", { GroupId: "shrink", MemberToDel_Account: ["owner1"] })).code,
    ).toBe(10004);
  });

  it("hands ownership to a member, and refuses a non-member", async () => {
    await create("own", { Owner_Account: "owner1", MemberList: [{ Member_Account: "alice" }] });
    expect((await emu().groupFails("change_group_owner", { GroupId: "own", NewOwner_Account: "bob" })).code).toBe(
      10004,
    );
    await emu().group("change_group_owner", { GroupId: "own", NewOwner_Account: "alice" });
    const group = await info("own");
    expect(group.Owner_Account).toBe("alice");
    expect(group.MemberList).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Member_Account: "alice", Role: "Owner" }),
        expect.objectContaining({ Member_Account: "owner1", Role: "Member" }),
      ]),
    );
  });

  it("sets an owner on an ownerless group", async () => {
    await create("nobody", { MemberList: [{ Member_Account: "bob" }] });
    await emu().group("change_group_owner", { GroupId: "nobody", NewOwner_Account: "bob" });
    expect((await info("nobody")).Owner_Account).toBe("bob");
  });
});
