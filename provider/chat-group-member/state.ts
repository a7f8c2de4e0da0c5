/**
 * Reading a ChatGroupMember's saved properties, in any shape this package has written: parsed,
 * never cast; a field added later gets its default.
 */
import { z } from "zod";

import { savedShape } from "../fields/table";
import { FIELDS } from "./fields";
import type { ChatGroupMemberInputs } from "./inputs";

export interface ChatGroupMemberOutputs extends Omit<ChatGroupMemberInputs, "role"> {
  /** The member's role as the service reports it: Owner, Admin or Member ("" while invited). */
  role: string;
  /** The member's name card as the service reports it. */
  nameCard: string;
  /** Invited to a group whose invitees must accept, and not in it yet (add_group_member Result 3). */
  pending: boolean;
  /** The account was a member already when this resource was created: it was taken over, not added. */
  existed: boolean;
  /** Set when the create took over a membership that existed (see host/held.ts). */
  adoption?: string;
}

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The table's fields, each read leniently. */
const SavedInputs = z.object(savedShape(FIELDS));

const SavedOutputs = SavedInputs.extend({
  role: z.string().catch("").default(""),
  nameCard: z.string().catch("").default(""),
  pending: z.boolean().catch(false).default(false),
  existed: z.boolean().catch(false).default(false),
  adoption: maybe(z.string()),
});

/** A membership's ID: `<groupId>/<account>`. An account ID holds no "/", so the last one splits it. */
export const membershipId = (groupId: string, account: string): string => `${groupId}/${account}`;

function fromId(id: string): { groupId: string; account: string } {
  const at = id.lastIndexOf("/");
  return at > 0 ? { groupId: id.slice(0, at), account: id.slice(at + 1) } : { groupId: "", account: "" };
}

/** Checked inputs, as `check` produced them. */
export function readMemberInputs(props: Record<string, unknown>): ChatGroupMemberInputs {
  return SavedInputs.parse(props);
}

/** Saved outputs; the group and account are read from the ID when the state lacks them. */
export function readMemberState(props: Record<string, unknown> | undefined, id: string): ChatGroupMemberOutputs {
  const saved = SavedOutputs.parse(props ?? {});
  const parts = fromId(id);
  return { ...saved, groupId: saved.groupId || parts.groupId, account: saved.account || parts.account };
}
