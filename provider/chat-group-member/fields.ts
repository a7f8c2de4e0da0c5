/**
 * ChatGroupMember's fields, each once (see fields/table.ts): check, the saved-state parser, the
 * output keys, modify_group_member_info's fields, the README's reference rows and the package
 * schema read them from here.
 */
import { z } from "zod";

import { GROUP_FIELD_LIMITS, groupIdFormProblem } from "../../chat-api/groups";
import { accountId, text } from "../common/check";
import { resourceSchema } from "../fields/docs";
import { appField, type CheckedValues, choiceField, customField, fieldTable, optionalTextField } from "../fields/table";

/** The roles a membership may declare: the owner is a ChatGroup's `ownerAccount`, not a membership. */
export const DECLARABLE_ROLES = ["Member", "Admin"] as const;

export const FIELDS = fieldTable({
  groupId: customField(
    {
      check: (p) =>
        text(p).superRefine((s, ctx) => {
          const problem = groupIdFormProblem(s);
          if (problem) ctx.addIssue({ code: "custom", message: `${p} ${problem}` });
        }),
      saved: z.string().catch("").default(""),
      type: "string",
    },
    {
      change: "replace",
      required: true,
      doc: {
        summary: "The group's ID: a ChatGroup's groupId output, or one this stack does not manage.",
        rules: "a group's ID: a ChatGroup's `groupId` output, or one this stack does not manage; not an AVChatRoom",
      },
    },
  ),
  account: customField(
    { check: (p) => accountId(p), saved: z.string().catch("").default(""), type: "string" },
    {
      change: "replace",
      required: true,
      doc: {
        summary: "The account (it must be imported; not the group's owner).",
        rules: "an imported account, 1 to 32 bytes of letters, digits, `_`, `-`, `.`, `@`; not the group's owner",
      },
    },
  ),
  role: choiceField(DECLARABLE_ROLES, {
    change: "update",
    rest: "Role",
    doc: {
      summary: "The member's role; managed only when set.",
      default: "not managed",
      rules:
        "`Member` or `Admin`; no `Admin` in a Work (Private) group unless `tencent-chat:workGroupAdmins` is `allowed`",
      change: "updates (`modify_group_member_info`)",
    },
  }),
  nameCard: optionalTextField({
    change: "update",
    rest: "NameCard",
    maxBytes: GROUP_FIELD_LIMITS.NameCard,
    doc: { summary: "The member's name card in the group; managed only when set.", default: "not managed" },
  }),
  app: appField("membership"),
});

/** What the program declares. */
export type ChatGroupMemberFields = CheckedValues<typeof FIELDS>;

/** ChatGroupMember's entry in the package schema. */
export const SCHEMA = resourceSchema(
  FIELDS,
  "One account's membership of one chat group. Destroying it removes the account from the group; an account no longer a member, or a group gone, counts as removed.",
  {
    outputs: {
      pending: { type: "boolean", description: "Invited to a group whose invitees must accept, and not in it yet." },
      existed: {
        type: "boolean",
        description: "The account was a member already when the resource was created: it was taken over, not added.",
      },
    },
    alwaysOut: ["role", "nameCard", "pending", "existed"],
  },
);
