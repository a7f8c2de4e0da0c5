/**
 * pulumi-tencent-chat: Tencent Cloud Chat groups, members, topics and accounts as Pulumi resources, and the
 * REST client, sweeper and UserSig functions they are built on.
 *
 * Everything a program or a script needs is exported here by name; the modules behind it
 * are not part of the API.
 */

// Resources.
export { ChatGroup } from "./chat-group/resource";
export type { ChatGroupArgs, ChatGroupType } from "./chat-group/resource";
export { ChatAccount } from "./chat-account/resource";
export type { ChatAccountArgs } from "./chat-account/resource";
export { ChatGroupMember } from "./chat-group-member/resource";
export type { ChatGroupMemberArgs } from "./chat-group-member/resource";
export { ChatTopic } from "./chat-topic/resource";
export type { ChatTopicArgs } from "./chat-topic/resource";
export { checkChatAccounts, lookupChatGroup, lookupChatGroupMembers, lookupChatGroups, lookupChatTopics } from "./lookups";
export type { FoundChatGroup, FoundChatGroupDetails, FoundChatGroupMember, FoundChatTopic, LookupChatGroupsArgs, LookupOptions } from "./lookups";

// The REST client.
export { ChatClient, PROFILE_TAGS } from "./client/client";
export type { MemberAddResult } from "./client/client";
export type { ChatClientOptions, RetryEvent } from "./client/options";
export { ChatApiError, isChatApiError } from "./client/errors";
export type { ChatApiErrorKind } from "./client/errors";
export { RateLimiter } from "./client/rate-limiter";
export type { RateLimitOptions } from "./client/rate-limiter";
export type { Clock } from "./client/pacer";
export { isThrottling, isTransient } from "./client/retry-policy";
export { EndpointError, REGION_DOMAINS } from "./client/endpoint";
export type { Region } from "./client/endpoint";

// The API's vocabulary: bodies, codes, limits.
export type { CreateGroupRequest, GroupInfo, MemberInfo, ModifyGroupRequest } from "../chat-api/bodies";
export { GROUP_GONE_CODES, GROUP_ID_TAKEN_CODES, THROTTLING_CODES, TRANSIENT_CODES } from "../chat-api/codes";
export { APPLY_JOIN_OPTIONS, GROUP_FIELD_LIMITS, GROUP_TYPES, INVITE_JOIN_OPTIONS, MEMBER_RESULT, PER_CALL_LIMITS } from "../chat-api/groups";
export type { ApplyJoinOption, GroupType, InviteJoinOption } from "../chat-api/groups";
export { DEFAULT_COMMAND_RATE_LIMITS, DEFAULT_RATE_LIMIT } from "../chat-api/rate-limits";

export { TOPIC_FIELD_LIMITS } from "../chat-api/topics";
export type { CreateTopicRequest, ModifyTopicRequest, TopicFields, TopicInfo } from "../chat-api/topics";

// UserSig.
export { generateUserSig, verifyUserSig } from "../chat-api/usersig";
export type { UserSigFailure, UserSigRequest, UserSigVerification, UserSigVerifyRequest } from "../chat-api/usersig";

// Sweeping leftovers.
export { sweep, MIN_PREFIX_LENGTH, SweepOptionError } from "./sweeper/sweep";
export type { SweepCandidate, SweepFailure, SweepOptions, SweepProgress, SweepReport } from "./sweeper/sweep";
export { sweepOrphans, DEFAULT_ORPHAN_AGE_SECONDS } from "./sweeper/orphans";
export type { OrphanReport, OrphanSweepOptions } from "./sweeper/orphans";
export { StateFileError } from "./sweeper/states";
