/**
 * Account commands of `im_open_login_svc`, so that group owners and members are real
 * imported accounts: account_import, multiaccount_import, account_check, account_delete.
 */
import { EXTENDED_ACCOUNT_ID, RECOMMENDED_ACCOUNT_ID } from "../../chat-api/accounts";
import { utf8Bytes } from "../../chat-api/text";
import { ApiFailure, CODE } from "../errors";
import { REIMPORT_BLOCK_SECONDS } from "../policy";
import type { Operation, OperationContext } from "./context";
import { type Body, MAX_ACCOUNT_BYTES, objectItem, optionalString, requiredArray } from "./fields";

const MAX_BATCH = 100;
/** ResultCode and text the service gives for an account that was never imported. */
const NOT_IMPORTED = { code: 70107, info: "Err_TLS_PT_Open_Login_Account_Not_Exist" } as const;

function accountInvalid(info: string): never {
  throw new ApiFailure(CODE.accountInvalidParam, info);
}

/** A UserID the app takes: the characters Tencent recommends, and with `accountIds` "extended" "." and "@" too. */
function checkUserId(userId: unknown, field: string, ctx: OperationContext): string {
  if (typeof userId !== "string" || userId === "") accountInvalid(`${field} is required`);
  if (utf8Bytes(userId) > MAX_ACCOUNT_BYTES) accountInvalid(`${field} is longer than ${MAX_ACCOUNT_BYTES} bytes`);
  if (ctx.policy.accountIds === "extended") {
    if (!EXTENDED_ACCOUNT_ID.test(userId)) accountInvalid(`${field} may hold only A-Z, a-z, 0-9, _, -, . and @`);
  } else if (!RECOMMENDED_ACCOUNT_ID.test(userId)) {
    accountInvalid(`${field} may hold only A-Z, a-z, 0-9, _ and -`);
  }
  return userId;
}

function batch(body: Body, field: string): unknown[] {
  const items = requiredArray(body, field);
  if (items.length > MAX_BATCH) accountInvalid(`${field} holds more than ${MAX_BATCH} accounts`);
  return items;
}

function importAccount(ctx: OperationContext, userId: string, nick?: string, faceUrl?: string): void {
  const deletedAt = ctx.store.deletedAccounts.get(userId);
  if (ctx.policy.plan !== "trial" && deletedAt !== undefined && ctx.now() - deletedAt < REIMPORT_BLOCK_SECONDS) {
    // The code is on one Chinese account_import page (product 454/1608), not on the Chat one.
    throw new ApiFailure(
      CODE.accountDeletedRecently,
      "deleted accounts cannot be imported again within three months on this plan",
    );
  }
  const existing = ctx.store.accounts.get(userId);
  // Importing an existing account is not an error: it updates what the request names.
  if (existing) {
    if (nick !== undefined) existing.nick = nick;
    if (faceUrl !== undefined) existing.faceUrl = faceUrl;
    return;
  }
  ctx.store.accounts.set(userId, { userId, nick: nick ?? "", faceUrl: faceUrl ?? "", importTime: ctx.now() });
  ctx.store.deletedAccounts.delete(userId);
}

const accountImport: Operation = {
  mutates: true,
  run(body, ctx) {
    // `UserID` is the current field; `Identifier` is what older documents and SDKs send.
    const field = body.UserID !== undefined ? "UserID" : "Identifier";
    const userId = checkUserId(body[field], field, ctx);
    importAccount(ctx, userId, optionalString(body, "Nick", 500), optionalString(body, "FaceUrl", 500));
    return {};
  },
};

const multiaccountImport: Operation = {
  mutates: true,
  run(body, ctx) {
    const failed: string[] = [];
    for (const raw of batch(body, "Accounts")) {
      try {
        importAccount(ctx, checkUserId(raw, "Accounts", ctx));
      } catch {
        failed.push(String(raw));
      }
    }
    return { FailAccounts: failed };
  },
};

function userIds(body: Body, field: string, ctx: OperationContext): string[] {
  return batch(body, field).map((raw) => checkUserId(objectItem(raw, field).UserID, "UserID", ctx));
}

const accountCheck: Operation = {
  mutates: false,
  run(body, ctx) {
    return {
      ResultItem: userIds(body, "CheckItem", ctx).map((UserID) => ({
        UserID,
        ResultCode: 0,
        ResultInfo: "",
        AccountStatus: ctx.store.accounts.has(UserID) ? "Imported" : "NotImported",
      })),
    };
  },
};

const accountDelete: Operation = {
  mutates: true,
  run(body, ctx) {
    return {
      ResultItem: userIds(body, "DeleteItem", ctx).map((UserID) => {
        if (!ctx.store.accounts.delete(UserID)) {
          return { ResultCode: NOT_IMPORTED.code, ResultInfo: NOT_IMPORTED.info, UserID };
        }
        ctx.store.deletedAccounts.set(UserID, ctx.now());
        // "When deleting an account, that user's ... groups ... data will also be deleted":
        // the account leaves every group; a group it owned is left without an owner.
        for (const group of ctx.store.groups.values()) {
          group.members = group.members.filter((m) => m.account !== UserID);
          if (group.owner === UserID) group.owner = "";
        }
        return { ResultCode: 0, ResultInfo: "", UserID };
      }),
    };
  },
};

export const accountOperations: Record<string, Operation> = {
  account_import: accountImport,
  multiaccount_import: multiaccountImport,
  account_check: accountCheck,
  account_delete: accountDelete,
};
