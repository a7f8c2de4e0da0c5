/**
 * ChatGroup under faults and partial failures (secrets: secrets.test.ts).
 */
import { HostCallError } from "../../harness/provider-host";
import { useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner1", "alice");
});

const groupIds = async () => (await stack().emu.control.state()).groups.map((g) => g.groupId);

describe("faults", () => {
  it("leaves exactly one group when create_group's answer is lost and the create is retried", async () => {
    await stack().emu.control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1" });
    expect(await groupIds()).toEqual([g.id]);
    expect((await stack().emu.control.requests("create_group")).map((r) => r.errorCode ?? "dropped")).toEqual([
      "dropped",
      10021,
    ]);
    expect(g.outputs).toMatchObject({ groupId: g.id, ownerAccount: "owner1" });
  });

  it("records a group whose later setup step failed, and the next up finishes it", async () => {
    await stack().emu.control.addFault({
      command: "modify_group_base_info",
      action: { kind: "error", errorCode: 10004, errorInfo: "MuteAllMember rejected" },
    });
    const err = await stack()
      .up("g", { type: "Public", name: "n", muteAllMember: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    const failure = err as HostCallError;
    expect(failure.message).toMatch(
      /was created, but setting it up failed: modify_group_base_info failed: 10004 MuteAllMember rejected/,
    );
    const [id] = await groupIds();
    // Recorded as it is: created, not yet muted.
    expect(failure.initFailed).toMatchObject({ id, properties: { groupId: id, name: "n", muteAllMember: false } });
    expect(stack().engine.state.get("g")).toMatchObject({ id, initFailed: true });

    const finished = await stack().up("g", { type: "Public", name: "n", muteAllMember: true });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(finished.id).toBe(id);
    expect((await stack().emu.control.state()).groups[0].muteAllMember).toBe("On");
  });

  it("survives throttling and transient faults through up, refresh, update and destroy", async () => {
    await stack().emu.control.setRandomFaults({
      rate: 0.25,
      seed: 11,
      actions: [
        { kind: "error", errorCode: 10002 },
        { kind: "error", errorCode: 60007 },
        { kind: "error", errorCode: 10006 },
        { kind: "http", status: 502 },
        { kind: "http", status: 503 },
        { kind: "drop" },
      ],
    });
    const names = Array.from({ length: 20 }, (_, i) => `g${i}`);
    await stack().engine.up(
      names.map((name) =>
        stack().registration(name, { type: "Public", name, ownerAccount: "owner1", members: ["alice"] }),
      ),
    );
    await stack().engine.refresh();
    await stack().engine.up(
      names.map((name) =>
        stack().registration(name, { type: "Public", name, notification: "updated", ownerAccount: "owner1" }),
      ),
    );
    const live = (await stack().emu.control.state()).groups;
    expect(live).toHaveLength(20);
    expect(live.every((g) => g.notification === "updated" && g.members.length === 1)).toBe(true);
    await stack().engine.destroy();
    expect(await groupIds()).toEqual([]);
    expect((await stack().emu.control.requests()).filter((r) => r.fault).length).toBeGreaterThan(10);
  });
});
