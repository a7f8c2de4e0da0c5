/** ChatAccount inputs: validated and normalised in `check`, without calling the API. */
import { z } from "zod";
import { type CheckFailure, checkFailures, utf8Bytes as bytes, withoutUndefined } from "../dynamic/check";

export const ACCOUNT_LIMITS = { userId: 32, nick: 500, faceUrl: 500 } as const;

export interface ChatAccountInputs {
  userId: string;
  /** Managed only when declared. */
  nick?: string;
  /** Managed only when declared. */
  faceUrl?: string;
  adoptExisting: boolean;
}

const Schema = z.object({
  userId: z
    .string({ error: "userId is required" })
    .min(1, "userId must not be empty")
    .refine((s) => bytes(s) <= ACCOUNT_LIMITS.userId, `userId must be at most ${ACCOUNT_LIMITS.userId} bytes`)
    .refine((s) => /^[A-Za-z0-9_-]*$/.test(s), 'userId may hold only letters, digits, "_" and "-"'),
  nick: z
    .string({ error: "nick must be a string" })
    .refine((s) => bytes(s) <= ACCOUNT_LIMITS.nick, `nick must be at most ${ACCOUNT_LIMITS.nick} bytes in UTF-8`)
    .optional(),
  faceUrl: z
    .string({ error: "faceUrl must be a string" })
    .refine((s) => bytes(s) <= ACCOUNT_LIMITS.faceUrl, `faceUrl must be at most ${ACCOUNT_LIMITS.faceUrl} bytes`)
    .optional(),
  adoptExisting: z.boolean({ error: "adoptExisting must be true or false" }).default(false),
});

export function checkAccountInputs(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const candidate = Object.fromEntries(Object.entries(news).filter(([k, v]) => k !== "__provider" && v !== undefined && v !== null));
  const parsed = Schema.safeParse(candidate);
  if (!parsed.success) {
    return { inputs: news, failures: checkFailures(parsed.error) };
  }
  return { inputs: withoutUndefined(parsed.data), failures: [] };
}
