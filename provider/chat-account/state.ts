/**
 * Reading a ChatAccount's saved properties, in any shape this package has written: parsed,
 * never cast; a field added later gets its default.
 */
import { z } from "zod";
import { SEED_PROPERTY } from "../dynamic/identity";
import type { ChatAccountInputs } from "./inputs";

export interface ChatAccountOutputs extends ChatAccountInputs {
  userId: string;
  nick: string;
  faceUrl: string;
  /** Set when the create took over an account that existed (see dynamic/held.ts). */
  adoption?: string;
}

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const SavedAccount = z.object({
  app: maybe(z.string()),
  userId: maybe(z.string()),
  userIdPrefix: maybe(z.string()),
  [SEED_PROPERTY]: maybe(z.string()),
  nick: maybe(z.string()),
  faceUrl: maybe(z.string()),
  adoptExisting: z.boolean().catch(false).default(false),
});

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
