/**
 * The engine's side of `pulumi up`, `pulumi refresh` and `pulumi destroy` at the provider
 * boundary, reduced to what it does with a dynamic resource: Check, then Create or Diff
 * and Update (or replace), Read on refresh, Delete on destroy, keeping a state of
 * id, inputs and outputs per resource, as a stack's state file does.
 */
import { HostCallError, type Props, type ProviderHost } from "./provider-host";

export interface ResourceState {
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
  /** Created, but a later step failed: the next `up` updates it whatever the diff says. */
  initFailed?: boolean;
}

export class CheckFailed extends Error {
  constructor(
    readonly resource: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${resource}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

export type Step = "create" | "update" | "replace" | "same" | "delete";

export class MiniEngine {
  readonly state = new Map<string, ResourceState>();
  /** Steps of the last `up`, by resource name. */
  readonly steps = new Map<string, Step>();

  constructor(private readonly host: ProviderHost) {}

  /** Brings one resource to `news` (the inputs a program registered). */
  async apply(name: string, news: Props): Promise<ResourceState> {
    const prev = this.state.get(name);
    const checked = await this.host.check(name, prev?.inputs ?? {}, news);
    if (checked.failures.length) throw new CheckFailed(name, checked.failures);
    const inputs = checked.inputs;
    if (!prev) {
      this.steps.set(name, "create");
      return this.create(name, inputs);
    }
    const diff = await this.host.diff(name, prev.id, prev.outputs, inputs);
    if (diff.replaces.length) {
      this.steps.set(name, "replace");
      if (diff.deleteBeforeReplace) {
        await this.host.delete(name, prev.id, prev.outputs);
        this.state.delete(name);
        return this.create(name, inputs);
      }
      const next = await this.create(name, inputs);
      await this.host.delete(name, prev.id, prev.outputs);
      return next;
    }
    if (!diff.changes && !prev.initFailed) {
      this.steps.set(name, "same");
      return prev;
    }
    this.steps.set(name, "update");
    const outputs = await this.host.update(name, prev.id, prev.outputs, inputs);
    const next = { name, id: prev.id, inputs, outputs };
    this.state.set(name, next);
    return next;
  }

  private async create(name: string, inputs: Props): Promise<ResourceState> {
    try {
      const { id, outputs } = await this.host.create(name, inputs);
      const next = { name, id, inputs, outputs };
      this.state.set(name, next);
      return next;
    } catch (err) {
      // As the engine does: a half-made object is recorded, then the error reported.
      if (err instanceof HostCallError && err.initFailed) {
        this.state.set(name, { name, id: err.initFailed.id, inputs, outputs: err.initFailed.properties, initFailed: true });
      }
      throw err;
    }
  }

  /** What each resource depends on, from the program: deletes go dependents first. */
  private readonly dependsOn = new Map<string, string[]>();

  /**
   * `pulumi up` for a whole program: apply each resource once those it depends on are done,
   * independent ones in parallel; then delete those no longer declared.
   */
  async up(resources: { name: string; inputs: Props; dependsOn?: string[] }[]): Promise<void> {
    this.steps.clear();
    const done = new Map<string, Promise<unknown>>();
    const byName = new Map(resources.map((r) => [r.name, r]));
    const applyAfterDeps = (name: string): Promise<unknown> => {
      let step = done.get(name);
      if (!step) {
        const r = byName.get(name) as { name: string; inputs: Props; dependsOn?: string[] };
        this.dependsOn.set(name, r.dependsOn ?? []);
        step = Promise.all((r.dependsOn ?? []).filter((d) => byName.has(d)).map(applyAfterDeps)).then(() => this.apply(name, r.inputs));
        done.set(name, step);
      }
      return step;
    };
    await Promise.all(resources.map((r) => applyAfterDeps(r.name)));
    const declared = new Set(resources.map((r) => r.name));
    for (const name of [...this.state.keys()].filter((n) => !declared.has(n))) await this.remove(name);
  }

  /** `pulumi refresh`: read each resource; one the provider reports gone leaves the state. */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.state.values()].map(async (r) => {
        const read = await this.host.read(r.name, r.id, r.outputs, r.inputs);
        if (read.id === "") this.state.delete(r.name);
        else this.state.set(r.name, { ...r, id: read.id, outputs: read.outputs });
      }),
    );
  }

  /** `pulumi destroy`: delete everything, each resource after those that depend on it, the rest in parallel. */
  async destroy(): Promise<void> {
    const names = [...this.state.keys()];
    const done = new Map<string, Promise<void>>();
    const removeAfterDependents = (name: string): Promise<void> => {
      let step = done.get(name);
      if (!step) {
        const dependents = names.filter((n) => (this.dependsOn.get(n) ?? []).includes(name));
        step = Promise.all(dependents.map(removeAfterDependents)).then(() => this.remove(name));
        done.set(name, step);
      }
      return step;
    };
    await Promise.all(names.map(removeAfterDependents));
  }

  private async remove(name: string): Promise<void> {
    const r = this.state.get(name);
    if (!r) return;
    this.steps.set(name, "delete");
    await this.host.delete(name, r.id, r.outputs);
    this.state.delete(name);
  }
}
