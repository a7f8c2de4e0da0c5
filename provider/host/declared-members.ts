/**
 * Memberships the resources of one deployment declare, so that a membership is managed in
 * one place. The engine runs every dynamic resource of a deployment through one provider
 * process: a ChatGroup notes the accounts it declares (members, owner, admins) under its
 * group ID once the ID is known (a fixed one at check, a generated one at create and diff),
 * and a ChatGroupMember notes its own at check. Each side then refuses, or leaves alone, what
 * the other declares. Group IDs are per app (`app` is the provider's scope of it, its
 * SDKAppID): the same ID in two apps is two groups. A ChatGroup whose ID is not known yet (a preview of a new group) cannot
 * be matched: that case is caught at `up`, when its ID is.
 *
 * Kept on `globalThis`, like held.ts, so that every copy of this package loaded in the
 * provider host shares it. It holds IDs only.
 */
const GROUPS = Symbol.for("pulumi-tencent-chat.declaredGroupMembers");
const MEMBERSHIPS = Symbol.for("pulumi-tencent-chat.declaredMemberships");

function registry<T>(symbol: symbol, make: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[symbol] ??= make());
}

/** What a ChatGroup declares of its group's membership. */
interface GroupDeclaration {
  accounts: ReadonlySet<string>;
  /** exclusiveMembers: the declared members are the whole list, so every membership is the group's. */
  exclusive: boolean;
}

const groups = () => registry(GROUPS, () => new Map<string, GroupDeclaration>());
const memberships = () => registry(MEMBERSHIPS, () => new Map<string, Set<string>>());
const groupKey = (app: string, groupId: string) => JSON.stringify([app, groupId]);

/** Notes the accounts a ChatGroup declares in `groupId` (replacing what it declared before), and whether it declares them exclusively. */
export function noteGroupDeclared(app: string, groupId: string, accounts: Iterable<string>, exclusive = false): void {
  if (groupId) groups().set(groupKey(app, groupId), { accounts: new Set(accounts), exclusive });
}

/**
 * How a ChatGroup of this deployment claims `account` in `groupId`: `members` when it declares
 * the account, `exclusive` when it declares the whole list (exclusiveMembers), else undefined.
 */
export function declaringGroup(app: string, groupId: string, account: string): "members" | "exclusive" | undefined {
  const declared = groups().get(groupKey(app, groupId));
  if (declared?.accounts.has(account)) return "members";
  return declared?.exclusive ? "exclusive" : undefined;
}

/** Notes that a ChatGroupMember of this deployment declares `account` in `groupId`. */
export function noteMemberDeclared(app: string, groupId: string, account: string): void {
  const key = groupKey(app, groupId);
  const accounts = memberships().get(key) ?? new Set<string>();
  memberships().set(key, accounts.add(account));
}

/** The accounts among `accounts` (all, for a group declared exclusively) that a ChatGroupMember of this deployment declares in `groupId`. */
export function declaredAsMemberships(app: string, groupId: string, accounts: readonly string[] | "all"): string[] {
  const declared = [...(memberships().get(groupKey(app, groupId)) ?? [])];
  return accounts === "all" ? declared.sort() : accounts.filter((account) => declared.includes(account));
}
