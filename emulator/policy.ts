/**
 * How the emulated app behaves where Tencent's behaviour depends on the app or is not
 * documented, switchable so a client can be tested against each answer.
 */

/**
 * Whether a dissolved group's custom GroupId may be created again at once ("reusable") or
 * is answered 10021 ("reserved"). Tencent does not document which; a client must work with both.
 */
export const DESTROYED_GROUP_IDS = ["reusable", "reserved"] as const;
/** One of DESTROYED_GROUP_IDS. */
export type DestroyedGroupIds = (typeof DESTROYED_GROUP_IDS)[number];

/**
 * The app's plan. On paid plans (Pro, Pro Plus, Enterprise) a deleted UserID cannot be
 * imported again for three months (account_delete, doc 34955); Trial apps allow it at once.
 */
export const PLANS = ["trial", "pro", "pro-plus", "enterprise"] as const;
/** One of PLANS. */
export type Plan = (typeof PLANS)[number];

/** How long a paid plan refuses a deleted UserID. */
export const REIMPORT_BLOCK_SECONDS = 90 * 86_400;

export interface Policy {
  destroyedGroupIds: DestroyedGroupIds;
  plan: Plan;
}

export const DEFAULT_POLICY: Policy = { destroyedGroupIds: "reusable", plan: "trial" };
