/**
 * ChatGroup inputs: validation, normalising and defaulting, all in `check`, with failures
 * naming the property and its limit. Nothing here calls the API.
 */
import type { z } from "zod";

import { groupIdProblem, JOIN_REQUEST_TYPES } from "../../chat-api/groups";
import { type CheckFailure, type CheckOutcome, runCheck } from "../common/check";
import { checkShape } from "../fields/table";
import { type ChatGroupFields, FIELDS } from "./fields";

/** The inputs after `check`: the table's fields, every default applied and every alias resolved, and how the ID is chosen. */
export type ChatGroupInputs = ChatGroupFields & {
  /** True when the ID is generated: `create` derives it from `idSeed` (see common/identity.ts). */
  groupIdGenerated: boolean;
  /** What a generated ID is derived from, set by the resource class. */
  idSeed?: string;
};

/** Every property a program may set, and how it is checked: the field table's. */
const SHAPE = checkShape(FIELDS);

/** The properties ChatGroup takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatGroupProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

/** What the app itself allows, beyond Tencent's documented rules (config.ts). */
export interface AppRules {
  /** The app takes admins in a Work (Private) group. */
  workGroupAdmins: boolean;
}

/** The refusal of admins in a Work (Private) group, and how to lift it for an app that takes them. */
export const WORK_GROUP_ADMINS_REFUSED =
  "a Work (Private) group has no admins: Tencent keeps an owner and members only in one (docs 269/1502); use a Public, Meeting (ChatRoom) or Community group for admins, " +
  "or, if `npm run test:probe` finds that this app takes them, set tencent-chat:workGroupAdmins to allowed";

/** Rules that span fields (create_group, doc 1615; group types, doc 1502). Rules about an unknown value wait. */
function crossFieldFailures(v: Parsed, unknown: Record<string, unknown>, app: AppRules): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const known = (key: string) => !(key in unknown);
  if (v.groupId !== undefined && v.type !== undefined && known("type")) {
    const problem = groupIdProblem(v.groupId, v.type);
    if (problem) fail("groupId", `groupId ${problem}`);
  }
  if (v.type === "AVChatRoom") {
    if (v.members?.length)
      fail("members", "an AVChatRoom takes no members from the server: people join it from the client SDK");
    if (v.exclusiveMembers)
      fail("exclusiveMembers", "an AVChatRoom's members join from the client SDK: the server cannot hold it to a list");
    if (v.inviteJoinOption !== undefined) fail("inviteJoinOption", "an AVChatRoom does not support inviteJoinOption");
    if (v.maxMemberCount !== undefined) fail("maxMemberCount", "an AVChatRoom has no member limit to set");
    if (v.admins?.length) {
      fail(
        "admins",
        "an AVChatRoom's admins are set with group_open_avchatroom_http_svc/modify_admin (at most 5; docs 60525/60524), which needs the Ultimate or Enterprise plan " +
          "and its switch in the Chat console, and which this package does not manage yet: leave admins out and set them in the console",
      );
    }
  }
  if (
    v.applyJoinOption !== undefined &&
    v.type !== undefined &&
    known("type") &&
    !JOIN_REQUEST_TYPES.includes(v.type)
  ) {
    const why =
      v.type === "Private"
        ? "a Work (Private) group takes no join requests"
        : `a ${v.type === "ChatRoom" ? "Meeting (ChatRoom)" : v.type} group is joined freely`;
    fail(
      "applyJoinOption",
      `${why}: Tencent applies applyJoinOption only to Public groups and Communities, and a value it ignores would show as a change on every preview; leave it out`,
    );
  }
  if (v.type === "Private" && v.admins?.length && !app.workGroupAdmins) fail("admins", WORK_GROUP_ADMINS_REFUSED);
  if (v.admins?.length && known("admins") && known("members") && known("ownerAccount")) {
    const members = new Set(v.members ?? []);
    const outside = v.admins.filter((a) => !members.has(a));
    if (outside.length)
      fail(
        "admins",
        `admins must be members: ${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} not in members`,
      );
    if (v.ownerAccount !== undefined && v.admins.includes(v.ownerAccount))
      fail("admins", `${v.ownerAccount} is the owner, who has every admin right already`);
  }
  if (v.supportTopic && known("type") && v.type !== "Community")
    fail("supportTopic", "supportTopic applies only to a Community");
  if (v.maxMemberCount !== undefined && v.members && known("members") && known("ownerAccount")) {
    const count = new Set([...v.members, ...(v.ownerAccount ? [v.ownerAccount] : [])]).size;
    if (count > v.maxMemberCount)
      fail("members", `members (with the owner, ${count}) exceed maxMemberCount ${v.maxMemberCount}`);
  }
  return failures;
}

/** The sorted, de-duplicated lists, and whether the GroupId is to be generated. */
function normalise(v: Parsed, unknown: Record<string, unknown>): object {
  return {
    ...v,
    members: v.members && [...new Set(v.members)].sort(),
    admins: v.admins && [...new Set(v.admins)].sort(),
    groupIdGenerated: v.groupId === undefined && !("groupId" in unknown),
  };
}

/**
 * Validates and normalises `news`. A generated GroupId is not chosen here but at create
 * (from `idSeed`), so that a rerun of an interrupted `up` finds the group it made.
 */
export function checkInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  app: AppRules = { workGroupAdmins: false },
): CheckOutcome {
  return runCheck(
    { kind: "ChatGroup", shape: SHAPE, crossField: (v, unknown) => crossFieldFailures(v, unknown, app), normalise },
    olds,
    news,
  );
}
