/**
 * Reading `pulumi stack export` files: what the stacks' states hold (never to be swept) and
 * the resources whose generated IDs an orphan may be an incarnation of.
 *
 * A state file is input from whoever wrote the program (a pull request's stack is), so it is
 * read as hostile: size-capped, parsed, and used only to protect objects or to recompute IDs
 * this package generates; nothing in it is ever turned into a pattern.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { z } from "zod";
import { ACCOUNT_ID } from "../dynamic/check";
import { MAX_USER_ID_PREFIX, SEED_PROPERTY } from "../dynamic/identity";

/**
 * A `pulumi stack export` file that cannot be read or is not a stack's state; the message names the
 * file.
 */
export class StateFileError extends Error {
  override name = "StateFileError";
}

/** Largest state file read: a stack of 10,000 groups exports about 40 MiB. */
export const MAX_STATE_FILE_BYTES = 128 * 1024 * 1024;

const Resource = z.looseObject({
  type: z.string().optional(),
  id: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});

const StackExport = z.looseObject({
  deployment: z.looseObject({
    resources: z.array(Resource).optional(),
    /** Creates an interrupted update left unfinished: their objects may exist. */
    pending_operations: z.array(z.looseObject({ resource: Resource })).optional(),
  }),
});

/** A resource whose ID was generated: what it was generated from, and the ID its state holds. */
export interface GeneratedResource {
  /** The state file. */
  state: string;
  seed: string;
  /** The object the state holds; absent for a create an interrupted update left pending. */
  heldId?: string;
}

/** What a set of stacks' states says about Chat objects. */
export interface StackReferences {
  /** Every text any resource of any state holds, anywhere in its ID, inputs or outputs: never swept. */
  protectedIds: Set<string>;
  /** Group IDs of the ChatGroups each state holds, to tell a state of another app. */
  heldGroups: { state: string; ids: string[] }[];
  /** ChatGroups with a generated ID, held or pending. */
  groups: GeneratedResource[];
  /** ChatAccounts with a generated ID, held or pending, each with its checked prefix. */
  accounts: (GeneratedResource & { prefix: string })[];
}

const isKind = (type: string | undefined, kind: string) => type !== undefined && type.endsWith(`tencent-chat:${kind}`);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** Every string inside a value, however deep. */
function collectStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into, depth + 1);
}

/** A `userIdPrefix` as ChatAccount's `check` takes it; anything else is not this package's. */
function validPrefix(prefix: unknown): prefix is string {
  return typeof prefix === "string" && prefix.length >= 1 && Buffer.byteLength(prefix) <= MAX_USER_ID_PREFIX && ACCOUNT_ID.pattern.test(prefix);
}

/** Reads the given exports; each must be the JSON `pulumi stack export` prints. */
export function readStackExports(files: readonly { name: string; json: unknown }[]): StackReferences {
  if (files.length === 0) throw new StateFileError("at least one state file (`pulumi stack export > stack.json`) is needed, so that what a stack holds is never swept");
  const refs: StackReferences = { protectedIds: new Set(), heldGroups: [], groups: [], accounts: [] };
  for (const file of files) {
    const parsed = StackExport.safeParse(file.json);
    if (!parsed.success) throw new StateFileError(`${file.name} is not the output of \`pulumi stack export\` (no deployment.resources)`);
    const { resources = [], pending_operations: pending = [] } = parsed.data.deployment;
    const held: string[] = [];
    for (const r of [...resources, ...pending.map((p) => p.resource)]) collectStrings([r.id, r.inputs, r.outputs], refs.protectedIds);
    const entries = [...resources.map((r) => ({ r, pending: false })), ...pending.map((p) => ({ r: p.resource, pending: true }))];
    for (const { r, pending: isPending } of entries) {
      const seed = text(r.inputs?.[SEED_PROPERTY]);
      const heldId = isPending ? undefined : text(r.id);
      if (isKind(r.type, "ChatGroup")) {
        if (heldId) held.push(heldId);
        if (seed && r.inputs?.groupIdGenerated === true) refs.groups.push({ state: file.name, seed, heldId });
      } else if (isKind(r.type, "ChatAccount") && seed && r.inputs?.userId === undefined) {
        const prefix = r.inputs?.userIdPrefix;
        if (!validPrefix(prefix)) throw new StateFileError(`${file.name}: a ChatAccount's userIdPrefix ${JSON.stringify(prefix).slice(0, 40)} is not one ChatAccount takes (1 to ${MAX_USER_ID_PREFIX} bytes of letters, digits, "_" and "-"); this is not a state this package wrote`);
        refs.accounts.push({ state: file.name, seed, heldId, prefix });
      }
    }
    refs.heldGroups.push({ state: file.name, ids: held });
  }
  return refs;
}

/**
 * The text of a state file, read with a size cap (a path such as /dev/zero never ends), and
 * parsed as JSON.
 */
export function readStateFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): { name: string; json: unknown } {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    throw new StateFileError(`cannot read the state file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const chunks: Buffer[] = [];
  try {
    if (fstatSync(fd).isDirectory()) throw new StateFileError(`the state file ${file} is a directory`);
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw new StateFileError(`the state file ${file} is larger than ${maxBytes / 1024 / 1024} MiB; a stack export is far smaller`);
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  try {
    return { name: file, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    throw new StateFileError(`the state file ${file} is not JSON (make it with \`pulumi stack export --file ${file}\`)`);
  }
}
