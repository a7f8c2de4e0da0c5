/**
 * What every resource's `check` shares: telling known values from those Pulumi does not know
 * yet (preview), refusing properties a resource does not take, naming the expected type, UTF-8
 * byte limits, and failures as data.
 */
import { z } from "zod";

import { ACCOUNT_ID_MAX_BYTES, EXTENDED_ACCOUNT_ID, RECOMMENDED_ACCOUNT_ID } from "../../chat-api/accounts";
import { LONE_SURROGATE, utf8Bytes } from "../../chat-api/text";
import { APP_NAME, APPS_KEY } from "./config";
import { SEED_PROPERTY } from "./identity";
import { OPTIONS_PROPERTY, readOptions } from "./options";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** What `check` hands back to Pulumi. */
export interface CheckOutcome {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** Pulumi's marker for a value not known until apply (shown during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value, or anything inside it, is not known yet. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(isUnknown);
  return false;
}

/** The `app` a resource's properties name, if any is known (a preview may not know it yet). */
export const appOf = (props: Record<string, unknown> | undefined): string | undefined =>
  typeof props?.app === "string" && props.app !== UNKNOWN ? props.app : undefined;

/**
 * The `app` a saved state entry names, checked as `check` checks it: the state is input too,
 * and an empty name would reach the top-level app's client, a name with a newline the error
 * texts. Undefined when the entry names none (the top-level settings).
 */
export function savedAppOf(props: Record<string, unknown> | undefined): string | undefined {
  const app = props?.app;
  if (app === undefined || app === null) return undefined;
  if (typeof app === "string" && APP_NAME.test(app)) return app;
  const shown = JSON.stringify(app) ?? typeOf(app);
  throw new Error(
    `the state names app ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}, which is not a profile name of ${APPS_KEY} (a letter, then letters, digits, "_" and "-", at most 32): ` +
      "was the state edited by hand? Put back the profile name the resource was made with (pulumi stack export, edit, pulumi stack import)",
  );
}

/**
 * The checked inputs `diff` is given, and the properties among them Pulumi does not know yet
 * (in a preview: the whole value, or a member, element or map value of it). The known ones are
 * read with `read` and must come back as `check` handed them out: a default standing in for
 * an unknown value would make a preview say "no change" where `up` changes or replaces, so
 * nothing here falls back.
 */
export function readNews<T extends object>(
  read: (props: Record<string, unknown>) => T,
  news: Record<string, unknown>,
): { want: T; pending: Set<string> } {
  const pending = new Set(Object.keys(news).filter((k) => isUnknown(news[k])));
  const known = Object.fromEntries(Object.entries(news).filter(([k]) => !pending.has(k)));
  const want = read(known);
  for (const [key, value] of Object.entries(known)) {
    if (!(key in want) || JSON.stringify((want as Record<string, unknown>)[key]) === JSON.stringify(value)) continue;
    throw new Error(
      `the checked input ${key} is not one check hands out (${typeOf(value)}): the program and the provider are of different versions; run \`npm ci\``,
    );
  }
  return { want, pending };
}

/** How a value that has the wrong type is described: "a number", "a list", "an object". */
export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "object":
      return "an object";
    case "undefined":
      return "nothing";
    default:
      return `a ${typeof value}`;
  }
}

/** zod's type error, worded for a user: what the property must be, and what it got. */
const wrongType = (property: string, wanted: string) => (issue: { code?: string; input?: unknown }) => {
  if (issue.code !== "invalid_type") return undefined;
  return issue.input === undefined
    ? `${property} is required`
    : `${property} must be ${wanted}, got ${typeOf(issue.input)}`;
};

/** A string property, with its limit in UTF-8 bytes, refusing half characters. */
export function text(property: string, maxBytes?: number) {
  let schema = z.string({ error: wrongType(property, "a string") }).refine((s) => !LONE_SURROGATE.test(s), {
    message: `${property} holds a lone UTF-16 surrogate (half of a character), which cannot be sent as UTF-8`,
  });
  if (maxBytes !== undefined) {
    schema = schema.refine(
      (s) => utf8Bytes(s) <= maxBytes,
      `${property} must be at most ${maxBytes} bytes in UTF-8 (a CJK character takes 3)`,
    );
  }
  return schema;
}

/** The `app` every resource takes: the name of a profile of `tencent-chat:apps`. */
export const appName = (property: string) =>
  text(property).refine(
    (s) => APP_NAME.test(s),
    `${property} must name a profile of ${APPS_KEY}: a letter, then letters, digits, "_" and "-", at most 32`,
  );

/** A true/false property. */
export const flag = (property: string) => z.boolean({ error: wrongType(property, "true or false") });

/** A whole-number property. */
export const wholeNumber = (property: string) =>
  z.number({ error: wrongType(property, "a number") }).int(`${property} must be a whole number`);

/** One of a fixed list of strings. */
export const oneOf = <T extends readonly [string, ...string[]]>(property: string, values: T) =>
  z.enum(values, {
    error: (issue) =>
      `${property} must be one of ${values.join(", ")}${issue.input === undefined ? "" : `, got ${JSON.stringify(issue.input)}`}`,
  });

/**
 * Account IDs this package makes (a generated ID's prefix): 1 to 32 bytes of the characters
 * Tencent recommends, letters, digits, "_" and "-" (see chat-api/accounts.ts).
 */
export const ACCOUNT_ID = { maxBytes: ACCOUNT_ID_MAX_BYTES, pattern: RECOMMENDED_ACCOUNT_ID } as const;

/**
 * A Chat account ID property: those characters, and "." and "@", which Tencent's pages only
 * advise against and apps hold (an app that refuses them is explained at import).
 */
export const accountId = (property: string) =>
  z
    .string({ error: wrongType(property, "a string (a Chat account ID)") })
    .min(1, `${property} must not be empty`)
    .refine((s) => utf8Bytes(s) <= ACCOUNT_ID.maxBytes, `${property} must be at most ${ACCOUNT_ID.maxBytes} bytes`)
    .refine(
      (s) => s === "" || EXTENDED_ACCOUNT_ID.test(s),
      `${property} may hold only letters, digits, "_", "-", "." and "@" (a Chat account ID)`,
    );

/** A list property. */
export const list = <T extends z.ZodType>(property: string, item: T) =>
  z.array(item, { error: wrongType(property, "a list") });

/** zod's issues as Pulumi check failures, each naming its top-level property. */
export function checkFailures(error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => ({
    property: issue.path.length ? String(issue.path[0]) : "(inputs)",
    reason: issue.message,
  }));
}

/** Pulumi's property structs cannot hold undefined. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Edit distance, for "did you mean …?". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known property closest to a misspelt one, when one is close enough to be meant. */
export function closest(name: string, known: readonly string[]): string | undefined {
  // A shortened or lengthened name ("owner", "nickname") means the property it is part of.
  const lower = name.toLowerCase();
  const part = known.find(
    (k) => name.length >= 3 && (k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase())),
  );
  if (part) return part;
  let best: { name: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (!best || d < best.d) best = { name: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** The inputs a program sent, sorted out before validation. */
export interface PreparedInputs {
  /** Values known now, of properties the resource takes. */
  known: Record<string, unknown>;
  /** Values Pulumi does not know yet (preview), passed through as they are. */
  unknown: Record<string, unknown>;
  /** Properties the resource does not take. */
  failures: CheckFailure[];
}

/** Keys every dynamic resource carries besides its own properties. */
const PLUMBING = new Set(["__provider"]);

/**
 * Sorts a program's inputs: known values to validate, unknown ones to pass through, and a
 * failure for each property the resource does not take (naming the closest one it does).
 * `internal` names properties the resource class sets itself.
 */
export function prepareInputs(
  resource: string,
  news: Record<string, unknown>,
  properties: readonly string[],
  internal: readonly string[] = [],
): PreparedInputs {
  const prepared: PreparedInputs = { known: {}, unknown: {}, failures: [] };
  for (const [key, value] of Object.entries(news)) {
    if (PLUMBING.has(key) || value === undefined || value === null) continue;
    if (!properties.includes(key) && !internal.includes(key)) {
      const guess = closest(key, properties);
      prepared.failures.push({
        property: key,
        reason: `${resource} has no property ${key}${guess ? `; did you mean ${guess}?` : ""} (it takes ${properties.join(", ")})`,
      });
    } else if (isUnknown(value)) {
      prepared.unknown[key] = value;
    } else {
      prepared.known[key] = value;
    }
  }
  return prepared;
}

/**
 * Validates the known values of `prepared` with `shape`, leaving out the properties whose
 * values are unknown (a required property that is unknown is not missing). Returns the
 * parsed values, or the failures.
 */
export function validateKnown<S extends z.ZodRawShape>(
  shape: S,
  prepared: PreparedInputs,
): { ok: true; value: z.output<z.ZodObject<S>> } | { ok: false; failures: CheckFailure[] } {
  const pending = Object.keys(prepared.unknown).filter((k) => k in shape);
  const schema = z.object(shape);
  const parsed = (
    pending.length ? schema.omit(Object.fromEntries(pending.map((k) => [k, true])) as never) : schema
  ).safeParse(prepared.known);
  if (!parsed.success) return { ok: false, failures: checkFailures(parsed.error) };
  return { ok: true, value: parsed.data as z.output<z.ZodObject<S>> };
}

/** What a resource's `check` is made of besides the shared steps. */
export interface CheckRules<S extends z.ZodRawShape> {
  /** The resource kind, for messages. */
  kind: string;
  /** Each property the resource takes, with its schema. */
  shape: S;
  /** Rules across properties, given the parsed known values and the unknown ones. */
  crossField(values: Partial<z.output<z.ZodObject<S>>>, unknown: Record<string, unknown>): CheckFailure[];
  /** The values to hand back, from the parsed ones (normalised, with fields derived from them). */
  normalise?(values: Partial<z.output<z.ZodObject<S>>>, unknown: Record<string, unknown>): object;
}

/**
 * `check` as every resource runs it: refuse properties it does not take, validate the known
 * values, apply the rules across them, then hand back the normalised inputs with the values
 * Pulumi does not know yet, and the seed of generated IDs (`idSeed`, set by the resource class).
 * Nothing depends on the old inputs: every default is derived from the new ones, so a
 * replacement, which the engine checks without them, gets the same.
 */
export function runCheck<S extends z.ZodRawShape>(
  rules: CheckRules<S>,
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): CheckOutcome {
  const prepared = prepareInputs(rules.kind, news, Object.keys(rules.shape), [SEED_PROPERTY, OPTIONS_PROPERTY]);
  const parsed = validateKnown(rules.shape, prepared);
  const failures = [
    ...prepared.failures,
    ...(parsed.ok ? rules.crossField(parsed.value, prepared.unknown) : parsed.failures),
  ];
  if (!parsed.ok || failures.length) return { inputs: news, failures };
  const seed = news[SEED_PROPERTY];
  const options = readOptions(news);
  return {
    inputs: withoutUndefined({
      ...(rules.normalise ? rules.normalise(parsed.value, prepared.unknown) : parsed.value),
      ...prepared.unknown,
      [SEED_PROPERTY]: typeof seed === "string" ? seed : undefined,
      [OPTIONS_PROPERTY]: Object.keys(options).length ? options : undefined,
    }),
    failures: [],
  };
}
