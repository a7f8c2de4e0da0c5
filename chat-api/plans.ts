/**
 * What an app's plan allows: the members a group may hold, and the groups an account may join.
 * Tencent's usage limits, doc 34381 (English price page; plan names as there): a group other
 * than a Community or an AVChatRoom gets the plan's cap when create_group names no
 * MaxMemberCount ("default: the paid plan's upper limit, e.g. 20 on Trial"), and no
 * MaxMemberCount above it can be set. The Chinese page 9346 lists its own plans (Trial 20,
 * Pro 200, Ultimate 2000): an app sold there has those numbers under other names.
 */
import type { GroupType } from "./groups";

export const PLANS = ["trial", "pro", "pro-plus", "enterprise"] as const;
/** One of PLANS. */
export type Plan = (typeof PLANS)[number];

export interface PlanLimits {
  /** Members a group other than a Community or an AVChatRoom holds by default, and at most. */
  groupMembers: number;
  /**
   * Groups one account may be a member of; add_group_member answers Result 4 for an account at
   * its quota (client SDKs: Trial 50, Pro 1000; not documented for the larger plans, taken as Pro's).
   */
  joinedGroups: number;
}

export const PLAN_LIMITS: Readonly<Record<Plan, PlanLimits>> = {
  trial: { groupMembers: 20, joinedGroups: 50 },
  pro: { groupMembers: 2000, joinedGroups: 1000 },
  "pro-plus": { groupMembers: 5000, joinedGroups: 1000 },
  enterprise: { groupMembers: 6000, joinedGroups: 1000 },
};

/** A Community's members: 100,000 by default on every plan (doc 9346); at most a million. */
const COMMUNITY_MEMBERS = { default: 100_000, max: 1_000_000 };

/**
 * The member limit a group of `type` gets on `plan` when none is asked for, and the most that
 * may be asked for. An AVChatRoom has none (0): people join it from the client SDK.
 */
export function memberCaps(plan: Plan, type: GroupType): { default: number; max: number } {
  if (type === "AVChatRoom") return { default: 0, max: 0 };
  if (type === "Community") return COMMUNITY_MEMBERS;
  const cap = PLAN_LIMITS[plan].groupMembers;
  return { default: cap, max: cap };
}

/** The plans' caps on a group's members, for messages: "Trial 20, Pro 2000, ...". */
export const PLAN_MEMBER_CAPS_TEXT = PLANS.map(
  (plan) =>
    `${plan.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => `${dash ? " " : ""}${c.toUpperCase()}`)} ${PLAN_LIMITS[plan].groupMembers}`,
).join(", ");
