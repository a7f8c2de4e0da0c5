/**
 * The secret key and every UserSig sent stay out of everything a user can print or receive:
 * the stack's state, errors through Pulumi's provider host (whatever the service echoes, in
 * any form), the host's output, printouts of the package's objects and what it keeps on
 * `globalThis`, the sweeper's output and the emulator's logs.
 *
 * A recording proxy stands between the provider and an emulator process: it notes every
 * UserSig sent, and for some commands answers itself, echoing the signature back.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { inspect, promisify } from "node:util";

import { request } from "undici";

import { EmulatorControl } from "../../emulator/control-client";
import { type SpawnedEmulator, spawnEmulator } from "../../harness/emulator-process";
import { MiniEngine } from "../../harness/engine";
import { cleanEnv, createProject, type PulumiProject, REPO } from "../../harness/project";
import { type HostCallError, ProviderHost, pulumiSecret } from "../../harness/provider-host";
import { ChatClient } from "../../provider/client/client";
import { isChatApiError } from "../../provider/client/errors";
import { sharedRateLimiter } from "../../provider/client/rate-limiter";
import { resourceProvider } from "../../provider/entry";
import { ADMIN, TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { CHAT_ACCOUNT_TYPE, CHAT_GROUP_MEMBER_TYPE, CHAT_GROUP_TYPE, seedOf, urnOf } from "../helpers/stack";

/** How the proxy answers a command itself, echoing the signature it was sent. */
const ECHOES: Record<string, (sig: string, url: string) => { status: number; body: string }> = {
  destroy_group: (sig) => ({
    status: 200,
    body: JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 70003, ErrorInfo: `usersig ${sig} could not be parsed` }),
  }),
  modify_group_base_info: (sig) => ({
    status: 200,
    body: JSON.stringify({
      ActionStatus: "FAIL",
      ErrorCode: 10004,
      ErrorInfo: JSON.stringify({ usersig: sig, field: "Name" }),
    }),
  }),
  change_group_owner: (_sig, url) => ({ status: 502, body: `<html><pre>bad gateway for ${url}</pre></html>` }),
  get_appid_group_list: (sig) => ({
    status: 200,
    body: JSON.stringify({
      ActionStatus: "FAIL",
      ErrorCode: 70009,
      ErrorInfo: `key mismatch for usersig%3D${encodeURIComponent(sig)}`,
    }),
  }),
};

interface Proxy {
  url: string;
  sigs: Set<string>;
  echo: boolean;
  close(): Promise<void>;
}

async function recordingProxy(target: string): Promise<Proxy> {
  const proxy: Proxy = { url: "", sigs: new Set(), echo: false, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "/";
      const sig = new URL(url, "http://x").searchParams.get("usersig");
      if (sig) proxy.sigs.add(sig);
      const command = url.split("?")[0].split("/").pop() ?? "";
      const echo = proxy.echo && Object.hasOwn(ECHOES, command) ? ECHOES[command](sig ?? "", url) : undefined;
      if (echo) {
        res.writeHead(echo.status, { "content-type": "application/json" });
        return res.end(echo.body);
      }
      request(`${target}${url}`, {
        method: req.method as "POST",
        body: Buffer.concat(chunks),
        headers: { "content-type": "application/json" },
      }).then(
        async (answer) => {
          res.writeHead(answer.statusCode, { "content-type": "application/json" });
          res.end(await answer.body.text());
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}

let emulator: SpawnedEmulator;
let proxy: Proxy;
let project: PulumiProject;
let host: ProviderHost;
/** Everything a user could see, gathered channel by channel. */
const seen: { channel: string; text: string }[] = [];
const see = (channel: string, value: unknown) =>
  seen.push({
    channel,
    text:
      typeof value === "string"
        ? value
        : inspect(value, { depth: 8, showHidden: false }) + JSON.stringify(value ?? null),
  });

beforeAll(async () => {
  emulator = await spawnEmulator(["--sdkappid", String(TEST_SDKAPPID), "--rate-limit", "0"], {
    TENCENT_CHAT_SECRET_KEY: TEST_KEY,
  });
  proxy = await recordingProxy(emulator.url);
  project = createProject();
  host = await ProviderHost.start(project.dir);
  await host.configure({
    "tencent-chat:sdkAppId": String(TEST_SDKAPPID),
    "tencent-chat:secretKey": pulumiSecret(TEST_KEY),
    "tencent-chat:endpoint": proxy.url,
    "tencent-chat:maxAttempts": "2",
  });
});
afterAll(async () => {
  await host?.stop();
  project?.remove();
  await proxy?.close();
  emulator?.child.kill("SIGTERM");
  await emulator?.exited;
});

it("keeps the key and every UserSig sent out of every channel a user can read", async () => {
  const resources = await project.run(`
    const { ChatAccount, ChatGroup, ChatGroupMember } = require("pulumi-tencent-chat");
    const owner = new ChatAccount("owner", { userIdPrefix: "s-", nick: "Owner" });
    const bot = new ChatAccount("bot", { userIdPrefix: "s-" });
    const room = new ChatGroup("room", { type: "Public", name: "room", ownerAccount: owner.userId });
    new ChatGroup("other", { type: "Public", name: "other" });
    new ChatGroupMember("bot-in-room", { groupId: room.groupId, account: bot.userId, nameCard: "Bot" });
  `);
  see("__provider", resources.map((r) => r.inputs.__provider).join("\n"));

  // State, through up, refresh and an export.
  const engine = new MiniEngine(host);
  await engine.up(resources);
  await engine.refresh();
  see("state", engine.exportStack());

  // Errors through the host, with the service echoing the signature in four forms.
  proxy.echo = true;
  const errors: HostCallError[] = [];
  const catchError = (e: HostCallError) => void errors.push(e);
  const membership = engine.state.get("bot-in-room");
  await host
    .delete(urnOf("bot-in-room", CHAT_GROUP_MEMBER_TYPE), membership?.id as string, membership?.outputs ?? {})
    .catch(catchError);
  const room = engine.state.get("room");
  await host.delete(urnOf("room"), room?.id as string, room?.outputs ?? {}).catch(catchError);
  const renamed = { ...resources.find((r) => r.name === "other")?.inputs, name: "renamed" };
  await engine.apply({ name: "other", type: CHAT_GROUP_TYPE, inputs: renamed }).catch(catchError);
  await engine
    .apply({
      name: "room",
      type: CHAT_GROUP_TYPE,
      inputs: {
        ...resources.find((r) => r.name === "room")?.inputs,
        ownerAccount: engine.state.get("owner")?.id,
        name: "room",
      },
    })
    .catch(catchError);
  const withNewOwner = {
    type: "Public",
    name: "moved",
    ownerAccount: "administrator",
    idSeed: seedOf("x"),
    __provider: resources.find((r) => r.name === "room")?.inputs.__provider,
  };
  await host
    .check(urnOf("x"), {}, withNewOwner)
    .then((c) => host.create(urnOf("x"), c.inputs))
    .catch(catchError);
  await host
    .check(
      urnOf("acct", CHAT_ACCOUNT_TYPE),
      {},
      {
        userId: "administrator",
        idSeed: seedOf("acct", CHAT_ACCOUNT_TYPE),
        __provider: resources[0].inputs.__provider,
      },
    )
    .then((c) => see("check failures", c.failures));
  expect(errors.length).toBeGreaterThanOrEqual(2);
  for (const e of errors) see("errors through the host", [e.message, JSON.stringify(e.initFailed ?? {})].join("\n"));
  see("host output", host.printed);

  // Printouts of the package's objects, in this process, after calls that failed with echoes.
  const client = new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: proxy.url,
    maxAttempts: 1,
  });
  const failure = await client.listGroups().catch((e: unknown) => e);
  expect(isChatApiError(failure)).toBe(true);
  see("a client", client);
  see("a client's error", [
    String(failure),
    inspect(failure, { depth: 8 }),
    JSON.stringify(failure),
    (failure as Error).stack,
  ]);
  see("the shared limiter", sharedRateLimiter({ sdkAppId: TEST_SDKAPPID, baseUrl: proxy.url }, {}));
  const provider = resourceProvider("ChatGroup", 1);
  await provider.configure?.({
    config: {
      get: (key: string) =>
        ({ "tencent-chat:secretKey": TEST_KEY, "tencent-chat:sdkAppId": String(TEST_SDKAPPID) })[key],
    },
  } as never);
  see("a provider", provider);
  for (const symbol of Object.getOwnPropertySymbols(globalThis).filter((s) =>
    String(s).includes("pulumi-tencent-chat"),
  )) {
    see(`globalThis[${String(symbol)}]`, (globalThis as unknown as Record<symbol, unknown>)[symbol]);
  }

  // The sweeper, with the key on its command line, against echoing answers.
  const stateFile = path.join(project.dir, "stack.json");
  writeFileSync(stateFile, JSON.stringify(engine.exportStack()));
  for (const args of [
    ["--prefix", "pulumi-"],
    ["--orphans", "--state", stateFile, "--json"],
    ["--prefix", "pulumi-", "--sdkappid", TEST_KEY],
  ]) {
    const run = await promisify(execFile)(
      process.execPath,
      [
        path.join(REPO, "dist/provider/sweeper/cli.js"),
        ...args,
        "--secret-key",
        TEST_KEY,
        "--endpoint",
        proxy.url,
        "--sdkappid",
        String(TEST_SDKAPPID),
      ].slice(0, args.includes("--sdkappid") ? -2 : undefined),
      { env: cleanEnv() },
    ).then(
      (r) => r,
      (e: { stdout: string; stderr: string }) => e,
    );
    see("sweeper output", `${run.stdout}\n${run.stderr}`);
  }

  // The emulator's request log and its own output.
  proxy.echo = false;
  see("emulator request log", await new EmulatorControl(emulator.url).requests());
  see("emulator output", emulator.output());

  // The search: the key, every signature the proxy saw, and a long piece of each.
  expect(proxy.sigs.size).toBeGreaterThanOrEqual(1);
  const needles = [TEST_KEY, ...[...proxy.sigs].flatMap((sig) => [sig, sig.slice(0, 40), encodeURIComponent(sig)])];
  const found = seen.flatMap(({ channel, text }) =>
    needles.filter((n) => text.includes(n)).map((n) => `${channel}: ${n.slice(0, 12)}…`),
  );
  console.log(
    `Secrets: searched ${seen.length} printouts in ${new Set(seen.map((s) => s.channel)).size} channels for the key and ${proxy.sigs.size} UserSigs sent: ${found.length} found`,
  );
  expect(found).toEqual([]);
  // And the searches can find what they look for: the echoes did carry the signatures.
  expect(seen.some((s) => s.text.includes("[redacted"))).toBe(true);
});
