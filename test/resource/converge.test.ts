/**
 * Updates that combine member, owner and limit changes, and member additions the service
 * answers in part, through Pulumi's provider host: one `pulumi up` converges, and what was
 * done before a failure stays on record.
 */
import { HostCallError } from "../../harness/provider-host";
import { useStack } from "../helpers/stack";

const people = (n: number, prefix = "m") =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
const MANY = people(500);

const stack = useStack(
  async (s) => {
    for (let i = 0; i < MANY.length; i += 100) await s.emu.importAccounts(...MANY.slice(i, i + 100));
    await s.emu.importAccounts("owner1", "owner2", "alice", "bob", "carol", "dave");
    await s.emu.control.configure({ rateLimit: 0 });
    // Groups of hundreds of members: an app whose plan allows them (a Trial app's cap is 20).
  },
  { emulator: { plan: "enterprise" } },
);

const liveGroup = async (id: string) => (await stack().emu.control.state()).groups.find((g) => g.groupId === id);
const memberIds = async (id: string) => (await liveGroup(id))?.members.map((m) => m.account).sort();

describe("the order of a combined change", () => {
  it("goes from 500 members to 3 with maxMemberCount 10 in one up", async () => {
    const g = await stack().up("g", {
      type: "Public",
      name: "n",
      ownerAccount: "owner1",
      members: MANY,
      maxMemberCount: 600,
    });
    expect(await memberIds(g.id)).toHaveLength(501);
    await stack().up("g", {
      type: "Public",
      name: "n",
      ownerAccount: "owner1",
      members: ["alice", "bob", "carol"],
      maxMemberCount: 10,
    });
    expect(await memberIds(g.id)).toEqual(["alice", "bob", "carol", "owner1"]);
    expect((await liveGroup(g.id))?.maxMemberNum).toBe(10);
  });

  it("raises the limit before adding the members it makes room for", async () => {
    const g = await stack().up("g", { type: "Private", name: "n", members: ["alice"], maxMemberCount: 2 });
    await stack().up("g", { type: "Private", name: "n", members: people(30), maxMemberCount: 40 });
    expect(await memberIds(g.id)).toEqual(people(30));
  });

  it("goes back to the plan's limit when the program stops declaring the one it set", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: ["alice"] });
    const planLimit = (await liveGroup(g.id))?.maxMemberNum;
    expect(planLimit).toBeGreaterThan(10);
    await stack().up("g", { type: "Public", name: "n", members: ["alice"], maxMemberCount: 10 });
    expect((await liveGroup(g.id))?.maxMemberNum).toBe(10);
    const released = await stack().up("g", { type: "Public", name: "n", members: ["alice"] });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect((await liveGroup(g.id))?.maxMemberNum).toBe(planLimit);
    expect(released.outputs).toMatchObject({ maxMemberCount: planLimit, maxMemberCountDeclared: false });
    await stack().up("g", { type: "Public", name: "n", members: ["alice"] });
    expect(stack().engine.steps.get("g")).toBe("same");
  });

  it("says it cannot when the group was made with a limit, keeps it, and asks no more", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", maxMemberCount: 10 });
    await stack().up("g", { type: "Public", name: "n" });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(stack().host.printed).toMatch(
      new RegExp(
        `group ${g.id}: maxMemberCount is no longer declared, but the group was made with one, so its plan's limit is not known: it keeps its limit of 10`,
      ),
    );
    expect((await liveGroup(g.id))?.maxMemberNum).toBe(10);
    await stack().up("g", { type: "Public", name: "n" });
    expect(stack().engine.steps.get("g")).toBe("same");
  });

  it("hands ownership over, then removes the former owner the stack declared and no longer does", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1", members: ["alice"] });
    await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner2", members: ["alice"] });
    expect(await memberIds(g.id)).toEqual(["alice", "owner2"]);
    expect((await liveGroup(g.id))?.owner).toBe("owner2");
  });

  it("also when the former owner was a declared member dropped in the same change", async () => {
    const g = await stack().up("g", {
      type: "Public",
      name: "n",
      ownerAccount: "owner1",
      members: ["owner1", "alice"],
    });
    const after = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner2", members: ["alice"] });
    expect(await memberIds(g.id)).toEqual(["alice", "owner2"]);
    await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner2", members: ["alice"] });
    expect(stack().engine.steps.get("g")).toBe("same");
    expect(after.outputs.members).toEqual(["alice"]);
  });

  it("keeps a former owner who stays a declared member", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1" });
    await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner2", members: ["owner1"] });
    expect(await memberIds(g.id)).toEqual(["owner1", "owner2"]);
  });
});

describe("member additions answered in part", () => {
  it("records the members added before add_group_member failed, finishes on the next up, and removes them later", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: people(10) });
    // The third call of 20 fails: 40 of the 340 new members are in.
    await stack().emu.control.addFault({
      command: "add_group_member",
      action: { kind: "error", errorCode: 10014, errorInfo: "group is full" },
      skip: 2,
    });
    const err = (await stack()
      .up("g", { type: "Public", name: "n", members: people(350) })
      .catch((e: unknown) => e)) as HostCallError;
    expect(err.message).toMatch(/was updated only in part: add_group_member failed: 10014 group is full/);
    expect(await memberIds(g.id)).toHaveLength(50);
    const recorded = stack().engine.state.get("g");
    expect(recorded).toMatchObject({ initFailed: true });
    expect(recorded?.outputs.members).toEqual(people(50));

    await stack().up("g", { type: "Public", name: "n", members: people(350) });
    expect(await memberIds(g.id)).toEqual(people(350));
    await stack().up("g", { type: "Public", name: "n", members: people(5) });
    expect(await memberIds(g.id)).toEqual(people(5));
  });

  it("keeps members still to be removed on record when the removal fails half-way", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: people(250), maxMemberCount: 300 });
    await stack().emu.control.addFault({
      command: "delete_group_member",
      action: { kind: "error", errorCode: 10004, errorInfo: "rejected" },
      skip: 1,
    });
    await stack()
      .up("g", { type: "Public", name: "n", members: people(3) })
      .catch(() => undefined);
    expect(await memberIds(g.id)).toHaveLength(150);
    expect(stack().engine.state.get("g")?.outputs.members).toHaveLength(150);
    await stack().up("g", { type: "Public", name: "n", members: people(3) });
    expect(await memberIds(g.id)).toEqual(people(3));
  });

  it("fails naming the members add_group_member refused (Result 0), keeping the others", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: ["alice"] });
    await stack().emu.control.addFault({
      command: "add_group_member",
      action: { kind: "memberResult", result: 0, accounts: ["bob", "dave"] },
    });
    const err = (await stack()
      .up("g", { type: "Public", name: "n", members: ["alice", "bob", "carol", "dave"] })
      .catch((e: unknown) => e)) as HostCallError;
    expect(err.message).toMatch(/add_group_member did not add bob \(Result 0: failed\), dave \(Result 0: failed\) to /);
    expect(await memberIds(g.id)).toEqual(["alice", "carol"]);
    expect(stack().engine.state.get("g")?.outputs.members).toEqual(["alice", "carol"]);
    await stack().up("g", { type: "Public", name: "n", members: ["alice", "bob", "carol", "dave"] });
    expect(await memberIds(g.id)).toEqual(["alice", "bob", "carol", "dave"]);
  });

  it("notes invitations waiting for an answer (Result 3) and does not send them again", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: ["alice"] });
    await stack().emu.control.addFault({
      command: "add_group_member",
      action: { kind: "memberResult", result: 3, accounts: ["carol"] },
    });
    const after = await stack().up("g", { type: "Public", name: "n", members: ["alice", "bob", "carol"] });
    expect(after.outputs).toMatchObject({ members: ["alice", "bob"], pendingMembers: ["carol"] });
    expect(stack().host.printed).toMatch(/group pulumi-g-\S+: carol invited; they join when they accept/);
    await stack().emu.control.clearRequests();
    await stack().up("g", { type: "Public", name: "n", members: ["alice", "bob", "carol"] });
    expect(stack().engine.steps.get("g")).toBe("same");
    expect(await stack().emu.control.requests("add_group_member")).toEqual([]);
    // Once carol accepts, a refresh shows her as a member.
    await stack().emu.group("add_group_member", { GroupId: g.id, MemberList: [{ Member_Account: "carol" }] });
    await stack().engine.refresh();
    expect(stack().engine.state.get("g")?.outputs).toMatchObject({
      members: ["alice", "bob", "carol"],
      pendingMembers: [],
    });
  });

  it("is answered 10014 by the service when a group is full", async () => {
    const g = await stack().up("g", { type: "Public", name: "n", members: ["alice"], maxMemberCount: 2 });
    // Someone joins by other means: the group is full.
    await stack().emu.group("add_group_member", { GroupId: g.id, MemberList: [{ Member_Account: "dave" }] });
    const err = (await stack()
      .up("g", { type: "Public", name: "n", members: ["alice", "bob"], maxMemberCount: 2 })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/add_group_member failed: 10014/);
  });
});
