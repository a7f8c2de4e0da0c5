import * as TLSSigAPIv2 from "tls-sig-api-v2/TLSSigAPIv2";

import { generateUserSig, verifyUserSig } from "../../chat-api/usersig";

const key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const sdkAppId = 1400000000;

/** The official package reads Date.now(); pin it so both sides sign the same instant. */
function officialSig(appId: number, secret: string, identifier: string, expire: number, nowSeconds: number): string {
  const spy = jest.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000 + 417);
  try {
    return new TLSSigAPIv2.Api(appId, secret).genUserSig(identifier, expire);
  } finally {
    spy.mockRestore();
  }
}

describe("generateUserSig", () => {
  // Titles leave the keys out: test output never shows a secret, even a made-up one.
  it.each([
    [sdkAppId, key, "administrator", 86400, 1_700_000_000],
    [1400123456, "another-secret", "admin_01", 180 * 86400, 1_600_000_001],
    [20001234, key, "a-b_c", 1, 0],
    [sdkAppId, "密钥", "user", 3600, 1_764_000_000],
  ])("matches tls-sig-api-v2 byte for byte (case %#, app %d)", (appId, secret, id, expire, now) => {
    const ours = generateUserSig({ sdkAppId: appId, secretKey: secret, identifier: id, expireSeconds: expire, now });
    expect(ours).toBe(officialSig(appId, secret, id, expire, now));
  });

  it("uses only characters that need no escaping in a query string", () => {
    for (let now = 1_700_000_000; now < 1_700_000_050; now++) {
      const sig = generateUserSig({ sdkAppId, secretKey: key, identifier: "administrator", expireSeconds: 86400, now });
      expect(sig).toMatch(/^[A-Za-z0-9*\-_]+$/);
      expect(encodeURIComponent(sig)).toBe(sig);
    }
  });
});

describe("verifyUserSig", () => {
  const now = 1_700_000_000;
  const official = officialSig(sdkAppId, key, "administrator", 86400, now);
  const base = { userSig: official, sdkAppId, secretKey: key, identifier: "administrator", now: now + 10 };

  it("accepts a signature made by the official package and reports its validity window", () => {
    expect(verifyUserSig(base)).toEqual({ ok: true, issuedAt: now, expiresAt: now + 86400 });
  });

  it("accepts a signature up to and including its last valid second", () => {
    expect(verifyUserSig({ ...base, now: now + 86400 }).ok).toBe(true);
  });

  it.each([
    ["a wrong key", { secretKey: "not-the-key" }, "signature-mismatch"],
    ["a wrong identifier", { identifier: "someone-else" }, "identifier-mismatch"],
    ["a wrong SDKAppID", { sdkAppId: 1400000001 }, "sdkappid-mismatch"],
    ["an expired signature", { now: now + 86401 }, "expired"],
    ["garbage", { userSig: "not*a*signature" }, "malformed"],
    ["an empty signature", { userSig: "" }, "malformed"],
    ["a truncated signature", { userSig: official.slice(0, official.length - 12) }, "malformed"],
  ])("rejects %s", (_label, change, reason) => {
    expect(verifyUserSig({ ...base, ...change })).toEqual({ ok: false, reason });
  });

  it("rejects a signature whose HMAC was altered", () => {
    const forged = generateUserSig({
      sdkAppId,
      secretKey: "attacker",
      identifier: "administrator",
      expireSeconds: 86400,
      now,
    });
    expect(verifyUserSig({ ...base, userSig: forged })).toEqual({ ok: false, reason: "signature-mismatch" });
  });
});
