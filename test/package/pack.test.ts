/**
 * What `npm install pulumi-tencent-chat` gives a user: the packed tarball, installed into a
 * fresh Pulumi project with its own node_modules, managing a group through that project's
 * own Pulumi provider host.
 *
 * @slow npm pack, npm install and two type-checks of a user's program
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { MiniEngine } from "../../harness/engine";
import { cleanEnv, openProject, REPO } from "../../harness/project";
import { ProviderHost } from "../../harness/provider-host";
import { TestEmulator } from "../helpers/emulator";
import { TestStack } from "../helpers/stack";

const run = promisify(execFile);
const npm = (args: string[], cwd: string) => run("npm", args, { cwd, env: cleanEnv({ npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" }), maxBuffer: 64 * 1024 * 1024 });

let work: string;
let tarball: string;
let files: string[];
/** A user's project with the tarball installed, as `pulumi new typescript` and `npm install` leave it. */
let userProject: string;
beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "chat-pack-"));
  // dist/ is built by npm test; --ignore-scripts keeps prepack from rebuilding it under other tests.
  const { stdout } = await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO);
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, packed.filename);
  files = packed.files.map((f) => f.path).sort();
  userProject = path.join(work, "user-project");
  mkdirSync(userProject);
  writeFileSync(path.join(userProject, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  // From the npm cache that `npm ci` filled (typescript5 is the same 5.9.3); the registry otherwise.
  await npm(["install", "--prefer-offline", "--no-package-lock", tarball, "@pulumi/pulumi@3.248.0", "typescript@5.9.3", "@types/node@20"], userProject);
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds compiled JavaScript and type declarations, and no tests or sources it does not need", () => {
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/entry.js", "dist/provider/entry.bundle.js", "dist/emulator/cli.js", "dist/emulator/index.d.ts"]));
    // The examples and the benchmarks' figures ship as documents the README links to.
    const documents = (f: string) => /^examples\/[\w-]+\/(README\.md|Pulumi\.yaml|index\.ts|package\.json|tsconfig\.json)$/.test(f) || f === "bench/README.md";
    const unwanted = files.filter((f) => !documents(f) && (/^(test|harness|demo|bench|examples|provider|emulator\/.*\.ts$|\.ci)\/?/.test(f) || f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts"))));
    expect(unwanted).toEqual([]);
  });

  it("holds every file its READMEs link to", () => {
    const readmes = files.filter((f) => f.endsWith("README.md"));
    const broken: string[] = [];
    for (const readme of readmes) {
      const text = readFileSync(path.join(REPO, readme), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(readme), target)).replace(/\/$/, "");
        if (!files.some((f) => f === resolved || f.startsWith(`${resolved}/`))) broken.push(`${readme}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("installs into a fresh Pulumi project and manages a group through that project's own provider host", async () => {
    const dir = userProject;
    const project = openProject(dir);
    const [group] = await project.run(`
      const { ChatGroup } = require("pulumi-tencent-chat");
      exports.room = new ChatGroup("room", { type: "Public", name: "Installed from the tarball" });
    `);
    const emu = await TestEmulator.start();
    const host = await ProviderHost.start(dir);
    try {
      await host.configure(TestStack.configFor(emu));
      const engine = new MiniEngine(host);
      await engine.up([group]);
      expect((await emu.control.state()).groups.map((g) => g.name)).toEqual(["Installed from the tarball"]);
      await engine.destroy();
      expect((await emu.control.state()).groups).toEqual([]);
      // The emulator bin ships too.
      const { stdout } = await run(path.join(dir, "node_modules", ".bin", "tencent-chat-emulator"), ["--help"]);
      expect(stdout).toContain("--secret-key");
    } finally {
      await host.stop();
      await emu.close();
    }
  }, 240_000);

  describe("compiles in a user's TypeScript program, importing both entry points", () => {
    const PROGRAM = `
      import * as pulumi from "@pulumi/pulumi";
      import { ChatAccount, ChatApiError, ChatGroup, type ChatGroupArgs } from "pulumi-tencent-chat";
      import { startEmulator, type RunningEmulator } from "pulumi-tencent-chat/emulator";

      const owner = new ChatAccount("owner", { userIdPrefix: "qa-", nick: "QA" });
      const args: ChatGroupArgs = { type: "Public", name: "Room", ownerAccount: owner.userId, members: [owner.userId] };
      export const room = new ChatGroup("room", args);
      export const id: pulumi.Output<string> = room.groupId;
      export async function local(): Promise<string> {
        const emulator: RunningEmulator = await startEmulator({ port: 0, secretKey: "k" });
        await emulator.close();
        return emulator.url;
      }
      export const isApiError = (err: unknown): boolean => err instanceof ChatApiError && err.errorCode === 10010;
    `;
    // What \`pulumi new typescript\` writes, and a strict configuration that checks every declaration.
    const CONFIGS: Record<string, Record<string, unknown>> = {
      "Pulumi's template": {
        strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true,
        experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true,
      },
      "strict, nodenext, every declaration checked": { strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", skipLibCheck: false, noEmit: true, exactOptionalPropertyTypes: true },
    };
    const dirOf = (name: string) => path.join(userProject, name.replace(/\W+/g, "-"));
    /**
     * Both configurations in one `tsc --build`, which starts the compiler once. With --verbose
     * it heads each project's diagnostics with "Building project '<dir>/tsconfig.json'...".
     */
    let diagnostics: Promise<Map<string, string[]>> | undefined;
    const typeCheck = () =>
      (diagnostics ??= (async () => {
        const dirs = Object.keys(CONFIGS).map((name) => {
          const dir = dirOf(name);
          mkdirSync(dir, { recursive: true });
          writeFileSync(path.join(dir, "index.ts"), PROGRAM);
          writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...CONFIGS[name], noEmit: true }, files: ["index.ts"] }));
          return dir;
        });
        const tsc = path.join(userProject, "node_modules", "typescript", "bin", "tsc");
        const output = await run(process.execPath, [tsc, "--build", ...dirs, "--verbose", "--pretty", "false"]).then(
          ({ stdout }) => stdout,
          (err: { stdout: string }) => err.stdout,
        );
        // A diagnostic is a line with "error TS<code>:" and the indented lines after it.
        const byProject = new Map<string, string[]>();
        let current: string[] = [];
        let inDiagnostic = false;
        for (const line of output.split("\n")) {
          const building = /Building project '(.+)[\\/]tsconfig\.json'/.exec(line);
          if (building) byProject.set(building[1], (current = []));
          inDiagnostic = !building && (/\berror TS\d+:/.test(line) || (inDiagnostic && /^\s+\S/.test(line)));
          if (inDiagnostic) current.push(line);
        }
        return byProject;
      })());
    it.each(Object.keys(CONFIGS))("with %s", async (name) => {
      expect((await typeCheck()).get(dirOf(name))).toEqual([]);
    });
  });
});
