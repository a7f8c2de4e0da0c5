/**
 * Resource options the engine applies only through what a provider tells it, carried to the
 * provider as the internal input `__options`.
 *
 * - `replaceOnChanges`: the engine turns a change into a replacement only from the changed
 *   keys or detailed diff a provider returns (applyReplaceOnChanges in step_generator.go), and
 *   Pulumi's Node dynamic-provider host returns neither. So the resource class hands the
 *   option to `diff`, which replaces when a property it covers changes.
 * - `ignoreChanges`: the engine puts the old inputs' values in place of the ignored ones
 *   before Check. After a `pulumi refresh` those old inputs are stale unless `read` hands back
 *   refreshed inputs, which a provider host before Pulumi 3.216 drops; `diff` then saw the
 *   stale value as a change and `update` put it back. `diff` and `update` therefore leave
 *   ignored properties as the service has them, on every host.
 *
 * Neither option is a change in itself: changing them alone updates nothing.
 */
import { z } from "zod";

/** The internal input that carries the options. */
export const OPTIONS_PROPERTY = "__options";

export interface DeclaredOptions {
  replaceOnChanges?: string[];
  ignoreChanges?: string[];
}

const Options = z
  .object({ replaceOnChanges: z.array(z.string()).optional(), ignoreChanges: z.array(z.string()).optional() })
  .catch({});

/** The options a resource's inputs carry (none in inputs written before they were). */
export function readOptions(props: Record<string, unknown> | undefined): DeclaredOptions {
  return Options.parse(props?.[OPTIONS_PROPERTY] ?? {});
}

/** The options a program set that `diff` needs, as the internal input; undefined when none is set. */
export function optionsInput(
  opts: { replaceOnChanges?: string[]; ignoreChanges?: string[] } | undefined,
): DeclaredOptions | undefined {
  const out: DeclaredOptions = {};
  if (opts?.replaceOnChanges?.length) out.replaceOnChanges = [...opts.replaceOnChanges];
  if (opts?.ignoreChanges?.length) out.ignoreChanges = [...opts.ignoreChanges];
  return Object.keys(out).length ? out : undefined;
}

/** The top-level property a path names: `members[0]` and `appDefinedData.team` name `members` and `appDefinedData`. */
const head = (path: string) => path.split(/[.[]/)[0];

/**
 * Properties ignoreChanges names whole. A path inside one (`appDefinedData.team`) is left to
 * the engine, which handles it from the old inputs.
 */
export function ignoredProperties(options: DeclaredOptions): Set<string> {
  return new Set((options.ignoreChanges ?? []).filter((p) => head(p) === p));
}

/**
 * A resource's own changes and replacements, with the options applied: ignored properties
 * neither change nor replace, and a change under a replaceOnChanges path (or `*`) replaces.
 */
export function applyOptions(
  changes: { changed: readonly string[]; replaces: readonly string[] },
  options: DeclaredOptions,
): { changed: string[]; replaces: string[] } {
  const ignored = ignoredProperties(options);
  const changed = changes.changed.filter((k) => !ignored.has(k));
  const covered = (k: string) => (options.replaceOnChanges ?? []).some((p) => p === "*" || head(p) === k);
  const replaces = [...new Set([...changes.replaces.filter((k) => !ignored.has(k)), ...changed.filter(covered)])];
  return { changed, replaces };
}

/** `want`, with the ignored properties as `live` has them: an update leaves them alone. */
export function keepIgnored<T extends object>(want: T, live: Partial<T>, options: DeclaredOptions): T {
  const out = { ...want } as Record<string, unknown>;
  for (const key of ignoredProperties(options)) if (key in live) out[key] = (live as Record<string, unknown>)[key];
  return out as T;
}

/**
 * The inputs a refresh hands back (Pulumi 3.216+ keeps them for the next diff, where the engine
 * takes ignored properties from them): the properties a resource takes, and its internal
 * inputs, as the service now has them.
 */
export function refreshedInputs(
  outputs: Record<string, unknown>,
  properties: readonly string[],
  internal: readonly string[],
): Record<string, unknown> {
  const keys = [...properties, ...internal, OPTIONS_PROPERTY];
  return Object.fromEntries(keys.filter((k) => outputs[k] !== undefined).map((k) => [k, outputs[k]]));
}
