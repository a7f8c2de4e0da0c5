import { checkInputs } from "../../provider/chat-group/inputs";
import {
  appConnection,
  ConfigurationError,
  resolveConnection,
  resolveIdentifier,
  type StackConfig,
  workGroupAdminsAllowed,
} from "../../provider/common/config";

const KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const config = (values: Record<string, unknown>): StackConfig => ({ get: (key) => values[key] });
const ok = { "tencent-chat:sdkAppId": "1400000001", "tencent-chat:secretKey": KEY };

describe("resolveConnection", () => {
  it("reads stack config first, the environment second, and counts blank as unset", () => {
    const env = { TENCENT_CHAT_SDKAPPID: "1400000002", TENCENT_CHAT_SECRET_KEY: "env-key", TENCENT_CHAT_REGION: "  " };
    expect(resolveConnection(config({ "tencent-chat:sdkAppId": "1400000001" }), env)).toMatchObject({
      sdkAppId: 1400000001,
      secretKey: "env-key",
      identifier: "administrator",
      region: undefined,
    });
  });

  it("names every missing setting, its config key and its variable", () => {
    expect(() => resolveConnection(config({}), {})).toThrow(
      /tencent-chat:sdkAppId.*TENCENT_CHAT_SDKAPPID.*pulumi config set --secret tencent-chat:secretKey.*TENCENT_CHAT_SECRET_KEY/,
    );
  });

  it.each([
    ["tencent-chat:sdkAppId", "my-app", /must be the numeric SDKAppID \(digits only\), got "my-app"/],
    [
      "tencent-chat:requestTimeoutMs",
      "soon",
      /requestTimeoutMs \/ TENCENT_CHAT_REQUEST_TIMEOUT_MS must be a whole number of 1 or more, got "soon"/,
    ],
    ["tencent-chat:maxAttempts", "0", /maxAttempts .* must be a whole number of 1 or more/],
    ["tencent-chat:allowInsecureEndpoint", "yes", /allowInsecureEndpoint .* must be true or false, got "yes"/],
  ])("refuses %s = %j, naming the setting and what it takes", (key, value, message) => {
    expect(() => resolveConnection(config({ ...ok, [key]: value }), {})).toThrow(message);
    expect(() => resolveConnection(config({ ...ok, [key]: value }), {})).toThrow(ConfigurationError);
  });

  it.each(["tencent-chat:sdkAppId", "tencent-chat:requestTimeoutMs", "tencent-chat:allowInsecureEndpoint"])(
    "does not repeat the key when it is pasted into %s",
    (setting) => {
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
    },
  );

  it("reads the timeout, the attempts and the insecure-endpoint opt-in", () => {
    const settings = {
      ...ok,
      "tencent-chat:requestTimeoutMs": "2500",
      "tencent-chat:maxAttempts": "3",
      "tencent-chat:allowInsecureEndpoint": "true",
    };
    expect(resolveConnection(config(settings), {})).toMatchObject({
      timeoutMs: 2500,
      maxAttempts: 3,
      allowInsecureEndpoint: true,
    });
  });
});

describe("typed stack config", () => {
  it("takes the numbers and booleans a stack's YAML holds as the text they stand for", () => {
    const settings = {
      "tencent-chat:sdkAppId": 1400000001,
      "tencent-chat:secretKey": KEY,
      "tencent-chat:requestTimeoutMs": 2500,
      "tencent-chat:allowInsecureEndpoint": true,
    };
    expect(resolveConnection(config(settings), {})).toMatchObject({
      sdkAppId: 1400000001,
      timeoutMs: 2500,
      allowInsecureEndpoint: true,
    });
  });

  it("refuses a list or a map, naming the setting", () => {
    expect(() => resolveConnection(config({ ...ok, "tencent-chat:region": ["singapore"] }), {})).toThrow(
      /tencent-chat:region must be a single value .*got a list/,
    );
    expect(() => resolveConnection(config({ ...ok, "tencent-chat:endpoint": { url: "x" } }), {})).toThrow(
      ConfigurationError,
    );
  });
});

describe("resolveIdentifier", () => {
  it("needs no credentials, and defaults to administrator", () => {
    expect(resolveIdentifier(config({}), {})).toBe("administrator");
    expect(resolveIdentifier(config({}), { TENCENT_CHAT_IDENTIFIER: "ops" })).toBe("ops");
  });
});

describe("workGroupAdmins, what an app allows beyond Tencent's pages", () => {
  it("is refused unless the app's setting, or its profile's, says allowed", () => {
    expect(workGroupAdminsAllowed(config({}), undefined, {})).toBe(false);
    expect(workGroupAdminsAllowed(config({ "tencent-chat:workGroupAdmins": "allowed" }), undefined, {})).toBe(true);
    expect(workGroupAdminsAllowed(config({}), undefined, { TENCENT_CHAT_WORK_GROUP_ADMINS: "allowed" })).toBe(true);
    const apps = {
      "tencent-chat:apps": {
        work: { sdkAppId: "1400000003", secretKey: KEY, workGroupAdmins: "allowed" },
        plain: { sdkAppId: "1400000004", secretKey: KEY },
      },
    };
    expect(workGroupAdminsAllowed(config({ ...apps, "tencent-chat:workGroupAdmins": "refused" }), "work", {})).toBe(
      true,
    );
    // A profile is its own app: the top-level setting is not its.
    expect(workGroupAdminsAllowed(config({ ...apps, "tencent-chat:workGroupAdmins": "allowed" }), "plain", {})).toBe(
      false,
    );
  });

  it("refuses any other value, naming the setting", () => {
    expect(() =>
      workGroupAdminsAllowed(config({ "tencent-chat:workGroupAdmins": "sometimes" }), undefined, {}),
    ).toThrow(
      new ConfigurationError(
        'tencent-chat:workGroupAdmins / TENCENT_CHAT_WORK_GROUP_ADMINS must be allowed or refused, got "sometimes"',
      ),
    );
  });

  it("lets ChatGroup's check accept admins in a Work group only when allowed", () => {
    const news = { type: "Private", name: "n", members: ["alice"], admins: ["alice"] };
    expect(checkInputs({}, news).failures).toEqual([
      {
        property: "admins",
        reason: expect.stringMatching(/has no admins.*set tencent-chat:workGroupAdmins to allowed/),
      },
    ]);
    expect(checkInputs({}, news, { workGroupAdmins: true }).failures).toEqual([]);
  });
});

describe("app profiles (forApp)", () => {
  const STAGING_KEY = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  const viewOf = (values: Record<string, unknown>, app: string | undefined, env: NodeJS.ProcessEnv = {}) =>
    appConnection(config(values), app, env);
  const apps = {
    prod: { sdkAppId: 1400000001, secretKey: KEY, region: "singapore" },
    staging: { sdkAppId: "1400000002", secretKey: STAGING_KEY, endpoint: "http://127.0.0.1:9" },
  };

  it("reads a profile from tencent-chat:apps, as an object, as JSON text, or with its key wrapped as a secret", () => {
    const shared = { "tencent-chat:maxAttempts": "3" };
    expect(viewOf({ "tencent-chat:apps": apps, ...shared }, "prod")).toMatchObject({
      sdkAppId: 1400000001,
      secretKey: KEY,
      region: "singapore",
      maxAttempts: 3,
    });
    expect(viewOf({ "tencent-chat:apps": JSON.stringify(apps) }, "staging")).toMatchObject({
      sdkAppId: 1400000002,
      secretKey: STAGING_KEY,
      endpoint: "http://127.0.0.1:9",
    });
    const wrapped = {
      staging: {
        ...apps.staging,
        secretKey: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: STAGING_KEY },
      },
    };
    expect(viewOf({ "tencent-chat:apps": wrapped }, "staging")).toMatchObject({ secretKey: STAGING_KEY });
  });

  it("reads a profile from its TENCENT_CHAT_APP_<NAME>_* variables, for CI", () => {
    const env = {
      TENCENT_CHAT_APP_PR_ENVS_SDKAPPID: "1400000003",
      TENCENT_CHAT_APP_PR_ENVS_SECRET_KEY: STAGING_KEY,
      TENCENT_CHAT_APP_PR_ENVS_REGION: "germany",
    };
    expect(viewOf({}, "pr-envs", env)).toMatchObject({
      sdkAppId: 1400000003,
      secretKey: STAGING_KEY,
      region: "germany",
      identifier: "administrator",
    });
  });

  it("never falls back to the top-level credentials: a profile without its key is missing one", () => {
    const env = { TENCENT_CHAT_SECRET_KEY: KEY, TENCENT_CHAT_REGION: "singapore" };
    // The message names the profile's own settings, not the top-level ones it never reads.
    expect(() =>
      viewOf({ ...ok, "tencent-chat:apps": { staging: { sdkAppId: "1400000002" } } }, "staging", env),
    ).toThrow(
      "Tencent Chat credentials of app staging are missing: set tencent-chat:apps.staging.secretKey (pulumi config set --secret --path 'tencent-chat:apps.staging.secretKey' ...) or the environment variable TENCENT_CHAT_APP_STAGING_SECRET_KEY",
    );
    expect(() =>
      viewOf({}, "staging", {
        TENCENT_CHAT_APP_STAGING_SDKAPPID: "x1",
        TENCENT_CHAT_APP_STAGING_SECRET_KEY: STAGING_KEY,
      }),
    ).toThrow(/tencent-chat:apps.staging.sdkAppId \/ TENCENT_CHAT_APP_STAGING_SDKAPPID must be the numeric SDKAppID/);
    expect(
      viewOf(
        { ...ok, "tencent-chat:apps": { staging: { sdkAppId: "1400000002", secretKey: STAGING_KEY } } },
        "staging",
        env,
      ).region,
    ).toBeUndefined();
    // No app: the top-level settings, as before profiles.
    expect(viewOf({ ...ok, "tencent-chat:apps": apps }, undefined, env)).toMatchObject({
      sdkAppId: 1400000001,
      region: "singapore",
    });
  });

  it.each([
    ["prod", "PROD"],
    ["a-b", "a_b"],
  ])("refuses profiles %s and %s, whose environment variables are the same, naming both", (a, b) => {
    const env = { TENCENT_CHAT_APP_PROD_SDKAPPID: "1400000009", TENCENT_CHAT_APP_PROD_SECRET_KEY: STAGING_KEY };
    const both = new RegExp(
      `app profiles ${a} and ${b} would both read TENCENT_CHAT_APP_${a.toUpperCase().replace("-", "_")}_\\* .*rename one of them`,
    );
    // Both in the stack's config; or one there, and a resource naming the other.
    expect(() => viewOf({ "tencent-chat:apps": { [a]: apps.prod, [b]: apps.staging } }, a, env)).toThrow(both);
    expect(() => viewOf({ "tencent-chat:apps": { [a]: apps.prod } }, b, env)).toThrow(both);
  });

  it("says which profiles exist when a resource names another, and never repeats a key", () => {
    const refused = () => viewOf({ "tencent-chat:apps": apps }, "stagign");
    expect(refused).toThrow(
      /app stagign is not configured: set tencent-chat:apps.stagign.sdkAppId .* or TENCENT_CHAT_APP_STAGIGN_SDKAPPID .*; the stack's profiles are prod, staging/,
    );
    expect(() => refused()).toThrow(ConfigurationError);
    const messages = [
      () => viewOf({ "tencent-chat:apps": { "1st": apps.prod } }, "prod"),
      () => viewOf({ "tencent-chat:apps": { prod: { ...apps.prod, secret: KEY } } }, "prod"),
      () => viewOf({ "tencent-chat:apps": `{"prod": ${KEY}` }, "prod"),
      () => viewOf({ "tencent-chat:apps": { prod: KEY } }, "prod"),
    ].map((f) => {
      try {
        f();
        return "accepted";
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(messages).toEqual([
      expect.stringMatching(/the profile name "1st" must start with a letter/),
      expect.stringMatching(
        /tencent-chat:apps.prod has no setting secret \(a profile takes sdkAppId, secretKey, identifier, region, endpoint/,
      ),
      expect.stringMatching(/tencent-chat:apps must be an object of app profiles .*it is text that is not JSON/),
      expect.stringMatching(/tencent-chat:apps.prod must be an object of settings/),
    ]);
    for (const message of messages) expect(message).not.toContain(KEY);
  });
});
