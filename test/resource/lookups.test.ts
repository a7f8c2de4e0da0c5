/**
 * `ChatGroup.get` and `ChatAccount.get` through Pulumi's provider host: the program reads a
 * group and an account it does not manage, as the engine's ReadResource step does (Read with
 * an ID, no Check), uses them, and `pulumi destroy` leaves them where they were.
 *
 * @slow a provider host and a Pulumi program per test
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { TestStack, useStack } from "../helpers/stack";

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

let registered: Awaited<ReturnType<ReturnType<typeof stack>["project"]["run"]>> | undefined;
const program = async () => (registered ??= await stack().project.run(PROGRAM));

const live = async () => (await stack().emu.control.state()).groups.map((g) => [g.groupId, g.name]).sort();
const accounts = async () => (await stack().emu.control.state()).accounts.map((a) => a.userId).sort();

describe("lookups: ChatGroup.get and ChatAccount.get", () => {
  it("reads what exists, lets the program use it, and destroy leaves it", async () => {
    const registrations = await program();
    expect(registrations.filter((r) => r.id).map((r) => [r.name, r.id])).toEqual([
      ["lobby", "lobby"],
      ["bot", "support-bot"],
    ]);
    await stack().engine.up(registrations);
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ lobby: "read", bot: "read", help: "create" });
    expect(stack().engine.state.get("lobby")?.outputs).toMatchObject({
      groupId: "lobby",
      name: "Lobby",
      type: "Public",
      ownerAccount: "lobby-owner",
      memberCount: 1,
    });
    expect(stack().engine.state.get("bot")?.outputs).toMatchObject({ userId: "support-bot" });
    const help = stack().engine.state.get("help")?.id as string;
    expect(
      (await stack().emu.control.state()).groups.find((g) => g.groupId === help)?.members.map((m) => m.account),
    ).toEqual(["support-bot"]);

    await stack().engine.destroy();
    expect(await live()).toEqual([["lobby", "Lobby"]]);
    expect(await accounts()).toEqual(["administrator", "lobby-owner", "support-bot"]);
  });

  it("reads it again on refresh, and never updates it", async () => {
    await stack().engine.up(await program());
    await stack().emu.group("modify_group_base_info", { GroupId: "lobby", Name: "Lobby 2" });
    await stack().engine.refresh();
    expect(stack().engine.state.get("lobby")?.outputs).toMatchObject({ name: "Lobby 2" });
    await stack().engine.up(await program());
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

describe("lookupChatGroups in a program", () => {
  it("finds the app's groups by prefix and type with the stack's config, and says what is missing without it", async () => {
    await stack().emu.group("create_group", { Type: "Public", Name: "Lobby EU", GroupId: "lobby-eu" });
    await stack().emu.group("create_group", { Type: "Private", Name: "lobby staff", GroupId: "staff-1" });
    await stack().emu.group("create_group", { Type: "Public", Name: "Other", GroupId: "other" });
    const program = `
      const { lookupChatGroups } = require("pulumi-tencent-chat");
      const fs = require("fs");
      Promise.all([lookupChatGroups({ prefix: "lobby" }), lookupChatGroups({ prefix: "lobby", type: "Work" }), lookupChatGroups()]).then(
        (found) => fs.writeFileSync("found.json", JSON.stringify(found)),
        (err) => fs.writeFileSync("found.json", JSON.stringify({ error: err.message })),
      );
    `;
    const found = async (config: Record<string, unknown>) => {
      await stack().project.run(program, {}, { config });
      return JSON.parse(readFileSync(path.join(stack().project.dir, "found.json"), "utf8"));
    };
    const config = Object.fromEntries(
      Object.entries(TestStack.configFor(stack().emu)).map(([k, v]) => [
        k,
        typeof v === "string" ? v : (v as { value: string }).value,
      ]),
    );
    const [byPrefix, byType, all] = await found(config);
    // A prefix matches the ID or the name.
    expect(byPrefix.map((g: { groupId: string }) => g.groupId)).toEqual(["lobby", "lobby-eu", "staff-1"]);
    expect(byPrefix[0]).toEqual({
      groupId: "lobby",
      type: "Public",
      name: "Lobby",
      ownerAccount: "lobby-owner",
      memberCount: 1,
      createTime: expect.any(Number),
    });
    expect(byType.map((g: { groupId: string }) => g.groupId)).toEqual(["staff-1"]);
    expect(all).toHaveLength(4);

    expect(await found({})).toEqual({
      error: expect.stringMatching(/credentials are missing: set tencent-chat:sdkAppId/),
    });
  });
});

describe("lookupChatGroup, lookupChatGroupMembers, lookupChatTopics and checkChatAccounts in a program", () => {
  it("read one group, its members, a Community's topics and which accounts exist, and say what is missing", async () => {
    await stack().emu.importAccounts("alice");
    await stack().emu.group("add_group_member", { GroupId: "lobby", MemberList: [{ Member_Account: "alice" }] });
    await stack().emu.group("modify_group_member_info", {
      GroupId: "lobby",
      Member_Account: "alice",
      Role: "Admin",
      NameCard: "Al",
    });
    await stack().emu.group("create_group", {
      Type: "Community",
      Name: "Guild",
      GroupId: "@TGS#_guild",
      SupportTopic: 1,
    });
    await stack().emu.ok("million_group_open_http_svc", "create_topic", {
      GroupId: "@TGS#_guild",
      TopicId: "@TGS#_guild@TOPIC#_news",
      TopicName: "News",
    });
    const program = `
      const { checkChatAccounts, lookupChatGroup, lookupChatGroupMembers, lookupChatTopics } = require("pulumi-tencent-chat");
      const fs = require("fs");
      const settled = (p) => p.then((value) => ({ value: value instanceof Map ? Object.fromEntries(value) : value ?? null }), (err) => ({ error: err.message }));
      Promise.all([
        lookupChatGroup("lobby"), lookupChatGroup("nowhere"), lookupChatGroupMembers("lobby"), lookupChatGroupMembers("nowhere"),
        lookupChatTopics("@TGS#_guild"), lookupChatTopics("lobby"), checkChatAccounts(["alice", "nobody"]), lookupChatGroup(""),
      ].map(settled)).then((found) => fs.writeFileSync("found.json", JSON.stringify(found)));
    `;
    const config = Object.fromEntries(
      Object.entries(TestStack.configFor(stack().emu)).map(([k, v]) => [
        k,
        typeof v === "string" ? v : (v as { value: string }).value,
      ]),
    );
    await stack().project.run(program, {}, { config });
    const [group, noGroup, members, noMembers, topics, noTopics, accounts, empty] = JSON.parse(
      readFileSync(path.join(stack().project.dir, "found.json"), "utf8"),
    );
    expect(group.value).toMatchObject({
      groupId: "lobby",
      type: "Public",
      name: "Lobby",
      ownerAccount: "lobby-owner",
      memberCount: 2,
      muteAllMember: false,
      appDefinedData: {},
    });
    expect(noGroup).toEqual({ value: null });
    expect(members.value).toEqual([
      { account: "alice", role: "Admin", nameCard: "Al", joinTime: expect.any(Number) },
      { account: "lobby-owner", role: "Owner", nameCard: "", joinTime: expect.any(Number) },
    ]);
    expect(noMembers).toEqual({ value: null });
    expect(topics.value).toEqual([expect.objectContaining({ topicId: "@TGS#_guild@TOPIC#_news", topicName: "News" })]);
    expect(noTopics.error).toMatch(
      /the topics of lobby cannot be read .*topics exist only in a Community created with supportTopic: true/,
    );
    expect(accounts.value).toEqual({ alice: true, nobody: false });
    expect(empty.error).toMatch(/lookupChatGroup: groupId must be a group ID, got ""/);
  });
});
