/** ChatAccount inputs: validated and normalised in `check`, without calling the API. */
import { z } from "zod";
import { accountId, ACCOUNT_ID, appName, type CheckFailure, type CheckOutcome, flag, runCheck, text } from "../dynamic/check";
import { MAX_USER_ID_PREFIX } from "../dynamic/identity";

export const ACCOUNT_LIMITS = { nick: 500, faceUrl: 500 } as const;

export interface ChatAccountInputs {
  /** The app profile (of `tencent-chat:apps`) the object lives in; absent: the top-level settings. */
  app?: string;
  /** The account ID the program chose; absent when generated from `userIdPrefix`. */
  userId?: string;
  /** Prefix of a generated account ID, new for every incarnation of the resource. */
  userIdPrefix?: string;
  /** What a generated ID is derived from, set by the resource class. */
  idSeed?: string;
  /** Managed only when declared. */
  nick?: string;
  /** Managed only when declared. */
  faceUrl?: string;
  adoptExisting: boolean;
}

const SHAPE = {
  userId: accountId("userId").optional(),
  userIdPrefix: text("userIdPrefix", MAX_USER_ID_PREFIX)
    .refine((s) => ACCOUNT_ID.pattern.test(s), 'userIdPrefix may hold only letters, digits, "_" and "-"')
    .optional(),
  nick: text("nick", ACCOUNT_LIMITS.nick).optional(),
  faceUrl: text("faceUrl", ACCOUNT_LIMITS.faceUrl).optional(),
  adoptExisting: flag("adoptExisting").default(false),
  app: appName("app").optional(),
};

/** The properties ChatAccount takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatAccountProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

function crossFieldFailures(v: Parsed, unknown: Record<string, unknown>, admin: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const hasId = v.userId !== undefined || "userId" in unknown;
  const hasPrefix = v.userIdPrefix !== undefined || "userIdPrefix" in unknown;
  if (!hasId && !hasPrefix) failures.push({ property: "userId", reason: "userId is required (or userIdPrefix, to have one generated)" });
  if (hasId && hasPrefix) failures.push({ property: "userIdPrefix", reason: "set userId or userIdPrefix, not both" });
  if (hasPrefix && v.adoptExisting) failures.push({ property: "adoptExisting", reason: "adoptExisting takes over an account by its userId; a generated one needs no adopting" });
  if (v.userId === admin) {
    failures.push({
      property: "userId",
      reason: `${admin} is the App admin every request is signed as (tencent-chat:identifier); a stack must not manage it, or \`pulumi destroy\` would delete it`,
    });
  }
  return failures;
}

/** Validates and normalises `news`; `admin` is the configured App admin identifier, which is refused. */
export function checkAccountInputs(olds: Record<string, unknown>, news: Record<string, unknown>, admin: string): CheckOutcome {
  return runCheck({ kind: "ChatAccount", shape: SHAPE, crossField: (v, unknown) => crossFieldFailures(v, unknown, admin) }, olds, news);
}
