/**
 * ChatGroup `admins` through Pulumi's provider host: declared members made admins with
 * modify_group_member_info, converged like members (only the declared ones are managed).
 */
import { CheckFailed } from "../../harness/engine";
import { useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner", "ann", "ben", "cat");
  await s.emu.control.clearRequests();
});

const ROOM = { type: "Public", name: "Ops", ownerAccount: "owner", members: ["ann", "ben", "cat"] };
const roles = async () => {
  const group = (await stack().emu.control.state()).groups[0];
  return Object.fromEntries(group.members.map((m) => [m.account, (m as { role?: string }).role]));
};
const roleCalls = async () =>
  (await stack().emu.control.requests("modify_group_member_info")).map(
    (r) => JSON.parse(r.body) as { Member_Account: string; Role: string },
  );

describe("ChatGroup admins", () => {
  it("makes declared members admins at create, moves the role when the list changes, and leaves others' admins alone", async () => {
    const created = await stack().up("g", { ...ROOM, admins: ["ann"] });
    expect(created.outputs.admins).toEqual(["ann"]);
    expect(await roles()).toEqual({ owner: "Owner", ann: "Admin", ben: "Member", cat: "Member" });

    // An admin made by someone else is not this stack's business.
    await stack().emu.group("modify_group_member_info", { GroupId: created.id, Member_Account: "cat", Role: "Admin" });
    await stack().emu.control.clearRequests();
    const moved = await stack().up("g", { ...ROOM, admins: ["ben"] });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(await roleCalls()).toEqual([
      { GroupId: created.id, Member_Account: "ben", Role: "Admin" },
      { GroupId: created.id, Member_Account: "ann", Role: "Member" },
    ]);
    expect(moved.outputs.admins).toEqual(["ben"]);
    expect(await roles()).toEqual({ owner: "Owner", ann: "Member", ben: "Admin", cat: "Admin" });
  });

  it("makes an admin the owner in one up, sending no role change for the new owner", async () => {
    await stack().up("g", { ...ROOM, admins: ["ann"] });
    await stack().emu.control.clearRequests();
    const moved = await stack().up("g", {
      ...ROOM,
      ownerAccount: "ann",
      members: ["owner", "ann", "ben", "cat"],
      admins: [],
    });
    expect(stack().engine.steps.get("g")).toBe("update");
    expect(await roles()).toEqual({ owner: "Member", ann: "Owner", ben: "Member", cat: "Member" });
    expect(await roleCalls()).toEqual([]);
    expect(moved.outputs).toMatchObject({ ownerAccount: "ann", admins: [] });
  });

  it("sees an admin demoted by hand on refresh, and the next up makes them admin again", async () => {
    const created = await stack().up("g", { ...ROOM, admins: ["ann", "ben"] });
    await stack().emu.group("modify_group_member_info", { GroupId: created.id, Member_Account: "ben", Role: "Member" });
    await stack().engine.refresh();
    expect(stack().engine.state.get("g")?.outputs.admins).toEqual(["ann"]);
    await stack().emu.control.clearRequests();
    await stack().up("g", { ...ROOM, admins: ["ann", "ben"] });
    expect(await roleCalls()).toEqual([{ GroupId: created.id, Member_Account: "ben", Role: "Admin" }]);
  });

  it("removes an admin dropped from members too, without demoting first", async () => {
    await stack().up("g", { ...ROOM, admins: ["ann"] });
    await stack().emu.control.clearRequests();
    await stack().up("g", { ...ROOM, members: ["ben", "cat"], admins: [] });
    expect(await roleCalls()).toEqual([]);
    expect(Object.keys(await roles()).sort()).toEqual(["ben", "cat", "owner"]);
  });

  it("records what a failed role change left, and the next up finishes the job", async () => {
    const created = await stack().up("g", { ...ROOM, admins: ["ann"] });
    await stack().emu.control.addFault({
      command: "modify_group_member_info",
      action: { kind: "error", errorCode: 10007, errorInfo: "no permission" },
      times: 1,
    });
    const err = (await stack()
      .up("g", { ...ROOM, admins: ["ben", "cat"] })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/10007/);
    // ben's promotion failed; ann is still an admin this stack declared, so still to demote.
    expect(stack().engine.state.get("g")).toMatchObject({ initFailed: true, outputs: { admins: ["ann"] } });
    await stack().up("g", { ...ROOM, admins: ["ben", "cat"] });
    expect(await roles()).toEqual({ owner: "Owner", ann: "Member", ben: "Admin", cat: "Admin" });
    expect(stack().engine.state.get("g")?.outputs.admins).toEqual(["ben", "cat"]);
    expect(created.id).toBe(stack().engine.state.get("g")?.id);
  });

  it.each([
    ["an admin who is not a member", { ...ROOM, admins: ["dan"] }, /admins must be members: dan is not in members/],
    [
      "the owner as an admin",
      { ...ROOM, members: ["owner", "ann"], admins: ["owner"] },
      /owner is the owner, who has every admin right already/,
    ],
    [
      "admins of an AVChatRoom",
      { type: "AVChatRoom", name: "Live", admins: ["ann"] },
      /an AVChatRoom.s admins are set with group_open_avchatroom_http_svc\/modify_admin .*Ultimate or Enterprise plan and its switch in the Chat console/,
    ],
  ])("refuses %s at check, before any call", async (_label, args, reason) => {
    const err = (await stack()
      .up("g", args)
      .catch((e: unknown) => e)) as CheckFailed;
    expect(err).toBeInstanceOf(CheckFailed);
    expect(err.message).toMatch(reason);
    expect(await stack().emu.control.requests()).toHaveLength(0);
  });
});
