import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

import { request } from "undici";

import { EmulatorControl } from "../../emulator/control-client";
import { spawnEmulator } from "../../harness/emulator-process";
import { ADMIN, sign, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "chat-emulator-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { TENCENT_CHAT_SECRET_KEY: TEST_KEY, TENCENT_CHAT_SDKAPPID: String(TEST_SDKAPPID) };

async function createGroup(url: string, GroupId: string): Promise<number> {
  const query = new URLSearchParams({
    sdkappid: String(TEST_SDKAPPID),
    identifier: ADMIN,
    usersig: sign(),
    random: "1",
    contenttype: "json",
  });
  const res = await request(`${url}/v4/group_open_http_svc/create_group?${query}`, {
    method: "POST",
    body: JSON.stringify({ Type: "Public", Name: "kept", GroupId }),
  });
  return ((await res.body.json()) as { ErrorCode: number }).ErrorCode;
}

describe("persistence", () => {
  it("keeps groups and accounts across a restart of the in-process emulator", async () => {
    const stateFile = path.join(dir, "state.json");
    const first = await TestEmulator.start({ stateFile });
    await first.importAccounts("alice");
    await first.group("create_group", { Type: "Public", Name: "kept", GroupId: "kept", Owner_Account: "alice" });
    await first.close();

    const second = await TestEmulator.start({ stateFile });
    try {
      const res = await second.group("get_group_info", { GroupIdList: ["kept"] });
      expect((res.GroupInfo as Record<string, unknown>[])[0]).toMatchObject({ Name: "kept", Owner_Account: "alice" });
      expect((await second.control.state()).accounts.map((a) => a.userId).sort()).toEqual(["administrator", "alice"]);
    } finally {
      await second.close();
    }
  });

  it("writes atomically, leaving no temporary file behind", async () => {
    const stateFile = path.join(dir, "state.json");
    const emu = await TestEmulator.start({ stateFile });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => emu.group("create_group", { Type: "Public", Name: "n", GroupId: `g${i}` })),
    );
    await emu.close();
    expect(readdirSync(dir)).toEqual(["state.json"]);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).groups).toHaveLength(50);
  });
});

describe("the tencent-chat-emulator bin", () => {
  it("prints its base URL, serves, and stops cleanly on SIGTERM", async () => {
    const emu = await spawnEmulator(["--port", "0"], ENV);
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await createGroup(emu.url, "cli")).toBe(0);
    emu.child.kill("SIGTERM");
    expect(await emu.exited).toEqual({ code: 0, signal: null });
    expect(emu.output()).not.toContain(TEST_KEY);
  });

  it("stops cleanly on SIGINT", async () => {
    const emu = await spawnEmulator([], ENV);
    emu.child.kill("SIGINT");
    expect(await emu.exited).toEqual({ code: 0, signal: null });
  });

  it("loses no acknowledged change when killed outright, and serves it after a restart", async () => {
    const stateFile = path.join(dir, "state.json");
    const first = await spawnEmulator(["--state-file", stateFile], ENV);
    expect(await createGroup(first.url, "survivor")).toBe(0);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await spawnEmulator(["--state-file", stateFile], ENV);
    try {
      const groups = (await new EmulatorControl(second.url).state()).groups.map((g) => g.groupId);
      expect(groups).toEqual(["survivor"]);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });

  it("takes its limits and admin from flags", async () => {
    const emu = await spawnEmulator(
      [
        ...[
          "--rate-limit",
          "7",
          "--command-rate-limit",
          "get_appid_group_list=2",
          "--latency-ms",
          "5",
          "--latency-jitter-ms",
          "3",
          "--arrival-jitter-ms",
          "4",
          "--admin",
          "ops",
        ],
        ...[
          "--destroyed-group-ids",
          "reserved",
          "--plan",
          "pro",
          "--work-group-admins",
          "allowed",
          "--text-limits",
          "legacy",
        ],
        ...[
          "--missing-topic-answer",
          "omitted",
          "--error-texts",
          "terse",
          "--account-ids",
          "extended",
          "--missing-profile-answer",
          "call",
          "--daily-group-quota",
          "5",
          "--apply-join-defaults",
          "by-type",
          "--group-info-members",
          "partial",
          "--topic-readers",
          "members",
        ],
      ],
      ENV,
    );
    try {
      expect(await new EmulatorControl(emu.url).config()).toEqual({
        rateLimit: 7,
        rateLimits: { get_appid_group_list: 2, account_check: 100, multiaccount_import: 100, account_delete: 100 },
        latencyMs: 5,
        latencyJitterMs: 3,
        arrivalJitterMs: 4,
        destroyedGroupIds: "reserved",
        plan: "pro",
        workGroupAdmins: "allowed",
        textLimits: "legacy",
        missingTopicAnswer: "omitted",
        errorTexts: "terse",
        accountIds: "extended",
        missingProfileAnswer: "call",
        applyJoinDefaults: "by-type",
        groupInfoMembers: "partial",
        topicReaders: "members",
        dailyGroupQuota: 5,
      });
      expect(emu.output()).toContain("admin ops");
    } finally {
      emu.child.kill("SIGTERM");
      await emu.exited;
    }
  });

  it("refuses to start without a secret key, saying how to give one", async () => {
    await expect(spawnEmulator([], { TENCENT_CHAT_SECRET_KEY: "" })).rejects.toThrow(/TENCENT_CHAT_SECRET_KEY/);
  });
});
