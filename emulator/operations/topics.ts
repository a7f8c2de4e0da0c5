/**
 * Community topic commands of `million_group_open_http_svc`: create_topic
 * (https://www.tencentcloud.com/document/product/1047/49471), get_topic (.../49469),
 * modify_topic (.../49468) and destroy_topic (.../49470). They serve only a Community created
 * with SupportTopic (11000 otherwise); destroy_topic answers per topic (`DestroyResultItem`).
 *
 * Not documented, and chosen here: get_topic answers a topic that does not exist with an item
 * whose ErrorCode is 110003 (destroy_topic's "already deleted"), modify_topic fails with
 * 110003, and create_topic fails with 10021 for a TopicId in use (create_group's code).
 */
import { TOPIC_FIELD_LIMITS, TOPIC_ID_MARKER } from "../../chat-api/topics";
import { ApiFailure, CODE, invalid } from "../errors";
import type { GroupRecord, TopicRecord } from "../model";
import { existingGroup, type Operation, type OperationContext, randomId, requireAccount } from "./context";
import { type Body, optionalArray, optionalEnum, optionalString, requiredArray, requiredString } from "./fields";

/** The Community, when it exists and has topics. */
function topicGroup(ctx: OperationContext, body: Body): GroupRecord & { topics: TopicRecord[] } {
  const group = existingGroup(ctx, requiredString(body, "GroupId"));
  if (group.type !== "Community" || group.supportTopic !== 1) {
    throw new ApiFailure(CODE.topicsNotSupported, "this group does not support community topics");
  }
  group.topics ??= [];
  return group as GroupRecord & { topics: TopicRecord[] };
}

function fromAccount(ctx: OperationContext, body: Body, required: boolean): string | undefined {
  const from = required ? requiredString(body, "From_Account") : optionalString(body, "From_Account");
  if (from) requireAccount(ctx, from);
  return from;
}

/** The fields create_topic and modify_topic share, each checked against its limit. */
function topicFields(
  body: Body,
): Partial<Pick<TopicRecord, "topicName" | "introduction" | "notification" | "faceUrl" | "customString">> {
  const fields = {
    topicName: optionalString(body, "TopicName", TOPIC_FIELD_LIMITS.TopicName),
    introduction: optionalString(body, "Introduction", TOPIC_FIELD_LIMITS.Introduction),
    notification: optionalString(body, "Notification", TOPIC_FIELD_LIMITS.Notification),
    faceUrl: optionalString(body, "FaceUrl", TOPIC_FIELD_LIMITS.FaceUrl),
    customString: optionalString(body, "CustomString", TOPIC_FIELD_LIMITS.CustomString),
  };
  if (fields.topicName === "") invalid("TopicName must not be empty");
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function generateTopicId(ctx: OperationContext, group: GroupRecord & { topics: TopicRecord[] }): string {
  return randomId(
    ctx,
    (tail) => `${group.groupId}${TOPIC_ID_MARKER}@TOPIC#c${tail}`,
    (id) => group.topics.some((t) => t.topicId === id),
  );
}

/** TopicIdList: topic IDs, each a string; absent only where `required` is false. */
function topicIdList(body: Body, required: boolean): string[] | undefined {
  const items = required ? requiredArray(body, "TopicIdList") : optionalArray(body, "TopicIdList");
  return items?.map((raw) => {
    if (typeof raw !== "string") invalid("TopicIdList items must be strings");
    return raw;
  });
}

const createTopic: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = topicGroup(ctx, body);
    fromAccount(ctx, body, false);
    const fields = topicFields(body);
    if (fields.topicName === undefined) invalid("TopicName is required");
    const requested = optionalString(body, "TopicId");
    if (requested !== undefined) {
      const prefix = `${group.groupId}${TOPIC_ID_MARKER}`;
      if (!requested.startsWith(prefix) || requested.length === prefix.length)
        invalid(`TopicId must be ${prefix} followed by a custom part`);
      if (group.topics.some((t) => t.topicId === requested))
        throw new ApiFailure(CODE.groupIdTaken, "topic id has been used");
    }
    const topic: TopicRecord = {
      topicId: requested ?? generateTopicId(ctx, group),
      topicName: fields.topicName,
      introduction: fields.introduction ?? "",
      notification: fields.notification ?? "",
      faceUrl: fields.faceUrl ?? "",
      customString: fields.customString ?? "",
      muteAllMember: "Off",
      createTime: ctx.now(),
    };
    group.topics.push(topic);
    return { TopicId: topic.topicId };
  },
};

function topicInfo(t: TopicRecord): Record<string, unknown> {
  return {
    TopicId: t.topicId,
    TopicName: t.topicName,
    Introduction: t.introduction,
    Notification: t.notification,
    FaceUrl: t.faceUrl,
    CustomString: t.customString,
    CreateTime: t.createTime,
    ShutUpAllFlag: t.muteAllMember === "On" ? 1 : 0,
  };
}

const getTopic: Operation = {
  mutates: false,
  run(body, ctx) {
    const group = topicGroup(ctx, body);
    const reader = fromAccount(ctx, body, true);
    // Undocumented: whether the reader must be a member of the Community (see policy.ts).
    if (ctx.policy.topicReaders === "members" && !group.members.some((m) => m.account === reader)) {
      throw new ApiFailure(CODE.noPermission, "From_Account is not a member of this group");
    }
    const wanted = topicIdList(body, false);
    if (wanted === undefined) {
      return { TopicAndSelfInfo: group.topics.map((t) => ({ ErrorCode: 0, ErrorInfo: "", TopicInfo: topicInfo(t) })) };
    }
    const answer = ctx.policy.missingTopicAnswer;
    const missing = wanted.filter((raw) => !group.topics.some((t) => t.topicId === raw));
    // Undocumented: how a topic that does not exist is answered (see policy.ts).
    if (missing.length && answer === "call-110003") throw new ApiFailure(CODE.topicGone, "topic not found");
    if (missing.length && answer === "call-10004")
      invalid(`TopicIdList names topics that do not exist: ${missing.join(", ")}`);
    return {
      TopicAndSelfInfo: wanted.flatMap((raw) => {
        const topic = group.topics.find((t) => t.topicId === raw);
        if (topic) return [{ ErrorCode: 0, ErrorInfo: "", TopicInfo: topicInfo(topic) }];
        return answer === "omitted"
          ? []
          : [{ ErrorCode: CODE.topicGone, ErrorInfo: "topic not found", TopicInfo: { TopicId: raw } }];
      }),
    };
  },
};

const modifyTopic: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = topicGroup(ctx, body);
    fromAccount(ctx, body, false);
    const topicId = requiredString(body, "TopicId");
    const topic = group.topics.find((t) => t.topicId === topicId);
    if (!topic) throw new ApiFailure(CODE.topicGone, "topic not found");
    // Validate everything before changing anything: a failed call changes nothing.
    const fields = topicFields(body);
    const mute = optionalEnum(body, "MuteAllMember", ["On", "Off"] as const);
    Object.assign(topic, fields);
    if (mute !== undefined) topic.muteAllMember = mute;
    return {};
  },
};

const destroyTopic: Operation = {
  mutates: true,
  run(body, ctx) {
    const group = topicGroup(ctx, body);
    const ids = topicIdList(body, true) as string[];
    return {
      DestroyResultItem: ids.map((topicId) => {
        const at = group.topics.findIndex((t) => t.topicId === topicId);
        if (at < 0) return { ErrorCode: CODE.topicGone, ErrorInfo: "topic has been deleted", TopicId: topicId };
        group.topics.splice(at, 1);
        return { ErrorCode: 0, ErrorInfo: "ok", TopicId: topicId };
      }),
    };
  },
};

export const topicOperations: Record<string, Operation> = {
  create_topic: createTopic,
  get_topic: getTopic,
  modify_topic: modifyTopic,
  destroy_topic: destroyTopic,
};
