/** ChatTopic inputs: validated and normalised in `check`, without calling the API. */
import { z } from "zod";
import { COMMUNITY_ID_PREFIX } from "../../chat-api/groups";
import { TOPIC_FIELD_LIMITS } from "../../chat-api/topics";
import { appName, type CheckFailure, type CheckOutcome, flag, runCheck, text } from "../dynamic/check";

/** This package's rule for a custom topic ID part: like an account ID, so it reads well in the full ID. */
export const TOPIC_SUFFIX = { maxBytes: 48, pattern: /^[A-Za-z0-9_-]+$/ } as const;

export interface ChatTopicInputs {
  /** The app profile (of `tencent-chat:apps`) the object lives in; absent: the top-level settings. */
  app?: string;
  /** The Community the topic belongs to. */
  groupId: string;
  /** The custom part of a fixed topic ID; absent when generated. */
  topicIdSuffix?: string;
  /** What a generated ID is derived from, set by the resource class. */
  idSeed?: string;
  topicName: string;
  /** Managed only when declared, as are notification, faceUrl and customString. */
  introduction?: string;
  notification?: string;
  faceUrl?: string;
  customString?: string;
  adoptExisting: boolean;
}

const SHAPE = {
  groupId: text("groupId").refine((s) => s.startsWith(COMMUNITY_ID_PREFIX), {
    message: `groupId must be a Community's group ID (it starts with ${COMMUNITY_ID_PREFIX}): topics exist only in a Community created with supportTopic: true`,
  }),
  topicIdSuffix: text("topicIdSuffix", TOPIC_SUFFIX.maxBytes)
    .refine((s) => TOPIC_SUFFIX.pattern.test(s), 'topicIdSuffix may hold only letters, digits, "_" and "-"')
    .optional(),
  topicName: text("topicName", TOPIC_FIELD_LIMITS.TopicName).refine((s) => s.length > 0, "topicName must not be empty"),
  introduction: text("introduction", TOPIC_FIELD_LIMITS.Introduction).optional(),
  notification: text("notification", TOPIC_FIELD_LIMITS.Notification).optional(),
  faceUrl: text("faceUrl", TOPIC_FIELD_LIMITS.FaceUrl).optional(),
  customString: text("customString", TOPIC_FIELD_LIMITS.CustomString).optional(),
  adoptExisting: flag("adoptExisting").default(false),
  app: appName("app").optional(),
};

/** The properties ChatTopic takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatTopicProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

function crossFieldFailures(v: Parsed, unknown: Record<string, unknown>): CheckFailure[] {
  const hasSuffix = v.topicIdSuffix !== undefined || "topicIdSuffix" in unknown;
  if (v.adoptExisting && !hasSuffix) {
    return [{ property: "adoptExisting", reason: "adoptExisting takes over a topic by its ID; set topicIdSuffix, a generated one needs no adopting" }];
  }
  return [];
}

/** Validates and normalises `news`. */
export function checkTopicInputs(olds: Record<string, unknown>, news: Record<string, unknown>): CheckOutcome {
  return runCheck({ kind: "ChatTopic", shape: SHAPE, crossField: crossFieldFailures }, olds, news);
}
