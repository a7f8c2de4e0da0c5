/**
 * The sweeper: finds groups that ephemeral environments leaked (a cancelled `pulumi up`, a
 * `pulumi stack rm --force`, lost state) and removes them. Safe from cron: it selects by a
 * required prefix of at least 3 characters, only lists by default, and counts a group that
 * is already gone as removed.
 */
import { ChatClient, type ChatClientOptions } from "../client/client";
import { isChatApiError } from "../client/errors";
import type { GroupInfo } from "../client/schemas";
import { restTypeName } from "../chat-group/inputs";

export const MIN_PREFIX_LENGTH = 3;

export interface SweepOptions {
  /** A client, or the settings to make one. */
  client: ChatClient | ChatClientOptions;
  /** GroupId or name prefix that selects groups; at least 3 characters. */
  prefix: string;
  /** Only groups created at least this long ago, in seconds (from CreateTime). */
  olderThanSeconds?: number;
  /** Only groups of this type (`Work` and `Meeting` are accepted for Private and ChatRoom). */
  type?: string;
  /** Remove the selected groups; otherwise only report them. @default false */
  remove?: boolean;
  /** Group IDs per get_appid_group_list page. @default 10000 */
  pageSize?: number;
  /** Destroys under way at once (the client paces them at the rate limit). @default 32 */
  concurrency?: number;
  /** Unix milliseconds. @default Date.now */
  now?: () => number;
  /** Called as removal progresses. */
  onProgress?: (progress: SweepProgress) => void;
}

export interface SweepCandidate {
  groupId: string;
  type: string;
  name: string;
  createTime: number;
  ageSeconds: number;
  memberCount: number;
}

export interface SweepFailure {
  groupId: string;
  errorCode: number;
  message: string;
}

export interface SweepProgress {
  done: number;
  total: number;
  failed: number;
  /** Removals per second so far. */
  rate: number;
  /** Seconds left at that rate. */
  secondsLeft: number;
}

export interface SweepReport {
  dryRun: boolean;
  prefix: string;
  /** Groups in the app when listed. */
  scanned: number;
  selected: SweepCandidate[];
  /** Removed now, or already gone when asked to remove: both count as removed. */
  removed: string[];
  alreadyGone: string[];
  failed: SweepFailure[];
}

export class SweepOptionError extends Error {
  override name = "SweepOptionError";
}

function validate(options: SweepOptions): void {
  if (typeof options.prefix !== "string" || options.prefix.trim().length < MIN_PREFIX_LENGTH) {
    throw new SweepOptionError(`prefix must be at least ${MIN_PREFIX_LENGTH} characters, so that a sweep cannot select every group by accident`);
  }
  if (options.olderThanSeconds !== undefined && !(options.olderThanSeconds >= 0)) throw new SweepOptionError("olderThan must be a duration of 0 or more");
}

/** Every group ID of the app, page by page, within get_appid_group_list's 1 call a second. */
async function listAll(client: ChatClient, pageSize: number, groupType: string | undefined): Promise<string[]> {
  const ids: string[] = [];
  let next = 0n;
  do {
    const page = await client.listGroups({ limit: pageSize, next, groupType });
    ids.push(...page.groupIds);
    next = page.next;
  } while (next !== 0n);
  return ids;
}

function select(groups: GroupInfo[], options: SweepOptions, type: string | undefined, nowSeconds: number): SweepCandidate[] {
  return groups
    .filter((g) => g.ErrorCode === 0)
    .filter((g) => g.GroupId.startsWith(options.prefix) || (g.Name ?? "").startsWith(options.prefix))
    .filter((g) => !type || restTypeName(g.Type ?? "") === type)
    .map((g) => ({
      groupId: g.GroupId,
      type: g.Type ?? "",
      name: g.Name ?? "",
      createTime: g.CreateTime ?? 0,
      ageSeconds: Math.max(0, nowSeconds - (g.CreateTime ?? nowSeconds)),
      memberCount: g.MemberNum ?? 0,
    }))
    .filter((c) => options.olderThanSeconds === undefined || c.ageSeconds >= options.olderThanSeconds);
}

export async function sweep(options: SweepOptions): Promise<SweepReport> {
  validate(options);
  const client = options.client instanceof ChatClient ? options.client : new ChatClient(options.client);
  const now = options.now ?? Date.now;
  const type = options.type ? restTypeName(options.type) : undefined;

  const ids = await listAll(client, options.pageSize ?? 10000, type);
  const selected = select(await client.getGroupInfo(ids), options, type, Math.floor(now() / 1000));
  const report: SweepReport = { dryRun: !options.remove, prefix: options.prefix, scanned: ids.length, selected, removed: [], alreadyGone: [], failed: [] };
  if (!options.remove) return report;

  const started = now();
  const tell = () => {
    const done = report.removed.length + report.failed.length;
    const rate = done / Math.max(0.001, (now() - started) / 1000);
    options.onProgress?.({ done, total: selected.length, failed: report.failed.length, rate, secondsLeft: rate > 0 ? (selected.length - done) / rate : 0 });
  };
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const { groupId } = selected[next++];
      try {
        const outcome = await client.destroyGroup(groupId);
        report.removed.push(groupId);
        if (outcome === "already-gone") report.alreadyGone.push(groupId);
      } catch (err) {
        report.failed.push({ groupId, errorCode: isChatApiError(err) ? err.errorCode : 0, message: err instanceof Error ? err.message : String(err) });
      }
      tell();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 32) }, worker));
  return report;
}
