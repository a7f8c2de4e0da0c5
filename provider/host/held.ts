/**
 * What this provider process knows of the stack's state, from the engine's own calls.
 *
 * Held IDs: the engine names a resource's ID in every Diff, Read, Update and Delete, and it
 * diffs each resource it has in state before it creates that resource's replacement. So when
 * `create` finds an object under a generated ID, this tells it apart: held means live in state
 * (never taken over); not held may be a half-made object of an interrupted run.
 *
 * Takeovers: a `create` that takes over an object that already existed (adoptExisting, or
 * its own half-made object) puts a random token into its outputs (`noteAdoption`). The tokens
 * of the deployment's live entries are noted per ID at every Diff (the entry as stored) and
 * Create, whole or in part (`noteLive`); an update keeps the token its entry had. A Delete of an ID that a live entry holds by a token the
 * deleted entry does not carry is the delete of an entry that was replaced by one that took
 * its object over, and it is skipped (`keptForReplacement`):
 *
 * - `pulumi up --replace` and `replacementTrigger` send no Diff and check the replacement as if
 *   it were new (step_generator.go): the replacement's create looks exactly like the rerun of an
 *   interrupted one and may take over the very object it replaces. The old entry's Delete comes
 *   at the end of the deployment, after that create, in this process.
 * - When the run stops before that Delete (another resource fails, the job is cancelled), the
 *   state keeps the old entry marked `delete: true`, and the next `up` deletes it, in a new
 *   process. The engine deletes only once the program has registered every resource and each
 *   step has run (deployment_executor.go, Execute; step_generator.go, GenerateDeletes): the
 *   live entry has been diffed by then, so the new process knows its token.
 *
 * A `pulumi destroy` runs no Diff: it deletes the old entry and the live one, so the object
 * goes, as a destroy asks.
 *
 * Kept on `globalThis` so that every copy of this package loaded in the provider host
 * shares it. It holds IDs and random tokens only.
 */
import { randomUUID } from "node:crypto";

const REGISTRY = Symbol.for("pulumi-tencent-chat.heldIds");
const TAKEOVERS = Symbol.for("pulumi-tencent-chat.takeovers");

/** The output that carries an adoption's token. */
export const ADOPTION_PROPERTY = "adoption";

function registry<T>(symbol: symbol): Map<string, T> {
  return ((globalThis as unknown as Record<symbol, Map<string, T> | undefined>)[symbol] ??= new Map());
}

function setOf(symbol: symbol, key: string): Set<string> {
  const sets = registry<Set<string>>(symbol);
  let set = sets.get(key);
  if (!set) sets.set(key, (set = new Set()));
  return set;
}

/** Notes that the state holds `id`. */
export function markHeld(kind: string, id: string): void {
  if (id) setOf(REGISTRY, kind).add(id);
}

/** Forgets `id` once its object is deleted: the state no longer holds it. */
export function release(kind: string, id: string): void {
  setOf(REGISTRY, kind).delete(id);
  registry<Set<string>>(TAKEOVERS).delete(`${kind}:${id}`);
}

/** True when this process has seen the state hold `id`. */
export function isHeld(kind: string, id: string): boolean {
  return setOf(REGISTRY, kind).has(id);
}

/** The takeover token an entry's outputs carry, if any. */
const tokenOf = (outputs: Record<string, unknown> | undefined): string | undefined => {
  const token = outputs?.[ADOPTION_PROPERTY];
  return typeof token === "string" ? token : undefined;
};

/** Notes that a live state entry of this deployment holds `id` with these outputs: their takeover token, if any. */
export function noteLive(kind: string, id: string, outputs: Record<string, unknown> | undefined): void {
  const token = tokenOf(outputs);
  if (id && token) setOf(TAKEOVERS, `${kind}:${id}`).add(token);
}

/** Notes that a create here took over the object `id`; returns the token for its outputs. */
export function noteAdoption(kind: string, id: string): string {
  markHeld(kind, id);
  return randomUUID();
}

/**
 * For a Delete: true, after warning, when a live entry of this deployment holds `id` by a
 * takeover token that these outputs do not carry: the entry being deleted was replaced by one
 * that took its object over (see above), so the Delete must leave the object alone; the entry
 * leaves the state all the same. `noun` names the object ("group"), `kept` says what became of
 * it, `remake` what deleteBeforeReplace would do instead.
 */
export function keptForReplacement(
  kind: string,
  id: string,
  outputs: Record<string, unknown> | undefined,
  words: { noun: string; kept?: string; remake: string },
): boolean {
  const live = registry<Set<string>>(TAKEOVERS).get(`${kind}:${id}`);
  const mine = tokenOf(outputs);
  if (!live || ![...live].some((token) => token !== mine)) return false;
  if (mine) live.delete(mine);
  console.warn(
    `pulumi-tencent-chat: ${words.noun} ${id} was taken over by the resource that replaces it (\`pulumi up --replace\`, replacementTrigger or a change of app, ` +
      `with an ID that stays the same; the replaced entry may be left from a run that stopped before deleting it), so it is kept${words.kept ? `, ${words.kept}` : ""}, ` +
      `and only the replaced entry leaves the state. To have a replacement ${words.remake}, set deleteBeforeReplace: true on the resource.`,
  );
  return true;
}
