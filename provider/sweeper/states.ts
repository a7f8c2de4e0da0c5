/**
 * Reading `pulumi stack export` files: what the stacks' states hold (never to be swept) and
 * the resources whose generated IDs an orphan may be an incarnation of.
 *
 * A state file is input from whoever wrote the program (a pull request's stack is), so it is
 * read as hostile: a regular file only, size-capped, parsed, and used only to protect objects
 * or to recompute IDs this package generates; nothing in it is ever turned into a pattern.
 * A program can register a resource with any inputs, so a seed is trusted only when it is the
 * one the resource class derives from that resource's own URN, whose stack part the engine
 * writes: one stack's file can never steer the sweep towards another stack's objects.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

import { z } from "zod";

import { ACCOUNT_ID } from "../common/check";
import { MAX_USER_ID_PREFIX, SEED_PROPERTY } from "../common/identity";

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
  urn: z.string().optional(),
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
  /** Each file's stack, as its resources' URNs name it (`<project>/<stack>`); undefined for a file with no resources. */
  stacks: { state: string; stack?: string }[];
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
  return (
    typeof prefix === "string" &&
    prefix.length >= 1 &&
    Buffer.byteLength(prefix) <= MAX_USER_ID_PREFIX &&
    ACCOUNT_ID.pattern.test(prefix)
  );
}

/** A resource URN's stack, `<project>/<stack>` (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
function stackOfUrn(urn: string | undefined): string | undefined {
  const match = urn === undefined ? null : /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? `${match[2]}/${match[1]}` : undefined;
}

/** An organization's name in a seed: no slash, no space, nothing empty. */
const ORGANIZATION = /^[^/\s]+$/;

/**
 * The seed, when it is the one the resource class derives for the resource `urn`
 * (`<organization>/<urn>`, or `retained:<organization>/<urn>` with retainOnDelete: identity.ts);
 * otherwise a StateFileError naming the file and the resource.
 */
function ownSeed(file: string, kind: string, urn: string | undefined, seed: string): string {
  const org =
    urn !== undefined && seed.endsWith(`/${urn}`)
      ? seed.slice(0, -urn.length - 1).replace(/^retained:/, "")
      : undefined;
  if (org !== undefined && ORGANIZATION.test(org)) return seed;
  const shown = JSON.stringify(seed);
  throw new StateFileError(
    `${file}: the ${kind} ${urn ?? "(no URN)"} carries the ID seed ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}, which is not the one this package derives from its URN ` +
      "(<organization>/<the resource's URN>): a program may write any inputs, and this one would steer the sweep towards another resource's objects. Nothing was removed.",
  );
}

/** Reads the given exports; each must be the JSON `pulumi stack export` prints, of one stack. */
export function readStackExports(files: readonly { name: string; json: unknown }[]): StackReferences {
  if (files.length === 0)
    throw new StateFileError(
      "at least one state file (`pulumi stack export > stack.json`) is needed, so that what a stack holds is never swept",
    );
  const refs: StackReferences = { stacks: [], protectedIds: new Set(), heldGroups: [], groups: [], accounts: [] };
  for (const file of files) {
    const parsed = StackExport.safeParse(file.json);
    if (!parsed.success)
      throw new StateFileError(`${file.name} is not the output of \`pulumi stack export\` (no deployment.resources)`);
    const { resources = [], pending_operations: pending = [] } = parsed.data.deployment;
    const held: string[] = [];
    const all = [...resources, ...pending.map((p) => p.resource)];
    const stacks = [...new Set(all.map((r) => stackOfUrn(r.urn) ?? "(a resource with no URN)"))];
    if (stacks.length > 1)
      throw new StateFileError(
        `${file.name} names ${stacks.length} stacks (${stacks.slice(0, 3).join(", ")}${stacks.length > 3 ? ", …" : ""}); a \`pulumi stack export\` holds one. Nothing was removed.`,
      );
    refs.stacks.push({ state: file.name, stack: stacks[0] });
    for (const r of all) collectStrings([r.id, r.inputs, r.outputs], refs.protectedIds);
    const entries = [
      ...resources.map((r) => ({ r, pending: false })),
      ...pending.map((p) => ({ r: p.resource, pending: true })),
    ];
    for (const { r, pending: isPending } of entries) {
      const stored = text(r.inputs?.[SEED_PROPERTY]);
      const seed =
        stored === undefined ? undefined : ownSeed(file.name, r.type?.split(":").pop() ?? "resource", r.urn, stored);
      const heldId = isPending ? undefined : text(r.id);
      if (isKind(r.type, "ChatGroup")) {
        if (heldId) held.push(heldId);
        if (seed && r.inputs?.groupIdGenerated === true) refs.groups.push({ state: file.name, seed, heldId });
      } else if (isKind(r.type, "ChatAccount") && seed && r.inputs?.userId === undefined) {
        const prefix = r.inputs?.userIdPrefix;
        if (!validPrefix(prefix))
          throw new StateFileError(
            `${file.name}: a ChatAccount's userIdPrefix ${JSON.stringify(prefix).slice(0, 40)} is not one ChatAccount takes (1 to ${MAX_USER_ID_PREFIX} bytes of letters, digits, "_" and "-"); this is not a state this package wrote`,
          );
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
    // Not blocking: a FIFO given as the file would otherwise wait for a writer forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new StateFileError(
      `cannot read the state file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const chunks: Buffer[] = [];
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new StateFileError(`the state file ${file} is a directory`);
    if (!stat.isFile())
      throw new StateFileError(
        `the state file ${file} is not a regular file (a pipe, a device or a socket); write the export to a file first`,
      );
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes)
        throw new StateFileError(
          `the state file ${file} is larger than ${maxBytes / 1024 / 1024} MiB; a stack export is far smaller`,
        );
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  try {
    return { name: file, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    throw new StateFileError(
      `the state file ${file} is not JSON (make it with \`pulumi stack export --file ${file}\`)`,
    );
  }
}
