/**
 * ChatGroup under faults, with partial failures, and with secrets kept out of everything
 * Pulumi stores or prints.
 */
import { HostCallError } from "../../harness/provider-host";
import { TEST_KEY } from "../helpers/emulator";
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
    expect((await stack().emu.control.requests("create_group")).map((r) => r.errorCode ?? "dropped")).toEqual(["dropped", 10021]);
    expect(g.outputs).toMatchObject({ groupId: g.id, ownerAccount: "owner1" });
  });

  it("records a group whose later setup step failed, and the next up finishes it", async () => {
    await stack().emu.control.addFault({ command: "modify_group_base_info", action: { kind: "error", errorCode: 10004, errorInfo: "MuteAllMember rejected" } });
    const err = await stack().up("g", { type: "Public", name: "n", muteAllMember: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    const failure = err as HostCallError;
    expect(failure.message).toMatch(/was created, but setting it up failed: modify_group_base_info failed: 10004 MuteAllMember rejected/);
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
    await stack().engine.up(names.map((name) => ({ name, inputs: stack().inputs({ type: "Public", name, ownerAccount: "owner1", members: ["alice"] }, name) })));
    await stack().engine.refresh();
    await stack().engine.up(names.map((name) => ({ name, inputs: stack().inputs({ type: "Public", name, notification: "updated", ownerAccount: "owner1" }, name) })));
    const live = (await stack().emu.control.state()).groups;
    expect(live).toHaveLength(20);
    expect(live.every((g) => g.notification === "updated" && g.members.length === 1)).toBe(true);
    await stack().engine.destroy();
    expect(await groupIds()).toEqual([]);
    expect((await stack().emu.control.requests()).filter((r) => r.fault).length).toBeGreaterThan(10);
  }, 60_000);
});

describe("secrets", () => {
  it("keeps the secret key and UserSig out of state, __provider, errors and host output", async () => {
    const seen: string[] = [stack().providerText];
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1" });
    seen.push(JSON.stringify(g));
    await stack().engine.refresh();
    seen.push(JSON.stringify([...stack().engine.state.values()]));
    // Errors of each kind that reaches Pulumi: API, HTTP, partial create (permanent ones, so no backoff waits).
    await stack().emu.control.addFault({ command: "destroy_group", action: { kind: "error", errorCode: 10007 } });
    await stack().host.delete("g", g.id, g.outputs).catch((e: Error) => seen.push(e.message));
    await stack().emu.control.addFault({ command: "get_group_info", action: { kind: "http", status: 404 } });
    await stack().host.read("g", g.id, g.outputs, g.inputs).catch((e: Error) => seen.push(e.message));
    await stack().emu.control.clearFaults();
    await stack().emu.control.addFault({ command: "modify_group_base_info", action: { kind: "error", errorCode: 10004 } });
    await stack().up("h", { type: "Public", name: "n", muteAllMember: true }).catch((e: HostCallError) => seen.push(e.message, JSON.stringify(e.initFailed)));
    seen.push(stack().host.printed);

    const everything = seen.join("\n");
    expect(everything).not.toContain(TEST_KEY);
    expect(everything).not.toMatch(/usersig=(?!\[redacted\])/i);
    // A UserSig is a long run of its alphabet; none appears anywhere.
    expect(everything).not.toMatch(/eJ[A-Za-z0-9*\-_]{60,}/);
    expect(everything).toContain("HTTP 404");
    expect(everything).toContain("was created, but setting it up failed");
  });
});
