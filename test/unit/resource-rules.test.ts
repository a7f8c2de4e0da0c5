/**
 * The pure rules behind the resources' lifecycle, case by case: what check accepts and how it
 * normalises, what a change means (update or replace), which fields an update sends, who
 * joins and leaves, and what outputs record.
 */
import type { GroupInfo } from "../../chat-api/bodies";
import { checkAccountInputs } from "../../provider/chat-account/inputs";
import { diffGroup } from "../../provider/chat-group/diff";
import { type ChatGroupInputs, checkInputs } from "../../provider/chat-group/inputs";
import {
  adminChanges,
  type ChatGroupOutputs,
  lowerLimitRequest,
  memberChanges,
  modifyRequest,
  outputsFrom,
} from "../../provider/chat-group/mapping";
import { checkTopicInputs } from "../../provider/chat-topic/inputs";
import { topicChanges } from "../../provider/chat-topic/provider";
import { isOurCreate } from "../../provider/client/client";
import { savedAppOf, UNKNOWN } from "../../provider/common/check";
import { type DeclaredOptions, keepIgnored } from "../../provider/common/options";

const inputs = (over: Partial<ChatGroupInputs> = {}): ChatGroupInputs => ({
  type: "Public",
  name: "room",
  groupIdGenerated: true,
  introduction: "",
  notification: "",
  faceUrl: "",
  muteAllMember: false,
  appDefinedData: {},
  members: [],
  exclusiveMembers: false,
  admins: [],
  supportTopic: false,
  adoptExisting: false,
  ...over,
});

const outputs = (over: Partial<ChatGroupOutputs> = {}): ChatGroupOutputs => ({
  ...inputs(),
  groupId: "pulumi-room-1",
  pendingMembers: [],
  ownerDeclared: false,
  ...over,
});

const live = (over: Partial<GroupInfo> = {}): GroupInfo => ({
  ErrorCode: 0,
  GroupId: "pulumi-room-1",
  Type: "Public",
  Name: "room",
  Owner_Account: "alice",
  MemberList: [{ Member_Account: "alice" }],
  ...over,
});

describe("checkInputs", () => {
  const accepted: Array<[string, Record<string, unknown>, Partial<ChatGroupInputs>]> = [
    [
      "fills every default",
      { type: "Public", name: "r" },
      {
        introduction: "",
        muteAllMember: false,
        appDefinedData: {},
        members: [],
        supportTopic: false,
        groupIdGenerated: true,
      },
    ],
    ["takes the client SDKs' name Work for Private", { type: "Work", name: "r" }, { type: "Private" }],
    ["takes Meeting for ChatRoom", { type: "Meeting", name: "r" }, { type: "ChatRoom" }],
    [
      "sorts members and drops repeats",
      { type: "Public", name: "r", members: ["b", "a", "b"] },
      { members: ["a", "b"] },
    ],
    [
      "marks a fixed ID as not generated",
      { type: "Public", name: "r", groupId: "fixed" },
      { groupId: "fixed", groupIdGenerated: false },
    ],
    [
      "takes a Community ID with its prefix",
      { type: "Community", name: "r", groupId: "@TGS#_abc", supportTopic: true },
      { supportTopic: true },
    ],
    [
      "counts a name by bytes, 100 at most",
      { type: "Public", name: "名".repeat(33) + "x" },
      { name: "名".repeat(33) + "x" },
    ],
    [
      "lets members reach maxMemberCount with the owner",
      { type: "Public", name: "r", ownerAccount: "o", members: ["a"], maxMemberCount: 2 },
      { maxMemberCount: 2 },
    ],
  ];
  it.each(accepted)("%s", (_label, news, expected) => {
    const { inputs: out, failures } = checkInputs({}, news);
    expect(failures).toEqual([]);
    expect(out).toMatchObject(expected);
  });

  const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["an unknown type", { type: "Club", name: "r" }, "type", /type must be one of/],
    ["an empty name", { type: "Public", name: "" }, "name", /name must not be empty/],
    ["a name of 101 bytes", { type: "Public", name: "名".repeat(33) + "xx" }, "name", /100 bytes/],
    [
      "a misspelt property, naming the right one",
      { type: "Public", name: "r", maxMemberNum: 5 },
      "maxMemberNum",
      /maxMemberCount/,
    ],
    ["a Community ID without @TGS#_", { type: "Community", name: "r", groupId: "plain" }, "groupId", /@TGS#_/],
    ["an ID Tencent reserves", { type: "Public", name: "r", groupId: "@TGS#abc" }, "groupId", /reserves/],
    ["members of an AVChatRoom", { type: "AVChatRoom", name: "r", members: ["a"] }, "members", /client SDK/],
    [
      "topics outside a Community",
      { type: "Public", name: "r", supportTopic: true },
      "supportTopic",
      /only to a Community/,
    ],
    [
      "more members than the limit",
      { type: "Public", name: "r", members: ["a", "b", "c"], maxMemberCount: 2 },
      "members",
      /exceed maxMemberCount 2/,
    ],
    ["an account ID with a space", { type: "Public", name: "r", members: ["a b"] }, "members[]", /letters, digits/],
    ["a number for the name", { type: "Public", name: 5 }, "name", /got a number/],
    [
      "an empty appDefinedData value",
      { type: "Public", name: "r", appDefinedData: { k: "" } },
      "appDefinedData",
      /remove the key/,
    ],
    [
      "applyJoinOption on a Work group",
      { type: "Work", name: "r", applyJoinOption: "NeedPermission" },
      "applyJoinOption",
      /Work \(Private\) group takes no join requests.*leave it out/,
    ],
    [
      "applyJoinOption on a Meeting group",
      { type: "Meeting", name: "r", applyJoinOption: "FreeAccess" },
      "applyJoinOption",
      /Meeting \(ChatRoom\) group is joined freely/,
    ],
    [
      "applyJoinOption on an AVChatRoom",
      { type: "AVChatRoom", name: "r", applyJoinOption: "FreeAccess" },
      "applyJoinOption",
      /AVChatRoom group is joined freely/,
    ],
    [
      "exclusiveMembers on an AVChatRoom",
      { type: "AVChatRoom", name: "r", exclusiveMembers: true },
      "exclusiveMembers",
      /client SDK/,
    ],
  ];
  it.each(refused)("refuses %s", (_label, news, property, reason) => {
    const { failures } = checkInputs({}, news);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.some((f) => f.property === property || f.reason.includes(property))).toBe(true);
    expect(failures.map((f) => f.reason).join("\n")).toMatch(reason);
  });

  it.each(["Public", "Community"])("takes applyJoinOption on a %s group, which takes join requests", (type) => {
    expect(
      checkInputs(
        {},
        { type, name: "r", applyJoinOption: "DisableApply", ...(type === "Community" && { groupId: "@TGS#_c" }) },
      ).failures,
    ).toEqual([]);
  });

  it("leaves rules that need an unknown value for later", () => {
    const { failures, inputs: out } = checkInputs(
      {},
      { type: UNKNOWN, name: "r", supportTopic: true, groupId: "plain" },
    );
    expect(failures).toEqual([]);
    expect(out.type).toBe(UNKNOWN);
  });

  it("gives the same inputs with or without old ones: the engine checks a replacement without them", () => {
    expect(checkInputs({ type: "Public", name: "old" }, { type: "Public", name: "r" })).toEqual(
      checkInputs({}, { type: "Public", name: "r" }),
    );
  });
});

describe("isOurCreate", () => {
  it("knows its create under either name of the type, as the service may report it", () => {
    const req = { Type: "Private", Name: "n", GroupId: "g" };
    expect(
      isOurCreate({ GroupId: "g", ErrorCode: 0, Type: "Work", Name: "n", CreateTime: 100 } as GroupInfo, req, 100),
    ).toBe(true);
    expect(
      isOurCreate({ GroupId: "g", ErrorCode: 0, Type: "Public", Name: "n", CreateTime: 100 } as GroupInfo, req, 100),
    ).toBe(false);
  });
});

describe("diffGroup", () => {
  const cases: Array<
    [
      string,
      Partial<ChatGroupOutputs>,
      Partial<ChatGroupInputs>,
      { changed: string[]; replaces: string[]; deleteBeforeReplace: boolean },
    ]
  > = [
    ["nothing", {}, {}, { changed: [], replaces: [], deleteBeforeReplace: false }],
    ["a new name is an update", {}, { name: "other" }, { changed: ["name"], replaces: [], deleteBeforeReplace: false }],
    [
      "a new type replaces, new group first",
      {},
      { type: "Private" },
      { changed: ["type"], replaces: ["type"], deleteBeforeReplace: false },
    ],
    [
      "the same fixed ID replaced deletes first",
      { groupId: "fixed", groupIdGenerated: false },
      { groupId: "fixed", groupIdGenerated: false, type: "Private" },
      { changed: ["type"], replaces: ["type"], deleteBeforeReplace: true },
    ],
    [
      "a generated ID becoming fixed replaces",
      {},
      { groupId: "fixed", groupIdGenerated: false },
      { changed: ["groupId"], replaces: ["groupId"], deleteBeforeReplace: false },
    ],
    [
      "an undeclared owner is left alone",
      { ownerAccount: "alice" },
      {},
      { changed: [], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a declared new owner is an update",
      { ownerAccount: "alice" },
      { ownerAccount: "bob" },
      { changed: ["ownerAccount"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a new owner of an AVChatRoom replaces",
      { type: "AVChatRoom", ownerAccount: "alice" },
      { type: "AVChatRoom", ownerAccount: "bob" },
      { changed: ["ownerAccount"], replaces: ["ownerAccount"], deleteBeforeReplace: false },
    ],
    [
      "a pending invitation counts as a member",
      { members: ["a"], pendingMembers: ["b"] },
      { members: ["a", "b"] },
      { changed: [], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a member dropped",
      { members: ["a", "b"] },
      { members: ["a"] },
      { changed: ["members"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "an appDefinedData value changed",
      { appDefinedData: { k: "1" } },
      { appDefinedData: { k: "2" } },
      { changed: ["appDefinedData"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a key named constructor is a key",
      {},
      { appDefinedData: { constructor: "x" } },
      { changed: ["appDefinedData"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "a new admin list is an update",
      { admins: ["a"] },
      { admins: ["b"] },
      { changed: ["admins"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "topics turned on replaces",
      { type: "Community" },
      { type: "Community", supportTopic: true },
      { changed: ["supportTopic"], replaces: ["supportTopic"], deleteBeforeReplace: false },
    ],
  ];
  it.each(cases)("%s", (_label, olds, news, expected) => {
    const diff = diffGroup(outputs(olds), inputs(news));
    expect({ changed: diff.changed, replaces: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace }).toEqual(
      expected,
    );
    expect(diff.changes).toBe(expected.changed.length > 0);
  });

  const withOptions: Array<
    [
      string,
      Partial<ChatGroupOutputs>,
      Partial<ChatGroupInputs>,
      DeclaredOptions,
      { changed: string[]; replaces: string[]; deleteBeforeReplace: boolean },
    ]
  > = [
    [
      "replaceOnChanges makes a rename replace",
      {},
      { name: "other" },
      { replaceOnChanges: ["name"] },
      { changed: ["name"], replaces: ["name"], deleteBeforeReplace: false },
    ],
    [
      "replaceOnChanges * replaces on any change",
      {},
      { muteAllMember: true },
      { replaceOnChanges: ["*"] },
      { changed: ["muteAllMember"], replaces: ["muteAllMember"], deleteBeforeReplace: false },
    ],
    [
      "replaceOnChanges of a fixed ID deletes first",
      { groupId: "f", groupIdGenerated: false },
      { groupId: "f", groupIdGenerated: false, name: "x" },
      { replaceOnChanges: ["name"] },
      { changed: ["name"], replaces: ["name"], deleteBeforeReplace: true },
    ],
    [
      "replaceOnChanges of a nested path covers its property",
      {},
      { appDefinedData: { k: "2" } },
      { replaceOnChanges: ["appDefinedData.k"] },
      { changed: ["appDefinedData"], replaces: ["appDefinedData"], deleteBeforeReplace: false },
    ],
    [
      "ignoreChanges leaves a property out",
      {},
      { name: "other", notification: "n" },
      { ignoreChanges: ["name"] },
      { changed: ["notification"], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "ignoreChanges of a replacing property keeps the group",
      {},
      { type: "Private" },
      { ignoreChanges: ["type"] },
      { changed: [], replaces: [], deleteBeforeReplace: false },
    ],
    [
      "ignoreChanges of a path inside a property is the engine's",
      { appDefinedData: { k: "1" } },
      { appDefinedData: { k: "2" } },
      { ignoreChanges: ["appDefinedData.k"] },
      { changed: ["appDefinedData"], replaces: [], deleteBeforeReplace: false },
    ],
  ];
  it.each(withOptions)("%s", (_label, olds, news, options, expected) => {
    const diff = diffGroup(outputs(olds), inputs(news), new Set(), options);
    expect({ changed: diff.changed, replaces: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace }).toEqual(
      expected,
    );
  });

  it("keeps ignored properties as the service has them in an update", () => {
    expect(
      keepIgnored(inputs({ name: "program's", notification: "n" }), outputs({ name: "service's" }), {
        ignoreChanges: ["name"],
      }),
    ).toMatchObject({ name: "service's", notification: "n" });
  });
});

describe("modifyRequest and lowerLimitRequest", () => {
  const cases: Array<
    [
      string,
      Partial<GroupInfo>,
      Partial<ChatGroupInputs>,
      string[],
      Record<string, unknown> | undefined,
      Record<string, unknown> | undefined,
    ]
  > = [
    ["nothing to send", {}, {}, [], undefined, undefined],
    ["a new name", {}, { name: "new" }, [], { Name: "new" }, undefined],
    [
      "an empty introduction is the same as none",
      { Introduction: undefined },
      { introduction: "" },
      [],
      undefined,
      undefined,
    ],
    [
      "a raised limit says MaxMemberNum, before members",
      { MaxMemberNum: 10 },
      { maxMemberCount: 20 },
      [],
      { MaxMemberNum: 20 },
      undefined,
    ],
    [
      "a lowered limit waits until members have left",
      { MaxMemberNum: 20 },
      { maxMemberCount: 10 },
      [],
      undefined,
      { MaxMemberNum: 10 },
    ],
    [
      "mute reads the old ShutUpAllMember",
      { ShutUpAllMember: "On" },
      { muteAllMember: false },
      [],
      { MuteAllMember: "Off" },
      undefined,
    ],
    [
      "a dropped key is deleted with an empty value",
      { AppDefinedData: [{ Key: "old", Value: "1" }] },
      {},
      ["old"],
      { AppDefinedData: [{ Key: "old", Value: "" }] },
      undefined,
    ],
    [
      "a key nobody declared is left alone",
      { AppDefinedData: [{ Key: "theirs", Value: "1" }] },
      {},
      [],
      undefined,
      undefined,
    ],
    [
      "only changed values are sent",
      { AppDefinedData: [{ Key: "a", Value: "1" }] },
      { appDefinedData: { a: "1", b: "2" } },
      [],
      { AppDefinedData: [{ Key: "b", Value: "2" }] },
      undefined,
    ],
  ];
  it.each(cases)("%s", (_label, group, want, forget, modify, lower) => {
    const sent = modifyRequest("g", live(group), inputs(want), forget);
    expect(sent).toEqual(modify && { GroupId: "g", ...modify });
    expect(lowerLimitRequest("g", live(group), inputs(want))).toEqual(lower && { GroupId: "g", ...lower });
  });
});

describe("memberChanges", () => {
  const members = (...ids: string[]) => ({ MemberList: ids.map((Member_Account) => ({ Member_Account })) });
  const cases: Array<
    [
      string,
      Partial<GroupInfo>,
      Partial<ChatGroupInputs>,
      Parameters<typeof memberChanges>[2],
      ReturnType<typeof memberChanges>,
    ]
  > = [
    [
      "adds the declared who are missing",
      members("alice"),
      { members: ["b", "a"] },
      {},
      { remove: [], add: ["a", "b"], formerOwner: undefined },
    ],
    [
      "removes only members this stack declared",
      members("alice", "a", "theirs"),
      { members: [] },
      { members: ["a"] },
      { remove: ["a"], add: [], formerOwner: undefined },
    ],
    [
      "never removes the owner",
      members("alice", "a"),
      { members: [] },
      { members: ["alice", "a"] },
      { remove: ["a"], add: [], formerOwner: undefined },
    ],
    [
      "adds a new owner first, and the declared former owner leaves after",
      members("alice"),
      { ownerAccount: "bob" },
      { ownerAccount: "alice", ownerDeclared: true },
      { remove: [], add: ["bob"], formerOwner: "alice" },
    ],
    [
      "keeps a former owner nobody declared",
      members("alice"),
      { ownerAccount: "bob" },
      { ownerAccount: "alice", ownerDeclared: false },
      { remove: [], add: ["bob"], formerOwner: undefined },
    ],
    [
      "keeps a former owner still declared as a member",
      members("alice"),
      { ownerAccount: "bob", members: ["alice"] },
      { ownerAccount: "alice", ownerDeclared: true },
      { remove: [], add: ["bob"], formerOwner: undefined },
    ],
    [
      "does not invite again while an invitation waits",
      members("alice"),
      { members: ["p"] },
      { pendingMembers: ["p"] },
      { remove: [], add: [], formerOwner: undefined },
    ],
    [
      "leaves an AVChatRoom's audience to the client SDK",
      { ...members("x"), Type: "AVChatRoom" },
      { type: "AVChatRoom" },
      { members: ["x"] },
      { remove: [], add: [] },
    ],
  ];
  it.each(cases)("%s", (_label, group, want, before, expected) => {
    expect(memberChanges(live(group), inputs(want), before)).toEqual(expected);
  });
});

describe("adminChanges", () => {
  const roles = (entries: Record<string, string>) => ({
    MemberList: Object.entries(entries).map(([Member_Account, Role]) => ({ Member_Account, Role })),
  });
  it.each<
    [string, Record<string, string>, Partial<ChatGroupInputs>, readonly string[], ReturnType<typeof adminChanges>]
  >([
    [
      "promotes declared members who are not admins",
      { a: "Member", b: "Admin" },
      { members: ["a", "b"], admins: ["a", "b"] },
      [],
      { promote: ["a"], demote: [] },
    ],
    [
      "promotes a member who joins in the same update",
      { o: "Owner" },
      { members: ["n"], admins: ["n"] },
      [],
      { promote: ["n"], demote: [] },
    ],
    [
      "demotes an admin this stack declared and dropped",
      { a: "Admin" },
      { members: ["a"], admins: [] },
      ["a"],
      { promote: [], demote: ["a"] },
    ],
    [
      "leaves an admin it never declared",
      { x: "Admin" },
      { members: ["x"], admins: [] },
      [],
      { promote: [], demote: [] },
    ],
    [
      "does not demote one leaving the group",
      { a: "Admin" },
      { members: [], admins: [] },
      ["a"],
      { promote: [], demote: [] },
    ],
  ])("%s", (_label, group, want, before, expected) => {
    expect(adminChanges(live(roles(group)), inputs(want), { admins: before })).toEqual(expected);
  });
});

describe("outputsFrom", () => {
  it.each<
    [string, Partial<GroupInfo>, Partial<ChatGroupInputs>, Parameters<typeof outputsFrom>[2], Partial<ChatGroupOutputs>]
  >([
    [
      "records declared members as they are, not others",
      { MemberList: [{ Member_Account: "a" }, { Member_Account: "theirs" }] },
      { members: ["a", "b"] },
      {},
      { members: ["a"] },
    ],
    [
      "keeps members still to remove after a partial update",
      { MemberList: [{ Member_Account: "old" }] },
      { members: [] },
      { managed: ["old"] },
      { members: ["old"] },
    ],
    [
      "keeps invitations that wait, for declared members only",
      {},
      { members: ["p"] },
      { pending: ["p", "stranger"] },
      { pendingMembers: ["p"] },
    ],
    ["reads MaxMemberNum as maxMemberCount", { MaxMemberNum: 50 }, {}, {}, { maxMemberCount: 50 }],
    [
      "records declared keys only, and keys still to delete",
      {
        AppDefinedData: [
          { Key: "a", Value: "1" },
          { Key: "x", Value: "2" },
          { Key: "old", Value: "3" },
        ],
      },
      { appDefinedData: { a: "1" } },
      { managedKeys: ["old"] },
      { appDefinedData: { a: "1", old: "3" } },
    ],
    ["normalises a client SDK's type name", { Type: "Work" }, {}, {}, { type: "Private" }],
    ["has no owner for an ownerless group", { Owner_Account: "" }, {}, {}, { ownerDeclared: false }],
    ["remembers a declared owner", {}, { ownerAccount: "alice" }, {}, { ownerAccount: "alice", ownerDeclared: true }],
  ])("%s", (_label, group, declared, extra, expected) => {
    const out = outputsFrom(live(group), inputs(declared), extra);
    expect(out).toMatchObject(expected);
    if (group.Owner_Account === "") expect(out).not.toHaveProperty("ownerAccount");
    expect(Object.values(out)).not.toContain(undefined);
  });
});

describe("checkAccountInputs", () => {
  it.each<[string, Record<string, unknown>, string | undefined, RegExp | undefined]>([
    ["a chosen ID", { userId: "alice" }, undefined, undefined],
    ["a prefix to generate from", { userIdPrefix: "pr-7-" }, undefined, undefined],
    ["an unknown ID (a preview) waits", { userId: UNKNOWN }, undefined, undefined],
    ["neither ID nor prefix", { nick: "A" }, "userId", /userId is required/],
    ["both ID and prefix", { userId: "a", userIdPrefix: "p-" }, "userIdPrefix", /not both/],
    ["adopting a generated account", { userIdPrefix: "p-", adoptExisting: true }, "adoptExisting", /needs no adopting/],
    ["the App admin", { userId: "administrator" }, "userId", /App admin/],
    ["an ID of 33 bytes", { userId: "a".repeat(33) }, "userId", /32 bytes/],
    ["a prefix with a space", { userIdPrefix: "p q" }, "userIdPrefix", /letters, digits/],
    ["a misspelt property", { userId: "a", nickname: "A" }, "nickname", /nick/],
  ])("%s", (_label, news, property, reason) => {
    const { failures } = checkAccountInputs({}, news, "administrator");
    if (!property) return expect(failures).toEqual([]);
    expect(failures.map((f) => f.property)).toContain(property);
    expect(failures.map((f) => f.reason).join("\n")).toMatch(reason!);
  });
});

describe("checkTopicInputs", () => {
  const base = { groupId: "@TGS#_guild", topicName: "News" };
  it.each<[string, Record<string, unknown>, string | undefined, RegExp | undefined]>([
    ["a generated ID", base, undefined, undefined],
    ["a chosen suffix", { ...base, topicIdSuffix: "news" }, undefined, undefined],
    ["a Community not made yet (a preview) waits", { ...base, groupId: UNKNOWN }, undefined, undefined],
    [
      "adopting with a suffix not known yet",
      { ...base, topicIdSuffix: UNKNOWN, adoptExisting: true },
      undefined,
      undefined,
    ],
    ["a group that is not a Community", { ...base, groupId: "plain" }, "groupId", /starts with @TGS#_/],
    ["no name", { groupId: "@TGS#_guild" }, "topicName", /topicName is required/],
    ["an empty name", { ...base, topicName: "" }, "topicName", /must not be empty/],
    ["a name of 31 bytes", { ...base, topicName: "n".repeat(31) }, "topicName", /at most 30 bytes/],
    ["an introduction of 241 bytes", { ...base, introduction: "i".repeat(241) }, "introduction", /at most 240 bytes/],
    ["a faceUrl of 101 bytes", { ...base, faceUrl: "f".repeat(101) }, "faceUrl", /at most 100 bytes/],
    ["a customString of 3001 bytes", { ...base, customString: "c".repeat(3001) }, "customString", /at most 3000 bytes/],
    ["a suffix with @", { ...base, topicIdSuffix: "a@b" }, "topicIdSuffix", /letters, digits/],
    ["adopting a generated topic", { ...base, adoptExisting: true }, "adoptExisting", /needs no adopting/],
    ["a misspelt property", { ...base, notice: "x" }, "notice", /notification/],
  ])("%s", (_label, news, property, reason) => {
    const { failures } = checkTopicInputs({}, news);
    if (!property) return expect(failures).toEqual([]);
    expect(failures.map((f) => f.property)).toContain(property);
    expect(failures.map((f) => f.reason).join("\n")).toMatch(reason!);
  });
});

describe("topicChanges", () => {
  const want = { groupId: "@TGS#_g", topicName: "News", adoptExisting: false };
  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>]>([
    [
      "a new topic gets every declared field",
      { notification: "hi" },
      undefined,
      { TopicName: "News", Notification: "hi" },
    ],
    ["nothing changed, nothing sent", { introduction: "" }, { TopicName: "News", Introduction: "" }, {}],
    ["an undeclared field is left alone", {}, { TopicName: "News", Notification: "set by hand" }, {}],
    [
      "a declared field set by hand is brought back",
      { notification: "" },
      { TopicName: "Renamed", Notification: "by hand" },
      { TopicName: "News", Notification: "" },
    ],
  ])("%s", (_label, over, current, expected) => {
    expect(topicChanges({ ...want, ...over }, current && { TopicId: "t", ...current })).toEqual(expected);
  });
});

describe("the app a saved state entry names", () => {
  it.each([
    [{}, undefined],
    [{ app: null }, undefined],
    [{ app: "staging" }, "staging"],
    [{ app: "a-b_2" }, "a-b_2"],
  ])("reads %j as %j", (props, app) => {
    expect(savedAppOf(props)).toBe(app);
  });

  it.each([
    ["an empty name, which would reach the top-level app", { app: "" }, /app "",/],
    ["a newline, which would reach error texts as it is", { app: "prod\nINJECTED" }, /app "prod\\nINJECTED",/],
    ["a number", { app: 7 }, /app 7,/],
    ["a long text, cut short", { app: "x".repeat(100) }, /app "x{39}…,/],
  ])("refuses %s, naming the rule and what to do", (_label, props, shown) => {
    expect(() => savedAppOf(props)).toThrow(shown);
    expect(() => savedAppOf(props)).toThrow(/not a profile name of tencent-chat:apps .*Put back the profile name/);
  });
});
