/**
 * ChatGroup's exclusiveMembers through Pulumi's provider host: the declared members become
 * the group's whole list. Refresh reads every member, preview announces the update, `up`
 * removes whoever is not declared (the owner excepted), and after a member update cut short
 * `pulumi up --refresh` with the program as it was ends with exactly the declared members.
 * Without the option, members who joined otherwise are left alone.
 *
 * @slow a provider host per interrupted run
 */
import { MiniEngine, type Registration } from "../../harness/engine";
import { CheckFailed } from "../../harness/engine";
import { ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner", "alice", "bob", "carol", "intruder");
});

const runs = new Map<string, Promise<Registration[]>>();
/** The program: one group owned by `owner`, with `members`, exclusively or not. */
function program(members: string[], exclusive: boolean, extra = ""): Promise<Registration[]> {
  const source = `
    const { ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
    new ChatGroup("room", { type: "Public", name: "Room", groupId: "room", ownerAccount: "owner", members: ${JSON.stringify(members)}, exclusiveMembers: ${exclusive} });
    ${extra}
  `;
  if (!runs.has(source)) runs.set(source, stack().project.run(source));
  return runs.get(source) as Promise<Registration[]>;
}

const membersOfRoom = async () =>
  ((await stack().emu.control.state()).groups.find((g) => g.groupId === "room")?.members ?? [])
    .map((m) => m.account)
    .sort();
const addByHand = (account: string) =>
  stack().emu.group("add_group_member", { GroupId: "room", MemberList: [{ Member_Account: account }], Silence: 1 });

describe("exclusiveMembers", () => {
  it("reads every member at refresh, previews the update, and removes a member added by hand", async () => {
    const room = await program(["alice"], true);
    await stack().engine.up(room);
    await addByHand("intruder");
    await stack().engine.refresh();
    expect(stack().engine.state.get("room")?.outputs.members).toEqual(["alice", "intruder"]);
    expect((await stack().engine.preview(room)).get("room")).toBe("update");
    await stack().engine.up(room);
    expect(await membersOfRoom()).toEqual(["alice", "owner"]);
    expect(stack().engine.state.get("room")?.outputs.members).toEqual(["alice"]);
  });

  it("without it, leaves a member added by hand alone", async () => {
    const room = await program(["alice"], false);
    await stack().engine.up(room);
    await addByHand("intruder");
    await stack().engine.refresh();
    expect(stack().engine.state.get("room")?.outputs.members).toEqual(["alice"]);
    expect((await stack().engine.preview(room)).get("room")).toBe("same");
    await stack().engine.up(room);
    expect(await membersOfRoom()).toEqual(["alice", "intruder", "owner"]);
  });

  it("turned on for a group that has members it does not declare, removes them", async () => {
    await stack().engine.up(await program(["alice"], false));
    await addByHand("intruder");
    await stack().engine.up(await program(["alice"], true));
    expect(stack().engine.steps.get("room")).toBe("update");
    expect(await membersOfRoom()).toEqual(["alice", "owner"]);
  });

  it.each([
    [true, ["alice", "owner"]],
    [false, ["alice", "bob", "carol", "owner"]],
  ])(
    "with it %s, after a member update cut short, `pulumi up --refresh` of the program as it was ends with %j",
    async (exclusive, expected) => {
      await stack().engine.up(await program(["alice"], exclusive));
      // The next version adds two members; the run is killed once they are added, before the update is recorded.
      await stack().emu.control.addFault({
        command: "get_group_info",
        action: { kind: "delay", ms: 60_000 },
        skip: 1,
        times: 1000,
      });
      const host = await ProviderHost.start(stack().project.dir);
      const cut = new MiniEngine(host, { state: stack().engine.snapshot() });
      try {
        await host.configure(TestStack.configFor(stack().emu));
        const interrupted = cut.up(await program(["alice", "bob", "carol"], exclusive)).then(
          () => "finished",
          () => "interrupted",
        );
        await until(async () =>
          (await stack().emu.control.requests("add_group_member")).some((r) => r.errorCode === 0),
        );
        await host.kill();
        expect(await interrupted).toBe("interrupted");
      } finally {
        await host.stop();
        await stack().emu.control.clearFaults();
      }
      expect(await membersOfRoom()).toEqual(["alice", "bob", "carol", "owner"]);

      // The job is cancelled; the team deploys the program as it was, with --refresh.
      const rerun = new MiniEngine(stack().host, { state: cut.snapshot() });
      await rerun.refresh();
      await rerun.up(await program(["alice"], exclusive));
      expect(await membersOfRoom()).toEqual(expected);
    },
  );

  it("refuses a ChatGroupMember of the same group, saying to declare the account in members", async () => {
    const withMembership = await program(
      ["alice"],
      true,
      `new ChatGroupMember("bob-in-room", { groupId: "room", account: "bob" });`,
    );
    const err = await stack()
      .engine.up(withMembership)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as Error).message).toMatch(/exclusiveMembers/);
    expect(await membersOfRoom()).not.toContain("bob");
  });

  it("is refused for an AVChatRoom, whose members join from the client SDK", async () => {
    const err = await stack()
      .engine.up(
        await stack().project.run(
          `new (require("pulumi-tencent-chat").ChatGroup)("live", { type: "AVChatRoom", name: "Live", exclusiveMembers: true });`,
        ),
      )
      .catch((e: unknown) => e);
    expect((err as CheckFailed).failures).toEqual([
      { property: "exclusiveMembers", reason: expect.stringContaining("AVChatRoom") },
    ]);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
