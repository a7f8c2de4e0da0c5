/**
 * What a field table says to people and to other tools: the README's reference rows, and the
 * resource's part of a Pulumi package schema (pkg/codegen/schema/pulumi.json: property types,
 * descriptions, `secret`, `replaceOnChanges`). Both are read from the table, never written
 * beside it.
 */
import type { Field, FieldTable, SchemaType } from "./table";

/** The README's reference table of a resource's inputs: its header, then a row per field. */
export function referenceRows(table: FieldTable): string[] {
  const row = (cells: string[]) => `|${cells.map((c) => (c ? ` ${c} ` : " ")).join("|")}|`;
  const rows = Object.entries(table).map(([property, f]) =>
    row([`\`${property}\``, f.doc.default, f.doc.rules, f.doc.change]),
  );
  return ["| Input | Default | Rules | A change |", "|---|---|---|---|", ...rows];
}

/** A property of the package schema. */
export interface SchemaProperty {
  type: "string" | "integer" | "boolean" | "array" | "object";
  items?: { type: "string" };
  additionalProperties?: { type: "string" };
  description: string;
  secret?: true;
  replaceOnChanges?: true;
}

const SCHEMA_TYPES: Record<SchemaType, Pick<SchemaProperty, "type" | "items" | "additionalProperties">> = {
  string: { type: "string" },
  integer: { type: "integer" },
  boolean: { type: "boolean" },
  "string[]": { type: "array", items: { type: "string" } },
  "map<string>": { type: "object", additionalProperties: { type: "string" } },
};

function schemaProperty(f: Field, asInput: boolean): SchemaProperty {
  return {
    ...SCHEMA_TYPES[f.type],
    description: f.doc.summary,
    ...(f.secret && { secret: true as const }),
    ...(asInput && f.change === "replace" && { replaceOnChanges: true as const }),
  };
}

/** A resource's entry in a package schema's `resources`. */
export interface ResourceSchema {
  description: string;
  properties: Record<string, SchemaProperty>;
  required: string[];
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs: string[];
}

/**
 * The resource's schema entry: its inputs from the table, its outputs from the table's output
 * fields and `outputs` (what only the service reports). `alwaysOut` names outputs besides the
 * required and defaulted fields that every state holds.
 */
export function resourceSchema(
  table: FieldTable,
  description: string,
  extra: { outputs?: Record<string, SchemaProperty>; alwaysOut?: readonly string[] } = {},
): ResourceSchema {
  const entries = Object.entries(table);
  return {
    description,
    properties: {
      ...Object.fromEntries(entries.filter(([, f]) => f.output).map(([k, f]) => [k, schemaProperty(f, false)])),
      ...extra.outputs,
    },
    // Outputs every state holds: the required and defaulted fields', and those named.
    required: [
      ...entries.filter(([, f]) => f.output && (f.required || f.defaultValue !== undefined)).map(([k]) => k),
      ...(extra.alwaysOut ?? []),
    ],
    inputProperties: Object.fromEntries(entries.map(([k, f]) => [k, schemaProperty(f, true)])),
    requiredInputs: entries.filter(([, f]) => f.required).map(([k]) => k),
  };
}
