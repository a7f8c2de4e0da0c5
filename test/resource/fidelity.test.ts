/**
 * Where Tencent's answers are not documented or its pages disagree, through Pulumi's provider
 * host with the emulator set to each answer: the resources work, or fail saying what to do,
 * under every one. And with the service's terse ErrorInfo texts, the errors still name the
 * setting to check.
 *
 * @slow a provider host, and the emulator switched between answers
 */
import { CheckFailed } from "../../harness/engine";
import {
  CHAT_ACCOUNT_TYPE,
  CHAT_GROUP_MEMBER_TYPE,
  CHAT_TOPIC_TYPE,
  providerText,
  seedOf,
  TestStack,
  urnOf,
  useStack,
} from "../helpers/stack";

const stack = useStack(
  async (s) => {
    await s.emu.control.configure({
      textLimits: "current",
      missingTopicAnswer: "item",
      destroyedGroupIds: "reusable",
      accountIds: "recommended",
      missingProfileAnswer: "item",
      plan: "trial",
      topicReaders: "anyone",
    });
    await s.emu.importAccounts("owner1", "alice");
    await s.emu.control.clearRequests();
  },
  { emulator: { policy: { errorTexts: "terse" } } },
);

const TOPIC = "million_group_open_http_svc";
const upFails = (name: string, args: Record<string, unknown>) =>
  stack()
    .up(name, args)
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );

describe("admins on a Work (Private) group", () => {
  it("are refused at check, naming the type, before any call", async () => {
    const err = await upFails("g", { type: "Private", name: "n", members: ["alice"], admins: ["alice"] });
    expect(err).toBeInstanceOf(CheckFailed);
    expect(err?.message).toMatch(
      /admins: a Work \(Private\) group has no admins.*set tencent-chat:workGroupAdmins to allowed/,
    );
    expect(await stack().emu.control.requests()).toEqual([]);
  });
});

describe("admins on a Work (Private) group of an app that takes them (tencent-chat:workGroupAdmins: allowed)", () => {
  const allowing = useStack(
    async (s) => {
      await s.emu.importAccounts("owner1", "alice", "bob");
      await s.emu.control.clearRequests();
    },
    {
      emulator: { policy: { workGroupAdmins: "allowed" } },
      extraConfig: { "tencent-chat:workGroupAdmins": "allowed" },
    },
  );

  it("a ChatGroup and a ChatGroupMember set them, and a refresh keeps them", async () => {
    const membership = {
      groupId: "work",
      account: "bob",
      role: "Admin",
      __provider: await providerText(allowing().project, "ChatGroupMember"),
    };
    const group = allowing().registration("work", {
      type: "Private",
      name: "n",
      groupId: "work",
      ownerAccount: "owner1",
      members: ["alice"],
      admins: ["alice"],
    });
    await allowing().engine.up([group, { name: "bob", type: CHAT_GROUP_MEMBER_TYPE, inputs: membership }]);
    const roles = (await allowing().emu.control.state()).groups[0]?.members.map((m) => [m.account, m.role]);
    expect(roles).toEqual(
      expect.arrayContaining([
        ["alice", "Admin"],
        ["bob", "Admin"],
      ]),
    );
    await allowing().engine.refresh();
    expect(allowing().engine.state.get("work")?.outputs.admins).toEqual(["alice"]);
    expect(allowing().engine.state.get("bob")?.outputs.role).toBe("Admin");
  });
});

describe("the plan's cap on a group's members", () => {
  const crew = Array.from({ length: 20 }, (_, i) => `crew${i}`);

  it("21 members on a Trial app fail at create, saying the plan's cap and what to do, and leave nothing behind", async () => {
    await stack().emu.control.configure({ plan: "trial" });
    await stack().emu.importAccounts(...crew);
    const err = await upFails("g", { type: "Public", name: "n", ownerAccount: "owner1", members: crew });
    expect(err?.message).toMatch(
      /create_group failed: 10014 .*its plan's cap \(Trial 20, Pro 2000, Pro Plus 5000, Enterprise 6000.*Declare fewer members, raise maxMemberCount within the plan's cap/,
    );
    expect((await stack().emu.control.state()).groups).toEqual([]);
    expect(stack().engine.state.size).toBe(0);
  });

  it("the same program passes on a Pro app", async () => {
    await stack().emu.control.configure({ plan: "pro" });
    await stack().emu.importAccounts(...crew);
    await stack().up("g", { type: "Public", name: "n", ownerAccount: "owner1", members: crew });
    expect((await stack().emu.control.state()).groups.map((g) => [g.members.length, g.maxMemberNum])).toEqual([
      [21, 2000],
    ]);
  });
});

describe("get_group_info listing only part of a big group's members", () => {
  const crew = Array.from({ length: 150 }, (_, i) => `crew${String(i).padStart(3, "0")}`);

  it("a refresh still sees every member: the group keeps them all, and a membership of the 150th is kept", async () => {
    await stack().emu.control.configure({ plan: "pro", groupInfoMembers: "partial" });
    try {
      for (let i = 0; i < crew.length; i += 100) await stack().emu.importAccounts(...crew.slice(i, i + 100));
      await stack().up("big", { type: "Public", name: "Big", groupId: "big", members: crew.slice(0, 149) });
      const membership = {
        groupId: "big",
        account: crew[149],
        __provider: await providerText(stack().project, "ChatGroupMember"),
      };
      await stack().engine.up([
        stack().registration("big", { type: "Public", name: "Big", groupId: "big", members: crew.slice(0, 149) }),
        { name: "last", type: CHAT_GROUP_MEMBER_TYPE, inputs: membership },
      ]);
      await stack().engine.refresh();
      expect(stack().engine.state.get("big")?.outputs.members).toEqual(crew.slice(0, 149));
      expect(stack().engine.state.get("last")?.id).toBe(`big/${crew[149]}`);
      expect(
        (
          await stack().engine.preview([
            stack().registration("big", { type: "Public", name: "Big", groupId: "big", members: crew.slice(0, 149) }),
            { name: "last", type: CHAT_GROUP_MEMBER_TYPE, inputs: membership },
          ])
        ).get("big"),
      ).toBe("same");
      expect(await stack().emu.control.requests("get_group_member_info")).not.toEqual([]);
    } finally {
      await stack().emu.control.configure({ groupInfoMembers: "complete" });
    }
  });
});

describe("an AVChatRoom", () => {
  it("reads back with no member count and no member list, as the service answers, and its outputs invent none", async () => {
    const room = await stack().up("live", { type: "AVChatRoom", name: "Live", ownerAccount: "owner1" });
    const { GroupInfo } = (await stack().emu.group("get_group_info", { GroupIdList: [room.id] })) as {
      GroupInfo: Record<string, unknown>[];
    };
    expect(GroupInfo[0]).not.toHaveProperty("MemberNum");
    expect(GroupInfo[0]).not.toHaveProperty("MemberList");
    expect(room.outputs).not.toHaveProperty("memberCount");
    expect(room.outputs.members).toEqual([]);
    await stack().engine.refresh();
    expect(stack().engine.state.get("live")?.outputs).not.toHaveProperty("memberCount");
  });
});

describe("add_group_member's Result beyond 1 and 2", () => {
  it("an account in as many groups as a Trial plan allows (Result 4) is not counted as added: the update fails naming the number and what to do", async () => {
    for (let i = 0; i < 50; i++)
      await stack().emu.group("create_group", {
        Type: "Public",
        Name: "elsewhere",
        GroupId: `elsewhere-${i}`,
        MemberList: [{ Member_Account: "alice" }],
      });
    await stack().up("g", { type: "Public", name: "n", groupId: "room" });
    const err = await upFails("g", { type: "Public", name: "n", groupId: "room", members: ["alice"] });
    expect(err?.message).toMatch(
      /add_group_member did not add alice \(Result 4: the account is in as many groups as the app's plan allows .*raise the plan\)/,
    );
    const room = (await stack().emu.control.state()).groups.find((g) => g.groupId === "room");
    expect(room?.members.map((m) => m.account)).not.toContain("alice");
    // Not on record as a member: the next up tries again.
    expect(stack().engine.state.get("g")?.outputs.members).toEqual([]);
  });
});

describe("group text limits", () => {
  it("a name over the older 30-byte limit, refused by an app that enforces it, fails naming the field and both limits", async () => {
    await stack().emu.control.configure({ textLimits: "legacy" });
    const err = await upFails("g", { type: "Public", name: "n".repeat(40) });
    expect(err?.message).toMatch(
      /create_group failed: 10004 .*name is 40 bytes, within the 100 bytes of Tencent's current pages .* but over the 30 of its older ones.*Shorten name to 30 bytes/,
    );
    expect((await stack().emu.control.state()).groups).toEqual([]);
  });

  it("so does a rename that the app refuses", async () => {
    const g = await stack().up("g", { type: "Public", name: "short" });
    await stack().emu.control.configure({ textLimits: "legacy" });
    const err = await upFails("g", { type: "Public", name: "n".repeat(35) });
    expect(err?.message).toMatch(/name is 35 bytes.*over the 30/);
    expect((await stack().emu.control.state()).groups.map((x) => x.name)).toEqual(["short"]);
    expect(g.id).toBeTruthy();
  });
});

describe.each(["item", "omitted", "call-110003", "call-10004"] as const)(
  "get_topic answering a missing topic as %s",
  (missingTopicAnswer) => {
    it("leaves ChatTopic working: made, dropped on refresh once deleted by hand, and destroyed", async () => {
      await stack().emu.control.configure({ missingTopicAnswer });
      const guild = await stack().up("guild", {
        type: "Community",
        name: "Guild",
        ownerAccount: "owner1",
        supportTopic: true,
      });
      const topic = await stack().engine.apply({
        name: "t",
        type: CHAT_TOPIC_TYPE,
        inputs: await topicInputs(guild.id),
        dependsOn: ["guild"],
      });
      expect(topic.id).toBe(`${guild.id}@TOPIC#_news`);
      await stack().emu.ok(TOPIC, "destroy_topic", { GroupId: guild.id, TopicIdList: [topic.id] });
      await stack().engine.refresh();
      expect(stack().engine.state.has("t")).toBe(false);
      await stack().engine.destroy();
      expect((await stack().emu.control.state()).groups).toEqual([]);
    });
  },
);

describe("get_topic answering members of the Community only (topicReaders: members)", () => {
  it("ChatTopic reads as the Community's owner: made, changed, dropped on refresh once deleted by hand, and destroyed", async () => {
    await stack().emu.control.configure({ topicReaders: "members" });
    const guild = await stack().up("guild", {
      type: "Community",
      name: "Guild",
      ownerAccount: "owner1",
      supportTopic: true,
    });
    const inputs = await topicInputs(guild.id);
    await stack().engine.apply({ name: "t", type: CHAT_TOPIC_TYPE, inputs, dependsOn: ["guild"] });
    const topic = await stack().engine.apply({
      name: "t",
      type: CHAT_TOPIC_TYPE,
      inputs: { ...inputs, topicName: "Updates" },
      dependsOn: ["guild"],
    });
    expect(topic.outputs.topicName).toBe("Updates");
    const readers = (await stack().emu.control.requests("get_topic")).map((r) => [
      (JSON.parse(r.body) as { From_Account: string }).From_Account,
      r.errorCode ?? 0,
    ]);
    // The App admin is refused once; after that the host reads as the owner.
    expect(readers.filter(([, code]) => code !== 0)).toEqual([["administrator", 10007]]);
    expect(readers.slice(1).every(([from]) => from === "owner1")).toBe(true);
    await stack().emu.ok(TOPIC, "destroy_topic", { GroupId: guild.id, TopicIdList: [topic.id] });
    await stack().engine.refresh();
    expect(stack().engine.state.has("t")).toBe(false);
    await stack().engine.destroy();
    expect((await stack().emu.control.state()).groups).toEqual([]);
  });

  it("a Community without an owner fails to read, saying what to configure", async () => {
    await stack().emu.control.configure({ topicReaders: "members" });
    const guild = await stack().up("guild", { type: "Community", name: "Guild", supportTopic: true });
    await stack().emu.ok(TOPIC, "create_topic", {
      GroupId: guild.id,
      TopicId: `${guild.id}@TOPIC#_news`,
      TopicName: "News",
    });
    const inputs = { ...(await topicInputs(guild.id)), adoptExisting: true };
    const err = await stack()
      .engine.apply({ name: "t", type: CHAT_TOPIC_TYPE, inputs, dependsOn: ["guild"] })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(
      /get_topic refused to read Community \S+'s topics as the App admin administrator \(10007\), and the Community has no owner to read them as: add administrator to the Community's members/,
    );
  });
});

describe.each(["extended", "recommended"] as const)(
  'an account ID with "." and "@", where the app takes %s IDs',
  (accountIds) => {
    it(
      accountIds === "extended"
        ? "is imported, joins a group, and is deleted"
        : "fails naming the userId and the characters the app takes, and nothing is made",
      async () => {
        await stack().emu.control.configure({ accountIds });
        const inputs = {
          userId: "qa.bot@team",
          nick: "QA",
          idSeed: seedOf("a", CHAT_ACCOUNT_TYPE),
          __provider: await providerText(stack().project, "ChatAccount"),
        };
        const made = await stack()
          .engine.apply({ name: "a", type: CHAT_ACCOUNT_TYPE, inputs })
          .then(
            () => undefined,
            (e: unknown) => e as Error,
          );
        const accounts = async () => (await stack().emu.control.state()).accounts.map((a) => a.userId).sort();
        if (accountIds === "recommended") {
          expect(made?.message).toMatch(
            /userId qa\.bot@team holds "\." or "@", which this app does not take: Tencent recommends letters, digits, "_" and "-" only/,
          );
          expect(await accounts()).toEqual(["administrator", "alice", "owner1"]);
          return;
        }
        expect(made).toBeUndefined();
        await stack().up("g", { type: "Public", name: "n", members: ["qa.bot@team"] });
        expect((await stack().emu.control.state()).groups[0].members.map((m) => m.account)).toEqual(["qa.bot@team"]);
        await stack().engine.destroy();
        expect(await accounts()).toEqual(["administrator", "alice", "owner1"]);
      },
    );
  },
);

describe.each(["item", "call"] as const)("portrait_get answering a missing account as %s", (missingProfileAnswer) => {
  it("an account deleted by hand: its update says to refresh, refresh drops it, and the next up imports it again", async () => {
    await stack().emu.control.configure({ missingProfileAnswer });
    const text = await providerText(stack().project, "ChatAccount");
    const account = (nick: string) => ({
      name: "a",
      type: CHAT_ACCOUNT_TYPE,
      inputs: { userId: "qa-bot", nick, idSeed: seedOf("a", CHAT_ACCOUNT_TYPE), __provider: text },
    });
    await stack().engine.apply(account("one"));
    await stack().emu.account("account_delete", { DeleteItem: [{ UserID: "qa-bot" }] });
    const err = await stack()
      .engine.apply(account("two"))
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(
      /account qa-bot no longer exists; run `pulumi refresh` to drop it, then `pulumi up` to import it again/,
    );
    await stack().engine.refresh();
    expect(stack().engine.state.size).toBe(0);
    await stack().engine.apply(account("two"));
    expect((await stack().emu.control.state()).accounts.find((a) => a.userId === "qa-bot")).toMatchObject({
      nick: "two",
    });
  });
});

/** A ChatTopic's registered inputs, with this stack's ChatTopic provider text. */
async function topicInputs(groupId: string): Promise<Record<string, unknown>> {
  return {
    groupId,
    topicIdSuffix: "news",
    topicName: "News",
    idSeed: seedOf("t", CHAT_TOPIC_TYPE),
    __provider: await providerText(stack().project, "ChatTopic"),
  };
}

describe("a fixed groupId the service keeps after its group was dissolved", () => {
  it("says the ID is spent and to choose another, not to adopt it", async () => {
    await stack().emu.control.configure({ destroyedGroupIds: "reserved" });
    await stack().up("g", { type: "Public", name: "n", groupId: "spent-room" });
    await stack().engine.destroy();
    const err = await upFails("g", { type: "Public", name: "n", groupId: "spent-room" });
    expect(err?.message).toMatch(
      /group ID spent-room cannot be used .*yet no group has it: the service keeps the ID of a dissolved group .*Choose another groupId/,
    );
    expect(err?.message).not.toMatch(/adoptExisting/);
  });
});

describe("the plan's daily quota of new groups", () => {
  it("a create past it fails as the quota, not as throttling, with nothing made; once a group is dissolved the rerun converges", async () => {
    const other = await TestStack.start({
      extraConfig: { "tencent-chat:throttleDeadlineMs": 3000 },
      emulator: { policy: { dailyGroupQuota: 1, errorTexts: "terse" } },
    });
    try {
      const first = await other.up("first", { type: "Public", name: "first" });
      const err = await other.up("second", { type: "Public", name: "second" }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(
        /create_group failed: 10006 .*most likely the plan's daily quota of net new groups.*Nothing was created/,
      );
      expect(other.engine.state.has("second")).toBe(false);
      expect((await other.emu.control.state()).groups.map((g) => g.name)).toEqual(["first"]);

      await other.emu.group("destroy_group", { GroupId: first.id });
      const second = await other.up("second", { type: "Public", name: "second" });
      expect((await other.emu.control.state()).groups.map((g) => g.groupId)).toEqual([second.id]);
    } finally {
      await other.close();
    }
  });
});

describe("with the service's terse ErrorInfo texts, errors name what to check", () => {
  it("an owner never imported: the account must be imported first", async () => {
    const err = await upFails("g", { type: "Public", name: "n", ownerAccount: "ghost" });
    expect(err?.message).toMatch(
      /create_group failed: 10019 account not exist\. an owner or member account does not exist: import it first, e\.g\. with a ChatAccount/,
    );
  });

  it("a key of another app: tencent-chat:secretKey", async () => {
    const other = await TestStack.start({
      config: { ...TestStack.configFor(stack().emu), "tencent-chat:secretKey": "another-apps-key-0123456789abcdef" },
      emulator: { policy: { errorTexts: "terse" } },
    });
    try {
      // The emulator of this stack, not the other's own.
      await other.host.configure({
        ...TestStack.configFor(stack().emu),
        "tencent-chat:secretKey": "another-apps-key-0123456789abcdef",
      });
      const err = await other.up("g", { type: "Public", name: "n" }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/tencent-chat:secretKey \(TENCENT_CHAT_SECRET_KEY\)/);
      expect(err?.message).not.toContain("another-apps-key");
    } finally {
      await other.close();
    }
  });

  it("a region that is not a data center is refused at check, at preview, before any call", async () => {
    const other = await TestStack.start({
      config: { "tencent-chat:sdkAppId": "1400000042", "tencent-chat:region": "singapur" },
    });
    try {
      const { failures } = await other.host.check(urnOf("g"), {}, other.inputs({ type: "Public", name: "n" }));
      expect(failures).toEqual([
        {
          property: "",
          reason: expect.stringMatching(
            /the stack's settings cannot work: region "singapur" is not a Chat data center; use one of .*singapore/,
          ),
        },
      ]);
    } finally {
      await other.close();
    }
  });

  it("an endpoint where nothing listens fails at once, saying nothing was sent and what to check", async () => {
    const other = await TestStack.start({
      config: { ...TestStack.configFor(stack().emu), "tencent-chat:endpoint": "http://127.0.0.1:1" },
    });
    try {
      const err = await other.up("g", { type: "Public", name: "n" }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(
        /ECONNREFUSED.*nothing was sent: check tencent-chat:endpoint \(TENCENT_CHAT_ENDPOINT\) and tencent-chat:region/,
      );
      expect(err?.message).not.toMatch(/attempts|not known/);
    } finally {
      await other.close();
    }
  });
});
