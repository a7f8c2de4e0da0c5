/**
 * The Chat REST client's typed commands. Requests and answers keep Tencent's field names,
 * so that Tencent's documentation reads directly against this file.
 */
import type { z } from "zod";

import type { CreateGroupRequest, GroupInfo, MemberInfo, ModifyGroupRequest } from "../../chat-api/bodies";
import { CODE, GROUP_GONE_CODES } from "../../chat-api/codes";
import { PER_CALL_LIMITS as LIMITS, restTypeName } from "../../chat-api/groups";
import { type CreateTopicRequest, type ModifyTopicRequest, TOPIC_SERVICE, type TopicInfo } from "../../chat-api/topics";
import { Batcher } from "./batcher";
import { ChatApiError, isApiError, isChatApiError } from "./errors";
import type { ChatClientOptions } from "./options";
import { type CallOptions, RawJson, RestCaller } from "./rest-caller";
import * as S from "./schemas";

const GROUP = "group_open_http_svc";
const ACCOUNT = "im_open_login_svc";
const PROFILE = "profile";

/** Answers that mean a topic cannot exist: its group is gone, or has no topics. */
const NO_TOPICS_CODES: ReadonlySet<number> = new Set([...GROUP_GONE_CODES, CODE.topicsNotSupported]);

const MISSING_PROFILE_CODES: ReadonlySet<number> = new Set([CODE.profileAccountNotFound]);

const TOO_LARGE_CODES: ReadonlySet<number> = new Set([CODE.answerTooLarge]);

/** get_topic refusing its From_Account (no permission): a service that answers only members does so for the App admin. */
const NOT_A_READER_CODES: ReadonlySet<number> = new Set([CODE.noPermission]);

/** get_group_info's base fields this package reads: a read that needs no member list asks for these alone. */
const BASE_FIELDS = [
  "Type",
  "Name",
  "Introduction",
  "Notification",
  "FaceUrl",
  "Owner_Account",
  "CreateTime",
  "MemberNum",
  "MaxMemberNum",
  "ApplyJoinOption",
  "InviteJoinOption",
  "MuteAllMember",
] as const;

/** The most members a group can have: a Community's (chat-api/plans.ts). */
const MAX_GROUP_MEMBERS = 1_000_000;
/** Most get_group_member_info pages read for one group: that many members, a page at a time. */
const MAX_MEMBER_PAGES = Math.ceil(MAX_GROUP_MEMBERS / LIMITS.membersPerPage) + 1;

/**
 * One get_group_info item: the group, undefined when it does not exist (10010/10015), or its
 * own ErrorCode as the call's failure.
 */
function groupOrGone(item: GroupInfo | undefined): GroupInfo | undefined {
  if (!item || GROUP_GONE_CODES.has(item.ErrorCode)) return undefined;
  if (item.ErrorCode !== 0) {
    throw new ChatApiError({
      command: "get_group_info",
      kind: "api",
      errorCode: item.ErrorCode,
      info: item.ErrorInfo,
      attempts: 1,
    });
  }
  return item;
}

/** The roles of a member; anything else an answer lists (NotMember) is not one. */
const MEMBER_ROLES: ReadonlySet<string> = new Set(["Owner", "Admin", "Member"]);

/** What getMember answers: the group is gone, or exists and has the account as a member or not. */
export type MemberRead = { group: "gone" } | { group: "exists"; member?: MemberInfo };
type LoadedMember = MemberRead | { group: "error"; error: unknown };

const memberKey = (groupId: string, account: string) => `${groupId}\u0000${account}`;
function splitMemberKey(key: string): { groupId: string; account: string } {
  const at = key.indexOf("\u0000");
  return { groupId: key.slice(0, at), account: key.slice(at + 1) };
}

/** Standard profile fields (Tencent's Tag_Profile_IM_*), at most 500 bytes each. */
export const PROFILE_TAGS = { nick: "Tag_Profile_IM_Nick", faceUrl: "Tag_Profile_IM_Image" } as const;

/** add_group_member's answer for one account. */
export interface MemberAddResult {
  account: string;
  /** 0 failed, 1 added, 2 already a member, 3 invited and waiting for the invitee's answer. */
  result: number;
}

/**
 * True when an object the service says was made at `createTime` (Unix seconds; unknown when
 * absent) can have been made by a call begun at `startedAt`, with five minutes for clock skew
 * between this machine and Tencent's.
 */
function madeSince(createTime: number | undefined, startedAt: number): boolean {
  const SKEW = 300;
  return createTime === undefined || createTime >= startedAt - SKEW;
}

/**
 * True when `g` is the group `req` asked for, made since `startedAt` (Unix seconds). Types are
 * compared by their REST names: the service may report a Work group as Work, or Private.
 */
export function isOurCreate(g: GroupInfo, req: CreateGroupRequest, startedAt: number): boolean {
  return (
    restTypeName(g.Type ?? "") === restTypeName(req.Type) &&
    g.Name === req.Name &&
    (g.Owner_Account ?? "") === (req.Owner_Account ?? "") &&
    (g.Introduction ?? "") === (req.Introduction ?? "") &&
    madeSince(g.CreateTime, startedAt)
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
/**
 * A typed client for the Chat REST API: every command retried, paced and validated (see
 * RestCaller), signed as the App admin with a UserSig it makes and renews itself.
 *
 * ```ts
 * const client = new ChatClient({ sdkAppId: 1400000000, secretKey, region: "singapore" });
 * const group = await client.getGroup("pulumi-room-1"); // undefined when it does not exist
 * ```
 */
export class ChatClient {
  /** Settings, the signature and the retry loop: private, so no printout of a client shows the key. */
  readonly #caller: RestCaller;
  readonly #groupReads: Batcher<string, GroupInfo>;
  readonly #memberReads: Batcher<string, LoadedMember>;
  /** Communities whose topics get_topic answers only to a member: the member read as (their owner). */
  readonly #topicReaders = new Map<string, string>();

  constructor(options: ChatClientOptions) {
    this.#caller = new RestCaller(options);
    this.#groupReads = new Batcher((ids) => this.loadGroups(ids), {
      maxBatch: LIMITS.groupIdsPerInfo,
      windowMs: options.coalesceWindowMs ?? 5,
    });
    this.#memberReads = new Batcher((keys) => this.loadMembers(keys), {
      maxBatch: LIMITS.accountsPerMemberInfo,
      windowMs: options.coalesceWindowMs ?? 5,
    });
  }

  /**
   * Creates a group. Retried only when the request names its GroupId: a retry then cannot
   * make a second group. When the outcome is uncertain (an answer was lost, and a retry found
   * the ID taken or every retry failed), the group is read back: if it is this call's, the
   * lost attempt made it, and the result says `recovered` and holds the group as it is. A
   * group is this call's when `isOurs` says so; by default, when it is the one asked for, made
   * since this call began (`isOurCreate`, on this client's clock). The one place a create is
   * recovered: the resources rely on it.
   */
  async createGroup(
    req: CreateGroupRequest,
    options: { isOurs?: (group: GroupInfo) => boolean } = {},
  ): Promise<{ groupId: string; recovered: boolean; group?: GroupInfo }> {
    const startedAt = Math.floor(this.#caller.now() / 1000);
    try {
      const answer = await this.#call(GROUP, "create_group", req, S.CreateGroupAnswer, {
        idempotent: req.GroupId !== undefined,
      });
      return { groupId: answer.GroupId, recovered: false };
    } catch (err) {
      if (req.GroupId && isChatApiError(err) && err.uncertain) {
        const existing = await this.getGroup(req.GroupId).catch(() => undefined);
        const ours = options.isOurs ?? ((g: GroupInfo) => isOurCreate(g, req, startedAt));
        if (existing && ours(existing)) return { groupId: req.GroupId, recovered: true, group: existing };
      }
      throw err;
    }
  }

  /** The base URL calls go to, e.g. `https://adminapisgp.im.qcloud.com`. */
  get baseUrl(): string {
    return this.#caller.baseUrl;
  }

  get sdkAppId(): number {
    return this.#caller.sdkAppId;
  }

  /** Now, in Unix milliseconds, on the client's clock (the one it was given, or the machine's). */
  now(): number {
    return this.#caller.now();
  }

  /** The App admin account requests are signed as. */
  get identifier(): string {
    return this.#caller.identifier;
  }

  /**
   * Information on any number of groups, 50 IDs a call, in the order asked. The service sends no
   * answer over 1 MB (10018): such a call is asked again in halves, down to one group, whose
   * base fields are then read alone (no custom data: its keys must be named to be read) and its
   * members page by page. A member list shorter
   * than the group's count (get_group_info's page does not promise every member of a large group
   * or a Community) is completed with get_group_member_info. `members: false` asks for the base
   * fields only: no member list, no custom data.
   */
  async getGroupInfo(groupIds: readonly string[], options: { members?: boolean } = {}): Promise<GroupInfo[]> {
    const withMembers = options.members ?? true;
    const answers = await Promise.all(
      chunks(groupIds, LIMITS.groupIdsPerInfo).map((ids) => this.readGroups(ids, withMembers)),
    );
    return answers.flat();
  }

  private async readGroups(ids: readonly string[], withMembers: boolean): Promise<GroupInfo[]> {
    const body = withMembers
      ? { GroupIdList: ids }
      : { GroupIdList: ids, ResponseFilter: { GroupBaseInfoFilter: BASE_FIELDS } };
    let items: GroupInfo[];
    try {
      items = (await this.#call(GROUP, "get_group_info", body, S.GetGroupInfoAnswer, { idempotent: true })).GroupInfo;
    } catch (err) {
      if (!isApiError(err, TOO_LARGE_CODES)) throw err;
      if (ids.length > 1) {
        const half = Math.ceil(ids.length / 2);
        return (
          await Promise.all([
            this.readGroups(ids.slice(0, half), withMembers),
            this.readGroups(ids.slice(half), withMembers),
          ])
        ).flat();
      }
      if (!withMembers) throw err;
      // One group whose members alone pass 1 MB: its details without them, its custom data apart.
      items = (await this.readGroups(ids, false)).map((g) => ({ ...g, MemberList: [] }));
    }
    return withMembers ? Promise.all(items.map((g) => this.completeMembers(g))) : items;
  }

  /**
   * The group with every member, when the list it came with is shorter than its count. A count
   * no group can have (over a Community's million) is not read as one.
   */
  private async completeMembers(g: GroupInfo): Promise<GroupInfo> {
    const count = g.MemberNum;
    if (
      g.ErrorCode !== 0 ||
      g.Type === "AVChatRoom" ||
      !g.MemberList ||
      count === undefined ||
      count > MAX_GROUP_MEMBERS ||
      g.MemberList.length >= count
    )
      return g;
    return { ...g, MemberList: await this.groupMembers(g.GroupId, g.Type === "Community") };
  }

  /**
   * Every member of a group, get_group_member_info (doc 1617) a page of 200 at a time: by
   * Offset, or for a Community by its cursor `Next`. A member listed twice (the group changed
   * between pages) is kept once; a cursor answered again stops the read with an error.
   */
  async groupMembers(groupId: string, community: boolean): Promise<MemberInfo[]> {
    const members = new Map<string, MemberInfo>();
    let offset = 0;
    let next = "";
    for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
      const body = {
        GroupId: groupId,
        Limit: LIMITS.membersPerPage,
        ...(community ? next && { Next: next } : { Offset: offset }),
      };
      const answer = await this.#call(GROUP, "get_group_member_info", body, S.GroupMemberPage, { idempotent: true });
      for (const m of answer.MemberList) members.set(m.Member_Account, m);
      if (community) {
        if (!answer.Next) return [...members.values()];
        if (answer.Next === next)
          throw new Error(
            `get_group_member_info answered the cursor ${answer.Next} of group ${groupId} again: stopping rather than looping`,
          );
        next = answer.Next;
      } else {
        if (answer.MemberList.length === 0 || offset + answer.MemberList.length >= answer.MemberNum)
          return [...members.values()];
        offset += answer.MemberList.length;
      }
    }
    throw new Error(`group ${groupId} has more than ${MAX_MEMBER_PAGES} pages of members`);
  }

  /**
   * One group, or undefined when it does not exist (10010/10015). Concurrent calls share
   * get_group_info calls of up to 50 IDs. `refresh`: this read is one of many, its caller
   * reading again as soon as it has an answer (as `pulumi refresh` does), so a batch waits
   * for those callers to come back and goes full.
   */
  async getGroup(groupId: string, options: { refresh?: boolean } = {}): Promise<GroupInfo | undefined> {
    return groupOrGone(await this.#groupReads.load(groupId, { returns: options.refresh }));
  }

  private async loadGroups(ids: string[]): Promise<Map<string, GroupInfo>> {
    const items = await this.getGroupInfo(ids);
    return new Map(items.map((item) => [item.GroupId, item]));
  }

  /**
   * One group's details without its members or custom data, or undefined when it does not
   * exist (10010/10015): what a membership needs to know of its group, at the cost of one small
   * answer however many members the group has.
   */
  async getGroupBase(groupId: string): Promise<GroupInfo | undefined> {
    const [item] = await this.getGroupInfo([groupId], { members: false });
    return groupOrGone(item);
  }

  /**
   * One account's membership of a group (get_specified_group_member_info, docs 112002 / 64897):
   * its role and name card, `member` undefined when it is not a member, or `group: "gone"` when
   * the group does not exist (10010/10015). Concurrent reads share calls of up to 50 accounts of
   * one group; `refresh` as for getGroup. Not for an AVChatRoom (10007).
   */
  async getMember(groupId: string, account: string, options: { refresh?: boolean } = {}): Promise<MemberRead> {
    const read = await this.#memberReads.load(memberKey(groupId, account), { returns: options.refresh });
    if (!read) throw new Error(`get_specified_group_member_info gave no answer for ${account} in ${groupId}`);
    if (read.group === "error") throw read.error;
    return read;
  }

  /** The named accounts' memberships, a call per group and 50 accounts; a group's failure is its own keys' answer. */
  private async loadMembers(keys: string[]): Promise<Map<string, LoadedMember>> {
    const byGroup = new Map<string, string[]>();
    for (const key of keys) {
      const { groupId, account } = splitMemberKey(key);
      byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), account]);
    }
    const out = new Map<string, LoadedMember>();
    await Promise.all(
      [...byGroup].map(async ([groupId, accounts]) => {
        let members: Map<string, MemberInfo> | undefined;
        let failure: LoadedMember | undefined;
        try {
          members = await this.specifiedMembers(groupId, accounts);
        } catch (error) {
          failure = isApiError(error, GROUP_GONE_CODES) ? { group: "gone" } : { group: "error", error };
        }
        for (const account of accounts)
          out.set(memberKey(groupId, account), failure ?? { group: "exists", member: members?.get(account) });
      }),
    );
    return out;
  }

  /** The named accounts that are members, with role and name card, 50 a call. An entry without a member's role is not a member. */
  private async specifiedMembers(groupId: string, accounts: readonly string[]): Promise<Map<string, MemberInfo>> {
    const members = new Map<string, MemberInfo>();
    for (const batch of chunks(accounts, LIMITS.accountsPerMemberInfo)) {
      const body = { GroupId: groupId, Member_List_Account: batch, MemberInfoFilter: ["Role", "NameCard", "JoinTime"] };
      const answer = await this.#call(GROUP, "get_specified_group_member_info", body, S.SpecifiedMembersAnswer, {
        idempotent: true,
      });
      for (const m of answer.MemberList) if (MEMBER_ROLES.has(m.Role ?? "")) members.set(m.Member_Account, m);
    }
    return members;
  }

  async modifyGroupBaseInfo(req: ModifyGroupRequest): Promise<void> {
    await this.#call(GROUP, "modify_group_base_info", req, S.EmptyAnswer, { idempotent: true });
  }

  /**
   * Dissolves a group. "already-gone" when the service says it does not exist (10010 or
   * 10015): for a delete, that is success, and it is what a retry after a lost answer sees.
   */
  async destroyGroup(groupId: string): Promise<"destroyed" | "already-gone"> {
    try {
      await this.#call(GROUP, "destroy_group", { GroupId: groupId }, S.EmptyAnswer, { idempotent: true });
      return "destroyed";
    } catch (err) {
      if (isApiError(err, GROUP_GONE_CODES)) return "already-gone";
      throw err;
    }
  }

  async changeGroupOwner(groupId: string, newOwner: string): Promise<void> {
    await this.#call(GROUP, "change_group_owner", { GroupId: groupId, NewOwner_Account: newOwner }, S.EmptyAnswer, {
      idempotent: true,
    });
  }

  /** Makes a member an admin of the group, or a plain member again (modify_group_member_info, doc 34900). */
  async setMemberRole(groupId: string, account: string, role: "Admin" | "Member"): Promise<void> {
    await this.modifyGroupMember(groupId, account, { Role: role });
  }

  /** Sets a member's role and name card (modify_group_member_info, doc 34900); the member must be in the group. */
  async modifyGroupMember(
    groupId: string,
    account: string,
    fields: { Role?: "Admin" | "Member"; NameCard?: string },
  ): Promise<void> {
    await this.#call(
      GROUP,
      "modify_group_member_info",
      { GroupId: groupId, Member_Account: account, ...fields },
      S.EmptyAnswer,
      { idempotent: true },
    );
  }

  /**
   * Each account's role in the group (get_role_in_group, doc 34963), 500 accounts per call:
   * Owner, Admin, Member, or NotMember. Not for an AVChatRoom, which answers 10007.
   */
  async getRoles(groupId: string, accounts: readonly string[]): Promise<Map<string, string>> {
    const roles = new Map<string, string>();
    for (const User_Account of chunks(accounts, LIMITS.accountsPerRoleQuery)) {
      const answer = await this.#call(
        GROUP,
        "get_role_in_group",
        { GroupId: groupId, User_Account },
        S.RoleInGroupAnswer,
        { idempotent: true },
      );
      for (const { Member_Account, Role } of answer.UserIdList) roles.set(Member_Account, Role);
    }
    return roles;
  }

  /**
   * Adds members, 20 per call. `result` per account (add_group_member, doc 1621): 0 failed,
   * 1 added, 2 already a member, 3 invited, waiting for the invitee to accept. `onBatch` hears
   * each call's results as they come, so a caller knows what was done when a later call fails.
   */
  async addGroupMembers(
    groupId: string,
    accounts: readonly string[],
    opts: { silence?: boolean; onBatch?: (results: MemberAddResult[]) => void } = {},
  ): Promise<MemberAddResult[]> {
    const out: MemberAddResult[] = [];
    for (const batch of chunks(accounts, LIMITS.membersPerAdd)) {
      const body = {
        GroupId: groupId,
        Silence: opts.silence ? 1 : 0,
        MemberList: batch.map((Member_Account) => ({ Member_Account })),
      };
      const answer = await this.#call(GROUP, "add_group_member", body, S.AddGroupMemberAnswer, { idempotent: true });
      const results = answer.MemberList.map((m) => ({ account: m.Member_Account, result: m.Result }));
      opts.onBatch?.(results);
      out.push(...results);
    }
    return out;
  }

  /** Removes members, 100 per call; accounts that are not members are ignored by the service. */
  async deleteGroupMembers(
    groupId: string,
    accounts: readonly string[],
    opts: { silence?: boolean; reason?: string } = {},
  ): Promise<void> {
    for (const batch of chunks(accounts, LIMITS.membersPerDelete)) {
      const body: Record<string, unknown> = {
        GroupId: groupId,
        MemberToDel_Account: batch,
        Silence: opts.silence ? 1 : 0,
      };
      if (opts.reason) body.Reason = opts.reason;
      await this.#call(GROUP, "delete_group_member", body, S.EmptyAnswer, { idempotent: true });
    }
  }

  /** One page of the app's group IDs. `next` is 64-bit: pass back what the last page gave. */
  async listGroups(
    page: { limit?: number; next?: bigint; groupType?: string } = {},
  ): Promise<{ totalCount: number; groupIds: string[]; next: bigint }> {
    // Built by hand: JSON.stringify cannot print a bigint, and Next must not pass through a number.
    const fields = [`"Limit":${page.limit ?? 10000}`, `"Next":${(page.next ?? 0n).toString()}`];
    if (page.groupType) fields.push(`"GroupType":${JSON.stringify(page.groupType)}`);
    const answer = await this.#call(
      GROUP,
      "get_appid_group_list",
      new RawJson(`{${fields.join(",")}}`),
      S.GroupListAnswer,
      {
        idempotent: true,
        lossless: true,
      },
    );
    return { totalCount: answer.TotalCount, groupIds: answer.GroupIdList.map((g) => g.GroupId), next: answer.Next };
  }

  /**
   * Every group ID of the app (of `groupType`, when given), page by page. Stops with an
   * error, rather than looping, when the service repeats a cursor or a page brings nothing new.
   */
  async allGroupIds(options: { pageSize?: number; groupType?: string } = {}): Promise<string[]> {
    const ids = new Set<string>();
    const seen = new Set<bigint>();
    let next = 0n;
    do {
      const page = await this.listGroups({ limit: options.pageSize ?? 10000, next, groupType: options.groupType });
      const before = ids.size;
      for (const id of page.groupIds) ids.add(id);
      if (page.next !== 0n && (seen.has(page.next) || ids.size === before)) {
        throw new Error(
          `get_appid_group_list answered the cursor ${page.next} again, or a page with no new group: stopping rather than looping`,
        );
      }
      seen.add(page.next);
      next = page.next;
    } while (next !== 0n);
    return [...ids];
  }

  /**
   * Creates a topic of a Community (create_topic, doc 49471) and returns its ID. Retried only
   * when the request names its TopicId; when an attempt's answer was lost, the topic is read
   * back, and one with the asked-for name, made since this call began, is taken as this
   * call's: the service's code for a TopicId in use is not documented, so it is not relied on.
   */
  async createTopic(req: CreateTopicRequest): Promise<{ topicId: string; recovered: boolean }> {
    const startedAt = Math.floor(this.#caller.now() / 1000);
    try {
      const answer = await this.#call(TOPIC_SERVICE, "create_topic", req, S.CreateTopicAnswer, {
        idempotent: req.TopicId !== undefined,
      });
      return { topicId: answer.TopicId, recovered: false };
    } catch (err) {
      if (req.TopicId && isChatApiError(err) && err.uncertain) {
        const existing = await this.getTopic(req.GroupId, req.TopicId).catch(() => undefined);
        if (existing && existing.TopicName === req.TopicName && madeSince(existing.CreateTime, startedAt)) {
          return { topicId: req.TopicId, recovered: true };
        }
      }
      throw err;
    }
  }

  /**
   * get_topic (docs 49469, 78204) as it answers: one item per topic asked for, or every topic of
   * the group when `topicIds` is absent. Its required From_Account is the App admin; where the
   * service answers only the Community's members (10007), the topics are read as its owner, and
   * this client remembers so for the Community.
   */
  async getTopics(
    groupId: string,
    topicIds?: readonly string[],
  ): Promise<{ errorCode: number; errorInfo: string; info?: TopicInfo }[]> {
    const ask = async (reader: string) => {
      const body: Record<string, unknown> = { GroupId: groupId, From_Account: reader };
      if (topicIds) body.TopicIdList = topicIds;
      const answer = await this.#call(TOPIC_SERVICE, "get_topic", body, S.GetTopicAnswer, { idempotent: true });
      return answer.TopicAndSelfInfo.map((item) => ({
        errorCode: item.ErrorCode,
        errorInfo: item.ErrorInfo ?? "",
        info: item.TopicInfo,
      }));
    };
    const known = this.#topicReaders.get(groupId);
    if (known) {
      try {
        return await ask(known);
      } catch (err) {
        // The owner it read as has changed (or the Community was made again): start over.
        if (!isApiError(err, NOT_A_READER_CODES)) throw err;
        this.#topicReaders.delete(groupId);
      }
    }
    try {
      return await ask(this.identifier);
    } catch (err) {
      if (!isApiError(err, NOT_A_READER_CODES)) throw err;
      const owner = (await this.getGroupBase(groupId))?.Owner_Account;
      if (!owner || owner === this.identifier) {
        throw new Error(
          `get_topic refused to read Community ${groupId}'s topics as the App admin ${this.identifier} (${(err as ChatApiError).errorCode}), and the Community has no owner to read them as: ` +
            `add ${this.identifier} to the Community's members, or give it an owner`,
        );
      }
      this.#topicReaders.set(groupId, owner);
      return ask(owner);
    }
  }

  /**
   * One topic, or undefined when it does not exist: its group is gone (10010/10015) or has
   * no topics (11000), or the group's topics do not include it. An item that is not a clean
   * answer (no item, or a non-zero ErrorCode, whose meaning for a missing topic is not
   * documented) is settled by listing the group's topics, so a passing fault never reads as
   * "gone" and a missing topic never reads as a failure.
   */
  async getTopic(groupId: string, topicId: string): Promise<TopicInfo | undefined> {
    try {
      const [item] = await this.getTopics(groupId, [topicId]).catch((err: unknown) => {
        // The whole call refused for a topic that may not exist (its page says nothing): settled by listing.
        if (isApiError(err) && !isApiError(err, NO_TOPICS_CODES)) return [];
        throw err;
      });
      if (item && item.errorCode === 0 && item.info?.TopicId === topicId) return item.info;
      const all = await this.getTopics(groupId);
      return all.find((t) => t.errorCode === 0 && t.info?.TopicId === topicId)?.info;
    } catch (err) {
      if (isApiError(err, NO_TOPICS_CODES)) return undefined;
      throw err;
    }
  }

  /** Changes a topic's fields (modify_topic, doc 49468): only the fields in `req` change. */
  async modifyTopic(req: ModifyTopicRequest): Promise<void> {
    await this.#call(TOPIC_SERVICE, "modify_topic", req, S.EmptyAnswer, { idempotent: true });
  }

  /**
   * Deletes a topic (destroy_topic, doc 49470). "already-gone" when it does not exist: its
   * group is gone or has no topics, the service says it was already deleted (110003), or
   * another per-topic code comes back and the group's topics do not include it.
   */
  async destroyTopic(groupId: string, topicId: string): Promise<"destroyed" | "already-gone"> {
    let item: { ErrorCode: number; ErrorInfo?: string; TopicId: string } | undefined;
    try {
      const answer = await this.#call(
        TOPIC_SERVICE,
        "destroy_topic",
        { GroupId: groupId, TopicIdList: [topicId] },
        S.DestroyTopicAnswer,
        { idempotent: true },
      );
      item = answer.DestroyResultItem.find((i) => i.TopicId === topicId);
    } catch (err) {
      if (isApiError(err, NO_TOPICS_CODES) || isApiError(err, CODE.topicGone)) return "already-gone";
      throw err;
    }
    if (item?.ErrorCode === 0) return "destroyed";
    if (item?.ErrorCode === CODE.topicGone) return "already-gone";
    if ((await this.getTopic(groupId, topicId)) === undefined) return "already-gone";
    const code = item?.ErrorCode ?? 0;
    throw new ChatApiError({
      command: "destroy_topic",
      kind: "api",
      errorCode: code,
      info: item ? (item.ErrorInfo ?? "") : "the answer had no result for this topic, and the topic still exists",
      attempts: 1,
    });
  }

  async importAccount(account: { userId: string; nick?: string; faceUrl?: string }): Promise<void> {
    const body: Record<string, string> = { UserID: account.userId };
    if (account.nick !== undefined) body.Nick = account.nick;
    if (account.faceUrl !== undefined) body.FaceUrl = account.faceUrl;
    await this.#call(ACCOUNT, "account_import", body, S.EmptyAnswer, { idempotent: true });
  }

  /** Imports accounts, 100 per call; returns the ones the service refused. */
  async importAccounts(userIds: readonly string[]): Promise<string[]> {
    const failed: string[] = [];
    for (const Accounts of chunks(userIds, LIMITS.accountsPerBatch)) {
      failed.push(
        ...(await this.#call(ACCOUNT, "multiaccount_import", { Accounts }, S.MultiImportAnswer, { idempotent: true }))
          .FailAccounts,
      );
    }
    return failed;
  }

  /** Which accounts exist, 100 per call. */
  async checkAccounts(userIds: readonly string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (const batch of chunks(userIds, LIMITS.accountsPerBatch)) {
      const body = { CheckItem: batch.map((UserID) => ({ UserID })) };
      const answer = await this.#call(ACCOUNT, "account_check", body, S.AccountCheckAnswer, { idempotent: true });
      for (const item of answer.ResultItem) out.set(item.UserID, item.AccountStatus === "Imported");
    }
    return out;
  }

  /**
   * Profile fields of accounts, 100 per call. An account that does not exist has a non-zero
   * resultCode (40003), whether the service says so per item or fails the whole call (its page
   * and its SDKs disagree): a batch failed for a missing account is asked again one by one.
   */
  async getProfiles(
    userIds: readonly string[],
    tags: readonly string[],
  ): Promise<Map<string, { resultCode: number; fields: Record<string, string> }>> {
    const out = new Map<string, { resultCode: number; fields: Record<string, string> }>();
    for (const batch of chunks(userIds, LIMITS.accountsPerBatch)) {
      let answer: z.output<typeof S.PortraitGetAnswer>;
      try {
        answer = await this.#call(PROFILE, "portrait_get", { To_Account: batch, TagList: tags }, S.PortraitGetAnswer, {
          idempotent: true,
        });
      } catch (err) {
        if (!isApiError(err, MISSING_PROFILE_CODES)) throw err;
        if (batch.length === 1) {
          out.set(batch[0], { resultCode: CODE.profileAccountNotFound, fields: {} });
          continue;
        }
        for (const one of batch) for (const [id, found] of await this.getProfiles([one], tags)) out.set(id, found);
        continue;
      }
      for (const item of answer.UserProfileItem) {
        const fields = Object.fromEntries(
          item.ProfileItem.map((p) => [p.Tag, typeof p.Value === "string" ? p.Value : String(p.Value)]),
        );
        out.set(item.To_Account, { resultCode: item.ResultCode, fields });
      }
    }
    return out;
  }

  /** Sets profile fields of one account, e.g. `{ [PROFILE_TAGS.nick]: "Alice" }`. */
  async setProfile(userId: string, fields: Record<string, string>): Promise<void> {
    const ProfileItem = Object.entries(fields).map(([Tag, Value]) => ({ Tag, Value }));
    await this.#call(PROFILE, "portrait_set", { From_Account: userId, ProfileItem }, S.EmptyAnswer, {
      idempotent: true,
    });
  }

  /** Deletes accounts, 100 per call; per account ResultCode (0, or 70107 when it did not exist). */
  async deleteAccounts(
    userIds: readonly string[],
  ): Promise<{ userId: string; resultCode: number; resultInfo: string }[]> {
    const out: { userId: string; resultCode: number; resultInfo: string }[] = [];
    for (const batch of chunks(userIds, LIMITS.accountsPerBatch)) {
      const body = { DeleteItem: batch.map((UserID) => ({ UserID })) };
      const answer = await this.#call(ACCOUNT, "account_delete", body, S.AccountDeleteAnswer, { idempotent: true });
      out.push(
        ...answer.ResultItem.map((r) => ({
          userId: r.UserID,
          resultCode: r.ResultCode,
          resultInfo: r.ResultInfo ?? "",
        })),
      );
    }
    return out;
  }

  #call<T>(service: string, command: string, body: unknown, schema: z.ZodType<T>, opts: CallOptions): Promise<T> {
    return this.#caller.call(service, command, body, schema, opts);
  }
}
