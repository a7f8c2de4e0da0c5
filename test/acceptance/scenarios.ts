/**
 * The lifecycle as a platform team lives it, written once and run twice: against the
 * emulator in `npm test` (emulator.test.ts) and against a real Tencent Chat app in
 * `npm run test:live` (live.test.ts), so the two can be compared line by line. Scenarios
 * check through the Chat API itself (a client of the same app), never the emulator's
 * control endpoints, and each ends with its objects destroyed.
 */
import { PROFILE_TAGS } from "../../provider/client/client";
import type { AcceptanceContext } from "./context";

type Scenario = (ctx: AcceptanceContext) => Promise<void>;

const expectEqual = (actual: unknown, expected: unknown, what: string) => {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
};

const memberIds = async (ctx: AcceptanceContext, groupId: string) =>
  ((await ctx.client.getGroup(groupId))?.MemberList ?? []).map((m) => m.Member_Account).sort();

export const SCENARIOS: Record<string, Scenario> = {
  async "creates, updates in place and destroys a group"(ctx) {
    const groupId = ctx.id("basic");
    await ctx.group("basic", { type: "Public", name: "Basic", groupId, introduction: "one" });
    await ctx.group("basic", { type: "Public", name: "Basic 2", groupId, introduction: "two" });
    expectEqual(ctx.engine.steps.get("basic"), "update", "step");
    const live = await ctx.client.getGroup(groupId);
    expectEqual([live?.Name, live?.Introduction], ["Basic 2", "two"], "the group's fields");
    await ctx.engine.destroy();
    expectEqual(await ctx.client.getGroup(groupId), undefined, "the group after destroy");
  },

  async "manages members and hands ownership over"(ctx) {
    const [owner, ann, ben] = ["owner", "ann", "ben"].map((s) => ctx.id(s));
    await ctx.importAccounts(owner, ann, ben);
    const groupId = ctx.id("team");
    await ctx.group("team", { type: "Public", name: "Team", groupId, ownerAccount: owner, members: [ann] });
    expectEqual(await memberIds(ctx, groupId), [ann, owner].sort(), "members after create");
    await ctx.group("team", { type: "Public", name: "Team", groupId, ownerAccount: ann, members: [ann, ben] });
    const live = await ctx.client.getGroup(groupId);
    expectEqual(live?.Owner_Account, ann, "owner after the change");
    // The former owner was declared by this stack and is no longer: it leaves.
    expectEqual(await memberIds(ctx, groupId), [ann, ben].sort(), "members after the change");
    await ctx.engine.destroy();
  },

  async "puts a bot into a group the stack does not own, and takes out only the bot"(ctx) {
    const [owner, ann, bot] = ["owner", "ann", "bot"].map((s) => ctx.id(s));
    await ctx.importAccounts(owner, ann, bot);
    const groupId = ctx.id("lobby");
    // The group is another stack's, or the console's: made here by hand.
    await ctx.client.createGroup({
      Type: "Public",
      Name: "Lobby",
      GroupId: groupId,
      Owner_Account: owner,
      MemberList: [{ Member_Account: ann }],
    });
    await ctx.member("bot", { groupId, account: bot, role: "Admin", nameCard: "Bot" });
    const roleOf = async (account: string) => (await ctx.client.getRoles(groupId, [account])).get(account);
    expectEqual(await roleOf(bot), "Admin", "the bot's role");
    await ctx.member("bot", { groupId, account: bot, role: "Member", nameCard: "Helper" });
    expectEqual(ctx.engine.steps.get("bot"), "update", "step");
    const card = (await ctx.client.getGroup(groupId))?.MemberList?.find((m) => m.Member_Account === bot)?.NameCard;
    expectEqual([await roleOf(bot), card], ["Member", "Helper"], "role and name card after the update");
    await ctx.engine.destroy();
    expectEqual(await memberIds(ctx, groupId), [ann, owner].sort(), "members after destroy");
    expectEqual(await roleOf(bot), "NotMember", "the bot after destroy");
  },

  async "replaces a group whose type changes"(ctx) {
    const groupId = ctx.id("swap");
    await ctx.group("swap", { type: "Public", name: "Swap", groupId });
    await ctx.group("swap", { type: "ChatRoom", name: "Swap", groupId });
    expectEqual(ctx.engine.steps.get("swap"), "delete-replace", "step");
    expectEqual((await ctx.client.getGroup(groupId))?.Type, "ChatRoom", "the type after replacement");
    await ctx.engine.destroy();
  },

  async "refreshes changes made outside Pulumi, and drops a group disbanded by hand"(ctx) {
    const groupId = ctx.id("drift");
    await ctx.group("drift", { type: "Public", name: "Drift", groupId });
    await ctx.client.modifyGroupBaseInfo({ GroupId: groupId, Name: "Changed by hand" });
    await ctx.engine.refresh();
    expectEqual(ctx.engine.state.get("drift")?.outputs.name, "Changed by hand", "name after refresh");
    await ctx.client.destroyGroup(groupId);
    await ctx.engine.refresh();
    expectEqual(ctx.engine.state.has("drift"), false, "in state after refresh");
  },

  async "destroys a group already disbanded by hand without failing"(ctx) {
    const groupId = ctx.id("gone");
    await ctx.group("gone", { type: "Public", name: "Gone", groupId });
    await ctx.client.destroyGroup(groupId);
    await ctx.engine.destroy();
    expectEqual(ctx.engine.state.size, 0, "resources left in state");
  },

  async "adopts a group that already exists"(ctx) {
    const groupId = ctx.id("adopt");
    await ctx.client.createGroup({ Type: "Public", Name: "Made by hand", GroupId: groupId });
    await ctx.group("adopt", { type: "Public", name: "Adopted", groupId, adoptExisting: true });
    expectEqual((await ctx.client.getGroup(groupId))?.Name, "Adopted", "name after adoption");
    await ctx.engine.destroy();
    expectEqual(await ctx.client.getGroup(groupId), undefined, "the group after destroy");
  },

  async "imports, updates and deletes an account"(ctx) {
    const userId = ctx.id("acct");
    await ctx.account("acct", { userId, nick: "First" });
    await ctx.account("acct", { userId, nick: "Second" });
    expectEqual(ctx.engine.steps.get("acct"), "update", "step");
    const profile = (await ctx.client.getProfiles([userId], [PROFILE_TAGS.nick])).get(userId);
    expectEqual(profile?.fields[PROFILE_TAGS.nick], "Second", "nick");
    await ctx.engine.destroy();
    expectEqual((await ctx.client.checkAccounts([userId])).get(userId), false, "the account after destroy");
  },

  async "manages a Community's topics, and destroys one whose Community was dissolved by hand"(ctx) {
    const groupId = `@TGS#_${ctx.id("guild")}`;
    const topicId = `${groupId}@TOPIC#_news`;
    await ctx.group("guild", { type: "Community", name: "Guild", groupId, supportTopic: true });
    await ctx.topic("news", "guild", { groupId, topicIdSuffix: "news", topicName: "News", notification: "one" });
    await ctx.topic("news", "guild", { groupId, topicIdSuffix: "news", topicName: "News", notification: "two" });
    expectEqual(ctx.engine.steps.get("news"), "update", "step");
    expectEqual((await ctx.client.getTopic(groupId, topicId))?.Notification, "two", "notification");
    await ctx.client.modifyTopic({ GroupId: groupId, TopicId: topicId, TopicName: "Renamed" });
    await ctx.engine.refresh();
    expectEqual(ctx.engine.state.get("news")?.outputs.topicName, "Renamed", "topic name after refresh");
    await ctx.client.destroyGroup(groupId);
    await ctx.engine.destroy();
    expectEqual(ctx.engine.state.size, 0, "resources left in state");
  },
};
