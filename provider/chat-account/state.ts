/**
 * Reading a ChatAccount's saved properties, in any shape this package has written: parsed,
 * never cast; a field added later gets its default.
 */
import { z } from "zod";

import { SEED_PROPERTY } from "../common/identity";
import { savedShape } from "../fields/table";
import { FIELDS } from "./fields";
import type { ChatAccountInputs } from "./inputs";

export interface ChatAccountOutputs extends ChatAccountInputs {
  userId: string;
  nick: string;
  faceUrl: string;
  /** Set when the create took over an account that existed (see host/held.ts). */
  adoption?: string;
}

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The table's fields, each read leniently, and the ID's seed. */
const SavedAccount = z.object({ ...savedShape(FIELDS), [SEED_PROPERTY]: maybe(z.string()) });

const SavedOutputs = SavedAccount.extend({ adoption: maybe(z.string()) });

/** Checked inputs, as `check` produced them. */
export function readAccountInputs(props: Record<string, unknown>): ChatAccountInputs {
  return SavedAccount.parse(props);
}

/** Saved outputs, with the account's ID. */
export function readAccountState(props: Record<string, unknown> | undefined, id: string): ChatAccountOutputs {
  const saved = SavedOutputs.parse(props ?? {});
  return { ...saved, userId: id || saved.userId || "", nick: saved.nick ?? "", faceUrl: saved.faceUrl ?? "" };
}
