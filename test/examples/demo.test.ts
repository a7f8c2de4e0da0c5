/**
 * `npm run demo`, as a newcomer runs it on a machine without the Pulumi CLI, and the CLI
 * path up to where it looks for the CLI.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import { findPulumiCli } from "../../demo/pulumi-cli";
import { cliEnvironment } from "../../demo/run";
import { REPO } from "../../harness/project";

const DEMO = path.join(REPO, "dist", "demo", "run.js");
let bin: string;
beforeEach(() => {
  bin = mkdtempSync(path.join(tmpdir(), "fake-bin-"));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

/** A PATH holding only node and, when given, a stand-in `pulumi` script. */
function pathWith(pulumiScript?: string): string {
  if (pulumiScript) {
    writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\n${pulumiScript}\n`);
    chmodSync(path.join(bin, "pulumi"), 0o755);
  }
  return [bin, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
}

describe("npm run demo without the Pulumi CLI", () => {
  it("says so in one line, then deploys, survives a group disbanded by hand, destroys and shows the emulator empty", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [DEMO], {
      cwd: REPO,
      env: { ...process.env, PATH: pathWith() },
    });
    const notices = stdout.split("\n").filter((l) => l.includes("pulumi CLI is not on PATH"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("https://www.pulumi.com/docs/install/");
    expect(stdout).toMatch(/pulumi up: deploying examples\/quickstart/);
    expect(stdout).toMatch(/AVChatRoom\s+Release party/);
    expect(stdout).toMatch(/Disbanded \S+ with a direct destroy_group call/);
    expect(stdout).toMatch(/10010: already gone, counted as deleted/);
    expect(stdout.match(/ destroyed$/gm)).toHaveLength(3);
    expect(stdout).toMatch(/6\. The emulator after the destroy\n {3}The emulator holds no groups\./);
    // The run's key is random and never printed: no long hex string appears.
    expect(stdout).not.toMatch(/[0-9a-f]{48}/);
  });
});

describe("finding the Pulumi CLI", () => {
  it("finds a pulumi on PATH and reads its version", () => {
    expect(findPulumiCli({ PATH: pathWith('echo "v3.248.0"') })).toEqual({ version: "v3.248.0" });
  });

  it("reports none when there is no pulumi on PATH, or it fails", () => {
    expect(findPulumiCli({ PATH: pathWith() })).toBeUndefined();
    expect(findPulumiCli({ PATH: pathWith("exit 3") })).toBeUndefined();
  });

  it("gives the CLI a local file backend and a passphrase, so no Pulumi account is needed", () => {
    expect(cliEnvironment("/tmp/backend")).toMatchObject({
      PULUMI_BACKEND_URL: "file:///tmp/backend",
      PULUMI_CONFIG_PASSPHRASE: expect.any(String),
    });
  });
});
