/**
 * ChatGroup through Pulumi's own provider host, as `pulumi up`, `pulumi refresh` and
 * `pulumi destroy` reach it.
 */
import { MiniEngine } from "../../harness/engine";
import { HostCallError } from "../../harness/provider-host";
import { urnOf, useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner1", "owner2", "alice", "bob", "carol");
});

const groups = async () => (await stack().emu.control.state()).groups;
const liveGroup = async (id: string) => (await groups()).find((g) => g.groupId === id);

describe("create, read, update and delete of each group type", () => {
  it.each([
    ["Private", { ownerAccount: "owner1", members: ["alice"] }],
    ["Public", { ownerAccount: "owner1", members: ["alice"], applyJoinOption: "FreeAccess" }],
    ["ChatRoom", { members: ["alice"] }],
    ["AVChatRoom", { ownerAccount: "owner1" }],
    ["Community", { groupId: "@TGS#_town", supportTopic: true, members: ["alice"] }],
  ])("manages a %s group", async (type, extra) => {
    const created = await stack().up("g", { type, name: "first", introduction: "hello", ...extra });
    const live = await liveGroup(created.id);
    expect(live).toMatchObject({ type, name: "first", introduction: "hello" });
    // An AVChatRoom's reads carry no member count (doc 1616), so its outputs have none.
    expect(created.outputs).toMatchObject({
      groupId: created.id,
      type,
      name: "first",
      introduction: "hello",
      ...(type !== "AVChatRoom" && { memberCount: live?.members.length }),
    });
    if (type === "AVChatRoom") expect(created.outputs).not.toHaveProperty("memberCount");
    expect(typeof created.outputs.createTime).toBe("number");

    const read = await stack().host.read(urnOf("g"), created.id, created.outputs, created.inputs);
    expect(read.id).toBe(created.id);
    expect(read.outputs).toMatchObject({ name: "first", introduction: "hello" });

    const updated = await stack().up("g", {
      type,
      name: "second",
      introduction: "hello",
      notification: "news",
      ...extra,
    });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(updated.id).toBe(created.id);
    expect(await liveGroup(created.id)).toMatchObject({ name: "second", notification: "news" });

    await stack().engine.destroy();
    expect(await groups()).toEqual([]);
  });

  it.each([
    ["Work", "Private"],
    ["Meeting", "ChatRoom"],
  ])("accepts the new type name %s and creates a %s group", async (alias, rest) => {
    const created = await stack().up("g", { type: alias, name: "n" });
    expect(created.outputs.type).toBe(rest);
    expect((await liveGroup(created.id))?.type).toBe(rest);
    await stack().up("g", { type: alias, name: "n" });
    expect(stack().engine.steps.get("g")).toBe("same");
  });

  it("names every create with a GroupId, generated once and kept across updates", async () => {
    const created = await stack().up("g", { type: "Public", name: "n" });
    expect(created.id).toMatch(/^pulumi-g-[a-z0-9]{10}-\d+$/);
    const body = JSON.parse((await stack().emu.control.requests("create_group"))[0].body) as { GroupId: string };
    expect(body.GroupId).toBe(created.id);
    const updated = await stack().up("g", { type: "Public", name: "renamed" });
    expect(updated.id).toBe(created.id);
    expect(updated.outputs.groupId).toBe(created.id);
  });
});

describe("idempotent delete", () => {
  it("succeeds when asked to delete the same group twice", async () => {
    const created = await stack().up("g", { type: "Public", name: "n" });
    await stack().host.delete(urnOf("g"), created.id, created.outputs);
    await stack().host.delete(urnOf("g"), created.id, created.outputs);
    expect(await groups()).toEqual([]);
  });

  it("treats a group destroyed behind Pulumi's back (10010) as already deleted", async () => {
    const created = await stack().up("g", { type: "Public", name: "n" });
    await stack().emu.group("destroy_group", { GroupId: created.id });
    await stack().engine.destroy();
    expect(stack().engine.state.size).toBe(0);
    const answers = (await stack().emu.control.requests("destroy_group")).map((r) => r.errorCode);
    expect(answers).toEqual([0, 10010]);
  });

  it("treats 10015 (no group with that ID) as already deleted", async () => {
    await stack().emu.control.addFault({
      command: "destroy_group",
      action: { kind: "error", errorCode: 10015, errorInfo: "group id invalid" },
    });
    await stack().host.delete(urnOf("g"), "never-existed", {
      groupId: "never-existed",
      __provider: stack().providerText,
    });
  });

  it("fails with the code and Tencent's text on any other error, as a plain message", async () => {
    await stack().emu.control.addFault({
      command: "destroy_group",
      action: { kind: "error", errorCode: 10007, errorInfo: "permission denied" },
    });
    const created = await stack().up("g", { type: "Public", name: "n" });
    const err = await stack()
      .host.delete(urnOf("g"), created.id, created.outputs)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).message).toContain("destroy_group failed: 10007 permission denied");
    // gRPC UNKNOWN: Tencent's code did not leak out as a gRPC status.
    expect((err as HostCallError).grpcCode).toBe(2);
    expect(await groups()).toHaveLength(1);
  });
});

describe("refresh", () => {
  it("drops a group that vanished from state", async () => {
    const created = await stack().up("g", { type: "Public", name: "n" });
    await stack().emu.group("destroy_group", { GroupId: created.id });
    const read = await stack().host.read(urnOf("g"), created.id, created.outputs, created.inputs);
    expect(read.id).toBe("");
    await stack().engine.refresh();
    expect(stack().engine.state.size).toBe(0);
  });

  it("shows drift, and the next up puts the declared state back", async () => {
    const created = await stack().up("g", { type: "Public", name: "declared", appDefinedData: {} });
    await stack().emu.group("modify_group_base_info", {
      GroupId: created.id,
      Name: "changed by hand",
      Notification: "hand",
    });
    await stack().engine.refresh();
    expect(stack().engine.state.get("g")?.outputs).toMatchObject({ name: "changed by hand", notification: "hand" });
    await stack().up("g", { type: "Public", name: "declared" });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(await liveGroup(created.id)).toMatchObject({ name: "declared", notification: "" });
  });

  it("reads many groups with about one get_group_info call per 50", async () => {
    await stack().emu.control.configure({ rateLimit: 0 });
    try {
      // Pulumi's --parallel bounds the reads in flight, and so the IDs one call can carry: 64 here.
      const engine = new MiniEngine(stack().host, { parallel: 64 });
      await engine.up(
        Array.from({ length: 120 }, (_, i) => stack().registration(`g${i}`, { type: "Public", name: `n${i}` })),
      );
      await stack().emu.control.clearRequests();
      await engine.refresh();
      expect(engine.state.size).toBe(120);
      const calls = await stack().emu.control.requests("get_group_info");
      // 120 reads, at most 50 IDs a call: 3 at best; far fewer than one a group in any case.
      expect(calls.length).toBeLessThanOrEqual(10);
    } finally {
      await stack().emu.control.configure({ rateLimit: 200 });
    }
  });
});
