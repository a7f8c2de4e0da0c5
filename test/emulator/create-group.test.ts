import { checkInputs } from "../../provider/chat-group/inputs";
import { useEmulator } from "../helpers/emulator";

// MaxMemberCount 300: an app whose plan allows it (a Trial app's cap is 20).
const emu = useEmulator({ plan: "pro" });
beforeEach(async () => {
  await emu().importAccounts("owner1", "alice", "bob");
});

async function info(groupId: string) {
  const res = await emu().group("get_group_info", { GroupIdList: [groupId] });
  return (res.GroupInfo as Record<string, unknown>[])[0];
}

describe("create_group", () => {
  it.each(["Private", "Public", "ChatRoom", "AVChatRoom"])(
    "creates a %s group with a server-assigned @TGS# ID",
    async (Type) => {
      const res = await emu().group("create_group", { Type, Name: `a ${Type}` });
      expect(res.GroupId).toMatch(/^@TGS#[A-Z0-9]+$/);
      expect(await info(res.GroupId as string)).toMatchObject({ ErrorCode: 0, Type, Name: `a ${Type}` });
    },
  );

  it("creates a Community with an @TGS#_ ID", async () => {
    const res = await emu().group("create_group", { Type: "Community", Name: "town", SupportTopic: 1 });
    expect(res.GroupId).toMatch(/^@TGS#_/);
  });

  it("stores every create field under its create-time name and reports it under the read name", async () => {
    const res = await emu().group("create_group", {
      Type: "Public",
      GroupId: "qa-room-1",
      Name: "QA room",
      Introduction: "intro",
      Notification: "notice",
      FaceUrl: "https://example.com/a.png",
      Owner_Account: "owner1",
      MaxMemberCount: 300,
      ApplyJoinOption: "FreeAccess",
      InviteJoinOption: "DisableInvite",
      AppDefinedData: [{ Key: "env", Value: "pr-1" }],
      MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob", Role: "Admin" }],
    });
    expect(res.GroupId).toBe("qa-room-1");
    const group = await info("qa-room-1");
    expect(group).toMatchObject({
      Introduction: "intro",
      Notification: "notice",
      FaceUrl: "https://example.com/a.png",
      Owner_Account: "owner1",
      MaxMemberNum: 300,
      MemberNum: 3,
      ApplyJoinOption: "FreeAccess",
      InviteJoinOption: "DisableInvite",
      MuteAllMember: "Off",
      AppDefinedData: [{ Key: "env", Value: "pr-1" }],
    });
    expect(group.MaxMemberCount).toBeUndefined();
    const roles = (group.MemberList as { Member_Account: string; Role: string }[]).map((m) => [
      m.Member_Account,
      m.Role,
    ]);
    expect(roles).toEqual([
      ["owner1", "Owner"],
      ["alice", "Member"],
      ["bob", "Admin"],
    ]);
  });

  it("creates a group with no owner and no members", async () => {
    const res = await emu().group("create_group", { Type: "Private", Name: "ownerless" });
    expect(await info(res.GroupId as string)).toMatchObject({ Owner_Account: "", MemberNum: 0 });
  });

  describe("custom GroupId rules", () => {
    it.each([
      ["longer than 48 bytes", { Type: "Public", GroupId: "g".repeat(49) }, "48 bytes"],
      ["starting with @TGS# for a non-Community", { Type: "Public", GroupId: "@TGS#mine" }, "@TGS#"],
      ["not starting with @TGS#_ for a Community", { Type: "Community", GroupId: "town" }, "@TGS#_"],
      ["holding non-ASCII characters", { Type: "Public", GroupId: "群组" }, "ASCII"],
      ["holding a control character", { Type: "Public", GroupId: "a\nb" }, "ASCII"],
    ])("refuses an ID %s with 10004", async (_label, body, hint) => {
      const failure = await emu().groupFails("create_group", { Name: "n", ...body });
      expect(failure).toMatchObject({ code: 10004, info: expect.stringContaining(hint) });
    });

    it.each([
      ["Public", "g".repeat(49)],
      ["Public", "@TGS#mine"],
      ["Community", "town"],
      ["Public", "群组"],
      ["Public", "a\nb"],
      ["Public", "g".repeat(48)],
      ["Community", "@TGS#_town"],
      ["Private", "@TGS_x"],
    ])("refuses a %s group's ID %j exactly when check does, for the same reason", async (type, groupId) => {
      const checked = checkInputs({}, { type, name: "n", groupId }).failures.find((f) => f.property === "groupId");
      const answer = (
        await emu().raw("group_open_http_svc", "create_group", { Type: type, Name: "n", GroupId: groupId })
      ).json;
      expect(answer.ErrorCode === 0 ? undefined : answer.ErrorInfo).toBe(
        checked?.reason.replace(/^groupId/, "GroupId"),
      );
    });

    it("accepts a 48-byte ID and a Community ID with the @TGS#_ prefix", async () => {
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "g".repeat(48) });
      await emu().group("create_group", { Type: "Community", Name: "n", GroupId: "@TGS#_town" });
    });

    it("answers 10021 when another owner's group holds the ID", async () => {
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "taken", Owner_Account: "alice" });
      expect(await emu().groupFails("create_group", { Type: "Public", Name: "n", GroupId: "taken" })).toMatchObject({
        code: 10021,
      });
    });

    it("answers 10025 when the group holding the ID is owned by the caller", async () => {
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "mine", Owner_Account: "administrator" });
      expect(await emu().groupFails("create_group", { Type: "Public", Name: "n", GroupId: "mine" })).toMatchObject({
        code: 10025,
      });
    });

    it("lets a dissolved group's ID be used again", async () => {
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "again" });
      await emu().group("destroy_group", { GroupId: "again" });
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "again" });
    });
  });

  describe("limits and permissions", () => {
    it.each([
      ["Name", 100],
      ["Introduction", 400],
      ["Notification", 400],
      ["FaceUrl", 500],
    ])("measures %s in UTF-8 bytes and refuses more than %d with 10004", async (field, limit) => {
      // "群" is 3 bytes in UTF-8: a string of limit/3+1 of them is short in characters but too long in bytes.
      const tooLong = "群".repeat(Math.floor(limit / 3) + 1);
      const failure = await emu().groupFails("create_group", { Type: "Public", Name: "n", [field]: tooLong });
      expect(failure).toMatchObject({ code: 10004, info: expect.stringContaining(field) });
      await emu().group("create_group", { Type: "Public", Name: "n", [field]: "a".repeat(limit) });
    });

    it("requires Type and Name", async () => {
      expect(await emu().groupFails("create_group", { Name: "n" })).toMatchObject({
        code: 10004,
        info: expect.stringContaining("Type"),
      });
      expect(await emu().groupFails("create_group", { Type: "Public" })).toMatchObject({
        code: 10004,
        info: expect.stringContaining("Name"),
      });
    });

    it("refuses the new type names, which the REST API does not document", async () => {
      expect(await emu().groupFails("create_group", { Type: "Work", Name: "n" })).toMatchObject({ code: 10004 });
    });

    it("refuses an AVChatRoom with a MemberList (10007)", async () => {
      const failure = await emu().groupFails("create_group", {
        Type: "AVChatRoom",
        Name: "live",
        MemberList: [{ Member_Account: "alice" }],
      });
      expect(failure.code).toBe(10007);
    });

    it("refuses an owner or member that was never imported (10019)", async () => {
      expect(
        await emu().groupFails("create_group", { Type: "Public", Name: "n", Owner_Account: "ghost" }),
      ).toMatchObject({ code: 10019 });
      const failure = await emu().groupFails("create_group", {
        Type: "Public",
        Name: "n",
        MemberList: [{ Member_Account: "ghost" }],
      });
      expect(failure.code).toBe(10019);
    });

    it("refuses more than 100 initial members (10005)", async () => {
      const MemberList = Array.from({ length: 101 }, (_, i) => ({ Member_Account: `m${i}` }));
      expect((await emu().groupFails("create_group", { Type: "Public", Name: "n", MemberList })).code).toBe(10005);
    });

    it.each([
      ["trial", 20],
      ["pro", 2000],
      ["pro-plus", 5000],
      ["enterprise", 6000],
    ] as const)(
      "on a %s app gives a group %i members by default, refuses more, and a Community 100,000",
      async (plan, cap) => {
        await emu().control.configure({ plan });
        try {
          await emu().group("create_group", { Type: "Private", Name: "n", GroupId: `${plan}-default` });
          await emu().group("create_group", { Type: "Community", Name: "n", GroupId: `@TGS#_${plan}` });
          const { GroupInfo } = (await emu().group("get_group_info", {
            GroupIdList: [`${plan}-default`, `@TGS#_${plan}`],
          })) as { GroupInfo: { MaxMemberNum: number }[] };
          expect(GroupInfo.map((g) => g.MaxMemberNum)).toEqual([cap, 100_000]);
          const over = await emu().groupFails("create_group", { Type: "Public", Name: "n", MaxMemberCount: cap + 1 });
          expect(over).toMatchObject({ code: 10004, info: expect.stringContaining(`must not exceed ${cap}`) });
          const raised = await emu().groupFails("modify_group_base_info", {
            GroupId: `${plan}-default`,
            MaxMemberNum: cap + 1,
          });
          expect(raised.code).toBe(10004);
        } finally {
          await emu().control.configure({ plan: "pro" });
        }
      },
    );

    it("refuses more members than MaxMemberCount: the group would be full (10014)", async () => {
      const failure = await emu().groupFails("create_group", {
        Type: "Public",
        Name: "n",
        MaxMemberCount: 2,
        Owner_Account: "owner1",
        MemberList: [{ Member_Account: "alice" }, { Member_Account: "bob" }],
      });
      expect(failure.code).toBe(10014);
    });

    it("refuses a dissolved group's ID with 10021 when destroyed IDs are reserved, and takes it again when reusable", async () => {
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "again" });
      await emu().group("destroy_group", { GroupId: "again" });
      await emu().control.configure({ destroyedGroupIds: "reserved" });
      try {
        expect((await emu().groupFails("create_group", { Type: "Public", Name: "n", GroupId: "again" })).code).toBe(
          10021,
        );
      } finally {
        await emu().control.configure({ destroyedGroupIds: "reusable" });
      }
      await emu().group("create_group", { Type: "Public", Name: "n", GroupId: "again" });
    });

    it("refuses SupportTopic outside a Community and an Owner role in MemberList", async () => {
      expect((await emu().groupFails("create_group", { Type: "Public", Name: "n", SupportTopic: 1 })).code).toBe(10004);
      const failure = await emu().groupFails("create_group", {
        Type: "Public",
        Name: "n",
        MemberList: [{ Member_Account: "alice", Role: "Owner" }],
      });
      expect(failure.code).toBe(10004);
    });

    it.each([
      ["ApplyJoinOption", "Sometimes"],
      ["InviteJoinOption", "DisableApply"],
    ])("refuses %s=%s, which is not one of its values", async (field, value) => {
      expect(await emu().groupFails("create_group", { Type: "Public", Name: "n", [field]: value })).toMatchObject({
        code: 10004,
        info: expect.stringContaining(field),
      });
    });

    it("limits AppDefinedData to 10 fields with keys of [A-Za-z0-9_] up to 16 bytes", async () => {
      const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      expect((await emu().groupFails("create_group", { Type: "Public", Name: "n", AppDefinedData: eleven })).code).toBe(
        10004,
      );
      expect(
        (
          await emu().groupFails("create_group", {
            Type: "Public",
            Name: "n",
            AppDefinedData: [{ Key: "a-b", Value: "v" }],
          })
        ).code,
      ).toBe(10004);
      expect(
        (
          await emu().groupFails("create_group", {
            Type: "Public",
            Name: "n",
            AppDefinedData: [{ Key: "k".repeat(17), Value: "v" }],
          })
        ).code,
      ).toBe(10004);
    });

    it("creates nothing when a request is refused", async () => {
      await emu().groupFails("create_group", {
        Type: "Public",
        Name: "n",
        GroupId: "half",
        MemberList: [{ Member_Account: "ghost" }],
      });
      expect((await emu().control.state()).groups).toEqual([]);
    });
  });
});
