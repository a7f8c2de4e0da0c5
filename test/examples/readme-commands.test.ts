/**
 * The shell commands the READMEs show, run as written wherever this machine can run them:
 * `npm ci` in an example (the others pin the same tree), the emulator as the quick start
 * and the emulator's README start it, and the sweeper's commands against it from an example's
 * install. Every other command is named here with the reason it does not run in this test,
 * so a command added to a README without either fails.
 *
 * @slow npm ci of an example project
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import { MiniEngine } from "../../harness/engine";
import { cleanEnv, REPO } from "../../harness/project";
import { generatedGroupId } from "../../provider/common/identity";
import { TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { seedOf, TestStack } from "../helpers/stack";

interface Documented {
  readme: string;
  command: string;
}

/** The commands of a README's `sh` blocks (continued lines joined) and the `run:` steps of its YAML blocks. */
function commandsOf(readme: string): Documented[] {
  const text = readFileSync(path.join(REPO, readme), "utf8");
  const found: Documented[] = [];
  for (const [, lang, body] of text.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)) {
    if (lang === "sh") {
      for (const line of body.replace(/\\\n/g, " ").split("\n")) {
        const command = line.trim();
        if (command && !command.startsWith("#")) found.push({ readme, command });
      }
    } else if (lang === "yaml") {
      for (const [, command] of body.matchAll(/^\s*- run: (.+)$/gm)) found.push({ readme, command: command.trim() });
    }
  }
  return found;
}

const READMES = [
  "README.md",
  "emulator/README.md",
  "bench/README.md",
  ...readdirSync(path.join(REPO, "examples")).map((e) => `examples/${e}/README.md`),
];
const DOCUMENTED = READMES.flatMap(commandsOf);

/** Why a command does not run in this test, by what it starts with or holds. */
const NOT_RUN: [RegExp, string][] = [
  [
    /^pulumi /,
    "needs the Pulumi CLI, which cannot be installed here; the harness drives the provider host it starts (test/resource, test/examples)",
  ],
  [/npm run test:live/, "reaches Tencent; npm run test:live says when it did not run"],
  [/^export TENCENT_CHAT_/, "sets a real app's settings in CI"],
  [/^npm run bench/, "measurements of minutes; their figures are in bench/README.md"],
  [/^npm (ci|test)\s+#/, ".ci/run runs exactly these on a clean clone"],
  [/^npm run demo\b/, "test/examples/demo.test.ts runs it"],
  [/^npm run build$/, "npm test builds first"],
  [
    /^\(cd \.\.\/\.\. && npm ci && npm run build\)/,
    "the repository as .ci/run's npm ci and npm test's build leave it, which this test uses",
  ],
  [
    /^npm ci && npm pack\b|^npm install \/path\/to\/the\/clone\//,
    "test/package/pack.test.ts packs the package and installs the tarball in a user's project",
  ],
  [
    /^npm ci\s+# installs the package/,
    "a step of the user's own CI, installing their project as the examples' npm ci below does",
  ],
];

/** What this test runs, each check a function of the command as written. */
const RUN: RegExp[] = [
  /^npm ci\s+# links the library/,
  /^TENCENT_CHAT_SECRET_KEY=\S+ npx tencent-chat-emulator --port 9080 &$/,
  /^TENCENT_CHAT_SECRET_KEY=\S+ node dist\/emulator\/cli\.js --port 9080$/,
  /^npx tencent-chat-sweep /,
];

const exec = promisify(execFile);
const shell = (command: string, cwd: string, env: Record<string, string> = {}) =>
  exec("bash", ["-c", command], {
    cwd,
    env: cleanEnv({
      npm_config_fund: "false",
      npm_config_audit: "false",
      npm_config_update_notifier: "false",
      npm_config_prefer_offline: "true",
      ...env,
    }),
    maxBuffer: 16 * 1024 * 1024,
  });

/** Starts a server command as written (without a trailing `&`); resolves once it says it is listening. */
function startServer(command: string, cwd: string): Promise<{ child: ChildProcess; printed: string }> {
  const child = spawn("bash", ["-c", command.replace(/&$/, "")], {
    cwd,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let printed = "";
    child.stdout?.on("data", (d: Buffer) => {
      printed += d.toString();
      if (printed.includes("listening on")) resolve({ child, printed });
    });
    child.stderr?.on("data", (d: Buffer) => (printed += d.toString()));
    child.on("exit", (code) => reject(new Error(`\`${command}\` exited with ${code} before listening:\n${printed}`)));
  });
}

/** Stops the command and everything it started (npx starts the emulator as a child). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-(child.pid as number), "SIGTERM");
  await exited;
}

describe("the READMEs' commands", () => {
  it("are each run here or named with the reason they are not", () => {
    const unaccounted = DOCUMENTED.filter(
      ({ command }) => !RUN.some((r) => r.test(command)) && !NOT_RUN.some(([r]) => r.test(command)),
    );
    expect(unaccounted).toEqual([]);
    // The rules name commands that are there: a rule left over from an edited README fails too.
    expect(RUN.filter((r) => !DOCUMENTED.some(({ command }) => r.test(command)))).toEqual([]);
    expect(NOT_RUN.filter(([r]) => !DOCUMENTED.some(({ command }) => r.test(command))).map(([r]) => String(r))).toEqual(
      [],
    );
  });

  it("start the emulator as the emulator's README shows, printing what it shows", async () => {
    const [{ command }] = DOCUMENTED.filter(
      (d) => d.readme === "emulator/README.md" && RUN.some((r) => r.test(d.command)),
    );
    const shown = /^# (Tencent Chat emulator listening on .*)$/m.exec(
      readFileSync(path.join(REPO, "emulator/README.md"), "utf8"),
    )?.[1];
    const { child, printed } = await startServer(command, REPO);
    await stop(child);
    expect(printed.trim().split("\n")[0]).toBe(shown);
  });

  /**
   * The examples depend on the same packages, and so share one dependency tree: one is
   * installed by its README's npm ci, and the others are shown to pin that same tree.
   */
  const INSTALLED = "quickstart";
  const tree = (example: string) => {
    const lock = JSON.parse(readFileSync(path.join(REPO, "examples", example, "package-lock.json"), "utf8"));
    const root = { ...lock.packages[""] };
    delete root.name;
    return { ...lock.packages, "": root, lockfileVersion: lock.lockfileVersion };
  };

  describe.each(readdirSync(path.join(REPO, "examples")))("examples/%s", (example) => {
    const readme = `examples/${example}/README.md`;

    it("installs with npm ci, from its own package-lock.json, as its README says", async () => {
      const install = DOCUMENTED.filter((d) => d.readme === readme && /^npm ci\b/.test(d.command)).map(
        (d) => d.command,
      );
      expect(install).toEqual([
        DOCUMENTED.find((d) => d.readme === `examples/${INSTALLED}/README.md` && /^npm ci\b/.test(d.command))?.command,
      ]);
      expect(tree(example)).toEqual(tree(INSTALLED));
      const project = await installed(INSTALLED);
      expect(
        JSON.parse(readFileSync(path.join(project, "node_modules", "pulumi-tencent-chat", "package.json"), "utf8"))
          .name,
      ).toBe("pulumi-tencent-chat");
      expect(readdirSync(path.join(project, "node_modules", ".bin"))).toEqual(
        expect.arrayContaining(["tencent-chat-emulator", "tencent-chat-sweep"]),
      );
    });

    it("starts the emulator from that install where its README does", async () => {
      const project = await installed(INSTALLED);
      for (const { command } of DOCUMENTED.filter(
        (d) => d.readme === readme && /tencent-chat-emulator/.test(d.command),
      )) {
        const { child, printed } = await startServer(command, project);
        await stop(child);
        expect(printed).toContain("listening on http://127.0.0.1:9080");
      }
    });
  });

  describe("the sweeper's commands of the main README, from an example's install, against the emulator", () => {
    let offsetMs = 0;
    let stack: TestStack;
    beforeAll(async () => {
      stack = await TestStack.start({ emulator: { clock: () => Date.now() + offsetMs } });
    });
    afterAll(() => stack?.close());
    const env = () => ({
      TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID),
      TENCENT_CHAT_SECRET_KEY: TEST_KEY,
      TENCENT_CHAT_ENDPOINT: stack.emu.url,
    });

    it("list, then remove, the orphan an interrupted replacement left, given two stacks' exports, and leave what the stacks hold", async () => {
      const project = await installed("quickstart");
      // Two hours ago: the stack deployed, and a `pulumi up --replace` cut short made the
      // resource's next incarnation.
      offsetMs = -2 * 3600_000;
      const engine = new MiniEngine(stack.host);
      await engine.apply(stack.registration("kept", { type: "Public", name: "kept" }));
      const orphan = generatedGroupId(seedOf("kept"), "Public", 2);
      await stack.emu.group("create_group", { Type: "Public", Name: "kept", GroupId: orphan });
      offsetMs = 0;
      writeFileSync(path.join(project, "pr-123.json"), JSON.stringify(engine.exportStack()));
      writeFileSync(path.join(project, "nightly.json"), JSON.stringify(new MiniEngine(stack.host).exportStack()));
      const [list, remove] = DOCUMENTED.filter(
        (d) => d.readme === "README.md" && /^npx tencent-chat-sweep --orphans/.test(d.command),
      );
      expect(list.command).not.toContain("--yes");
      expect((await shell(list.command, project, env())).stdout).toContain(orphan);
      expect((await stack.emu.control.state()).groups.map((g) => g.groupId).sort()).toEqual(
        [engine.state.get("kept")?.id, orphan].sort(),
      );
      expect(remove.command).toContain("--yes");
      expect((await shell(remove.command, project, env())).stdout).toMatch(/^Removed 1 of 1 group/m);
      expect((await stack.emu.control.state()).groups.map((g) => g.groupId)).toEqual([engine.state.get("kept")?.id]);
    });

    it("sweep by prefix as the nightly workflow does", async () => {
      const project = await installed("quickstart");
      offsetMs = -25 * 3600_000;
      await stack.emu.group("create_group", { Type: "Public", Name: "pr-7 room", GroupId: "pr-7-room" });
      await stack.emu.group("create_group", { Type: "Public", Name: "lobby", GroupId: "lobby" });
      offsetMs = 0;
      const [{ command }] = DOCUMENTED.filter(
        (d) => d.readme === "README.md" && /^npx tencent-chat-sweep --prefix/.test(d.command),
      );
      expect((await shell(command, project, env())).stdout).toMatch(/^Removed 1 of 1 matching groups; 0 failed\.$/m);
      expect((await stack.emu.control.state()).groups.map((g) => g.groupId)).not.toContain("pr-7-room");
      expect((await stack.emu.control.state()).groups.map((g) => g.groupId)).toContain("lobby");
    });
  });
});

/**
 * An example where its README is, under a repository as .ci/run leaves it built (the library's
 * package.json, dist/ and node_modules/, without the rest of the tree), installed by the
 * README's own `npm ci` line. Once per example and run of this file.
 */
const installs = new Map<string, Promise<string>>();
function installed(example: string): Promise<string> {
  let install = installs.get(example);
  if (!install) {
    install = (async () => {
      const layout = mkdtempSync(path.join(tmpdir(), "readme-commands-"));
      layouts.push(layout);
      cpSync(path.join(REPO, "package.json"), path.join(layout, "package.json"));
      for (const linked of ["dist", "node_modules"])
        symlinkSync(path.join(REPO, linked), path.join(layout, linked), "dir");
      const project = path.join(layout, "examples", example);
      mkdirSync(path.dirname(project), { recursive: true });
      cpSync(path.join(REPO, "examples", example), project, {
        recursive: true,
        filter: (f) => !f.includes("node_modules"),
      });
      const commands = DOCUMENTED.filter(
        (d) => d.readme === `examples/${example}/README.md` && /^npm ci\b/.test(d.command),
      );
      if (commands.length !== 1)
        throw new Error(`examples/${example}/README.md should show one npm ci, shows ${commands.length}`);
      await shell(commands[0].command, project);
      return project;
    })();
    installs.set(example, install);
  }
  return install;
}
const layouts: string[] = [];
afterAll(() => layouts.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
