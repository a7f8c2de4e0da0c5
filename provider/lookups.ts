/**
 * Lookups for a program: what the app holds that the program does not manage, as a Terraform
 * data source reads it: groups by prefix or type, one group by ID, a group's members, a
 * Community's topics, and which accounts exist. They run in the program (at preview too),
 * with the stack's `tencent-chat:*` config or the TENCENT_CHAT_* variables, and put nothing
 * in state. Each takes `{ client }` for scripts and tests; a program leaves it out.
 */
import * as pulumi from "@pulumi/pulumi";

import type { GroupInfo } from "../chat-api/bodies";
import { GROUP_TYPES, restTypeName } from "../chat-api/groups";
import type { TopicInfo } from "../chat-api/topics";
import type { ChatGroupType } from "./chat-group/resource";
import { ChatClient } from "./client/client";
import { appConnection } from "./common/config";

/** How a lookup reaches the app: the given client, or one made from the stack's config. */
export interface LookupOptions {
  /** The app profile (of `tencent-chat:apps`) to read. @default the top-level settings */
  app?: string;
  client?: ChatClient;
}

function clientFor(options: LookupOptions): ChatClient {
  if (options.client) return options.client;
  return new ChatClient(appConnection({ get: (key) => pulumi.runtime.getConfig(key) }, options.app));
}

/** What `lookupChatGroups` selects by; every group when empty. */
export interface LookupChatGroupsArgs {
  /** Groups whose GroupId or name starts with this. @default every group */
  prefix?: string;
  /** Groups of this type (aliases `Work` and `Meeting` accepted). @default every type */
  type?: ChatGroupType;
}

/** A group a lookup found. */
export interface FoundChatGroup {
  groupId: string;
  /** The REST type name. */
  type: string;
  name: string;
  ownerAccount?: string;
  memberCount: number;
  /** Unix seconds. */
  createTime: number;
}

/**
 * The app's groups matching `args`, sorted by ID. Lists the app's group IDs
 * (get_appid_group_list, which Tencent limits to one call a second) and reads them 50 at a
 * time, so an app of many groups takes a few seconds. `client` is for scripts and tests;
 * a program leaves it out and the stack config is used.
 *
 * @example
 * const lobbies = await lookupChatGroups({ prefix: "lobby-" });
 * export const lobbyIds = lobbies.map((g) => g.groupId);
 */
export async function lookupChatGroups(
  args: LookupChatGroupsArgs = {},
  options: LookupOptions = {},
): Promise<FoundChatGroup[]> {
  const type = args.type === undefined ? undefined : restTypeName(args.type);
  if (type !== undefined && !(GROUP_TYPES as readonly string[]).includes(type)) {
    throw new Error(
      `lookupChatGroups: type must be one of ${GROUP_TYPES.join(", ")} (or Work, Meeting), got ${JSON.stringify(args.type)}`,
    );
  }
  const client = clientFor(options);
  // Counts only: no member lists, which for an app's every group would be most of the answer.
  const groups = await client.getGroupInfo(await client.allGroupIds({ groupType: type }), { members: false });
  const prefix = args.prefix ?? "";
  return groups
    .filter((g) => g.ErrorCode === 0 && (g.GroupId.startsWith(prefix) || (g.Name ?? "").startsWith(prefix)))
    .map(foundGroup)
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** Refuses a group ID a program could not have meant, naming the lookup. */
function requireGroupId(lookup: string, groupId: unknown, what: string): void {
  if (typeof groupId !== "string" || groupId === "")
    throw new Error(`${lookup}: groupId must be ${what}, got ${JSON.stringify(groupId)}`);
}

function foundGroup(g: GroupInfo): FoundChatGroup {
  return {
    groupId: g.GroupId,
    type: g.Type ?? "",
    name: g.Name ?? "",
    ...(g.Owner_Account ? { ownerAccount: g.Owner_Account } : {}),
    memberCount: g.MemberNum ?? 0,
    createTime: g.CreateTime ?? 0,
  };
}

/** One group, read by ID and not managed. */
export interface FoundChatGroupDetails extends FoundChatGroup {
  introduction: string;
  notification: string;
  faceUrl: string;
  maxMemberCount?: number;
  applyJoinOption?: string;
  muteAllMember: boolean;
  appDefinedData: Record<string, string>;
}

/**
 * The group with this ID, or undefined when it does not exist (get_group_info, 10010/10015).
 * Unlike `ChatGroup.get`, it registers no resource: the program gets the values at once, and
 * may branch on whether the group exists.
 *
 * @example
 * const lobby = await lookupChatGroup("@TGS#_lobby");
 * if (lobby) new ChatGroupMember("bot", { groupId: lobby.groupId, account: "support-bot" });
 */
export async function lookupChatGroup(
  groupId: string,
  options: LookupOptions = {},
): Promise<FoundChatGroupDetails | undefined> {
  requireGroupId("lookupChatGroup", groupId, "a group ID");
  const g = await clientFor(options).getGroup(groupId);
  if (!g) return undefined;
  return {
    ...foundGroup(g),
    introduction: g.Introduction ?? "",
    notification: g.Notification ?? "",
    faceUrl: g.FaceUrl ?? "",
    ...(g.MaxMemberNum !== undefined && { maxMemberCount: g.MaxMemberNum }),
    ...(g.ApplyJoinOption !== undefined && { applyJoinOption: g.ApplyJoinOption }),
    muteAllMember: g.MuteAllMember === "On" || g.ShutUpAllMember === "On",
    appDefinedData: Object.fromEntries((g.AppDefinedData ?? []).map((kv) => [kv.Key, kv.Value])),
  };
}

/** A member a lookup found. */
export interface FoundChatGroupMember {
  account: string;
  /** Owner, Admin or Member. */
  role: string;
  nameCard: string;
  /** Unix seconds. */
  joinTime: number;
}

/**
 * The members of a group, sorted by account, as get_group_info lists them; undefined when
 * the group does not exist. An AVChatRoom lists none from the server.
 *
 * @example
 * const staff = (await lookupChatGroupMembers("@TGS#_lobby"))?.filter((m) => m.role !== "Member");
 */
export async function lookupChatGroupMembers(
  groupId: string,
  options: LookupOptions = {},
): Promise<FoundChatGroupMember[] | undefined> {
  requireGroupId("lookupChatGroupMembers", groupId, "a group ID");
  const g = await clientFor(options).getGroup(groupId);
  if (!g) return undefined;
  return (g.MemberList ?? [])
    .map((m) => ({
      account: m.Member_Account,
      role: m.Role ?? "Member",
      nameCard: m.NameCard ?? "",
      joinTime: m.JoinTime ?? 0,
    }))
    .sort((a, b) => a.account.localeCompare(b.account));
}

/** A topic a lookup found. */
export interface FoundChatTopic {
  topicId: string;
  topicName: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  customString: string;
  /** Unix seconds, when the service says. */
  createTime?: number;
}

/**
 * The topics of a Community, sorted by ID (get_topic). Throws when the group does not exist
 * or has no topics, saying which.
 *
 * @example
 * const topics = await lookupChatTopics("@TGS#_guild");
 * export const topicNames = topics.map((t) => t.topicName);
 */
export async function lookupChatTopics(groupId: string, options: LookupOptions = {}): Promise<FoundChatTopic[]> {
  requireGroupId("lookupChatTopics", groupId, "a Community's group ID");
  const items = await clientFor(options)
    .getTopics(groupId)
    .catch((err: unknown) => {
      throw new Error(
        `lookupChatTopics: the topics of ${groupId} cannot be read (${err instanceof Error ? err.message : String(err)}); topics exist only in a Community created with supportTopic: true`,
      );
    });
  return items
    .filter(
      (item): item is { errorCode: 0; errorInfo: string; info: TopicInfo } =>
        item.errorCode === 0 && item.info !== undefined,
    )
    .map(({ info }) => ({
      topicId: info.TopicId,
      topicName: info.TopicName ?? "",
      introduction: info.Introduction ?? "",
      notification: info.Notification ?? "",
      faceUrl: info.FaceUrl ?? "",
      customString: info.CustomString ?? "",
      ...(info.CreateTime !== undefined && { createTime: info.CreateTime }),
    }))
    .sort((a, b) => a.topicId.localeCompare(b.topicId));
}

/**
 * Which of these accounts are imported (account_check, 100 a call): a map from each ID asked
 * for to true or false.
 *
 * @example
 * const exists = await checkChatAccounts(["support-bot", "alice"]);
 * if (!exists.get("support-bot")) throw new Error("import the support bot first");
 */
export async function checkChatAccounts(
  userIds: readonly string[],
  options: LookupOptions = {},
): Promise<Map<string, boolean>> {
  if (!Array.isArray(userIds) || !userIds.every((id) => typeof id === "string" && id !== "")) {
    throw new Error("checkChatAccounts: userIds must be a list of account IDs, got " + JSON.stringify(userIds));
  }
  if (!userIds.length) return new Map();
  const found = await clientFor(options).checkAccounts(userIds);
  return new Map(userIds.map((id) => [id, found.get(id) === true]));
}
