/**
 * The orphan sweep: objects this package generated for a resource one of the given stacks'
 * states holds, that no state references. They are what an interrupted `pulumi up --replace`
 * (or any replacement cut short) leaves behind: the resource's next incarnation, made while
 * the state kept the one before.
 *
 * An object is selected only when its ID is exactly one of the incarnations of a resource in
 * a given state (recomputed from the resource's seed, never matched by pattern), is not found
 * anywhere in any given state, and was made after the incarnation the state holds. So the
 * groups of a stack whose state file was not given, a group let go with `retainOnDelete`
 * (its resource is no longer in a state, or is a newer incarnation), a fixed ID a program
 * chose, and accounts of people are never selected, whatever a state file says.
 *
 * The Chat API has no call that lists accounts: leaked accounts are found among the IDs the
 * states' ChatAccounts generate and among the members of the app's generated groups.
 */
import type { GroupInfo } from "../../chat-api/bodies";
import { CODE } from "../../chat-api/codes";
import { ChatClient } from "../client/client";
import type { ChatClientOptions } from "../client/options";
import { generatedUserId, groupSeedHash, incarnationOfUserId, seedOfGroupId } from "../common/identity";
import { describeGroup, removeGroups, type SweepCandidate, type SweepFailure, type SweepProgress } from "./app-groups";
import { readStackExports, type StackReferences, StateFileError } from "./states";
import { validateCommon } from "./sweep";

/** Incarnations of each ChatAccount's ID that are checked. */
const ACCOUNT_INCARNATIONS = 20;

/** A group younger than this may be one a running `pulumi up` has not saved yet. */
export const DEFAULT_ORPHAN_AGE_SECONDS = 3600;

/** The stack states that hold what is not an orphan, and what to do with the rest. */
export interface OrphanSweepOptions {
  /** A client, or the settings to make one. */
  client: ChatClient | ChatClientOptions;
  /** `pulumi stack export` output of every stack that uses the app: at least one. */
  states: readonly { name: string; json: unknown }[];
  /** Also find accounts generated for the states' ChatAccounts. @default false */
  accounts?: boolean;
  /** Only groups created at least this long ago, in seconds. @default 3600 */
  olderThanSeconds?: number;
  /** Remove what is found; otherwise only report it. @default false */
  remove?: boolean;
  /** Group IDs per get_appid_group_list page. @default 10000 */
  pageSize?: number;
  /** Removals under way at once. @default 32 */
  concurrency?: number;
  /** Unix milliseconds. @default Date.now */
  now?: () => number;
  onProgress?: (progress: SweepProgress) => void;
}

/** An orphan the sweep found and left alone, and why. */
export interface SkippedOrphan {
  groupId: string;
  reason: "younger than the age asked for" | "older than the incarnation its state holds";
}

/** The orphans an orphan sweep found, what it removed and what failed. */
export interface OrphanReport {
  dryRun: boolean;
  /** State files read. */
  states: number;
  /** The stack each file is the state of (`<project>/<stack>`, from its resources' URNs). */
  stacks: { state: string; stack?: string }[];
  /** Groups in the app when listed. */
  scanned: number;
  /** Generated groups no state references. */
  groups: SweepCandidate[];
  /**
   * Generated groups no state references that are left alone: too young (a running `up` may
   * not have saved them yet), or older than the incarnation their state holds (one let go
   * with `retainOnDelete` before the resource was declared again).
   */
  skipped: SkippedOrphan[];
  /** Generated accounts no state references (only with `accounts`). */
  accounts: string[];
  removed: string[];
  alreadyGone: string[];
  failed: SweepFailure[];
}

/** Seeds by the hash their generated group IDs carry. */
function seedsByHash(refs: StackReferences): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { seed } of refs.groups) {
    const hash = groupSeedHash(seed);
    out.set(hash, [...(out.get(hash) ?? []), seed]);
  }
  return out;
}

/**
 * A state none of whose groups is in the app was written for another app (or region, or
 * emulator): its seeds and IDs say nothing about this one.
 */
function refuseForeignStates(refs: StackReferences, appGroupIds: ReadonlySet<string>, sdkAppId: number): void {
  for (const { state, ids } of refs.heldGroups) {
    if (ids.length > 0 && !ids.some((id) => appGroupIds.has(id))) {
      throw new StateFileError(
        `${state} holds ${ids.length} group(s), none of which is in app ${sdkAppId}: it is the state of a stack of another app or region ` +
          "(or its groups were all removed by hand). Give the states of the stacks that use this app.",
      );
    }
  }
}

/**
 * Lists the groups (and, opted in, accounts) generated for resources of the given stack
 * states that none of them holds and, with `remove`, deletes them.
 */
export async function sweepOrphans(options: OrphanSweepOptions): Promise<OrphanReport> {
  validateCommon(options);
  const refs = readStackExports(options.states);
  const client = options.client instanceof ChatClient ? options.client : new ChatClient(options.client);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const olderThan = options.olderThanSeconds ?? DEFAULT_ORPHAN_AGE_SECONDS;

  const ids = await client.allGroupIds({ pageSize: options.pageSize });
  refuseForeignStates(refs, new Set(ids), client.sdkAppId);
  const bySeed = seedsByHash(refs);
  const seedOf = new Map(
    ids.flatMap((id) => {
      const seed = seedOfGroupId(id, bySeed);
      return seed ? [[id, seed] as const] : [];
    }),
  );
  const heldIds = new Set(refs.groups.flatMap((g) => (g.heldId ? [g.heldId] : [])));
  const infos = await client.getGroupInfo([...new Set([...seedOf.keys(), ...heldIds])]);
  const live = new Map(infos.filter((g) => g.ErrorCode === 0).map((g) => [g.GroupId, g]));
  /** When each seed's held incarnation was made. */
  const heldSince = new Map<string, number>();
  for (const g of refs.groups) {
    const created = g.heldId ? live.get(g.heldId)?.CreateTime : undefined;
    if (created !== undefined) heldSince.set(g.seed, Math.max(heldSince.get(g.seed) ?? 0, created));
  }

  const groups: SweepCandidate[] = [];
  const skipped: SkippedOrphan[] = [];
  for (const [id, seed] of seedOf) {
    const info = live.get(id);
    if (!info || refs.protectedIds.has(id)) continue;
    const candidate = describeGroup(info, nowSeconds);
    if ((info.CreateTime ?? 0) < (heldSince.get(seed) ?? 0))
      skipped.push({ groupId: id, reason: "older than the incarnation its state holds" });
    else if (candidate.ageSeconds < olderThan) skipped.push({ groupId: id, reason: "younger than the age asked for" });
    else groups.push(candidate);
  }

  const accounts = options.accounts ? await orphanAccounts(client, refs, [...live.values()]) : [];
  const report: OrphanReport = {
    dryRun: !options.remove,
    states: options.states.length,
    stacks: refs.stacks,
    scanned: ids.length,
    groups,
    skipped,
    accounts,
    removed: [],
    alreadyGone: [],
    failed: [],
  };
  if (!options.remove) return report;
  Object.assign(
    report,
    await removeGroups(
      client,
      groups.map((g) => g.groupId),
      options,
    ),
  );
  if (accounts.length) {
    for (const r of await client.deleteAccounts(accounts)) {
      if (r.resultCode === 0 || r.resultCode === CODE.accountNotFound) report.removed.push(r.userId);
      if (r.resultCode === CODE.accountNotFound) report.alreadyGone.push(r.userId);
      if (r.resultCode !== 0 && r.resultCode !== CODE.accountNotFound)
        report.failed.push({ groupId: r.userId, errorCode: r.resultCode, message: r.resultInfo });
    }
  }
  return report;
}

/**
 * Accounts generated for the states' ChatAccounts that no state references and that exist:
 * their first incarnations, and any incarnation met among the members of the given groups.
 */
async function orphanAccounts(
  client: ChatClient,
  refs: StackReferences,
  groups: readonly GroupInfo[],
): Promise<string[]> {
  const candidates = new Set<string>();
  for (const { prefix, seed } of refs.accounts)
    for (let n = 1; n <= ACCOUNT_INCARNATIONS; n++) candidates.add(generatedUserId(prefix, seed, n));
  const people = groups.flatMap((g) => [...(g.MemberList ?? []).map((m) => m.Member_Account), g.Owner_Account ?? ""]);
  for (const id of people)
    if (refs.accounts.some(({ prefix, seed }) => incarnationOfUserId(id, prefix, seed) !== undefined))
      candidates.add(id);
  const exists = await client.checkAccounts([...candidates].filter((id) => !refs.protectedIds.has(id)));
  return [...exists]
    .filter(([, imported]) => imported)
    .map(([id]) => id)
    .sort();
}
