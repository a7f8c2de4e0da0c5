/**
 * IDs that the stack's state holds, as far as this process has seen. The engine names a
 * resource's ID in every Diff, Read, Update and Delete, and it diffs each resource it has in
 * state before it creates that resource's replacement. So when `create` finds an object
 * under a generated ID, this tells it apart: held means live in state (never taken over);
 * not held means a half-made object of an interrupted run (finished and taken over).
 *
 * Kept on `globalThis` so that every copy of this package loaded in the provider host
 * shares it. It holds IDs only.
 */
const REGISTRY = Symbol.for("pulumi-tencent-chat.heldIds");

function held(kind: string): Set<string> {
  const registry = ((globalThis as unknown as Record<symbol, Map<string, Set<string>> | undefined>)[REGISTRY] ??= new Map());
  let ids = registry.get(kind);
  if (!ids) registry.set(kind, (ids = new Set()));
  return ids;
}

/** Notes that the state holds `id`. */
export function markHeld(kind: string, id: string): void {
  if (id) held(kind).add(id);
}

/** Forgets `id` once it is deleted: the state no longer holds it. */
export function release(kind: string, id: string): void {
  held(kind).delete(id);
}

/** True when this process has seen the state hold `id`. */
export function isHeld(kind: string, id: string): boolean {
  return held(kind).has(id);
}
