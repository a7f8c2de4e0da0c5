import { ApiFailure, CODE } from "../errors";
import type { GroupRecord } from "../model";
import type { Policy } from "../policy";
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
  /** How the app behaves where that depends on the app (see policy.ts). */
  policy: Policy;
  /**
   * add_group_member `Result`s forced by a fault: these accounts are not added, and answered
   * 0 (failed) or 3 (waiting for the invitee). `"*"` stands for every account of the call.
   */
  memberResults?: ReadonlyMap<string, 0 | 3>;
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
  if (!group) throw new ApiFailure(CODE.groupGone, "this group does not exist");
  return group;
}

export function requireAccount(ctx: OperationContext, account: string): void {
  if (!ctx.store.accounts.has(account)) {
    throw new ApiFailure(CODE.accountMissing, `account ${account} does not exist, import it first`);
  }
}

/**
 * An ID the service makes up: `make` given nine random letters and digits, drawn again until
 * `taken` says the ID is free.
 */
export function randomId(
  ctx: OperationContext,
  make: (tail: string) => string,
  taken: (id: string) => boolean,
): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (;;) {
    let tail = "";
    for (let i = 0; i < 9; i++) tail += alphabet[Math.floor(ctx.random() * alphabet.length)];
    const id = make(tail);
    if (!taken(id)) return id;
  }
}
