/**
 * What a change to a ChatGroup means: which properties force a new group (Tencent cannot
 * change them in place) and which are updated through the API.
 */
import type { ChatGroupInputs } from "./inputs";
import type { ChatGroupOutputs } from "./mapping";

/** Fixed when the group is created: `create_group` sets them and nothing changes them. */
export const REPLACE_PROPERTIES = ["type", "groupId", "supportTopic"] as const;

/** Properties compared when the program declares them; undeclared ones are left alone. */
const OPTIONAL_UPDATES = ["ownerAccount", "maxMemberCount", "applyJoinOption", "inviteJoinOption"] as const;
/** Properties always managed: check defaults them, so removing one resets it. */
const UPDATES = ["name", "introduction", "notification", "faceUrl", "muteAllMember"] as const;

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

/** Compares the stored outputs with the new checked inputs. */
export function diffGroup(olds: ChatGroupOutputs, news: ChatGroupInputs): ChatGroupDiff {
  const changed: string[] = [];
  if (olds.type !== news.type) changed.push("type");
  if (idChanges(olds, news)) changed.push("groupId");
  if (Boolean(olds.supportTopic) !== news.supportTopic) changed.push("supportTopic");
  for (const key of UPDATES) if (olds[key] !== news[key]) changed.push(key);
  for (const key of OPTIONAL_UPDATES) if (news[key] !== undefined && olds[key] !== news[key]) changed.push(key);
  // A limit the stack set and no longer declares goes back to the plan's.
  if (news.maxMemberCount === undefined && olds.maxMemberCountDeclared === true) changed.push("maxMemberCount");
  if (!sameMap(olds.appDefinedData, news.appDefinedData)) changed.push("appDefinedData");
  // An invitation still waiting for its answer counts as done: it is not sent again.
  if (!sameSet([...olds.members, ...olds.pendingMembers], news.members)) changed.push("members");
  if (!sameSet(olds.admins, news.admins)) changed.push("admins");

  const replaces: string[] = changed.filter((k) => (REPLACE_PROPERTIES as readonly string[]).includes(k));
  // An AVChatRoom cannot change owner (change_group_owner answers 10007): a new owner is a new room.
  if (news.type === "AVChatRoom" && changed.includes("ownerAccount")) replaces.push("ownerAccount");
  return {
    changes: changed.length > 0,
    replaces,
    changed,
    // Only a fixed GroupId forces the old group out first: the replacement asks for the same ID.
    // A generated one takes the next incarnation, so the live group stays until the new one exists.
    deleteBeforeReplace: replaces.length > 0 && !news.groupIdGenerated && olds.groupId === news.groupId,
  };
}
