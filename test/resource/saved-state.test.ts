/**
 * State written by every earlier version of this package, handed back to today's provider
 * through Pulumi's provider host, as `pulumi up`, `refresh` and `destroy` do after an
 * upgrade: nothing is replaced or lost, fields added since get their defaults, and a damaged
 * field falls back instead of failing the run.
 */
import type { ResourceState } from "../../harness/engine";
import type { Props } from "../../harness/provider-host";
import { CHAT_ACCOUNT_TYPE, CHAT_GROUP_TYPE, providerText, seedOf, urnOf, useStack } from "../helpers/stack";

let accountText = "";
const stack = useStack(async (s) => {
  accountText ||= await providerText(s.project, "ChatAccount");
  await s.emu.importAccounts("alice", "bob", "carol");
});

/** The group every shape describes, as the service holds it. */
const LIVE = {
  Type: "Public",
  Name: "room",
  GroupId: "pulumi-a1b2c3d4e5f6",
  Owner_Account: "alice",
  MemberList: [{ Member_Account: "bob" }],
  AppDefinedData: [{ Key: "team", Value: "qa" }],
};
/** What the program declares today for it. */
const PROGRAM = {
  type: "Public",
  name: "room",
  ownerAccount: "alice",
  members: ["bob"],
  appDefinedData: { team: "qa" },
};

const groupShapes: Record<string, Props> = {
  // 0.1: the generated ID was chosen by check and kept in inputs; no seed, no pending
  // invitations, no record of whether the owner was declared.
  "0.1, first release": {
    type: "Public",
    name: "room",
    groupId: LIVE.GroupId,
    groupIdGenerated: true,
    ownerAccount: "alice",
    introduction: "",
    notification: "",
    faceUrl: "",
    muteAllMember: false,
    appDefinedData: { team: "qa" },
    members: ["bob"],
    supportTopic: false,
    adoptExisting: false,
    createTime: 1795000000,
    memberCount: 2,
  },
  // Today's: the ID derived from idSeed at create, and what an update needs to converge.
  today: {
    type: "Public",
    name: "room",
    groupId: LIVE.GroupId,
    groupIdGenerated: true,
    idSeed: seedOf("g"),
    ownerAccount: "alice",
    ownerDeclared: true,
    introduction: "",
    notification: "",
    faceUrl: "",
    muteAllMember: false,
    appDefinedData: { team: "qa" },
    members: ["bob"],
    pendingMembers: [],
    supportTopic: false,
    adoptExisting: false,
    createTime: 1795000000,
    memberCount: 2,
  },
  // Hand-edited or damaged: wrong types fall back to their defaults.
  "damaged by hand": {
    type: "Public",
    name: "room",
    groupId: LIVE.GroupId,
    groupIdGenerated: true,
    ownerAccount: "alice",
    members: ["bob"],
    appDefinedData: { team: "qa" },
    pendingMembers: "bob",
    muteAllMember: "no",
    memberCount: "2",
  },
};

function seed(name: string, type: string, id: string, saved: Props, provider: string): void {
  const properties = { ...saved, __provider: provider };
  const entry: ResourceState = {
    name,
    type,
    urn: urnOf(name, type),
    id,
    inputs: properties,
    outputs: properties,
    dependsOn: [],
  };
  stack().engine.state.set(name, entry);
}

describe.each(Object.keys(groupShapes))("a ChatGroup saved by %s", (shape) => {
  beforeEach(async () => {
    await stack().emu.group("create_group", LIVE);
    seed("g", CHAT_GROUP_TYPE, LIVE.GroupId, groupShapes[shape], stack().providerText);
  });
  const live = async () => (await stack().emu.control.state()).groups;

  it("is the same group to `pulumi up` with the same program: no update, no replacement", async () => {
    await stack().up("g", PROGRAM);
    expect(stack().engine.steps.get("g")).toBe("same");
    expect((await live()).map((g) => g.groupId)).toEqual([LIVE.GroupId]);
  });

  it("refreshes into today's shape, every field filled", async () => {
    await stack().engine.refresh();
    expect(stack().engine.state.get("g")?.outputs).toMatchObject({
      groupId: LIVE.GroupId,
      type: "Public",
      name: "room",
      ownerAccount: "alice",
      members: ["bob"],
      pendingMembers: [],
      muteAllMember: false,
      appDefinedData: { team: "qa" },
    });
  });

  it("updates in place, and a member dropped from the program leaves", async () => {
    await stack().up("g", { ...PROGRAM, name: "renamed", members: [] });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect((await live()).map((g) => [g.groupId, g.name, g.members.map((m) => m.account).sort()])).toEqual([
      [LIVE.GroupId, "renamed", ["alice"]],
    ]);
  });

  it("is destroyed", async () => {
    await stack().engine.destroy();
    expect(await live()).toEqual([]);
  });
});

const accountShapes: Record<string, Props> = {
  "0.1, first release": { userId: "carol", nick: "Carol", faceUrl: "", adoptExisting: false },
  today: { userId: "carol", idSeed: seedOf("a", CHAT_ACCOUNT_TYPE), nick: "Carol", faceUrl: "", adoptExisting: false },
  "damaged by hand": { userId: "carol", nick: 7, adoptExisting: "yes" },
};

describe.each(Object.keys(accountShapes))("a ChatAccount saved by %s", (shape) => {
  beforeEach(async () => {
    await stack().emu.ok("profile", "portrait_set", {
      From_Account: "carol",
      ProfileItem: [{ Tag: "Tag_Profile_IM_Nick", Value: "Carol" }],
    });
    seed("a", CHAT_ACCOUNT_TYPE, "carol", accountShapes[shape], accountText);
  });
  const apply = (args: Props) =>
    stack().engine.apply({
      name: "a",
      type: CHAT_ACCOUNT_TYPE,
      inputs: { ...args, idSeed: seedOf("a", CHAT_ACCOUNT_TYPE), __provider: accountText },
    });
  const accounts = async () => (await stack().emu.control.state()).accounts.filter((a) => a.userId !== "administrator");

  it("updates in place, keeping the account", async () => {
    await apply({ userId: "carol", nick: "Carol B" });
    expect(stack().engine.steps.get("a")).toBe("update");
    expect((await accounts()).map((a) => [a.userId, a.nick])).toEqual([
      ["alice", ""],
      ["bob", ""],
      ["carol", "Carol B"],
    ]);
  });

  it("is destroyed, and only it", async () => {
    await stack().engine.destroy();
    expect((await accounts()).map((a) => a.userId)).toEqual(["alice", "bob"]);
  });
});
