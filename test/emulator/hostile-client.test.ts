/**
 * The emulator against clients that misbehave: requests that never finish, bodies too large
 * or too many at once, signatures built to inflate, command names that are Object's own
 * properties, numbers beyond a double, misspelt control settings and CLI flags, an unusable
 * state file. Each is answered in the service's shape, in bounded time and memory, or refused
 * at start naming what is wrong.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { deflateSync } from "node:zlib";

import { request } from "undici";

import { EmulatorControl } from "../../emulator/control-client";
import { SERVICES } from "../../emulator/operations";
import { spawnEmulator } from "../../harness/emulator-process";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { ADMIN, sign, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";

const REQUEST_TIMEOUT_MS = 300;
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ requestTimeoutMs: REQUEST_TIMEOUT_MS, maxBufferedBytes: 2 * 1024 * 1024 });
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const port = () => Number(new URL(emu.url).port);
const query = (sig = sign()) =>
  new URLSearchParams({
    sdkappid: String(TEST_SDKAPPID),
    identifier: ADMIN,
    usersig: sig,
    random: "7",
    contenttype: "json",
  });

/** Writes `text` on a raw connection and returns everything the emulator sends back until it closes. */
function rawExchange(text: string, { keepOpen = true } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = net.connect(port(), "127.0.0.1", () => {
      socket.write(text);
      if (!keepOpen) socket.end();
    });
    socket.on("data", (d) => (answer += d.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

const bodyOf = (answer: string) =>
  JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { ErrorCode: number; ErrorInfo: string };

describe("requests that never finish", () => {
  it("answers a request whose headers never end with 408 in the service's shape, then closes", async () => {
    const answer = await rawExchange("POST /v4/group_open_http_svc/get_group_info HTTP/1.1\r\nHost: x\r\n");
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(bodyOf(answer)).toMatchObject({
      ErrorCode: 60002,
      ErrorInfo: expect.stringContaining(`${REQUEST_TIMEOUT_MS} ms`),
    });
  });

  it("answers a body that stops half-way with 408 in the service's shape", async () => {
    const answer = await rawExchange(
      `POST /v4/group_open_http_svc/get_group_info?${query()} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"GroupIdList":`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(bodyOf(answer)).toMatchObject({ ErrorCode: 60002 });
  });
});

describe("bodies too large, or too many at once", () => {
  it("refuses a body over 1 MiB with 413", async () => {
    const res = await request(`${emu.url}/v4/group_open_http_svc/get_group_info?${query()}`, {
      method: "POST",
      body: "x".repeat(1024 * 1024 + 1),
    });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as { ErrorCode: number }).ErrorCode).toBe(60002);
  });

  it("answers 503 once the bodies being read would hold more than the memory allowed, and serves again after", async () => {
    // Three bodies of 900 KiB, each stopping short of its declared length: 2 MiB are allowed in all.
    const chunk = "x".repeat(900 * 1024);
    const head = `POST /v4/group_open_http_svc/get_group_info?${query()} HTTP/1.1\r\nHost: x\r\nContent-Length: ${1000 * 1024}\r\n\r\n`;
    const answers = await Promise.all([0, 1, 2].map(() => rawExchange(head + chunk)));
    const statuses = answers.map((a) => Number(/^HTTP\/1.1 (\d+)/.exec(a)?.[1])).sort();
    expect(statuses).toEqual([408, 408, 503]);
    const after = await emu.raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] });
    expect(after.json.ErrorCode).toBe(0);
  });
});

describe("signatures built to inflate", () => {
  const bomb = (bytes: number) =>
    deflateSync(Buffer.alloc(bytes, 0x20))
      .toString("base64")
      .replace(/\+/g, "*")
      .replace(/\//g, "-")
      .replace(/=/g, "_");

  it.each([
    ["13.7 KB that inflates to 10 MB", 10 * 1024 * 1024],
    ["3 KB that inflates to 3 MB", 3 * 1024 * 1024],
  ])("refuses a UserSig of %s as malformed (70003) without inflating it all", async (_label, bytes) => {
    const sig = bomb(bytes);
    const res = await emu.raw(
      "group_open_http_svc",
      "get_group_info",
      { GroupIdList: ["x"] },
      { query: { usersig: sig } },
    );
    expect(res.json.ErrorCode).toBe(70003);
  });

  it("keeps serving others while 200 of them arrive", async () => {
    const sig = bomb(10 * 1024 * 1024);
    const bombs = Array.from({ length: 200 }, () =>
      emu.raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] }, { query: { usersig: sig } }),
    );
    const good = await emu.raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] });
    expect(good.json.ErrorCode).toBe(0);
    // Each is refused: as malformed (70003), or, on a machine too busy to read them all within
    // this emulator's 300 ms request timeout, as late (408, 60002). None is served.
    const answers = await Promise.all(bombs);
    expect(
      answers.filter((r) => !(r.json.ErrorCode === 70003 || (r.status === 408 && r.json.ErrorCode === 60002))),
    ).toEqual([]);
    expect(answers.some((r) => r.json.ErrorCode === 70003)).toBe(true);
  });
});

describe("names and numbers meant to confuse", () => {
  it.each(["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"])(
    "answers the command %s with 10003",
    async (command) => {
      expect((await emu.raw("group_open_http_svc", command)).json.ErrorCode).toBe(10003);
    },
  );

  it.each(["constructor", "toString"])("answers the service %s with 60009", async (service) => {
    expect((await emu.raw(service, "get_group_info")).json.ErrorCode).toBe(60009);
  });

  it.each([
    ["Limit 1e400", '{"Limit":1e400}'],
    ["Limit -1", '{"Limit":-1}'],
    ["Limit 10001", '{"Limit":10001}'],
    ["Limit as text", '{"Limit":"10"}'],
    ["Next below zero", '{"Next":-1}'],
  ])("answers get_appid_group_list with %s with 10004", async (_label, rawBody) => {
    expect((await emu.raw("group_open_http_svc", "get_appid_group_list", undefined, { rawBody })).json.ErrorCode).toBe(
      10004,
    );
  });
});

describe("a fault inside an operation", () => {
  it("is answered 10002 and logged with its stack", async () => {
    const destroy = SERVICES.group_open_http_svc.destroy_group;
    const run = destroy.run;
    const logged: unknown[][] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
    destroy.run = () => {
      throw new TypeError("a bug in destroy_group");
    };
    try {
      expect((await emu.raw("group_open_http_svc", "destroy_group", { GroupId: "x" })).json.ErrorCode).toBe(10002);
      const [text, err] = logged[0] ?? [];
      expect(text).toContain("destroy_group failed unexpectedly");
      expect(String((err as Error).stack)).toContain("a bug in destroy_group");
    } finally {
      destroy.run = run;
      spy.mockRestore();
    }
  });
});

describe("control endpoints refuse what they do not know", () => {
  it.each([
    [
      "a fault for a misspelt command",
      () => emu.control.addFault({ command: "destroy_gruop", action: { kind: "drop" } }),
      /unknown command "destroy_gruop"/,
    ],
    [
      "an unknown key in a fault action",
      () => emu.control.addFault({ command: "destroy_group", action: { kind: "drop", ms: 5 } as never }),
      /400/,
    ],
    [
      "random faults for an unknown command",
      () => emu.control.setRandomFaults({ rate: 0.5, commands: ["create_grup"] }),
      /commands must name commands/,
    ],
    ["an unknown config key", () => emu.control.configure({ ratelimit: 5 } as never), /Unrecognized key.*ratelimit/],
    [
      "a rate limit for an unknown command",
      () => emu.control.configure({ rateLimits: { destroy_gruop: 1 } }),
      /unknown command "destroy_gruop"/,
    ],
  ])("refuses %s with 400", async (_label, call, message) => {
    await expect(call()).rejects.toThrow(message);
  });
});

describe("the tencent-chat-emulator bin", () => {
  const ENV = { TENCENT_CHAT_SECRET_KEY: TEST_KEY };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "chat-emulator-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [["--sdkappid", "0"], /--sdkappid must be a whole number from 1/],
    [["--command-rate-limit", "foo"], /--command-rate-limit takes <command>=<calls per second>/],
    [["--command-rate-limit", "destroy_gruop=5"], /serves no command destroy_gruop/],
    [["--port", "70000"], /--port must be a whole number from 0 to 65535/],
    [["--plan", "gold"], /--plan must be one of trial, pro, pro-plus, enterprise/],
  ])("refuses %j, naming the flag", async (args, message) => {
    await expect(spawnEmulator(args, ENV)).rejects.toThrow(message);
  });

  it("refuses a pasted secret as --sdkappid without printing it", async () => {
    const err = (await spawnEmulator(["--sdkappid", TEST_KEY], ENV).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/--sdkappid must be a whole number.*not repeated here/);
    expect(err.message).not.toContain(TEST_KEY);
  });

  it("refuses to start on a state file it cannot write, naming it", async () => {
    const file = path.join(dir, "no-such-folder", "state.json");
    await expect(spawnEmulator(["--state-file", file], ENV)).rejects.toThrow(
      new RegExp(`cannot write the state file ${file}: ENOENT`),
    );
    const blocker = path.join(dir, "a-file");
    writeFileSync(blocker, "");
    await expect(spawnEmulator(["--state-file", path.join(blocker, "state.json")], ENV)).rejects.toThrow(
      /state file .*a-file\/state.json: ENOTDIR/,
    );
  });

  it.each([
    ["not JSON", "{ groups: ", /is not valid JSON/],
    [
      "JSON of another shape",
      JSON.stringify({ version: 2, groups: [] }),
      /is not an emulator state \(version: version must be 1/,
    ],
  ])("refuses to start on a state file that is %s, naming it", async (_label, text, message) => {
    const file = path.join(dir, "state.json");
    writeFileSync(file, text);
    const err = (await spawnEmulator(["--state-file", file], ENV).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(file);
    expect(err.message).toMatch(message);
  });

  it("removes the temporary files a killed emulator left", async () => {
    const file = path.join(dir, "state.json");
    writeFileSync(path.join(dir, ".state.json.4242.tmp"), "half a write");
    const running = await spawnEmulator(["--state-file", file], ENV);
    try {
      expect(readdirSync(dir)).toEqual(["state.json"]);
    } finally {
      running.child.kill("SIGTERM");
      await running.exited;
    }
  });

  it("prints a URL clients can use when it listens on every address, and warns that its control endpoints answer anyone", async () => {
    const running = await spawnEmulator(["--host", "0.0.0.0"], ENV);
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ChatClient({
        sdkAppId: 1400000000,
        secretKey: TEST_KEY,
        endpoint: running.url,
        rateLimiter: new RateLimiter(),
      });
      expect(await client.getGroupInfo(["x"])).toHaveLength(1);
      expect(await new EmulatorControl(running.url).config()).toMatchObject({ rateLimit: 200 });
      await waitForOutput(running, /control endpoints/);
      expect(running.output()).toMatch(
        /Warning: its control endpoints \(\/emulator\/v1\/: reset, state, faults\) answer anyone who can reach this port; start it with --control-token/,
      );
    } finally {
      running.child.kill("SIGTERM");
      await running.exited;
    }
  });

  it("requires its control token when started with one, and says so", async () => {
    const running = await spawnEmulator(["--host", "0.0.0.0"], {
      ...ENV,
      TENCENT_CHAT_EMULATOR_CONTROL_TOKEN: "ctl-token-1",
    });
    try {
      await expect(new EmulatorControl(running.url).reset()).rejects.toThrow(
        /401 this emulator's control endpoints need its control token/,
      );
      await expect(new EmulatorControl(running.url, { token: "wrong-token" }).state()).rejects.toThrow(/401/);
      expect(await new EmulatorControl(running.url, { token: "ctl-token-1" }).config()).toMatchObject({
        rateLimit: 200,
      });
      await waitForOutput(running, /control endpoints/);
      expect(running.output()).toContain("Its control endpoints (/emulator/v1/) require the control token");
      expect(running.output()).not.toContain("ctl-token-1");
    } finally {
      running.child.kill("SIGTERM");
      await running.exited;
    }
  });

  it("keeps its memory bounded under unsigned half-MiB requests: 200 of them, with a 64 MB heap", async () => {
    const running = await spawnEmulator([], ENV, ["--max-old-space-size=64"]);
    try {
      const body = JSON.stringify({ GroupIdList: ["x".repeat(512 * 1024)] });
      for (let i = 0; i < 200; i++) {
        const res = await request(
          `${running.url}/v4/group_open_http_svc/get_group_info?sdkappid=1&identifier=x&usersig=unsigned&random=1&contenttype=json`,
          { method: "POST", body },
        );
        await res.body.text();
      }
      const client = new ChatClient({
        sdkAppId: 1400000000,
        secretKey: TEST_KEY,
        endpoint: running.url,
        rateLimiter: new RateLimiter(),
      });
      expect(await client.getGroupInfo(["x"])).toHaveLength(1);
      expect(running.child.exitCode).toBeNull();
    } finally {
      running.child.kill("SIGTERM");
      await running.exited;
    }
  });
});

/** Waits until the emulator has printed what matches: its notices follow the line with its URL. */
async function waitForOutput(running: { output(): string }, pattern: RegExp): Promise<void> {
  while (!pattern.test(running.output())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("faults scripted for this app", () => {
  it("are taken only by requests signed for it: one for another SDKAppID, or unsigned, leaves them", async () => {
    await emu.control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 10002 } });
    const other = await emu.raw(
      "group_open_http_svc",
      "get_group_info",
      { GroupIdList: ["x"] },
      { query: { sdkappid: "1400009999" } },
    );
    expect(other.json.ErrorCode).not.toBe(10002);
    const unsigned = await emu.raw(
      "group_open_http_svc",
      "get_group_info",
      { GroupIdList: ["x"] },
      { query: { usersig: "not-a-signature" } },
    );
    expect(unsigned.json.ErrorCode).not.toBe(10002);
    expect((await emu.control.faults()).scripted).toHaveLength(1);
    expect((await emu.raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] })).json.ErrorCode).toBe(10002);
  });
});

describe("a change the state file cannot keep", () => {
  it("is refused with 503 and a log line, rolled back, and not there after a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "chat-emulator-full-"));
    const file = path.join(dir, "state.json");
    const logged: unknown[][] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const first = await TestEmulator.start({ stateFile: file });
      // The next write's temporary file cannot be made (as on a full disk, for root too).
      mkdirSync(path.join(dir, `.state.json.${process.pid}.tmp`));
      const refused = await first.raw("group_open_http_svc", "create_group", {
        Type: "Public",
        Name: "n",
        GroupId: "kept-nowhere",
      });
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({
        ActionStatus: "FAIL",
        ErrorCode: 10002,
        ErrorInfo: expect.stringContaining("nothing was changed"),
      });
      expect(String(logged[0]?.[0])).toMatch(/create_group refused: the state file could not be written \(EISDIR\)/);
      expect((await first.control.state()).groups).toEqual([]);
      rmSync(path.join(dir, `.state.json.${process.pid}.tmp`), { recursive: true });
      await first.group("create_group", { Type: "Public", Name: "n", GroupId: "kept" });
      await first.close();
      const second = await TestEmulator.start({ stateFile: file });
      expect((await second.control.state()).groups.map((g) => g.groupId)).toEqual(["kept"]);
      await second.close();
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
