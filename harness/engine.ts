/**
 * The engine's side of `pulumi up`, `pulumi refresh` and `pulumi destroy` at the provider
 * boundary, reduced to what it does with a dynamic resource, and in the same order:
 *
 * - up: Check (with the old inputs), then Create, or Diff and Update; a replacement runs
 *   Check again with empty olds (pulumi/pulumi step_generator.go: "we need to recompute the
 *   default values") and creates with those inputs, except for a targeted replace
 *   (`--replace`), which sends no Diff and creates with the inputs checked against the old.
 * - a delete-before-replace first deletes the dependents the replacement would replace too,
 *   dependents last first (step_generator.go, calculateDependentReplacements): a dependent
 *   is replaced when Diff, given its inputs with those taken from a condemned resource made
 *   unknown, says so. The program's registration of it later creates it again.
 * - at most `parallel` operations at once (`--parallel`, by default 4 per CPU: 8 on a 2-core
 *   runner); after a failure no new operation starts, those under way finish.
 * - a create or update that fails with ErrorResourceInitFailed is recorded with the
 *   properties it carries; any other failure records nothing (an interrupted create is
 *   forgotten, as the engine drops pending creates).
 * - refresh: Read; an empty ID drops the resource. destroy: Delete, dependents first.
 * - a resource the program reads by ID (`.get`): Read, no Check; never updated, and dropped
 *   from the state, not deleted, by destroy.
 *
 * The state is a map of id, inputs and outputs per resource, as a stack's state file holds,
 * and can be exported in the shape of `pulumi stack export`.
 */
import { OUTPUT_REF } from "./project";
import { CHAT_GROUP_TYPE, HostCallError, type Props, type ProviderHost, UNKNOWN } from "./provider-host";

export interface ResourceState {
  name: string;
  /** The resource's type token. */
  type: string;
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
}

export class CheckFailed extends Error {
  constructor(
    readonly resource: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${resource}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

export type Step = "create" | "update" | "replace" | "same" | "delete" | "read";

/** One resource as a program registers it. */
export interface Registration {
  name: string;
  inputs: Props;
  type?: string;
  dependsOn?: string[];
  propertyDependencies?: Record<string, string[]>;
  /** The ID of an existing resource the program reads (`ChatGroup.get`) instead of managing. */
  id?: string;
}

export interface EngineOptions {
  /** Operations at once. @default 8 (Pulumi's 4 per CPU on a 2-core runner) */
  parallel?: number;
  /** State to start from, e.g. what an interrupted run left (see `snapshot`). */
  state?: ResourceState[];
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

export class MiniEngine {
  readonly state = new Map<string, ResourceState>();
  /** Steps of the last `up`, by resource name. */
  readonly steps = new Map<string, Step>();
  private readonly slots: Slots;
  /** Dependents deleted ahead of a delete-before-replace, until the program registers them again. */
  private readonly condemned = new Map<string, ResourceState>();

  constructor(
    readonly host: ProviderHost,
    options: EngineOptions = {},
  ) {
    this.slots = new Slots(options.parallel ?? 8);
    for (const r of options.state ?? []) this.state.set(r.name, structuredClone(r));
  }

  /** The state as it stands, for a later engine (a rerun after a crash) to start from. */
  snapshot(): ResourceState[] {
    return [...this.state.values()].map((r) => structuredClone(r));
  }

  /** Brings one resource to `news` (the inputs a program registered). `replace` is `pulumi up --replace`. */
  async apply(
    name: string,
    registered: Props,
    options: { type?: string; dependsOn?: string[]; propertyDependencies?: Record<string, string[]>; replace?: boolean } = {},
  ): Promise<ResourceState> {
    const news = this.resolve(registered) as Props;
    const prev = this.state.get(name);
    const condemned = this.condemned.get(name);
    const type = options.type ?? prev?.type ?? CHAT_GROUP_TYPE;
    const dependsOn = options.dependsOn ?? prev?.dependsOn ?? [];
    const propertyDependencies = options.propertyDependencies ?? prev?.propertyDependencies ?? {};
    const inputs = await this.check(name, prev?.inputs ?? condemned?.inputs ?? {}, news);
    if (condemned) {
      // Replaced already decided, without a Diff; created with inputs checked against empty olds.
      this.condemned.delete(name);
      this.steps.set(name, "replace");
      return this.create({ name, type, dependsOn, propertyDependencies }, await this.check(name, {}, news));
    }
    if (!prev) {
      this.steps.set(name, "create");
      return this.create({ name, type, dependsOn, propertyDependencies }, inputs);
    }
    // A targeted replace sends no Diff: the engine decides it on its own.
    const diff = options.replace
      ? { changes: true, replaces: ["id"], deleteBeforeReplace: false }
      : await this.host.diff(name, prev.id, prev.outputs, inputs);
    if (diff.replaces.length) {
      this.steps.set(name, "replace");
      const replacementInputs = options.replace ? inputs : await this.check(name, {}, news);
      if (diff.deleteBeforeReplace) {
        await this.deleteDependentReplacements(name);
        await this.host.delete(name, prev.id, prev.outputs);
        this.state.delete(name);
        return this.create({ name, type, dependsOn, propertyDependencies }, replacementInputs);
      }
      const next = await this.create({ name, type, dependsOn, propertyDependencies }, replacementInputs);
      await this.host.delete(name, prev.id, prev.outputs);
      return next;
    }
    if (!diff.changes && !prev.initFailed) {
      this.steps.set(name, "same");
      return prev;
    }
    this.steps.set(name, "update");
    try {
      const outputs = await this.host.update(name, prev.id, prev.outputs, inputs);
      const next = { name, type, id: prev.id, inputs, outputs, dependsOn, propertyDependencies };
      this.state.set(name, next);
      return next;
    } catch (err) {
      // A partial update: the engine keeps what the provider says is true now.
      if (err instanceof HostCallError && err.initFailed) {
        this.state.set(name, { name, type, id: prev.id, inputs, outputs: err.initFailed.properties, dependsOn, propertyDependencies, initFailed: true });
      }
      throw err;
    }
  }

  /**
   * Before `root` is deleted to be replaced: the resources that depend on it, directly or not,
   * in dependency order; each one with an input taken from a resource already condemned is
   * asked for a Diff with those inputs unknown, and is condemned too if the Diff replaces it.
   * The condemned are deleted, dependents first.
   */
  private async deleteDependentReplacements(root: string): Promise<void> {
    const condemned = new Set([root]);
    const replaced: ResourceState[] = [];
    for (const r of this.dependentsOf(root)) {
      if (r.external) continue;
      const unknown = Object.entries(r.propertyDependencies ?? {})
        .filter(([property, deps]) => property in r.inputs && deps.some((d) => condemned.has(d)))
        .map(([property]) => property);
      if (!unknown.length) continue;
      const inputs = { ...r.inputs, ...Object.fromEntries(unknown.map((property) => [property, UNKNOWN])) };
      if ((await this.host.diff(r.name, r.id, r.outputs, inputs)).replaces.length === 0) continue;
      condemned.add(r.name);
      replaced.push(r);
    }
    for (const r of replaced.reverse()) {
      await this.host.delete(r.name, r.id, r.outputs);
      this.state.delete(r.name);
      this.condemned.set(r.name, r);
    }
  }

  /** The resources that depend on `root`, directly or not, each after those it depends on. */
  private dependentsOf(root: string): ResourceState[] {
    const reached = new Set([root]);
    for (let grew = true; grew; ) {
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

  /** Fills in outputs of other resources (see OUTPUT_REF) from the state, as the engine resolves them. */
  private resolve(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith(OUTPUT_REF)) {
      const [resource, property] = value.slice(OUTPUT_REF.length).split(".");
      return this.state.get(resource)?.outputs[property] ?? value;
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }

  private async check(name: string, olds: Props, news: Props): Promise<Props> {
    const checked = await this.host.check(name, olds, news);
    if (checked.failures.length) throw new CheckFailed(name, checked.failures);
    return checked.inputs;
  }

  private async create(r: Pick<ResourceState, "name" | "type" | "dependsOn" | "propertyDependencies">, inputs: Props): Promise<ResourceState> {
    try {
      const { id, outputs } = await this.host.create(r.name, inputs);
      const next = { ...r, id, inputs, outputs };
      this.state.set(r.name, next);
      return next;
    } catch (err) {
      // As the engine does: a half-made object is recorded, then the error reported.
      if (err instanceof HostCallError && err.initFailed) {
        this.state.set(r.name, { ...r, id: err.initFailed.id, inputs, outputs: err.initFailed.properties, initFailed: true });
      }
      throw err;
    }
  }

  /**
   * `pulumi up` for a whole program: apply each resource once those it depends on are done,
   * independent ones in parallel; then delete those no longer declared. The first failure
   * stops new operations; the others under way finish, and the failure is thrown.
   */
  async up(resources: Registration[], options: { replace?: string[] } = {}): Promise<void> {
    this.steps.clear();
    this.condemned.clear();
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
              else await this.apply(name, r.inputs, { type: r.type, dependsOn: r.dependsOn, propertyDependencies: r.propertyDependencies, replace: options.replace?.includes(name) });
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
    const declared = new Set(resources.map((r) => r.name));
    for (const name of [...this.state.keys()].filter((n) => !declared.has(n))) await this.remove(name);
  }

  /**
   * A resource the program reads by ID: Read, with the properties the program gave, and no
   * Check; one the provider does not find fails the update, as the engine's ReadStep does.
   */
  private async readExternal(r: Registration & { id: string }): Promise<void> {
    const type = r.type ?? CHAT_GROUP_TYPE;
    const read = await this.host.read(r.name, r.id, r.inputs, r.inputs);
    if (read.id === "") throw new Error(`reading ${r.name}: resource '${r.id}' does not exist`);
    this.steps.set(r.name, "read");
    this.state.set(r.name, { name: r.name, type, id: read.id, inputs: r.inputs, outputs: read.outputs, dependsOn: r.dependsOn ?? [], external: true });
  }

  /** `pulumi refresh`: read each resource; one the provider reports gone leaves the state. */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.state.values()].map((r) =>
        this.slots.run(async () => {
          const read = await this.host.read(r.name, r.id, r.outputs, r.inputs);
          if (read.id === "") this.state.delete(r.name);
          else this.state.set(r.name, { ...r, id: read.id, outputs: read.outputs });
        }),
      ),
    );
  }

  /** `pulumi destroy`: delete everything, each resource after those that depend on it, the rest in parallel. */
  async destroy(): Promise<void> {
    const names = [...this.state.keys()];
    const done = new Map<string, Promise<void>>();
    const removeAfterDependents = (name: string): Promise<void> => {
      let step = done.get(name);
      if (!step) {
        const dependents = names.filter((n) => (this.state.get(n)?.dependsOn ?? []).includes(name));
        step = Promise.all(dependents.map(removeAfterDependents)).then(() => this.slots.run(() => this.remove(name)));
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
    // A resource only read is dropped from the state, never deleted.
    if (!r.external) await this.host.delete(name, r.id, r.outputs);
    this.state.delete(name);
  }

  /** The state in the shape `pulumi stack export` prints (version 3). */
  exportStack(stack = "test", project = "chat-project"): { version: 3; deployment: { resources: Props[] } } {
    const urn = (r: Pick<ResourceState, "type" | "name">) => `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;
    const resources = [...this.state.values()].map((r) => ({
      urn: urn(r),
      custom: true,
      id: r.id,
      type: r.type,
      inputs: r.inputs,
      outputs: r.outputs,
      dependencies: r.dependsOn.map((d) => urn(this.state.get(d) ?? { type: r.type, name: d })),
      ...(r.initFailed ? { initErrors: ["created or updated only in part"] } : {}),
    }));
    return { version: 3, deployment: { resources } };
  }
}
