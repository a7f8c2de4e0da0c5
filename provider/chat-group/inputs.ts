/**
 * ChatGroup inputs: validation, normalising and defaulting, all in `check`, with failures
 * naming the property and its limit. Nothing here calls the API.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type CheckFailure, checkFailures, utf8Bytes as bytes, withoutUndefined } from "../dynamic/check";

export type { CheckFailure } from "../dynamic/check";

/** Group types as the REST API names them. */
export const GROUP_TYPES = ["Private", "Public", "ChatRoom", "AVChatRoom", "Community"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
/** The newer names Tencent's client SDKs use, mapped to the REST names. */
export const TYPE_ALIASES: Readonly<Record<string, GroupType>> = { Work: "Private", Meeting: "ChatRoom" };

/** The REST name for a type name, aliases resolved; other names pass through unchanged. */
export const restTypeName = (type: string): string => TYPE_ALIASES[type] ?? type;

export const APPLY_JOIN_OPTIONS = ["FreeAccess", "NeedPermission", "DisableApply"] as const;
export const INVITE_JOIN_OPTIONS = ["FreeAccess", "NeedPermission", "DisableInvite"] as const;

/** Limits in UTF-8 bytes: the current service limits (shared reference, section 1). */
export const LIMITS = {
  name: 100,
  introduction: 400,
  notification: 400,
  faceUrl: 500,
  groupId: 48,
  account: 32,
  appDefinedFields: 10,
  appDefinedKey: 16,
  appDefinedValue: 512,
} as const;

/** Pulumi's marker for a value not known until apply (shown during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The inputs after `check`: every default applied, every alias resolved. */
export interface ChatGroupInputs {
  type: GroupType;
  name: string;
  groupId: string;
  /** True when `check` made the GroupId up; it is then kept stable across updates. */
  groupIdGenerated: boolean;
  ownerAccount?: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  maxMemberCount?: number;
  applyJoinOption?: (typeof APPLY_JOIN_OPTIONS)[number];
  inviteJoinOption?: (typeof INVITE_JOIN_OPTIONS)[number];
  muteAllMember: boolean;
  appDefinedData: Record<string, string>;
  members: string[];
  supportTopic: boolean;
  adoptExisting: boolean;
}

const text = (property: string, max: number) =>
  z.string({ error: `${property} must be a string` }).refine((s) => bytes(s) <= max, {
    message: `${property} must be at most ${max} bytes in UTF-8 (a CJK character takes 3)`,
  });

const account = (property: string) =>
  z
    .string({ error: `${property} must be a string` })
    .min(1, `${property} must not be empty`)
    .refine((s) => bytes(s) <= LIMITS.account, `${property} must be at most ${LIMITS.account} bytes`)
    .refine((s) => /^[A-Za-z0-9_-]*$/.test(s), `${property} may hold only letters, digits, "_" and "-" (a Chat account ID)`);

const Schema = z.object({
  type: z
    .string({ error: "type is required" })
    .transform(restTypeName)
    .pipe(z.enum(GROUP_TYPES, { error: `type must be one of ${GROUP_TYPES.join(", ")} (or Work, Meeting)` })),
  name: text("name", LIMITS.name).refine((s) => s.length > 0, "name must not be empty"),
  groupId: z
    .string({ error: "groupId must be a string" })
    .min(1, "groupId must not be empty")
    .refine((s) => bytes(s) <= LIMITS.groupId, `groupId must be at most ${LIMITS.groupId} bytes`)
    .refine((s) => /^[\x20-\x7e]+$/.test(s), "groupId must be printable ASCII")
    .optional(),
  ownerAccount: account("ownerAccount").optional(),
  introduction: text("introduction", LIMITS.introduction).default(""),
  notification: text("notification", LIMITS.notification).default(""),
  faceUrl: text("faceUrl", LIMITS.faceUrl).default(""),
  maxMemberCount: z.number({ error: "maxMemberCount must be a number" }).int("maxMemberCount must be a whole number").min(1, "maxMemberCount must be at least 1").optional(),
  applyJoinOption: z.enum(APPLY_JOIN_OPTIONS, { error: `applyJoinOption must be one of ${APPLY_JOIN_OPTIONS.join(", ")}` }).optional(),
  inviteJoinOption: z.enum(INVITE_JOIN_OPTIONS, { error: `inviteJoinOption must be one of ${INVITE_JOIN_OPTIONS.join(", ")}` }).optional(),
  muteAllMember: z.boolean({ error: "muteAllMember must be true or false" }).default(false),
  appDefinedData: z
    .record(
      z.string(),
      z
        .string({ error: "appDefinedData values must be strings" })
        .min(1, "appDefinedData values must not be empty (remove the key instead)")
        .refine((v) => bytes(v) <= LIMITS.appDefinedValue, `appDefinedData values must be at most ${LIMITS.appDefinedValue} bytes`),
      { error: "appDefinedData must be a map of strings" },
    )
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (bytes(key) > LIMITS.appDefinedKey || !/^[A-Za-z0-9_]+$/.test(key)) {
          ctx.addIssue({ code: "custom", message: `appDefinedData key "${key}" must be 1 to ${LIMITS.appDefinedKey} bytes of letters, digits and "_"` });
        }
      }
      if (Object.keys(map).length > LIMITS.appDefinedFields) {
        ctx.addIssue({ code: "custom", message: `appDefinedData may hold at most ${LIMITS.appDefinedFields} keys` });
      }
    })
    .default({}),
  members: z.array(account("members[]"), { error: "members must be a list of account IDs" }).default([]),
  supportTopic: z.boolean({ error: "supportTopic must be true or false" }).default(false),
  adoptExisting: z.boolean({ error: "adoptExisting must be true or false" }).default(false),
});

type Parsed = z.output<typeof Schema>;

/** Rules that span fields, from the shared reference, sections 1 to 4. */
function crossFieldFailures(v: Parsed): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (v.groupId !== undefined) {
    if (v.type === "Community" && !v.groupId.startsWith("@TGS#_")) fail("groupId", "groupId of a Community must start with @TGS#_");
    if (v.type !== "Community" && v.groupId.startsWith("@TGS#")) fail("groupId", "groupId must not start with @TGS# (Tencent reserves it for generated IDs)");
  }
  if (v.type === "AVChatRoom") {
    if (v.members.length > 0) fail("members", "an AVChatRoom takes no members from the server: people join it from the client SDK");
    if (v.inviteJoinOption !== undefined) fail("inviteJoinOption", "an AVChatRoom does not support inviteJoinOption");
    if (v.maxMemberCount !== undefined) fail("maxMemberCount", "an AVChatRoom has no member limit to set");
  }
  if (v.supportTopic && v.type !== "Community") fail("supportTopic", "supportTopic applies only to a Community");
  if (v.maxMemberCount !== undefined) {
    const count = new Set([...v.members, ...(v.ownerAccount ? [v.ownerAccount] : [])]).size;
    if (count > v.maxMemberCount) fail("members", `members (with the owner, ${count}) exceed maxMemberCount ${v.maxMemberCount}`);
  }
  return failures;
}

function generateGroupId(type: GroupType): string {
  const suffix = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0");
  return type === "Community" ? `@TGS#_pulumi-${suffix}` : `pulumi-${suffix}`;
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || (Array.isArray(value) && value.some(isUnknown)) ||
    (typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).some(isUnknown));
}

/**
 * Validates and normalises `news`. `olds` (the previous checked inputs) keeps a generated
 * GroupId stable, unless a change that replaces the group needs a fresh one.
 */
export function checkInputs(olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const candidate: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(news)) {
    if (key === "__provider" || key === "groupIdGenerated" || value === undefined || value === null) continue;
    // Values unknown during preview are validated when they are known.
    if (isUnknown(value)) unknown[key] = value;
    else candidate[key] = value;
  }
  const known = { ...candidate };
  // Stand-ins for unknown fields, so the rest still validates.
  if ("type" in unknown) known.type = "Public";
  if ("name" in unknown) known.name = "unknown";
  const parsed = Schema.safeParse(known);
  if (!parsed.success) {
    return { inputs: news, failures: checkFailures(parsed.error) };
  }
  const v = parsed.data;
  const failures = crossFieldFailures(v);
  v.members = [...new Set(v.members)].sort();

  let groupId = v.groupId;
  let generated = false;
  if (groupId === undefined) {
    generated = true;
    const replacing = olds.type !== v.type || Boolean(olds.supportTopic) !== v.supportTopic;
    groupId = olds.groupIdGenerated === true && typeof olds.groupId === "string" && !replacing ? olds.groupId : generateGroupId(v.type);
  }
  return { inputs: withoutUndefined({ ...v, groupId, groupIdGenerated: generated, ...unknown }), failures };
}
