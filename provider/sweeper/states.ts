/**
 * Reading `pulumi stack export` files: which Chat groups and accounts a stack's state
 * references, and how its ChatAccounts generate their IDs.
 */
import { z } from "zod";
import { SEED_PROPERTY } from "../dynamic/identity";

/**
 * A `pulumi stack export` file that cannot be read or is not a stack's state; the message names the
 * file.
 */
export class StateFileError extends Error {
  override name = "StateFileError";
}

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

/** What a set of stacks' states says about Chat objects. */
export interface StackReferences {
  /** Group IDs some state holds. */
  groups: Set<string>;
  /** Account IDs some state holds. */
  accounts: Set<string>;
  /** How each ChatAccount (held, or pending in an interrupted update) generates its ID. */
  accountSeeds: { prefix: string; seed: string }[];
}

const isKind = (type: string | undefined, kind: string) => type !== undefined && type.endsWith(`tencent-chat:${kind}`);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** Reads the given exports; each must be the JSON `pulumi stack export` prints. */
export function readStackExports(files: readonly { name: string; json: unknown }[]): StackReferences {
  if (files.length === 0) throw new StateFileError("at least one state file (`pulumi stack export > stack.json`) is needed, so that what a stack holds is never swept");
  const refs: StackReferences = { groups: new Set(), accounts: new Set(), accountSeeds: [] };
  for (const file of files) {
    const parsed = StackExport.safeParse(file.json);
    if (!parsed.success) throw new StateFileError(`${file.name} is not the output of \`pulumi stack export\` (no deployment.resources)`);
    const { resources = [], pending_operations: pending = [] } = parsed.data.deployment;
    for (const r of resources) {
      // Any ID a stack holds is off limits, whatever its type.
      if (r.id) {
        refs.groups.add(r.id);
        refs.accounts.add(r.id);
      }
      const groupId = text(r.outputs?.groupId);
      if (groupId && isKind(r.type, "ChatGroup")) refs.groups.add(groupId);
      const userId = text(r.outputs?.userId);
      if (userId && isKind(r.type, "ChatAccount")) refs.accounts.add(userId);
    }
    for (const r of [...resources, ...pending.map((p) => p.resource)]) {
      const prefix = text(r.inputs?.userIdPrefix);
      const seed = text(r.inputs?.[SEED_PROPERTY]);
      if (isKind(r.type, "ChatAccount") && prefix !== undefined && seed) refs.accountSeeds.push({ prefix, seed });
    }
  }
  return refs;
}
