/**
 * Membership commands of `group_open_http_svc`: add_group_member, delete_group_member,
 * change_group_owner, modify_group_member_info (https://www.tencentcloud.com/document/product/1047/34921,
 * .../34949, .../34966 and .../34900).
 */
import { GROUP_FIELD_LIMITS, MEMBER_RESULT, PER_CALL_LIMITS } from "../../chat-api/groups";
import { PLAN_LIMITS } from "../../chat-api/plans";
import { ApiFailure, CODE, invalid } from "../errors";
import { existingGroup, type Operation, requireAccount } from "./context";
import { objectItem, optionalEnum, optionalInteger, optionalString, requiredArray, requiredString } from "./fields";

/** The CN page of 2026-02 lowered add_group_member to 20 accounts a call (INTL still says 300). */
const MAX_ADD_MEMBERS = PER_CALL_LIMITS.membersPerAdd;
const MAX_DELETE_MEMBERS = PER_CALL_LIMITS.membersPerDelete;

const addGroupMember: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    if (group.type === "AVChatRoom")
      throw new ApiFailure(CODE.noPermission, "AVChatRoom does not support add_group_member");
    optionalInteger(body, "Silence", 0, 1);
    const items = requiredArray(body, "MemberList");
    if (items.length > MAX_ADD_MEMBERS) {
      throw new ApiFailure(CODE.tooManyAccounts, `MemberList holds more than ${MAX_ADD_MEMBERS} accounts`);
    }
    const accounts = items.map((raw) => requiredString(objectItem(raw, "MemberList"), "Member_Account"));
    for (const account of accounts) requireAccount(ctx, account);
    const present = new Set(group.members.map((m) => m.account));
    // An account in as many groups as the plan allows is answered 4 and not added.
    const quota = PLAN_LIMITS[ctx.policy.plan].joinedGroups;
    const full = (a: string) =>
      [...ctx.store.groups.values()].filter((g) => g.members.some((m) => m.account === a)).length >= quota;
    // A fault may make the service refuse some accounts (0) or only invite them (3).
    const forced = (a: string) =>
      present.has(a)
        ? undefined
        : (ctx.memberResults?.get(a) ??
          ctx.memberResults?.get("*") ??
          (full(a) ? MEMBER_RESULT.joinedGroupQuota : undefined));
    const joining = [...new Set(accounts)].filter((a) => !present.has(a) && forced(a) === undefined);
    if (group.maxMemberNum > 0 && group.members.length + joining.length > group.maxMemberNum) {
      throw new ApiFailure(CODE.groupFull, `the group is full: MaxMemberNum is ${group.maxMemberNum}`);
    }
    const now = ctx.now();
    for (const account of joining) group.members.push({ account, role: "Member", joinTime: now, nameCard: "" });
    return {
      MemberList: accounts.map((account) => ({
        Member_Account: account,
        Result: present.has(account) ? MEMBER_RESULT.alreadyMember : (forced(account) ?? MEMBER_RESULT.added),
      })),
    };
  },
};

const deleteGroupMember: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    if (group.type === "AVChatRoom") invalid("AVChatRoom does not support delete_group_member");
    optionalInteger(body, "Silence", 0, 1);
    optionalString(body, "Reason");
    const accounts = requiredArray(body, "MemberToDel_Account");
    if (accounts.length > MAX_DELETE_MEMBERS) {
      throw new ApiFailure(CODE.tooManyAccounts, `MemberToDel_Account holds more than ${MAX_DELETE_MEMBERS} accounts`);
    }
    if (!accounts.every((a) => typeof a === "string")) invalid("MemberToDel_Account must hold strings");
    if (group.owner && accounts.includes(group.owner)) invalid("the owner cannot be removed; change the owner first");
    // Removing an account that is not a member succeeds, as the service documents.
    const removing = new Set(accounts as string[]);
    group.members = group.members.filter((m) => !removing.has(m.account));
    return {};
  },
};

const changeGroupOwner: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    const newOwner = requiredString(body, "NewOwner_Account");
    if (group.type === "AVChatRoom")
      throw new ApiFailure(CODE.noPermission, "AVChatRoom does not support change_group_owner");
    requireAccount(ctx, newOwner);
    const member = group.members.find((m) => m.account === newOwner);
    if (!member) invalid(`NewOwner_Account ${newOwner} is not a member of the group`);
    for (const m of group.members) if (m.role === "Owner") m.role = "Member";
    member.role = "Owner";
    group.owner = newOwner;
    group.infoSeq += 1;
    group.lastInfoTime = ctx.now();
    return {};
  },
};

/** A member's role (Admin or Member), name card or message flag; AVChatRoom keeps no member profiles. */
const modifyGroupMemberInfo: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    const account = requiredString(body, "Member_Account");
    if (group.type === "AVChatRoom")
      invalid("AVChatRoom does not store member profiles: modify_group_member_info is not supported");
    const role = optionalEnum(body, "Role", ["Admin", "Member"] as const);
    optionalEnum(body, "MsgFlag", ["AcceptAndNotify", "AcceptNotNotify", "Discard"] as const);
    const nameCard = optionalString(body, "NameCard", GROUP_FIELD_LIMITS.NameCard);
    optionalInteger(body, "MuteTime", 0, 0xffffffff);
    const member = group.members.find((m) => m.account === account);
    if (!member) invalid(`Member_Account ${account} is not a member of the group`);
    if (role !== undefined) {
      if (member.role === "Owner") invalid("the owner's role cannot be changed; use change_group_owner");
      if (role === "Admin" && group.type === "Private" && ctx.policy.workGroupAdmins === "refused")
        invalid("a Work (Private) group has no admins: it keeps an owner and members only");
      member.role = role;
    }
    if (nameCard !== undefined) member.nameCard = nameCard;
    return {};
  },
};

/** Most accounts get_role_in_group takes (doc 34963). */
const MAX_ROLE_ACCOUNTS = PER_CALL_LIMITS.accountsPerRoleQuery;

/** Each account's role in the group: Owner, Admin, Member, or NotMember (doc 34963); not for AVChatRoom (10007). */
const getRoleInGroup: Operation = {
  mutates: false,
  run(body, ctx) {
    const group = existingGroup(ctx, requiredString(body, "GroupId"));
    if (group.type === "AVChatRoom")
      throw new ApiFailure(
        CODE.noPermission,
        "AVChatRoom does not support get_role_in_group: read members with get_group_member_info",
      );
    const accounts = requiredArray(body, "User_Account");
    if (accounts.length > MAX_ROLE_ACCOUNTS)
      throw new ApiFailure(CODE.tooManyAccounts, `User_Account holds more than ${MAX_ROLE_ACCOUNTS} accounts`);
    if (!accounts.every((a) => typeof a === "string")) invalid("User_Account must hold strings");
    const roles = new Map(group.members.map((m) => [m.account, m.role]));
    return {
      UserIdList: (accounts as string[]).map((account) => ({
        Member_Account: account,
        Role: roles.get(account) ?? "NotMember",
      })),
    };
  },
};

export const memberOperations: Record<string, Operation> = {
  add_group_member: addGroupMember,
  delete_group_member: deleteGroupMember,
  change_group_owner: changeGroupOwner,
  modify_group_member_info: modifyGroupMemberInfo,
  get_role_in_group: getRoleInGroup,
};
