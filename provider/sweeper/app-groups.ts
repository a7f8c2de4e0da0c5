/**
 * What both sweeps do with an app's groups: list them all, describe candidates, and remove
 * them at the rate limit, counting a group already gone as removed.
 */
import type { GroupInfo } from "../../chat-api/bodies";
import type { ChatClient } from "../client/client";
import { isChatApiError } from "../client/errors";

/** A group a sweep selected. */
export interface SweepCandidate {
  groupId: string;
  type: string;
  name: string;
  createTime: number;
  ageSeconds: number;
  memberCount: number;
}

/** A group a sweep could not disband, and why. */
export interface SweepFailure {
  /** The group (or account) that could not be removed. */
  groupId: string;
  errorCode: number;
  message: string;
}

/** How far a sweep has got, reported as it goes. */
export interface SweepProgress {
  done: number;
  total: number;
  failed: number;
  /** Removals per second so far. */
  rate: number;
  /** Seconds left at that rate. */
  secondsLeft: number;
}

/** What a removal run adds to a report. */
export interface Removals {
  removed: string[];
  alreadyGone: string[];
  failed: SweepFailure[];
}

/** A sweep was asked for with options that cannot work; nothing was called. */
export class SweepOptionError extends Error {
  override name = "SweepOptionError";
}

/** Most IDs get_appid_group_list returns a page (doc 1614). */
export const MAX_PAGE_SIZE = 10000;

export function describeGroup(g: GroupInfo, nowSeconds: number): SweepCandidate {
  return {
    groupId: g.GroupId,
    type: g.Type ?? "",
    name: g.Name ?? "",
    createTime: g.CreateTime ?? 0,
    ageSeconds: Math.max(0, nowSeconds - (g.CreateTime ?? nowSeconds)),
    memberCount: g.MemberNum ?? 0,
  };
}

/** Destroys `groupIds`, `concurrency` at a time (the client paces them), reporting progress. */
export async function removeGroups(
  client: ChatClient,
  groupIds: readonly string[],
  options: { concurrency?: number; now?: () => number; onProgress?: (p: SweepProgress) => void },
): Promise<Removals> {
  const out: Removals = { removed: [], alreadyGone: [], failed: [] };
  const now = options.now ?? Date.now;
  const started = now();
  const tell = () => {
    const done = out.removed.length + out.failed.length;
    const rate = done / Math.max(0.001, (now() - started) / 1000);
    options.onProgress?.({
      done,
      total: groupIds.length,
      failed: out.failed.length,
      rate,
      secondsLeft: rate > 0 ? (groupIds.length - done) / rate : 0,
    });
  };
  let next = 0;
  const worker = async () => {
    while (next < groupIds.length) {
      const groupId = groupIds[next++];
      try {
        const outcome = await client.destroyGroup(groupId);
        out.removed.push(groupId);
        if (outcome === "already-gone") out.alreadyGone.push(groupId);
      } catch (err) {
        out.failed.push({
          groupId,
          errorCode: isChatApiError(err) ? err.errorCode : 0,
          message: err instanceof Error ? err.message : String(err),
        });
      }
      tell();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 32) }, worker));
  return out;
}
