/**
 * Group lifecycle commands of `group_open_http_svc`: create_group, modify_group_base_info,
 * destroy_group (reads are in group-reads.ts).
 * Field names, limits and codes follow Tencent's pages: create_group
 * (https://www.tencentcloud.com/document/product/1047/34895), modify_group_base_info (.../34962),
 * destroy_group (.../34896).
 */
import {
  APPLY_JOIN_OPTIONS,
  COMMUNITY_ID_PREFIX,
  GENERATED_ID_PREFIX,
  GROUP_FIELD_LIMITS,
  groupIdProblem,
  INVITE_JOIN_OPTIONS,
  LEGACY_GROUP_TEXT_LIMITS,
  PER_CALL_LIMITS,
} from "../../chat-api/groups";
import { memberCaps } from "../../chat-api/plans";
import { ApiFailure, CODE, invalid } from "../errors";
import { GROUP_TYPES, type GroupRecord, type GroupType, type MemberRecord } from "../model";
import { existingGroup, type Operation, type OperationContext, randomId, requireAccount } from "./context";
import {
  type Body,
  objectItem,
  optionalArray,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredString,
} from "./fields";

/** The client pages' behaviour per type (policy applyJoinDefaults "by-type"). */
const DEFAULT_APPLY_BY_TYPE: Record<GroupType, string> = {
  Private: "DisableApply",
  Public: "NeedPermission",
  ChatRoom: "FreeAccess",
  AVChatRoom: "FreeAccess",
  Community: "FreeAccess",
};

function checkGroupId(groupId: string, type: GroupType): void {
  const problem = groupIdProblem(groupId, type);
  if (problem) invalid(`GroupId ${problem}`);
}

function generateGroupId(ctx: OperationContext, type: GroupType): string {
  return randomId(
    ctx,
    (tail) =>
      type === "Community" ? `${COMMUNITY_ID_PREFIX}${GENERATED_ID_PREFIX}c${tail}` : `${GENERATED_ID_PREFIX}${tail}`,
    (id) => ctx.store.groups.has(id),
  );
}

/**
 * Custom data as the emulator keeps it: an object without a prototype, so that every key the
 * service takes, `__proto__` among them, is stored like any other.
 */
function customData(from: Record<string, string> = {}): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, from);
}

/** Reads `AppDefinedData` ([{Key, Value}]) and applies it to `into`; Value "" deletes on modify. */
function applyAppDefinedData(body: Body, into: Record<string, string>, deleteOnEmpty: boolean): void {
  const items = optionalArray(body, "AppDefinedData");
  if (!items) return;
  for (const raw of items) {
    const item = objectItem(raw, "AppDefinedData");
    const key = requiredString(item, "Key", GROUP_FIELD_LIMITS.appDefinedKey);
    if (!/^[A-Za-z0-9_]+$/.test(key)) invalid("AppDefinedData Key may hold only A-Z, a-z, 0-9 and _");
    const value = optionalString(item, "Value", GROUP_FIELD_LIMITS.appDefinedValue) ?? "";
    if (deleteOnEmpty && value === "") delete into[key];
    else into[key] = value;
  }
  if (Object.keys(into).length > GROUP_FIELD_LIMITS.appDefinedFields) {
    invalid(`AppDefinedData holds more than ${GROUP_FIELD_LIMITS.appDefinedFields} fields`);
  }
}

function readMemberList(body: Body, ctx: OperationContext, now: number): MemberRecord[] {
  const items = optionalArray(body, "MemberList") ?? [];
  if (items.length > PER_CALL_LIMITS.membersPerCreate) {
    throw new ApiFailure(
      CODE.tooManyAccounts,
      `MemberList holds more than ${PER_CALL_LIMITS.membersPerCreate} accounts`,
    );
  }
  const members = new Map<string, MemberRecord>();
  for (const raw of items) {
    const item = objectItem(raw, "MemberList");
    const account = requiredString(item, "Member_Account");
    requireAccount(ctx, account);
    const role = optionalEnum(item, "Role", ["Admin", "Member"] as const) ?? "Member";
    const nameCard = optionalString(item, "NameCard", GROUP_FIELD_LIMITS.NameCard) ?? "";
    members.set(account, { account, role, joinTime: now, nameCard });
  }
  return [...members.values()];
}

/** 10021/10025 when a requested GroupId is in use (or, by policy, was used by a dissolved group). */
function checkIdFree(requestedId: string, ctx: OperationContext): void {
  const existing = ctx.store.groups.get(requestedId);
  if (existing) {
    // 10025: "the group ID is already used and you are its owner, so you can use it directly".
    if (existing.owner === ctx.identifier)
      throw new ApiFailure(CODE.groupIdTakenByYou, "group id has been used by yourself");
    throw new ApiFailure(CODE.groupIdTaken, "group id has been used");
  }
  // Whether a dissolved group's ID is free again is not documented: policy.ts decides.
  if (ctx.store.dissolved.has(requestedId) && ctx.policy.destroyedGroupIds === "reserved") {
    throw new ApiFailure(CODE.groupIdTaken, "group id has been used");
  }
}

/** A group text's byte limit, under the app's policy (see policy.ts). */
const textLimit = (ctx: OperationContext, field: keyof typeof LEGACY_GROUP_TEXT_LIMITS): number =>
  ctx.policy.textLimits === "legacy" ? LEGACY_GROUP_TEXT_LIMITS[field] : GROUP_FIELD_LIMITS[field];

/** The members a new group starts with: the owner first (except in an AVChatRoom), then MemberList. */
function initialMembers(
  body: Body,
  ctx: OperationContext,
  type: GroupType,
  owner: string | undefined,
  maxMemberNum: number,
): MemberRecord[] {
  const now = ctx.now();
  if (body.MemberList !== undefined && type === "AVChatRoom") {
    throw new ApiFailure(CODE.noPermission, "AVChatRoom does not support MemberList on create");
  }
  if (owner !== undefined && owner !== "") requireAccount(ctx, owner);
  const members = readMemberList(body, ctx, now).filter((m) => m.account !== owner);
  if (type === "Private" && ctx.policy.workGroupAdmins === "refused" && members.some((m) => m.role === "Admin")) {
    invalid("a Work (Private) group has no admins: it keeps an owner and members only");
  }
  // The owner joins as a member, except in an AVChatRoom, where everyone joins from a client.
  if (owner && type !== "AVChatRoom") members.unshift({ account: owner, role: "Owner", joinTime: now, nameCard: "" });
  if (maxMemberNum > 0 && members.length > maxMemberNum) {
    throw new ApiFailure(CODE.groupFull, `member count ${members.length} exceeds MaxMemberCount ${maxMemberNum}`);
  }
  return members;
}

/** The Beijing day (UTC+8) of a Unix time in seconds, as YYYY-MM-DD. */
function beijingDay(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** Today's count of net new groups, started again on a new day. */
function groupsToday(ctx: OperationContext): { day: string; net: number } {
  const day = beijingDay(ctx.now());
  if (ctx.store.groupsToday.day !== day) ctx.store.groupsToday = { day, net: 0 };
  return ctx.store.groupsToday;
}

/** 10006 once the plan's daily quota of net new groups is used up (policy.ts). */
function checkDailyQuota(ctx: OperationContext): void {
  const quota = ctx.policy.dailyGroupQuota;
  if (quota > 0 && groupsToday(ctx).net >= quota) {
    throw new ApiFailure(
      CODE.groupFrequency,
      `the app created ${quota} groups more than it dissolved today, its plan's daily quota; it lasts until midnight Beijing time`,
    );
  }
}

const createGroup: Operation = {
  mutates: true,
  run(body, ctx) {
    const type = optionalEnum(body, "Type", GROUP_TYPES);
    if (!type) invalid("Type is required");
    const name = requiredString(body, "Name", textLimit(ctx, "Name"));
    const requestedId = optionalString(body, "GroupId");
    if (requestedId !== undefined) checkGroupId(requestedId, type);
    const owner = optionalString(body, "Owner_Account");
    const caps = memberCaps(ctx.policy.plan, type);
    const maxMemberCount = optionalInteger(body, "MaxMemberCount", 1, Number.MAX_SAFE_INTEGER);
    if (maxMemberCount !== undefined && type !== "AVChatRoom" && maxMemberCount > caps.max) {
      invalid(`MaxMemberCount must not exceed ${caps.max} for ${type} on this app's plan`);
    }
    const applyJoinOption =
      optionalEnum(body, "ApplyJoinOption", APPLY_JOIN_OPTIONS) ??
      (ctx.policy.applyJoinDefaults === "by-type" ? DEFAULT_APPLY_BY_TYPE[type] : "NeedPermission");
    const inviteJoinOption = optionalEnum(body, "InviteJoinOption", INVITE_JOIN_OPTIONS);
    if (inviteJoinOption !== undefined && type === "AVChatRoom")
      invalid("InviteJoinOption is not supported by AVChatRoom");
    const supportTopic = optionalInteger(body, "SupportTopic", 0, 1) ?? 0;
    if (supportTopic === 1 && type !== "Community") invalid("SupportTopic is only supported by Community");
    const appDefinedData = customData();
    applyAppDefinedData(body, appDefinedData, false);

    const now = ctx.now();
    const maxMemberNum = type === "AVChatRoom" ? 0 : (maxMemberCount ?? caps.default);
    const members = initialMembers(body, ctx, type, owner, maxMemberNum);
    if (requestedId !== undefined) checkIdFree(requestedId, ctx);
    checkDailyQuota(ctx);
    const groupId = requestedId ?? generateGroupId(ctx, type);
    const group: GroupRecord = {
      groupId,
      seq: ctx.store.nextSeq++,
      type,
      name,
      introduction: optionalString(body, "Introduction", textLimit(ctx, "Introduction")) ?? "",
      notification: optionalString(body, "Notification", textLimit(ctx, "Notification")) ?? "",
      faceUrl: optionalString(body, "FaceUrl", textLimit(ctx, "FaceUrl")) ?? "",
      owner: owner ?? "",
      createTime: now,
      infoSeq: 1,
      lastInfoTime: now,
      maxMemberNum,
      applyJoinOption,
      inviteJoinOption: type === "AVChatRoom" ? "" : (inviteJoinOption ?? "NeedPermission"),
      muteAllMember: "Off",
      supportTopic: supportTopic as 0 | 1,
      appDefinedData,
      members,
    };
    ctx.store.groups.set(groupId, group);
    ctx.store.dissolved.delete(groupId);
    groupsToday(ctx).net += 1;
    return { GroupId: groupId };
  },
};

const modifyGroupBaseInfo: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    const from = optionalString(body, "From_Account");
    if (from) requireAccount(ctx, from);
    // Validate everything before changing anything: a failed call changes nothing.
    const name = optionalString(body, "Name", textLimit(ctx, "Name"));
    if (name === "") invalid("Name must not be empty");
    const introduction = optionalString(body, "Introduction", textLimit(ctx, "Introduction"));
    const notification = optionalString(body, "Notification", textLimit(ctx, "Notification"));
    const faceUrl = optionalString(body, "FaceUrl", textLimit(ctx, "FaceUrl"));
    const maxMemberNum = optionalInteger(body, "MaxMemberNum", 1, Number.MAX_SAFE_INTEGER);
    if (maxMemberNum !== undefined && group.type !== "AVChatRoom") {
      const { max } = memberCaps(ctx.policy.plan, group.type);
      if (maxMemberNum > max) invalid(`MaxMemberNum must not exceed ${max} for ${group.type} on this app's plan`);
      if (maxMemberNum < group.members.length) invalid("MaxMemberNum is below the current member count");
    }
    const applyJoinOption = optionalEnum(body, "ApplyJoinOption", APPLY_JOIN_OPTIONS);
    const inviteJoinOption = optionalEnum(body, "InviteJoinOption", INVITE_JOIN_OPTIONS);
    if (inviteJoinOption !== undefined && group.type === "AVChatRoom")
      invalid("InviteJoinOption is not supported by AVChatRoom");
    // MuteAllMember is the current name; older documents call it ShutUpAllMember.
    const mute =
      optionalEnum(body, "MuteAllMember", ["On", "Off"] as const) ??
      optionalEnum(body, "ShutUpAllMember", ["On", "Off"] as const);
    const appDefinedData = customData(group.appDefinedData);
    applyAppDefinedData(body, appDefinedData, true);

    if (name !== undefined) group.name = name;
    if (introduction !== undefined) group.introduction = introduction;
    if (notification !== undefined) group.notification = notification;
    if (faceUrl !== undefined) group.faceUrl = faceUrl;
    if (maxMemberNum !== undefined && group.type !== "AVChatRoom") group.maxMemberNum = maxMemberNum;
    if (applyJoinOption !== undefined) group.applyJoinOption = applyJoinOption;
    if (inviteJoinOption !== undefined) group.inviteJoinOption = inviteJoinOption;
    if (mute !== undefined) group.muteAllMember = mute;
    group.appDefinedData = appDefinedData;
    group.infoSeq += 1;
    group.lastInfoTime = ctx.now();
    return {};
  },
};

const destroyGroup: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    ctx.store.groups.delete(group.groupId);
    ctx.store.dissolved.add(group.groupId);
    groupsToday(ctx).net -= 1;
    return {};
  },
};

export const groupOperations: Record<string, Operation> = {
  create_group: createGroup,
  modify_group_base_info: modifyGroupBaseInfo,
  destroy_group: destroyGroup,
};
