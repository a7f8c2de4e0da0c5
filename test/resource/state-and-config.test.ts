/**
 * What Pulumi saves in state for a ChatGroup, and how the provider finds its credentials.
 *
 * @slow provider hosts started with each way of passing credentials
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { createProject, REPO } from "../../harness/project";
import { ProviderHost } from "../../harness/provider-host";
import { TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { secret, seedOf, TestStack, urnOf } from "../helpers/stack";

let emu: TestEmulator;
let providerText: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start();
  const project = createProject();
  cleanups.push(() => project.remove());
  // The program runs with credentials in its environment, as a CI job has them.
  const [group] = await project.run(
    `const { ChatGroup } = require("pulumi-tencent-chat");
     exports.group = new ChatGroup("g", { type: "Public", name: "n" });`,
    { TENCENT_CHAT_SECRET_KEY: TEST_KEY, TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID) },
  );
  providerText = group.inputs.__provider as string;
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await emu?.close();
});
beforeEach(() => emu.control.reset());

async function hostIn(projectDir: string, env: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await ProviderHost.start(projectDir, env);
  cleanups.push(() => host.stop());
  return host;
}

function project(library: string | null = REPO) {
  const p = createProject(library);
  cleanups.push(() => p.remove());
  return p;
}

const inputs = (args: Record<string, unknown>) => ({ ...args, idSeed: seedOf("g"), __provider: providerText });

describe("the __provider text in state", () => {
  it("is a small shim: under 2 KiB, naming one stable entry point and nothing else of the package", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThan(2048);
    // Node's own path and fs, to say where the package was found.
    expect([...new Set(providerText.match(/require(\.resolve)?\("[^"]+"\)/g))].sort()).toEqual([
      'require("fs")',
      'require("path")',
      'require("pulumi-tencent-chat/dynamic")',
      'require.resolve("pulumi-tencent-chat/dynamic")',
    ]);
    expect(providerText).not.toMatch(/dist\/|\/work\/|\.ts\b/);
  });

  it("holds no secret, even when the program ran with credentials in its environment", () => {
    expect(providerText).not.toContain(TEST_KEY);
    expect(providerText).not.toContain(String(TEST_SDKAPPID));
  });

  it("runs the implementation installed in the project, not the one that wrote it", async () => {
    // Another installed version: the real implementation, wrapped to mark what it returns.
    const library = mkdtempSync(path.join(tmpdir(), "chat-next-"));
    cleanups.push(() => rmSync(library, { recursive: true, force: true }));
    writeFileSync(
      path.join(library, "package.json"),
      JSON.stringify({ name: "pulumi-tencent-chat", version: "9.9.9", exports: { "./dynamic": "./entry.js" } }),
    );
    writeFileSync(
      path.join(library, "entry.js"),
      `const real = require(${JSON.stringify(path.join(REPO, "dist/provider/entry.js"))});
       exports.resourceProvider = (kind, contract) => {
         const p = real.resourceProvider(kind, contract);
         const create = p.create.bind(p);
         p.create = async (props) => { const r = await create(props); r.outs.installedVersion = "9.9.9"; return r; };
         return p;
       };`,
    );
    const host = await hostIn(project(library).dir);
    await host.configure(TestStack.configFor(emu));
    const checked = await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n", groupId: "v-next" }));
    const created = await host.create(urnOf("g"), checked.inputs);
    expect(created.outputs.installedVersion).toBe("9.9.9");
    // The text saved in state, sent back by destroy, reaches the installed version too.
    await host.delete(urnOf("g"), created.id, created.outputs);
    expect((await emu.control.state()).groups).toEqual([]);
  });

  it("says where it loaded the package from when the project's own node_modules lack it, once, and works", async () => {
    // A monorepo's hoisted dependencies, or a copy someone left in a folder above the project.
    const parent = mkdtempSync(path.join(tmpdir(), "chat-parent-"));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    mkdirSync(path.join(parent, "node_modules"));
    symlinkSync(REPO, path.join(parent, "node_modules", "pulumi-tencent-chat"), "dir");
    const nested = path.join(parent, "infra");
    mkdirSync(path.join(nested, "node_modules"), { recursive: true });
    symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(nested, "node_modules", "@pulumi"), "dir");
    const host = await hostIn(nested);
    await host.configure(TestStack.configFor(emu));
    const { id } = await host.create(
      urnOf("g"),
      (await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).inputs,
    );
    await host.delete(urnOf("g"), id, inputs({ type: "Public", name: "n", groupId: id }));
    const notices = host.printed.split("\n").filter((line) => line.includes("loaded the package from"));
    expect(notices).toEqual([expect.stringContaining(`not from this project's own node_modules (${nested})`)]);
    expect(notices[0]).toContain(`loaded the package from ${REPO}`);
  });

  it("says nothing of where the package is when the project's own node_modules hold it", async () => {
    const host = await hostIn(project().dir);
    await host.configure(TestStack.configFor(emu));
    await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }));
    expect(host.printed).not.toContain("loaded the package from");
  });

  it("says to run npm ci when the package is not installed in the project", async () => {
    const host = await hostIn(project(null).dir);
    await host.configure(TestStack.configFor(emu));
    await expect(host.delete(urnOf("g"), "some-group", inputs({ groupId: "some-group" }))).rejects.toThrow(
      /pulumi-tencent-chat cannot be loaded.*run `npm ci` in the project directory/,
    );
  });
});

describe("credentials and endpoint", () => {
  it("validates without credentials, and names both the config key and the variable when an operation needs them", async () => {
    const host = await hostIn(project().dir);
    await host.configure({});
    expect((await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).failures).toEqual([]);
    const err = (await host
      .create(urnOf("g"), (await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).inputs)
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain("tencent-chat:sdkAppId");
    expect(err.message).toContain("TENCENT_CHAT_SDKAPPID");
    expect(err.message).toContain("tencent-chat:secretKey");
    expect(err.message).toContain("TENCENT_CHAT_SECRET_KEY");
    expect(err.message).toContain("pulumi config set --secret tencent-chat:secretKey");
  });

  it("falls back to environment variables read when the operation runs", async () => {
    const host = await hostIn(project().dir, {
      TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID),
      TENCENT_CHAT_SECRET_KEY: TEST_KEY,
      TENCENT_CHAT_ENDPOINT: emu.url,
    });
    await host.configure({});
    const { id } = await host.create(
      urnOf("g"),
      (await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).inputs,
    );
    expect((await emu.control.state()).groups.map((g) => g.groupId)).toEqual([id]);
  });

  it("prefers stack config to the environment, and takes the secret key as a Pulumi secret", async () => {
    const host = await hostIn(project().dir, {
      TENCENT_CHAT_SECRET_KEY: "wrong-key-from-env",
      TENCENT_CHAT_ENDPOINT: emu.url,
    });
    await host.configure({
      "tencent-chat:sdkAppId": String(TEST_SDKAPPID),
      "tencent-chat:secretKey": secret(TEST_KEY),
    });
    await host.create(urnOf("g"), (await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).inputs);
    expect((await emu.control.requests("create_group")).map((r) => r.errorCode)).toEqual([0]);
  });

  it("signs as the configured identifier", async () => {
    const ops = await TestEmulator.start({ admin: "ops" });
    cleanups.push(() => ops.close());
    const host = await hostIn(project().dir);
    await host.configure({ ...TestStack.configFor(ops), "tencent-chat:identifier": "ops" });
    await host.create(urnOf("g"), (await host.check(urnOf("g"), {}, inputs({ type: "Public", name: "n" }))).inputs);
    expect((await ops.control.requests("create_group"))[0]).toMatchObject({
      errorCode: 0,
      query: { identifier: "ops" },
    });
  });

  it("refuses a plain-http endpoint off loopback before sending anything", async () => {
    const host = await hostIn(project().dir);
    await host.configure({ ...TestStack.configFor(emu), "tencent-chat:endpoint": "http://chat.example.com" });
    await expect(host.delete(urnOf("g"), "x", inputs({}))).rejects.toThrow(/plain http.*https/);
  });

  it("rejects an SDKAppID that is not a number, naming the setting", async () => {
    const host = await hostIn(project().dir);
    await host.configure({ ...TestStack.configFor(emu), "tencent-chat:sdkAppId": "my-app" });
    await expect(host.delete(urnOf("g"), "x", inputs({}))).rejects.toThrow(
      /tencent-chat:sdkAppId \/ TENCENT_CHAT_SDKAPPID must be the numeric SDKAppID/,
    );
  });
});

describe("the program side", () => {
  it("registers the issue's example as pulumi-nodejs:dynamic/tencent-chat:ChatGroup with every output as a property", async () => {
    const p = project();
    const [room] = await p.run(`
      const { ChatGroup } = require("pulumi-tencent-chat");
      const room = new ChatGroup("qa-room", { type: "Public", name: "QA room", introduction: "ephemeral" });
      for (const key of ["groupId", "type", "name", "ownerAccount", "members", "createTime", "memberCount", "maxMemberCount"]) {
        if (!room[key] || typeof room[key].apply !== "function") throw new Error("no output " + key);
      }
      exports.room = room;
    `);
    expect(room).toMatchObject({ type: "pulumi-nodejs:dynamic/tencent-chat:ChatGroup", name: "qa-room" });
    expect(room.inputs).toMatchObject({ type: "Public", name: "QA room", introduction: "ephemeral" });
  });
});
