/** What every resource's `check` shares: byte lengths, failures as data, clean properties. */
import type { z } from "zod";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Tencent measures lengths in UTF-8 bytes: a CJK character takes 3. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** zod's issues as Pulumi check failures, each naming its top-level property. */
export function checkFailures(error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => ({ property: issue.path.length ? String(issue.path[0]) : "(inputs)", reason: issue.message }));
}

/** Pulumi's property structs cannot hold undefined. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
