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

const groups = () => registry(GROUPS, () => new Map<string, ReadonlySet<string>>());
const memberships = () => registry(MEMBERSHIPS, () => new Set<string>());
const groupKey = (app: string, groupId: string) => JSON.stringify([app, groupId]);
const key = (app: string, groupId: string, account: string) => JSON.stringify([app, groupId, account]);

/** Notes the accounts a ChatGroup declares in `groupId` (replacing what it declared before). */
export function noteGroupDeclared(app: string, groupId: string, accounts: Iterable<string>): void {
  if (groupId) groups().set(groupKey(app, groupId), new Set(accounts));
}

/** True when a ChatGroup of this deployment declares `account` in `groupId`. */
export function declaringGroup(app: string, groupId: string, account: string): boolean {
  return groups().get(groupKey(app, groupId))?.has(account) === true;
}

/** Notes that a ChatGroupMember of this deployment declares `account` in `groupId`. */
export function noteMemberDeclared(app: string, groupId: string, account: string): void {
  memberships().add(key(app, groupId, account));
}

/** The accounts among `accounts` that a ChatGroupMember of this deployment declares in `groupId`. */
export function declaredAsMemberships(app: string, groupId: string, accounts: readonly string[]): string[] {
  return accounts.filter((account) => memberships().has(key(app, groupId, account)));
}
