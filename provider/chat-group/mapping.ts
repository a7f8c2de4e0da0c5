/**
 * Between ChatGroup properties (camelCase) and Tencent's fields, which differ by operation:
 * create says MaxMemberCount where modify and read say MaxMemberNum; AppDefinedData is a
 * list of {Key, Value} where a Value of "" deletes on modify. Pure functions.
 */
import type { CreateGroupRequest, GroupInfo, ModifyGroupRequest } from "../../chat-api/bodies";
import { type GroupType, PER_CALL_LIMITS, restTypeName } from "../../chat-api/groups";
import { withoutUndefined } from "../common/check";
import { createValues, liveValues, modifyValues } from "../fields/table";
import { FIELDS } from "./fields";
import type { ChatGroupInputs } from "./inputs";

/** Outputs: the resolved inputs plus what the service reports. */
export interface ChatGroupOutputs extends ChatGroupInputs {
  groupId: string;
  createTime?: number;
  memberCount?: number;
  /** Declared members invited to a group where invitees must accept, not in it yet. */
  pendingMembers: string[];
  /** The stack declared the owner: a former owner it declared leaves when the owner changes. */
  ownerDeclared: boolean;
  /** The stack declared `maxMemberCount`: when it stops, the group goes back to its plan's limit. */
  maxMemberCountDeclared?: boolean;
  /** The limit the service gave the group while the stack declared none: its plan's. */
  planMaxMemberCount?: number;
  /** Set when the create took over a group that existed (see host/held.ts). */
  adoption?: string;
}

export function createRequest(i: ChatGroupInputs, groupId: string): CreateGroupRequest {
  const req: CreateGroupRequest = { Type: i.type, Name: i.name, GroupId: groupId, ...createValues(FIELDS, i) };
  if (i.ownerAccount) req.Owner_Account = i.ownerAccount;
  if (i.maxMemberCount !== undefined) req.MaxMemberCount = i.maxMemberCount;
  const data = Object.entries(i.appDefinedData);
  if (data.length) req.AppDefinedData = data.map(([Key, Value]) => ({ Key, Value }));
  const members = initialMembers(i);
  const admins = new Set(i.admins);
  if (members.length)
    req.MemberList = members.map((Member_Account) =>
      admins.has(Member_Account) ? { Member_Account, Role: "Admin" } : { Member_Account },
    );
  if (i.supportTopic) req.SupportTopic = 1;
  return req;
}

/** Members sent with create_group: everyone but the owner (who joins as owner), up to 100. */
export function initialMembers(i: ChatGroupInputs): string[] {
  return i.members.filter((m) => m !== i.ownerAccount).slice(0, PER_CALL_LIMITS.membersPerCreate);
}

export const liveMembers = (g: GroupInfo): Set<string> => new Set((g.MemberList ?? []).map((m) => m.Member_Account));
const liveAdmins = (g: GroupInfo): Set<string> =>
  new Set((g.MemberList ?? []).filter((m) => m.Role === "Admin").map((m) => m.Member_Account));
/** Own keys only: a key named `constructor` is a key, not Object's. */
const liveData = (g: GroupInfo): Map<string, string> => new Map((g.AppDefinedData ?? []).map((d) => [d.Key, d.Value]));
const liveMute = (g: GroupInfo): boolean => (g.MuteAllMember ?? g.ShutUpAllMember) === "On";

/**
 * The modify_group_base_info fields that bring `live` to `want`, or undefined when none
 * differ. `forget` holds AppDefinedData keys the stack no longer declares: deleted. A lower
 * member limit is left out: it goes after members leave (see `lowerLimitRequest`).
 */
export function modifyRequest(
  groupId: string,
  live: GroupInfo,
  want: ChatGroupInputs,
  forget: readonly string[] = [],
): ModifyGroupRequest | undefined {
  const req: ModifyGroupRequest = { GroupId: groupId, ...modifyValues(FIELDS, { ...live }, want) };
  if (want.maxMemberCount !== undefined && (live.MaxMemberNum === undefined || want.maxMemberCount > live.MaxMemberNum))
    req.MaxMemberNum = want.maxMemberCount;
  if (liveMute(live) !== want.muteAllMember) req.MuteAllMember = want.muteAllMember ? "On" : "Off";
  const current = liveData(live);
  const wanted = new Map(Object.entries(want.appDefinedData));
  const data = [...wanted].filter(([k, v]) => current.get(k) !== v).map(([Key, Value]) => ({ Key, Value }));
  for (const key of forget) if (!wanted.has(key) && current.has(key)) data.push({ Key: key, Value: "" });
  if (data.length) req.AppDefinedData = data;
  return Object.keys(req).length > 1 ? req : undefined;
}

/** A lowered member limit, sent once members have left so that it is not below their count. */
export function lowerLimitRequest(
  groupId: string,
  live: GroupInfo,
  want: ChatGroupInputs,
): ModifyGroupRequest | undefined {
  if (want.maxMemberCount === undefined || live.MaxMemberNum === undefined || want.maxMemberCount >= live.MaxMemberNum)
    return undefined;
  return { GroupId: groupId, MaxMemberNum: want.maxMemberCount };
}

/** What the stack managed before this change: its declared members, and the owner when declared. */
export interface ManagedBefore {
  members?: readonly string[];
  admins?: readonly string[];
  pendingMembers?: readonly string[];
  ownerAccount?: string;
  ownerDeclared?: boolean;
}

export interface MemberChanges {
  /** Declared before, no longer wanted, in the group, not its owner: removed first. */
  remove: string[];
  /** Wanted (the new owner among them) and not in the group: added next. */
  add: string[];
  /** The owner this stack declared, dropped now: removed once ownership has moved. */
  formerOwner?: string;
}

/**
 * Who leaves and who joins so the declared members, and a new owner (who must be a member
 * before change_group_owner), are in the group. Members who joined by other means are left
 * alone, unless the members are declared exclusively: then everyone but the owner is the
 * stack's to keep or remove. Invitations still waiting for an answer are not sent again.
 */
export function memberChanges(live: GroupInfo, want: ChatGroupInputs, before: ManagedBefore): MemberChanges {
  // An AVChatRoom's members join from the client SDK, its owner included.
  if (want.type === "AVChatRoom") return { remove: [], add: [] };
  const present = liveMembers(live);
  const owner = live.Owner_Account || undefined;
  const keep = new Set([...want.members, ...(want.ownerAccount ? [want.ownerAccount] : [])]);
  const managed = new Set([
    ...(before.members ?? []),
    ...(before.ownerDeclared && before.ownerAccount ? [before.ownerAccount] : []),
    ...(want.exclusiveMembers ? present : []),
  ]);
  const pending = new Set(before.pendingMembers ?? []);
  const remove = [...managed].filter((m) => !keep.has(m) && present.has(m) && m !== owner).sort();
  const add = [...keep].filter((m) => !present.has(m) && !pending.has(m)).sort();
  const ownerChanges = want.ownerAccount !== undefined && want.ownerAccount !== owner;
  const formerOwner = ownerChanges && owner && managed.has(owner) && !keep.has(owner) ? owner : undefined;
  return { remove, add, formerOwner };
}

/**
 * Who becomes an admin and who goes back to plain member, once members have joined and left:
 * declared admins who are not admins yet, and admins this stack declared before that it no
 * longer declares but keeps as members. Admins made by other means are left alone.
 */
export function adminChanges(
  live: GroupInfo,
  want: ChatGroupInputs,
  before: ManagedBefore,
): { promote: string[]; demote: string[] } {
  if (want.type === "AVChatRoom") return { promote: [], demote: [] };
  const admins = liveAdmins(live);
  const wanted = new Set(want.admins);
  const promote = want.admins.filter((a) => !admins.has(a)).sort();
  const demote = (before.admins ?? [])
    .filter((a) => !wanted.has(a) && admins.has(a) && want.members.includes(a))
    .sort();
  return { promote, demote };
}

/**
 * The group as it stands once change_group_owner has made `newOwner` its owner: the new owner
 * holds the Owner role (no longer Admin or Member), and the one before is a plain member.
 */
export function afterOwnerChange(live: GroupInfo, newOwner: string | undefined): GroupInfo {
  const before = live.Owner_Account || undefined;
  if (newOwner === undefined || newOwner === before) return live;
  const role = (account: string, current?: string) =>
    account === newOwner ? "Owner" : account === before ? "Member" : current;
  return {
    ...live,
    Owner_Account: newOwner,
    MemberList: (live.MemberList ?? []).map((m) => ({ ...m, Role: role(m.Member_Account, m.Role) })),
  };
}

export function normaliseType(type: string | undefined, fallback: GroupType): GroupType {
  if (!type) return fallback;
  return restTypeName(type) as GroupType;
}

/** What outputs keep besides the declared state: see `outputsFrom`. */
export interface OutputExtras {
  /** Members this stack manages besides the declared ones: after a partial update, those still to remove. */
  managed?: readonly string[];
  /** Declared members invited and not in the group yet. */
  pending?: readonly string[];
  /** AppDefinedData keys this stack manages besides the declared ones (still to delete). */
  managedKeys?: readonly string[];
  /** Admins this stack made besides the declared ones: after a partial update, those still to demote. */
  managedAdmins?: readonly string[];
  /** @default whether `declared` names an owner */
  ownerDeclared?: boolean;
  /** @default whether `declared` sets maxMemberCount */
  maxMemberCountDeclared?: boolean;
  /** @default the live limit when `declared` sets none */
  planMaxMemberCount?: number;
  /** The token of the adoption that made this resource's group its own, kept from create on. */
  adoption?: string;
}

/**
 * The outputs for a live group, given what the stack declares (`declared`): the declared
 * members and AppDefinedData keys as they are now (others are not this stack's business),
 * widened by `extra` after a partial update so that nothing still to undo drops off the record.
 * Members declared exclusively are every member but the owner, however they joined.
 */
export function outputsFrom(live: GroupInfo, declared: ChatGroupInputs, extra: OutputExtras = {}): ChatGroupOutputs {
  const present = liveMembers(live);
  const admins = liveAdmins(live);
  const data = liveData(live);
  const owner = live.Owner_Account || undefined;
  const everyone = declared.exclusiveMembers ? [...present].filter((m) => m !== owner) : [];
  const managed = [...new Set([...declared.members, ...(extra.managed ?? []), ...everyone])].sort();
  const keys = [...new Set([...Object.keys(declared.appDefinedData), ...(extra.managedKeys ?? [])])];
  const out: ChatGroupOutputs = {
    ...declared,
    ...(liveValues(FIELDS, { ...live }, declared) as Partial<ChatGroupInputs>),
    type: normaliseType(live.Type, declared.type),
    groupId: live.GroupId,
    ownerAccount: live.Owner_Account || undefined,
    ownerDeclared: extra.ownerDeclared ?? declared.ownerAccount !== undefined,
    maxMemberCount: live.MaxMemberNum || undefined,
    muteAllMember: liveMute(live),
    appDefinedData: Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, data.get(k) as string])),
    members: managed.filter((m) => present.has(m)),
    admins: [...new Set([...declared.admins, ...(extra.managedAdmins ?? [])])].filter((a) => admins.has(a)).sort(),
    pendingMembers: [...new Set(extra.pending ?? [])]
      .filter((m) => !present.has(m) && declared.members.includes(m))
      .sort(),
    createTime: live.CreateTime,
    memberCount: live.MemberNum,
    maxMemberCountDeclared: extra.maxMemberCountDeclared ?? declared.maxMemberCount !== undefined,
    planMaxMemberCount:
      extra.planMaxMemberCount ?? (declared.maxMemberCount === undefined ? live.MaxMemberNum || undefined : undefined),
    adoption: extra.adoption,
  };
  return withoutUndefined(out);
}
