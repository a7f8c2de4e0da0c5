/**
 * Lookups for a program: the groups of the app it does not manage, found by prefix or type,
 * as a Terraform data source finds them. They run in the program (at preview too), with the
 * stack's `tencent-chat:*` config or the TENCENT_CHAT_* variables, and put nothing in state.
 */
import * as pulumi from "@pulumi/pulumi";
import { GROUP_TYPES, restTypeName } from "../chat-api/groups";
import { ChatClient } from "./client/client";
import { resolveConnection } from "./dynamic/config";
import type { ChatGroupType } from "./chat-group/resource";

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
export async function lookupChatGroups(args: LookupChatGroupsArgs = {}, options: { client?: ChatClient } = {}): Promise<FoundChatGroup[]> {
  const type = args.type === undefined ? undefined : restTypeName(args.type);
  if (type !== undefined && !(GROUP_TYPES as readonly string[]).includes(type)) {
    throw new Error(`lookupChatGroups: type must be one of ${GROUP_TYPES.join(", ")} (or Work, Meeting), got ${JSON.stringify(args.type)}`);
  }
  const client = options.client ?? new ChatClient(resolveConnection({ get: (key) => pulumi.runtime.getConfig(key) }));
  const groups = await client.getGroupInfo(await client.allGroupIds({ groupType: type }));
  const prefix = args.prefix ?? "";
  return groups
    .filter((g) => g.ErrorCode === 0 && (g.GroupId.startsWith(prefix) || (g.Name ?? "").startsWith(prefix)))
    .map((g) => ({
      groupId: g.GroupId,
      type: g.Type ?? "",
      name: g.Name ?? "",
      ...(g.Owner_Account ? { ownerAccount: g.Owner_Account } : {}),
      memberCount: g.MemberNum ?? 0,
      createTime: g.CreateTime ?? 0,
    }))
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}
