/**
 * pulumi-tencent-chat: Tencent Cloud Chat groups, members, topics and accounts as Pulumi resources, and the
 * REST client, sweeper and UserSig functions they are built on.
 *
 * Everything a program or a script needs is exported here by name; the modules behind it
 * are not part of the API.
 */

// Resources.
export type { ChatAccountArgs } from "./chat-account/resource";
export { ChatAccount } from "./chat-account/resource";
export type { ChatGroupArgs, ChatGroupType } from "./chat-group/resource";
export { ChatGroup } from "./chat-group/resource";
export type { ChatGroupMemberArgs } from "./chat-group-member/resource";
export { ChatGroupMember } from "./chat-group-member/resource";
export type { ChatTopicArgs } from "./chat-topic/resource";
export { ChatTopic } from "./chat-topic/resource";
export type {
  FoundChatGroup,
  FoundChatGroupDetails,
  FoundChatGroupMember,
  FoundChatTopic,
  LookupChatGroupsArgs,
  LookupOptions,
} from "./lookups";
export {
  checkChatAccounts,
  lookupChatGroup,
  lookupChatGroupMembers,
  lookupChatGroups,
  lookupChatTopics,
} from "./lookups";

// The REST client.
export type { MemberAddResult } from "./client/client";
export { ChatClient, PROFILE_TAGS } from "./client/client";
export type { Region } from "./client/endpoint";
export { EndpointError, REGION_DOMAINS } from "./client/endpoint";
export type { ChatApiErrorKind } from "./client/errors";
export { ChatApiError, isChatApiError } from "./client/errors";
export type { ChatClientOptions, RetryEvent } from "./client/options";
export type { Clock } from "./client/pacer";
export type { RateLimitOptions } from "./client/rate-limiter";
export { RateLimiter } from "./client/rate-limiter";
export { isThrottling, isTransient } from "./client/retry-policy";

// The API's vocabulary: bodies, codes, limits.
export type { CreateGroupRequest, GroupInfo, MemberInfo, ModifyGroupRequest } from "../chat-api/bodies";
export { GROUP_GONE_CODES, GROUP_ID_TAKEN_CODES, THROTTLING_CODES, TRANSIENT_CODES } from "../chat-api/codes";
export type { ApplyJoinOption, GroupType, InviteJoinOption } from "../chat-api/groups";
export {
  APPLY_JOIN_OPTIONS,
  GROUP_FIELD_LIMITS,
  GROUP_TYPES,
  INVITE_JOIN_OPTIONS,
  MEMBER_RESULT,
  PER_CALL_LIMITS,
} from "../chat-api/groups";
export { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT } from "../chat-api/rate-limits";
export type { CreateTopicRequest, ModifyTopicRequest, TopicFields, TopicInfo } from "../chat-api/topics";
export { TOPIC_FIELD_LIMITS } from "../chat-api/topics";

// UserSig.
export type { UserSigFailure, UserSigRequest, UserSigVerification, UserSigVerifyRequest } from "../chat-api/usersig";
export { generateUserSig, verifyUserSig } from "../chat-api/usersig";

// Sweeping leftovers.
export type { OrphanReport, OrphanSweepOptions } from "./sweeper/orphans";
export { DEFAULT_ORPHAN_AGE_SECONDS, sweepOrphans } from "./sweeper/orphans";
export { StateFileError } from "./sweeper/states";
export type { SweepCandidate, SweepFailure, SweepOptions, SweepProgress, SweepReport } from "./sweeper/sweep";
export { MIN_PREFIX_LENGTH, sweep, SweepOptionError } from "./sweeper/sweep";
