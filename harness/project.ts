/**
 * A Pulumi project on disk, as a user has one: a folder whose node_modules holds
 * pulumi-tencent-chat (this repository, built) and @pulumi/pulumi. Its program runs under
 * `pulumi.runtime.setMocks` in a child process, which gives the resources' inputs,
 * `__provider` text included, exactly as `pulumi up` would send them to the engine.
 *
 * The demo, the tests and the benchmarks use it where the Pulumi CLI is not installed.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { childCoverageEnv } from "./child-coverage";

/** This repository's root: the nearest folder up with this package's package.json. */
export const REPO = ((): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "pulumi-tencent-chat") return dir;
  }
  throw new Error(`no pulumi-tencent-chat package.json above ${__dirname}`);
})();

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Names of the resources this one depends on, as the program told the engine. */
  dependsOn: string[];
  /** For each input property that takes another resource's output, the names of those resources. */
  propertyDependencies: Record<string, string[]>;
  /** Set for a resource the program reads rather than manages (`ChatGroup.get`). */
  id?: string;
}

export interface PulumiProject {
  dir: string;
  /**
   * Runs `program` (JavaScript, or TypeScript when `typescript` is set) under mocks, with
   * `config` as its stack config; returns the resources it registered.
   */
  run(program: string, env?: Record<string, string>, options?: { typescript?: boolean; config?: Record<string, unknown> }): Promise<RegisteredResource[]>;
  remove(): void;
}

/**
 * Stands for an output the provider decides (a generated ID) in the inputs of a resource that
 * uses it: `<marker><resource name>.<property>`. The engine harness fills it in from that
 * resource's outputs when it applies the dependent, as the engine does.
 */
export const OUTPUT_REF = "@@output:";

/** Wraps a program: mocks Pulumi's engine and prints what each resource was given. */
const MOCK_RUNNER = `
const pulumi = require("@pulumi/pulumi");
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const registered = [];
const dependencies = new Map();
const propertyDependencies = new Map();
const nameOf = (urn) => urn.split("::").pop();
// The mock hides the dependencies the program declares; record them on the way in.
const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
  dependencies.set(req.getName(), req.getDependenciesList().map(nameOf));
  const byProperty = {};
  req.getPropertydependenciesMap().forEach((deps, property) => { byProperty[property] = deps.getUrnsList().map(nameOf); });
  propertyDependencies.set(req.getName(), byProperty);
  return register.call(this, req, callback);
};
pulumi.runtime.setMocks({
  newResource(args) {
    registered.push({
      type: args.type, name: args.name, inputs: args.inputs, dependsOn: dependencies.get(args.name) || [],
      propertyDependencies: propertyDependencies.get(args.name) || {}, id: args.id || undefined,
    });
    const state = { ...args.inputs };
    for (const key of ["userId", "groupId"]) if (state[key] === undefined) state[key] = "${OUTPUT_REF}" + args.name + "." + key;
    return { id: args.id || args.name + "-id", state };
  },
  call() { return {}; },
}, "chat-project", "test", false, "organization");
require("./program.js");
// Every registration, including those waiting on other resources' outputs, is an RPC.
// To a file, not stdout: a program of 10,000 resources registers tens of megabytes.
require("@pulumi/pulumi/runtime/settings").waitForRPCs().then(() => {
  require("fs").writeFileSync("registered.json", JSON.stringify(registered));
}, (err) => { console.error(err); process.exit(1); });
`;

/**
 * A project folder. `library` is what node_modules/pulumi-tencent-chat points at: this
 * repository by default, another folder to stand for another installed version, or
 * `null` for a project whose dependencies were never installed.
 */
export function createProject(library: string | null = REPO): PulumiProject {
  const entry = path.join(REPO, "dist", "provider", "entry.bundle.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first (npm test does)`);
  const dir = mkdtempSync(path.join(tmpdir(), "chat-project-"));
  mkdirSync(path.join(dir, "node_modules"));
  if (library) symlinkSync(library, path.join(dir, "node_modules", "pulumi-tencent-chat"), "dir");
  symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "chat-project", private: true }));
  return openProject(dir);
}

/** A project folder whose node_modules are already in place (e.g. installed by npm). */
export function openProject(dir: string): PulumiProject {
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: chat-project\nruntime: nodejs\n");
  writeFileSync(path.join(dir, "run-mocked.js"), MOCK_RUNNER);
  return {
    dir,
    async run(program, env = {}, options = {}) {
      writeFileSync(path.join(dir, "program.js"), options.typescript ? transpile(program) : program);
      // Pulumi reads a program's stack config from PULUMI_CONFIG, as the language host sets it.
      const config: Record<string, string> = options.config ? { PULUMI_CONFIG: JSON.stringify(options.config) } : {};
      const output = path.join(dir, "registered.json");
      rmSync(output, { force: true });
      await promisify(execFile)(process.execPath, ["run-mocked.js"], { cwd: dir, env: cleanEnv({ ...env, ...config }), maxBuffer: 64 * 1024 * 1024 });
      return JSON.parse(readFileSync(output, "utf8")) as RegisteredResource[];
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment without Tencent credentials, so only what a test passes is used. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TENCENT_CHAT_")) env[k] = v;
  return { ...env, ...childCoverageEnv({ exitOnSigterm: true }), ...extra };
}

/** TypeScript to CommonJS, as Pulumi's Node.js runtime compiles a TypeScript program. */
export function transpile(source: string): string {
  // Loaded on demand: only TypeScript programs need the compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
}
