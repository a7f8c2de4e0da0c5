/** ChatGroupMember inputs: validated and normalised in `check`, without calling the API. */
import type { z } from "zod";

import { type CheckFailure, type CheckOutcome, runCheck } from "../common/check";
import { checkShape } from "../fields/table";
import { declaringGroup, noteMemberDeclared } from "../host/declared-members";
import { type ChatGroupMemberFields, FIELDS } from "./fields";

/** The inputs after `check`: the table's fields. */
export type ChatGroupMemberInputs = ChatGroupMemberFields;

const SHAPE = checkShape(FIELDS);

/** The properties ChatGroupMember takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatGroupMemberProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

/**
 * The one rule across resources: an account a ChatGroup of this program declares in its
 * `members` (or owner or admins) is that group's to manage, and two resources managing one
 * membership would undo each other. Known only when both the group ID and the group's
 * declaration are (see host/declared-members.ts).
 */
function crossFieldFailures(v: Parsed, scope: string): CheckFailure[] {
  if (v.groupId === undefined || v.account === undefined) return [];
  const group = declaringGroup(scope, v.groupId, v.account);
  if (!group) return [];
  if (group === "exclusive") {
    return [
      {
        property: "groupId",
        reason: `the ChatGroup that manages ${v.groupId} sets exclusiveMembers, so its members are the group's whole list and it removes every other account: add ${v.account} to that ChatGroup's members instead`,
      },
    ];
  }
  return [
    {
      property: "account",
      reason:
        `${v.account} is declared in the members of the ChatGroup that manages ${v.groupId}, so that resource adds and removes it: ` +
        "manage a membership in one place (ChatGroup.members for the groups a stack owns, ChatGroupMember for a group it does not)",
    },
  ];
}

/**
 * Validates and normalises `news`, and notes the membership for the same rule seen from the
 * ChatGroup's side. `scope` names the app the membership is in (see host/declared-members.ts).
 */
export function checkMemberInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  scope: string,
): CheckOutcome {
  const outcome = runCheck(
    { kind: "ChatGroupMember", shape: SHAPE, crossField: (v) => crossFieldFailures(v, scope) },
    olds,
    news,
  );
  const { groupId, account } = outcome.inputs;
  if (!outcome.failures.length && typeof groupId === "string" && typeof account === "string")
    noteMemberDeclared(scope, groupId, account);
  return outcome;
}
