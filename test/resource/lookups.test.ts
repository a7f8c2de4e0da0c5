/**
 * `ChatGroup.get` and `ChatAccount.get` through Pulumi's provider host: the program reads a
 * group and an account it does not manage, as the engine's ReadResource step does (Read with
 * an ID, no Check), uses them, and `pulumi destroy` leaves them where they were.
 */
import { useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("lobby-owner");
  await s.emu.ok("im_open_login_svc", "account_import", { UserID: "support-bot", Nick: "Support" });
  await s.emu.group("create_group", { Type: "Public", Name: "Lobby", GroupId: "lobby", Owner_Account: "lobby-owner" });
});

const PROGRAM = `
  const { ChatAccount, ChatGroup } = require("pulumi-tencent-chat");
  const lobby = ChatGroup.get("lobby", "lobby");
  const bot = ChatAccount.get("bot", "support-bot");
  new ChatGroup("help", { type: "Public", name: "Help", members: [bot.userId] });
  exports.lobbyName = lobby.name;
`;

const live = async () => (await stack().emu.control.state()).groups.map((g) => [g.groupId, g.name]).sort();
const accounts = async () => (await stack().emu.control.state()).accounts.map((a) => a.userId).sort();

describe("lookups: ChatGroup.get and ChatAccount.get", () => {
  it("reads what exists, lets the program use it, and destroy leaves it", async () => {
    const program = await stack().project.run(PROGRAM);
    expect(program.filter((r) => r.id).map((r) => [r.name, r.id])).toEqual([
      ["lobby", "lobby"],
      ["bot", "support-bot"],
    ]);
    await stack().engine.up(program);
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ lobby: "read", bot: "read", help: "create" });
    expect(stack().engine.state.get("lobby")?.outputs).toMatchObject({ groupId: "lobby", name: "Lobby", type: "Public", ownerAccount: "lobby-owner", memberCount: 1 });
    expect(stack().engine.state.get("bot")?.outputs).toMatchObject({ userId: "support-bot" });
    const help = stack().engine.state.get("help")?.id as string;
    expect((await stack().emu.control.state()).groups.find((g) => g.groupId === help)?.members.map((m) => m.account)).toEqual(["support-bot"]);

    await stack().engine.destroy();
    expect(await live()).toEqual([["lobby", "Lobby"]]);
    expect(await accounts()).toEqual(["administrator", "lobby-owner", "support-bot"]);
  });

  it("reads it again on refresh, and never updates it", async () => {
    await stack().engine.up(await stack().project.run(PROGRAM));
    await stack().emu.group("modify_group_base_info", { GroupId: "lobby", Name: "Lobby 2" });
    await stack().engine.refresh();
    expect(stack().engine.state.get("lobby")?.outputs).toMatchObject({ name: "Lobby 2" });
    await stack().engine.up(await stack().project.run(PROGRAM));
    expect(stack().engine.steps.get("lobby")).toBe("read");
    expect(await stack().emu.control.requests("modify_group_base_info")).toHaveLength(1);
  });

  it("fails the update for an ID that does not exist, and records nothing for it", async () => {
    const program = await stack().project.run(`
      const { ChatGroup } = require("pulumi-tencent-chat");
      ChatGroup.get("ghost", "no-such-group");
    `);
    await expect(stack().engine.up(program)).rejects.toThrow(/resource 'no-such-group' does not exist/);
    expect(stack().engine.state.has("ghost")).toBe(false);
  });
});
