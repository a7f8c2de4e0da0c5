/**
 * The field tables (provider/fields): what check, the saved-state parser, the diff, the REST
 * mapping, the README and the package schema read from them agree with the table, and with
 * each other.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { FIELDS as ACCOUNT_FIELDS, SCHEMA as ACCOUNT_SCHEMA } from "../../provider/chat-account/fields";
import { REPLACE_PROPERTIES } from "../../provider/chat-group/diff";
import { FIELDS as GROUP_FIELDS, SCHEMA as GROUP_SCHEMA } from "../../provider/chat-group/fields";
import { checkInputs } from "../../provider/chat-group/inputs";
import { createRequest, modifyRequest, outputsFrom } from "../../provider/chat-group/mapping";
import { readGroupInputs } from "../../provider/chat-group/state";
import { FIELDS as MEMBER_FIELDS, SCHEMA as MEMBER_SCHEMA } from "../../provider/chat-group-member/fields";
import { ChatGroupMemberProvider } from "../../provider/chat-group-member/provider";
import { FIELDS as TOPIC_FIELDS, SCHEMA as TOPIC_SCHEMA } from "../../provider/chat-topic/fields";
import { checkTopicInputs } from "../../provider/chat-topic/inputs";
import { ChatTopicProvider } from "../../provider/chat-topic/provider";
import { GroupInfoItem } from "../../provider/client/schemas";
import { OPTIONS_PROPERTY } from "../../provider/common/options";
import { referenceRows } from "../../provider/fields/docs";
import type { FieldTable } from "../../provider/fields/table";

const README = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

/** The reference table that follows a README heading. */
function readmeTable(heading: string): string[] {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`the README has no heading ${heading}`);
  const lines = README.slice(README.indexOf("| Input |", at)).split("\n");
  return lines.slice(
    0,
    lines.findIndex((l) => !l.startsWith("|")),
  );
}

describe.each([
  ["### ChatGroup", GROUP_FIELDS],
  ["### ChatTopic", TOPIC_FIELDS],
  ["### ChatAccount", ACCOUNT_FIELDS],
  ["### ChatGroupMember", MEMBER_FIELDS],
] as [string, FieldTable][])("the field table under %s", (heading, table) => {
  it("is the README's reference table, row for row", () => {
    // On a difference, paste the table's rows (the expected value) into the README.
    expect(readmeTable(heading)).toEqual(referenceRows(table));
  });
});

describe("ChatGroup's field table", () => {
  const minimal = { type: "Public", name: "n" };

  it("gives check its defaults, and the saved-state parser the same ones", () => {
    const checked = checkInputs({}, minimal).inputs;
    const saved = readGroupInputs({});
    for (const [property, field] of Object.entries(GROUP_FIELDS)) {
      if (field.defaultValue === undefined) continue;
      expect([property, checked[property]]).toEqual([property, field.defaultValue]);
      expect([property, (saved as Record<string, unknown>)[property]]).toEqual([property, field.defaultValue]);
    }
  });

  it("keeps every declared field from check through the saved state", () => {
    const declared = {
      ...minimal,
      groupId: "room",
      ownerAccount: "owner",
      introduction: "i",
      notification: "n2",
      faceUrl: "https://f",
      maxMemberCount: 50,
      applyJoinOption: "FreeAccess",
      inviteJoinOption: "DisableInvite",
      muteAllMember: true,
      appDefinedData: { k: "v" },
      members: ["a", "b"],
      exclusiveMembers: true,
      admins: ["a"],
      adoptExisting: true,
      app: "prod",
    };
    const checked = checkInputs({}, declared);
    expect(checked.failures).toEqual([]);
    const saved = readGroupInputs(checked.inputs);
    for (const property of Object.keys(GROUP_FIELDS))
      expect([property, (saved as Record<string, unknown>)[property]]).toEqual([property, checked.inputs[property]]);
  });

  it("names only REST fields get_group_info reads", () => {
    const readable = Object.keys(GroupInfoItem.shape);
    const named = Object.values(GROUP_FIELDS).flatMap((f) => (f.rest ? [f.rest] : []));
    expect(named.filter((r) => !readable.includes(r))).toEqual([]);
  });

  it("maps its one-to-one fields the same way into create, modify and back out of a read", () => {
    const want = readGroupInputs({
      ...checkInputs({}, { ...minimal, introduction: "hello", applyJoinOption: "FreeAccess" }).inputs,
    });
    const req = createRequest(want, "room");
    expect(req).toMatchObject({ Type: "Public", Name: "n", Introduction: "hello", ApplyJoinOption: "FreeAccess" });
    expect(req).not.toHaveProperty("Notification");
    const live = {
      GroupId: "room",
      ErrorCode: 0,
      Type: "Public",
      Name: "old",
      Introduction: "hello",
      ApplyJoinOption: "NeedPermission",
      MemberList: [],
    };
    expect(modifyRequest("room", live, want)).toEqual({ GroupId: "room", Name: "n", ApplyJoinOption: "FreeAccess" });
    expect(outputsFrom(live, want)).toMatchObject({
      name: "old",
      introduction: "hello",
      notification: "",
      faceUrl: "",
      applyJoinOption: "NeedPermission",
    });
    expect(outputsFrom(live, want).inviteJoinOption).toBeUndefined();
  });

  it("replaces on exactly the fields it says, and the schema says the same", () => {
    expect([...REPLACE_PROPERTIES].sort()).toEqual(["app", "groupId", "supportTopic", "type"]);
    const replacing = Object.entries(GROUP_SCHEMA.inputProperties)
      .filter(([, p]) => p.replaceOnChanges)
      .map(([k]) => k);
    expect(replacing.sort()).toEqual([...REPLACE_PROPERTIES].sort());
  });

  it("gives the package schema every input and output, typed, described and required as the table says", () => {
    expect(Object.keys(GROUP_SCHEMA.inputProperties)).toEqual(Object.keys(GROUP_FIELDS));
    expect(GROUP_SCHEMA.requiredInputs).toEqual(["type", "name"]);
    expect(Object.keys(GROUP_SCHEMA.properties)).not.toContain("adoptExisting");
    expect(GROUP_SCHEMA.properties).toMatchObject({
      memberCount: { type: "integer" },
      pendingMembers: { type: "array", items: { type: "string" } },
    });
    expect(GROUP_SCHEMA.inputProperties).toMatchObject({
      members: { type: "array", items: { type: "string" } },
      appDefinedData: { type: "object", additionalProperties: { type: "string" } },
      maxMemberCount: { type: "integer" },
      muteAllMember: { type: "boolean" },
    });
    for (const property of Object.values(GROUP_SCHEMA.inputProperties)) expect(property.description).toMatch(/\S/);
    // Every required output is a property.
    expect(GROUP_SCHEMA.required.filter((k) => !(k in GROUP_SCHEMA.properties))).toEqual([]);
    expect(GROUP_SCHEMA.required).toEqual(
      expect.arrayContaining(["groupId", "type", "name", "members", "pendingMembers"]),
    );
  });
});

describe("ChatTopic's field table", () => {
  const topicId = "@TGS#_guild@TOPIC#_news";
  const saved = {
    groupId: "@TGS#_guild",
    topicIdSuffix: "news",
    topicId,
    topicName: "News",
    introduction: "",
    notification: "",
    faceUrl: "",
    customString: "",
  };
  const news = (over: Record<string, unknown>) =>
    checkTopicInputs({}, { groupId: "@TGS#_guild", topicIdSuffix: "news", topicName: "News", ...over }).inputs;

  it("says which properties a change touches by their names, so ignoreChanges and replaceOnChanges apply to them", async () => {
    const provider = new ChatTopicProvider();
    expect(await provider.diff(topicId, saved, news({ topicName: "Updates" }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      await provider.diff(
        topicId,
        saved,
        news({ topicName: "Updates", [OPTIONS_PROPERTY]: { replaceOnChanges: ["topicName"] } }),
      ),
    ).toMatchObject({ changes: true, replaces: ["topicName"] });
    expect(
      await provider.diff(
        topicId,
        saved,
        news({
          topicName: "Updates",
          introduction: "hi",
          [OPTIONS_PROPERTY]: { ignoreChanges: ["topicName", "introduction"] },
        }),
      ),
    ).toMatchObject({ changes: false });
  });

  it("gives the package schema its inputs, replacing on the group, the ID and the app", () => {
    expect(Object.keys(TOPIC_SCHEMA.inputProperties)).toEqual(Object.keys(TOPIC_FIELDS));
    expect(TOPIC_SCHEMA.requiredInputs).toEqual(["groupId", "topicName"]);
    const replacing = Object.entries(TOPIC_SCHEMA.inputProperties)
      .filter(([, p]) => p.replaceOnChanges)
      .map(([k]) => k);
    expect(replacing.sort()).toEqual(["app", "groupId", "topicIdSuffix"]);
    expect(TOPIC_SCHEMA.required.filter((k) => !(k in TOPIC_SCHEMA.properties))).toEqual([]);
  });
});

describe("ChatAccount's field table", () => {
  it("gives the package schema its inputs, none required (userId or userIdPrefix is a rule of check), replacing on the ID and the app", () => {
    expect(Object.keys(ACCOUNT_SCHEMA.inputProperties)).toEqual(Object.keys(ACCOUNT_FIELDS));
    expect(ACCOUNT_SCHEMA.requiredInputs).toEqual([]);
    const replacing = Object.entries(ACCOUNT_SCHEMA.inputProperties)
      .filter(([, p]) => p.replaceOnChanges)
      .map(([k]) => k);
    expect(replacing.sort()).toEqual(["app", "userId", "userIdPrefix"]);
    expect(ACCOUNT_SCHEMA.required.filter((k) => !(k in ACCOUNT_SCHEMA.properties))).toEqual([]);
  });
});

describe("ChatGroupMember's field table", () => {
  const saved = { groupId: "lobby", account: "bot", role: "Member", nameCard: "", pending: false, existed: false };

  it("says which properties a change touches by their names, so ignoreChanges and replaceOnChanges apply to them", async () => {
    const provider = new ChatGroupMemberProvider();
    const news = (over: Record<string, unknown>) => ({ groupId: "lobby", account: "bot", ...over });
    expect(
      await provider.diff(
        "lobby/bot",
        saved,
        news({ role: "Admin", [OPTIONS_PROPERTY]: { replaceOnChanges: ["role"] } }),
      ),
    ).toMatchObject({ changes: true, replaces: ["role"] });
    expect(
      await provider.diff(
        "lobby/bot",
        saved,
        news({ nameCard: "Bot", [OPTIONS_PROPERTY]: { ignoreChanges: ["nameCard"] } }),
      ),
    ).toMatchObject({ changes: false });
  });

  it("gives the package schema its inputs, replacing on the group, the account and the app", () => {
    expect(MEMBER_SCHEMA.requiredInputs).toEqual(["groupId", "account"]);
    const replacing = Object.entries(MEMBER_SCHEMA.inputProperties)
      .filter(([, p]) => p.replaceOnChanges)
      .map(([k]) => k);
    expect(replacing.sort()).toEqual(["account", "app", "groupId"]);
    expect(MEMBER_SCHEMA.required.filter((k) => !(k in MEMBER_SCHEMA.properties))).toEqual([]);
  });
});
