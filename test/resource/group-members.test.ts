/**
 * ChatGroupMember through Pulumi's provider host, from programs run as `pulumi up` runs them:
 * a bot put into a group the stack owns and into one it does not, its role and name card
 * changed in place, a membership that existed taken over and said so, refresh dropping a
 * member who left, deletes that count "not a member" and "group gone" as done, and the one
 * membership managed in one place. Other members of a group are never touched.
 *
 * @slow a provider host and a Pulumi program per test
 */
import { CheckFailed, MiniEngine } from "../../harness/engine";
import { HostCallError, ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner", "alice", "bot", "carol");
  // A group this stack does not own: made by hand (or by another stack).
  await s.emu.group("create_group", {
    Type: "Public",
    GroupId: "lobby",
    Name: "Lobby",
    Owner_Account: "owner",
    MemberList: [{ Member_Account: "alice" }],
  });
  await s.emu.control.clearRequests();
});

/** Each program runs once: running one costs a second of CPU, and its registrations depend only on the source. */
const runs = new Map<string, ReturnType<ReturnType<typeof stack>["project"]["run"]>>();
const run = (source: string) => {
  if (!runs.has(source)) runs.set(source, stack().project.run(source));
  return runs.get(source) as ReturnType<ReturnType<typeof stack>["project"]["run"]>;
};

/** A team group the stack owns with the bot as an admin, and the bot in the lobby it does not own. */
const program = (lobby: Record<string, unknown> = {}, team: Record<string, unknown> = {}) =>
  run(`
    const { ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
    const team = new ChatGroup("team", ${JSON.stringify({ type: "Public", name: "Team", ownerAccount: "owner", members: ["alice"], ...team })});
    new ChatGroupMember("bot-in-team", { groupId: team.groupId, account: "bot", role: "Admin", nameCard: "Bot" });
    new ChatGroupMember("bot-in-lobby", ${JSON.stringify({ groupId: "lobby", account: "bot", ...lobby })});
  `);

/** The lobby alone, with the memberships given. */
const lobbyOnly = (members: Record<string, unknown>[]) =>
  run(`
    const { ChatGroupMember } = require("pulumi-tencent-chat");
    ${members.map((m, i) => `new ChatGroupMember("m${i}", ${JSON.stringify({ groupId: "lobby", ...m })});`).join("\n")}
  `);

interface LiveMember {
  account: string;
  role: string;
  nameCard: string;
}

/** A group's members as the service holds them, by account. */
const membersOf = async (groupId: string): Promise<LiveMember[] | undefined> => {
  const group = (await stack().emu.control.state()).groups.find((g) => g.groupId === groupId) as
    { members: LiveMember[] } | undefined;
  return group?.members
    .map(({ account, role, nameCard }) => ({ account, role, nameCard }))
    .sort((a, b) => a.account.localeCompare(b.account));
};
const bodies = async (command: string) =>
  (await stack().emu.control.requests(command)).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe("ChatGroupMember", () => {
  it("puts the bot into a group the stack owns and one it does not, changes its name card in place, and destroy removes only the bot", async () => {
    await stack().engine.up(await program());
    const team = stack().engine.state.get("team")?.id as string;
    expect(await membersOf(team)).toEqual([
      { account: "alice", role: "Member", nameCard: "" },
      { account: "bot", role: "Admin", nameCard: "Bot" },
      { account: "owner", role: "Owner", nameCard: "" },
    ]);
    expect(await membersOf("lobby")).toEqual([
      { account: "alice", role: "Member", nameCard: "" },
      { account: "bot", role: "Member", nameCard: "" },
      { account: "owner", role: "Owner", nameCard: "" },
    ]);
    expect(stack().engine.state.get("bot-in-lobby")).toMatchObject({
      id: "lobby/bot",
      outputs: { groupId: "lobby", account: "bot", role: "Member", existed: false, pending: false },
    });
    expect(stack().engine.state.get("bot-in-team")?.outputs).toMatchObject({ role: "Admin", nameCard: "Bot" });

    await stack().emu.control.clearRequests();
    await stack().engine.up(await program({ nameCard: "Helper" }, { name: "Team, renamed" }));
    expect(Object.fromEntries(stack().engine.steps)).toEqual({
      team: "update",
      "bot-in-team": "same",
      "bot-in-lobby": "update",
    });
    expect(await bodies("modify_group_member_info")).toEqual([
      { GroupId: "lobby", Member_Account: "bot", NameCard: "Helper" },
    ]);
    // The team's own update leaves the member it does not declare alone.
    expect(await bodies("delete_group_member")).toEqual([]);
    expect((await membersOf(team))?.map((m) => m.account)).toEqual(["alice", "bot", "owner"]);

    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect(await membersOf("lobby")).toEqual([
      { account: "alice", role: "Member", nameCard: "" },
      { account: "owner", role: "Owner", nameCard: "" },
    ]);
    expect(await membersOf(team)).toBeUndefined();
    expect(await bodies("delete_group_member")).toEqual(
      expect.arrayContaining([{ GroupId: "lobby", MemberToDel_Account: ["bot"], Silence: 1 }]),
    );
  });

  it("takes over a membership that exists, says so, and sets the declared role", async () => {
    await stack().emu.group("add_group_member", { GroupId: "lobby", MemberList: [{ Member_Account: "bot" }] });
    await stack().emu.control.clearRequests();
    await stack().engine.up(await lobbyOnly([{ account: "bot", role: "Admin" }]));
    expect(stack().engine.state.get("m0")?.outputs).toMatchObject({ existed: true, role: "Admin" });
    expect(stack().host.printed).toMatch(
      /bot was a member of group lobby already; this stack now manages that membership/,
    );
    expect(await bodies("add_group_member")).toEqual([]);
    expect((await membersOf("lobby"))?.find((m) => m.account === "bot")?.role).toBe("Admin");
  });

  it("drops a member who left on refresh, and the next up adds them again", async () => {
    await stack().engine.up(await lobbyOnly([{ account: "bot" }, { account: "carol", nameCard: "C" }]));
    await stack().emu.group("delete_group_member", { GroupId: "lobby", MemberToDel_Account: ["carol"] });
    await stack().emu.group("modify_group_member_info", {
      GroupId: "lobby",
      Member_Account: "bot",
      NameCard: "set by hand",
    });
    await stack().engine.refresh();
    expect(stack().engine.state.has("m1")).toBe(false);
    // A name card the program does not declare is read, not managed.
    expect(stack().engine.state.get("m0")?.outputs).toMatchObject({ nameCard: "set by hand" });

    await stack().engine.up(await lobbyOnly([{ account: "bot" }, { account: "carol", nameCard: "C" }]));
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ m0: "same", m1: "create" });
    expect((await membersOf("lobby"))?.find((m) => m.account === "carol")).toEqual({
      account: "carol",
      role: "Member",
      nameCard: "C",
    });
  });

  it("reads a membership of a large group by its account alone, whatever get_group_info lists", async () => {
    const emu = stack().emu;
    const before = await emu.control.config();
    // A Pro app (caps of 2,000), and get_group_info listing only the first 100 members.
    await emu.control.configure({ plan: "pro", groupInfoMembers: "partial" });
    try {
      const accounts = Array.from({ length: 300 }, (_, i) => `u${String(i).padStart(3, "0")}`);
      for (let i = 0; i < accounts.length; i += 100) await emu.importAccounts(...accounts.slice(i, i + 100));
      await emu.group("create_group", {
        Type: "Public",
        GroupId: "big",
        Name: "Big",
        Owner_Account: "owner",
        MaxMemberNum: 400,
      });
      for (let i = 0; i < accounts.length; i += 20) {
        await emu.group("add_group_member", {
          GroupId: "big",
          MemberList: accounts.slice(i, i + 20).map((a) => ({ Member_Account: a })),
        });
      }
      await emu.group("modify_group_member_info", { GroupId: "big", Member_Account: "u250", NameCard: "late joiner" });
      const memberships = run(`
        const { ChatGroupMember } = require("pulumi-tencent-chat");
        new ChatGroupMember("m250", { groupId: "big", account: "u250" });
        new ChatGroupMember("m299", { groupId: "big", account: "u299", role: "Admin" });
      `);
      await stack().engine.up(await memberships);
      expect(stack().engine.state.get("m250")?.outputs).toMatchObject({
        existed: true,
        nameCard: "late joiner",
        role: "Member",
      });
      expect(stack().engine.state.get("m299")?.outputs).toMatchObject({ existed: true, role: "Admin" });

      await emu.group("delete_group_member", { GroupId: "big", MemberToDel_Account: ["u299"] });
      await emu.control.clearRequests();
      await stack().engine.refresh();
      expect(stack().engine.state.get("m250")?.outputs).toMatchObject({ nameCard: "late joiner" });
      expect(stack().engine.state.has("m299")).toBe(false);
      // Only the two accounts were asked for: no member list of the group was read.
      const asked = (await bodies("get_specified_group_member_info")).flatMap((b) => b.Member_List_Account as string[]);
      expect(asked.sort()).toEqual(["u250", "u299"]);
      expect(await bodies("get_group_member_info")).toEqual([]);
      expect((await bodies("get_group_info")).filter((b) => !b.ResponseFilter)).toEqual([]);
    } finally {
      await emu.control.configure({ plan: before.plan, groupInfoMembers: before.groupInfoMembers });
    }
  });

  it("counts a member who already left, and a group already gone, as deleted", async () => {
    await stack().emu.group("create_group", {
      Type: "Public",
      GroupId: "gone-soon",
      Name: "n",
      Owner_Account: "owner",
    });
    await stack().engine.up(
      await run(`
      const { ChatGroupMember } = require("pulumi-tencent-chat");
      new ChatGroupMember("left", { groupId: "lobby", account: "bot" });
      new ChatGroupMember("orphaned", { groupId: "gone-soon", account: "carol" });
    `),
    );
    await stack().emu.group("delete_group_member", { GroupId: "lobby", MemberToDel_Account: ["bot"] });
    await stack().emu.group("destroy_group", { GroupId: "gone-soon" });
    await stack().engine.destroy();
    expect(stack().engine.state.size).toBe(0);
    expect((await membersOf("lobby"))?.map((m) => m.account)).toEqual(["alice", "owner"]);
  });

  it("keeps an account moved from a ChatGroupMember into the group's own members in the same up", async () => {
    await stack().engine.up(await program());
    const team = stack().engine.state.get("team")?.id as string;
    await stack().engine.up(
      await run(`
        const { ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
        new ChatGroup("team", { type: "Public", name: "Team", ownerAccount: "owner", members: ["alice", "bot"] });
        new ChatGroupMember("bot-in-lobby", { groupId: "lobby", account: "bot" });
      `),
    );
    expect(stack().engine.steps.get("bot-in-team")).toBe("delete");
    expect((await membersOf(team))?.map((m) => m.account)).toEqual(["alice", "bot", "owner"]);
    expect(stack().host.printed).toMatch(
      /bot stays in group \S+: the ChatGroup that manages the group declares it in its members now/,
    );
  });

  it("refuses at check a membership that a ChatGroup of the program declares too", async () => {
    const err = await stack()
      .engine.up(
        await run(`
          const { ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
          const team = new ChatGroup("team", { type: "Public", name: "Team", ownerAccount: "owner", members: ["alice"] });
          new ChatGroupMember("alice-again", { groupId: team.groupId, account: "alice", role: "Admin" });
        `),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as CheckFailed).message).toMatch(
      /alice is declared in the members of the ChatGroup that manages .*: manage a membership in one place/,
    );
    expect(await bodies("modify_group_member_info")).toEqual([]);
  });

  it.each([
    [
      "a role the owner alone holds",
      { account: "bot", role: "Owner" },
      /role must be one of Member, Admin, got "Owner"/,
    ],
    ["a name card over 50 bytes", { account: "bot", nameCard: "名".repeat(17) }, /nameCard must be at most 50 bytes/],
    ["an account ID with a space", { account: "the bot" }, /account may hold only letters, digits/],
    ["a misspelt property", { account: "bot", namecard: "x" }, /did you mean nameCard\?/],
  ])("refuses %s at check, naming the field", async (_label, args, reason) => {
    const err = await stack()
      .engine.up(await lobbyOnly([args]))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as CheckFailed).message).toMatch(reason);
    expect(await bodies("add_group_member")).toEqual([]);
  });

  it.each([
    [
      "an AVChatRoom",
      { Type: "AVChatRoom", GroupId: "stage", Name: "n" },
      { groupId: "stage", account: "bot" },
      /stage is an AVChatRoom, which takes no members from the server/,
    ],
    [
      "admins in a Work group",
      { Type: "Private", GroupId: "work", Name: "n", Owner_Account: "owner" },
      { groupId: "work", account: "bot", role: "Admin" },
      /work is a Work \(Private\) group, which has no admins/,
    ],
    [
      "the group's owner",
      undefined,
      { groupId: "lobby", account: "owner" },
      /owner is the owner of group lobby; an owner is not a membership/,
    ],
    ["a group that does not exist", undefined, { groupId: "nowhere", account: "bot" }, /group nowhere does not exist/],
  ])("refuses %s before adding anyone, saying why", async (_label, group, args, reason) => {
    if (group) await stack().emu.group("create_group", group);
    await stack().emu.control.clearRequests();
    const err = (await stack()
      .engine.up(await run(`new (require("pulumi-tencent-chat").ChatGroupMember)("m", ${JSON.stringify(args)});`))
      .catch((e: unknown) => e)) as HostCallError;
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.message).toMatch(reason);
    expect(await bodies("add_group_member")).toEqual([]);
    expect(stack().engine.state.size).toBe(0);
  });
});

describe("ChatGroupMember when answers are lost or the host is killed", () => {
  it("adds the member once when add_group_member's answer is lost, and finishes the role", async () => {
    await stack().emu.control.addFault({ command: "add_group_member", action: { kind: "drop" }, afterCommit: true });
    await stack().engine.up(await lobbyOnly([{ account: "bot", role: "Admin" }]));
    expect((await membersOf("lobby"))?.filter((m) => m.account === "bot")).toEqual([
      { account: "bot", role: "Admin", nameCard: "" },
    ]);
    expect(stack().engine.state.get("m0")?.outputs).toMatchObject({ role: "Admin" });
  });

  it("records the membership when setting its role fails after the add, and the next up finishes it", async () => {
    await stack().emu.control.addFault({
      command: "modify_group_member_info",
      action: { kind: "error", errorCode: 10004, errorInfo: "rejected" },
    });
    const err = (await stack()
      .engine.up(await lobbyOnly([{ account: "bot", role: "Admin" }]))
      .catch((e: unknown) => e)) as HostCallError;
    expect(err.initFailed?.id).toBe("lobby/bot");
    expect(stack().engine.state.get("m0")).toMatchObject({ id: "lobby/bot", initFailed: true });
    await stack().engine.up(await lobbyOnly([{ account: "bot", role: "Admin" }]));
    expect((await membersOf("lobby"))?.find((m) => m.account === "bot")?.role).toBe("Admin");
  });

  it.each([
    [
      "after half the adds",
      async (emuAnswered: () => Promise<number>) => until(async () => (await emuAnswered()) >= 5),
    ],
    [
      "between an add and setting the name card",
      async (emuAnswered: () => Promise<number>) => {
        await stack().emu.control.addFault({
          command: "modify_group_member_info",
          action: { kind: "delay", ms: 30_000 },
          times: 10_000,
        });
        await until(async () => (await emuAnswered()) >= 3);
      },
    ],
  ])(
    "killed %s, a rerun ends with every declared member exactly once, in state, and other members untouched",
    async (_label, arm) => {
      const accounts = Array.from({ length: 10 }, (_, i) => `crew${i}`);
      await stack().emu.importAccounts(...accounts);
      const members = accounts.map((account, i) => ({
        account,
        nameCard: `crew ${i}`,
        ...(i % 3 === 0 && { role: "Admin" }),
      }));
      const registrations = await lobbyOnly(members);
      await stack().emu.control.configure({ latencyMs: 20 });
      const host = await ProviderHost.start(stack().project.dir);
      const first = new MiniEngine(host);
      try {
        await host.configure(TestStack.configFor(stack().emu));
        const interrupted = first.up(registrations).then(
          () => "finished",
          () => "interrupted",
        );
        await arm(
          async () => (await stack().emu.control.requests("add_group_member")).filter((r) => r.errorCode === 0).length,
        );
        await host.kill();
        expect(await interrupted).toBe("interrupted");
      } finally {
        await host.stop();
        await stack().emu.control.clearFaults();
        await stack().emu.control.configure({ latencyMs: 0 });
      }

      const rerun = new MiniEngine(stack().host, { state: first.snapshot() });
      await rerun.up(registrations);
      const live = await membersOf("lobby");
      expect(live).toEqual(
        [
          { account: "alice", role: "Member", nameCard: "" },
          { account: "owner", role: "Owner", nameCard: "" },
          ...members.map((m) => ({ account: m.account, role: m.role ?? "Member", nameCard: m.nameCard })),
        ].sort((a, b) => a.account.localeCompare(b.account)),
      );
      expect([...rerun.state.values()].map((r) => r.id).sort()).toEqual(accounts.map((a) => `lobby/${a}`).sort());

      await rerun.destroy();
      expect((await membersOf("lobby"))?.map((m) => m.account)).toEqual(["alice", "owner"]);
    },
  );
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
