/**
 * The orphan sweep, fed the `pulumi stack export` of a stack deployed through Pulumi's
 * provider host: it finds generated groups and accounts no state references, and never
 * touches what a state holds or what this package did not generate.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { MiniEngine, type Registration } from "../../harness/engine";
import { cleanEnv, REPO } from "../../harness/project";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { generatedUserId } from "../../provider/dynamic/identity";
import { sweepOrphans } from "../../provider/sweeper/orphans";
import { StateFileError } from "../../provider/sweeper/states";
import { ADMIN, TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { seedOf, TestStack } from "../helpers/stack";
import { CHAT_ACCOUNT_TYPE } from "../../harness/provider-host";

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
}, 30_000);
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () => new ChatClient({ sdkAppId: TEST_SDKAPPID, secretKey: TEST_KEY, identifier: ADMIN, endpoint: stack.emu.url, rateLimiter: new RateLimiter({ rateLimit: 0 }) });
const groupIds = async () => (await stack.emu.control.state()).groups.map((g) => g.groupId).sort();
const accountIds = async () => (await stack.emu.control.state()).accounts.map((a) => a.userId).filter((id) => id !== ADMIN).sort();

/** The stack deployed, and around it what leaks leave: generated objects no state holds. */
async function scene(): Promise<{ engine: MiniEngine; stateFile: string; leakedAccount: string }> {
  await stack.emu.control.reset();
  await stack.emu.control.configure({ rateLimit: 0, rateLimits: { get_appid_group_list: 0 } });
  const engine = new MiniEngine(stack.host);
  offsetMs = -2 * 86_400_000;
  await engine.up(program);
  const c = client();
  // Two days old: a group of an interrupted replace, a legacy random-ID one, and a Community.
  await c.createGroup({ Type: "Public", Name: "half-made", GroupId: "pulumi-room-0000000000-2" });
  await c.createGroup({ Type: "Private", Name: "legacy", GroupId: "pulumi-k3j5h2g7m9q1" });
  await c.createGroup({ Type: "Community", Name: "town", GroupId: "@TGS#_pulumi-town-0000000000-1" });
  // Not generated: left alone whatever its age.
  await c.createGroup({ Type: "Public", Name: "production", GroupId: "prod-lobby" });
  // The owner's next incarnation, imported by an interrupted replace, and one met as a member.
  const leakedAccount = generatedUserId("pr-7-", seedOf("owner", CHAT_ACCOUNT_TYPE), 2);
  await c.importAccounts([leakedAccount, "pr-7-zzzzzzzz-1", "pr-7-someone-else"]);
  await c.addGroupMembers("pulumi-k3j5h2g7m9q1", ["pr-7-zzzzzzzz-1", "pr-7-someone-else"]);
  offsetMs = 0;
  // Young: a running up may not have saved it yet.
  await c.createGroup({ Type: "Public", Name: "young", GroupId: "pulumi-young-0000000000-1" });
  await stack.emu.control.clearRequests();
  const stateFile = path.join(dir, "stack.json");
  writeFileSync(stateFile, JSON.stringify(engine.exportStack()));
  return { engine, stateFile, leakedAccount };
}

describe("sweepOrphans", () => {
  it("lists the generated groups and accounts no state references, changing nothing", async () => {
    const { engine, leakedAccount } = await scene();
    const before = [await groupIds(), await accountIds()];
    const report = await sweepOrphans({ client: client(), states: [{ name: "stack.json", json: engine.exportStack() }], accounts: true });
    expect(report.groups.map((g) => g.groupId).sort()).toEqual(["@TGS#_pulumi-town-0000000000-1", "pulumi-k3j5h2g7m9q1", "pulumi-room-0000000000-2"]);
    expect(report.accounts).toEqual([leakedAccount, "pr-7-zzzzzzzz-1"].sort());
    expect(report).toMatchObject({ dryRun: true, states: 1, removed: [], failed: [] });
    expect([await groupIds(), await accountIds()]).toEqual(before);
    expect(await stack.emu.control.requests("destroy_group")).toEqual([]);
  });

  it("removes them with remove, leaving the stack whole and non-generated objects alone", async () => {
    const { engine } = await scene();
    const report = await sweepOrphans({ client: client(), states: [{ name: "stack.json", json: engine.exportStack() }], accounts: true, remove: true });
    expect(report.failed).toEqual([]);
    expect(await groupIds()).toEqual(["prod-lobby", "pr-7-fixed", "pulumi-young-0000000000-1", engine.state.get("room")?.id].sort());
    expect(await accountIds()).toEqual([engine.state.get("owner")?.id, "pr-7-someone-else"].sort());
    // The stack still destroys cleanly.
    await engine.destroy();
    expect(await groupIds()).toEqual(["prod-lobby", "pulumi-young-0000000000-1"]);
  });

  it("takes young groups too when asked with olderThanSeconds 0", async () => {
    const { engine } = await scene();
    const report = await sweepOrphans({ client: client(), states: [{ name: "s", json: engine.exportStack() }], olderThanSeconds: 0 });
    expect(report.groups.map((g) => g.groupId)).toContain("pulumi-young-0000000000-1");
    expect(report.accounts).toEqual([]);
  });

  it("refuses to run without a state, or with a file that is not a stack export, before any call", async () => {
    await stack.emu.control.clearRequests();
    await expect(sweepOrphans({ client: client(), states: [] })).rejects.toThrow(StateFileError);
    await expect(sweepOrphans({ client: client(), states: [{ name: "notes.json", json: { hello: 1 } }] })).rejects.toThrow(/notes.json is not the output of `pulumi stack export`/);
    expect(await stack.emu.control.requests()).toEqual([]);
  });
});

describe("tencent-chat-sweep --orphans", () => {
  const run = async (args: string[]) => {
    const env = { TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID), TENCENT_CHAT_SECRET_KEY: TEST_KEY, TENCENT_CHAT_ENDPOINT: stack.emu.url };
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
    expect(dry.stdout).toMatch(/^pulumi-room-0000000000-2\s+Public\s+half-made/m);
    expect(dry.stdout).toContain("3 groups and 2 accounts with generated IDs are referenced by none of the 1 states given. Dry run");
    const wet = await run(["--orphans", "--state", stateFile, "--accounts", "--yes", "--json"]);
    expect(wet.code).toBe(0);
    expect(JSON.parse(wet.stdout)).toMatchObject({ dryRun: false, failed: [] });
    expect(JSON.parse(wet.stdout).removed).toHaveLength(5);
  });

  it.each([
    [["--orphans"], /--orphans needs at least one --state file/],
    [["--orphans", "--state", "/nonexistent/stack.json"], /cannot read the state file \/nonexistent\/stack.json: ENOENT/],
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
