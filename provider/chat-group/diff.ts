/**
 * What a change to a ChatGroup means: which properties force a new group (Tencent cannot
 * change them in place) and which are updated through the API.
 */
import { SEED_PROPERTY } from "../common/identity";
import { applyOptions, type DeclaredOptions, OPTIONS_PROPERTY } from "../common/options";
import { fieldsWhere } from "../fields/table";
import type { Comparison } from "../host/lifecycle";
import { FIELDS } from "./fields";
import type { ChatGroupInputs } from "./inputs";
import type { ChatGroupOutputs } from "./mapping";

/** Fixed when the group is created: `create_group` sets them and nothing changes them. */
export const REPLACE_PROPERTIES = fieldsWhere(FIELDS, (f) => f.change === "replace");

/** Single values compared as they are; lists, maps and the ID are compared by hand below. */
const scalar = fieldsWhere(
  FIELDS,
  (f) => f.change !== "none" && (f.type === "string" || f.type === "integer" || f.type === "boolean"),
).filter((k) => k !== "groupId");
/** Compared on every diff: check defaults them, so removing one resets it. */
const ALWAYS = scalar.filter((k) => FIELDS[k].managed === "always");
/** Compared when the program declares them; undeclared ones are left alone. */
const WHEN_DECLARED = scalar.filter((k) => FIELDS[k].managed === "declared");

export interface ChatGroupDiff {
  changes: boolean;
  replaces: string[];
  /** Every property that differs, replacing or not. */
  changed: string[];
  deleteBeforeReplace: boolean;
}

function sameMap(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => Object.hasOwn(a, k) && Object.hasOwn(b, k) && a[k] === b[k]);
}

function sameSet(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/** The ID changes from generated to fixed, from fixed to generated, or from one fixed ID to another. */
function idChanges(olds: ChatGroupOutputs, news: ChatGroupInputs): boolean {
  if (news.groupIdGenerated) return !olds.groupIdGenerated;
  return olds.groupIdGenerated || olds.groupId !== news.groupId;
}

/**
 * Compares the stored outputs with the new checked inputs: which properties replace the group
 * and which update it, before the resource options apply. `pending` names the inputs Pulumi
 * does not know yet (a preview): each may change, so each counts as changed, and one that
 * replaces as replacing; a delete-before-replace is announced only when the fixed ID is known
 * to stay.
 */
export function compareGroup(
  olds: ChatGroupOutputs,
  news: ChatGroupInputs,
  pending: ReadonlySet<string> = new Set(),
): Comparison {
  const changed = new Set<string>(pending);
  const compare = (key: string, differs: boolean) => {
    if (differs && !pending.has(key)) changed.add(key);
  };
  compare("groupId", idChanges(olds, news));
  for (const key of ALWAYS) compare(key, olds[key] !== news[key]);
  for (const key of WHEN_DECLARED) compare(key, news[key] !== undefined && olds[key] !== news[key]);
  // A limit the stack set and no longer declares goes back to the plan's.
  compare("maxMemberCount", news.maxMemberCount === undefined && olds.maxMemberCountDeclared === true);
  compare("appDefinedData", !sameMap(olds.appDefinedData, news.appDefinedData));
  // An invitation still waiting for its answer counts as done: it is not sent again.
  compare("members", !sameSet([...olds.members, ...olds.pendingMembers], news.members));
  compare("admins", !sameSet(olds.admins, news.admins));
  // Inputs that change nothing in the service.
  for (const key of ["adoptExisting", SEED_PROPERTY, OPTIONS_PROPERTY, "__provider"]) changed.delete(key);

  const own: string[] = [...changed].filter((k) => (REPLACE_PROPERTIES as readonly string[]).includes(k));
  // An AVChatRoom cannot change owner (change_group_owner answers 10007): a new owner is a new room.
  if ((news.type === "AVChatRoom" || pending.has("type")) && changed.has("ownerAccount")) own.push("ownerAccount");
  return {
    replacing: own,
    updating: [...changed].filter((k) => !own.includes(k)),
    // Only a fixed GroupId forces the old group out first: the replacement asks for the same ID.
    // A generated one takes the next incarnation, so the live group stays until the new one exists.
    deleteFirst:
      !pending.has("groupId") &&
      !pending.has("app") &&
      olds.app === news.app &&
      !news.groupIdGenerated &&
      olds.groupId === news.groupId,
  };
}

/** compareGroup with the resource options applied: what the diff tells Pulumi. */
export function diffGroup(
  olds: ChatGroupOutputs,
  news: ChatGroupInputs,
  pending: ReadonlySet<string> = new Set(),
  options: DeclaredOptions = {},
): ChatGroupDiff {
  const found = compareGroup(olds, news, pending);
  const { changed, replaces } = applyOptions(
    { changed: [...found.replacing, ...found.updating], replaces: found.replacing },
    options,
  );
  return {
    changes: changed.length > 0,
    replaces,
    changed,
    deleteBeforeReplace: replaces.length > 0 && found.deleteFirst,
  };
}
