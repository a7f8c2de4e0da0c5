/**
 * ChatAccount's fields, each once (see fields/table.ts): check, the saved-state parser, the
 * output keys, the diff's updates, the README's reference rows and the package schema read
 * them from here. The profile fields are set with portrait_set's tags (provider.ts).
 */
import { z } from "zod";

import { ACCOUNT_ID, accountId, text } from "../common/check";
import { MAX_USER_ID_PREFIX } from "../common/identity";
import { resourceSchema } from "../fields/docs";
import { appField, type CheckedValues, customField, fieldTable, flagField, optionalTextField } from "../fields/table";

export const ACCOUNT_LIMITS = { nick: 500, faceUrl: 500 } as const;

const optionalText = z.string().optional().catch(undefined);

export const FIELDS = fieldTable({
  userId: customField(
    { check: (p) => accountId(p).optional(), saved: optionalText, type: "string" },
    {
      change: "replace",
      doc: {
        summary: "The account ID; userId or userIdPrefix is required.",
        default: "`userId` or `userIdPrefix` is required",
        rules:
          "1 to 32 bytes of letters, digits, `_`, `-`, `.`, `@` (Tencent recommends the first four; an app that refuses the others is named in the error); not the App admin (`tencent-chat:identifier`)",
      },
    },
  ),
  userIdPrefix: customField(
    {
      check: (p) =>
        text(p, MAX_USER_ID_PREFIX)
          .refine((s) => ACCOUNT_ID.pattern.test(s), `${p} may hold only letters, digits, "_" and "-"`)
          .optional(),
      saved: optionalText,
      type: "string",
    },
    {
      change: "replace",
      doc: {
        summary: "The prefix of a generated account ID, new for every incarnation of the resource.",
        default: "",
        rules: "1 to 16 bytes of the same; the ID is generated as `<prefix><hash>-<n>`",
      },
    },
  ),
  nick: optionalTextField({
    change: "update",
    maxBytes: ACCOUNT_LIMITS.nick,
    doc: {
      summary: "The account's nickname; managed only when set.",
      default: "not managed",
      change: "updates (`portrait_set`)",
    },
  }),
  faceUrl: optionalTextField({
    change: "update",
    maxBytes: ACCOUNT_LIMITS.faceUrl,
    doc: { summary: "The account's avatar URL; managed only when set.", default: "not managed" },
  }),
  adoptExisting: flagField({
    change: "none",
    output: false,
    doc: {
      summary: "Manage an account that already exists under userId instead of refusing it.",
      rules: "with `userId`",
    },
  }),
  app: appField("account"),
});

/** What the program declares, every default applied. */
export type ChatAccountFields = CheckedValues<typeof FIELDS>;

/** ChatAccount's entry in the package schema. */
export const SCHEMA = resourceSchema(
  FIELDS,
  "A Tencent Cloud Chat account. Destroying it deletes it with account_delete; an account already gone counts as deleted.",
  {
    alwaysOut: ["userId", "nick", "faceUrl"],
  },
);
