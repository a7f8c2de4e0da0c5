/** ChatTopic inputs: validated and normalised in `check`, without calling the API. */
import type { z } from "zod";

import { type CheckFailure, type CheckOutcome, runCheck } from "../common/check";
import { checkShape } from "../fields/table";
import { type ChatTopicFields, FIELDS } from "./fields";

/** The inputs after `check`: the table's fields, and what a generated ID is derived from (set by the resource class). */
export type ChatTopicInputs = ChatTopicFields & { idSeed?: string };

const SHAPE = checkShape(FIELDS);

/** The properties ChatTopic takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatTopicProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

function crossFieldFailures(v: Parsed, unknown: Record<string, unknown>): CheckFailure[] {
  const hasSuffix = v.topicIdSuffix !== undefined || "topicIdSuffix" in unknown;
  if (v.adoptExisting && !hasSuffix) {
    return [
      {
        property: "adoptExisting",
        reason: "adoptExisting takes over a topic by its ID; set topicIdSuffix, a generated one needs no adopting",
      },
    ];
  }
  return [];
}

/** Validates and normalises `news`. */
export function checkTopicInputs(olds: Record<string, unknown>, news: Record<string, unknown>): CheckOutcome {
  return runCheck({ kind: "ChatTopic", shape: SHAPE, crossField: crossFieldFailures }, olds, news);
}
