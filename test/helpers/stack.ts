/**
 * A whole test stack: the emulator, a Pulumi project folder, Pulumi's provider host
 * running in it, and the engine's side of up/refresh/destroy.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import type { EmulatorOptions } from "../../emulator/server";
import { MiniEngine, type Registration } from "../../harness/engine";
import type { PulumiProject, RegisteredOptions } from "../../harness/project";
import { createProject, REPO, resourceUrn } from "../../harness/project";
import { type Props, ProviderHost, pulumiSecret as secret } from "../../harness/provider-host";
import { TEST_KEY, TEST_SDKAPPID, TestEmulator } from "./emulator";

export { pulumiSecret as secret } from "../../harness/provider-host";

/** The type tokens of this package's resources. */
export const CHAT_GROUP_TYPE = "pulumi-nodejs:dynamic/tencent-chat:ChatGroup";
export const CHAT_ACCOUNT_TYPE = "pulumi-nodejs:dynamic/tencent-chat:ChatAccount";
export const CHAT_TOPIC_TYPE = "pulumi-nodejs:dynamic/tencent-chat:ChatTopic";
export const CHAT_GROUP_MEMBER_TYPE = "pulumi-nodejs:dynamic/tencent-chat:ChatGroupMember";

/** The URN of a resource of the test project, a ChatGroup unless `type` says otherwise. */
export const urnOf = (name: string, type = CHAT_GROUP_TYPE) => resourceUrn(type, name);

/** The seed the resource class derives for a resource of this test project (organization/URN). */
export const seedOf = (name: string, type = CHAT_GROUP_TYPE) => `organization/${urnOf(name, type)}`;

export interface StackOptions {
  /** Stack config sent to Configure. @default the emulator's credentials and endpoint */
  config?: Record<string, unknown>;
  /** Settings added to the default config, e.g. `tencent-chat:maxAttempts`; a function when they need the emulator. */
  extraConfig?: Record<string, unknown> | ((emu: TestEmulator) => Record<string, unknown>);
  /** Environment of the host process. */
  env?: Record<string, string>;
  emulator?: Partial<EmulatorOptions>;
}

export class TestStack {
  private constructor(
    readonly emu: TestEmulator,
    readonly project: PulumiProject,
    readonly host: ProviderHost,
    readonly engine: MiniEngine,
    /** The `__provider` text a program produced for ChatGroup. */
    readonly providerText: string,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const emu = await TestEmulator.start(options.emulator);
    const project = createProject();
    const host = await ProviderHost.start(project.dir, options.env);
    const extra = typeof options.extraConfig === "function" ? options.extraConfig(emu) : options.extraConfig;
    await host.configure(options.config ?? { ...TestStack.configFor(emu), ...extra });
    return new TestStack(emu, project, host, new MiniEngine(host), await providerText(project));
  }

  static configFor(emu: TestEmulator): Record<string, unknown> {
    return {
      "tencent-chat:sdkAppId": String(TEST_SDKAPPID),
      "tencent-chat:secretKey": secret(TEST_KEY),
      "tencent-chat:endpoint": emu.url,
    };
  }

  /** The inputs a program registers for a ChatGroup named `name` with these arguments. */
  inputs(args: Props, name = "g"): Props {
    return { ...args, idSeed: seedOf(name), __provider: this.providerText };
  }

  /** The registration a program makes for a ChatGroup named `name` with these arguments and options. */
  registration(name: string, args: Props, options: RegisteredOptions = {}): Registration {
    return { name, type: CHAT_GROUP_TYPE, inputs: this.inputs(args, name), options };
  }

  /**
   * `pulumi up` of one group, as its own deployment (what it replaced is deleted at the end);
   * returns its state. `replace` is `pulumi up --replace` of it.
   */
  async up(name: string, args: Props, options: { replace?: boolean; options?: RegisteredOptions } = {}) {
    const state = await this.engine.apply(this.registration(name, args, options.options), { replace: options.replace });
    await this.engine.deleteReplaced();
    return state;
  }

  async close(): Promise<void> {
    await this.host.stop();
    this.project.remove();
    await this.emu.close();
  }
}

/**
 * One stack for a test file: started before its tests, closed after them, and before each
 * test the emulator and the engine's state emptied and `prepare` run.
 */
export function useStack(prepare?: (stack: TestStack) => Promise<void>, options?: StackOptions): () => TestStack {
  let stack: TestStack | undefined;
  const current = (): TestStack => {
    if (!stack) throw new Error("the test stack did not start");
    return stack;
  };
  beforeAll(async () => {
    stack = await TestStack.start(options);
  });
  afterAll(() => stack?.close());
  beforeEach(async () => {
    await current().emu.control.reset();
    current().engine.state.clear();
    await prepare?.(current());
  });
  return current;
}

/**
 * The `__provider` text a program produces for a resource kind. Running a program takes a
 * second of CPU, and the text depends only on the built code that writes it: it is made once
 * per build and kept in the temp folder under a hash of that code.
 */
export async function providerText(
  project: PulumiProject,
  kind: "ChatGroup" | "ChatAccount" | "ChatTopic" | "ChatGroupMember" = "ChatGroup",
): Promise<string> {
  const { folder, args } = {
    ChatGroup: { folder: "chat-group", args: `{ type: "Public", name: "g" }` },
    ChatAccount: { folder: "chat-account", args: `{ userId: "a" }` },
    ChatTopic: { folder: "chat-topic", args: `{ groupId: "@TGS#_g", topicName: "t" }` },
    ChatGroupMember: { folder: "chat-group-member", args: `{ groupId: "g", account: "a" }` },
  }[kind];
  const writers = [
    ["program", "shim.js"],
    ["common", "identity.js"],
  ].map(([folder, file]) => readFileSync(path.join(REPO, "dist", "provider", folder, file)));
  const hash = createHash("sha256")
    .update(Buffer.concat([...writers, readFileSync(path.join(REPO, "dist", "provider", folder, "resource.js"))]))
    .digest("hex");
  const cached = path.join(tmpdir(), `pulumi-tencent-chat-provider-text-${kind}-${hash.slice(0, 16)}`);
  if (existsSync(cached)) return readFileSync(cached, "utf8");
  const [resource] = await project.run(`
    const { ${kind} } = require("pulumi-tencent-chat");
    exports.resource = new ${kind}("r", ${args});
  `);
  const text = resource.inputs.__provider as string;
  const partial = `${cached}.${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, cached);
  return text;
}
