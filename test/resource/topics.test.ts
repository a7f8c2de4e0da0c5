/**
 * ChatTopic through Pulumi's provider host, from programs run as `pulumi up` runs them: a
 * Community with topics made, changed in place, read back on refresh, and destroyed (topics
 * first); topics already gone, or whose Community is gone, count as deleted; a lost answer
 * or an interrupted create is finished rather than duplicated; bad input is refused at check.
 *
 * @slow a provider host and a Pulumi program per test
 */
import { CheckFailed, MiniEngine } from "../../harness/engine";
import { ProviderHost } from "../../harness/provider-host";
import { TestStack, useStack } from "../helpers/stack";

const stack = useStack(async (s) => {
  await s.emu.importAccounts("owner");
  await s.emu.control.clearRequests();
});

const TOPIC = "million_group_open_http_svc";

/**
 * A program: a topic-enabled Community, a topic with a fixed ID and one with a generated ID.
 * Running a program costs a second of CPU and its registrations depend only on the source,
 * so each variant runs once.
 */
const runs = new Map<string, ReturnType<ReturnType<typeof stack>["project"]["run"]>>();
const program = (
  general: Record<string, unknown> = {},
  community: Record<string, unknown> = { supportTopic: true },
) => {
  const source = `
    const { ChatGroup, ChatTopic } = require("pulumi-tencent-chat");
    const guild = new ChatGroup("guild", ${JSON.stringify({ type: "Community", name: "Guild", ownerAccount: "owner", ...community })});
    new ChatTopic("general", ${JSON.stringify({ topicIdSuffix: "general", topicName: "General", ...general }).replace(/}$/, ", groupId: guild.groupId }")});
    new ChatTopic("random", { groupId: guild.groupId, topicName: "Random", customString: "{\\"pinned\\":false}" });
  `;
  if (!runs.has(source)) runs.set(source, stack().project.run(source));
  return runs.get(source) as ReturnType<ReturnType<typeof stack>["project"]["run"]>;
};

/** The Community's topics, by ID: the engine creates them at once, so the order they were made in is not the contract. */
const topics = async () => {
  const group = (await stack().emu.control.state()).groups.find((g) => g.type === "Community");
  return (
    (group as { topics?: { topicId: string; topicName: string; notification: string }[] } | undefined)?.topics ?? []
  )
    .map((t) => ({
      topicId: t.topicId,
      topicName: t.topicName,
      notification: t.notification,
    }))
    .sort((a, b) => a.topicId.localeCompare(b.topicId));
};
const commands = async () => (await stack().emu.control.requests()).map((r) => r.command ?? "");
const guildId = () => stack().engine.state.get("guild")?.id as string;

describe("ChatTopic", () => {
  it("makes a Community's topics, changes one in place, and destroy removes the topics before the group", async () => {
    await stack().engine.up(await program());
    const gid = guildId();
    const live = await topics();
    expect(live.map((t) => t.topicId)).toEqual([
      `${gid}@TOPIC#_general`,
      expect.stringMatching(new RegExp(`^${gid.replace(/[$^#@]/g, "\\$&")}@TOPIC#_pulumi-random-[0-9a-z]{10}-1$`)),
    ]);
    expect(stack().engine.state.get("general")?.outputs).toMatchObject({
      topicId: `${gid}@TOPIC#_general`,
      groupId: gid,
      topicName: "General",
      notification: "",
    });
    expect(stack().engine.state.get("random")?.outputs).toMatchObject({
      topicName: "Random",
      customString: '{"pinned":false}',
    });

    await stack().emu.control.clearRequests();
    await stack().engine.up(await program({ topicName: "Lobby", notification: "Be nice" }));
    expect(Object.fromEntries(stack().engine.steps)).toEqual({ guild: "same", general: "update", random: "same" });
    const modified = (await stack().emu.control.requests("modify_topic")).map(
      (r) => JSON.parse(r.body) as Record<string, unknown>,
    );
    expect(modified).toEqual([
      { GroupId: gid, TopicId: `${gid}@TOPIC#_general`, TopicName: "Lobby", Notification: "Be nice" },
    ]);
    expect((await topics())[0]).toMatchObject({ topicName: "Lobby", notification: "Be nice" });

    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect((await stack().emu.control.state()).groups).toEqual([]);
    const destroys = (await commands()).filter((c) => c.startsWith("destroy_"));
    expect(destroys).toEqual(["destroy_topic", "destroy_topic", "destroy_group"]);
  });

  it("reads changes made by hand on refresh, drops a topic deleted by hand, and the next up makes it again", async () => {
    await stack().engine.up(await program());
    const gid = guildId();
    const general = `${gid}@TOPIC#_general`;
    await stack().emu.ok(TOPIC, "modify_topic", { GroupId: gid, TopicId: general, TopicName: "Renamed" });
    const random = stack().engine.state.get("random")?.id as string;
    await stack().emu.ok(TOPIC, "destroy_topic", { GroupId: gid, TopicIdList: [random] });

    await stack().engine.refresh();
    expect(stack().engine.state.get("general")?.outputs.topicName).toBe("Renamed");
    expect(stack().engine.state.has("random")).toBe(false);

    await stack().engine.up(await program());
    expect(Object.fromEntries(stack().engine.steps)).toMatchObject({ general: "update", random: "create" });
    expect((await topics()).map((t) => t.topicName)).toEqual(["General", "Random"]);
  });

  it("destroys cleanly when a topic was already deleted and when the whole Community was dissolved by hand", async () => {
    await stack().engine.up(await program());
    const gid = guildId();
    await stack().emu.ok(TOPIC, "destroy_topic", { GroupId: gid, TopicIdList: [`${gid}@TOPIC#_general`] });
    await stack().emu.group("destroy_group", { GroupId: gid });
    await stack().engine.destroy();
    expect(stack().engine.state.size).toBe(0);

    await stack().engine.up(await program());
    const again = guildId();
    await stack().emu.ok(TOPIC, "destroy_topic", { GroupId: again, TopicIdList: [`${again}@TOPIC#_general`] });
    await stack().emu.control.clearRequests();
    await stack().engine.destroy();
    expect(stack().engine.state.size).toBe(0);
    expect((await stack().emu.control.state()).groups).toEqual([]);
  });

  it("finishes a create whose answer was lost instead of making a second topic", async () => {
    await stack().emu.control.addFault({
      command: "create_topic",
      action: { kind: "drop" },
      afterCommit: true,
      times: 1,
    });
    await stack().engine.up(await program());
    expect((await topics()).map((t) => t.topicName)).toEqual(["General", "Random"]);
    expect((await stack().emu.control.requests("create_topic")).length).toBe(3);
  });

  it("takes over its own topic after an interrupted create, and refuses someone else's fixed ID unless adopting", async () => {
    // A run killed after create_topic acted, before the state recorded the topic.
    await stack().engine.up(await program());
    const made = stack().engine.state.get("random")?.id;
    stack().engine.state.delete("random");
    await stack().emu.control.clearRequests();
    await stack().engine.up(await program());
    expect(stack().engine.state.get("random")?.id).toBe(made);
    expect(await stack().emu.control.requests("create_topic")).toEqual([]);
    expect((await topics()).map((t) => t.topicName).sort()).toEqual(["General", "Random"]);

    // A fixed ID taken by a topic this state does not hold is refused, and adopted when asked.
    const gid = guildId();
    await stack().emu.ok(TOPIC, "create_topic", {
      GroupId: gid,
      TopicId: `${gid}@TOPIC#_other`,
      TopicName: "Made by hand",
    });
    await expect(stack().engine.up(await program({ topicIdSuffix: "other" }))).rejects.toThrow(
      /topic .*@TOPIC#_other already exists .* adoptExisting: true/,
    );
    await stack().engine.up(await program({ topicIdSuffix: "other", adoptExisting: true, topicName: "Adopted" }));
    expect(stack().engine.state.get("general")?.id).toBe(`${gid}@TOPIC#_other`);
    expect((await topics()).map((t) => t.topicName).sort()).toEqual(["Adopted", "Random"]);
  });

  it("never deletes the live topic under `pulumi up --replace` of a fixed ID: adopting, the replacement keeps it, and says so", async () => {
    await stack().engine.up(await program({ adoptExisting: true }));
    const live = stack().engine.state.get("general")?.id;
    // A new CLI run: a new host, which has never seen the topic in a Diff.
    const host = await ProviderHost.start(stack().project.dir);
    try {
      await host.configure(TestStack.configFor(stack().emu));
      await stack().emu.control.clearRequests();
      const engine = new MiniEngine(host, { state: stack().engine.snapshot() });
      await engine.up(await program({ adoptExisting: true }), { replace: ["general"] });
      expect(engine.steps.get("general")).toBe("replace");
      expect(engine.state.get("general")?.id).toBe(live);
      expect((await topics()).map((t) => t.topicId)).toContain(live);
      expect(await stack().emu.control.requests("destroy_topic")).toEqual([]);
      expect(host.printed).toMatch(/topic .*@TOPIC#_general was taken over by the resource that replaces it/);
    } finally {
      await host.stop();
    }
  });

  it("refuses, without adoptExisting, to make a topic under `pulumi up --replace` of a fixed ID while the live one exists, saying what to do", async () => {
    await stack().engine.up(await program());
    const host = await ProviderHost.start(stack().project.dir);
    try {
      await host.configure(TestStack.configFor(stack().emu));
      const engine = new MiniEngine(host, { state: stack().engine.snapshot() });
      await expect(engine.up(await program(), { replace: ["general"] })).rejects.toThrow(
        /already exists .*being replaced .*set deleteBeforeReplace: true/,
      );
      expect((await topics()).map((t) => t.topicId)).toContain(stack().engine.state.get("general")?.id);
    } finally {
      await host.stop();
    }
  });

  it("says what to do when the Community has no topics, and records no topic", async () => {
    await expect(stack().engine.up(await program({}, { supportTopic: false }))).rejects.toThrow(
      /has no topics \(11000\).*supportTopic: true/,
    );
    expect(stack().engine.state.has("general")).toBe(false);
    expect(stack().engine.state.has("guild")).toBe(true);
  });

  it("goes with its Community when the Community is replaced under its fixed ID, deleted first as the engine orders it", async () => {
    const fixed = { groupId: "@TGS#_guild" };
    await stack().engine.up(await program({}, { ...fixed, supportTopic: true }));
    expect(await topics()).toHaveLength(2);
    await stack().emu.control.clearRequests();

    // Turning topics off replaces the Community in place: the topics cannot outlive it, so the
    // engine deletes them first and creates them again, which a Community without topics refuses.
    await expect(stack().engine.up(await program({}, { ...fixed, supportTopic: false }))).rejects.toThrow(
      /has no topics \(11000\)/,
    );
    const calls = (await commands()).filter((c) => /^(destroy|create)_/.test(c));
    expect(calls.slice(0, 4)).toEqual(["destroy_topic", "destroy_topic", "destroy_group", "create_group"]);
    expect(Object.fromEntries(stack().engine.steps)).toEqual({
      guild: "delete-replace",
      general: "replace",
      random: "replace",
    });
    expect([...stack().engine.state.keys()]).toEqual(["guild"]);
    expect(await topics()).toEqual([]);
  });

  it("refuses bad input at check, naming each field and its limit, before any call", async () => {
    const registrations = await stack().project.run(`
      const { ChatTopic } = require("pulumi-tencent-chat");
      new ChatTopic("bad", { groupId: "plain-group", topicName: "${"x".repeat(31)}", notification: "${"通".repeat(101)}", topicname: "x" });
    `);
    const err = (await stack()
      .engine.up(registrations)
      .catch((e: unknown) => e)) as CheckFailed;
    expect(err).toBeInstanceOf(CheckFailed);
    const reasons = err.failures.map((f) => f.reason).join("\n");
    expect(reasons).toMatch(/groupId must be a Community's group ID \(it starts with @TGS#_\)/);
    expect(reasons).toMatch(/topicName must be at most 30 bytes/);
    expect(reasons).toMatch(/notification must be at most 300 bytes/);
    expect(reasons).toMatch(/topicname.*topicName/);
    expect(await commands()).toEqual([]);
  });

  it("reads a topic it does not manage with ChatTopic.get, and destroy leaves it", async () => {
    const { GroupId: gid } = (await stack().emu.group("create_group", {
      Type: "Community",
      Name: "Hub",
      SupportTopic: 1,
    })) as { GroupId: string };
    await stack().emu.ok(TOPIC, "create_topic", { GroupId: gid, TopicId: `${gid}@TOPIC#_news`, TopicName: "News" });
    await stack().engine.up(
      await stack().project.run(`
        const { ChatTopic } = require("pulumi-tencent-chat");
        ChatTopic.get("news", "${gid}@TOPIC#_news");
      `),
    );
    expect(stack().engine.steps.get("news")).toBe("read");
    expect(stack().engine.state.get("news")?.outputs).toMatchObject({ groupId: gid, topicName: "News" });
    await stack().engine.destroy();
    expect((await topics()).map((t) => t.topicName)).toEqual(["News"]);
  });
});
