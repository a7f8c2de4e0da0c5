import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

import { cleanEnv, REPO } from "../../harness/project";
import { parseDuration, progressPrinter } from "../../provider/sweeper/cli";
import { TEST_KEY, TEST_SDKAPPID, useEmulator } from "../helpers/emulator";

const BIN = path.join(REPO, "dist", "provider", "sweeper", "cli.js");

const emu = useEmulator({ rateLimits: { get_appid_group_list: 0 } });
beforeEach(async () => {
  for (let i = 0; i < 20; i++)
    await emu().group("create_group", { Type: "Public", Name: `PR ${i}`, GroupId: `pr-9-${i}` });
  await emu().group("create_group", { Type: "Public", Name: "keep", GroupId: "prod-room" });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sweepCli(
  args: string[],
  env: Record<string, string> = {
    TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID),
    TENCENT_CHAT_SECRET_KEY: TEST_KEY,
    TENCENT_CHAT_ENDPOINT: emu().url,
  },
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const remaining = async () => (await emu().control.state()).groups.map((g) => g.groupId);

describe("tencent-chat-sweep", () => {
  it("lists by default: a table, a count, and nothing removed", async () => {
    const run = await sweepCli(["--prefix", "pr-9-"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^GROUP ID\s+TYPE\s+NAME\s+AGE\s+MEMBERS$/m);
    expect(run.stdout).toMatch(/^pr-9-0\s+Public\s+PR 0\s+0m\d+s\s+0$/m);
    expect(run.stdout).toContain(
      '20 of 21 groups match "pr-9-". Dry run: nothing was removed; add --yes to remove them.',
    );
    expect(await remaining()).toHaveLength(21);
  });

  it("removes with --yes, printing plain progress lines when not on a terminal", async () => {
    const run = await sweepCli(["--prefix", "pr-9-", "--yes"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^removed 20\/20 · \d+\/s · 0s left$/m);
    expect(run.stderr).not.toContain("\r");
    expect(run.stdout).toContain("Removed 20 of 20 matching groups; 0 failed.");
    expect(await remaining()).toEqual(["prod-room"]);
  });

  it("sweeps the app of a profile with --app, its settings from its TENCENT_CHAT_APP_<NAME>_* variables, never the top-level ones", async () => {
    const profile = {
      TENCENT_CHAT_APP_PR_ENVS_SDKAPPID: String(TEST_SDKAPPID),
      TENCENT_CHAT_APP_PR_ENVS_SECRET_KEY: TEST_KEY,
      TENCENT_CHAT_APP_PR_ENVS_ENDPOINT: emu().url,
    };
    const run = await sweepCli(["--app", "pr-envs", "--prefix", "pr-9-"], {
      ...profile,
      TENCENT_CHAT_ENDPOINT: "http://127.0.0.1:9",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('20 of 21 groups match "pr-9-".');
    const unconfigured = await sweepCli(["--app", "staging", "--prefix", "pr-9-"]);
    expect(unconfigured.code).not.toBe(0);
    expect(unconfigured.stderr).toMatch(/app staging is not configured: .*TENCENT_CHAT_APP_STAGING_SDKAPPID/);
    expect(unconfigured.stderr).not.toContain(TEST_KEY);
  });

  it("prints a machine-readable report with --json", async () => {
    const run = await sweepCli(["--prefix", "pr-9-1", "--json", "--yes"]);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dryRun: false, prefix: "pr-9-1", scanned: 21, failed: [] });
    expect(report.removed.sort()).toEqual(["pr-9-1", ...Array.from({ length: 10 }, (_, i) => `pr-9-1${i}`)].sort());
  });

  it("exits non-zero and names each failure with its code", async () => {
    await emu().control.addFault({
      command: "destroy_group",
      action: { kind: "error", errorCode: 10007, errorInfo: "no permission" },
    });
    const run = await sweepCli(["--prefix", "pr-9-", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /Removed 19 of 20 matching groups; 1 failed\.\n {2}failed pr-9-\d+: ErrorCode 10007: .*destroy_group failed: 10007 no permission/,
    );
  });

  it.each([
    [["--yes"], /--prefix is required/],
    [["--prefix", "pr"], /at least 3 characters/],
    [["--prefix", "pr-9-", "--older-than", "yesterday"], /--older-than takes a number and a unit/],
  ])("refuses %j with exit status 2 and the usage", async (args, message) => {
    const run = await sweepCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Usage: tencent-chat-sweep");
    expect(await remaining()).toHaveLength(21);
  });

  it("names the variables when credentials are missing", async () => {
    const run = await sweepCli(["--prefix", "pr-9-"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("TENCENT_CHAT_SDKAPPID");
    expect(run.stderr).toContain("TENCENT_CHAT_SECRET_KEY");
  });

  it("takes credentials from flags and never prints the secret", async () => {
    const run = await sweepCli(
      ["--prefix", "pr-9-", "--sdkappid", String(TEST_SDKAPPID), "--secret-key", TEST_KEY, "--endpoint", emu().url],
      {},
    );
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(TEST_KEY);
    await emu().control.addFault({ command: "get_appid_group_list", action: { kind: "error", errorCode: 70009 } });
    const failed = await sweepCli(
      ["--prefix", "pr-9-", "--secret-key", TEST_KEY, "--sdkappid", String(TEST_SDKAPPID), "--endpoint", emu().url],
      {},
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("get_appid_group_list failed: 70009");
    expect(failed.stdout + failed.stderr).not.toContain(TEST_KEY);
  });
});

describe("durations", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["24h", 86400],
    ["7d", 604800],
    ["1.5h", 5400],
  ])("reads %s as %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});

describe("progress", () => {
  it("rewrites one line on a terminal, with count, rate and time left, ending it when done", () => {
    const written: string[] = [];
    const print = progressPrinter({ isTTY: true, write: (s: string) => written.push(s) > 0 });
    print({ done: 1, total: 4, failed: 0, rate: 180, secondsLeft: 0.02 });
    print({ done: 4, total: 4, failed: 1, rate: 190, secondsLeft: 0 });
    expect(written).toEqual([
      "\rremoved 1/4 · 180/s · 1s left\x1b[K",
      "\rremoved 4/4, 1 failed · 190/s · 0s left\x1b[K\n",
    ]);
  });
});
