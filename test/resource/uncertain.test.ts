/**
 * Creates whose outcome is uncertain, a targeted replace, and replacements that fail, through
 * Pulumi's provider host: the service may have acted although its answer never arrived, and
 * a live object must never be deleted or taken over by surprise.
 */
import { MiniEngine } from "../../harness/engine";
import { HostCallError, ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

// Short timeouts and three attempts, so that giving up takes a second, not a minute.
const stack = useStack(
  async (s) => {
    await s.emu.importAccounts("owner1", "owner2");
  },
  { extraConfig: { "tencent-chat:requestTimeoutMs": "300", "tencent-chat:maxAttempts": "3" } },
);

const live = async () => (await stack().emu.control.state()).groups;
const answers = async (command: string) =>
  (await stack().emu.control.requests(command)).map((r) =>
    r.httpStatus === 0 ? "dropped" : r.httpStatus !== 200 ? `HTTP ${r.httpStatus}` : r.errorCode,
  );

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await condition()); i++) {
    if (i > 400) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a create whose answer was lost and whose retries failed", () => {
  it("looks the group up, finds it and finishes it: one group, in state", async () => {
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "http", status: 502 }, times: 2 });
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1", notification: "hello" });
    expect(await answers("create_group")).toEqual(["dropped", "HTTP 502", "HTTP 502"]);
    expect((await live()).map((x) => x.groupId)).toEqual([g.id]);
    expect(g.outputs).toMatchObject({ groupId: g.id, ownerAccount: "owner1", notification: "hello" });
  });

  it("records the group with its ID when finishing it fails too, and the next up finishes it", async () => {
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "http", status: 502 }, times: 2 });
    await stack().emu.control.addFault({
      command: "modify_group_base_info",
      action: { kind: "error", errorCode: 10004, errorInfo: "rejected" },
    });
    const err = (await stack()
      .up("g", { type: "Public", name: "n", muteAllMember: true })
      .catch((e: unknown) => e)) as HostCallError;
    const [group] = await live();
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.initFailed?.id).toBe(group.groupId);
    expect(stack().engine.state.get("g")).toMatchObject({ id: group.groupId, initFailed: true });
    await stack().up("g", { type: "Public", name: "n", muteAllMember: true });
    expect((await live()).map((x) => [x.groupId, x.muteAllMember])).toEqual([[group.groupId, "On"]]);
  });

  it("when every attempt timed out before the service acted, says so, and the next up makes no second group", async () => {
    // The service carries each call out after 2 s; the client gives up on each after 300 ms.
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "delay", ms: 2000 }, times: 3 });
    const err = (await stack()
      .up("g", { type: "Public", name: "slow" })
      .catch((e: unknown) => e)) as HostCallError;
    expect(err.message).toMatch(
      /no answer before the timeout.*Whether the group was made is not known: the next `pulumi up` looks for it under pulumi-g-/,
    );
    expect(stack().engine.state.size).toBe(0);
    await until(async () => (await live()).length === 1);
    await stack().emu.control.clearFaults();

    const g = await stack().up("g", { type: "Public", name: "slow" });
    expect((await live()).map((x) => x.groupId)).toEqual([g.id]);
  });
});

describe("a fixed groupId after an interrupted run", () => {
  it("says that an interrupted run of this stack may have made it, and what to do", async () => {
    await stack().emu.group("create_group", { Type: "Public", Name: "n", GroupId: "team-room" });
    const err = (await stack()
      .up("g", { type: "Public", name: "n", groupId: "team-room" })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /team-room is already in use \(10021.*earlier `pulumi up` of this stack was interrupted.*adoptExisting: true/,
    );
  });
});

describe("replacements", () => {
  it("never disbands the live group under `pulumi up --replace`, which sends no Diff: one made within a day is kept, and said so", async () => {
    const before = await stack().up("replaced", { type: "Public", name: "n" });
    // A new CLI run: a new host, which has never seen the group in a Diff.
    const host = await ProviderHost.start(stack().project.dir);
    try {
      await host.configure(TestStack.configFor(stack().emu));
      await stack().emu.control.clearRequests();
      const engine = new MiniEngine(host, { state: stack().engine.snapshot() });
      const after = await engine.apply(stack().registration("replaced", { type: "Public", name: "n" }), {
        replace: true,
      });
      await engine.deleteReplaced();
      expect(after.id).toBe(before.id);
      expect((await live()).map((x) => x.groupId)).toEqual([before.id]);
      expect(await stack().emu.control.requests("destroy_group")).toEqual([]);
      expect(host.printed).toMatch(
        new RegExp(
          `group ${before.id} was taken over by the resource that replaces it .*set deleteBeforeReplace: true`,
        ),
      );
      // The replacement holds it, and its own destroy disbands it.
      await engine.destroy();
      expect(await live()).toEqual([]);
    } finally {
      await host.stop();
    }
  });

  it("keeps a generated AVChatRoom live when its replacement cannot be made", async () => {
    const room = await stack().up("g", { type: "AVChatRoom", name: "live", ownerAccount: "owner1" });
    // A new owner replaces the room; an owner that was never imported makes create_group fail.
    const err = await stack()
      .up("g", { type: "AVChatRoom", name: "live", ownerAccount: "ghost" })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/create_group failed: 10019/);
    expect((await live()).map((x) => [x.groupId, x.owner])).toEqual([[room.id, "owner1"]]);
    expect(stack().engine.state.get("g")?.id).toBe(room.id);

    const moved = await stack().up("g", { type: "AVChatRoom", name: "live", ownerAccount: "owner2" });
    expect(stack().engine.steps.get("g")).toBe("replace");
    expect((await live()).map((x) => [x.groupId, x.owner])).toEqual([[moved.id, "owner2"]]);
    // The new room was made while the old one was still there.
    expect(
      (await stack().emu.control.requests())
        .map((r) => r.command)
        .filter((c) => c === "create_group" || c === "destroy_group")
        .slice(-2),
    ).toEqual(["create_group", "destroy_group"]);
  });
});
