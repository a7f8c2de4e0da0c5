/**
 * The orphan sweep, fed the `pulumi stack export` of a stack deployed through Pulumi's
 * provider host: it finds the incarnations a cut-short replacement left of the stack's own
 * resources, and never touches what a state holds, what this package did not generate for
 * one of the given states' resources, or anything at all when a state is hostile.
 *
 * @slow a provider host, and the sweeper's CLI run a dozen times
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import { MiniEngine, type Registration } from "../../harness/engine";
import { cleanEnv, REPO } from "../../harness/project";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { generatedGroupId, generatedUserId } from "../../provider/common/identity";
import { sweepOrphans } from "../../provider/sweeper/orphans";
import { readStateFile, StateFileError } from "../../provider/sweeper/states";
import { ADMIN, TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { CHAT_ACCOUNT_TYPE, CHAT_TOPIC_TYPE, seedOf, TestStack } from "../helpers/stack";

const BIN = path.join(REPO, "dist", "provider", "sweeper", "cli.js");

/** The emulator's clock runs `offsetMs` from now, so objects can be made "two days ago". */
let offsetMs = 0;
let stack: TestStack;
let program: Registration[];
let dir: string;

beforeAll(async () => {
  stack = await TestStack.start({ emulator: { clock: () => Date.now() + offsetMs } });
  program = await stack.project.run(`
    const { ChatAccount, ChatGroup } = require("pulumi-tencent-chat");
    const owner = new ChatAccount("owner", { userIdPrefix: "pr-7-" });
    new ChatGroup("room", { type: "Public", name: "room", ownerAccount: owner.userId });
    new ChatGroup("fixed", { type: "Public", name: "fixed", groupId: "pr-7-fixed" });
  `);
  dir = mkdtempSync(path.join(tmpdir(), "chat-orphans-"));
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () =>
  new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: stack.emu.url,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
  });
const groupIds = async () => (await stack.emu.control.state()).groups.map((g) => g.groupId).sort();
const accountIds = async () =>
  (await stack.emu.control.state()).accounts
    .map((a) => a.userId)
    .filter((id) => id !== ADMIN)
    .sort();

/** The room's next incarnations: what a replacement cut short makes while the state keeps the first. */
const roomIncarnation = (n: number) => generatedGroupId(seedOf("room"), "Public", n);

/** The stack deployed, and around it what leaks leave, and what must never be swept. */
async function scene(): Promise<{ engine: MiniEngine; stateFile: string; leakedAccount: string }> {
  await stack.emu.control.reset();
  await stack.emu.control.configure({ rateLimit: 0, rateLimits: { get_appid_group_list: 0 } });
  const engine = new MiniEngine(stack.host);
  offsetMs = -2 * 86_400_000;
  await engine.up(program);
  offsetMs = -86_400_000;
  const c = client();
  // A day old: the room's next incarnation, made by a replacement cut short.
  await c.createGroup({ Type: "Public", Name: "half-made", GroupId: roomIncarnation(2) });
  // Generated-looking, but for no resource of the given state: a legacy random ID, a
  // Community of a stack whose state is not given, a hash no seed gives.
  await c.createGroup({ Type: "Private", Name: "legacy", GroupId: "pulumi-k3j5h2g7m9q1" });
  await c.createGroup({ Type: "Community", Name: "town", GroupId: "@TGS#_pulumi-town-0000000000-1" });
  await c.createGroup({ Type: "Public", Name: "lookalike", GroupId: "pulumi-room-0000000000-2" });
  // Not generated: left alone whatever its age.
  await c.createGroup({ Type: "Public", Name: "production", GroupId: "prod-lobby" });
  // The owner's next incarnation, imported by an interrupted replace, and look-alikes met as members.
  const leakedAccount = generatedUserId("pr-7-", seedOf("owner", CHAT_ACCOUNT_TYPE), 2);
  await c.importAccounts([leakedAccount, "pr-7-zzzzzzzz-1", "pr-7-someone-else"]);
  await c.addGroupMembers(roomIncarnation(2), ["pr-7-zzzzzzzz-1", "pr-7-someone-else"]);
  offsetMs = 0;
  // Young: a running up may not have saved it yet.
  await c.createGroup({ Type: "Public", Name: "young", GroupId: roomIncarnation(3) });
  await stack.emu.control.clearRequests();
  const stateFile = path.join(dir, "stack.json");
  writeFileSync(stateFile, JSON.stringify(engine.exportStack()));
  return { engine, stateFile, leakedAccount };
}

describe("sweepOrphans", () => {
  it("lists what cut-short replacements of the stack's own resources left, changing nothing", async () => {
    const { engine, leakedAccount } = await scene();
    const before = [await groupIds(), await accountIds()];
    const report = await sweepOrphans({
      client: client(),
      states: [{ name: "stack.json", json: engine.exportStack() }],
      accounts: true,
    });
    expect(report.groups.map((g) => g.groupId)).toEqual([roomIncarnation(2)]);
    expect(report.skipped).toEqual([{ groupId: roomIncarnation(3), reason: "younger than the age asked for" }]);
    expect(report.accounts).toEqual([leakedAccount]);
    expect(report).toMatchObject({ dryRun: true, states: 1, removed: [], failed: [] });
    expect([await groupIds(), await accountIds()]).toEqual(before);
    expect(await stack.emu.control.requests("destroy_group")).toEqual([]);
  });

  it("removes them with remove, leaving the stack whole and everything else alone", async () => {
    const { engine } = await scene();
    const report = await sweepOrphans({
      client: client(),
      states: [{ name: "stack.json", json: engine.exportStack() }],
      accounts: true,
      remove: true,
    });
    expect(report.failed).toEqual([]);
    expect(await groupIds()).toEqual(
      [
        "@TGS#_pulumi-town-0000000000-1",
        "prod-lobby",
        "pr-7-fixed",
        "pulumi-k3j5h2g7m9q1",
        "pulumi-room-0000000000-2",
        roomIncarnation(3),
        engine.state.get("room")?.id,
      ].sort(),
    );
    expect(await accountIds()).toEqual([engine.state.get("owner")?.id, "pr-7-someone-else", "pr-7-zzzzzzzz-1"].sort());
    // The stack still destroys cleanly.
    await engine.destroy();
    expect(await groupIds()).toEqual(
      [
        "@TGS#_pulumi-town-0000000000-1",
        "prod-lobby",
        "pulumi-k3j5h2g7m9q1",
        "pulumi-room-0000000000-2",
        roomIncarnation(3),
      ].sort(),
    );
  });

  it("takes young groups too when asked with olderThanSeconds 0", async () => {
    const { engine } = await scene();
    const report = await sweepOrphans({
      client: client(),
      states: [{ name: "s", json: engine.exportStack() }],
      olderThanSeconds: 0,
    });
    expect(report.groups.map((g) => g.groupId).sort()).toEqual([roomIncarnation(2), roomIncarnation(3)].sort());
    expect(report.accounts).toEqual([]);
  });

  it("refuses to run without a state, or with a file that is not a stack export, before any call", async () => {
    await stack.emu.control.clearRequests();
    await expect(sweepOrphans({ client: client(), states: [] })).rejects.toThrow(StateFileError);
    await expect(
      sweepOrphans({ client: client(), states: [{ name: "notes.json", json: { hello: 1 } }] }),
    ).rejects.toThrow(/notes.json is not the output of `pulumi stack export`/);
    expect(await stack.emu.control.requests()).toEqual([]);
  });
});

/** A state resource as `pulumi stack export` prints one. */
const resource = (
  type: string,
  name: string,
  id: string,
  inputs: Record<string, unknown>,
  outputs: Record<string, unknown> = inputs,
) => ({
  urn: `urn:pulumi:test::chat-project::${type}::${name}`,
  custom: true,
  id,
  type,
  inputs,
  outputs,
});
const GROUP = "pulumi-nodejs:dynamic/tencent-chat:ChatGroup";
const exportOf = (...resources: object[]) => ({ version: 3, deployment: { resources } });

describe("sweepOrphans given hostile or mistaken states", () => {
  /** People, hand-made groups and a program's fixed IDs, all two days old; nothing here is an orphan. */
  async function bystanders(): Promise<void> {
    await stack.emu.control.reset();
    await stack.emu.control.configure({ rateLimit: 0, rateLimits: { get_appid_group_list: 0 } });
    offsetMs = -2 * 86_400_000;
    const c = client();
    await c.importAccounts(["alice", "bob", "carol-20240101-1", "pr-7-abcdefgh-1"]);
    for (const GroupId of ["pulumi-prod-lobby", "pulumi-support", "lobby"])
      await c.createGroup({
        Type: "Public",
        Name: GroupId,
        GroupId,
        Owner_Account: "alice",
        MemberList: [{ Member_Account: "bob" }, { Member_Account: "carol-20240101-1" }],
      });
    // A Community's first incarnation three days ago, its second two days ago.
    offsetMs = -3 * 86_400_000;
    await c.createGroup({
      Type: "Community",
      Name: "guild",
      GroupId: generatedGroupId(seedOf("guild"), "Community", 1),
    });
    offsetMs = -2 * 86_400_000;
    await c.createGroup({
      Type: "Community",
      Name: "guild",
      GroupId: generatedGroupId(seedOf("guild"), "Community", 2),
    });
    offsetMs = 0;
  }
  const everything = async () => [await groupIds(), await accountIds()];
  const sweepAll = (json: unknown) =>
    sweepOrphans({ client: client(), states: [{ name: "crafted.json", json }], accounts: true, remove: true });

  it.each([
    [
      "a fixed groupId that looks generated",
      exportOf(
        resource(GROUP, "support", "pulumi-support", {
          groupId: "pulumi-support",
          groupIdGenerated: false,
          idSeed: seedOf("support"),
        }),
      ),
    ],
    [
      "a state holding only a fixed-ID group, next to hand-made pulumi-… groups",
      exportOf(
        resource(GROUP, "lobby", "lobby", {
          groupId: "lobby",
          groupIdGenerated: false,
          idSeed: seedOf("lobby"),
          members: ["alice", "bob"],
        }),
      ),
    ],
    [
      "a Community reached only through a ChatTopic's groupId",
      exportOf(
        resource(GROUP, "guild", generatedGroupId(seedOf("guild"), "Community", 1), {
          type: "Community",
          groupIdGenerated: true,
          idSeed: seedOf("guild"),
        }),
        resource(CHAT_TOPIC_TYPE, "news", `${generatedGroupId(seedOf("guild"), "Community", 2)}@TOPIC#_news`, {
          groupId: generatedGroupId(seedOf("guild"), "Community", 2),
          topicIdSuffix: "news",
        }),
      ),
    ],
    [
      "a state naming people as members and owner, and a prefix of theirs",
      exportOf(
        resource(GROUP, "lobby", "lobby", {
          groupId: "lobby",
          groupIdGenerated: false,
          members: ["alice", "bob"],
          ownerAccount: "alice",
        }),
        resource(CHAT_ACCOUNT_TYPE, "carol", "carol-xxxxxxxx-1", {
          userIdPrefix: "carol-",
          idSeed: seedOf("carol", CHAT_ACCOUNT_TYPE),
        }),
        resource(CHAT_ACCOUNT_TYPE, "pr", "pr-7-xxxxxxxx-1", {
          userIdPrefix: "pr-7-",
          idSeed: seedOf("pr", CHAT_ACCOUNT_TYPE),
        }),
      ),
    ],
    [
      "a group retained with retainOnDelete before its resource was declared again",
      exportOf(
        resource(GROUP, "guild", generatedGroupId(seedOf("guild"), "Community", 2), {
          type: "Community",
          groupIdGenerated: true,
          idSeed: seedOf("guild"),
        }),
      ),
    ],
  ])("removes nothing given %s", async (_label, state) => {
    await bystanders();
    const before = await everything();
    const report = await sweepAll(state);
    expect(report.removed).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it("tells a group kept for being older than the incarnation its state holds", async () => {
    await bystanders();
    const state = exportOf(
      resource(GROUP, "guild", generatedGroupId(seedOf("guild"), "Community", 2), {
        type: "Community",
        groupIdGenerated: true,
        idSeed: seedOf("guild"),
      }),
    );
    const report = await sweepOrphans({ client: client(), states: [{ name: "s.json", json: state }] });
    expect(report.skipped).toEqual([
      {
        groupId: generatedGroupId(seedOf("guild"), "Community", 1),
        reason: "older than the incarnation its state holds",
      },
    ]);
  });

  it.each([
    ["(?=.)|", /userIdPrefix "\(\?=\.\)\|" is not one ChatAccount takes/],
    [".*", /is not one ChatAccount takes/],
    ["x".repeat(17), /is not one ChatAccount takes/],
    [7, /is not one ChatAccount takes/],
  ])("refuses a state whose userIdPrefix is %j, before any call", async (prefix, message) => {
    await bystanders();
    await stack.emu.control.clearRequests();
    const before = await everything();
    const state = exportOf(
      resource(CHAT_ACCOUNT_TYPE, "owner", "alice", {
        userIdPrefix: prefix,
        idSeed: seedOf("owner", CHAT_ACCOUNT_TYPE),
      }),
    );
    await expect(sweepAll(state)).rejects.toThrow(message);
    expect(await stack.emu.control.requests()).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it("refuses the state of another app: none of the groups it holds is in this one", async () => {
    await bystanders();
    const before = await everything();
    const state = exportOf(
      resource(GROUP, "guild", generatedGroupId(seedOf("guild"), "Community", 7), {
        type: "Community",
        groupIdGenerated: true,
        idSeed: seedOf("guild"),
      }),
    );
    await expect(sweepAll(state)).rejects.toThrow(
      /crafted.json holds 1 group\(s\), none of which is in app 1400000042: it is the state of a stack of another app/,
    );
    expect(await everything()).toEqual(before);
  });

  it("reads a state file only up to a size cap", () => {
    const big = path.join(dir, "big.json");
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, " "));
    expect(() => readStateFile(big, 1024 * 1024)).toThrow(/the state file .*big.json is larger than 1 MiB/);
  });

  it.each([
    ["a device", "/dev/zero"],
    ["a pipe, which would block the sweeper waiting for a writer", "fifo"],
  ])("reads regular files only, refusing %s at once", (_label, name) => {
    let file = name;
    if (name === "fifo") {
      file = path.join(dir, "state.fifo");
      rmSync(file, { force: true });
      execFileSync("mkfifo", [file]);
    }
    expect(() => readStateFile(file)).toThrow(/is not a regular file \(a pipe, a device or a socket\)/);
  });
});

describe("sweepOrphans given a state whose resources carry another stack's seeds", () => {
  /** Stack "test" deployed its room and owner; a replacement of each, cut short, left the next incarnation. */
  async function otherStacksLeaks(): Promise<{ leakedGroup: string; leakedAccount: string; realGroup: string }> {
    await stack.emu.control.reset();
    await stack.emu.control.configure({ rateLimit: 0, rateLimits: { get_appid_group_list: 0 } });
    offsetMs = -2 * 86_400_000;
    const c = client();
    const leakedGroup = roomIncarnation(2);
    const leakedAccount = generatedUserId("pr-7-", seedOf("owner", CHAT_ACCOUNT_TYPE), 2);
    await c.createGroup({ Type: "Public", Name: "room", GroupId: leakedGroup });
    await c.importAccounts([leakedAccount]);
    // A real group of the PR's own, so that its file passes as this app's.
    await c.createGroup({ Type: "Public", Name: "pr-9 room", GroupId: "pr-9-room" });
    offsetMs = 0;
    return { leakedGroup, leakedAccount, realGroup: "pr-9-room" };
  }
  const prResource = (type: string, name: string, id: string, inputs: Record<string, unknown>) => ({
    ...resource(type, name, id, inputs),
    urn: `urn:pulumi:pr-9::chat-project::${type}::${name}`,
  });

  it.each([
    [
      "a ChatGroup",
      (real: string) =>
        prResource(GROUP, "evil", real, { type: "Public", groupIdGenerated: true, idSeed: seedOf("room") }),
    ],
    [
      "a ChatAccount",
      () =>
        prResource(CHAT_ACCOUNT_TYPE, "evil", "pr-9-bot", {
          userIdPrefix: "pr-7-",
          idSeed: seedOf("owner", CHAT_ACCOUNT_TYPE),
        }),
    ],
    [
      "a ChatGroup whose seed is retained: and another's",
      (real: string) =>
        prResource(GROUP, "evil", real, {
          type: "Public",
          groupIdGenerated: true,
          idSeed: `retained:${seedOf("room")}`,
        }),
    ],
    [
      "a ChatGroup whose seed has no organization",
      (real: string) =>
        prResource(GROUP, "evil", real, {
          type: "Public",
          groupIdGenerated: true,
          idSeed: `/urn:pulumi:pr-9::chat-project::${GROUP}::evil`,
        }),
    ],
  ])("refuses %s carrying a seed not its own URN's, before removing anything", async (_label, forged) => {
    const { leakedGroup, leakedAccount, realGroup } = await otherStacksLeaks();
    const held = prResource(GROUP, "room", realGroup, { type: "Public", groupId: realGroup, groupIdGenerated: false });
    await stack.emu.control.clearRequests();
    const sweeping = sweepOrphans({
      client: client(),
      states: [{ name: "pr-9.json", json: exportOf(held, forged(realGroup)) }],
      accounts: true,
      remove: true,
      olderThanSeconds: 0,
    });
    await expect(sweeping).rejects.toThrow(
      /pr-9.json: the (ChatGroup|ChatAccount) urn:pulumi:pr-9::chat-project::.*::evil carries the ID seed .*, which is not the one this package derives from its URN/,
    );
    expect(await stack.emu.control.requests("destroy_group")).toEqual([]);
    expect(await groupIds()).toContain(leakedGroup);
    expect(await accountIds()).toContain(leakedAccount);
  });

  it("refuses a file whose resources name more than one stack", async () => {
    await otherStacksLeaks();
    const mixed = exportOf(
      prResource(GROUP, "a", "pr-9-room", { groupId: "pr-9-room" }),
      resource(GROUP, "room", roomIncarnation(1), { type: "Public", groupIdGenerated: true, idSeed: seedOf("room") }),
    );
    await expect(
      sweepOrphans({ client: client(), states: [{ name: "mixed.json", json: mixed }], remove: true }),
    ).rejects.toThrow(/mixed.json names 2 stacks \(chat-project\/pr-9, chat-project\/test\)/);
  });

  it("still removes what a stack's own resources left, and names the stack of each file", async () => {
    const { leakedGroup } = await otherStacksLeaks();
    const c = client();
    // The incarnation the state holds, older than the one a replacement cut short left.
    offsetMs = -3 * 86_400_000;
    await c.createGroup({ Type: "Public", Name: "room", GroupId: roomIncarnation(1) });
    offsetMs = 0;
    const own = exportOf(
      resource(GROUP, "room", roomIncarnation(1), { type: "Public", groupIdGenerated: true, idSeed: seedOf("room") }),
    );
    const report = await sweepOrphans({
      client: c,
      states: [{ name: "test.json", json: own }],
      remove: true,
      olderThanSeconds: 0,
    });
    expect(report.removed).toEqual([leakedGroup]);
    expect(report.stacks).toEqual([{ state: "test.json", stack: "chat-project/test" }]);
  });
});

describe("tencent-chat-sweep --orphans", () => {
  const run = async (args: string[]) => {
    const env = {
      TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID),
      TENCENT_CHAT_SECRET_KEY: TEST_KEY,
      TENCENT_CHAT_ENDPOINT: stack.emu.url,
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("is a dry run by default, then removes with --yes", async () => {
    const { stateFile } = await scene();
    const dry = await run(["--orphans", "--state", stateFile, "--accounts"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^${roomIncarnation(2)}\\s+Public\\s+half-made`, "m"));
    expect(dry.stdout).toContain(
      "1 groups and 1 accounts generated for resources of the 1 states given are referenced by none of them. Dry run",
    );
    expect(dry.stdout).toContain("Left alone: 1 younger than --older-than");
    const wet = await run(["--orphans", "--state", stateFile, "--accounts", "--yes", "--json"]);
    expect(wet.code).toBe(0);
    expect(JSON.parse(wet.stdout)).toMatchObject({ dryRun: false, failed: [] });
    expect(JSON.parse(wet.stdout).removed).toHaveLength(2);
  });

  it.each([
    [["--orphans"], /--orphans needs at least one --state file/],
    [
      ["--orphans", "--state", "/nonexistent/stack.json"],
      /cannot read the state file \/nonexistent\/stack.json: ENOENT/,
    ],
    [["--orphans", "--state", "/dev/zero"], /the state file \/dev\/zero is not a regular file/],
    [["--orphans", "--state", "x.json", "--prefix", "pr-"], /--orphans selects by state, not by --prefix/],
    [["--prefix", "pr-7-", "--page-size", "abc"], /--page-size takes a whole number from 1 to 10000; got "abc"/],
    [["--prefix", "pr-7-", "--type", "Bogus"], /type must be one of Private, Public, ChatRoom, AVChatRoom, Community/],
  ])("refuses %j with exit status 2 before any call", async (args, message) => {
    await stack.emu.control.clearRequests();
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await stack.emu.control.requests()).toEqual([]);
  });
});
