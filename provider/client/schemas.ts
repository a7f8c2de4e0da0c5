/**
 * Shapes of successful answers, checked at the client boundary so callers get typed data.
 * Objects are loose: the service adds fields over time, and an unknown field must not break
 * a destroy.
 */
import { z } from "zod";

import type { GroupInfo, MemberInfo as MemberInfoBody } from "../../chat-api/bodies";
import type { TopicInfo } from "../../chat-api/topics";

export const EnvelopeSchema = z.looseObject({
  ActionStatus: z.string(),
  ErrorCode: z.number().optional(),
  ErrorInfo: z.string().optional(),
});

export const CreateGroupAnswer = z.looseObject({ GroupId: z.string().min(1) });

const KeyValue = z.looseObject({ Key: z.string(), Value: z.string() });

export const MemberInfo = z.looseObject({
  Member_Account: z.string(),
  Role: z.string().optional(),
  JoinTime: z.number().optional(),
  NameCard: z.string().optional(),
});

export const GroupInfoItem = z.looseObject({
  GroupId: z.string(),
  ErrorCode: z.number(),
  ErrorInfo: z.string().optional(),
  Type: z.string().optional(),
  Name: z.string().optional(),
  Appid: z.number().optional(),
  Introduction: z.string().optional(),
  Notification: z.string().optional(),
  FaceUrl: z.string().optional(),
  Owner_Account: z.string().optional(),
  CreateTime: z.number().optional(),
  InfoSeq: z.number().optional(),
  LastInfoTime: z.number().optional(),
  MemberNum: z.number().optional(),
  MaxMemberNum: z.number().optional(),
  ApplyJoinOption: z.string().optional(),
  InviteJoinOption: z.string().optional(),
  /** Current name; older answers say ShutUpAllMember. */
  MuteAllMember: z.string().optional(),
  ShutUpAllMember: z.string().optional(),
  AppDefinedData: z.array(KeyValue).optional(),
  MemberList: z.array(MemberInfo).optional(),
});
/**
 * The answer types are declared without zod in chat-api/bodies.ts. These keep the two in step
 * both ways: what the schema parses is a GroupInfo, and each names the same fields, so a field
 * added to one only fails to compile.
 */
const _groupInfo: z.ZodType<GroupInfo> = GroupInfoItem;
void _groupInfo;
/** The keys a type names itself, without its index signature. */
/** `true` when A and B have the same keys, `never` otherwise. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };
const _groupFields: SameKeys<Record<NamedKeys<GroupInfo>, 0>, Record<keyof typeof GroupInfoItem.shape, 0>> = true;
const _memberFields: SameKeys<Record<NamedKeys<MemberInfoBody>, 0>, Record<keyof typeof MemberInfo.shape, 0>> = true;
void _groupFields;
void _memberFields;

export const GetGroupInfoAnswer = z.looseObject({ GroupInfo: z.array(GroupInfoItem) });

/** One page of get_group_member_info (doc 1617): the whole count, the page, and a Community's cursor. */
export const GroupMemberPage = z.looseObject({
  MemberNum: z.number(),
  MemberList: z.array(MemberInfo).default([]),
  Next: z.string().optional(),
});

/** get_specified_group_member_info (docs 112002 / 64897): the named accounts that are members. */
export const SpecifiedMembersAnswer = z.looseObject({ MemberList: z.array(MemberInfo).default([]) });

export const AddGroupMemberAnswer = z.looseObject({
  MemberList: z.array(z.looseObject({ Member_Account: z.string(), Result: z.number() })).default([]),
});

export const RoleInGroupAnswer = z.looseObject({
  UserIdList: z.array(z.looseObject({ Member_Account: z.string(), Role: z.string() })).default([]),
});

/** Integers arrive as number or, beyond 2^53, as bigint from the lossless parser. */
const Uint64 = z.union([z.number().int().nonnegative(), z.bigint().nonnegative()]).transform((v) => BigInt(v));

export const GroupListAnswer = z.looseObject({
  TotalCount: Uint64.transform((v) => Number(v)),
  GroupIdList: z.array(z.looseObject({ GroupId: z.string() })).default([]),
  Next: Uint64,
});

export const AccountCheckAnswer = z.looseObject({
  ResultItem: z.array(
    z.looseObject({
      UserID: z.string(),
      ResultCode: z.number(),
      ResultInfo: z.string().optional(),
      AccountStatus: z.string().optional(),
    }),
  ),
});

export const AccountDeleteAnswer = z.looseObject({
  ResultItem: z.array(z.looseObject({ UserID: z.string(), ResultCode: z.number(), ResultInfo: z.string().optional() })),
});

export const MultiImportAnswer = z.looseObject({ FailAccounts: z.array(z.string()).default([]) });

export const EmptyAnswer = z.looseObject({});

export const PortraitGetAnswer = z.looseObject({
  UserProfileItem: z.array(
    z.looseObject({
      To_Account: z.string(),
      ProfileItem: z.array(z.looseObject({ Tag: z.string(), Value: z.unknown() })).default([]),
      ResultCode: z.number().default(0),
      ResultInfo: z.string().optional(),
    }),
  ),
});

export const CreateTopicAnswer = z.looseObject({ TopicId: z.string().min(1) });

export const TopicInfoSchema = z.looseObject({
  TopicId: z.string(),
  TopicName: z.string().optional(),
  Introduction: z.string().optional(),
  Notification: z.string().optional(),
  FaceUrl: z.string().optional(),
  CustomString: z.string().optional(),
  CreateTime: z.number().optional(),
});
/** The answer types are declared without zod in chat-api/topics.ts; this keeps the two in step. */
const _topicInfo: z.ZodType<TopicInfo> = TopicInfoSchema;
void _topicInfo;

export const GetTopicAnswer = z.looseObject({
  TopicAndSelfInfo: z
    .array(
      z.looseObject({
        ErrorCode: z.number().default(0),
        ErrorInfo: z.string().optional(),
        TopicInfo: TopicInfoSchema.optional(),
      }),
    )
    .default([]),
});

export const DestroyTopicAnswer = z.looseObject({
  DestroyResultItem: z
    .array(z.looseObject({ TopicId: z.string(), ErrorCode: z.number(), ErrorInfo: z.string().optional() }))
    .default([]),
});
