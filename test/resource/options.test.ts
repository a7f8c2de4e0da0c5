/**
 * Pulumi's resource options on these resources, from programs run as `pulumi up` runs them
 * and through Pulumi's provider host, with the harness's engine applying what the engine
 * applies itself: each option does what README's table says, and none deletes or takes over
 * what the user did not ask it to.
 *
 * @slow a Pulumi program and a provider host per option
 */
import { CheckFailed, MiniEngine, OptionRefused, type Registration } from "../../harness/engine";
import { ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

/** The emulator's clock runs this far from now, so a group can be made "two days ago". */
let offsetMs = 0;
const stack = useStack(
  async (s) => {
    offsetMs = 0;
    await s.emu.importAccounts("owner1", "alice");
    await s.emu.control.clearRequests();
  },
  { emulator: { clock: () => Date.now() + offsetMs } },
);

/**
 * One program declaring every resource these tests use, each with its options: a program run
 * costs a second of CPU or more, so it runs once, and a test takes the registrations it needs,
 * changing inputs or options the way a new version of the program would.
 */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { ChatAccount, ChatGroup, ChatTopic } = require("pulumi-tencent-chat");
new ChatGroup("roc", { type: "Public", name: "first" }, { replaceOnChanges: ["name"] });
new ChatGroup("roc-fixed", { type: "Public", name: "first", groupId: "roc-room" }, { replaceOnChanges: ["name"] });
new ChatGroup("trig", { type: "Public", name: "n", groupId: "trig-room" }, { replacementTrigger: "v1" });
new ChatGroup("dbr", { type: "Public", name: "n" }, { deleteBeforeReplace: true });
new ChatGroup("ign", { type: "Public", name: "declared", notification: "n1" }, { ignoreChanges: ["name"] });
new ChatGroup("kept", { type: "Public", name: "kept" }, { retainOnDelete: true });
new ChatGroup("prot", { type: "Public", name: "n" }, { protect: true });
const guild = new ChatGroup("guild", { type: "Community", name: "Guild", ownerAccount: "owner1", supportTopic: true });
new ChatTopic("news", { groupId: guild.groupId, topicIdSuffix: "news", topicName: "News" }, { deletedWith: guild });
new ChatTopic("chat", { groupId: guild.groupId, topicName: "Chat" }, { deletedWith: guild });
const bot = new ChatAccount("bot", { userIdPrefix: "bot-" });
new ChatGroup("after-bot", { type: "Public", name: "n" }, { dependsOn: [bot] });
new ChatGroup("old-name", { type: "Public", name: "n" });
new ChatGroup("new-name", { type: "Public", name: "n" }, { aliases: [{ name: "old-name" }] });
new ChatGroup("plain", { type: "Public", name: "n" });
new ChatGroup("fixed", { type: "Public", name: "n", groupId: "fixed-room" });
new ChatGroup("empty", { type: "Public", name: "" });
`;
let registered: Promise<Registration[]> | undefined;

/** The program's registrations of `names`, each as `change` (if given) makes it: the next version of the program. */
async function program(names: string[], change: (r: Registration) => Registration = (r) => r): Promise<Registration[]> {
  const all = await (registered ??= stack().project.run(PROGRAM));
  return names.map((name) => {
    const found = all.find((r) => r.name === name);
    if (!found) throw new Error(`the program declares no ${name}`);
    return change(structuredClone(found));
  });
}
/** "kept" as a later program declares it, renamed "new", with `opts` after its inputs. */
async function keptAgain(opts: string): Promise<Registration[]> {
  const all = await stack().project.run(
    `const { ChatGroup } = require("pulumi-tencent-chat");\nnew ChatGroup("kept", { type: "Public", name: "new" }${opts});`,
  );
  return all.filter((r) => r.name === "kept");
}
const withInputs =
  (inputs: Record<string, unknown>) =>
  (r: Registration): Registration => ({ ...r, inputs: { ...r.inputs, ...inputs } });

const live = async () => (await stack().emu.control.state()).groups;
const liveIds = async () => (await live()).map((g) => g.groupId).sort();
const commands = async () =>
  (await stack().emu.control.requests()).map((r) => r.command ?? "").filter((c) => c !== "get_group_info");

/** A new CLI run: a host that has never seen the stack's resources in a Diff. */
async function inNewRun<T>(
  work: (engine: MiniEngine, host: ProviderHost) => Promise<T>,
  options: { readInputs?: boolean } = {},
): Promise<T> {
  const host = await ProviderHost.start(stack().project.dir);
  try {
    await host.configure(TestStack.configFor(stack().emu));
    return await work(new MiniEngine(host, { state: stack().engine.snapshot(), ...options }), host);
  } finally {
    await host.stop();
  }
}

describe("resource options", () => {
  it("replaceOnChanges: a change of a property it names replaces the group, as preview says", async () => {
    await stack().engine.up(await program(["roc"]));
    const before = stack().engine.state.get("roc")?.id;
    const next = await program(["roc"], withInputs({ name: "second" }));
    expect((await stack().engine.preview(next)).get("roc")).toBe("replace");
    await stack().engine.up(next);
    expect(stack().engine.steps.get("roc")).toBe("replace");
    expect(await liveIds()).toEqual([stack().engine.state.get("roc")?.id]);
    expect(stack().engine.state.get("roc")?.id).not.toBe(before);
  });

  it("replaceOnChanges on a fixed groupId deletes the group first, so the replacement gets its ID", async () => {
    await stack().engine.up(await program(["roc-fixed"]));
    await stack().engine.up(await program(["roc-fixed"], withInputs({ name: "second" })));
    expect(stack().engine.steps.get("roc-fixed")).toBe("delete-replace");
    expect((await live()).map((g) => [g.groupId, g.name])).toEqual([["roc-room", "second"]]);
  });

  it("replacementTrigger with a fixed groupId: the group is deleted first and made again under its ID, no collision", async () => {
    const [first] = await program(["trig"]);
    // The class orders a fixed ID's trigger-replacement delete-first.
    expect(first.options).toMatchObject({ replacementTrigger: "v1", deleteBeforeReplace: true });
    await stack().engine.up([first]);
    await stack().emu.control.clearRequests();
    await stack().engine.up(
      await program(["trig"], (r) => ({ ...r, options: { ...r.options, replacementTrigger: "v2" } })),
    );
    expect(stack().engine.steps.get("trig")).toBe("delete-replace");
    expect(await commands()).toEqual(["destroy_group", "create_group"]);
    expect(await liveIds()).toEqual(["trig-room"]);
  });

  it("deleteBeforeReplace: the old group goes first even with a generated ID", async () => {
    await stack().engine.up(await program(["dbr"]));
    await stack().emu.control.clearRequests();
    await stack().engine.up(await program(["dbr"], withInputs({ type: "Private" })));
    expect(stack().engine.steps.get("dbr")).toBe("delete-replace");
    expect(await commands()).toEqual(["destroy_group", "create_group"]);
  });

  it.each([
    ["a provider host that hands on refreshed inputs (3.216+)", true],
    ["an older provider host, which drops them", false],
  ])("ignoreChanges holds after a rename in the console and a refresh, with %s", async (_label, readInputs) => {
    await stack().engine.up(await program(["ign"]));
    const id = stack().engine.state.get("ign")?.id as string;
    await stack().emu.group("modify_group_base_info", { GroupId: id, Name: "renamed by hand" });
    await inNewRun(
      async (engine) => {
        await engine.refresh();
        await engine.up(await program(["ign"], withInputs({ notification: "n2" })));
        expect(engine.steps.get("ign")).toBe("update");
      },
      { readInputs },
    );
    expect((await live()).map((g) => [g.name, g.notification])).toEqual([["renamed by hand", "n2"]]);
  });

  it("retainOnDelete: a group the program lets go of stays, and the resource declared again without it the same day gets a group of its own", async () => {
    await stack().engine.up(await program(["kept"]));
    const retained = stack().engine.state.get("kept")?.id;
    await stack().engine.up([]);
    expect(stack().engine.steps.get("kept")).toBe("delete");
    expect(await liveIds()).toEqual([retained]);
    await inNewRun(async (engine) => {
      await engine.up(await keptAgain(""));
      expect(engine.steps.get("kept")).toBe("create");
      expect(engine.state.get("kept")?.id).not.toBe(retained);
      await engine.destroy();
    });
    expect((await live()).map((g) => [g.groupId, g.name])).toEqual([[retained, "kept"]]);
  });

  it("retainOnDelete: declared again with it two days later, the resource gets a group of its own", async () => {
    offsetMs = -2 * 86_400_000;
    await stack().engine.up(await program(["kept"]));
    const retained = stack().engine.state.get("kept")?.id;
    offsetMs = 0;
    await stack().engine.up([]);
    await inNewRun(async (engine) => {
      await engine.up(await keptAgain(", { retainOnDelete: true }"));
      expect(engine.steps.get("kept")).toBe("create");
      expect(engine.state.get("kept")?.id).not.toBe(retained);
    });
    expect((await live()).map((g) => g.name).sort()).toEqual(["kept", "new"]);
  });

  it("retainOnDelete: declared again with it within a day, the resource takes the group over, as an interrupted run's, and keeps it at its destroy", async () => {
    await stack().engine.up(await program(["kept"]));
    const retained = stack().engine.state.get("kept")?.id;
    await stack().engine.up([]);
    await inNewRun(async (engine) => {
      await engine.up(await keptAgain(", { retainOnDelete: true }"));
      expect(engine.state.get("kept")?.id).toBe(retained);
      await engine.destroy();
    });
    expect((await live()).map((g) => [g.groupId, g.name])).toEqual([[retained, "new"]]);
  });

  it("protect: neither a replacement nor a destroy removes the group", async () => {
    await stack().engine.up(await program(["prot"]));
    await expect(stack().engine.up(await program(["prot"], withInputs({ type: "Private" })))).rejects.toThrow(
      OptionRefused,
    );
    await expect(stack().engine.destroy()).rejects.toThrow(/cannot be deleted because it is protected/);
    expect(await live()).toHaveLength(1);
  });

  it("deletedWith: a Community's topics go with it, no destroy_topic sent", async () => {
    await stack().engine.up(await program(["guild", "news", "chat"]));
    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect(await commands()).toEqual(["destroy_group"]);
    expect(await live()).toEqual([]);
  });

  it("dependsOn: the account is made before the group and deleted after it", async () => {
    await stack().engine.up(await program(["bot", "after-bot"]));
    expect((await commands()).filter((c) => c === "account_import" || c === "create_group")).toEqual([
      "account_import",
      "create_group",
    ]);
    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect((await commands()).filter((c) => c === "account_delete" || c === "destroy_group")).toEqual([
      "destroy_group",
      "account_delete",
    ]);
  });

  it("aliases: a renamed resource keeps its group", async () => {
    await stack().engine.up(await program(["old-name"]));
    const id = stack().engine.state.get("old-name")?.id;
    await stack().emu.control.clearRequests();
    await stack().engine.up(await program(["new-name"]));
    expect(stack().engine.steps.get("new-name")).toBe("same");
    expect(stack().engine.state.get("new-name")?.id).toBe(id);
    expect(await commands()).toEqual([]);
    expect(await liveIds()).toEqual([id]);
  });

  it("import: refused when the program runs, saying what to do instead", async () => {
    await expect(
      stack().project.run(
        `const { ChatGroup } = require("pulumi-tencent-chat");\nnew ChatGroup("g", { type: "Public", name: "n" }, { import: "lobby" });`,
      ),
    ).rejects.toThrow(/import option cannot work for a dynamic resource .*adoptExisting: true.*ChatGroup\.get/);
  });

  it("pulumi up --replace of a group made two days ago replaces it: a new incarnation, the old one disbanded", async () => {
    offsetMs = -2 * 86_400_000;
    await stack().engine.up(await program(["plain"]));
    const before = stack().engine.state.get("plain")?.id;
    offsetMs = 0;
    await inNewRun(async (engine) => {
      await engine.up(await program(["plain"]), { replace: ["plain"] });
      expect(engine.steps.get("plain")).toBe("replace");
      expect(engine.state.get("plain")?.id).not.toBe(before);
      expect(await liveIds()).toEqual([engine.state.get("plain")?.id]);
    });
  });

  it("pulumi up --replace of a fixed groupId without deleteBeforeReplace says how to replace it, and leaves it", async () => {
    await stack().engine.up(await program(["fixed"]));
    await inNewRun(async (engine) => {
      await expect(engine.up(await program(["fixed"]), { replace: ["fixed"] })).rejects.toThrow(
        /fixed-room is already in use .*being replaced .*deleteBeforeReplace: true/,
      );
    });
    expect(await liveIds()).toEqual(["fixed-room"]);
  });

  it("check failures of a program stop before any call", async () => {
    await expect(stack().engine.up(await program(["empty"]))).rejects.toThrow(CheckFailed);
    expect(await commands()).toEqual([]);
  });
});
