/**
 * Pulumi's resource options on these resources, from programs run as `pulumi up` runs them
 * and through Pulumi's provider host, with the harness's engine applying what the engine
 * applies itself: each option does what README's table says, and none deletes or takes over
 * what the user did not ask it to.
 *
 * @slow a Pulumi program and a provider host per option
 */
import { CheckFailed, MiniEngine, OptionRefused } from "../../harness/engine";
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

/** A program's registrations; a program costs a second of CPU, so each source runs once. */
const runs = new Map<string, ReturnType<ReturnType<typeof stack>["project"]["run"]>>();
const program = (body: string) => {
  const source = `const pulumi = require("@pulumi/pulumi");\nconst { ChatAccount, ChatGroup, ChatTopic } = require("pulumi-tencent-chat");\n${body}`;
  if (!runs.has(source)) runs.set(source, stack().project.run(source));
  return runs.get(source) as ReturnType<ReturnType<typeof stack>["project"]["run"]>;
};

const live = async () => (await stack().emu.control.state()).groups;
const liveIds = async () => (await live()).map((g) => g.groupId).sort();
const commands = async () => (await stack().emu.control.requests()).map((r) => r.command ?? "").filter((c) => c !== "get_group_info");

/** A new CLI run: a host that has never seen the stack's resources in a Diff. */
async function inNewRun<T>(work: (engine: MiniEngine, host: ProviderHost) => Promise<T>, options: { readInputs?: boolean } = {}): Promise<T> {
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
    const named = (name: string) => program(`new ChatGroup("g", { type: "Public", name: ${JSON.stringify(name)} }, { replaceOnChanges: ["name"] });`);
    await stack().engine.up(await named("first"));
    const before = stack().engine.state.get("g")?.id;
    expect((await stack().engine.preview(await named("second"))).get("g")).toBe("replace");
    await stack().engine.up(await named("second"));
    expect(stack().engine.steps.get("g")).toBe("replace");
    expect(await liveIds()).toEqual([stack().engine.state.get("g")?.id]);
    expect(stack().engine.state.get("g")?.id).not.toBe(before);
  });

  it("replaceOnChanges on a fixed groupId deletes the group first, so the replacement gets its ID", async () => {
    const named = (name: string) => program(`new ChatGroup("g", { type: "Public", name: ${JSON.stringify(name)}, groupId: "roc-room" }, { replaceOnChanges: ["name"] });`);
    await stack().engine.up(await named("first"));
    await stack().engine.up(await named("second"));
    expect(stack().engine.steps.get("g")).toBe("delete-replace");
    expect((await live()).map((g) => [g.groupId, g.name])).toEqual([["roc-room", "second"]]);
  });

  it("replacementTrigger with a fixed groupId: the group is deleted first and made again under its ID, no collision", async () => {
    const triggered = (value: string) => program(`new ChatGroup("g", { type: "Public", name: "n", groupId: "trig-room" }, { replacementTrigger: ${JSON.stringify(value)} });`);
    await stack().engine.up(await triggered("v1"));
    await stack().emu.control.clearRequests();
    await stack().engine.up(await triggered("v2"));
    expect(stack().engine.steps.get("g")).toBe("delete-replace");
    expect(await commands()).toEqual(["destroy_group", "create_group"]);
    expect(await liveIds()).toEqual(["trig-room"]);
  });

  it("deleteBeforeReplace: the old group goes first even with a generated ID", async () => {
    const typed = (type: string) => program(`new ChatGroup("g", { type: ${JSON.stringify(type)}, name: "n" }, { deleteBeforeReplace: true });`);
    await stack().engine.up(await typed("Public"));
    await stack().emu.control.clearRequests();
    await stack().engine.up(await typed("Private"));
    expect(stack().engine.steps.get("g")).toBe("delete-replace");
    expect(await commands()).toEqual(["destroy_group", "create_group"]);
  });

  it.each([
    ["a provider host that hands on refreshed inputs (3.216+)", true],
    ["an older provider host, which drops them", false],
  ])("ignoreChanges holds after a rename in the console and a refresh, with %s", async (_label, readInputs) => {
    const declared = (notification: string) => program(`new ChatGroup("g", { type: "Public", name: "declared", notification: ${JSON.stringify(notification)} }, { ignoreChanges: ["name"] });`);
    await stack().engine.up(await declared("n1"));
    const id = stack().engine.state.get("g")?.id as string;
    await stack().emu.group("modify_group_base_info", { GroupId: id, Name: "renamed by hand" });
    await inNewRun(async (engine) => {
      await engine.refresh();
      await engine.up(await declared("n2"));
      expect(engine.steps.get("g")).toBe("update");
    }, { readInputs });
    expect((await live()).map((g) => [g.name, g.notification])).toEqual([["renamed by hand", "n2"]]);
  });

  it("retainOnDelete: a group the program lets go of stays, and the resource declared again two days later gets a group of its own", async () => {
    offsetMs = -2 * 86_400_000;
    await stack().engine.up(await program(`new ChatGroup("g", { type: "Public", name: "kept" }, { retainOnDelete: true });`));
    const retained = stack().engine.state.get("g")?.id;
    offsetMs = 0;
    await stack().engine.up([]);
    expect(stack().engine.steps.get("g")).toBe("delete");
    expect(await liveIds()).toEqual([retained]);
    await inNewRun(async (engine) => {
      await engine.up(await program(`new ChatGroup("g", { type: "Public", name: "new" });`));
      expect(engine.steps.get("g")).toBe("create");
      expect(engine.state.get("g")?.id).not.toBe(retained);
      await engine.destroy();
    });
    expect((await live()).map((g) => [g.groupId, g.name])).toEqual([[retained, "kept"]]);
  });

  it("protect: neither a replacement nor a destroy removes the group", async () => {
    const typed = (type: string) => program(`new ChatGroup("g", { type: ${JSON.stringify(type)}, name: "n" }, { protect: true });`);
    await stack().engine.up(await typed("Public"));
    await expect(stack().engine.up(await typed("Private"))).rejects.toThrow(OptionRefused);
    await expect(stack().engine.destroy()).rejects.toThrow(/cannot be deleted because it is protected/);
    expect(await live()).toHaveLength(1);
  });

  it("deletedWith: a Community's topics go with it, no destroy_topic sent", async () => {
    await stack().engine.up(
      await program(`
        const guild = new ChatGroup("guild", { type: "Community", name: "Guild", ownerAccount: "owner1", supportTopic: true });
        new ChatTopic("news", { groupId: guild.groupId, topicIdSuffix: "news", topicName: "News" }, { deletedWith: guild });
        new ChatTopic("chat", { groupId: guild.groupId, topicName: "Chat" }, { deletedWith: guild });
      `),
    );
    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect(await commands()).toEqual(["destroy_group"]);
    expect(await live()).toEqual([]);
  });

  it("dependsOn: the account is made before the group and deleted after it", async () => {
    await stack().engine.up(
      await program(`
        const bot = new ChatAccount("bot", { userIdPrefix: "bot-" });
        new ChatGroup("g", { type: "Public", name: "n" }, { dependsOn: [bot] });
      `),
    );
    expect((await commands()).filter((c) => c === "account_import" || c === "create_group")).toEqual(["account_import", "create_group"]);
    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect((await commands()).filter((c) => c === "account_delete" || c === "destroy_group")).toEqual(["destroy_group", "account_delete"]);
  });

  it("aliases: a renamed resource keeps its group", async () => {
    await stack().engine.up(await program(`new ChatGroup("old-name", { type: "Public", name: "n" });`));
    const id = stack().engine.state.get("old-name")?.id;
    await stack().emu.control.clearRequests();
    await stack().engine.up(await program(`new ChatGroup("new-name", { type: "Public", name: "n" }, { aliases: [{ name: "old-name" }] });`));
    expect(stack().engine.steps.get("new-name")).toBe("same");
    expect(stack().engine.state.get("new-name")?.id).toBe(id);
    expect(await commands()).toEqual([]);
    expect(await liveIds()).toEqual([id]);
  });

  it("import: refused when the program runs, saying what to do instead", async () => {
    await expect(program(`new ChatGroup("g", { type: "Public", name: "n" }, { import: "lobby" });`)).rejects.toThrow(/import option cannot work for a dynamic resource .*adoptExisting: true.*ChatGroup\.get/);
  });

  it("pulumi up --replace of a group made two days ago replaces it: a new incarnation, the old one disbanded", async () => {
    offsetMs = -2 * 86_400_000;
    await stack().engine.up(await program(`new ChatGroup("g", { type: "Public", name: "n" });`));
    const before = stack().engine.state.get("g")?.id;
    offsetMs = 0;
    await inNewRun(async (engine) => {
      await engine.up(await program(`new ChatGroup("g", { type: "Public", name: "n" });`), { replace: ["g"] });
      expect(engine.steps.get("g")).toBe("replace");
      expect(engine.state.get("g")?.id).not.toBe(before);
      expect(await liveIds()).toEqual([engine.state.get("g")?.id]);
    });
  });

  it("pulumi up --replace of a fixed groupId without deleteBeforeReplace says how to replace it, and leaves it", async () => {
    await stack().engine.up(await program(`new ChatGroup("g", { type: "Public", name: "n", groupId: "fixed-room" });`));
    await inNewRun(async (engine) => {
      await expect(engine.up(await program(`new ChatGroup("g", { type: "Public", name: "n", groupId: "fixed-room" });`), { replace: ["g"] })).rejects.toThrow(
        /fixed-room is already in use .*being replaced .*deleteBeforeReplace: true/,
      );
    });
    expect(await liveIds()).toEqual(["fixed-room"]);
  });

  it("check failures of a program stop before any call", async () => {
    await expect(stack().engine.up(await program(`new ChatGroup("g", { type: "Public", name: "" });`))).rejects.toThrow(CheckFailed);
    expect(await commands()).toEqual([]);
  });
});
