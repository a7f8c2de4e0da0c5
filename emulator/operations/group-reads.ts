/**
 * Group reads of `group_open_http_svc`: get_group_info (per-group ErrorCodes, ResponseFilter)
 * and get_appid_group_list (paging with a 64-bit Next).
 */
import { LosslessNumber } from "lossless-json";

import { PER_CALL_LIMITS } from "../../chat-api/groups";
import { ApiFailure, CODE, invalid } from "../errors";
import { GROUP_TYPES, type GroupRecord, type MemberRecord } from "../model";
import { PARTIAL_MEMBER_LIST } from "../policy";
import type { Operation, OperationContext } from "./context";
import {
  type Body,
  objectItem,
  optionalArray,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredArray,
  requiredString,
} from "./fields";

/** Cursors of get_appid_group_list are 64-bit: start above 2^53 so lossy clients show. */
const NEXT_BASE = 1n << 62n;

function memberView(m: MemberRecord): Record<string, unknown> {
  return {
    Member_Account: m.account,
    Role: m.role,
    JoinTime: m.joinTime,
    MsgSeq: 0,
    MsgFlag: "AcceptAndNotify",
    LastSendMsgTime: 0,
    NameCard: m.nameCard,
    MuteUntil: 0,
    AppMemberDefinedData: [],
  };
}

function groupView(g: GroupRecord, sdkAppId: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    Type: g.type,
    Name: g.name,
    Appid: sdkAppId,
    Introduction: g.introduction,
    Notification: g.notification,
    FaceUrl: g.faceUrl,
    Owner_Account: g.owner,
    CreateTime: g.createTime,
    InfoSeq: g.infoSeq,
    LastInfoTime: g.lastInfoTime,
    LastMsgTime: 0,
    NextMsgSeq: 1,
    // An AVChatRoom's details carry no member count (doc 1616; get_online_member_num has it).
    ...(g.type !== "AVChatRoom" && { MemberNum: g.members.length }),
    MaxMemberNum: g.maxMemberNum,
    ApplyJoinOption: g.applyJoinOption,
    MuteAllMember: g.muteAllMember,
  };
  if (g.type !== "AVChatRoom") base.InviteJoinOption = g.inviteJoinOption;
  return base;
}

function appDefinedView(data: Record<string, string>, keys?: string[]): { Key: string; Value: string }[] {
  return Object.entries(data)
    .filter(([key]) => !keys || keys.includes(key))
    .map(([Key, Value]) => ({ Key, Value }));
}

function stringList(filter: Body, field: string): string[] | undefined {
  const list = optionalArray(filter, field);
  if (list && !list.every((x) => typeof x === "string")) invalid(`ResponseFilter.${field} must hold strings`);
  return list as string[] | undefined;
}

/** A member as a MemberInfoFilter asks for it: that filter names fields without the "Member_" prefix, and Member_Account always comes. */
function filteredMember(m: MemberRecord, filter: string[] | undefined): Record<string, unknown> {
  const full = memberView(m);
  return filter
    ? Object.fromEntries(
        Object.entries(full).filter(([k]) => k === "Member_Account" || filter.includes(k.replace(/^Member_/, ""))),
      )
    : full;
}

function memberFilterOf(body: Body): string[] | undefined {
  const filter = optionalArray(body, "MemberInfoFilter");
  if (filter && !filter.every((x) => typeof x === "string")) invalid("MemberInfoFilter must hold strings");
  return filter as string[] | undefined;
}

/** The group GroupId names, when its members are listed at all (an AVChatRoom's are not: 10007). */
function groupWithListedMembers(body: Body, ctx: OperationContext): GroupRecord {
  const group = ctx.store.groups.get(requiredString(body, "GroupId"));
  if (!group) throw new ApiFailure(CODE.groupGone, "this group does not exist");
  if (group.type === "AVChatRoom")
    throw new ApiFailure(
      CODE.noPermission,
      "AVChatRoom members are not listed: read the online count with get_online_member_num",
    );
  return group;
}

/**
 * get_group_member_info (doc 1617): a group's members a page at a time, `Limit` at most 200,
 * from `Offset`, or for a Community from the cursor `Next` (it takes no Offset). The answer
 * carries the whole count, and `Next` ("" on the last page) for a Community.
 */
const getGroupMemberInfo: Operation = {
  mutates: false,
  run(body, ctx) {
    const group = groupWithListedMembers(body, ctx);
    const limit = optionalInteger(body, "Limit", 1, PER_CALL_LIMITS.membersPerPage) ?? PER_CALL_LIMITS.membersPerPage;
    const community = group.type === "Community";
    if (community && body.Offset !== undefined) invalid("a Community's members are paged with Next, not Offset");
    const next = community ? optionalString(body, "Next") : undefined;
    if (next !== undefined && next !== "" && !/^\d+$/.test(next)) invalid("Next is not a cursor this group gave");
    const start = community ? Number(next || 0) : (optionalInteger(body, "Offset", 0, Number.MAX_SAFE_INTEGER) ?? 0);
    const memberFilter = memberFilterOf(body);
    const page = group.members.slice(start, start + limit).map((m) => filteredMember(m, memberFilter));
    const end = start + page.length;
    return {
      MemberNum: group.members.length,
      MemberList: page,
      ...(community && { Next: end < group.members.length ? String(end) : "" }),
    };
  },
};

/**
 * get_specified_group_member_info (docs 112002 / 64897): the named accounts' member details,
 * at most 50 (10005), in the group's order; an account that is not a member is left out (the
 * pages do not say what the service answers for one). `MemberRoleFilter` keeps the roles
 * named. Not for an AVChatRoom.
 */
const getSpecifiedGroupMemberInfo: Operation = {
  mutates: false,
  run(body, ctx) {
    const group = groupWithListedMembers(body, ctx);
    const accounts = requiredArray(body, "Member_List_Account");
    if (accounts.length > PER_CALL_LIMITS.accountsPerMemberInfo)
      throw new ApiFailure(
        CODE.tooManyAccounts,
        `Member_List_Account holds more than ${PER_CALL_LIMITS.accountsPerMemberInfo} accounts`,
      );
    if (!accounts.every((a) => typeof a === "string")) invalid("Member_List_Account must hold strings");
    const roles = optionalArray(body, "MemberRoleFilter");
    if (roles && !roles.every((r) => r === "Owner" || r === "Admin" || r === "Member"))
      invalid("MemberRoleFilter holds Owner, Admin or Member");
    const named = new Set(accounts as string[]);
    const memberFilter = memberFilterOf(body);
    const listed = group.members.filter((m) => named.has(m.account) && (!roles || roles.includes(m.role)));
    return { GroupId: group.groupId, MemberList: listed.map((m) => filteredMember(m, memberFilter)) };
  },
};

const getGroupInfo: Operation = {
  mutates: false,
  run(body, ctx) {
    const ids = requiredArray(body, "GroupIdList");
    if (ids.length > PER_CALL_LIMITS.groupIdsPerInfo)
      invalid(`GroupIdList holds more than ${PER_CALL_LIMITS.groupIdsPerInfo} groups`);
    if (!ids.every((id) => typeof id === "string")) invalid("GroupIdList must hold strings");
    const filter = body.ResponseFilter === undefined ? undefined : objectItem(body.ResponseFilter, "ResponseFilter");
    const baseFilter = filter && stringList(filter, "GroupBaseInfoFilter");
    const memberFilter = filter && stringList(filter, "MemberInfoFilter");
    const appFilter = filter && stringList(filter, "AppDefinedDataFilter_Group");

    const GroupInfo = (ids as string[]).map((groupId) => {
      const group = ctx.store.groups.get(groupId);
      if (!group) {
        // Per-group codes: the top-level answer stays OK.
        return ctx.store.dissolved.has(groupId)
          ? { GroupId: groupId, ErrorCode: CODE.groupGone, ErrorInfo: "this group does not exist" }
          : { GroupId: groupId, ErrorCode: CODE.groupIdInvalid, ErrorInfo: "group id invalid" };
      }
      const view = groupView(group, ctx.sdkAppId);
      const out: Record<string, unknown> = { GroupId: groupId, ErrorCode: 0, ErrorInfo: "" };
      for (const [key, value] of Object.entries(view)) {
        if (!filter || baseFilter?.includes(key)) out[key] = value;
      }
      if (!filter || appFilter) out.AppDefinedData = appDefinedView(group.appDefinedData, appFilter);
      // Nor a member list: people join it from the client SDK.
      if ((!filter || memberFilter) && group.type !== "AVChatRoom") {
        const listed =
          ctx.policy.groupInfoMembers === "partial" ? group.members.slice(0, PARTIAL_MEMBER_LIST) : group.members;
        out.MemberList = listed.map((m) => filteredMember(m, memberFilter));
      }
      return out;
    });
    return { GroupInfo };
  },
};

/** Limit, from its digits: a number too large for a double (1e400) is out of range (10004), not a crash. */
function readLimit(value: unknown): number {
  if (value === undefined) return PER_CALL_LIMITS.groupsPerListPage;
  const limit = value instanceof LosslessNumber ? Number(value.value) : value;
  return optionalInteger({ Limit: limit }, "Limit", 1, PER_CALL_LIMITS.groupsPerListPage) as number;
}

function readNext(body: Body): bigint {
  const next = body.Next;
  if (next === undefined) return 0n;
  if (!(next instanceof LosslessNumber) || !/^\d+$/.test(next.value)) invalid("Next must be a non-negative integer");
  return BigInt(next.value);
}

const getAppidGroupList: Operation = {
  mutates: false,
  lossless: true,
  run(body, ctx) {
    const limit = readLimit(body.Limit);
    const groupType = optionalEnum(body, "GroupType", [...GROUP_TYPES, "BChatRoom"] as const);
    const next = readNext(body);
    const afterSeq = next >= NEXT_BASE ? next - NEXT_BASE : 0n;

    const ofType = [...ctx.store.groups.values()].filter((g) => !groupType || g.type === groupType);
    const page = ofType.filter((g) => BigInt(g.seq) > afterSeq).slice(0, limit);
    const last = page[page.length - 1];
    const more = last !== undefined && ofType[ofType.length - 1] !== last;
    return {
      TotalCount: ofType.length,
      GroupIdList: page.map((g) => ({ GroupId: g.groupId })),
      Next: new LosslessNumber(more ? (NEXT_BASE + BigInt(last.seq)).toString() : "0"),
    };
  },
};

export const groupReadOperations: Record<string, Operation> = {
  get_group_member_info: getGroupMemberInfo,
  get_specified_group_member_info: getSpecifiedGroupMemberInfo,
  get_group_info: getGroupInfo,
  get_appid_group_list: getAppidGroupList,
};
