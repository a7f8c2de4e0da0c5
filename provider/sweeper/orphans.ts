/**
 * The orphan sweep: objects this package generated that no given stack's state references.
 * They are what an interrupted `pulumi up --replace`, a `pulumi stack rm --force` or lost
 * state leave behind. Given the exports of the stacks that use the app, it lists (and with
 * `remove`, deletes) groups with a generated ID (`pulumi-…`) none of them holds, and, when
 * asked, accounts generated from a `userIdPrefix` those states use.
 *
 * The Chat API has no call that lists accounts: leaked accounts are found among the IDs the
 * states' ChatAccounts generate and among the members of the app's generated groups.
 */
import { ChatClient } from "../client/client";
import type { ChatClientOptions } from "../client/options";
import { generatedUserId, generatedUserIdPattern, isGeneratedGroupId } from "../dynamic/identity";
import { describeGroup, removeGroups, type SweepCandidate, type SweepFailure, type SweepProgress } from "./app-groups";
import { readStackExports } from "./states";
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
  /** Also find accounts generated from the states' `userIdPrefix`es. @default false */
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

/** The orphans an orphan sweep found, what it removed and what failed. */
export interface OrphanReport {
  dryRun: boolean;
  /** State files read. */
  states: number;
  /** Groups in the app when listed. */
  scanned: number;
  /** Generated groups no state references. */
  groups: SweepCandidate[];
  /** Generated accounts no state references (only with `accounts`). */
  accounts: string[];
  removed: string[];
  alreadyGone: string[];
  failed: SweepFailure[];
}

/** account_delete's ResultCode for an account that does not exist. */
const ACCOUNT_NOT_IMPORTED = 70107;

/**
 * Lists the groups (and, opted in, accounts) with this provider's generated IDs that none of the
 * given stack states holds and, with `remove`, deletes them.
 */
export async function sweepOrphans(options: OrphanSweepOptions): Promise<OrphanReport> {
  validateCommon(options);
  const refs = readStackExports(options.states);
  const client = options.client instanceof ChatClient ? options.client : new ChatClient(options.client);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const olderThan = options.olderThanSeconds ?? DEFAULT_ORPHAN_AGE_SECONDS;

  const ids = await client.allGroupIds({ pageSize: options.pageSize });
  const generated = await client.getGroupInfo(ids.filter(isGeneratedGroupId));
  const groups = generated
    .filter((g) => g.ErrorCode === 0 && !refs.groups.has(g.GroupId))
    .map((g) => describeGroup(g, nowSeconds))
    .filter((c) => c.ageSeconds >= olderThan);

  let accounts: string[] = [];
  if (options.accounts) {
    const patterns = [...new Set(refs.accountSeeds.map((s) => s.prefix))].map(generatedUserIdPattern);
    const candidates = new Set<string>();
    for (const { prefix, seed } of refs.accountSeeds) for (let n = 1; n <= ACCOUNT_INCARNATIONS; n++) candidates.add(generatedUserId(prefix, seed, n));
    for (const g of generated) for (const m of [...(g.MemberList ?? []).map((x) => x.Member_Account), g.Owner_Account ?? ""]) if (patterns.some((p) => p.test(m))) candidates.add(m);
    const exists = await client.checkAccounts([...candidates].filter((id) => !refs.accounts.has(id)));
    accounts = [...exists].filter(([, imported]) => imported).map(([id]) => id).sort();
  }

  const report: OrphanReport = { dryRun: !options.remove, states: options.states.length, scanned: ids.length, groups, accounts, removed: [], alreadyGone: [], failed: [] };
  if (!options.remove) return report;
  Object.assign(report, await removeGroups(client, groups.map((g) => g.groupId), options));
  if (accounts.length) {
    for (const r of await client.deleteAccounts(accounts)) {
      if (r.resultCode === 0 || r.resultCode === ACCOUNT_NOT_IMPORTED) report.removed.push(r.userId);
      if (r.resultCode === ACCOUNT_NOT_IMPORTED) report.alreadyGone.push(r.userId);
      if (r.resultCode !== 0 && r.resultCode !== ACCOUNT_NOT_IMPORTED) report.failed.push({ groupId: r.userId, errorCode: r.resultCode, message: r.resultInfo });
    }
  }
  return report;
}
