/**
 * The harness's engine, rule by rule, against a scripted provider host that records every
 * call: what it checks with, what it asks Diff, what it creates, updates and deletes, and in
 * which order. Each rule is one the engine follows (harness/README.md names the source).
 */
import {
  type EngineHost,
  MiniEngine,
  OptionRefused,
  processIgnoreChanges,
  type Registration,
  type ResourceState,
} from "../../harness/engine";
import { OUTPUT_REF } from "../../harness/project";
import { type DiffAnswer, type Props, UNKNOWN } from "../../harness/provider-host";

const TYPE = "test:index:Thing";

/** A host whose Diff answers as `diffs` says per resource, and which keeps a log of its calls. */
class ScriptedHost implements EngineHost {
  readonly calls: string[] = [];
  readonly checkedWith: { name: string; olds: Props; news: Props }[] = [];
  diffs = new Map<string, Partial<DiffAnswer>>();
  private nextId = 1;

  private name(urn: string): string {
    return urn.split("::").pop() as string;
  }

  async check(urn: string, olds: Props, news: Props) {
    this.checkedWith.push({ name: this.name(urn), olds, news });
    this.calls.push(`check ${this.name(urn)}${Object.keys(olds).length ? "" : " (no olds)"}`);
    return { inputs: news, failures: [] };
  }

  async diff(urn: string): Promise<DiffAnswer> {
    this.calls.push(`diff ${this.name(urn)}`);
    return {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
      changedKeys: [],
      ...this.diffs.get(this.name(urn)),
    };
  }

  async create(urn: string, properties: Props) {
    this.calls.push(`create ${this.name(urn)}`);
    return { id: `${this.name(urn)}-${this.nextId++}`, outputs: { ...properties, made: true } };
  }

  async read(urn: string, id: string, properties: Props) {
    this.calls.push(`read ${this.name(urn)}`);
    return { id, outputs: { ...properties, refreshed: true }, inputs: { refreshedInput: true } };
  }

  async update(urn: string, _id: string, _olds: Props, news: Props) {
    this.calls.push(`update ${this.name(urn)}`);
    return { ...news };
  }

  async delete(urn: string) {
    this.calls.push(`delete ${this.name(urn)}`);
  }
}

const reg = (name: string, inputs: Props = {}, extra: Partial<Registration> = {}): Registration => ({
  name,
  type: TYPE,
  inputs,
  ...extra,
});

let host: ScriptedHost;
let engine: MiniEngine<ScriptedHost>;
beforeEach(() => {
  host = new ScriptedHost();
  engine = new MiniEngine(host);
});

async function deployed(...registrations: Registration[]): Promise<void> {
  await engine.up(registrations);
  host.calls.length = 0;
  host.checkedWith.length = 0;
}

describe("MiniEngine", () => {
  it("checks a new resource without olds and creates it", async () => {
    await engine.up([reg("a", { v: 1 })]);
    expect(host.calls).toEqual(["check a (no olds)", "create a"]);
  });

  it("checks a resource in state with its old inputs, diffs, and updates it", async () => {
    await deployed(reg("a", { v: 1 }));
    await engine.up([reg("a", { v: 2 })]);
    expect(host.calls).toEqual(["check a", "diff a", "update a"]);
  });

  it("settles a DIFF_UNKNOWN by comparing the old inputs with the new (diffResource)", async () => {
    await deployed(reg("a", { v: 1 }));
    host.diffs.set("a", { changes: "unknown" });
    await engine.up([reg("a", { v: 1 })]);
    expect(engine.steps.get("a")).toBe("same");
    await engine.up([reg("a", { v: 2 })]);
    expect(engine.steps.get("a")).toBe("update");
  });

  it("checks a targeted replace without olds, sends no Diff, and deletes the old one after the new is made", async () => {
    await deployed(reg("a", { v: 1 }));
    await engine.up([reg("a", { v: 1 })], { replace: ["a"] });
    expect(host.calls).toEqual(["check a (no olds)", "create a", "delete a"]);
    expect(engine.steps.get("a")).toBe("replace");
  });

  it("checks a replacement again without olds, makes it first, and deletes the old one after every other step", async () => {
    await deployed(reg("a", { v: 1 }), reg("b", { v: 1 }));
    host.diffs.set("a", { replaces: ["v"] });
    await engine.up([reg("a", { v: 2 }), reg("b", { v: 2 }, { dependsOn: ["a"] })]);
    expect(host.calls).toEqual([
      "check a",
      "diff a",
      "check a (no olds)",
      "create a",
      "check b",
      "diff b",
      "update b",
      "delete a",
    ]);
  });

  it("deletes a replaced entry an interrupted run left only after every registered resource's steps (Execute, GenerateDeletes)", async () => {
    const state: ResourceState[] = [
      {
        name: "a",
        type: TYPE,
        urn: "urn:pulumi:test::chat-project::test:index:Thing::a",
        id: "a-old",
        inputs: { v: 1 },
        outputs: { v: 1 },
        dependsOn: [],
        delete: true,
      },
      {
        name: "a",
        type: TYPE,
        urn: "urn:pulumi:test::chat-project::test:index:Thing::a",
        id: "a-new",
        inputs: { v: 1 },
        outputs: { v: 1 },
        dependsOn: [],
      },
    ];
    engine = new MiniEngine(host, { state });
    host.diffs.set("a", { changes: "none" });
    await engine.up([reg("a", { v: 1 }), reg("b")]);
    expect([...host.calls].sort()).toEqual(["check a", "check b (no olds)", "create b", "delete a", "diff a"]);
    expect(host.calls.at(-1)).toBe("delete a");
    expect(engine.snapshot().filter((r) => r.delete)).toEqual([]);
  });

  it("with --target, leaves the others unchecked and unchanged, creates no untargeted resource, and deletes only the targets' replaced or removed entries", async () => {
    await deployed(reg("a", { v: 1 }), reg("b", { v: 1 }), reg("gone"));
    const state: ResourceState[] = [
      ...engine.snapshot(),
      { ...(engine.state.get("b") as ResourceState), id: "b-condemned", delete: true },
    ];
    engine = new MiniEngine(host, { state });
    await engine.up([reg("a", { v: 2 }), reg("b", { v: 3 }), reg("new")], { target: ["a"] });
    expect(host.calls).toEqual(["check a", "diff a", "update a"]);
    expect(engine.steps.get("b")).toBe("same");
    expect(engine.state.get("b")?.inputs).toEqual({ v: 1 });
    expect(engine.state.has("new")).toBe(false);
    // b's replaced entry and the removed "gone" were not targeted: both stay.
    expect(
      engine
        .snapshot()
        .filter((r) => r.delete)
        .map((r) => r.id),
    ).toEqual(["b-condemned"]);
    expect(engine.state.has("gone")).toBe(true);
  });

  it("deletes first when Diff asks, or the program's deleteBeforeReplace does, whichever the program sets", async () => {
    await deployed(reg("a", { v: 1 }));
    host.diffs.set("a", { replaces: ["v"], deleteBeforeReplace: true });
    await engine.up([reg("a", { v: 2 })]);
    expect(host.calls.slice(-2)).toEqual(["delete a", "create a"]);
    expect(engine.steps.get("a")).toBe("delete-replace");
    host.calls.length = 0;
    await engine.up([reg("a", { v: 3 }, { options: { deleteBeforeReplace: false } })]);
    expect(host.calls.slice(-2)).toEqual(["create a", "delete a"]);
  });

  it("takes ignored properties from the old inputs before Check (processIgnoreChanges)", async () => {
    await deployed(reg("a", { name: "old", keep: { x: 1 } }));
    await engine.up([reg("a", { name: "new", keep: { x: 2 } }, { options: { ignoreChanges: ["name", "keep.x"] } })]);
    expect(host.checkedWith[0].news).toEqual({ name: "old", keep: { x: 1 } });
    expect(() => processIgnoreChanges({}, {}, ["missing"])).toThrow(/cannot ignore changes .*"missing"/);
  });

  it("applies replaceOnChanges only to keys the provider names (applyReplaceOnChanges)", async () => {
    await deployed(reg("a", { name: "x" }));
    await engine.up([reg("a", { name: "y" }, { options: { replaceOnChanges: ["name"] } })]);
    expect(engine.steps.get("a")).toBe("update");
    host.diffs.set("a", { changedKeys: ["name"] });
    await engine.up([reg("a", { name: "z" }, { options: { replaceOnChanges: ["name"] } })]);
    expect(engine.steps.get("a")).toBe("replace");
  });

  it("replaces on a changed replacementTrigger without asking the provider", async () => {
    await deployed(reg("a", { v: 1 }, { options: { replacementTrigger: "v1" } }));
    await engine.up([reg("a", { v: 1 }, { options: { replacementTrigger: "v2" } })]);
    expect(host.calls).toEqual(["check a", "check a (no olds)", "create a", "delete a"]);
  });

  it("refuses to replace or delete a protected resource", async () => {
    await deployed(reg("a", { v: 1 }, { options: { protect: true } }));
    host.diffs.set("a", { replaces: ["v"] });
    await expect(engine.up([reg("a", { v: 2 }, { options: { protect: true } })])).rejects.toThrow(OptionRefused);
    await expect(engine.destroy()).rejects.toThrow(/protected/);
    expect(host.calls).not.toContain("delete a");
  });

  it("drops a retained resource, and one deleted with another that is deleted too, without a Delete", async () => {
    await deployed(
      reg("parent"),
      reg("kept", {}, { options: { retainOnDelete: true } }),
      reg("child", {}, { dependsOn: ["parent"], options: { deletedWith: "parent" } }),
    );
    await engine.destroy();
    expect(host.calls).toEqual(["delete parent"]);
    expect(engine.state.size).toBe(0);
  });

  it("finds a renamed resource's state through its aliases", async () => {
    await deployed(reg("old", { v: 1 }));
    host.diffs.set("new", { changes: "none" });
    await engine.up([reg("new", { v: 1 }, { options: { aliases: ["old"] } })]);
    expect(host.calls).toEqual(["check new", "diff new"]);
    expect([...engine.state.keys()]).toEqual(["new"]);
  });

  it("previews with Check and Diff only, the outputs of what is to be made unknown to those that use them, and the state untouched", async () => {
    await deployed(reg("a", { v: 1 }));
    const before = engine.snapshot();
    const steps = await engine.preview([
      reg("a", { v: 2 }),
      reg("b", { from: `${OUTPUT_REF}a.made`, other: `${OUTPUT_REF}c.made` }, { dependsOn: ["a", "c"] }),
      reg("c"),
    ]);
    expect(Object.fromEntries(steps)).toEqual({ a: "update", b: "create", c: "create" });
    expect(host.calls.filter((c) => /^(create|update|delete)/.test(c))).toEqual([]);
    // An update hands back its inputs as outputs at preview: `made` is not among them.
    expect(host.checkedWith.find((c) => c.name === "b")?.news).toEqual({ from: UNKNOWN, other: UNKNOWN });
    expect(engine.snapshot()).toEqual(before);
  });

  it("keeps the inputs a Read returns on refresh, unless the host is one that drops them", async () => {
    await deployed(reg("a", { v: 1 }));
    await engine.refresh();
    expect(engine.state.get("a")?.inputs).toEqual({ refreshedInput: true });
    const older = new MiniEngine(host, {
      state: [{ ...(engine.state.get("a") as ResourceState), inputs: { v: 1 } }],
      readInputs: false,
    });
    await older.refresh();
    expect(older.state.get("a")?.inputs).toEqual({ v: 1 });
  });

  it("leaves a replaced resource to delete in the state when the run stops before its delete, and the next run deletes it", async () => {
    await deployed(reg("a", { v: 1 }));
    host.diffs.set("a", { replaces: ["v"] });
    const create = host.create.bind(host);
    host.create = async (urn, properties) =>
      urn.endsWith("::b") ? Promise.reject(new Error("the run was cut short")) : create(urn, properties);
    await expect(engine.up([reg("a", { v: 2 }), reg("b", {}, { dependsOn: ["a"] })])).rejects.toThrow(/cut short/);
    const left = engine.snapshot();
    expect(left.filter((r) => r.delete).map((r) => r.id)).toEqual(["a-1"]);
    expect(host.calls).not.toContain("delete a");
    const rerun = new MiniEngine(host, { state: left });
    host.diffs.set("a", { changes: "none" });
    await rerun.up([reg("a", { v: 2 })]);
    expect(host.calls).toContain("delete a");
    expect(rerun.snapshot().filter((r) => r.delete)).toEqual([]);
  });
});
