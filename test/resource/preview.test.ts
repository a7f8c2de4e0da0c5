/**
 * `pulumi preview` tells the truth: for every input of ChatGroup, ChatAccount, ChatTopic and ChatGroupMember,
 * a known change, a value not known at preview (whole, or one element or map value of it),
 * and one not known that turns out equal. Each row deploys a base program, previews the next
 * version and then applies it, through Pulumi's provider host: the step `up` takes is the
 * step preview announced, or, for a value preview could not know, "same" when it turned out
 * equal. Preview never says "same" for a value it does not know.
 *
 * @slow some two hundred deployments through the provider host
 */
import { type Registration, type Step } from "../../harness/engine";
import { OUTPUT_REF } from "../../harness/project";
import { UNKNOWN } from "../../harness/provider-host";
import { PROPERTIES as GROUP_PROPERTIES } from "../../provider/chat-group/inputs";
import { PROPERTIES } from "../../provider/chat-group-member/inputs";
import { TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import {
  CHAT_ACCOUNT_TYPE,
  CHAT_GROUP_MEMBER_TYPE,
  CHAT_TOPIC_TYPE,
  providerText,
  secret,
  seedOf,
  useStack,
} from "../helpers/stack";

// A second profile, "other", of the same app: a resource moved to it is replaced.
const stack = useStack(
  async (s) => {
    await s.emu.importAccounts("owner1", "owner2", "alice", "bob", "carol");
    for (const GroupId of ["lobby", "lobby-2"])
      await s.emu.group("create_group", { Type: "Public", GroupId, Name: GroupId, Owner_Account: "owner1" });
    await s.emu.control.configure({ rateLimit: 0 });
  },
  // Member limits over a Trial app's cap of 20: a Pro app.
  {
    extraConfig: (emu) => ({
      "tencent-chat:apps": {
        other: { sdkAppId: String(TEST_SDKAPPID), secretKey: secret(TEST_KEY), endpoint: emu.url },
      },
    }),
    emulator: { plan: "pro" },
  },
);

type Args = Record<string, unknown>;

/** One input's row: the base program's arguments, the next version's at preview, and at up. */
interface Row {
  label: string;
  base: Args;
  preview: Args;
  up: Args;
  /** The step a known change takes. */
  step: Step;
}

/** The three rows of one input: changed, not known and changed, not known and equal. */
function rowsFor(property: string, base: Args, changed: unknown, step: Step, unknownValue: unknown = UNKNOWN): Row[] {
  const equal = base[property];
  return [
    {
      label: `${property} changed`,
      base,
      preview: { ...base, [property]: changed },
      up: { ...base, [property]: changed },
      step,
    },
    {
      label: `${property} not known at preview, then changed`,
      base,
      preview: { ...base, [property]: unknownValue },
      up: { ...base, [property]: changed },
      step,
    },
    {
      label: `${property} not known at preview, then equal`,
      base,
      preview: { ...base, [property]: unknownValue },
      up: { ...base, [property]: equal },
      step,
    },
  ];
}

const GROUP: Args = {
  type: "Public",
  name: "Ops",
  ownerAccount: "owner1",
  introduction: "intro",
  notification: "note",
  faceUrl: "https://x/a.png",
  maxMemberCount: 100,
  applyJoinOption: "NeedPermission",
  inviteJoinOption: "NeedPermission",
  muteAllMember: false,
  appDefinedData: { team: "qa" },
  members: ["alice", "bob"],
  admins: ["alice"],
};
const FIXED = { ...GROUP, groupId: "ops-room" };
/** A group whose type can change to Meeting (ChatRoom), which takes no applyJoinOption. */
const ANY_TYPE: Args = Object.fromEntries(Object.entries(GROUP).filter(([key]) => key !== "applyJoinOption"));
const ANY_TYPE_FIXED = { ...ANY_TYPE, groupId: "ops-room" };
const COMMUNITY: Args = { type: "Community", name: "Guild", ownerAccount: "owner1", supportTopic: false };

const GROUP_ROWS: Row[] = [
  ...rowsFor("app", GROUP, "other", "replace"),
  ...rowsFor("type", ANY_TYPE, "ChatRoom", "replace"),
  ...rowsFor("type", ANY_TYPE_FIXED, "ChatRoom", "delete-replace"),
  ...rowsFor("groupId", FIXED, "ops-room-2", "replace"),
  ...rowsFor("name", GROUP, "Ops 2", "update"),
  ...rowsFor("ownerAccount", GROUP, "owner2", "update"),
  ...rowsFor("introduction", GROUP, "intro 2", "update"),
  ...rowsFor("notification", GROUP, "note 2", "update"),
  ...rowsFor("faceUrl", GROUP, "https://x/b.png", "update"),
  ...rowsFor("maxMemberCount", GROUP, 200, "update"),
  ...rowsFor("applyJoinOption", GROUP, "FreeAccess", "update"),
  ...rowsFor("inviteJoinOption", GROUP, "FreeAccess", "update"),
  ...rowsFor("muteAllMember", GROUP, true, "update"),
  ...rowsFor("appDefinedData", GROUP, { team: "dev" }, "update"),
  ...rowsFor("appDefinedData", GROUP, { team: "dev" }, "update", { team: UNKNOWN }),
  ...rowsFor("members", GROUP, ["alice", "carol"], "update"),
  ...rowsFor("members", GROUP, ["alice", "carol"], "update", ["alice", UNKNOWN]),
  ...rowsFor("exclusiveMembers", GROUP, true, "update"),
  ...rowsFor("admins", GROUP, ["bob"], "update"),
  ...rowsFor("admins", GROUP, ["bob"], "update", [UNKNOWN]),
  ...rowsFor("supportTopic", COMMUNITY, true, "replace"),
  ...rowsFor("adoptExisting", FIXED, true, "same"),
].map((r) => ({
  ...r,
  label: `ChatGroup ${r.label}${r.base === FIXED || r.base === ANY_TYPE_FIXED ? " (fixed groupId)" : ""}`,
}));

const ACCOUNT: Args = { userId: "pr-1-bot", nick: "Bot", faceUrl: "https://x/bot.png" };
const GENERATED_ACCOUNT: Args = { userIdPrefix: "pr-1-", nick: "Bot" };
const ACCOUNT_ROWS: Row[] = [
  ...rowsFor("app", GENERATED_ACCOUNT, "other", "replace"),
  ...rowsFor("userId", ACCOUNT, "pr-1-bot2", "replace"),
  ...rowsFor("userIdPrefix", GENERATED_ACCOUNT, "pr-2-", "replace"),
  ...rowsFor("nick", ACCOUNT, "Bot 2", "update"),
  ...rowsFor("faceUrl", ACCOUNT, "https://x/bot2.png", "update"),
  ...rowsFor("adoptExisting", ACCOUNT, true, "same"),
].map((r) => ({ ...r, label: `ChatAccount ${r.label}` }));

const TOPIC: Args = {
  topicIdSuffix: "general",
  topicName: "General",
  introduction: "i",
  notification: "n",
  faceUrl: "https://x/t.png",
  customString: "c",
};
const TOPIC_ROWS: Row[] = [
  ...rowsFor("app", { topicName: "General" }, "other", "replace"),
  ...rowsFor("topicIdSuffix", TOPIC, "general-2", "replace"),
  ...rowsFor("topicName", TOPIC, "General 2", "update"),
  ...rowsFor("introduction", TOPIC, "i2", "update"),
  ...rowsFor("notification", TOPIC, "n2", "update"),
  ...rowsFor("faceUrl", TOPIC, "https://x/t2.png", "update"),
  ...rowsFor("customString", TOPIC, "c2", "update"),
  ...rowsFor("adoptExisting", TOPIC, true, "same"),
].map((r) => ({ ...r, label: `ChatTopic ${r.label}` }));

const MEMBERSHIP: Args = { groupId: "lobby", account: "alice", role: "Admin", nameCard: "Al" };
const MEMBER_ROWS: Row[] = [
  ...rowsFor("app", MEMBERSHIP, "other", "replace"),
  ...rowsFor("groupId", MEMBERSHIP, "lobby-2", "replace"),
  ...rowsFor("account", MEMBERSHIP, "bob", "replace"),
  ...rowsFor("role", MEMBERSHIP, "Member", "update"),
  ...rowsFor("nameCard", MEMBERSHIP, "Alice", "update"),
].map((r) => ({ ...r, label: `ChatGroupMember ${r.label}` }));

let texts: { account: string; topic: string; member: string };
beforeAll(async () => {
  texts = {
    account: await providerText(stack().project, "ChatAccount"),
    topic: await providerText(stack().project, "ChatTopic"),
    member: await providerText(stack().project, "ChatGroupMember"),
  };
});

const member = (args: Args): Registration => ({
  name: "m",
  type: CHAT_GROUP_MEMBER_TYPE,
  inputs: { ...args, __provider: texts.member },
});

const account = (args: Args): Registration => ({
  name: "a",
  type: CHAT_ACCOUNT_TYPE,
  inputs: { ...args, idSeed: seedOf("a", CHAT_ACCOUNT_TYPE), __provider: texts.account },
});
const community = () =>
  stack().registration("guild", {
    type: "Community",
    name: "Guild",
    ownerAccount: "owner1",
    supportTopic: true,
    groupId: "@TGS#_guild",
  });
const topic = (args: Args): Registration => ({
  name: "t",
  type: CHAT_TOPIC_TYPE,
  inputs: { groupId: "@TGS#_guild", ...args, idSeed: seedOf("t", CHAT_TOPIC_TYPE), __provider: texts.topic },
  dependsOn: ["guild"],
});

/** Preview then up of the next version; the steps each took. */
async function previewThenUp(
  program: (args: Args) => Registration[],
  name: string,
  row: Row,
): Promise<{ previewed?: Step; took?: Step }> {
  await stack().engine.up(program(row.base));
  const previewed = (await stack().engine.preview(program(row.preview))).get(name);
  await stack().engine.up(program(row.up));
  return { previewed, took: stack().engine.steps.get(name) };
}

/**
 * What the table asserts of a row: preview announces the step a change takes, also for a value
 * it does not know yet; up takes it, or none when the value turned out equal.
 */
function expectTruthful(row: Row, steps: { previewed?: Step; took?: Step }): void {
  expect({ row: row.label, previewed: steps.previewed }).toEqual({ row: row.label, previewed: row.step });
  const turnedOutEqual = JSON.stringify(row.up) === JSON.stringify(row.base);
  expect({ row: row.label, took: steps.took }).toEqual({ row: row.label, took: turnedOutEqual ? "same" : row.step });
}

describe("preview announces the step up takes", () => {
  it.each(GROUP_ROWS.map((r) => [r.label, r] as const))("%s", async (_label, row) => {
    expectTruthful(row, await previewThenUp((args) => [stack().registration("g", args)], "g", row));
  });

  it.each(ACCOUNT_ROWS.map((r) => [r.label, r] as const))("%s", async (_label, row) => {
    expectTruthful(row, await previewThenUp((args) => [account(args)], "a", row));
  });

  it.each(TOPIC_ROWS.map((r) => [r.label, r] as const))("%s", async (_label, row) => {
    expectTruthful(row, await previewThenUp((args) => [community(), topic(args)], "t", row));
  });

  it.each(MEMBER_ROWS.map((r) => [r.label, r] as const))("%s", async (_label, row) => {
    expectTruthful(row, await previewThenUp((args) => [member(args)], "m", row));
  });

  it("announces an update of a group whose owner is an account still to be made, its generated ID not known yet", async () => {
    const owner = (): Registration => ({
      ...account({ userIdPrefix: "boss-" }),
      name: "boss",
      inputs: { userIdPrefix: "boss-", idSeed: seedOf("boss", CHAT_ACCOUNT_TYPE), __provider: texts.account },
    });
    const group = (ownerAccount: string) => ({
      ...stack().registration("g", { ...GROUP, ownerAccount, members: ["alice"], admins: [] }),
      dependsOn: ["boss"],
    });
    await stack().engine.up([stack().registration("g", { ...GROUP, members: ["alice"], admins: [] })]);
    const next = [owner(), group(`${OUTPUT_REF}boss.userId`)];
    const previewed = await stack().engine.preview(next);
    expect(Object.fromEntries(previewed)).toEqual({ boss: "create", g: "update" });
    await stack().engine.up(next);
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ boss: "create", g: "update" });
  });

  it("announces the replacement of a topic whose Community is replaced, as up does it", async () => {
    const program = (groupId?: string) => [
      stack().registration("guild", {
        type: "Community",
        name: "Guild",
        ownerAccount: "owner1",
        supportTopic: true,
        ...(groupId && { groupId }),
      }),
      {
        ...topic({ topicIdSuffix: "news", topicName: "News" }),
        inputs: {
          ...topic({ topicIdSuffix: "news", topicName: "News" }).inputs,
          groupId: `${OUTPUT_REF}guild.groupId`,
        },
      },
    ];
    await stack().engine.up(program());
    const previewed = await stack().engine.preview(program("@TGS#_guild2"));
    await stack().engine.up(program("@TGS#_guild2"));
    expect(Object.fromEntries(previewed)).toEqual({ guild: "replace", t: "replace" });
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ guild: "replace", t: "replace" });
  });

  it("leaves the service and the state as they were", async () => {
    await stack().engine.up([stack().registration("g", ANY_TYPE)]);
    const state = stack().engine.snapshot();
    await stack().emu.control.clearRequests();
    const steps = await stack().engine.preview([
      stack().registration("g", { ...ANY_TYPE, type: "ChatRoom" }),
      stack().registration("h", GROUP),
    ]);
    expect(Object.fromEntries(steps)).toEqual({ g: "replace", h: "create" });
    expect(stack().engine.snapshot()).toEqual(state);
    const calls = (await stack().emu.control.requests()).map((r) => r.command);
    expect(calls.filter((c) => c !== "get_group_info")).toEqual([]);
  });
});

it("has a row for every input of the four resources", () => {
  const covered = (rows: Row[], kind: string) =>
    new Set(rows.filter((r) => r.label.startsWith(`${kind} `)).map((r) => r.label.split(" ")[1]));
  expect([...covered(GROUP_ROWS, "ChatGroup")].sort()).toEqual([...GROUP_PROPERTIES].sort());
  expect([...covered(ACCOUNT_ROWS, "ChatAccount")].sort()).toEqual([
    "adoptExisting",
    "app",
    "faceUrl",
    "nick",
    "userId",
    "userIdPrefix",
  ]);
  expect([...covered(TOPIC_ROWS, "ChatTopic")].sort()).toEqual([
    "adoptExisting",
    "app",
    "customString",
    "faceUrl",
    "introduction",
    "notification",
    "topicIdSuffix",
    "topicName",
  ]);
  expect([...covered(MEMBER_ROWS, "ChatGroupMember")].sort()).toEqual([...PROPERTIES].sort());
});
