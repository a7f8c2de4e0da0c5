/**
 * ChatGroup's fields, each once (see fields/table.ts): check, the saved-state parser, the
 * output keys, the diff's lists, the README's reference rows and the package schema read them
 * from here. `members`, `admins`, `appDefinedData`, `maxMemberCount`, `ownerAccount` and
 * `muteAllMember` are mapped to the API by hand (mapping.ts); the rest is one-to-one.
 */
import { z } from "zod";

import {
  APPLY_JOIN_OPTIONS,
  GROUP_FIELD_LIMITS as LIMITS,
  GROUP_TYPES,
  groupIdFormProblem,
  INVITE_JOIN_OPTIONS,
  restTypeName,
} from "../../chat-api/groups";
import { utf8Bytes } from "../../chat-api/text";
import { accountId, oneOf, text, typeOf } from "../common/check";
import { resourceSchema } from "../fields/docs";
import {
  appField,
  type CheckedValues,
  choiceField,
  countField,
  customField,
  fieldTable,
  flagField,
  listField,
  requiredTextField,
  textField,
} from "../fields/table";

const appDefinedData = (property: string) =>
  z
    .record(
      z.string(),
      text(`${property} values`, LIMITS.appDefinedValue).refine(
        (v) => v.length > 0,
        `${property} values must not be empty (remove the key instead)`,
      ),
      {
        error: (issue) =>
          issue.code === "invalid_type"
            ? `${property} must be a map of strings, got ${typeOf(issue.input)}`
            : undefined,
      },
    )
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (utf8Bytes(key) > LIMITS.appDefinedKey || !/^[A-Za-z0-9_]+$/.test(key)) {
          ctx.addIssue({
            code: "custom",
            message: `${property} key "${key}" must be 1 to ${LIMITS.appDefinedKey} bytes of letters, digits and "_"`,
          });
        }
      }
      if (Object.keys(map).length > LIMITS.appDefinedFields)
        ctx.addIssue({ code: "custom", message: `${property} may hold at most ${LIMITS.appDefinedFields} keys` });
    })
    .default({});

export const FIELDS = fieldTable({
  type: customField(
    {
      check: (p) => text(p).transform(restTypeName).pipe(oneOf(p, GROUP_TYPES)),
      saved: z.string().transform(restTypeName).pipe(z.enum(GROUP_TYPES)).catch("Public").default("Public"),
      type: "string",
    },
    {
      change: "replace",
      rest: "Type",
      required: true,
      doc: {
        summary: "The group type.",
        rules: "`Private` (or `Work`), `Public`, `ChatRoom` (or `Meeting`), `AVChatRoom`, `Community`",
      },
    },
  ),
  name: requiredTextField({
    change: "update",
    rest: "Name",
    maxBytes: LIMITS.Name,
    nonEmpty: true,
    doc: { summary: "The group's name." },
  }),
  groupId: customField(
    {
      check: (p) =>
        text(p)
          .superRefine((s, ctx) => {
            const problem = groupIdFormProblem(s);
            if (problem) ctx.addIssue({ code: "custom", message: `${p} ${problem}` });
          })
          .optional(),
      saved: z.string().optional().catch(undefined),
      type: "string",
    },
    {
      change: "replace",
      doc: {
        summary: "A custom group ID; generated from the resource's identity when left out.",
        default: "generated `pulumi-<name>-<hash>-<n>` (see below), kept across updates",
        rules: "printable ASCII, at most 48 bytes, not starting with `@TGS#`; a Community's must start with `@TGS#_`",
      },
    },
  ),
  ownerAccount: customField(
    { check: (p) => accountId(p).optional(), saved: z.string().optional().catch(undefined), type: "string" },
    {
      change: "update",
      doc: {
        summary: "The owner account; changing it hands ownership over.",
        default: "none (an ownerless group)",
        rules: "an imported account",
        change: "hands ownership over (the new owner joins first if needed); replaces an AVChatRoom",
      },
    },
  ),
  introduction: textField({
    change: "update",
    rest: "Introduction",
    maxBytes: LIMITS.Introduction,
    default: "",
    doc: { summary: "The group's introduction." },
  }),
  notification: textField({
    change: "update",
    rest: "Notification",
    maxBytes: LIMITS.Notification,
    default: "",
    doc: { summary: "The group's notification." },
  }),
  faceUrl: textField({
    change: "update",
    rest: "FaceUrl",
    maxBytes: LIMITS.FaceUrl,
    default: "",
    doc: { summary: "The group's avatar URL." },
  }),
  maxMemberCount: countField({
    change: "update",
    min: 1,
    doc: {
      summary: "The member limit (MaxMemberCount on create, MaxMemberNum after).",
      default: "the plan's limit",
      rules: "whole number ≥ 1; not for AVChatRoom",
    },
  }),
  applyJoinOption: choiceField(APPLY_JOIN_OPTIONS, {
    change: "update",
    rest: "ApplyJoinOption",
    doc: {
      summary: "How join requests are handled (Public groups and Communities).",
      default: "the service's default (`NeedPermission`)",
      rules:
        "`FreeAccess`, `NeedPermission`, `DisableApply`; Public and Community only (Tencent applies it to no other type: a Work group takes no join requests, Meeting and AVChatRoom groups are joined freely)",
    },
  }),
  inviteJoinOption: choiceField(INVITE_JOIN_OPTIONS, {
    change: "update",
    rest: "InviteJoinOption",
    doc: {
      summary: "How invitations are handled; not for AVChatRoom.",
      default: "the service's default",
      rules: "`FreeAccess`, `NeedPermission`, `DisableInvite`; not for AVChatRoom",
    },
  }),
  muteAllMember: flagField({ change: "update", doc: { summary: "Mute everyone but the owner and admins." } }),
  appDefinedData: customField(
    { check: appDefinedData, saved: z.record(z.string(), z.string()).catch({}).default({}), type: "map<string>" },
    {
      change: "update",
      default: {},
      doc: {
        summary: "Group-level custom fields; their keys must be enabled in the Chat console. A removed key is deleted.",
        rules: `at most ${LIMITS.appDefinedFields} keys of 1–${LIMITS.appDefinedKey} bytes \`[A-Za-z0-9_]\`, values 1–${LIMITS.appDefinedValue} bytes; keys must be enabled in the Chat console`,
        change: "updates; a removed key is deleted",
      },
    },
  ),
  members: listField(accountId, {
    change: "update",
    doc: {
      summary:
        "Accounts this stack keeps in the group; members who joined otherwise are left alone unless exclusiveMembers is set.",
      rules: "imported account IDs; not for AVChatRoom",
      change: "adds and removes; members who joined by other means are left alone (see `exclusiveMembers`)",
    },
  }),
  exclusiveMembers: flagField({
    change: "update",
    doc: {
      summary:
        "Make members the group's whole list: refresh reads every member, and up removes anyone not declared (the owner excepted).",
      rules: "not for AVChatRoom; no ChatGroupMember of the same group",
      change:
        "`members` becomes the whole list: `pulumi refresh` reads every member and `up` removes whoever is not declared, the owner excepted (members added by hand, by another stack, or by a cancelled update)",
    },
  }),
  admins: listField(accountId, {
    change: "update",
    doc: {
      summary: "Members this stack makes admins; one dropped from the list goes back to plain member.",
      rules:
        "accounts in `members`, not the owner; not for Private (Work) groups, which keep an owner and members only (unless `tencent-chat:workGroupAdmins` is `allowed`), nor for an AVChatRoom (its admins are set with `modify_admin`, which needs the Ultimate or Enterprise plan and a console switch; set them in the console)",
      change:
        "makes them admins (modify_group_member_info `Role`); one dropped from the list goes back to plain member; admins made by other means are left alone",
    },
  }),
  supportTopic: flagField({
    change: "replace",
    doc: { summary: "Enable topics (Community only).", rules: "Community only" },
  }),
  adoptExisting: flagField({
    change: "none",
    output: false,
    doc: {
      summary:
        "Take over a group that already exists with this groupId instead of failing, and bring it to the declared state.",
    },
  }),
  app: appField("group"),
});

/** What the program declares, every default applied: `check`'s output for the table's fields. */
export type ChatGroupFields = CheckedValues<typeof FIELDS>;

/** ChatGroup's entry in the package schema: the table's fields, and what only the service reports. */
export const SCHEMA = resourceSchema(
  FIELDS,
  "A Tencent Cloud Chat group. Destroying it disbands it with destroy_group; a group already gone counts as destroyed.",
  {
    outputs: {
      pendingMembers: {
        type: "array",
        items: { type: "string" },
        description: "Declared members invited to a group whose invitees must accept, who have not yet.",
      },
      createTime: {
        type: "integer",
        description: "When the group was made, in Unix seconds, as the service reports it.",
      },
      memberCount: {
        type: "integer",
        description: "Members in the group, however they joined; none for an AVChatRoom, whose reads carry no count.",
      },
    },
    alwaysOut: ["groupId", "pendingMembers"],
  },
);
