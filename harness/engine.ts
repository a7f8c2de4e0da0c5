/**
 * The engine's side of `pulumi preview`, `up`, `refresh` and `destroy` at the provider
 * boundary, reduced to what Pulumi's engine does with a custom resource, in the same order.
 * Each rule names the engine source it follows (pulumi/pulumi `pkg/resource/deploy/`:
 * step_generator.go's generateSteps, continueStepsFromDiff, diff, diffResource,
 * processIgnoreChanges, applyReplaceOnChanges, calculateDependentReplacements and
 * GenerateDeletes; step.go's CreateStep, UpdateStep and DeleteStep; and
 * `sdk/go/common/resource/plugin/provider_plugin.go`'s Create and Update). harness/README.md
 * lists them, and what the harness does not model.
 *
 * It knows nothing of the resources it drives: types, URNs and options come from the
 * registrations, outputs from the provider.
 */
import { OUTPUT_REF, type RegisteredOptions, resourceUrn } from "./project";
import { type DiffAnswer, HostCallError, type Props, type ProviderHost, UNKNOWN } from "./provider-host";

/** What the engine calls on a provider host: Pulumi's over gRPC, or a scripted one in the harness's own tests. */
export type EngineHost = Pick<ProviderHost, "check" | "diff" | "create" | "read" | "update" | "delete">;

export interface ResourceState {
  name: string;
  /** The resource's type token. */
  type: string;
  urn: string;
  id: string;
  inputs: Props;
  outputs: Props;
  /** Names of the resources it depends on. */
  dependsOn: string[];
  /** For each input property that takes another resource's output, the names of those resources. */
  propertyDependencies?: Record<string, string[]>;
  /** Created or updated only in part: the next `up` updates it whatever the diff says. */
  initFailed?: boolean;
  /** Read, not managed (`ChatGroup.get`): refreshed, never updated or deleted. */
  external?: boolean;
  /** The options the engine keeps in state and consults again when deleting. */
  protect?: boolean;
  retainOnDelete?: boolean;
  deletedWith?: string;
  replacementTrigger?: unknown;
  /** Replaced, and still to be deleted (a state file's `delete: true`): an interrupted run left it. */
  delete?: boolean;
}

export class CheckFailed extends Error {
  constructor(
    readonly resource: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${resource}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

/** A resource option refused an operation, with the engine's words for why. */
export class OptionRefused extends Error {}

/**
 * What happens to a resource: `replace` creates the replacement and deletes the old one after
 * every other step; `delete-replace` deletes it first (deleteBeforeReplace).
 */
export type Step = "create" | "update" | "replace" | "delete-replace" | "same" | "delete" | "read";

/** One resource as a program registers it. */
export interface Registration {
  name: string;
  type: string;
  /** @default the URN of `type` and `name` in this harness's stack */
  urn?: string;
  inputs: Props;
  dependsOn?: string[];
  propertyDependencies?: Record<string, string[]>;
  /** The ID of an existing resource the program reads (`ChatGroup.get`) instead of managing. */
  id?: string;
  options?: RegisteredOptions;
}

export interface EngineOptions {
  /** Operations at once. @default 8 (Pulumi's 4 per CPU on a 2-core runner) */
  parallel?: number;
  /** State to start from, e.g. what an interrupted run left (see `snapshot`), replaced resources still to delete included. */
  state?: ResourceState[];
  /**
   * Whether the provider host hands on the inputs a Read returns. Pulumi's Node host does from
   * 3.216 (pulumi/pulumi#21315); false stands for an older one. @default true
   */
  readInputs?: boolean;
}

/** Counts operations in flight and queues the rest, as `--parallel` does. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * ignoreChanges: each named property takes its old input's value (processIgnoreChanges). Paths
 * are property names, `a.b` and `a[0]`; one missing from the old inputs fails, as in the engine.
 */
export function processIgnoreChanges(news: Props, oldInputs: Props, paths: readonly string[]): Props {
  const out = structuredClone(news);
  const missing: string[] = [];
  for (const path of paths) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
    let from: unknown = oldInputs;
    for (const k of keys)
      from = from !== null && typeof from === "object" ? (from as Record<string, unknown>)[k] : undefined;
    if (from === undefined) {
      missing.push(path);
      continue;
    }
    let into = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) into = (into[k] ??= {}) as Record<string, unknown>;
    into[keys[keys.length - 1]] = structuredClone(from);
  }
  if (missing.length)
    throw new Error(
      `cannot ignore changes to the following properties because one or more elements of the path are missing: ${missing.map((m) => `"${m}"`).join(", ")}`,
    );
  return out;
}

/** applyReplaceOnChanges: a changed key under a replaceOnChanges path replaces. Only keys the provider named count. */
function applyReplaceOnChanges(diff: DiffAnswer, replaceOnChanges: readonly string[] = []): DiffAnswer {
  if (diff.changes !== "some" || replaceOnChanges.length === 0) return diff;
  const covered = (key: string) =>
    replaceOnChanges.some((p) => p === "*" || p === key || key.startsWith(`${p}.`) || key.startsWith(`${p}[`));
  return { ...diff, replaces: [...new Set([...diff.replaces, ...diff.changedKeys.filter(covered)])] };
}

export class MiniEngine<H extends EngineHost = ProviderHost> {
  readonly state = new Map<string, ResourceState>();
  /** Steps of the last `up` (or `preview`), by resource name. */
  readonly steps = new Map<string, Step>();
  /** Old resources a create-before-delete replacement condemned; deleted once every other step is done. */
  private pendingDeletes: ResourceState[] = [];
  private readonly slots: Slots;
  /** Dependents deleted ahead of a delete-before-replace, until the program registers them again. */
  private readonly condemned = new Map<string, ResourceState>();
  /** During `preview`: what each resource's outputs are as far as the engine knows. */
  private previewed?: Map<string, Props>;
  private readonly readInputs: boolean;

  constructor(
    readonly host: H,
    options: EngineOptions = {},
  ) {
    this.slots = new Slots(options.parallel ?? 8);
    this.readInputs = options.readInputs ?? true;
    for (const r of options.state ?? []) {
      if (r.delete) this.pendingDeletes.push(structuredClone(r));
      else this.state.set(r.name, structuredClone(r));
    }
  }

  /** The state as it stands, for a later engine (a rerun after a crash) to start from: replaced resources still to delete carry `delete: true`. */
  snapshot(): ResourceState[] {
    return [
      ...this.pendingDeletes.map((r) => ({ ...structuredClone(r), delete: true })),
      ...[...this.state.values()].map((r) => structuredClone(r)),
    ];
  }

  private get dryRun(): boolean {
    return this.previewed !== undefined;
  }

  /**
   * Brings one resource to its registration (generateSteps, then continueStepsFromDiff).
   * `replace` is `pulumi up --replace` of this resource.
   */
  async apply(r: Registration, mode: { replace?: boolean } = {}): Promise<ResourceState> {
    const urn = r.urn ?? resourceUrn(r.type, r.name);
    const options = r.options ?? {};
    const goal = this.resolve(r.inputs) as Props;
    const { old, via } = this.findOld(r);
    const condemned = this.condemned.get(r.name);
    const base = {
      name: r.name,
      type: r.type,
      urn,
      dependsOn: r.dependsOn ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
      ...stateOptions(options),
    };
    // ignoreChanges takes the old inputs' values before Check (generateSteps, processIgnoreChanges).
    const inputs = old ? processIgnoreChanges(goal, old.inputs, options.ignoreChanges ?? []) : goal;
    // Check without olds when re-creating, taking over a read resource, for a targeted replace,
    // or for a new resource; with them otherwise (generateSteps).
    const checkedAlone = condemned !== undefined || old?.external === true || mode.replace === true || !old;
    const checked = checkedAlone
      ? await this.check(urn, r.name, {}, goal)
      : await this.check(urn, r.name, (old as ResourceState).inputs, inputs);
    if (condemned) {
      // Case 1, recreating: deleted ahead of a delete-before-replace, now created again.
      this.condemned.delete(r.name);
      return this.create(base, checked, "replace");
    }
    if (!old || old.external) {
      if (old?.external && !this.dryRun) this.state.delete(old.name);
      return this.create(base, checked, old ? "replace" : "create");
    }
    if (via) this.rename(via, r.name);
    const diff = await this.diff(urn, old, checked, options, mode.replace === true);
    if (diff.changes === "some" && diff.replaces.length)
      return this.replace(base, old, goal, checked, diff, options, mode.replace === true);
    if (diff.changes === "none" && !old.initFailed) {
      this.steps.set(r.name, "same");
      const same = { ...old, ...base, id: old.id, inputs: checked, outputs: old.outputs, initFailed: undefined };
      if (this.previewed) this.previewed.set(r.name, old.outputs);
      else this.state.set(r.name, same);
      return same;
    }
    return this.update(base, old, checked);
  }

  /** The state a registration continues: under its name, or one of its aliases (generateSteps). */
  private findOld(r: Registration): { old?: ResourceState; via?: string } {
    const own = this.state.get(r.name);
    if (own) return { old: own };
    for (const alias of r.options?.aliases ?? []) {
      const old = this.state.get(alias);
      if (old && old.type === r.type) return { old, via: alias };
    }
    return {};
  }

  /** An aliased resource keeps its state under its new name, and those that depend on it follow. */
  private rename(from: string, to: string): void {
    if (this.dryRun) return;
    const old = this.state.get(from) as ResourceState;
    this.state.delete(from);
    this.state.set(to, { ...old, name: to });
    for (const r of this.state.values()) r.dependsOn = r.dependsOn.map((d) => (d === from ? to : d));
  }

  /**
   * The engine's diff (diff, diffResource): a targeted replace replaces "id" without asking the
   * provider; a changed replacementTrigger replaces without asking it either; otherwise Diff,
   * whose DIFF_UNKNOWN the engine settles by comparing the old inputs with the new. Then
   * replaceOnChanges, from the keys the provider named (applyReplaceOnChanges).
   */
  private async diff(
    urn: string,
    old: ResourceState,
    checked: Props,
    options: RegisteredOptions,
    targeted: boolean,
  ): Promise<DiffAnswer> {
    if (targeted) return { changes: "some", replaces: ["id"], deleteBeforeReplace: false, changedKeys: [] };
    if (
      (options.replacementTrigger !== undefined || old.replacementTrigger !== undefined) &&
      !equal(options.replacementTrigger, old.replacementTrigger)
    ) {
      return { changes: "some", replaces: ["replacementTrigger"], deleteBeforeReplace: false, changedKeys: [] };
    }
    let diff = await this.host.diff(urn, old.id, old.outputs, checked, old.inputs);
    if (diff.changes === "unknown") diff = { ...diff, changes: equal(old.inputs, checked) ? "none" : "some" };
    return applyReplaceOnChanges(diff, options.replaceOnChanges);
  }

  /** A replacement (continueStepsFromDiff): protect refuses it; the replacement is checked again without olds. */
  private async replace(
    base: Omit<ResourceState, "id" | "inputs" | "outputs">,
    old: ResourceState,
    goal: Props,
    checked: Props,
    diff: DiffAnswer,
    options: RegisteredOptions,
    targeted: boolean,
  ): Promise<ResourceState> {
    if (options.protect && old.protect) {
      throw new OptionRefused(
        `unable to replace resource "${old.urn}" as it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
      );
    }
    // "We need to recompute the default values"; a targeted replace already has them.
    const inputs = targeted ? checked : await this.check(base.urn, base.name, {}, goal);
    const deleteFirst = options.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    if (deleteFirst) {
      await this.deleteDependentReplacements(old);
      await this.removeOld(old, true);
      if (!this.dryRun) this.state.delete(old.name);
      return this.create(base, inputs, "delete-replace");
    }
    const next = await this.create(base, inputs, "replace");
    // "The delete step is generated later on, after all creates/updates finish."
    if (!this.dryRun) this.pendingDeletes.push({ ...old, delete: true });
    return next;
  }

  private async update(
    base: Omit<ResourceState, "id" | "inputs" | "outputs">,
    old: ResourceState,
    inputs: Props,
  ): Promise<ResourceState> {
    this.steps.set(base.name, "update");
    if (this.previewed) {
      // A provider without previews hands back the new inputs as the outputs (provider_plugin.go, Update).
      this.previewed.set(base.name, inputs);
      return { ...old, ...base, inputs, outputs: inputs };
    }
    try {
      const outputs = await this.host.update(base.urn, old.id, old.outputs, inputs);
      const next: ResourceState = { ...base, id: old.id, inputs, outputs };
      this.state.set(base.name, next);
      return next;
    } catch (err) {
      // A partial update: the engine keeps what the provider says is true now.
      if (err instanceof HostCallError && err.initFailed) {
        this.state.set(base.name, {
          ...base,
          id: old.id,
          inputs,
          outputs: err.initFailed.properties,
          initFailed: true,
        });
      }
      throw err;
    }
  }

  /**
   * Before `root` is deleted to be replaced: the resources that depend on it, directly or not,
   * in dependency order; each one with an input taken from a resource already condemned is
   * asked for a Diff with those inputs unknown, and is condemned too if the Diff replaces it
   * (calculateDependentReplacements). The condemned are deleted, dependents first.
   */
  private async deleteDependentReplacements(root: ResourceState): Promise<void> {
    const condemned = new Set([root.name]);
    const replaced: ResourceState[] = [];
    for (const r of this.dependentsOf(root.name)) {
      if (r.external) continue;
      const unknown = Object.entries(r.propertyDependencies ?? {})
        .filter(([property, deps]) => property in r.inputs && deps.some((d) => condemned.has(d)))
        .map(([property]) => property);
      if (!unknown.length) continue;
      const inputs = { ...r.inputs, ...Object.fromEntries(unknown.map((property) => [property, UNKNOWN])) };
      if ((await this.host.diff(r.urn, r.id, r.outputs, inputs, r.inputs)).replaces.length === 0) continue;
      if (r.protect)
        throw new OptionRefused(
          `unable to replace resource "${r.urn}" as part of replacing "${root.urn}" as it is currently marked for protection`,
        );
      condemned.add(r.name);
      replaced.push(r);
    }
    for (const r of replaced.reverse()) {
      await this.removeOld(r, true);
      if (!this.dryRun) this.state.delete(r.name);
      this.condemned.set(r.name, r);
    }
  }

  /** The resources that depend on `root`, directly or not, each after those it depends on. */
  private dependentsOf(root: string): ResourceState[] {
    const reached = new Set([root]);
    for (let grew = true; grew;) {
      grew = false;
      for (const r of this.state.values()) {
        if (reached.has(r.name) || !r.dependsOn.some((d) => reached.has(d))) continue;
        reached.add(r.name);
        grew = true;
      }
    }
    reached.delete(root);
    const ordered: ResourceState[] = [];
    const placed = new Set([root]);
    while (ordered.length < reached.size) {
      for (const name of reached) {
        const r = this.state.get(name) as ResourceState;
        if (placed.has(name) || !r.dependsOn.every((d) => placed.has(d) || !reached.has(d))) continue;
        ordered.push(r);
        placed.add(name);
      }
    }
    return ordered;
  }

  /**
   * Fills in outputs of other resources (see OUTPUT_REF) as the engine resolves them: from the
   * state, or during preview from what the engine knows then; a property it does not know yet
   * is unknown.
   */
  private resolve(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith(OUTPUT_REF)) {
      const [resource, property] = value.slice(OUTPUT_REF.length).split(".");
      const outputs = this.previewed?.get(resource) ?? this.state.get(resource)?.outputs;
      return outputs?.[property] ?? (this.dryRun ? UNKNOWN : value);
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }

  private async check(urn: string, name: string, olds: Props, news: Props): Promise<Props> {
    const checked = await this.host.check(urn, olds, news);
    if (checked.failures.length) throw new CheckFailed(name, checked.failures);
    return checked.inputs;
  }

  private async create(
    base: Omit<ResourceState, "id" | "inputs" | "outputs">,
    inputs: Props,
    step: Step,
  ): Promise<ResourceState> {
    this.steps.set(base.name, step);
    if (this.previewed) {
      // A provider without previews hands back the inputs as the outputs (provider_plugin.go, Create).
      this.previewed.set(base.name, inputs);
      return { ...base, id: "", inputs, outputs: inputs };
    }
    try {
      const { id, outputs } = await this.host.create(base.urn, inputs);
      const next = { ...base, id, inputs, outputs };
      this.state.set(base.name, next);
      return next;
    } catch (err) {
      // As the engine does: a half-made object is recorded, then the error reported.
      if (err instanceof HostCallError && err.initFailed) {
        this.state.set(base.name, {
          ...base,
          id: err.initFailed.id,
          inputs,
          outputs: err.initFailed.properties,
          initFailed: true,
        });
      }
      throw err;
    }
  }

  /**
   * DeleteStep.Apply: a protected resource is not deleted (unless it is being replaced, checked
   * before); a read one, one with retainOnDelete, or one deletedWith a resource also being
   * deleted leaves the state without a Delete call. Nothing is deleted in a preview.
   */
  private async removeOld(
    r: ResourceState,
    replacing: boolean,
    deleting: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    if (!replacing && r.protect) {
      throw new OptionRefused(
        `resource "${r.urn}" cannot be deleted because it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command: \`pulumi state unprotect\``,
      );
    }
    if (this.dryRun || r.external || r.retainOnDelete) return;
    if (r.deletedWith !== undefined && deleting.has(r.deletedWith)) return;
    await this.host.delete(r.urn, r.id, r.outputs);
  }

  /**
   * `pulumi up` for a whole program: apply each resource once those it depends on are done,
   * independent ones in parallel; then delete the replaced resources and those no longer
   * declared, dependents first (GenerateDeletes, ScheduleDeletes). The first failure stops new
   * operations; the others under way finish, and the failure is thrown.
   */
  async up(resources: Registration[], options: { replace?: string[]; target?: string[] } = {}): Promise<void> {
    this.steps.clear();
    this.condemned.clear();
    await this.applyAll(resources, options);
    const declared = new Set(resources.map((r) => r.name));
    // `--target`: only the targets' old entries are deleted (GenerateDeletes, isTargeted).
    const targeted = (name: string) => options.target === undefined || options.target.includes(name);
    const gone = [...this.state.values()].filter((r) => !declared.has(r.name) && targeted(r.name));
    const deleting = new Set([...gone.map((r) => r.name), ...this.pendingDeletes.map((r) => r.name).filter(targeted)]);
    await this.deleteReplaced(deleting, targeted);
    for (const r of this.deletionOrder(gone)) {
      this.steps.set(r.name, "delete");
      await this.removeOld(r, false, deleting);
      this.state.delete(r.name);
    }
  }

  /**
   * The end of a deployment for what it replaced: the old resources a create-before-delete
   * replacement left, deleted (GenerateDeletes). `up` does this after every other step; a test
   * that applies one resource on its own calls it to finish that resource's deployment.
   */
  async deleteReplaced(
    deleting: ReadonlySet<string> = new Set(this.pendingDeletes.map((r) => r.name)),
    targeted: (name: string) => boolean = () => true,
  ): Promise<void> {
    const untargeted = this.pendingDeletes.filter((r) => !targeted(r.name));
    this.pendingDeletes = this.pendingDeletes.filter((r) => targeted(r.name));
    try {
      while (this.pendingDeletes.length) {
        await this.removeOld(this.pendingDeletes[0], true, deleting);
        this.pendingDeletes.shift();
      }
    } finally {
      this.pendingDeletes.push(...untargeted);
    }
  }

  /**
   * `pulumi preview`: the same steps as `up` decides, from Check and Diff only, with the
   * outputs of what is to be created or changed unknown to the resources that use them (a
   * provider without previews hands back its inputs as its outputs); nothing is created,
   * updated or deleted, and the state is left as it was. Returns the step of each resource.
   */
  async preview(resources: Registration[], options: { replace?: string[] } = {}): Promise<Map<string, Step>> {
    this.steps.clear();
    this.condemned.clear();
    this.previewed = new Map();
    try {
      await this.applyAll(resources, options);
      const declared = new Set(resources.map((r) => r.name));
      for (const r of this.state.values()) if (!declared.has(r.name)) this.steps.set(r.name, "delete");
      return new Map(this.steps);
    } finally {
      this.previewed = undefined;
      this.condemned.clear();
    }
  }

  private async applyAll(resources: Registration[], options: { replace?: string[]; target?: string[] }): Promise<void> {
    const done = new Map<string, Promise<void>>();
    const byName = new Map(resources.map((r) => [r.name, r]));
    let firstError: unknown;
    const applyAfterDeps = (name: string): Promise<void> => {
      let step = done.get(name);
      if (!step) {
        const r = byName.get(name) as Registration;
        const deps = (r.dependsOn ?? []).filter((d) => byName.has(d));
        step = Promise.all(deps.map(applyAfterDeps)).then(() =>
          this.slots.run(async () => {
            if (firstError !== undefined) return;
            try {
              if (r.id !== undefined) await this.readExternal(r as Registration & { id: string });
              else if (options.target && !options.target.includes(name)) this.skipUntargeted(r);
              else await this.apply(r, { replace: options.replace?.includes(name) });
            } catch (err) {
              firstError ??= err;
            }
          }),
        );
        done.set(name, step);
      }
      return step;
    };
    await Promise.all(resources.map((r) => applyAfterDeps(r.name)));
    if (firstError !== undefined) throw firstError;
  }

  /**
   * `--target` leaves the others alone (generateSteps): no Check, no Diff; one in the state
   * stays as it is (a same step), a new one is not created (a skipped create, not recorded).
   */
  private skipUntargeted(r: Registration): void {
    this.steps.set(r.name, "same");
  }

  /** Those that depend on others first: the order deletes go in. */
  private deletionOrder(resources: ResourceState[]): ResourceState[] {
    const names = new Set(resources.map((r) => r.name));
    const ordered: ResourceState[] = [];
    const placed = new Set<string>();
    while (ordered.length < resources.length) {
      for (const r of resources) {
        if (placed.has(r.name)) continue;
        const dependents = resources.filter(
          (d) => !placed.has(d.name) && d.name !== r.name && d.dependsOn.includes(r.name) && names.has(d.name),
        );
        if (dependents.length) continue;
        ordered.push(r);
        placed.add(r.name);
      }
    }
    return ordered;
  }

  /**
   * A resource the program reads by ID: Read, with the properties the program gave, and no
   * Check; one the provider does not find fails the update, as the engine's ReadStep does.
   */
  private async readExternal(r: Registration & { id: string }): Promise<void> {
    const urn = r.urn ?? resourceUrn(r.type, r.name);
    const read = await this.host.read(urn, r.id, r.inputs, r.inputs);
    if (read.id === "") throw new Error(`reading ${r.name}: resource '${r.id}' does not exist`);
    this.steps.set(r.name, "read");
    if (this.previewed) this.previewed.set(r.name, read.outputs);
    else
      this.state.set(r.name, {
        name: r.name,
        type: r.type,
        urn,
        id: read.id,
        inputs: r.inputs,
        outputs: read.outputs,
        dependsOn: r.dependsOn ?? [],
        external: true,
      });
  }

  /**
   * `pulumi refresh`: read each resource; one the provider reports gone leaves the state, and
   * inputs the provider hands back (host 3.216+) replace the old inputs.
   */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.state.values()].map((r) =>
        this.slots.run(async () => {
          const read = await this.host.read(r.urn, r.id, r.outputs, r.inputs);
          if (read.id === "") this.state.delete(r.name);
          else
            this.state.set(r.name, {
              ...r,
              id: read.id,
              outputs: read.outputs,
              inputs: (this.readInputs && read.inputs) || r.inputs,
            });
        }),
      ),
    );
  }

  /** `pulumi destroy`: delete everything, each resource after those that depend on it, the rest in parallel. */
  async destroy(): Promise<void> {
    const names = [...this.state.keys()];
    const deleting = new Set([...names, ...this.pendingDeletes.map((r) => r.name)]);
    await this.deleteReplaced(deleting);
    const done = new Map<string, Promise<void>>();
    const removeAfterDependents = (name: string): Promise<void> => {
      let step = done.get(name);
      if (!step) {
        const dependents = names.filter((n) => (this.state.get(n)?.dependsOn ?? []).includes(name));
        step = Promise.all(dependents.map(removeAfterDependents)).then(() =>
          this.slots.run(async () => {
            const r = this.state.get(name);
            if (!r) return;
            this.steps.set(name, "delete");
            await this.removeOld(r, false, deleting);
            this.state.delete(name);
          }),
        );
        done.set(name, step);
      }
      return step;
    };
    await Promise.all(names.map(removeAfterDependents));
  }

  /**
   * The state in the shape `pulumi stack export` prints (version 3); replaced resources not
   * deleted yet carry `delete: true`. URNs are the ones the program was run with (stack `test`
   * of `chat-project`): the inputs derived from them (ID seeds) must agree.
   */
  exportStack(): { version: 3; deployment: { resources: Props[] } } {
    const entry = (r: ResourceState, pendingDelete: boolean) => ({
      urn: r.urn,
      custom: true,
      id: r.id,
      type: r.type,
      inputs: r.inputs,
      outputs: r.outputs,
      dependencies: r.dependsOn.map((d) => (this.state.get(d) ?? { urn: resourceUrn(r.type, d) }).urn),
      ...(r.initFailed ? { initErrors: ["created or updated only in part"] } : {}),
      ...(r.protect ? { protect: true } : {}),
      ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(pendingDelete ? { delete: true } : {}),
    });
    const resources = [
      ...this.pendingDeletes.map((r) => entry(r, true)),
      ...[...this.state.values()].map((r) => entry(r, false)),
    ];
    return { version: 3, deployment: { resources } };
  }
}

/** The options a resource's state records (resource.State's Protect, RetainOnDelete, DeletedWith, ReplacementTrigger). */
function stateOptions(
  options: RegisteredOptions,
): Pick<ResourceState, "protect" | "retainOnDelete" | "deletedWith" | "replacementTrigger"> {
  return {
    ...(options.protect && { protect: true }),
    ...(options.retainOnDelete && { retainOnDelete: true }),
    ...(options.deletedWith !== undefined && { deletedWith: options.deletedWith }),
    ...(options.replacementTrigger !== undefined && { replacementTrigger: options.replacementTrigger }),
  };
}
