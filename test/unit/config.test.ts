import { ConfigurationError, resolveConnection, resolveIdentifier, type StackConfig } from "../../provider/dynamic/config";

const KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const config = (values: Record<string, unknown>): StackConfig => ({ get: (key) => values[key] });
const ok = { "tencent-chat:sdkAppId": "1400000001", "tencent-chat:secretKey": KEY };

describe("resolveConnection", () => {
  it("reads stack config first, the environment second, and counts blank as unset", () => {
    const env = { TENCENT_CHAT_SDKAPPID: "1400000002", TENCENT_CHAT_SECRET_KEY: "env-key", TENCENT_CHAT_REGION: "  " };
    expect(resolveConnection(config({ "tencent-chat:sdkAppId": "1400000001" }), env)).toMatchObject({ sdkAppId: 1400000001, secretKey: "env-key", identifier: "administrator", region: undefined });
  });

  it("names every missing setting, its config key and its variable", () => {
    expect(() => resolveConnection(config({}), {})).toThrow(/tencent-chat:sdkAppId.*TENCENT_CHAT_SDKAPPID.*pulumi config set --secret tencent-chat:secretKey.*TENCENT_CHAT_SECRET_KEY/);
  });

  it.each([
    ["tencent-chat:sdkAppId", "my-app", /must be the numeric SDKAppID \(digits only\), got "my-app"/],
    ["tencent-chat:requestTimeoutMs", "soon", /requestTimeoutMs \/ TENCENT_CHAT_REQUEST_TIMEOUT_MS must be a whole number of 1 or more, got "soon"/],
    ["tencent-chat:maxAttempts", "0", /maxAttempts .* must be a whole number of 1 or more/],
    ["tencent-chat:allowInsecureEndpoint", "yes", /allowInsecureEndpoint .* must be true or false, got "yes"/],
  ])("refuses %s = %j, naming the setting and what it takes", (key, value, message) => {
    expect(() => resolveConnection(config({ ...ok, [key]: value }), {})).toThrow(message);
    expect(() => resolveConnection(config({ ...ok, [key]: value }), {})).toThrow(ConfigurationError);
  });

  it.each(["tencent-chat:sdkAppId", "tencent-chat:requestTimeoutMs", "tencent-chat:allowInsecureEndpoint"])("does not repeat the key when it is pasted into %s", (setting) => {
    const err = (() => {
      try {
        resolveConnection(config({ ...ok, [setting]: KEY }), {});
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a failure");
    })();
    expect(err.message).toContain("a value of 64 characters (not repeated here, in case it is a secret)");
    expect(err.message).not.toContain(KEY);
  });

  it("reads the timeout, the attempts and the insecure-endpoint opt-in", () => {
    const settings = { ...ok, "tencent-chat:requestTimeoutMs": "2500", "tencent-chat:maxAttempts": "3", "tencent-chat:allowInsecureEndpoint": "true" };
    expect(resolveConnection(config(settings), {})).toMatchObject({ timeoutMs: 2500, maxAttempts: 3, allowInsecureEndpoint: true });
  });
});

describe("typed stack config", () => {
  it("takes the numbers and booleans a stack's YAML holds as the text they stand for", () => {
    const settings = { "tencent-chat:sdkAppId": 1400000001, "tencent-chat:secretKey": KEY, "tencent-chat:requestTimeoutMs": 2500, "tencent-chat:allowInsecureEndpoint": true };
    expect(resolveConnection(config(settings), {})).toMatchObject({ sdkAppId: 1400000001, timeoutMs: 2500, allowInsecureEndpoint: true });
  });

  it("refuses a list or a map, naming the setting", () => {
    expect(() => resolveConnection(config({ ...ok, "tencent-chat:region": ["singapore"] }), {})).toThrow(/tencent-chat:region must be a single value .*got a list/);
    expect(() => resolveConnection(config({ ...ok, "tencent-chat:endpoint": { url: "x" } }), {})).toThrow(ConfigurationError);
  });
});

describe("resolveIdentifier", () => {
  it("needs no credentials, and defaults to administrator", () => {
    expect(resolveIdentifier(config({}), {})).toBe("administrator");
    expect(resolveIdentifier(config({}), { TENCENT_CHAT_IDENTIFIER: "ops" })).toBe("ops");
  });
});
