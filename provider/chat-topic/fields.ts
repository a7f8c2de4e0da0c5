/**
 * ChatTopic's fields, each once (see fields/table.ts): check, the saved-state parser, the
 * output keys, modify_topic's fields, the README's reference rows and the package schema read
 * them from here.
 */
import { z } from "zod";

import { COMMUNITY_ID_PREFIX } from "../../chat-api/groups";
import { TOPIC_FIELD_LIMITS as LIMITS } from "../../chat-api/topics";
import { text } from "../common/check";
import { resourceSchema } from "../fields/docs";
import {
  appField,
  type CheckedValues,
  customField,
  fieldTable,
  flagField,
  optionalTextField,
  requiredTextField,
} from "../fields/table";

/** This package's rule for a custom topic ID part: like an account ID, so it reads well in the full ID. */
export const TOPIC_SUFFIX = { maxBytes: 48, pattern: /^[A-Za-z0-9_-]+$/ } as const;

const notManaged = "not managed";

export const FIELDS = fieldTable({
  groupId: customField(
    {
      check: (p) =>
        text(p).refine((s) => s.startsWith(COMMUNITY_ID_PREFIX), {
          message: `${p} must be a Community's group ID (it starts with ${COMMUNITY_ID_PREFIX}): topics exist only in a Community created with supportTopic: true`,
        }),
      saved: z.string().catch("").default(""),
      type: "string",
    },
    {
      change: "replace",
      required: true,
      doc: {
        summary: "The Community's group ID, usually a ChatGroup's groupId output.",
        rules: "a Community's group ID (starts with `@TGS#_`), usually `community.groupId`",
      },
    },
  ),
  topicIdSuffix: customField(
    {
      check: (p) =>
        text(p, TOPIC_SUFFIX.maxBytes)
          .refine((s) => TOPIC_SUFFIX.pattern.test(s), `${p} may hold only letters, digits, "_" and "-"`)
          .optional(),
      saved: z.string().optional().catch(undefined),
      type: "string",
    },
    {
      change: "replace",
      doc: {
        summary:
          "The custom part of the topic ID <groupId>@TOPIC#_<suffix>; generated from the resource's identity when left out.",
        default: "generated",
        rules: "1 to 48 bytes of letters, digits, `_`, `-`; the ID is `<groupId>@TOPIC#_<suffix>`",
      },
    },
  ),
  topicName: requiredTextField({
    change: "update",
    rest: "TopicName",
    maxBytes: LIMITS.TopicName,
    nonEmpty: true,
    doc: { summary: "The topic's name.", change: "updates (`modify_topic`)" },
  }),
  introduction: optionalTextField({
    change: "update",
    rest: "Introduction",
    maxBytes: LIMITS.Introduction,
    doc: { summary: "The topic's introduction; managed only when set.", default: notManaged },
  }),
  notification: optionalTextField({
    change: "update",
    rest: "Notification",
    maxBytes: LIMITS.Notification,
    doc: { summary: "The topic's notification; managed only when set.", default: notManaged },
  }),
  faceUrl: optionalTextField({
    change: "update",
    rest: "FaceUrl",
    maxBytes: LIMITS.FaceUrl,
    doc: { summary: "The topic's avatar URL; managed only when set.", default: notManaged },
  }),
  customString: optionalTextField({
    change: "update",
    rest: "CustomString",
    maxBytes: LIMITS.CustomString,
    doc: { summary: "Free text for the app; managed only when set.", default: notManaged },
  }),
  adoptExisting: flagField({
    change: "none",
    output: false,
    doc: {
      summary: "Manage a topic that already exists under topicIdSuffix instead of refusing it.",
      rules: "with `topicIdSuffix`",
    },
  }),
  app: appField("topic"),
});

/** What the program declares, every default applied. */
export type ChatTopicFields = CheckedValues<typeof FIELDS>;

/** ChatTopic's entry in the package schema. */
export const SCHEMA = resourceSchema(
  FIELDS,
  "A topic of a Tencent Cloud Chat Community. Destroying it deletes it with destroy_topic; a topic already gone counts as deleted.",
  {
    outputs: {
      topicId: { type: "string", description: "The topic's ID: <groupId>@TOPIC#_<suffix>." },
      createTime: {
        type: "integer",
        description: "When the topic was made, in Unix seconds, as the service reports it.",
      },
    },
    alwaysOut: ["topicId", "introduction", "notification", "faceUrl", "customString"],
  },
);
