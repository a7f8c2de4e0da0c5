/**
 * What every resource's create shares: claiming a generated ID, one incarnation after
 * another (see identity.ts), and telling an object it may take over from one it must leave.
 *
 * An object found under one of a resource's generated IDs is its own half-made object from an
 * interrupted run only if the state does not hold it (held.ts) and it was made recently: a
 * rerun after a cancelled job comes within hours. An older one is another lifetime's (a
 * resource let go with `retainOnDelete` and declared again, or the live object under
 * `pulumi up --replace`, which sends no Diff): it is passed over and the next incarnation
 * taken, so it is never taken over.
 */
import { isHeld } from "./held";
import { MAX_INCARNATIONS } from "./identity";

/** How long after it was made an object under a generated ID may be taken over as this resource's half-made one. */
export const RECOVERY_WINDOW_SECONDS = 24 * 3600;

/**
 * Whether an object made at `createdAt` (Unix seconds; undefined when the service does not
 * say) may be the half-made object of an interrupted run, at `now`.
 */
export function recoverable(createdAt: number | undefined, now: number): boolean {
  return createdAt === undefined || now - createdAt <= RECOVERY_WINDOW_SECONDS;
}

/**
 * The first incarnation whose ID `claim` takes (it answers undefined to pass to the next),
 * passing over those the state holds. `what` names the IDs, and `instead` what to do, in the
 * error when none is left.
 */
export async function claimIncarnation<T>(
  kind: string,
  what: { ids: string; instead: string },
  idOf: (incarnation: number) => string,
  claim: (id: string) => Promise<T | undefined>,
): Promise<T> {
  for (let incarnation = 1; incarnation <= MAX_INCARNATIONS; incarnation++) {
    const id = idOf(incarnation);
    if (isHeld(kind, id)) continue;
    const claimed = await claim(id);
    if (claimed !== undefined) return claimed;
  }
  throw new Error(`the generated ${what.ids} IDs ${idOf(1)} to -${MAX_INCARNATIONS} are all in use or reserved; ${what.instead}`);
}
