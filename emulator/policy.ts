/**
 * How the emulated app behaves where Tencent's behaviour depends on the app or is not
 * documented, switchable so a client can be tested against each answer.
 */
import type { Plan } from "../chat-api/plans";

/**
 * Whether a dissolved group's custom GroupId may be created again at once ("reusable") or
 * is answered 10021 ("reserved"). Tencent does not document which; a client must work with both.
 */
export const DESTROYED_GROUP_IDS = ["reusable", "reserved"] as const;
/** One of DESTROYED_GROUP_IDS. */
export type DestroyedGroupIds = (typeof DESTROYED_GROUP_IDS)[number];

/**
 * The app's plan (chat-api/plans.ts): the members a group holds by default and at most, and the
 * groups an account may join. On paid plans (Pro, Pro Plus, Enterprise) a deleted UserID cannot
 * be imported again for three months (account_delete, doc 34955); Trial apps allow it at once.
 */
export { type Plan, PLANS } from "../chat-api/plans";

/** How long a paid plan refuses a deleted UserID. */
export const REIMPORT_BLOCK_SECONDS = 90 * 86_400;

/**
 * Whether a Work (Private) group takes admins. Tencent's group-system pages say Work groups
 * have an owner and members only (cloud.tencent.com/document/product/269/1502, 269/75697); the
 * REST answer is not documented: "refused" answers 10004, as for other invalid roles.
 */
export const WORK_GROUP_ADMINS = ["refused", "allowed"] as const;
export type WorkGroupAdmins = (typeof WORK_GROUP_ADMINS)[number];

/**
 * Which byte limits the group texts have. Tencent's pages disagree: 100/400/400/500 for Name,
 * Introduction, Notification and FaceUrl (V2TIMGroupInfo, 2024) against 30/240/300/100
 * (create_group's comments in every REST SDK). "current" enforces the larger, "legacy" the smaller.
 */
export const TEXT_LIMITS = ["current", "legacy"] as const;
export type TextLimits = (typeof TEXT_LIMITS)[number];

/**
 * How get_topic answers for a topic that does not exist, which its page does not say: an item
 * with ErrorCode 110003, no item at all, or the whole call failing with 110003 or 10004.
 */
export const MISSING_TOPIC_ANSWERS = ["item", "omitted", "call-110003", "call-10004"] as const;
export type MissingTopicAnswer = (typeof MISSING_TOPIC_ANSWERS)[number];

/**
 * ErrorInfo texts: "explained" ones that say what is wrong in the emulator's words, or
 * "terse" ones like the service's ("invalid param", "sig expired"), so that a client is seen
 * to explain a failure itself.
 */
export const ERROR_TEXTS = ["explained", "terse"] as const;
export type ErrorTexts = (typeof ERROR_TEXTS)[number];

/**
 * Which account IDs account_import takes: the characters Tencent recommends (letters, digits,
 * "_", "-"), or those and "." and "@" too, which its pages neither allow nor forbid (see
 * chat-api/accounts.ts). "recommended" answers 70402 for others.
 */
export const ACCOUNT_IDS = ["recommended", "extended"] as const;
export type AccountIds = (typeof ACCOUNT_IDS)[number];

/**
 * How portrait_get answers when an account asked for does not exist: an item with ResultCode
 * 40003 (what the emulator did first, and Tencent's SDKs model), or the whole call failing with
 * 40003 (portrait_get's page: "otherwise an error"). Which the service does is not confirmed.
 */
export const MISSING_PROFILE_ANSWERS = ["item", "call"] as const;
export type MissingProfileAnswer = (typeof MISSING_PROFILE_ANSWERS)[number];

/**
 * ApplyJoinOption a group gets when create_group names none. create_group's page: it defaults to
 * NeedPermission ("documented"); the emulator's first releases gave each type the behaviour the
 * client pages describe ("by-type": DisableApply for Work, FreeAccess for Meeting, AVChatRoom and
 * Community). Which one a real app reads back is probed.
 */
export const APPLY_JOIN_DEFAULTS = ["documented", "by-type"] as const;
export type ApplyJoinDefaults = (typeof APPLY_JOIN_DEFAULTS)[number];

/**
 * Whether get_group_info's MemberList holds every member. Its page does not say so for large
 * groups and Communities, and get_group_member_info pages through them (doc 1617): "partial"
 * lists the first PARTIAL_MEMBER_LIST only, with MemberNum still the whole count.
 */
export const GROUP_INFO_MEMBERS = ["complete", "partial"] as const;
export type GroupInfoMembers = (typeof GROUP_INFO_MEMBERS)[number];
/**
 * Whom get_topic answers. Its page (78204) requires `From_Account`, the user whose view of the
 * topic is read, and does not say whether that user must be a member of the Community; the App
 * admin usually is not. "anyone" answers any existing account; "members" answers 10007 for an
 * account outside the Community.
 */
export const TOPIC_READERS = ["anyone", "members"] as const;
export type TopicReaders = (typeof TOPIC_READERS)[number];

/** How many members get_group_info lists when they are "partial". */
export const PARTIAL_MEMBER_LIST = 100;

/**
 * The plan's daily quota of net new groups (created minus dissolved in a day: Pro and
 * Ultimate 10,000, Enterprise 50,000; doc 9346, and the callback of doc 57455 counts the same
 * way). Tencent does not document the answer past it; the emulator answers 10006, the group
 * frequency code, which a client cannot tell from throttling by its code alone. Days are
 * Beijing days (UTC+8), as Tencent's billing days are. 0: no quota.
 */
export const NO_DAILY_GROUP_QUOTA = 0;

export interface Policy {
  destroyedGroupIds: DestroyedGroupIds;
  plan: Plan;
  workGroupAdmins: WorkGroupAdmins;
  textLimits: TextLimits;
  missingTopicAnswer: MissingTopicAnswer;
  errorTexts: ErrorTexts;
  accountIds: AccountIds;
  missingProfileAnswer: MissingProfileAnswer;
  applyJoinDefaults: ApplyJoinDefaults;
  groupInfoMembers: GroupInfoMembers;
  topicReaders: TopicReaders;
  /** Net new groups a day before create_group answers 10006; 0 for none (see NO_DAILY_GROUP_QUOTA). */
  dailyGroupQuota: number;
}

export const DEFAULT_POLICY: Policy = {
  destroyedGroupIds: "reusable",
  plan: "trial",
  workGroupAdmins: "refused",
  textLimits: "current",
  missingTopicAnswer: "item",
  errorTexts: "explained",
  accountIds: "recommended",
  missingProfileAnswer: "item",
  applyJoinDefaults: "documented",
  groupInfoMembers: "complete",
  topicReaders: "anyone",
  dailyGroupQuota: NO_DAILY_GROUP_QUOTA,
};
