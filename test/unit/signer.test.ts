import { verifyUserSig } from "../../chat-api/usersig";
import { AdminSigner } from "../../provider/client/signer";

const config = { sdkAppId: 1400000042, secretKey: "k-for-tests", identifier: "administrator", ttlSeconds: 3600 };

describe("the admin UserSig cache", () => {
  it("reuses one signature until five minutes before it expires, then renews it", () => {
    let now = 1_700_000_000_000;
    const signer = new AdminSigner(config, () => now);
    const first = signer.current();
    now += (3600 - 301) * 1000;
    expect(signer.current()).toBe(first);
    now += 1000;
    const second = signer.current();
    expect(second).not.toBe(first);
    expect(verifyUserSig({ ...config, userSig: second, now: now / 1000 })).toMatchObject({
      ok: true,
      expiresAt: now / 1000 + 3600,
    });
  });

  it("renews on demand", () => {
    let now = 1_700_000_000_000;
    const signer = new AdminSigner(config, () => now);
    const first = signer.current();
    now += 1000;
    expect(signer.renew()).not.toBe(first);
    expect(signer.current()).not.toBe(first);
  });
});
