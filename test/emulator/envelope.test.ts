import { request } from "undici";

import { generateUserSig } from "../../chat-api/usersig";
import { ADMIN, sign, TEST_KEY, TEST_SDKAPPID, useEmulator } from "../helpers/emulator";

const emu = useEmulator();

const G = "group_open_http_svc";
/** get_group_info allows 200 calls/s; get_appid_group_list only 1. */
const INFO = { GroupIdList: ["@TGS#none"] };

describe("the request envelope", () => {
  it.each(["ours", "official"] as const)("accepts a UserSig made by %s code", async (signer) => {
    const res = await emu().raw(G, "get_group_info", INFO, { signer });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  });

  it.each([
    ["a missing sdkappid", { sdkappid: undefined }, 60012],
    ["a non-numeric sdkappid", { sdkappid: "abc" }, 60006],
    ["an SDKAppID of another data center", { sdkappid: "1400000043" }, 70020],
    ["a missing identifier", { identifier: undefined }, 60004],
    ["a missing usersig", { usersig: undefined }, 70002],
    ["an empty usersig", { usersig: "" }, 70002],
    ["a truncated usersig", { usersig: sign().slice(0, 20) }, 70003],
    ["a missing random", { random: undefined }, 60002],
    ["a random above 4294967295", { random: "4294967296" }, 60002],
    ["a negative random", { random: "-1" }, 60002],
    ["a missing contenttype", { contenttype: undefined }, 60002],
    ["a contenttype other than json", { contenttype: "xml" }, 60002],
  ])("answers %s with HTTP 200 and ErrorCode %d", async (_label, query, code) => {
    const failure = await emu().fails(G, "get_group_info", INFO, { query });
    expect(failure).toMatchObject({ status: 200, code });
  });

  it("accepts random at both ends of its range", async () => {
    await emu().group("get_group_info", INFO, { query: { random: "0" } });
    await emu().group("get_group_info", INFO, { query: { random: "4294967295" } });
  });

  describe("UserSig verification", () => {
    it("rejects a signature made with a wrong key (70009)", async () => {
      const usersig = sign(ADMIN, "ours", "wrong-key");
      expect(await emu().fails(G, "get_group_info", INFO, { query: { usersig } })).toMatchObject({ code: 70009 });
    });

    it("rejects a signature for another identifier (70013)", async () => {
      const usersig = sign("someone-else");
      expect(await emu().fails(G, "get_group_info", INFO, { query: { usersig } })).toMatchObject({ code: 70013 });
    });

    it("rejects a signature for another SDKAppID (70014)", async () => {
      const usersig = sign(ADMIN, "ours", TEST_KEY, TEST_SDKAPPID + 1);
      expect(await emu().fails(G, "get_group_info", INFO, { query: { usersig } })).toMatchObject({ code: 70014 });
    });

    it("rejects an expired signature (70001)", async () => {
      const now = Math.floor(Date.now() / 1000);
      const usersig = generateUserSig({
        sdkAppId: TEST_SDKAPPID,
        secretKey: TEST_KEY,
        identifier: ADMIN,
        expireSeconds: 60,
        now: now - 3600,
      });
      expect(await emu().fails(G, "get_group_info", INFO, { query: { usersig } })).toMatchObject({ code: 70001 });
    });

    it("refuses a correctly signed identifier that is not the App admin (60010)", async () => {
      await emu().importAccounts("alice");
      const failure = await emu().fails(G, "get_group_info", INFO, {
        query: { identifier: "alice", usersig: sign("alice") },
      });
      expect(failure).toMatchObject({ status: 200, code: 60010 });
    });
  });

  describe("bad requests get an error answer and the server keeps serving", () => {
    afterEach(async () => {
      await emu().group("get_group_info", INFO);
    });

    it("answers a GET with 60002", async () => {
      expect(await emu().fails(G, "get_group_info", undefined, { method: "GET" })).toMatchObject({
        status: 200,
        code: 60002,
      });
    });

    it("answers an empty body with 60003, since the service requires at least {}", async () => {
      expect(await emu().fails(G, "get_group_info", undefined, { rawBody: "" })).toMatchObject({ code: 60003 });
    });

    it.each([["{not json"], ["[1,2]"], ["42"], ["null"]])("answers the body %s with 60003", async (rawBody) => {
      expect(await emu().fails(G, "get_group_info", undefined, { rawBody })).toMatchObject({ code: 60003 });
    });

    it("answers an unknown command of the group service with 10003", async () => {
      expect(await emu().fails(G, "make_coffee", {})).toMatchObject({ code: 10003 });
    });

    it("answers an unknown service with 60009", async () => {
      expect(await emu().fails("coffee_svc", "brew", {})).toMatchObject({ code: 60009 });
    });

    it("answers a path outside /v4/<service>/<command> with 60009", async () => {
      expect(await emu().fails(G, "x", {}, { path: "/v3/group_open_http_svc/create_group" })).toMatchObject({
        code: 60009,
      });
    });

    it("refuses a body over 1 MiB", async () => {
      const res = await emu().raw(G, "create_group", undefined, {
        rawBody: JSON.stringify({ Name: "x".repeat(1024 * 1024) }),
      });
      expect(res.status).toBe(413);
      expect(res.json).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 60002 });
    });

    it("answers an invalid parameter with 10004 naming the field", async () => {
      expect(await emu().groupFails("create_group", { Type: "Public", Name: 7 })).toMatchObject({
        code: 10004,
        info: expect.stringContaining("Name"),
      });
    });
  });

  it("answers control paths it does not know with 404, outside the API's shape", async () => {
    const res = await request(`${emu().url}/emulator/v1/nothing`);
    expect(res.statusCode).toBe(404);
    await res.body.dump();
  });
});
