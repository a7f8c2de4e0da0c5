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
const npm = (args: string[], cwd: string) =>
  run("npm", args, {
    cwd,
    env: cleanEnv({ npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" }),
    maxBuffer: 64 * 1024 * 1024,
  });

let work: string;
let tarball: string;
let files: string[];

/**
 * A user's project with the tarball installed, as `pulumi new typescript` and `npm install`
 * leave it. A user's install resolves the package's dependency ranges afresh, so it gets the
 * newest versions they allow, not the ones our lock file holds: both are installed and tested.
 * Pulumi's template pins TypeScript 5; @pulumi/pulumi is the user's choice: the version
 * development pins (the last for Node 20) beside the locked dependencies, the newest beside the newest.
 */
const PROJECTS = {
  "the lock file's versions": {
    folder: "locked",
    pinned: true,
    extras: ["@pulumi/pulumi@3.248.0", "typescript@5.9.3", "@types/node@20"],
  },
  "the newest versions its ranges allow": {
    folder: "newest",
    pinned: false,
    extras: ["@pulumi/pulumi@latest", "typescript@5", "@types/node@20"],
  },
};
type Versions = keyof typeof PROJECTS;
const projectDir = (versions: Versions) => path.join(work, PROJECTS[versions].folder);

/** The versions package-lock.json holds for the package's own dependencies. */
function lockedDependencies(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version: string }>;
  };
  return Object.fromEntries(
    Object.keys(manifest.dependencies).map((name) => [name, lock.packages[`node_modules/${name}`].version]),
  );
}

const PROGRAM = `
  import * as pulumi from "@pulumi/pulumi";
  import { ChatAccount, ChatApiError, ChatClient, ChatGroup, type ChatGroupArgs } from "pulumi-tencent-chat";
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
  export const client = new ChatClient({ sdkAppId: 1400000000, secretKey: "k", rateLimitRedisUrl: "redis://127.0.0.1:6379" });
`;

/** What `pulumi new typescript` writes, and a strict configuration that checks every declaration. */
const CONFIGS: Record<string, Record<string, unknown>> = {
  "Pulumi's template": {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  "strict, nodenext, every declaration checked": {
    strict: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    skipLibCheck: false,
    noEmit: true,
    exactOptionalPropertyTypes: true,
  },
};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "chat-pack-"));
  // dist/ is built by npm test; --ignore-scripts keeps prepack from rebuilding it under other tests.
  const { stdout } = await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO);
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, packed.filename);
  files = packed.files.map((f) => f.path).sort();
  for (const versions of Object.keys(PROJECTS) as Versions[]) {
    const { pinned, extras } = PROJECTS[versions];
    const dir = projectDir(versions);
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "user-project", private: true, ...(pinned && { overrides: lockedDependencies() }) }),
    );
    // The pinned install takes what `npm ci` put in the cache; the other asks the registry what is newest.
    await npm(
      ["install", pinned ? "--prefer-offline" : "--prefer-online", "--no-package-lock", tarball, ...extras],
      dir,
    );
  }
}, 480_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds compiled JavaScript and type declarations, and no tests or sources it does not need", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "dist/provider/index.js",
        "dist/provider/index.d.ts",
        "dist/provider/entry.js",
        "dist/provider/entry.bundle.js",
        "dist/emulator/cli.js",
        "dist/emulator/index.d.ts",
      ]),
    );
    // The examples and the benchmarks' figures ship as documents the README links to.
    const documents = (f: string) =>
      /^examples\/[\w-]+\/(README\.md|Pulumi\.yaml|index\.ts|package\.json|tsconfig\.json)$/.test(f) ||
      f === "bench/README.md";
    const unwanted = files.filter(
      (f) =>
        !documents(f) &&
        (/^(test|harness|demo|bench|examples|provider|emulator\/.*\.ts$|\.ci)\/?/.test(f) ||
          f.endsWith(".map") ||
          (f.endsWith(".ts") && !f.endsWith(".d.ts"))),
    );
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

  it("declares its public API with its own types, @pulumi/pulumi's and Node's only", () => {
    // A dependency's declarations would be compiled with the user's program (Pulumi's template
    // checks every declaration): they are the dependency's to break, as ioredis 6.1.0's did.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof import("typescript");
    const entries = ["dist/provider/index.d.ts", "dist/provider/entry.d.ts", "dist/emulator/index.d.ts"];
    const seen = new Set<string>();
    const foreign: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      expect(files).toContain(file);
      for (const { fileName } of ts.preProcessFile(readFileSync(path.join(REPO, file), "utf8"), true, true)
        .importedFiles) {
        if (!fileName.startsWith(".")) {
          if (fileName !== "@pulumi/pulumi" && !fileName.startsWith("@pulumi/pulumi/") && !fileName.startsWith("node:"))
            foreign.push(`${file}: ${fileName}`);
          continue;
        }
        const target = path.posix.join(path.posix.dirname(file), fileName.replace(/\.js$/, ""));
        visit(files.includes(`${target}.d.ts`) ? `${target}.d.ts` : `${target}/index.d.ts`);
      }
    };
    entries.forEach(visit);
    expect(seen.size).toBeGreaterThan(20);
    expect(foreign).toEqual([]);
  });

  describe.each(Object.keys(PROJECTS) as Versions[])("installed with %s", (versions) => {
    it("manages a group through the project's own provider host", async () => {
      const dir = projectDir(versions);
      const [group] = await openProject(dir).run(`
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
      const dirOf = (name: string) => path.join(projectDir(versions), name.replace(/\W+/g, "-"));
      let diagnostics: Promise<Map<string, string[]>> | undefined;
      it.each(Object.keys(CONFIGS))("with %s", async (name) => {
        expect((await (diagnostics ??= typeCheck(projectDir(versions), dirOf))).get(dirOf(name))).toEqual([]);
      });
    });
  });
});

/**
 * Every configuration in one `tsc --build` with the project's own TypeScript, which starts the
 * compiler once. With --verbose it heads each project's diagnostics with "Building project
 * '<dir>/tsconfig.json'...". Returns each configuration folder's diagnostics.
 */
async function typeCheck(projectDir: string, dirOf: (name: string) => string): Promise<Map<string, string[]>> {
  const dirs = Object.keys(CONFIGS).map((name) => {
    const dir = dirOf(name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...CONFIGS[name], noEmit: true }, files: ["index.ts"] }),
    );
    return dir;
  });
  const tsc = path.join(projectDir, "node_modules", "typescript", "bin", "tsc");
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
}
