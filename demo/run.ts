/**
 * `npm run demo`: the library's main job on the embedded emulator, in a minute, with no
 * Tencent account. It deploys the quick-start program, shows the groups as the emulator
 * sees them, disbands one behind Pulumi's back, then destroys the stack, which succeeds,
 * and shows the emulator empty.
 *
 * With the `pulumi` CLI on PATH it drives the real CLI through the Automation API (local
 * file backend in a temporary folder, passphrase secrets: no Pulumi account). Without it,
 * it walks the same lifecycle through Pulumi's dynamic-provider host, the process
 * `pulumi up` itself starts for these resources.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { EmulatorControl } from "../emulator/control-client";
import { type RunningEmulator, startEmulator } from "../emulator/server";
import { MiniEngine } from "../harness/engine";
import { createProject, REPO } from "../harness/project";
import { ProviderHost, pulumiSecret } from "../harness/provider-host";
import { ChatClient } from "../provider/client/client";
import { findPulumiCli, type PulumiCli } from "./pulumi-cli";

const QUICKSTART = path.join(REPO, "examples", "quickstart");

const say = (text = "") => console.log(text);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);

async function showGroups(control: EmulatorControl): Promise<string[]> {
  const { groups } = await control.state();
  if (groups.length === 0) {
    say("   The emulator holds no groups.");
    return [];
  }
  const rows = groups.map((g) => [g.groupId, g.type, g.name, String(g.members.length)]);
  const header = ["GroupId", "Type", "Name", "Members"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) say(`   ${row.map((cell, i) => cell.padEnd(widths[i])).join("  ")}`);
  return groups.map((g) => g.groupId);
}

/** What the stack needs to reach the emulator: the same keys a user sets with `pulumi config set`. */
function stackConfig(emulator: RunningEmulator, secretKey: string) {
  return { sdkAppId: String(emulator.sdkAppId), secretKey, endpoint: emulator.url };
}

async function disbandOne(emulator: RunningEmulator, secretKey: string, groupId: string): Promise<void> {
  // As someone would in the Chat console: a direct API call, outside Pulumi.
  const client = new ChatClient({ sdkAppId: emulator.sdkAppId, secretKey, endpoint: emulator.url });
  await client.destroyGroup(groupId);
  say(`   Disbanded ${groupId} with a direct destroy_group call. Pulumi's state still lists it.`);
}

async function reportDeletes(control: EmulatorControl): Promise<void> {
  for (const call of await control.requests("destroy_group")) {
    const id = (JSON.parse(call.body) as { GroupId: string }).GroupId;
    const answer =
      call.errorCode === 0
        ? "destroyed"
        : call.errorCode === 10010
          ? "10010: already gone, counted as deleted"
          : `ErrorCode ${call.errorCode}`;
    say(`   destroy_group ${id.padEnd(24)} ${answer}`);
  }
}

/** Steps 2 to 5, the same whichever way the stack is driven. */
async function lifecycle(
  emulator: RunningEmulator,
  secretKey: string,
  control: EmulatorControl,
  stack: { upTitle: string; up(): Promise<void>; destroy(): Promise<void> },
): Promise<void> {
  step(2, stack.upTitle);
  await stack.up();

  step(3, "The groups, as the emulator sees them");
  const ids = await showGroups(control);

  step(4, "Someone disbands a group behind Pulumi's back");
  await disbandOne(emulator, secretKey, ids[0]);
  await control.clearRequests();

  step(5, "pulumi destroy");
  await stack.destroy();
  await reportDeletes(control);
}

/** The lifecycle through Pulumi's dynamic-provider host, as the tests drive it. */
async function viaHost(emulator: RunningEmulator, secretKey: string, control: EmulatorControl): Promise<void> {
  const project = createProject();
  const host = await ProviderHost.start(project.dir);
  try {
    const cfg = stackConfig(emulator, secretKey);
    await host.configure({
      "tencent-chat:sdkAppId": cfg.sdkAppId,
      "tencent-chat:secretKey": pulumiSecret(cfg.secretKey),
      "tencent-chat:endpoint": cfg.endpoint,
    });
    const engine = new MiniEngine(host);
    await lifecycle(emulator, secretKey, control, {
      upTitle: "pulumi up: deploying examples/quickstart",
      async up() {
        const resources = await project.run(
          readFileSync(path.join(QUICKSTART, "index.ts"), "utf8"),
          {},
          { typescript: true },
        );
        await engine.up(resources);
        for (const r of engine.state.values()) say(`   + ${r.name.padEnd(8)} created ${r.id}`);
      },
      async destroy() {
        await engine.destroy();
      },
    });
    say(`   Destroy succeeded: ${engine.state.size} resources left in state.`);
  } finally {
    await host.stop();
    project.remove();
  }
}

/** The lifecycle through the real CLI, with the Automation API. */
async function viaCli(
  cli: PulumiCli,
  emulator: RunningEmulator,
  secretKey: string,
  control: EmulatorControl,
): Promise<void> {
  // Loaded only here: the Automation API is needed only when the CLI is.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  const project = createProject();
  const backend = mkdtempSync(path.join(tmpdir(), "chat-demo-backend-"));
  try {
    copyFileSync(path.join(QUICKSTART, "index.ts"), path.join(project.dir, "index.ts"));
    copyFileSync(path.join(QUICKSTART, "Pulumi.yaml"), path.join(project.dir, "Pulumi.yaml"));
    // The CLI compiles the TypeScript program with the project's own compiler and types.
    for (const dep of ["typescript", "@types"])
      symlinkSync(path.join(REPO, "node_modules", dep), path.join(project.dir, "node_modules", dep), "dir");
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "demo", workDir: project.dir },
      { envVars: cliEnvironment(backend), pulumiHome: path.join(backend, ".pulumi") },
    );
    const cfg = stackConfig(emulator, secretKey);
    await stack.setAllConfig({
      "tencent-chat:sdkAppId": { value: cfg.sdkAppId },
      "tencent-chat:secretKey": { value: cfg.secretKey, secret: true },
      "tencent-chat:endpoint": { value: cfg.endpoint },
    });
    const indent = (line: string) => process.stdout.write(line.replace(/^/gm, "   "));
    await lifecycle(emulator, secretKey, control, {
      upTitle: `pulumi up (Pulumi CLI ${cli.version}, local backend in ${backend})`,
      async up() {
        await stack.up({ onOutput: indent });
      },
      async destroy() {
        await stack.destroy({ onOutput: indent });
      },
    });
    await stack.workspace.removeStack("demo");
  } finally {
    project.remove();
    rmSync(backend, { recursive: true, force: true });
  }
}

/** A local file backend and a passphrase secrets provider: no Pulumi account needed. */
export function cliEnvironment(backendDir: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "pulumi-tencent-chat-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

async function main(): Promise<void> {
  // A fresh key per run: it signs every call and is never printed.
  const secretKey = randomBytes(24).toString("hex");
  const emulator = await startEmulator({ secretKey });
  const control = new EmulatorControl(emulator.url);
  say("pulumi-tencent-chat demo");
  step(1, `Started the Tencent Chat emulator at ${emulator.url} (SDKAppID ${emulator.sdkAppId})`);
  try {
    const cli = findPulumiCli();
    if (cli) {
      await viaCli(cli, emulator, secretKey, control);
    } else {
      say(
        "   The pulumi CLI is not on PATH: walking the same lifecycle through Pulumi's dynamic-provider host (install the CLI from https://www.pulumi.com/docs/install/ to run it for real).",
      );
      await viaHost(emulator, secretKey, control);
    }
    step(6, "The emulator after the destroy");
    await showGroups(control);
    say("\nDone: the destroy succeeded although one group was already gone.");
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`demo failed: ${err.message}`);
    process.exit(1);
  });
}
