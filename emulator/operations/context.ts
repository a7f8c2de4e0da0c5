import { ApiFailure, Code } from "../errors";
import type { GroupRecord } from "../model";
import type { Store } from "../state";
import type { Body } from "./fields";

/** What an operation may use besides its request body. */
export interface OperationContext {
  store: Store;
  sdkAppId: number;
  /** The admin identifier of the request. */
  identifier: string;
  /** Unix seconds. */
  now(): number;
  /** A number in [0, 1). */
  random(): number;
}

/** One REST command. `mutates` makes the server persist before answering. */
export interface Operation {
  mutates: boolean;
  /** Parse the body and print the answer without losing 64-bit integers. */
  lossless?: boolean;
  run(body: Body, ctx: OperationContext): Record<string, unknown>;
}

/** The group, or 10010 as the service answers for a missing or dissolved group. */
export function existingGroup(ctx: OperationContext, groupId: string): GroupRecord {
  const group = ctx.store.groups.get(groupId);
  if (!group) throw new ApiFailure(Code.groupGone, "this group does not exist");
  return group;
}

export function requireAccount(ctx: OperationContext, account: string): void {
  if (!ctx.store.accounts.has(account)) {
    throw new ApiFailure(Code.accountMissing, `account ${account} does not exist, import it first`);
  }
}
