/** ChatAccount inputs: validated and normalised in `check`, without calling the API. */
import type { z } from "zod";

import { type CheckFailure, type CheckOutcome, runCheck } from "../common/check";
import { checkShape } from "../fields/table";
import { type ChatAccountFields, FIELDS } from "./fields";

/** The inputs after `check`: the table's fields, and what a generated ID is derived from (set by the resource class). */
export type ChatAccountInputs = ChatAccountFields & { idSeed?: string };

const SHAPE = checkShape(FIELDS);

/** The properties ChatAccount takes. */
export const PROPERTIES = Object.keys(SHAPE);
export type ChatAccountProperty = keyof typeof SHAPE;

type Parsed = Partial<z.output<z.ZodObject<typeof SHAPE>>>;

function crossFieldFailures(v: Parsed, unknown: Record<string, unknown>, admin: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const hasId = v.userId !== undefined || "userId" in unknown;
  const hasPrefix = v.userIdPrefix !== undefined || "userIdPrefix" in unknown;
  if (!hasId && !hasPrefix)
    failures.push({ property: "userId", reason: "userId is required (or userIdPrefix, to have one generated)" });
  if (hasId && hasPrefix) failures.push({ property: "userIdPrefix", reason: "set userId or userIdPrefix, not both" });
  if (hasPrefix && v.adoptExisting)
    failures.push({
      property: "adoptExisting",
      reason: "adoptExisting takes over an account by its userId; a generated one needs no adopting",
    });
  if (v.userId === admin) {
    failures.push({
      property: "userId",
      reason: `${admin} is the App admin every request is signed as (tencent-chat:identifier); a stack must not manage it, or \`pulumi destroy\` would delete it`,
    });
  }
  return failures;
}

/** Validates and normalises `news`; `admin` is the configured App admin identifier, which is refused. */
export function checkAccountInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  admin: string,
): CheckOutcome {
  return runCheck(
    { kind: "ChatAccount", shape: SHAPE, crossField: (v, unknown) => crossFieldFailures(v, unknown, admin) },
    olds,
    news,
  );
}
