/**
 * Reads of big groups as a real app answers them: no answer over 1 MB (10018), and member
 * lists get_group_info may cut short. The client asks again for less and pages through
 * members, so every member is seen, under both of the emulator's settings for the list.
 *
 * @slow an emulator loaded with 200 groups of 500 members
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import type { GroupRecord, Snapshot } from "../../emulator/model";
import { testClient } from "../helpers/client";
import { TestEmulator } from "../helpers/emulator";

const GROUPS = 200;
const MEMBERS = 500;
const ids = Array.from({ length: GROUPS }, (_, i) => (i % 10 === 0 ? `@TGS#_big-${i}` : `big-${i}`));
const people = Array.from({ length: MEMBERS }, (_, i) => `member-${String(i).padStart(3, "0")}`);

/** A state file of `GROUPS` groups of `MEMBERS` members each, every tenth a Community. */
function bigState(): Snapshot {
  const now = Math.floor(Date.now() / 1000);
  const group = (groupId: string, seq: number): GroupRecord => ({
    groupId,
    seq,
    type: groupId.startsWith("@TGS#_") ? "Community" : "Public",
    name: groupId,
    introduction: "",
    notification: "",
    faceUrl: "",
    owner: "",
    createTime: now,
    infoSeq: 1,
    lastInfoTime: now,
    maxMemberNum: 6000,
    applyJoinOption: "NeedPermission",
    inviteJoinOption: "NeedPermission",
    muteAllMember: "Off",
    supportTopic: 0,
    appDefinedData: {},
    members: people.map((account) => ({ account, role: "Member", joinTime: now, nameCard: `card of ${account}` })),
  });
  return {
    version: 1,
    nextSeq: GROUPS + 1,
    groups: ids.map((id, i) => group(id, i + 1)),
    accounts: people.map((userId) => ({ userId, nick: "", faceUrl: "", importTime: now })),
    dissolved: [],
  } as Snapshot;
}

let dir: string;
let emu: TestEmulator;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "chat-large-"));
  const stateFile = path.join(dir, "state.json");
  writeFileSync(stateFile, JSON.stringify(bigState()));
  emu = await TestEmulator.start({ stateFile, plan: "enterprise", rateLimit: 0 });
}, 120_000);
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emu.control.clearRequests());

const commands = async () =>
  (await emu.control.requests()).map((r) => `${r.command}${r.errorCode ? ` ${r.errorCode}` : ""}`);
/**
 * A client whose attempts never time out on a busy machine: an attempt given up on is sent
 * again, and the one given up on may still reach the emulator's log later, in another test.
 */
const patientClient = () => testClient(emu, { timeoutMs: 90_000 }).client;

describe("reads of big groups", () => {
  it("refuses an answer over 1 MB with 10018, as the service does", async () => {
    const failure = await emu.groupFails("get_group_info", { GroupIdList: ids.slice(0, 50) });
    expect(failure.code).toBe(10018);
  });

  it.each(["complete", "partial"] as const)(
    "reads every member of 200 groups of 500 when get_group_info's lists are %s",
    async (groupInfoMembers) => {
      await emu.control.configure({ groupInfoMembers });
      try {
        const client = patientClient();
        const groups = await client.getGroupInfo(ids);
        expect(groups.map((g) => g.GroupId)).toEqual(ids);
        for (const g of groups) {
          expect(g.MemberNum).toBe(MEMBERS);
          expect((g.MemberList ?? []).map((m) => m.Member_Account).sort()).toEqual(people);
        }
        expect(groups[7].MemberList?.find((m) => m.Member_Account === "member-499")).toMatchObject({
          NameCard: "card of member-499",
          Role: "Member",
        });
        const calls = await commands();
        expect(calls.filter((c) => c === "get_group_info").length).toBeGreaterThanOrEqual(Math.ceil(GROUPS / 50));
        if (groupInfoMembers === "complete") {
          // Full lists: each call of 50 passes 1 MB, is answered 10018 and asked again in halves.
          expect(calls).toContain("get_group_info 10018");
          expect(calls).not.toContain("get_group_member_info");
        } else {
          // Lists cut short: small answers, and the rest of each group's members page by page.
          expect(calls).not.toContain("get_group_info 10018");
          expect(calls.filter((c) => c === "get_group_member_info").length).toBe(GROUPS * Math.ceil(MEMBERS / 200));
        }
      } finally {
        await emu.control.configure({ groupInfoMembers: "complete" });
      }
    },
    120_000,
  );

  it("reads only the base fields when no member list is needed, in one call of 50", async () => {
    const client = patientClient();
    const groups = await client.getGroupInfo(ids.slice(0, 50), { members: false });
    expect(groups.map((g) => [g.MemberNum, g.MemberList])).toEqual(ids.slice(0, 50).map(() => [MEMBERS, undefined]));
    expect(await commands()).toEqual(["get_group_info"]);
  });

  it("pages a group's members by Offset, and a Community's by Next, 200 at a time", async () => {
    const client = patientClient();
    expect((await client.groupMembers("big-1", false)).map((m) => m.Member_Account).sort()).toEqual(people);
    expect((await client.groupMembers("@TGS#_big-0", true)).map((m) => m.Member_Account).sort()).toEqual(people);
    const bodies = (await emu.control.requests("get_group_member_info")).map(
      (r) => JSON.parse(r.body) as Record<string, unknown>,
    );
    expect(bodies.map((b) => [b.Offset, b.Next])).toEqual([
      [0, undefined],
      [200, undefined],
      [400, undefined],
      [undefined, undefined],
      [undefined, "200"],
      [undefined, "400"],
    ]);
    expect((await emu.groupFails("get_group_member_info", { GroupId: "big-1", Limit: 201 })).code).toBe(10004);
    expect((await emu.groupFails("get_group_member_info", { GroupId: "@TGS#_big-0", Offset: 10 })).code).toBe(10004);
  });

  it("reads single memberships by account, 50 to a call, whatever the group's size", async () => {
    const client = patientClient();
    const asked = [...people.slice(0, 60), "nobody"];
    const reads = await Promise.all([
      ...asked.map((a) => client.getMember("@TGS#_big-0", a)),
      client.getMember("big-1", "member-499"),
      client.getMember("no-such-group", "member-001"),
    ]);
    expect(
      reads.slice(0, 60).map((r) => (r.group === "exists" ? [r.member?.Member_Account, r.member?.NameCard] : r.group)),
    ).toEqual(people.slice(0, 60).map((a) => [a, `card of ${a}`]));
    expect(reads[60]).toEqual({ group: "exists", member: undefined });
    expect(reads[61]).toMatchObject({ group: "exists", member: { Member_Account: "member-499", Role: "Member" } });
    expect(reads[62]).toEqual({ group: "gone" });
    const bodies = (await emu.control.requests("get_specified_group_member_info")).map(
      (r) => JSON.parse(r.body) as { GroupId: string; Member_List_Account: string[] },
    );
    expect(bodies.every((b) => b.Member_List_Account.length <= 50)).toBe(true);
    expect(bodies.flatMap((b) => b.Member_List_Account.map((a) => `${b.GroupId}/${a}`)).sort()).toEqual(
      [...asked.map((a) => `@TGS#_big-0/${a}`), "big-1/member-499", "no-such-group/member-001"].sort(),
    );
    expect(await commands()).not.toContain("get_group_member_info");
    expect(
      (
        await emu.groupFails("get_specified_group_member_info", {
          GroupId: "big-1",
          Member_List_Account: people.slice(0, 51),
        })
      ).code,
    ).toBe(10005);
  });
});
