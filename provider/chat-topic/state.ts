/**
 * Reading a ChatTopic's saved properties, in any shape this package has written: parsed,
 * never cast; a field added later gets its default.
 */
import { z } from "zod";

import { TOPIC_ID_MARKER } from "../../chat-api/topics";
import { SEED_PROPERTY } from "../common/identity";
import { savedShape } from "../fields/table";
import { FIELDS } from "./fields";
import type { ChatTopicInputs } from "./inputs";

export interface ChatTopicOutputs extends ChatTopicInputs {
  topicId: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  customString: string;
  /** Unix seconds, as the service reports it. */
  createTime?: number;
  /** Set when the create took over a topic that existed (see host/held.ts). */
  adoption?: string;
}

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The table's fields, each read leniently, and the ID's seed. */
const SavedInputs = z.object({ ...savedShape(FIELDS), [SEED_PROPERTY]: maybe(z.string()) });

const SavedTopic = SavedInputs.extend({
  topicId: maybe(z.string()),
  createTime: maybe(z.number()),
  adoption: maybe(z.string()),
});

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
