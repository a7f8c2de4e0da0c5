/**
 * Between ChatGroup properties (camelCase) and Tencent's fields, which differ by operation:
 * create says MaxMemberCount where modify and read say MaxMemberNum; AppDefinedData is a
 * list of {Key, Value} where a Value of "" deletes on modify.
 */
import type { CreateGroupRequest, ModifyGroupRequest } from "../client/client";
import type { GroupInfo } from "../client/schemas";
import { withoutUndefined } from "../dynamic/check";
import { type ChatGroupInputs, type GroupType, restTypeName } from "./inputs";

/** Most members `create_group` takes in its MemberList; the rest are added after. */
export const CREATE_MEMBER_LIMIT = 100;

/** Outputs: the resolved inputs plus what the service reports. */
export interface ChatGroupOutputs extends ChatGroupInputs {
  createTime?: number;
  memberCount?: number;
}

export function createRequest(i: ChatGroupInputs): CreateGroupRequest {
  const req: CreateGroupRequest = { Type: i.type, Name: i.name, GroupId: i.groupId };
  if (i.ownerAccount) req.Owner_Account = i.ownerAccount;
  if (i.introduction) req.Introduction = i.introduction;
  if (i.notification) req.Notification = i.notification;
  if (i.faceUrl) req.FaceUrl = i.faceUrl;
  if (i.maxMemberCount !== undefined) req.MaxMemberCount = i.maxMemberCount;
  if (i.applyJoinOption) req.ApplyJoinOption = i.applyJoinOption;
  if (i.inviteJoinOption) req.InviteJoinOption = i.inviteJoinOption;
  const data = Object.entries(i.appDefinedData);
  if (data.length) req.AppDefinedData = data.map(([Key, Value]) => ({ Key, Value }));
  const members = initialMembers(i);
  if (members.length) req.MemberList = members.map((Member_Account) => ({ Member_Account }));
  if (i.supportTopic) req.SupportTopic = 1;
  return req;
}

/** Members sent with create_group: everyone but the owner (who joins as owner), up to 100. */
export function initialMembers(i: ChatGroupInputs): string[] {
  return i.members.filter((m) => m !== i.ownerAccount).slice(0, CREATE_MEMBER_LIMIT);
}

const liveMembers = (g: GroupInfo): Set<string> => new Set((g.MemberList ?? []).map((m) => m.Member_Account));
const liveData = (g: GroupInfo): Record<string, string> => Object.fromEntries((g.AppDefinedData ?? []).map((d) => [d.Key, d.Value]));
const liveMute = (g: GroupInfo): boolean => (g.MuteAllMember ?? g.ShutUpAllMember) === "On";

/**
 * The modify_group_base_info fields that bring `live` to `want`, or undefined when none
 * differ. `forget` holds AppDefinedData keys the stack no longer declares: deleted.
 */
export function modifyRequest(groupId: string, live: GroupInfo, want: ChatGroupInputs, forget: readonly string[] = []): ModifyGroupRequest | undefined {
  const req: ModifyGroupRequest = { GroupId: groupId };
  if (live.Name !== want.name) req.Name = want.name;
  if ((live.Introduction ?? "") !== want.introduction) req.Introduction = want.introduction;
  if ((live.Notification ?? "") !== want.notification) req.Notification = want.notification;
  if ((live.FaceUrl ?? "") !== want.faceUrl) req.FaceUrl = want.faceUrl;
  if (want.maxMemberCount !== undefined && live.MaxMemberNum !== want.maxMemberCount) req.MaxMemberNum = want.maxMemberCount;
  if (want.applyJoinOption && live.ApplyJoinOption !== want.applyJoinOption) req.ApplyJoinOption = want.applyJoinOption;
  if (want.inviteJoinOption && live.InviteJoinOption !== want.inviteJoinOption) req.InviteJoinOption = want.inviteJoinOption;
  if (liveMute(live) !== want.muteAllMember) req.MuteAllMember = want.muteAllMember ? "On" : "Off";
  const current = liveData(live);
  const data = Object.entries(want.appDefinedData)
    .filter(([k, v]) => current[k] !== v)
    .map(([Key, Value]) => ({ Key, Value }));
  for (const key of forget) if (!(key in want.appDefinedData) && key in current) data.push({ Key: key, Value: "" });
  if (data.length) req.AppDefinedData = data;
  return Object.keys(req).length > 1 ? req : undefined;
}

/**
 * Who to add and who to remove so the declared members, and a new owner (who must be a
 * member before change_group_owner), are in the group.
 */
export function memberChanges(live: GroupInfo, want: ChatGroupInputs, previouslyDeclared: readonly string[]): { add: string[]; remove: string[] } {
  // An AVChatRoom's members join from the client SDK, its owner included.
  if (want.type === "AVChatRoom") return { add: [], remove: [] };
  const present = liveMembers(live);
  const wanted = want.ownerAccount && !want.members.includes(want.ownerAccount) ? [...want.members, want.ownerAccount] : want.members;
  const add = wanted.filter((m) => !present.has(m));
  const keep = new Set([...want.members, ...(want.ownerAccount ? [want.ownerAccount] : [])]);
  // Only members this stack declared before are removed; others joined by other means.
  const remove = previouslyDeclared.filter((m) => !keep.has(m) && present.has(m) && m !== live.Owner_Account);
  return { add, remove };
}

export function normaliseType(type: string | undefined, fallback: GroupType): GroupType {
  if (!type) return fallback;
  return restTypeName(type) as GroupType;
}

/** The outputs for a live group, given what the stack declares (`declared`). */
export function outputsFrom(live: GroupInfo, declared: ChatGroupInputs): ChatGroupOutputs {
  const present = liveMembers(live);
  const data = liveData(live);
  const out: ChatGroupOutputs = {
    ...declared,
    type: normaliseType(live.Type, declared.type),
    groupId: live.GroupId,
    name: live.Name ?? declared.name,
    ownerAccount: live.Owner_Account || undefined,
    introduction: live.Introduction ?? "",
    notification: live.Notification ?? "",
    faceUrl: live.FaceUrl ?? "",
    maxMemberCount: live.MaxMemberNum || undefined,
    applyJoinOption: (live.ApplyJoinOption as ChatGroupInputs["applyJoinOption"]) || undefined,
    inviteJoinOption: (live.InviteJoinOption as ChatGroupInputs["inviteJoinOption"]) || undefined,
    muteAllMember: liveMute(live),
    // Keys and members this stack declares, as they are now; others are not its business.
    appDefinedData: Object.fromEntries(Object.keys(declared.appDefinedData).filter((k) => k in data).map((k) => [k, data[k]])),
    members: declared.members.filter((m) => present.has(m)),
    createTime: live.CreateTime,
    memberCount: live.MemberNum,
  };
  return withoutUndefined(out);
}
