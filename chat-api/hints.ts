/**
 * What to do about an ErrorCode, naming the setting to check: the service's own ErrorInfo is
 * often terse ("sig expired", "invalid param"), so every failure that points at a setting or
 * at the app says so itself. The README's troubleshooting table says the same.
 */

import { PLAN_LIMITS, PLAN_MEMBER_CAPS_TEXT } from "./plans";

const SETTINGS = {
  secretKey: "tencent-chat:secretKey (TENCENT_CHAT_SECRET_KEY)",
  sdkAppId: "tencent-chat:sdkAppId (TENCENT_CHAT_SDKAPPID)",
  identifier: "tencent-chat:identifier (TENCENT_CHAT_IDENTIFIER)",
  region: "tencent-chat:region (TENCENT_CHAT_REGION)",
  endpoint: "tencent-chat:endpoint (TENCENT_CHAT_ENDPOINT)",
} as const;

const THROTTLED =
  "too many requests: calls are retried for up to five minutes (tencent-chat:throttleDeadlineMs); if it persists, fewer jobs should share the app, or they should share a Redis budget (tencent-chat:rateLimitRedisUrl)";

/** The hint for each ErrorCode that has one. */
export const ERROR_HINTS: Readonly<Record<number, string>> = {
  70001:
    "the UserSig expired; it is renewed and the call sent again once: if this persists, check this machine's clock",
  70052:
    "the UserSig is no longer valid; it is renewed and the call sent again once: if this persists, check this machine's clock",
  70003: `the UserSig could not be verified: check that ${SETTINGS.secretKey} is this app's key`,
  70009: `the UserSig was signed with another key: check that ${SETTINGS.secretKey} belongs to ${SETTINGS.sdkAppId}`,
  70013: `the identifier differs from the UserSig's: check ${SETTINGS.identifier}`,
  70014: `the SDKAppID differs from the UserSig's: check ${SETTINGS.sdkAppId}`,
  70016: `the key was not found in this data center: set ${SETTINGS.region} to the app's data center`,
  70020: `the SDKAppID was not found in this data center: check ${SETTINGS.sdkAppId}, and set ${SETTINGS.region} to the app's data center`,
  60006: `the SDKAppID is not valid: check ${SETTINGS.sdkAppId}`,
  60010: `the identifier is not an App admin: set ${SETTINGS.identifier} to an admin account (Chat console › App admins)`,
  70403: `the identifier is not an App admin: set ${SETTINGS.identifier} to an admin account (Chat console › App admins)`,
  60020: "the app's plan has expired or is not active yet: wait a few minutes after buying it, or renew it",
  60021: "this machine's IP address is not on the app's REST API allow-list (Chat console)",
  60007: THROTTLED,
  60011: THROTTLED,
  60018: THROTTLED,
  60019: THROTTLED,
  10006: `${THROTTLED}. On create_group it can also be the plan's daily quota of new groups (Pro 10,000 a day): then it lasts until the next day`,
  10004:
    "an invalid parameter that check let through: the app enforces a rule of its own, such as a console setting or a limit Tencent's pages disagree on (see the README's reference for each field's limits)",
  10007:
    "the operation is not allowed: see the group type's rules in the README (an AVChatRoom takes no members, no owner change, no roles)",
  10019: "an owner or member account does not exist: import it first, e.g. with a ChatAccount",
  10014:
    "the group is full: a group holds at most its maxMemberCount and, when the stack sets none, its plan's cap " +
    `(${PLAN_MEMBER_CAPS_TEXT} for groups other than a Community; a Community 100,000). Declare fewer members, raise maxMemberCount within the plan's cap, ` +
    "remove members who joined otherwise, or raise the plan",
  10021:
    "the group ID is in use: choose another groupId, or set adoptExisting: true if an interrupted run of this stack made it",
  10025:
    "the group ID is in use: choose another groupId, or set adoptExisting: true if an interrupted run of this stack made it",
  10037: "a plan quota of groups was reached: remove leftovers (tencent-chat-sweep) or raise the plan",
  10038: `the plan's member quota was reached (an account may be in at most ${PLAN_LIMITS.trial.joinedGroups} groups on Trial, ${PLAN_LIMITS.pro.joinedGroups} on Pro): remove members or groups, or raise the plan`,
  70398:
    "the app's plan allows no more accounts: remove leftover accounts (tencent-chat-sweep --orphans --accounts) or raise the plan",
  70399:
    "a deleted account cannot be imported again for three months on paid plans: use userIdPrefix for accounts environments create and destroy",
  70402: "invalid parameter: the message names the field",
};

/**
 * What a refusal that outlasted any per-second window means: the daily quota of `command`
 * (see DAILY_QUOTA_CODES).
 */
export function dailyQuotaHint(command: string, refusedForMs: number): string {
  const seconds = Math.round(refusedForMs / 1000);
  return (
    `${command} was refused for ${seconds} s with no call of it let through meanwhile, while a per-second limit lets slowed calls through within seconds: ` +
    "this is most likely the plan's daily quota of net new groups (created less dissolved; Pro 10,000 a day, Enterprise 50,000), which lasts until midnight Beijing time. " +
    "Nothing was created: dissolve groups no longer needed (tencent-chat-sweep) or wait for the next day, then run again"
  );
}

/** What a refused or unreachable endpoint means, naming the settings. */
export const UNREACHABLE_HINT = `nothing was sent: check ${SETTINGS.endpoint} and ${SETTINGS.region}; when it is the emulator, is it running?`;
