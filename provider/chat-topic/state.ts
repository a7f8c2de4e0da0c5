/**
 * Reading a ChatTopic's saved properties, in any shape this package has written: parsed,
 * never cast; a field added later gets its default.
 */
import { z } from "zod";
import { TOPIC_ID_MARKER } from "../../chat-api/topics";
import { SEED_PROPERTY } from "../dynamic/identity";
import type { ChatTopicInputs } from "./inputs";

export interface ChatTopicOutputs extends ChatTopicInputs {
  topicId: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  customString: string;
  /** Unix seconds, as the service reports it. */
  createTime?: number;
  /** Set when the create took over a topic that existed (see dynamic/held.ts). */
  adoption?: string;
}

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const SavedInputs = z.object({
  app: maybe(z.string()),
  groupId: z.string().catch("").default(""),
  topicIdSuffix: maybe(z.string()),
  [SEED_PROPERTY]: maybe(z.string()),
  topicName: z.string().catch("").default(""),
  introduction: maybe(z.string()),
  notification: maybe(z.string()),
  faceUrl: maybe(z.string()),
  customString: maybe(z.string()),
  adoptExisting: z.boolean().catch(false).default(false),
});

const SavedTopic = SavedInputs.extend({ topicId: maybe(z.string()), createTime: maybe(z.number()), adoption: maybe(z.string()) });

/** The Community a topic ID belongs to: the part before `@TOPIC#_`. */
export function groupOfTopic(topicId: string): string {
  const at = topicId.indexOf(TOPIC_ID_MARKER);
  return at > 0 ? topicId.slice(0, at) : "";
}

/** Checked inputs, as `check` produced them. */
export function readTopicInputs(props: Record<string, unknown>): ChatTopicInputs {
  return SavedInputs.parse(props);
}

/** Saved outputs, with the topic's ID; the group is read from the ID when the state lacks it. */
export function readTopicState(props: Record<string, unknown> | undefined, id: string): ChatTopicOutputs {
  const saved = SavedTopic.parse(props ?? {});
  const topicId = id || saved.topicId || "";
  return {
    ...saved,
    topicId,
    groupId: saved.groupId || groupOfTopic(topicId),
    introduction: saved.introduction ?? "",
    notification: saved.notification ?? "",
    faceUrl: saved.faceUrl ?? "",
    customString: saved.customString ?? "",
  };
}
