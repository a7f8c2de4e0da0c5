// A team stack that owns nothing but its bot: the bot's account, and its seat in groups
// that the platform stack (or the Chat console) owns. `pulumi destroy` takes the bot out
// of those groups and deletes its account; the groups and their other members stay.
//
//   pulumi config set --path 'groups[0]' support-lobby
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { ChatAccount, ChatGroupMember, lookupChatGroupMembers } from "pulumi-tencent-chat";

const config = new pulumi.Config();
const groups = config.getObject<string[]>("groups") ?? ["support-lobby"];

const bot = new ChatAccount("bot", { userIdPrefix: `${pulumi.getStack()}-bot-`, nick: "Support bot" });

// One membership per group. Admin, so the bot can pin answers; the name card is what the
// group shows beside its messages. A Work (Private) group has no admins: declare Member there.
for (const groupId of groups) {
  new ChatGroupMember(`bot-in-${groupId}`, { groupId, account: bot.userId, role: "Admin", nameCard: "Support" });
}

// A lookup reads what the stack does not manage, at preview too: here, who else moderates
// the first group, for the team's dashboard.
export const moderators = lookupChatGroupMembers(groups[0]).then((members) =>
  (members ?? []).filter((m) => m.role !== "Member").map((m) => m.account),
);
export const botId = bot.userId;
