/**
 * Groups as the Chat REST API names them: types, join options and the byte limits of their
 * fields (create_group, https://www.tencentcloud.com/document/product/1047/34895; the client
 * SDKs' V2TIMGroupInfo documents the raised values the service applies today).
 */

/** Group types as the REST API names them. */
export const GROUP_TYPES = ["Private", "Public", "ChatRoom", "AVChatRoom", "Community"] as const;
/** One of GROUP_TYPES. */
export type GroupType = (typeof GROUP_TYPES)[number];

/** The newer names Tencent's client SDKs use (Work, Meeting), mapped to the REST names. */
export const TYPE_ALIASES: Readonly<Record<string, GroupType>> = { Work: "Private", Meeting: "ChatRoom" };

/** The REST name for a type name, aliases resolved; other names pass through unchanged. */
export const restTypeName = (type: string): string => (Object.hasOwn(TYPE_ALIASES, type) ? TYPE_ALIASES[type] : type);

/** Who may ask to join (ApplyJoinOption). */
export const APPLY_JOIN_OPTIONS = ["FreeAccess", "NeedPermission", "DisableApply"] as const;
/** One of APPLY_JOIN_OPTIONS. */
export type ApplyJoinOption = (typeof APPLY_JOIN_OPTIONS)[number];

/**
 * The types whose ApplyJoinOption means something. create_group: it "takes effect only for
 * group types that support join requests"; a Work group takes none, Meeting and AVChatRoom
 * groups are joined freely (doc 75697), and the client pages say the option cannot be changed
 * for those three (doc 77564).
 */
export const JOIN_REQUEST_TYPES: readonly string[] = ["Public", "Community"];

/** How invitations work (InviteJoinOption). */
export const INVITE_JOIN_OPTIONS = ["FreeAccess", "NeedPermission", "DisableInvite"] as const;
/** One of INVITE_JOIN_OPTIONS. */
export type InviteJoinOption = (typeof INVITE_JOIN_OPTIONS)[number];

/** Limits of a group's fields, in UTF-8 bytes unless said otherwise. */
/**
 * The smaller limits of Name, Introduction, Notification and FaceUrl (bytes) that create_group's
 * comments in every REST SDK give, where Tencent's current client-SDK pages give
 * GROUP_FIELD_LIMITS': which the REST server enforces is not documented.
 */
export const LEGACY_GROUP_TEXT_LIMITS = { Name: 30, Introduction: 240, Notification: 300, FaceUrl: 100 } as const;

export const GROUP_FIELD_LIMITS = {
  Name: 100,
  Introduction: 400,
  Notification: 400,
  FaceUrl: 500,
  /** Printable ASCII; a Community's starts with `@TGS#_`. */
  GroupId: 48,
  NameCard: 50,
  /** Keys of AppDefinedData a group may hold. */
  appDefinedFields: 10,
  appDefinedKey: 16,
  appDefinedValue: 512,
} as const;

/** The prefix every Community GroupId carries. */
export const COMMUNITY_ID_PREFIX = "@TGS#_";

/** The prefix of the IDs the service generates, which a custom GroupId of any other type may not take. */
export const GENERATED_ID_PREFIX = "@TGS#";

/**
 * What is wrong with a custom GroupId whatever the group's type, or undefined when nothing is
 * (create_group, doc 34895): it must be printable ASCII, at most 48 bytes.
 */
export function groupIdFormProblem(groupId: string): string | undefined {
  if (groupId.length === 0) return "must not be empty";
  if (!/^[\x20-\x7e]+$/.test(groupId)) return "must be printable ASCII";
  // Printable ASCII: one byte a character.
  if (groupId.length > GROUP_FIELD_LIMITS.GroupId) return `must be at most ${GROUP_FIELD_LIMITS.GroupId} bytes`;
  return undefined;
}

/**
 * What is wrong with a custom GroupId for a group of `type`, or undefined when nothing is: its
 * form, then its prefix, `@TGS#_` for a Community and never `@TGS#` for another type. The
 * emulator enforces these rules and `check` says them at preview.
 */
export function groupIdProblem(groupId: string, type: string): string | undefined {
  const form = groupIdFormProblem(groupId);
  if (form) return form;
  if (type === "Community")
    return groupId.startsWith(COMMUNITY_ID_PREFIX)
      ? undefined
      : `of a Community must start with ${COMMUNITY_ID_PREFIX}`;
  return groupId.startsWith(GENERATED_ID_PREFIX)
    ? `must not start with ${GENERATED_ID_PREFIX} (Tencent reserves it for generated IDs)`
    : undefined;
}

/** Items per call the service accepts. */
export const PER_CALL_LIMITS = {
  /** GroupIdList of get_group_info. */
  groupIdsPerInfo: 50,
  /** Limit of get_group_member_info: one page of members (doc 1617). */
  membersPerPage: 200,
  /** MemberList of create_group. */
  membersPerCreate: 100,
  /** MemberList of add_group_member. */
  membersPerAdd: 20,
  /** MemberToDel_Account of delete_group_member. */
  membersPerDelete: 100,
  /** Accounts of multiaccount_import, CheckItem of account_check, DeleteItem of account_delete. */
  accountsPerBatch: 100,
  /** Member_List_Account of get_specified_group_member_info (docs 112002 / 64897). */
  accountsPerMemberInfo: 50,
  /** User_Account of get_role_in_group. */
  accountsPerRoleQuery: 500,
  /** Limit of get_appid_group_list. */
  groupsPerListPage: 10000,
} as const;

/**
 * add_group_member's per-member `Result` (doc 1621): 0 failed, 1 added, 2 already a member, 3
 * invited and waiting for the invitee; client SDKs also know 4, the account is in as many
 * groups as the plan allows (chat-api/plans.ts). Only 1 and 2 mean the account is in the group.
 */
export const MEMBER_RESULT = { failed: 0, added: 1, alreadyMember: 2, invited: 3, joinedGroupQuota: 4 } as const;

/** True when add_group_member's `Result` means the account is a member now. */
export const isMemberNow = (result: number): boolean =>
  result === MEMBER_RESULT.added || result === MEMBER_RESULT.alreadyMember;

/** What an add_group_member `Result` that did not add the account means, for messages: "Result 0: failed". */
export function notAddedText(result: number): string {
  const meaning =
    result === MEMBER_RESULT.failed
      ? "failed"
      : result === MEMBER_RESULT.joinedGroupQuota
        ? "the account is in as many groups as the app's plan allows (Trial 50, Pro 1000): remove it from groups it no longer needs, or raise the plan"
        : "not a value Tencent documents: the account was not added";
  return `Result ${result}: ${meaning}`;
}
