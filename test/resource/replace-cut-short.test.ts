/**
 * A replacement that takes over the object it replaces (`pulumi up --replace` of a fixed ID with
 * adoptExisting, of a generated group made within the day, of an existing membership), cut
 * short before the engine deletes the old entry: the state keeps that entry marked
 * `delete: true`, and whatever runs next (`up` in a new provider host, `up --target`,
 * `destroy`) never deletes the object the live entry holds, unless the stack is destroyed.
 *
 * Every run is a new provider host, as each CLI run starts its own.
 *
 * @slow a provider host per run, four runs per case
 */
import { MiniEngine, type Registration, type ResourceState } from "../../harness/engine";
import { ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner1", "alice");
  // A group no stack owns, which a ChatGroupMember puts alice in.
  await s.emu.group("create_group", { Type: "Public", Name: "Lobby", GroupId: "lobby", Owner_Account: "owner1" });
});

const PROGRAM = `
const { ChatAccount, ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
new ChatGroup("fixed", { type: "Public", name: "Fixed", groupId: "fixed-room", adoptExisting: true, members: ["alice"] });
new ChatGroup("generated", { type: "Public", name: "Generated" });
new ChatAccount("bot", { userId: "support-bot", adoptExisting: true, nick: "Bot" });
new ChatGroupMember("membership", { groupId: "lobby", account: "alice" });
// Fails at create (no such owner): stops the run after what it depends on.
new ChatGroup("breaker", { type: "Public", name: "Breaker", ownerAccount: "nobody" });
`;
let registered: Promise<Registration[]> | undefined;
async function registration(name: string): Promise<Registration> {
  const found = (await (registered ??= stack().project.run(PROGRAM))).find((r) => r.name === name);
  if (!found) throw new Error(`the program declares no ${name}`);
  return structuredClone(found);
}

/** Whether the service still holds the object of each shape. */
const SHAPES: Record<string, (id: string) => Promise<boolean>> = {
  fixed: async (id) => (await stack().emu.control.state()).groups.some((g) => g.groupId === id),
  generated: async (id) => (await stack().emu.control.state()).groups.some((g) => g.groupId === id),
  bot: async (id) => (await stack().emu.control.state()).accounts.some((a) => a.userId === id),
  membership: async (id) => {
    const [groupId, account] = id.split("/");
    const group = (await stack().emu.control.state()).groups.find((g) => g.groupId === groupId);
    return group?.members.some((m) => m.account === account) === true;
  },
};

/** A CLI run: a new provider host, the engine starting from `state`; returns the state it leaves. */
async function run(
  state: ResourceState[],
  work: (engine: MiniEngine, host: ProviderHost) => Promise<void>,
): Promise<ResourceState[]> {
  const host = await ProviderHost.start(stack().project.dir);
  const engine = new MiniEngine(host, { state });
  try {
    await host.configure(TestStack.configFor(stack().emu));
    await work(engine, host);
  } finally {
    await host.stop();
  }
  return engine.snapshot();
}

/**
 * `pulumi up` of `name`, then `pulumi up --replace` of it cut short as `how` says, after the
 * replacement took the object over. Returns the state left and the object's ID.
 */
async function cutShort(
  name: string,
  how: "another resource fails" | "the job is killed",
): Promise<{ state: ResourceState[]; id: string }> {
  const resource = await registration(name);
  const deployed = await run([], (engine) => engine.up([resource]));
  const id = deployed[0].id;
  const state = await run(deployed, async (engine, host) => {
    if (how === "another resource fails") {
      const breaker = { ...(await registration("breaker")), dependsOn: [name] };
      await expect(engine.up([resource, breaker], { replace: [name] })).rejects.toThrow(/nobody/);
    } else {
      await engine.apply(resource, { replace: true });
      await host.kill();
    }
  });
  // The replacement took the same object over; the old entry waits to be deleted.
  expect(state.map((r) => [r.id, r.delete === true]).sort()).toEqual([
    [id, false],
    [id, true],
  ]);
  expect(await SHAPES[name](id)).toBe(true);
  return { state, id };
}

describe.each(Object.keys(SHAPES))(
  "a replacement of %s that took its object over, cut short before the old entry's delete",
  (name) => {
    it.each(["another resource fails", "the job is killed"] as const)(
      "leaves the object to the next `up` when %s, and `destroy` removes it",
      async (how) => {
        const { state, id } = await cutShort(name, how);
        const after = await run(state, async (engine) => engine.up([await registration(name)]));
        expect(await SHAPES[name](id)).toBe(true);
        expect(after.map((r) => [r.id, r.delete === true])).toEqual([[id, false]]);
        expect(await run(after, (engine) => engine.destroy())).toEqual([]);
        expect(await SHAPES[name](id)).toBe(false);
      },
    );

    it("leaves the object to a `pulumi up --target` of it", async () => {
      const { state, id } = await cutShort(name, "another resource fails");
      const after = await run(state, async (engine) =>
        engine.up([await registration(name), await registration(name === "fixed" ? "generated" : "fixed")], {
          target: [name],
        }),
      );
      expect(await SHAPES[name](id)).toBe(true);
      expect(after.filter((r) => r.delete)).toEqual([]);
    });

    it("removes the object with a `pulumi destroy` right after, which fails on nothing", async () => {
      const { state, id } = await cutShort(name, "another resource fails");
      expect(await run(state, (engine) => engine.destroy())).toEqual([]);
      expect(await SHAPES[name](id)).toBe(false);
    });
  },
);
