/**
 * Profile commands of the `profile` service, for account nicknames and avatars:
 * portrait_set and portrait_get (Tencent's docs 34916 and 34917).
 */
import { CODE } from "../../chat-api/codes";
import { utf8Bytes } from "../../chat-api/text";
import { ApiFailure } from "../errors";
import type { Operation, OperationContext } from "./context";
import { objectItem, requiredArray, requiredString } from "./fields";

const BAD_PROFILE = CODE.profileBadRequest;
const NO_ACCOUNT = CODE.profileAccountNotFound;

/** Standard profile fields the emulator keeps, and their limit in bytes. */
const TAGS: Record<string, { field: "nick" | "faceUrl"; max: number }> = {
  Tag_Profile_IM_Nick: { field: "nick", max: 500 },
  Tag_Profile_IM_Image: { field: "faceUrl", max: 500 },
};

function account(ctx: OperationContext, userId: string) {
  const found = ctx.store.accounts.get(userId);
  if (!found) throw new ApiFailure(NO_ACCOUNT, `Err_Profile_Account_Not_Exist: ${userId}`);
  return found;
}

const portraitSet: Operation = {
  mutates: true,
  run(body, ctx) {
    const target = account(ctx, requiredString(body, "From_Account"));
    const changes: [keyof typeof target, string][] = [];
    for (const raw of requiredArray(body, "ProfileItem")) {
      const item = objectItem(raw, "ProfileItem");
      const tag = TAGS[String(item.Tag)];
      if (!tag)
        throw new ApiFailure(CODE.profileUnknownTag, `Err_Profile_Tag_Not_Exist: unknown Tag ${String(item.Tag)}`);
      if (typeof item.Value !== "string")
        throw new ApiFailure(BAD_PROFILE, `Err_Profile_Comm_Decode_Fail: ${String(item.Tag)} must be a string`);
      if (utf8Bytes(item.Value) > tag.max)
        throw new ApiFailure(
          CODE.profileValueTooLong,
          `Err_Profile_Value_Exceed_Limit: ${String(item.Tag)} is over ${tag.max} bytes`,
        );
      changes.push([tag.field, item.Value]);
    }
    for (const [field, value] of changes) (target as unknown as Record<string, string>)[field] = value;
    return { ErrorDisplay: "" };
  },
};

const portraitGet: Operation = {
  mutates: false,
  run(body, ctx) {
    const ids = requiredArray(body, "To_Account");
    if (ids.length > 100) throw new ApiFailure(BAD_PROFILE, "To_Account holds more than 100 accounts");
    const tags = requiredArray(body, "TagList").map(String);
    const missing = ids.map(String).filter((id) => !ctx.store.accounts.has(id));
    if (missing.length && ctx.policy.missingProfileAnswer === "call")
      throw new ApiFailure(NO_ACCOUNT, `Err_Profile_Account_Not_Exist: ${missing.join(",")}`);
    return {
      UserProfileItem: ids.map((id) => {
        const found = ctx.store.accounts.get(String(id));
        if (!found)
          return {
            To_Account: String(id),
            ProfileItem: [],
            ResultCode: NO_ACCOUNT,
            ResultInfo: "Err_Profile_Account_Not_Exist",
          };
        const ProfileItem = tags.filter((t) => TAGS[t]).map((Tag) => ({ Tag, Value: found[TAGS[Tag].field] }));
        return { To_Account: found.userId, ProfileItem, ResultCode: 0, ResultInfo: "" };
      }),
    };
  },
};

export const profileOperations: Record<string, Operation> = {
  portrait_set: portraitSet,
  portrait_get: portraitGet,
};
