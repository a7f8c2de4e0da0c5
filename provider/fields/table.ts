/**
 * A resource as a table of fields: each plain field written once, with how `check` takes it,
 * how a saved value is read back, the REST field it maps to, what a change to it does and its
 * documentation. From the table come the check shape, the lenient state parser, the inputs
 * type, the output keys, the diff's lists, the README's reference rows (readme.ts) and the
 * package schema's properties (schema.ts). Fields that are not one-to-one with the API keep
 * hand-written code beside the table; the table still holds their documentation and parsers.
 */
import { z } from "zod";

import { appName, flag, list, oneOf, text, wholeNumber } from "../common/check";

/** The package schema's type of a field's value. */
export type SchemaType = "string" | "integer" | "boolean" | "string[]" | "map<string>";

/** What a change to a field does: updates the object in place, replaces it, or touches nothing in the service. */
export type Change = "update" | "replace" | "none";

/** A field's documentation: what the README's reference row and the schema's description say. */
export interface FieldDoc {
  /** One line: what it is. The schema's description; the first sentence the Args' TSDoc repeats. */
  summary: string;
  /** The README's Default column. @default derived from the default value, or "required" */
  default?: string;
  /** The README's Rules column. @default derived from the limit, or empty */
  rules?: string;
  /** The README's "A change" column. @default "updates", "replaces" or "none" */
  change?: string;
}

export interface Field<C extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> {
  /** The strict schema `check` runs, its failures naming the property and the limit. */
  check: C;
  /** How a saved value is read: whatever an earlier version wrote, a damaged value falling back to the default. */
  saved: S;
  type: SchemaType;
  change: Change;
  /**
   * For an updated field: compared on every diff (it has a default, so leaving it out resets
   * it), or only when declared (leaving it out leaves the service's value alone).
   */
  managed: "always" | "declared";
  /** The REST field it maps to one-to-one in create, modify and read; absent for a hand-mapped field. */
  rest?: string;
  /** The value check gives it when the program leaves it out, if any. */
  defaultValue?: unknown;
  required: boolean;
  /** An output of the resource too. @default true */
  output: boolean;
  secret: boolean;
  doc: Required<FieldDoc>;
}

/** What every field states; the builders add the rest from its kind. */
export interface FieldOptions {
  change: Change;
  /** @default "always" for a required or defaulted field, "declared" for an optional one */
  managed?: "always" | "declared";
  rest?: string;
  output?: boolean;
  secret?: boolean;
  doc: FieldDoc;
}

/** A field before it knows its property name, which the table gives it (its errors name it). */
export type FieldMaker<F extends Field = Field> = (property: string) => F;

export type FieldTable = Record<string, Field>;

/** The table, each field made with its property name. */
export function fieldTable<T extends Record<string, FieldMaker>>(makers: T): { [K in keyof T]: ReturnType<T[K]> } {
  return Object.fromEntries(Object.entries(makers).map(([property, make]) => [property, make(property)])) as {
    [K in keyof T]: ReturnType<T[K]>;
  };
}

const shown = (value: unknown) => `\`${JSON.stringify(value)}\``;

function made<C extends z.ZodType, S extends z.ZodType>(
  check: C,
  saved: S,
  type: SchemaType,
  options: FieldOptions,
  facts: { required?: boolean; defaultValue?: unknown; limit?: string },
): Field<C, S> {
  const defaultText =
    options.doc.default ??
    (facts.required ? "required" : facts.defaultValue !== undefined ? shown(facts.defaultValue) : undefined);
  if (defaultText === undefined)
    throw new Error(`a field with neither a default value nor required needs doc.default (${options.doc.summary})`);
  return {
    check,
    saved,
    type,
    change: options.change,
    managed: options.managed ?? (facts.defaultValue !== undefined || facts.required ? "always" : "declared"),
    rest: options.rest,
    defaultValue: facts.defaultValue,
    required: facts.required ?? false,
    output: options.output ?? true,
    secret: options.secret ?? false,
    doc: {
      summary: options.doc.summary,
      default: defaultText,
      rules: options.doc.rules ?? facts.limit ?? "",
      change: options.doc.change ?? { update: "updates", replace: "replaces", none: "none" }[options.change],
    },
  };
}

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

interface TextOptions extends FieldOptions {
  maxBytes?: number;
  /** Refuse "" too. */
  nonEmpty?: boolean;
}

function textCheck(property: string, options: TextOptions) {
  const base = text(property, options.maxBytes);
  return options.nonEmpty ? base.refine((s) => s.length > 0, `${property} must not be empty`) : base;
}

function textLimit(options: TextOptions): string | undefined {
  if (options.maxBytes === undefined) return undefined;
  return options.nonEmpty ? `1 to ${options.maxBytes} bytes` : `at most ${options.maxBytes} bytes`;
}

/** Text a program must give, at most `maxBytes` of UTF-8. */
export function requiredTextField(options: TextOptions) {
  return (property: string) =>
    made(textCheck(property, options), z.string().catch("").default(""), "string", options, {
      required: true,
      limit: textLimit(options),
    });
}

/** Text, `options.default` when left out, at most `maxBytes` of UTF-8. */
export function textField(options: TextOptions & { default: string }) {
  const fallback = options.default;
  return (property: string) =>
    made(
      textCheck(property, options).default(fallback),
      z.string().catch(fallback).default(fallback),
      "string",
      options,
      { defaultValue: fallback, limit: textLimit(options) },
    );
}

/** Text that may be left out (the service's value, or none, applies), at most `maxBytes` of UTF-8. */
export function optionalTextField(options: TextOptions) {
  return (property: string) =>
    made(textCheck(property, options).optional(), lenient(z.string()), "string", options, {
      limit: textLimit(options),
    });
}

/** One of a fixed list of strings, optional: the service's own default applies when it is left out. */
export function choiceField<T extends readonly [string, ...string[]]>(values: T, options: FieldOptions) {
  return (property: string) =>
    made(oneOf(property, values).optional(), lenient(z.enum(values)), "string", options, {
      limit: values.map((v) => `\`${v}\``).join(", "),
    });
}

/** true or false, false unless set. */
export function flagField(options: FieldOptions) {
  return (property: string) =>
    made(flag(property).default(false), z.boolean().catch(false).default(false), "boolean", options, {
      defaultValue: false,
    });
}

/** A whole number of at least `min`, optional. */
export function countField(options: FieldOptions & { min: number }) {
  return (property: string) =>
    made(
      wholeNumber(property).min(options.min, `${property} must be at least ${options.min}`).optional(),
      lenient(z.number()),
      "integer",
      options,
      {
        limit: `whole number ≥ ${options.min}`,
      },
    );
}

/** A list of strings, each checked by `item`, empty unless set. */
export function listField(item: (property: string) => z.ZodType<string>, options: FieldOptions) {
  return (property: string) =>
    made(
      list(property, item(`${property}[]`)).default([]),
      z.array(z.string()).catch([]).default([]),
      "string[]",
      options,
      { defaultValue: [] },
    );
}

/**
 * A field whose check and saved parser are written out, for the rules no builder covers (an
 * alias resolved, a format, a map with its own limits).
 */
export function customField<C extends z.ZodType, S extends z.ZodType>(
  schemas: { check: (property: string) => C; saved: S; type: SchemaType },
  options: FieldOptions & { required?: boolean; default?: unknown },
) {
  return (property: string) =>
    made(schemas.check(property), schemas.saved, schemas.type, options, {
      required: options.required,
      defaultValue: options.default,
    });
}

/** `check`'s zod shape: each field's strict schema. */
export function checkShape<T extends FieldTable>(table: T): { [K in keyof T]: T[K]["check"] } {
  return Object.fromEntries(Object.entries(table).map(([k, f]) => [k, f.check])) as { [K in keyof T]: T[K]["check"] };
}

/** The saved-state parser's zod shape: each field's lenient schema. */
export function savedShape<T extends FieldTable>(table: T): { [K in keyof T]: T[K]["saved"] } {
  return Object.fromEntries(Object.entries(table).map(([k, f]) => [k, f.saved])) as { [K in keyof T]: T[K]["saved"] };
}

/** The values `check` hands out: what the program declared, every default applied. */
export type CheckedValues<T extends FieldTable> = z.output<z.ZodObject<{ [K in keyof T]: T[K]["check"] }>>;

/** What a program may give each field, before `check`. */
export type DeclaredValues<T extends FieldTable> = z.input<z.ZodObject<{ [K in keyof T]: T[K]["check"] }>>;

/** The properties whose fields say `pick`. */
export function fieldsWhere<T extends FieldTable>(table: T, pick: (field: Field) => boolean): (keyof T & string)[] {
  return Object.entries(table)
    .filter(([, f]) => pick(f))
    .map(([k]) => k);
}

/**
 * create's one-to-one fields: each that has a value other than "" (the service's default
 * then applies), under its REST name.
 */
export function createValues(table: FieldTable, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([k, f]) => f.rest !== undefined && values[k] !== undefined && values[k] !== "")
      .map(([k, f]) => [f.rest, values[k]]),
  );
}

/**
 * modify's one-to-one fields: those updated in place whose live value differs from the wanted
 * one, under their REST names. A field compared only when declared is left out when it is not.
 */
export function modifyValues(
  table: FieldTable,
  live: Record<string, unknown>,
  want: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(
        ([k, f]) => f.rest !== undefined && f.change === "update" && (f.managed === "always" || want[k] !== undefined),
      )
      // A text the answer leaves out is empty.
      .filter(
        ([k, f]) => (live[f.rest as string] ?? f.defaultValue ?? (f.type === "string" ? "" : undefined)) !== want[k],
      )
      .map(([k, f]) => [f.rest, want[k]]),
  );
}

/** The properties whose REST fields a request sets: the names ignoreChanges and replaceOnChanges use. */
export function propertiesSet<T extends FieldTable>(table: T, request: object): (keyof T & string)[] {
  return fieldsWhere(table, (f) => f.rest !== undefined && f.rest in request);
}

/**
 * The one-to-one fields updated in place, as the service reports them: the default (or the
 * declared value, for a required field) where the answer leaves one out, and nothing for a
 * field only compared when declared. Fields fixed at create are read by hand.
 */
export function liveValues(
  table: FieldTable,
  live: Record<string, unknown>,
  declared: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([, f]) => f.rest !== undefined && f.change === "update")
      .map(([k, f]) => {
        const value = live[f.rest as string];
        if (f.managed === "declared") return [k, value || undefined];
        return [k, value ?? (f.required ? declared[k] : f.defaultValue)];
      }),
  );
}

/** The output keys the table gives (a resource adds what only the service reports). */
export const outputKeys = (table: FieldTable): string[] => fieldsWhere(table, (f) => f.output);

/**
 * Ties a resource's Args interface (written out, for its TSDoc) to its table: `true` when they
 * name the same properties, each optional exactly when the table's is, and every value the
 * Args type takes is one `check` takes; `never` (a compile error where it is assigned) otherwise.
 */
export type ArgsMatch<Args, T extends FieldTable> = [
  Exclude<keyof Args, keyof T>,
  Exclude<keyof T, keyof Args>,
  {
    [K in keyof Args & keyof T]-?: [undefined extends Args[K] ? true : false] extends [
      undefined extends z.input<T[K]["check"]> ? true : false,
    ]
      ? never
      : K;
  }[keyof Args & keyof T],
  {
    [K in keyof Args & keyof T]-?: Unwrapped<Exclude<Args[K], undefined>> extends z.input<T[K]["check"]> ? never : K;
  }[keyof Args & keyof T],
] extends [never, never, never, never]
  ? true
  : never;

/** The plain value a `pulumi.Input` stands for, one level of lists and maps deep. */
type Unwrapped<T> =
  T extends PromiseLike<infer U>
    ? Unwrapped<U>
    : T extends { apply: unknown; get: () => infer V }
      ? Unwrapped<V>
      : T extends (infer E)[]
        ? Unwrapped<E>[]
        : T extends Record<string, infer V>
          ? Record<string, Unwrapped<V>>
          : T;

/**
 * The `app` every resource takes: a profile of `tencent-chat:apps`. Moving between apps, or
 * between a profile and the top-level settings, replaces the object.
 */
export function appField(noun: string) {
  return customField(
    { check: (p) => appName(p).optional(), saved: z.string().optional().catch(undefined), type: "string" },
    {
      change: "replace",
      managed: "always",
      doc: {
        summary: `The app profile of tencent-chat:apps the ${noun} lives in; moving it replaces the ${noun}.`,
        default: "the top-level settings",
        rules: "the name of a profile of `tencent-chat:apps` (see [Several apps](#several-apps-in-one-program))",
      },
    },
  );
}
