/**
 * What this provider process knows of the stack's state, from the engine's own calls.
 *
 * Held IDs: the engine names a resource's ID in every Diff, Read, Update and Delete, and it
 * diffs each resource it has in state before it creates that resource's replacement. So when
 * `create` finds an object under a generated ID, this tells it apart: held means live in state
 * (never taken over); not held may be a half-made object of an interrupted run.
 *
 * Adoptions: a `create` that takes over an object that already existed (adoptExisting, or its
 * own half-made object) is recorded with a token that goes into its outputs. `pulumi up
 * --replace` and `replacementTrigger` send no Diff and check the replacement as if it were
 * new (step_generator.go): to the provider, the replacement's create looks exactly like the
 * rerun of an interrupted one, and may take over the very object it replaces. The engine then
 * deletes the old resource, which is the same object. A Delete in this process of an ID a
 * create here took over, with outputs that are not that create's, is such a delete: it is
 * skipped (see `takenOver`). A later `destroy` runs in a new provider process, where nothing
 * is recorded, and deletes as usual.
 *
 * Kept on `globalThis` so that every copy of this package loaded in the provider host
 * shares it. It holds IDs and random tokens only.
 */
import { randomUUID } from "node:crypto";

const REGISTRY = Symbol.for("pulumi-tencent-chat.heldIds");
const ADOPTIONS = Symbol.for("pulumi-tencent-chat.adoptions");

/** The output that carries an adoption's token. */
export const ADOPTION_PROPERTY = "adoption";

function registry<T>(symbol: symbol): Map<string, T> {
  return ((globalThis as unknown as Record<symbol, Map<string, T> | undefined>)[symbol] ??= new Map());
}

function held(kind: string): Set<string> {
  const ids = registry<Set<string>>(REGISTRY);
  let set = ids.get(kind);
  if (!set) ids.set(kind, (set = new Set()));
  return set;
}

/** Notes that the state holds `id`. */
export function markHeld(kind: string, id: string): void {
  if (id) held(kind).add(id);
}

/** Forgets `id` once it is deleted: the state no longer holds it. */
export function release(kind: string, id: string): void {
  held(kind).delete(id);
  registry<string>(ADOPTIONS).delete(`${kind}:${id}`);
}

/** True when this process has seen the state hold `id`. */
export function isHeld(kind: string, id: string): boolean {
  return held(kind).has(id);
}

/** Notes that a create here took over the object `id`; returns the token for its outputs. */
export function noteAdoption(kind: string, id: string): string {
  const token = randomUUID();
  registry<string>(ADOPTIONS).set(`${kind}:${id}`, token);
  markHeld(kind, id);
  return token;
}

/**
 * True when a Delete of `id` with these outputs is of a resource whose replacement, in this
 * process, took over the same object: deleting it would delete the replacement's object.
 */
function takenOver(kind: string, id: string, outputs: Record<string, unknown> | undefined): boolean {
  const token = registry<string>(ADOPTIONS).get(`${kind}:${id}`);
  return token !== undefined && outputs?.[ADOPTION_PROPERTY] !== token;
}

/**
 * For a Delete: true, after warning, when `id` was taken over by its replacement here (see
 * `takenOver`), so the Delete must leave it alone. `noun` names the object ("group"), `kept`
 * says what became of it, `remake` what deleteBeforeReplace would do instead.
 */
export function keptForReplacement(
  kind: string,
  id: string,
  outputs: Record<string, unknown> | undefined,
  words: { noun: string; kept?: string; remake: string },
): boolean {
  if (!takenOver(kind, id, outputs)) return false;
  console.warn(
    `pulumi-tencent-chat: ${words.noun} ${id} was taken over by the resource that replaces it (\`pulumi up --replace\` or replacementTrigger of an ID ` +
      `that stays the same), so it is kept${words.kept ? `, ${words.kept}` : ""}. To have a replacement ${words.remake}, set deleteBeforeReplace: true on the resource.`,
  );
  return true;
}
