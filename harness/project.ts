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

/** The resource options the engine acts on, as a program registered them. */
export interface RegisteredOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Set only when the program set it: it overrides the provider's Diff either way. */
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  /** Names this resource was known by before (`aliases`). */
  aliases?: string[];
  /** The name of the resource whose deletion deletes this one (`deletedWith`). */
  deletedWith?: string;
  /** `replacementTrigger`: a change of this value replaces the resource. */
  replacementTrigger?: unknown;
  /** `import`: the ID of an existing object to adopt. */
  importId?: string;
}

export interface RegisteredResource {
  type: string;
  name: string;
  /** The resource's URN, parents' types included. */
  urn: string;
  inputs: Record<string, unknown>;
  /** Names of the resources this one depends on, as the program told the engine. */
  dependsOn: string[];
  /** For each input property that takes another resource's output, the names of those resources. */
  propertyDependencies: Record<string, string[]>;
  /** Set for a resource the program reads rather than manages (`ChatGroup.get`). */
  id?: string;
  options: RegisteredOptions;
}

export interface PulumiProject {
  dir: string;
  /**
   * Runs `program` (JavaScript, or TypeScript when `typescript` is set) under mocks, with
   * `config` as its stack config; returns the resources it registered.
   */
  run(
    program: string,
    env?: Record<string, string>,
    options?: { typescript?: boolean; config?: Record<string, unknown> },
  ): Promise<RegisteredResource[]>;
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
const runtimeResource = require("@pulumi/pulumi/runtime/resource");
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const registered = [];
const requests = new Map();
const outputKeys = new Map();
const nameOf = (urn) => urn.split("::").pop();
const typeOf = (urn) => urn.split("::")[2];
// The properties a resource class declares without a value are its outputs: those the provider
// decides. Record them on the way in, so that the mock can stand for them.
const undeclared = (props) => Object.keys(props || {}).filter((k) => props[k] === undefined);
const register = runtimeResource.registerResource;
runtimeResource.registerResource = function (res, parent, t, name, custom, remote, newDependency, props, ...rest) {
  outputKeys.set(t + "::" + name, undeclared(props));
  return register.call(this, res, parent, t, name, custom, remote, newDependency, props, ...rest);
};
const read = runtimeResource.readResource;
runtimeResource.readResource = function (res, parent, t, name, props, ...rest) {
  outputKeys.set(t + "::" + name, undeclared(props));
  return read.call(this, res, parent, t, name, props, ...rest);
};
// The mock hides what the program told the engine besides the inputs; record it on the way in.
const monitorRegister = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
  requests.set(req.getType() + "::" + req.getName(), req);
  return monitorRegister.call(this, req, callback);
};
function optionsOf(req) {
  if (!req) return {};
  const options = {};
  if (req.getProtect()) options.protect = true;
  if (req.getRetainondelete()) options.retainOnDelete = true;
  if (req.getDeletebeforereplacedefined()) options.deleteBeforeReplace = req.getDeletebeforereplace();
  if (req.getIgnorechangesList().length) options.ignoreChanges = req.getIgnorechangesList();
  if (req.getReplaceonchangesList().length) options.replaceOnChanges = req.getReplaceonchangesList();
  const aliases = [
    ...req.getAliasesList().map((a) => (a.getUrn() ? nameOf(a.getUrn()) : a.getSpec() && a.getSpec().getName())),
    ...req.getAliasurnsList().map(nameOf),
  ].filter(Boolean);
  if (aliases.length) options.aliases = [...new Set(aliases)];
  if (req.getDeletedwith()) options.deletedWith = nameOf(req.getDeletedwith());
  if (req.hasReplacementTrigger && req.hasReplacementTrigger()) options.replacementTrigger = req.getReplacementTrigger().toJavaScript();
  if (req.getImportid()) options.importId = req.getImportid();
  return options;
}
function urnOf(req, type, name) {
  const parent = req && req.getParent();
  const qualified = parent && typeOf(parent) !== "pulumi:pulumi:Stack" ? typeOf(parent) + "$" + type : type;
  return "urn:pulumi:test::chat-project::" + qualified + "::" + name;
}
pulumi.runtime.setMocks({
  newResource(args) {
    const req = requests.get(args.type + "::" + args.name);
    const dependsOn = req ? req.getDependenciesList().map(nameOf) : [];
    const propertyDependencies = {};
    if (req) req.getPropertydependenciesMap().forEach((deps, property) => { propertyDependencies[property] = deps.getUrnsList().map(nameOf); });
    registered.push({
      type: args.type, name: args.name, urn: urnOf(req, args.type, args.name), inputs: args.inputs, dependsOn, propertyDependencies,
      id: args.id || undefined, options: optionsOf(req),
    });
    const state = { ...args.inputs };
    for (const key of outputKeys.get(args.type + "::" + args.name) || []) if (state[key] === undefined) state[key] = "${OUTPUT_REF}" + args.name + "." + key;
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

/** The URN of a resource of this harness's project and stack (`urn:pulumi:test::chat-project::<type>::<name>`). */
export function resourceUrn(type: string, name: string): string {
  return `urn:pulumi:test::chat-project::${type}::${name}`;
}

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
      await promisify(execFile)(process.execPath, ["run-mocked.js"], {
        cwd: dir,
        env: cleanEnv({ ...env, ...config }),
        maxBuffer: 64 * 1024 * 1024,
      });
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
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}
