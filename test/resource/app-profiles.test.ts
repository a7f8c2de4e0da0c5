/**
 * Several apps in one program, through Pulumi's provider host: two emulators stand for a
 * production and a staging app (each with its own SDKAppID and key, so a request signed for
 * the wrong one is refused), named as profiles of `tencent-chat:apps`. Every resource lands in
 * the app it names, the same IDs live in both apps as different objects, moving a resource
 * to another app replaces it, the state holds profile names only, and destroy empties both.
 *
 * @slow a provider host and two emulators
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { CheckFailed, MiniEngine } from "../../harness/engine";
import { createProject, type PulumiProject } from "../../harness/project";
import { ProviderHost, pulumiSecret } from "../../harness/provider-host";
import { TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";

const STAGING_SDKAPPID = 1400000077;
const STAGING_KEY = "staging-secret-key-fedcba9876543210";

let prod: TestEmulator;
let staging: TestEmulator;
let project: PulumiProject;
let host: ProviderHost;

/** The stack config: the top-level settings are production's; both apps as profiles, keys as secrets. */
const stackConfig = () => ({
  "tencent-chat:sdkAppId": String(TEST_SDKAPPID),
  "tencent-chat:secretKey": pulumiSecret(TEST_KEY),
  "tencent-chat:endpoint": prod.url,
  "tencent-chat:apps": {
    prod: { sdkAppId: String(TEST_SDKAPPID), secretKey: pulumiSecret(TEST_KEY), endpoint: prod.url },
    staging: { sdkAppId: String(STAGING_SDKAPPID), secretKey: pulumiSecret(STAGING_KEY), endpoint: staging.url },
  },
});

beforeAll(async () => {
  prod = await TestEmulator.start();
  staging = await TestEmulator.start({ sdkAppId: STAGING_SDKAPPID, secretKey: STAGING_KEY });
  project = createProject();
  host = await ProviderHost.start(project.dir);
  await host.configure(stackConfig());
});
afterAll(async () => {
  await host?.stop();
  project?.remove();
  await prod?.close();
  await staging?.close();
});
beforeEach(async () => {
  await prod.control.reset();
  await staging.control.reset();
});

/** The platform's program: the same lobby in both apps, a bot in staging's, a group in the top-level app (or `movedTo`). */
const program = (movedTo?: string) =>
  project.run(`
    const { ChatAccount, ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
    const prodOwner = new ChatAccount("prod-owner", { app: "prod", userId: "owner" });
    const stagingOwner = new ChatAccount("staging-owner", { app: "staging", userId: "owner" });
    new ChatGroup("lobby-prod", { app: "prod", groupId: "lobby", type: "Public", name: "Lobby", ownerAccount: prodOwner.userId });
    const stagingLobby = new ChatGroup("lobby-staging", { app: "staging", groupId: "lobby", type: "Public", name: "Lobby (staging)", ownerAccount: stagingOwner.userId });
    const bot = new ChatAccount("bot", { app: "staging", userIdPrefix: "bot-" });
    new ChatGroupMember("bot-in-lobby", { app: "staging", groupId: stagingLobby.groupId, account: bot.userId, nameCard: "Bot" });
    new ChatGroup("notes", { ${movedTo ? `app: "${movedTo}", ` : ""}type: "Public", name: "Notes" });
  `);

const holds = async (emu: TestEmulator) => {
  const state = await emu.control.state();
  return {
    groups: state.groups.map((g) => [g.name, g.owner, g.members.map((m) => m.account).sort()]).sort(),
    accounts: state.accounts
      .map((a) => a.userId)
      .filter((id) => id !== "administrator")
      .sort(),
  };
};

describe("app profiles", () => {
  it("puts each resource in the app it names, keeps the same IDs apart, and destroy empties both apps", async () => {
    const engine = new MiniEngine(host);
    await engine.up(await program());
    const bot = engine.state.get("bot")?.id as string;
    expect(await holds(prod)).toEqual({
      groups: [
        ["Lobby", "owner", ["owner"]],
        ["Notes", "", []],
      ],
      accounts: ["owner"],
    });
    expect(await holds(staging)).toEqual({
      groups: [["Lobby (staging)", "owner", [bot, "owner"].sort()]],
      accounts: [bot, "owner"].sort(),
    });
    expect(engine.state.get("lobby-staging")?.outputs).toMatchObject({ app: "staging", groupId: "lobby" });
    expect(engine.state.get("bot-in-lobby")?.outputs).toMatchObject({
      app: "staging",
      groupId: "lobby",
      account: bot,
      nameCard: "Bot",
    });

    // The state names profiles; no key, of either app, is in it.
    const saved = JSON.stringify(engine.exportStack());
    expect(saved).not.toContain(TEST_KEY);
    expect(saved).not.toContain(STAGING_KEY);

    // Refresh reads each resource from its own app.
    await engine.refresh();
    expect(engine.state.size).toBe(7);

    // A resource moved to another app is a replacement: made there, then removed here.
    await engine.up(await program("staging"));
    expect(engine.steps.get("notes")).toBe("replace");
    expect((await holds(prod)).groups.map(([name]) => name)).toEqual(["Lobby"]);
    expect((await holds(staging)).groups.map(([name]) => name)).toEqual(["Lobby (staging)", "Notes"]);

    await engine.destroy();
    expect(await holds(prod)).toEqual({ groups: [], accounts: [] });
    expect(await holds(staging)).toEqual({ groups: [], accounts: [] });
  });

  it("keeps each resource's app through a refresh: the next preview changes nothing, and destroy touches only that app", async () => {
    // Production holds objects with the same IDs as staging's, made outside the stack.
    await prod.importAccounts("owner", "helper");
    await prod.group("create_group", {
      Type: "Public",
      Name: "Lobby",
      GroupId: "lobby",
      Owner_Account: "owner",
      MemberList: [{ Member_Account: "helper" }],
    });
    await prod.group("create_group", {
      Type: "Community",
      Name: "Guild",
      GroupId: "@TGS#_guild",
      Owner_Account: "owner",
      SupportTopic: 1,
    });
    await prod.ok("million_group_open_http_svc", "create_topic", {
      GroupId: "@TGS#_guild",
      TopicId: "@TGS#_guild@TOPIC#_news",
      TopicName: "News",
    });
    const prodBefore = await prod.control.state();
    const registrations = await project.run(`
      const { ChatAccount, ChatGroup, ChatGroupMember, ChatTopic } = require("pulumi-tencent-chat");
      const owner = new ChatAccount("owner", { app: "staging", userId: "owner" });
      const helper = new ChatAccount("helper", { app: "staging", userId: "helper" });
      const lobby = new ChatGroup("lobby", { app: "staging", groupId: "lobby", type: "Public", name: "Lobby", ownerAccount: owner.userId });
      const guild = new ChatGroup("guild", { app: "staging", groupId: "@TGS#_guild", type: "Community", name: "Guild", ownerAccount: owner.userId, supportTopic: true });
      new ChatTopic("news", { app: "staging", groupId: guild.groupId, topicIdSuffix: "news", topicName: "News" });
      new ChatGroupMember("helper-in-lobby", { app: "staging", groupId: lobby.groupId, account: helper.userId });
    `);
    const engine = new MiniEngine(host);
    await engine.up(registrations);
    await engine.refresh();
    for (const r of engine.state.values()) {
      expect([r.name, r.outputs.app, r.inputs.app]).toEqual([r.name, "staging", "staging"]);
    }
    expect(Object.fromEntries(await engine.preview(registrations))).toEqual({
      owner: "same",
      helper: "same",
      lobby: "same",
      guild: "same",
      news: "same",
      "helper-in-lobby": "same",
    });
    await engine.destroy();
    expect(await holds(staging)).toEqual({ groups: [], accounts: [] });
    expect(await prod.control.state()).toEqual(prodBefore);
  });

  it("refuses at check a resource that names an app no profile configures, listing those that exist", async () => {
    const err = await new MiniEngine(host)
      .up(
        await project.run(
          `new (require("pulumi-tencent-chat").ChatGroup)("g", { app: "stagign", type: "Public", name: "n" });`,
        ),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as CheckFailed).message).toMatch(
      /app stagign is not configured: .*the stack's profiles are prod, staging/,
    );
    expect((await holds(prod)).groups).toEqual([]);
    expect((await holds(staging)).groups).toEqual([]);
  });

  it("lets a lookup read another app, with the profiles as the program's config holds them (JSON text)", async () => {
    await new MiniEngine(host).up(await program());
    const apps = {
      prod: { sdkAppId: String(TEST_SDKAPPID), secretKey: TEST_KEY, endpoint: prod.url },
      staging: { sdkAppId: String(STAGING_SDKAPPID), secretKey: STAGING_KEY, endpoint: staging.url },
    };
    await project.run(
      `
        const { lookupChatGroup } = require("pulumi-tencent-chat");
        Promise.all([lookupChatGroup("lobby", { app: "staging" }), lookupChatGroup("lobby", { app: "prod" })]).then(
          (found) => require("fs").writeFileSync("found.json", JSON.stringify(found.map((g) => g && g.name))),
          (err) => require("fs").writeFileSync("found.json", JSON.stringify({ error: err.message })),
        );
      `,
      {},
      { config: { "tencent-chat:apps": JSON.stringify(apps) } },
    );
    expect(JSON.parse(readFileSync(path.join(project.dir, "found.json"), "utf8"))).toEqual([
      "Lobby (staging)",
      "Lobby",
    ]);
  });
});
