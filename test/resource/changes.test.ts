/**
 * Updates, replacements and adoption of ChatGroup, through Pulumi's provider host.
 */
import { CheckFailed } from "../../harness/engine";
import { HostCallError, UNKNOWN as unknown } from "../../harness/provider-host";
import { urnOf, useStack } from "../helpers/stack";

// Member limits and groups of over a hundred: an app whose plan allows them (a Trial app's cap is 20).
const stack = useStack(
  async (s) => {
    await s.emu.importAccounts("owner1", "owner2", "alice", "bob", "carol", "dave");
    await s.emu.control.clearRequests();
  },
  { emulator: { plan: "pro" } },
);

const liveGroup = async (id: string) => (await stack().emu.control.state()).groups.find((g) => g.groupId === id);
const memberIds = async (id: string) => (await liveGroup(id))?.members.map((m) => m.account).sort();
const modifyBodies = async () =>
  (await stack().emu.control.requests("modify_group_base_info")).map(
    (r) => JSON.parse(r.body) as Record<string, unknown>,
  );

describe("diff", () => {
  it.each([
    ["type", { type: "Private" }],
    ["groupId", { groupId: "other-id" }],
  ])("replaces the group when %s changes", async (property, change) => {
    const before = await stack().up("g", { type: "Public", name: "n", groupId: "fixed" });
    const news = (
      await stack().host.check(
        urnOf("g"),
        before.inputs,
        stack().inputs({ type: "Public", name: "n", groupId: "fixed", ...change }),
      )
    ).inputs;
    const diff = await stack().host.diff(urnOf("g"), before.id, before.outputs, news);
    expect(diff.replaces).toEqual([property]);
  });

  it("replaces when supportTopic changes on a Community", async () => {
    const before = await stack().up("g", { type: "Community", name: "n", groupId: "@TGS#_c" });
    const news = (
      await stack().host.check(
        urnOf("g"),
        before.inputs,
        stack().inputs({ type: "Community", name: "n", groupId: "@TGS#_c", supportTopic: true }),
      )
    ).inputs;
    expect((await stack().host.diff(urnOf("g"), before.id, before.outputs, news)).replaces).toEqual(["supportTopic"]);
  });

  it("deletes before replacing when the fixed GroupId would collide, and the new group gets it", async () => {
    await stack().up("g", { type: "Public", name: "n", groupId: "fixed" });
    const after = await stack().up("g", { type: "Private", name: "n", groupId: "fixed" });
    expect(stack().engine.steps.get("g")).toBe("delete-replace");
    expect(after.id).toBe("fixed");
    expect(await liveGroup("fixed")).toMatchObject({ type: "Private" });
    expect((await stack().emu.control.requests()).map((r) => r.command).filter((c) => c !== "get_group_info")).toEqual([
      "create_group",
      "destroy_group",
      "create_group",
    ]);
  });

  it("creates the replacement first when the GroupId was generated, giving it a fresh one", async () => {
    const before = await stack().up("g", { type: "Public", name: "n" });
    const news = (await stack().host.check(urnOf("g"), before.inputs, stack().inputs({ type: "Private", name: "n" })))
      .inputs;
    const diff = await stack().host.diff(urnOf("g"), before.id, before.outputs, news);
    expect(diff).toMatchObject({ replaces: ["type"], deleteBeforeReplace: false });
    const after = await stack().up("g", { type: "Private", name: "n" });
    expect(after.id).not.toBe(before.id);
    expect((await stack().emu.control.state()).groups.map((g) => g.groupId)).toEqual([after.id]);
  });

  it.each([
    ["name", { name: "m" }],
    ["introduction", { introduction: "i" }],
    ["muteAllMember", { muteAllMember: true }],
    ["members", { members: ["alice"] }],
    ["appDefinedData", { appDefinedData: { k: "v" } }],
    ["maxMemberCount", { maxMemberCount: 100 }],
    ["ownerAccount", { ownerAccount: "owner2" }],
  ])("updates %s in place", async (_property, change) => {
    const before = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1" });
    const news = (
      await stack().host.check(
        urnOf("g"),
        before.inputs,
        stack().inputs({ type: "Public", name: "n", ownerAccount: "owner1", ...change }),
      )
    ).inputs;
    expect(await stack().host.diff(urnOf("g"), before.id, before.outputs, news)).toMatchObject({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("reports no change for the same program, whatever the provider text", async () => {
    const before = await stack().up("g", { type: "Public", name: "n", members: ["bob", "alice"] });
    const news = (
      await stack().host.check(urnOf("g"), before.inputs, {
        ...stack().inputs({ type: "Public", name: "n", members: ["alice", "bob"] }),
        __provider: `${stack().providerText}// another release's shim\n`,
      })
    ).inputs;
    expect(await stack().host.diff(urnOf("g"), before.id, before.outputs, news)).toMatchObject({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("leaves undeclared service settings alone", async () => {
    const before = await stack().up("g", { type: "Public", name: "n", applyJoinOption: "FreeAccess" });
    await stack().up("g", { type: "Public", name: "n" });
    expect(stack().engine.steps.get("g")).toBe("same");
    expect((await liveGroup(before.id))?.applyJoinOption).toBe("FreeAccess");
  });
});

describe("update", () => {
  it("sends only the changed fields, under modify's names", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", introduction: "same", maxMemberCount: 300 });
    await stack().emu.control.clearRequests();
    await stack().up("g", {
      type: "Public",
      name: "n2",
      introduction: "same",
      maxMemberCount: 500,
      muteAllMember: true,
    });
    expect(await modifyBodies()).toEqual([{ GroupId: g.id, Name: "n2", MaxMemberNum: 500, MuteAllMember: "On" }]);
    expect(await liveGroup(g.id)).toMatchObject({ name: "n2", maxMemberNum: 500, muteAllMember: "On" });
  });

  it("deletes appDefinedData keys removed from the program and keeps keys set by others", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", appDefinedData: { keep: "1", drop: "2" } });
    await stack().emu.group("modify_group_base_info", {
      GroupId: g.id,
      AppDefinedData: [{ Key: "foreign", Value: "x" }],
    });
    await stack().emu.control.clearRequests();
    await stack().up("g", { type: "Public", name: "n", appDefinedData: { keep: "1b" } });
    expect(await modifyBodies()).toEqual([
      {
        GroupId: g.id,
        AppDefinedData: [
          { Key: "keep", Value: "1b" },
          { Key: "drop", Value: "" },
        ],
      },
    ]);
    expect((await liveGroup(g.id))?.appDefinedData).toEqual({ keep: "1b", foreign: "x" });
  });

  it("adds and removes declared members, and leaves members who joined otherwise", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1", members: ["alice", "bob"] });
    await stack().emu.group("add_group_member", { GroupId: g.id, MemberList: [{ Member_Account: "dave" }] });
    const after = await stack().up("g", {
      type: "Public",
      name: "n",
      ownerAccount: "owner1",
      members: ["bob", "carol"],
    });
    expect(await memberIds(g.id)).toEqual(["bob", "carol", "dave", "owner1"]);
    expect(after.outputs).toMatchObject({ members: ["bob", "carol"], memberCount: 4 });
  });

  it("hands ownership to a new owner, adding them first when they are not a member", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1" });
    await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner2" });
    const live = await liveGroup(g.id);
    expect(live?.owner).toBe("owner2");
    expect(live?.members.find((m) => m.account === "owner2")?.role).toBe("Owner");
  });

  it("replaces an AVChatRoom whose owner changes, since the service cannot change it", async () => {
    await stack().up("g", { type: "AVChatRoom", name: "live", ownerAccount: "owner1", groupId: "live-1" });
    await stack().up("g", { type: "AVChatRoom", name: "live", ownerAccount: "owner2", groupId: "live-1" });
    expect(stack().engine.steps.get("g")).toBe("delete-replace");
    expect((await liveGroup("live-1"))?.owner).toBe("owner2");
  });

  it("fails clearly when the group was dissolved behind Pulumi's back", async () => {
    const g = await stack().up("g", { type: "Public", name: "n" });
    await stack().emu.group("destroy_group", { GroupId: g.id });
    await expect(stack().up("g", { type: "Public", name: "n2" })).rejects.toThrow(/no longer exists.*pulumi refresh/);
  });
});

describe("create", () => {
  it("adds members beyond the 100 create_group takes", async () => {
    const many = Array.from({ length: 130 }, (_, i) => `m${String(i).padStart(3, "0")}`);
    await stack().emu.importAccounts(...many.slice(0, 100));
    await stack().emu.importAccounts(...many.slice(100));
    const g = await stack().up("g", { type: "Public", name: "n", members: many });
    expect(await memberIds(g.id)).toEqual(many);
    expect(g.outputs.memberCount).toBe(130);
  });

  it("refuses to take over an existing group without adoptExisting, naming the option", async () => {
    await stack().emu.group("create_group", { Type: "Public", Name: "hand made", GroupId: "existing" });
    const err = await stack()
      .up("g", { type: "Public", name: "n", groupId: "existing" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).message).toMatch(/existing is already in use \(10021.*adoptExisting: true/);
    expect(stack().engine.state.size).toBe(0);
  });

  it("adopts an existing group with adoptExisting and brings it to the declared state", async () => {
    await stack().emu.group("create_group", {
      Type: "Public",
      Name: "hand made",
      GroupId: "existing",
      Owner_Account: "owner1",
      MemberList: [{ Member_Account: "dave" }],
    });
    const g = await stack().up("g", {
      type: "Public",
      name: "declared",
      groupId: "existing",
      adoptExisting: true,
      ownerAccount: "owner2",
      members: ["alice"],
      notification: "now ours",
    });
    expect(g.id).toBe("existing");
    const live = await liveGroup("existing");
    expect(live).toMatchObject({ name: "declared", notification: "now ours", owner: "owner2" });
    expect(live?.members.map((m) => m.account).sort()).toEqual(["alice", "dave", "owner1", "owner2"]);
    expect((await stack().emu.control.requests("create_group")).length).toBe(1);
    await stack().engine.destroy();
    expect(await liveGroup("existing")).toBeUndefined();
  });

  it("creates the group when adoptExisting is set but nothing exists yet", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", groupId: "fresh", adoptExisting: true });
    expect(await liveGroup(g.id)).toMatchObject({ name: "n" });
  });

  it("refuses to adopt a group of another type", async () => {
    await stack().emu.group("create_group", { Type: "Private", Name: "x", GroupId: "typed" });
    await expect(stack().up("g", { type: "Public", name: "n", groupId: "typed", adoptExisting: true })).rejects.toThrow(
      /exists as a Private group/,
    );
  });

  it("reports a missing owner account as Tencent's 10019 and creates nothing", async () => {
    await expect(stack().up("g", { type: "Public", name: "n", ownerAccount: "ghost" })).rejects.toThrow(
      /create_group failed: 10019/,
    );
    expect((await stack().emu.control.state()).groups).toEqual([]);
  });
});

describe("check", () => {
  it("rejects bad inputs naming each property and its limit, without calling the API", async () => {
    await stack().emu.control.clearRequests();
    const err = (await stack()
      .up("g", {
        type: "Secret",
        name: "群".repeat(34),
        groupId: "@TGS#mine",
        introduction: "x".repeat(401),
        members: ["not valid!"],
        maxMemberCount: 0,
        appDefinedData: { "bad-key": "v" },
      })
      .catch((e: unknown) => e)) as CheckFailed;
    expect(err).toBeInstanceOf(CheckFailed);
    const byProperty = Object.fromEntries(err.failures.map((f) => [f.property, f.reason]));
    expect(byProperty).toMatchObject({
      type: expect.stringContaining("Private, Public, ChatRoom, AVChatRoom, Community"),
      name: expect.stringContaining("100 bytes"),
      introduction: expect.stringContaining("400 bytes"),
      members: expect.stringContaining("letters, digits"),
      maxMemberCount: expect.stringContaining("at least 1"),
      appDefinedData: expect.stringContaining('key "bad-key"'),
    });
    expect(await stack().emu.control.requests()).toEqual([]);
  });

  it.each([
    ["a reserved @TGS# prefix", { type: "Public", groupId: "@TGS#x" }, "groupId", "@TGS#"],
    ["a Community ID without @TGS#_", { type: "Community", groupId: "town" }, "groupId", "@TGS#_"],
    ["members on an AVChatRoom", { type: "AVChatRoom", members: ["alice"] }, "members", "AVChatRoom"],
    ["supportTopic outside a Community", { type: "Public", supportTopic: true }, "supportTopic", "Community"],
    [
      "more members than maxMemberCount",
      { type: "Public", maxMemberCount: 1, ownerAccount: "owner1", members: ["alice"] },
      "members",
      "maxMemberCount 1",
    ],
    ["a GroupId over 48 bytes", { type: "Public", groupId: "g".repeat(49) }, "groupId", "48 bytes"],
    [
      "an empty appDefinedData value",
      { type: "Public", appDefinedData: { k: "" } },
      "appDefinedData",
      "remove the key",
    ],
  ])("rejects %s", async (_label, args, property, reason) => {
    const { failures } = await stack().host.check(urnOf("g"), {}, stack().inputs({ name: "n", ...args }));
    expect(failures).toEqual(expect.arrayContaining([{ property, reason: expect.stringContaining(reason) }]));
    expect(await stack().emu.control.requests()).toEqual([]);
  });

  it("defaults and normalises: type aliases, sorted unique members, empty texts", async () => {
    const { inputs, failures } = await stack().host.check(
      urnOf("g"),
      {},
      stack().inputs({ type: "Work", name: "n", members: ["bob", "alice", "bob"] }),
    );
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      type: "Private",
      members: ["alice", "bob"],
      introduction: "",
      notification: "",
      faceUrl: "",
      muteAllMember: false,
      appDefinedData: {},
      supportTopic: false,
      adoptExisting: false,
      groupIdGenerated: true,
    });
  });

  it.each([
    ["muteAllMembers", true, "did you mean muteAllMember?"],
    ["owner", "owner1", "did you mean ownerAccount?"],
    ["groupID", "x", "did you mean groupId?"],
    ["colour", "red", "ChatGroup has no property colour (it takes type, name,"],
  ])("refuses the unknown property %s, naming the closest known one", async (property, value, reason) => {
    const { failures } = await stack().host.check(
      urnOf("g"),
      {},
      stack().inputs({ type: "Public", name: "n", [property]: value }),
    );
    expect(failures).toEqual([{ property, reason: expect.stringContaining(reason) }]);
  });

  it.each([
    ["name", 7, "name must be a string, got a number"],
    ["members", "alice", "members must be a list, got a string"],
    ["maxMemberCount", "10", "maxMemberCount must be a number, got a string"],
    ["muteAllMember", "yes", "muteAllMember must be true or false, got a string"],
    ["appDefinedData", ["k"], "appDefinedData must be a map of strings, got a list"],
  ])("says what type %s must be", async (property, value, reason) => {
    const { failures } = await stack().host.check(
      urnOf("g"),
      {},
      stack().inputs({ type: "Public", name: "n", [property]: value }),
    );
    expect(failures).toEqual([{ property, reason }]);
  });

  it("refuses a lone UTF-16 surrogate in the program, before protobuf drops it on the way to check", async () => {
    const run = (text: string) =>
      stack().project.run(`
        const pulumi = require("@pulumi/pulumi");
        const { ChatGroup } = require("pulumi-tencent-chat");
        new ChatGroup("plain", { type: "Public", name: ${JSON.stringify(text)}, notification: "fine \u{1F44B}" });
        new ChatGroup("later", { type: "Public", name: "n", members: pulumi.output([${JSON.stringify(text)}]) });
      `);
    await expect(run("ab\ud800c")).rejects.toThrow(/ChatGroup plain: name holds a lone UTF-16 surrogate/);
    await expect(run("ab\ud800c")).rejects.toThrow(/ChatGroup plain/);
    await expect(run("whole \u{1F44B}")).resolves.toHaveLength(2);
  });

  it("takes appDefinedData keys named like Object's own properties", async () => {
    const data = { constructor: "c", toString: "t", hasOwnProperty: "h" };
    const g = await stack().up("g", { type: "Public", name: "n", appDefinedData: data });
    expect(g.outputs.appDefinedData).toEqual(data);
    const read = await stack().host.read(urnOf("g"), g.id, g.outputs, g.inputs);
    expect(read.outputs.appDefinedData).toEqual(data);
    await stack().up("g", { type: "Public", name: "n", appDefinedData: { toString: "t2" } });
    expect((await liveGroup(g.id))?.appDefinedData).toEqual({ toString: "t2" });
  });

  it("accepts a Community's @TGS#_ ID while the type is not known yet", async () => {
    const { failures } = await stack().host.check(
      urnOf("g"),
      {},
      stack().inputs({ type: unknown, name: "n", groupId: "@TGS#_town" }),
    );
    expect(failures).toEqual([]);
  });

  it("lets unknown values through during preview", async () => {
    const { inputs, failures } = await stack().host.check(
      urnOf("g"),
      {},
      stack().inputs({ type: "Public", name: unknown, ownerAccount: unknown, members: [unknown] }),
    );
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ name: unknown, ownerAccount: unknown, members: [unknown] });
  });
});
