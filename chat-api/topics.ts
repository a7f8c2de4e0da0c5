/**
 * Topics of a Community (`million_group_open_http_svc`): their ID format, field limits and
 * result codes. Commands: create_topic (https://www.tencentcloud.com/document/product/1047/49471),
 * destroy_topic (.../49470), get_topic (.../49469), modify_topic (.../49468). Topics exist only in
 * a Community created with `SupportTopic: 1`.
 */

/** The service the topic commands belong to. */
export const TOPIC_SERVICE = "million_group_open_http_svc";

/** A custom topic ID is the Community's GroupId, this marker, then the custom part. */
export const TOPIC_ID_MARKER = "@TOPIC#_";

/** The topic ID for a custom part: `<GroupId>@TOPIC#_<custom>`. */
export const topicIdFor = (groupId: string, custom: string): string => `${groupId}${TOPIC_ID_MARKER}${custom}`;

/**
 * Limits of a topic's fields in UTF-8 bytes, as create_topic and modify_topic state them
 * (TopicName 30, Introduction 240, Notification 300, FaceUrl 100, CustomString 3000).
 */
export const TOPIC_FIELD_LIMITS = {
  TopicName: 30,
  Introduction: 240,
  Notification: 300,
  FaceUrl: 100,
  CustomString: 3000,
} as const;

/** create_topic's body; modify_topic takes the same fields, all but GroupId and TopicId optional. */
export interface TopicFields {
  TopicName?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  CustomString?: string;
}

export interface CreateTopicRequest extends TopicFields {
  GroupId: string;
  /** `<GroupId>@TOPIC#_<custom>`; the service makes one up when absent. */
  TopicId?: string;
  TopicName: string;
}

export interface ModifyTopicRequest extends TopicFields {
  GroupId: string;
  TopicId: string;
}

/** One topic in get_topic's `TopicAndSelfInfo[].TopicInfo`; fields the service adds later are kept. */
export interface TopicInfo {
  TopicId: string;
  TopicName?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  CustomString?: string;
  /** Unix seconds. */
  CreateTime?: number;
  [field: string]: unknown;
}
