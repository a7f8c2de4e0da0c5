/**
 * The suites that reach a real app never pass without running when they were asked to run:
 * `npm run test:live` and `npm run test:probe`, started as a user starts them, without
 * credentials.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

import { cleanEnv, REPO } from "../../harness/project";
import { liveRun } from "./live-credentials";

const run = (file: string, args: string[], env: Record<string, string>) =>
  promisify(execFile)(file, args, { cwd: REPO, env: cleanEnv(env) }).then(
    ({ stdout, stderr }) => ({ code: 0, printed: stdout + stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, printed: err.stdout + err.stderr }),
  );

const FULL = { TENCENT_CHAT_SDKAPPID: "1400000000", TENCENT_CHAT_SECRET_KEY: "k", TENCENT_CHAT_REGION: "singapore" };

describe("whether a live run goes ahead", () => {
  it.each([
    ["not asked, no credentials", {}, false, { run: false, asked: false }],
    ["asked, no credentials", { TENCENT_CHAT_LIVE: "1" }, false, { run: false, asked: true }],
    [
      "asked, the key missing",
      { TENCENT_CHAT_LIVE: "1", TENCENT_CHAT_SDKAPPID: "1", TENCENT_CHAT_REGION: "china" },
      false,
      { run: false, asked: true },
    ],
    [
      "asked, an endpoint instead of a region",
      {
        TENCENT_CHAT_LIVE: "1",
        TENCENT_CHAT_SDKAPPID: "1",
        TENCENT_CHAT_SECRET_KEY: "k",
        TENCENT_CHAT_ENDPOINT: "https://x",
      },
      false,
      { run: true },
    ],
    ["credentials, not asked, where they are not enough", FULL, false, { run: false, asked: false }],
    ["credentials, not asked, where they are enough", FULL, true, { run: true }],
  ] as const)("%s", (_label, env, credentialsSuffice, expected) => {
    expect(liveRun({ credentialsSuffice }, env)).toMatchObject(expected);
  });

  it("names every missing variable and says it reads the environment", () => {
    const outcome = liveRun({ credentialsSuffice: false }, { TENCENT_CHAT_LIVE: "1" });
    expect(outcome.run || outcome.reason).toMatch(
      /missing TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_SECRET_KEY, TENCENT_CHAT_REGION or TENCENT_CHAT_ENDPOINT \(it reads .* from the environment\)/,
    );
  });
});

describe("npm run test:live without credentials", () => {
  const jest = path.join(REPO, "node_modules", "jest", "bin", "jest.js");
  const live = (env: Record<string, string>) =>
    run(process.execPath, [jest, "--config", "jest.live.config.js", "--coverage=false"], env);

  it("fails when TENCENT_CHAT_LIVE=1 asked for a run, naming the missing variables", async () => {
    const { code, printed } = await live({ TENCENT_CHAT_LIVE: "1" });
    expect(code).not.toBe(0);
    expect(printed).toContain(
      "asked to run (TENCENT_CHAT_LIVE=1) but cannot: missing TENCENT_CHAT_SDKAPPID, TENCENT_CHAT_SECRET_KEY",
    );
  });

  it("says it did not run, and passes, when nobody asked", async () => {
    const { code, printed } = await live({});
    expect(code).toBe(0);
    expect(printed).toContain("live acceptance suite did not run: missing TENCENT_CHAT_SDKAPPID");
  });
});

describe("npm run test:probe without credentials", () => {
  // Built by `npm test`'s type-check, which compiles the tests too.
  const probe = (env: Record<string, string>) =>
    run(process.execPath, [path.join(REPO, "dist", "test", "acceptance", "probe.js")], env);

  it("fails when TENCENT_CHAT_LIVE=1 asked for a run, naming the missing variables", async () => {
    const { code, printed } = await probe({ TENCENT_CHAT_LIVE: "1", TENCENT_CHAT_SDKAPPID: "1400000000" });
    expect(code).toBe(1);
    expect(printed).toContain(
      "probes were asked to run (TENCENT_CHAT_LIVE=1) but cannot: missing TENCENT_CHAT_SECRET_KEY, TENCENT_CHAT_REGION or TENCENT_CHAT_ENDPOINT",
    );
    expect(printed).not.toContain("pulumi config");
  });

  it("says it did not run, naming what it reads, and exits 0 when nobody asked", async () => {
    const { code, printed } = await probe({});
    expect(code).toBe(0);
    expect(printed).toMatch(
      /probes did not run: missing .* \(it reads TENCENT_CHAT_SDKAPPID, .* from the environment\)/,
    );
  });
});
