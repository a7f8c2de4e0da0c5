/**
 * The lifecycle every resource shares, so that a resource's own file holds only its inputs,
 * its mapping to the API and its diff rules.
 *
 * `LifecycleProvider` gives Pulumi the seven methods. It parses what Pulumi hands it once, with
 * the resource's readers (checked inputs, saved state), and gives the resource typed values:
 * `compare` says which properties replace and which update, and the base applies the resource
 * options (ignoreChanges, replaceOnChanges); `updateObject` gets the wanted inputs with ignored
 * properties kept as they are; `readObject` returns outputs, and the base builds the inputs a
 * refresh hands back. It keeps the held-ID bookkeeping (see
 * held.ts) for every resource: the engine names an ID in Diff, Read, Update and Delete, so the
 * ID is noted as held there, and released once deleted; a Delete of an object its replacement
 * took over in this process is skipped. IDs are held per app (its SDKAppID): two apps may hold the same ID.
 * Every method runs as the resource's app (api-provider.ts) and is guarded: what leaves it is a
 * safe error (errors.ts). A resource writes `compare`, the `…Object` methods and its `check`.
 *
 * Claiming a generated ID: one incarnation after another (see identity.ts), passing over those
 * the state holds, and telling an object it may take over from one it must leave. An object
 * found under one of a resource's generated IDs is its own half-made object from an
 * interrupted run only if the state does not hold it and it was made recently: a rerun after
 * a cancelled job comes within hours. An older one is another lifetime's (a resource let go
 * with `retainOnDelete` and declared again, or the live object under `pulumi up --replace`,
 * which sends no Diff): it is passed over and the next incarnation taken, so it is never
 * taken over. A resource made with `retainOnDelete` claims from a seed of its own
 * (identity.ts), so a resource declared again without the option never meets the group it left.
 */
import type * as pulumi from "@pulumi/pulumi";

import { appOf, readNews, savedAppOf } from "../common/check";
import { MAX_INCARNATIONS } from "../common/identity";
import { applyOptions, keepIgnored, OPTIONS_PROPERTY, readOptions, refreshedInputs } from "../common/options";
import { ApiProvider } from "./api-provider";
import { guarded, ResourceInitError } from "./errors";
import { ADOPTION_PROPERTY, isHeld, keptForReplacement, markHeld, noteAdoption, noteLive, release } from "./held";

type Props = Record<string, unknown>;

/** How long after it was made an object under a generated ID may be taken over as this resource's half-made one. */
export const RECOVERY_WINDOW_SECONDS = 24 * 3600;

/**
 * Whether an object made at `createdAt` (Unix seconds; undefined when the service does not
 * say) may be the half-made object of an interrupted run, at `now`.
 */
export function recoverable(createdAt: number | undefined, now: number): boolean {
  return createdAt === undefined || now - createdAt <= RECOVERY_WINDOW_SECONDS;
}

/** How a resource's messages name its objects. */
export interface ObjectWords {
  /** In "creating chat group …": the kind of object, for every method's error context. */
  object: string;
  /** In "group … was taken over by the resource that replaces it". */
  noun: string;
  /** What became of an object its replacement took over, e.g. "brought to the declared state". */
  kept?: string;
  /** What deleteBeforeReplace would do instead, e.g. "disband it and make it again". */
  remake: string;
}

/** How a resource reads what Pulumi hands it, whatever version of the package wrote it. */
export interface Readers<I, S> {
  /** Checked inputs, as `check` produced them. */
  inputs(props: Props): I;
  /** Saved outputs (or a half-made object's properties), with the object's ID. */
  state(props: Props | undefined, id: string): S;
}

/** What a change of inputs touches, before the resource options apply. */
export interface Comparison {
  /** Properties whose change makes a new object. */
  replacing: readonly string[];
  /** Properties updated in place. */
  updating: readonly string[];
  /** A replacement must delete the old object first: the new one would ask for the same ID. */
  deleteFirst: boolean;
}

export abstract class LifecycleProvider<I extends object, S extends object>
  extends ApiProvider
  implements Required<pulumi.dynamic.ResourceProvider>
{
  /** The resource kind: its held IDs are its own. */
  protected abstract readonly kind: string;
  protected abstract readonly words: ObjectWords;
  protected abstract readonly readers: Readers<I, S>;
  /** The properties the resource takes, and the internal inputs a refresh hands back besides. */
  protected abstract readonly inputNames: { properties: readonly string[]; internal: readonly string[] };

  abstract check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;

  /**
   * Which properties a change of inputs replaces and which it updates. `pending` names the
   * inputs not known yet (a preview): each may change. `news` is as Pulumi sent it.
   */
  protected abstract compare(id: string, before: S, want: I, pending: ReadonlySet<string>, news: Props): Comparison;
  /** What `create` says it was doing, should it fail: "creating chat group (generated ID)". */
  protected abstract creating(inputs: I): string;
  protected abstract createObject(inputs: I): Promise<pulumi.dynamic.CreateResult>;
  /** The object's outputs as it is now; undefined when it is gone. */
  protected abstract readObject(id: string, saved: S): Promise<Props | undefined>;
  /** Brings the object to `want`, whose ignored properties are as `before` has them. */
  protected abstract updateObject(id: string, before: S, want: I): Promise<pulumi.dynamic.UpdateResult>;
  /** Deletes the object; one already gone counts as deleted. */
  protected abstract deleteObject(id: string, saved: S): Promise<void>;

  /**
   * The inputs a refresh hands back: the properties the resource takes, as the outputs have
   * them, with the resource options the state held. A resource leaves out what its program
   * does not set.
   */
  protected refreshedInputs(outs: Props, props: Props, _saved: S): Props {
    return refreshedInputs(
      { ...outs, [OPTIONS_PROPERTY]: props[OPTIONS_PROPERTY] },
      this.inputNames.properties,
      this.inputNames.internal,
    );
  }

  /** As the old object's app: a change of app replaces, and the held ID is the old app's. */
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return guarded(`comparing ${this.words.object} ${id}`, () =>
      this.asApp(savedAppOf(olds), async () => {
        markHeld(this.heldKind(), id);
        noteLive(this.heldKind(), id, olds);
        const before = this.readers.state(olds ?? {}, id);
        const { want, pending } = readNews((props) => this.readers.inputs(props), news ?? {});
        const found = this.compare(id, before, want, pending, news ?? {});
        const { changed, replaces } = applyOptions(
          { changed: [...found.replacing, ...found.updating], replaces: found.replacing },
          readOptions(news),
        );
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && found.deleteFirst };
      }),
    );
  }

  /** Creates the object; the entry Pulumi records for it, whole or in part, is noted as live (held.ts). */
  create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = this.readers.inputs(props ?? {});
    return guarded(this.creating(inputs), () =>
      this.asApp(appOf(props), async () => {
        const made = await this.recordingLive(() => this.createObject(inputs));
        noteLive(this.heldKind(), made.id, made.outs);
        return made;
      }),
    );
  }

  /** Runs a create or an update; an object recorded in part (ResourceInitError) is noted as live with what Pulumi records of it. */
  private async recordingLive<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ResourceInitError) noteLive(this.heldKind(), err.id, err.properties);
      throw err;
    }
  }

  /**
   * The object as it is now, in the state's app. The app is never read back from the service:
   * it stays in the outputs and the refreshed inputs as the state names it, so that a refresh
   * neither makes the next preview replace nor sends a later delete to another app.
   */
  read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
    return guarded(`reading ${this.words.object} ${id}`, () => {
      const app = savedAppOf(props);
      return this.asApp(app, async () => {
        const saved = this.readers.state(props ?? {}, id);
        const outs = await this.readObject(id, saved);
        // Gone: an empty ID tells `pulumi refresh` to drop it from state.
        if (!outs) return { id: "" };
        markHeld(this.heldKind(), id);
        const inputs = this.refreshedInputs(outs, props ?? {}, saved);
        if (app === undefined) return { id, props: outs, inputs };
        return { id, props: { ...outs, app }, inputs: { ...inputs, app } };
      });
    });
  }

  /** Updates the object; an adoption's token (held.ts) stays in the outputs. */
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return guarded(`updating ${this.words.object} ${id}`, () =>
      this.asApp(appOf(news), async () => {
        markHeld(this.heldKind(), id);
        const before = this.readers.state(olds ?? {}, id);
        const want = keepIgnored(this.readers.inputs(news ?? {}), before as Partial<I>, readOptions(news));
        const { outs } = await this.recordingLive(() => this.updateObject(id, before, want));
        const adoption = olds?.[ADOPTION_PROPERTY];
        return { outs: typeof adoption === "string" ? { ...outs, [ADOPTION_PROPERTY]: adoption } : outs };
      }),
    );
  }

  /** Deletes the object in the state's app, unless a live entry holds it by another takeover token: its replacement took it over (held.ts). */
  delete(id: string, props?: Props): Promise<void> {
    return guarded(`deleting ${this.words.object} ${id}`, () =>
      this.asApp(savedAppOf(props), async () => {
        if (keptForReplacement(this.heldKind(), id, props, this.words)) return;
        markHeld(this.heldKind(), id);
        await this.deleteObject(id, this.readers.state(props ?? {}, id));
        release(this.heldKind(), id);
      }),
    );
  }

  /**
   * The refusal of a fixed ID whose object exists while the state does not hold it, with the
   * three ways out: adopt it, delete it first when replacing, or choose another ID. `made` is
   * how this resource makes one ("created", "imported"); `otherwise`, how to choose another.
   */
  protected alreadyExists(id: string, how: { made: "created" | "imported"; otherwise: string }): Error {
    const { noun } = this.words;
    const makeOne = how.made === "imported" ? "imported" : "made";
    return new Error(
      `${noun} ${id} already exists and this stack's state does not hold it. If an earlier \`pulumi up\` of this stack was ` +
        `interrupted, it may have ${how.made} it: set adoptExisting: true to manage it from this stack (pulumi destroy will then ` +
        `delete it). If this resource is being replaced (\`pulumi up --replace\`, replacementTrigger), its ${noun} must be deleted ` +
        `before one can be ${makeOne} under the same ID: set deleteBeforeReplace: true on the resource (adoptExisting: true keeps ` +
        `the ${noun} instead). Otherwise ${how.otherwise}.`,
    );
  }

  /** The failure of an update whose object is gone: what to run to drop it and make it again. */
  protected noLongerExists(id: string, how: { guess?: string; again: "create" | "import" }): Error {
    return new Error(
      `${this.words.noun} ${id} no longer exists${how.guess ? ` (${how.guess})` : ""}; run \`pulumi refresh\` to drop it, then \`pulumi up\` to ${how.again} it again`,
    );
  }

  /** The registry held IDs of this resource kind and app are kept under. */
  private heldKind(): string {
    return `${this.kind}@${this.appScope()}`;
  }

  /** True when this process has seen the state hold `id`. */
  protected held(id: string): boolean {
    return isHeld(this.heldKind(), id);
  }

  /** Notes that a create took over the object `id`; returns the token for its outputs. */
  protected adopted(id: string): string {
    return noteAdoption(this.heldKind(), id);
  }

  /**
   * The first incarnation whose ID `claim` takes (it answers undefined to pass to the next),
   * passing over those the state holds. `what` names the IDs, and `instead` what to do, in the
   * error when none is left.
   */
  protected async claimIncarnation<T>(
    what: { ids: string; instead: string },
    idOf: (incarnation: number) => string,
    claim: (id: string) => Promise<T | undefined>,
  ): Promise<T> {
    for (let incarnation = 1; incarnation <= MAX_INCARNATIONS; incarnation++) {
      const id = idOf(incarnation);
      if (this.held(id)) continue;
      const claimed = await claim(id);
      if (claimed !== undefined) return claimed;
    }
    throw new Error(
      `the generated ${what.ids} IDs ${idOf(1)} to -${MAX_INCARNATIONS} are all in use or reserved; ${what.instead}`,
    );
  }
}

/** The seed of a resource's generated IDs, which its class sets in every program of this package. */
export function requireSeed(seed: string | undefined): string {
  if (!seed)
    throw new Error(
      "the inputs carry no idSeed: the program ran an older pulumi-tencent-chat than this project has; run `npm ci`",
    );
  return seed;
}
