/**
 * Reading a ChatGroup's saved properties. `pulumi destroy` and `refresh` hand the provider
 * whatever an earlier version of this package wrote, so nothing is cast: every field is
 * parsed, a field added later gets its default, and a damaged one falls back to it.
 */
import { z } from "zod";
import { SEED_PROPERTY } from "../dynamic/identity";
import { APPLY_JOIN_OPTIONS, GROUP_TYPES, INVITE_JOIN_OPTIONS, restTypeName } from "../../chat-api/groups";
import type { ChatGroupInputs } from "./inputs";
import type { ChatGroupOutputs } from "./mapping";

const strings = z.array(z.string()).catch([]).default([]);
const flag = z.boolean().catch(false).default(false);
const textOr = (fallback: string) => z.string().catch(fallback).default(fallback);
const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const SavedInputs = z.object({
  app: maybe(z.string()),
  type: z.string().transform(restTypeName).pipe(z.enum(GROUP_TYPES)).catch("Public").default("Public"),
  name: textOr(""),
  groupId: maybe(z.string()),
  groupIdGenerated: flag,
  [SEED_PROPERTY]: maybe(z.string()),
  ownerAccount: maybe(z.string()),
  introduction: textOr(""),
  notification: textOr(""),
  faceUrl: textOr(""),
  maxMemberCount: maybe(z.number()),
  applyJoinOption: maybe(z.enum(APPLY_JOIN_OPTIONS)),
  inviteJoinOption: maybe(z.enum(INVITE_JOIN_OPTIONS)),
  muteAllMember: flag,
  appDefinedData: z.record(z.string(), z.string()).catch({}).default({}),
  members: strings,
  exclusiveMembers: flag,
  admins: strings,
  supportTopic: flag,
  adoptExisting: flag,
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
