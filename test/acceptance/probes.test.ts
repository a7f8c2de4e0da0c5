/**
 * The probes of what Tencent leaves open, run against the emulator under every setting of its
 * switch for each: a probe must name the setting the emulator was given, so that run against
 * a real app (`npm run test:probe`) its answer says which rule the app follows. Each probe
 * leaves nothing behind.
 */
import {
  ACCOUNT_IDS,
  APPLY_JOIN_DEFAULTS,
  DEFAULT_POLICY,
  DESTROYED_GROUP_IDS,
  MISSING_PROFILE_ANSWERS,
  MISSING_TOPIC_ANSWERS,
  PLANS,
  TEXT_LIMITS,
  TOPIC_READERS,
  WORK_GROUP_ADMINS,
} from "../../emulator/policy";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { RestCaller } from "../../provider/client/rest-caller";
import { testClient } from "../helpers/client";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, useEmulator } from "../helpers/emulator";
import { markdown, probeTable } from "./probe";
import { PROBES } from "./probes";

const emu = useEmulator();

const SETTINGS: Record<string, readonly string[]> = {
  textLimits: TEXT_LIMITS,
  workGroupAdmins: WORK_GROUP_ADMINS,
  destroyedGroupIds: DESTROYED_GROUP_IDS,
  missingTopicAnswer: MISSING_TOPIC_ANSWERS,
  plan: PLANS,
  accountIds: ACCOUNT_IDS,
  missingProfileAnswer: MISSING_PROFILE_ANSWERS,
  applyJoinDefaults: APPLY_JOIN_DEFAULTS,
  topicReaders: TOPIC_READERS,
};

/** Sends commands as they are, to the test emulator. */
const rawCaller = () =>
  new RestCaller({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu().url,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
  });

/** What a probe answers for a setting: its name, except that paid plans cannot be told apart. */
const expected = (setting: string, value: string) =>
  setting === "plan" && value !== "trial" ? "a paid plan (pro, pro-plus, enterprise)" : value;

const cases = PROBES.flatMap((probe) =>
  SETTINGS[probe.setting].map((value) => [probe.fact, `${probe.setting}=${value}`, probe, value] as const),
);

describe("probes of what Tencent leaves open", () => {
  it.each(cases)("%s: names the emulator's setting %s", async (_fact, _setting, probe, value) => {
    await emu().control.configure({ [probe.setting]: value });
    const { client } = testClient(emu());
    const result = await probe.run(client, "prb-", rawCaller());
    expect(result.answer).toBe(expected(probe.setting, value));
    const left = await emu().control.state();
    expect(left.groups).toEqual([]);
    expect(left.accounts.map((a) => a.userId)).toEqual(["administrator"]);
  });

  it("prints a table of each fact, the app's answer and the emulator's default", async () => {
    await emu().control.configure({ ...DEFAULT_POLICY });
    const { client } = testClient(emu());
    const { rows, settings } = await probeTable(client, rawCaller(), "prb-");
    const table = markdown(rows);
    expect(table.split("\n")).toHaveLength(PROBES.length + 2);
    expect(table).toMatch(/^\| open fact \| this app \| the emulator's default \| same \|\n\|---\|---\|---\|---\|/);
    expect(table).toContain("| an admin in a Work (Private) group | refused (10004) | workGroupAdmins=refused | yes |");
    // Against the emulator's defaults, every probe agrees with them.
    expect(
      table
        .split("\n")
        .slice(2)
        .every((row) => row.endsWith("| yes |")),
    ).toBe(true);
    expect(settings).toEqual([]);
  });

  it("names the stack setting an app's answer calls for", async () => {
    await emu().control.configure({ ...DEFAULT_POLICY, workGroupAdmins: "allowed" });
    const { client } = testClient(emu());
    const { settings } = await probeTable(client, rawCaller(), "prb-");
    expect(settings).toEqual([expect.stringMatching(/^pulumi config set tencent-chat:workGroupAdmins allowed/)]);
  });
});
