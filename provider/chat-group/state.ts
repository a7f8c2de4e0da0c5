/**
 * Reading a ChatGroup's saved properties. `pulumi destroy` and `refresh` hand the provider
 * whatever an earlier version of this package wrote, so nothing is cast: every field is
 * parsed, a field added later gets its default, and a damaged one falls back to it.
 */
import { z } from "zod";

import { SEED_PROPERTY } from "../common/identity";
import { savedShape } from "../fields/table";
import { FIELDS } from "./fields";
import type { ChatGroupInputs } from "./inputs";
import type { ChatGroupOutputs } from "./mapping";

const strings = z.array(z.string()).catch([]).default([]);
const flag = z.boolean().catch(false).default(false);
const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The table's fields, each read leniently, and how the ID was chosen. */
const SavedInputs = z.object({
  ...savedShape(FIELDS),
  groupIdGenerated: flag,
  [SEED_PROPERTY]: maybe(z.string()),
});

const SavedGroup = SavedInputs.extend({
  ownerDeclared: flag,
  maxMemberCountDeclared: maybe(z.boolean()),
  planMaxMemberCount: maybe(z.number()),
  adoption: maybe(z.string()),
  pendingMembers: strings,
  createTime: maybe(z.number()),
  memberCount: maybe(z.number()),
});

/** Saved outputs (or a half-made group's properties), in any shape this package has written. */
export function readGroupState(props: Record<string, unknown> | undefined, id?: string): ChatGroupOutputs {
  const saved = SavedGroup.parse(props ?? {});
  return { ...saved, groupId: id || saved.groupId || "" };
}

/** Checked inputs, as `check` produced them (in this version or an earlier one). */
export function readGroupInputs(props: Record<string, unknown>): ChatGroupInputs {
  return SavedInputs.parse(props);
}
