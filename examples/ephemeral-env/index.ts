// A review environment: chat users and groups for one pull request, made by
// `pulumi up` when the PR opens and removed by `pulumi destroy` when it closes.
//
//   pulumi stack init pr-123
//   pulumi up --yes        # on every push
//   pulumi destroy --yes   # when the PR closes; safe even if someone already
//                          # disbanded a group by hand
import * as pulumi from "@pulumi/pulumi";
import { ChatAccount, ChatGroup, ChatTopic } from "pulumi-tencent-chat";

// Everything is named after the stack, so environments never collide and a
// nightly sweep can find leftovers by prefix.
const env = pulumi.getStack();
const config = new pulumi.Config();
const testers = config.getObject<string[]>("testers") ?? ["qa", "designer"];

// Accounts get generated IDs (`<prefix><hash>-<n>`): paid plans refuse a deleted userId
// for three months, so an environment that is destroyed and made again needs new ones.
const owner = new ChatAccount("owner", { userIdPrefix: `${env}-`, nick: `${env} bot` });
const people = testers.map((who) => new ChatAccount(`user-${who}`, { userIdPrefix: `${env}-`, nick: who }));

// The accounts' IDs are outputs, so Pulumi creates the accounts first and, on
// destroy, removes the groups before the accounts.
//
// The group IDs are this stack's own (named after it), so the groups set adoptExisting: a
// rerun after a cancelled job takes over the groups the cancelled run made but could not
// record, instead of refusing them as someone else's. Leave it out for IDs other stacks or
// people may hold.
const review = new ChatGroup("review", {
  type: "Private",
  groupId: `${env}-review`,
  adoptExisting: true,
  name: `Review ${env}`,
  ownerAccount: owner.userId,
  members: people.map((p) => p.userId),
  appDefinedData: { env },
});

const announcements = new ChatGroup("announcements", {
  type: "Public",
  groupId: `${env}-announce`,
  adoptExisting: true,
  name: `Announcements ${env}`,
  ownerAccount: owner.userId,
  // Everyone reads; the first tester is an admin, who may still post while the group is muted.
  members: people.map((p) => p.userId),
  admins: people.slice(0, 1).map((p) => p.userId),
  muteAllMember: true,
});

// A Community with a topic per area of the review, moderated by the first tester. Topics
// need a Community made with supportTopic (and Community topics enabled in the console);
// destroy removes the topics before the Community.
const community = new ChatGroup("community", {
  type: "Community",
  groupId: `@TGS#_${env}-community`,
  adoptExisting: true,
  name: `Community ${env}`,
  ownerAccount: owner.userId,
  supportTopic: true,
  members: people.map((p) => p.userId),
  admins: people.slice(0, 1).map((p) => p.userId),
});
// The topic IDs are fixed inside this stack's own Community, so they set adoptExisting too.
const topics = [
  { area: "general", topicName: "General", notification: "Say hello" },
  { area: "bugs", topicName: "Bugs", notification: "One thread per bug" },
].map(
  ({ area, ...fields }) =>
    new ChatTopic(`topic-${area}`, { groupId: community.groupId, topicIdSuffix: area, adoptExisting: true, ...fields }),
);

export const reviewGroupId = review.groupId;
export const communityTopicIds = pulumi.all(topics.map((t) => t.topicId));
export const announcementsGroupId = announcements.groupId;
export const accounts = pulumi.all([owner.userId, ...people.map((p) => p.userId)]);
