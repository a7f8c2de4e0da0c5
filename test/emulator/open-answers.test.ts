/**
 * The answers Tencent leaves open, each switchable in the emulator (its `policy`): admins on a
 * Work group, which byte limits group texts have, how get_topic answers for a topic that does
 * not exist, and terse ErrorInfo texts like the service's.
 */
import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();
const TOPIC = "million_group_open_http_svc";

afterEach(() => emu().control.configure({ workGroupAdmins: "refused", textLimits: "current", missingTopicAnswer: "item", errorTexts: "explained" }));

beforeEach(() => emu().importAccounts("alice", "bob"));

describe("admins on a Work (Private) group", () => {
  it("are refused by default, at create and by modify_group_member_info, with 10004", async () => {
    const created = await emu().groupFails("create_group", { Type: "Private", Name: "n", MemberList: [{ Member_Account: "alice", Role: "Admin" }] });
    expect(created).toMatchObject({ code: 10004, info: expect.stringContaining("Work (Private) group has no admins") });
    const { GroupId } = (await emu().group("create_group", { Type: "Private", Name: "n", MemberList: [{ Member_Account: "alice" }] })) as { GroupId: string };
    expect((await emu().groupFails("modify_group_member_info", { GroupId, Member_Account: "alice", Role: "Admin" })).code).toBe(10004);
    // A Public group takes them.
    const pub = (await emu().group("create_group", { Type: "Public", Name: "n", MemberList: [{ Member_Account: "alice", Role: "Admin" }] })) as { GroupId: string };
    expect(pub.GroupId).toBeTruthy();
  });

  it("are taken when the app is set to allow them", async () => {
    await emu().control.configure({ workGroupAdmins: "allowed" });
    await emu().group("create_group", { Type: "Private", Name: "n", MemberList: [{ Member_Account: "alice", Role: "Admin" }] });
  });
});

describe("group text limits", () => {
  it.each([
    ["current", 100, 101],
    ["legacy", 30, 31],
  ] as const)("with %s limits take a name of %i bytes and refuse %i with 10004", async (textLimits, fits, over) => {
    await emu().control.configure({ textLimits });
    await emu().group("create_group", { Type: "Public", Name: "n".repeat(fits) });
    expect((await emu().groupFails("create_group", { Type: "Public", Name: "n".repeat(over) })).code).toBe(10004);
  });
});

describe("get_topic for a topic that does not exist", () => {
  let gid = "";
  beforeEach(async () => {
    gid = ((await emu().group("create_group", { Type: "Community", Name: "Guild", SupportTopic: 1 })) as { GroupId: string }).GroupId;
  });
  const ask = () => emu().raw(TOPIC, "get_topic", { GroupId: gid, From_Account: "administrator", TopicIdList: [`${gid}@TOPIC#_gone`] });

  it.each([
    ["item", (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ErrorCode: 0, TopicAndSelfInfo: [{ ErrorCode: 110003 }] })],
    ["omitted", (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ErrorCode: 0, TopicAndSelfInfo: [] })],
    ["call-110003", (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 110003 })],
    ["call-10004", (r: Awaited<ReturnType<typeof ask>>) => expect(r.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 10004 })],
  ] as const)("answers as %s when set so", async (missingTopicAnswer, expectAnswer) => {
    await emu().control.configure({ missingTopicAnswer });
    expectAnswer(await ask());
  });
});

describe("terse ErrorInfo texts", () => {
  it("answer in the service's few words instead of the emulator's explanations", async () => {
    const explained = await emu().groupFails("create_group", { Type: "Public", Name: "n", Owner_Account: "nobody" });
    await emu().control.configure({ errorTexts: "terse" });
    const terse = await emu().groupFails("create_group", { Type: "Public", Name: "n", Owner_Account: "nobody" });
    expect(terse).toMatchObject({ code: explained.code, info: "account not exist" });
    expect(explained.info).not.toBe(terse.info);
  });
});
