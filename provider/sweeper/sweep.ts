/**
 * The sweeper: finds groups that ephemeral environments leaked (a cancelled `pulumi up`, a
 * `pulumi stack rm --force`, lost state) and removes them. Safe from cron: it selects by a
 * required prefix of at least 3 characters, only lists by default, and counts a group that
 * is already gone as removed.
 */
import type { GroupInfo } from "../../chat-api/bodies";
import { COMMUNITY_ID_PREFIX, GROUP_TYPES, restTypeName } from "../../chat-api/groups";
import { ChatClient } from "../client/client";
import type { ChatClientOptions } from "../client/options";
import {
  describeGroup,
  MAX_PAGE_SIZE,
  removeGroups,
  type SweepCandidate,
  type SweepFailure,
  SweepOptionError,
  type SweepProgress,
} from "./app-groups";

export { type SweepCandidate, type SweepFailure, SweepOptionError, type SweepProgress } from "./app-groups";

/** The shortest prefix a sweep accepts, so that a typo cannot select most of an app. */
export const MIN_PREFIX_LENGTH = 3;

/** What a sweep selects, and whether it removes what it selects. */
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

/** What a sweep selected, removed, found already gone and failed to remove. */
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

function validate(options: SweepOptions): void {
  if (typeof options.prefix !== "string" || options.prefix.trim().length < MIN_PREFIX_LENGTH) {
    throw new SweepOptionError(
      `prefix must be at least ${MIN_PREFIX_LENGTH} characters, so that a sweep cannot select every group by accident`,
    );
  }
  validateCommon(options);
  if (options.type !== undefined && !(GROUP_TYPES as readonly string[]).includes(restTypeName(options.type))) {
    throw new SweepOptionError(
      `type must be one of ${GROUP_TYPES.join(", ")} (or Work, Meeting), got "${options.type}"`,
    );
  }
}

/** Checks what every sweep takes, before any call. */
export function validateCommon(options: { olderThanSeconds?: number; pageSize?: number; concurrency?: number }): void {
  if (options.olderThanSeconds !== undefined && !(options.olderThanSeconds >= 0))
    throw new SweepOptionError("olderThan must be a duration of 0 or more");
  if (
    options.pageSize !== undefined &&
    !(Number.isInteger(options.pageSize) && options.pageSize >= 1 && options.pageSize <= MAX_PAGE_SIZE)
  ) {
    throw new SweepOptionError(`page size must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
    throw new SweepOptionError("concurrency must be a whole number of 1 or more");
  }
}

/**
 * Whether a group is selected by `prefix`: its GroupId, the part of a Community's after the
 * `@TGS#_` every Community ID begins with (so `pr-` finds `@TGS#_pr-123-community`), or its name.
 */
function matchesPrefix(g: GroupInfo, prefix: string): boolean {
  const custom = g.GroupId.startsWith(COMMUNITY_ID_PREFIX) ? g.GroupId.slice(COMMUNITY_ID_PREFIX.length) : undefined;
  return g.GroupId.startsWith(prefix) || custom?.startsWith(prefix) === true || (g.Name ?? "").startsWith(prefix);
}

function select(
  groups: GroupInfo[],
  options: SweepOptions,
  type: string | undefined,
  nowSeconds: number,
): SweepCandidate[] {
  return groups
    .filter((g) => g.ErrorCode === 0)
    .filter((g) => matchesPrefix(g, options.prefix))
    .filter((g) => !type || restTypeName(g.Type ?? "") === type)
    .map((g) => describeGroup(g, nowSeconds))
    .filter((c) => options.olderThanSeconds === undefined || c.ageSeconds >= options.olderThanSeconds);
}

/**
 * Lists the app's groups whose GroupId or name starts with `prefix` (and match the age and type
 * filters) and, with `remove`, disbands them. Groups already gone count as removed.
 */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  validate(options);
  const client = options.client instanceof ChatClient ? options.client : new ChatClient(options.client);
  const now = options.now ?? Date.now;
  const type = options.type ? restTypeName(options.type) : undefined;

  const ids = await client.allGroupIds({ pageSize: options.pageSize, groupType: type });
  const selected = select(await client.getGroupInfo(ids, { members: false }), options, type, Math.floor(now() / 1000));
  const report: SweepReport = {
    dryRun: !options.remove,
    prefix: options.prefix,
    scanned: ids.length,
    selected,
    removed: [],
    alreadyGone: [],
    failed: [],
  };
  if (!options.remove) return report;

  Object.assign(
    report,
    await removeGroups(
      client,
      selected.map((c) => c.groupId),
      options,
    ),
  );
  return report;
}
