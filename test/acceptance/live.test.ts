/**
 * `npm run test:live`: the acceptance scenarios against a real Tencent Chat app. It runs only
 * with TENCENT_CHAT_LIVE=1 and the app's credentials in TENCENT_CHAT_SDKAPPID,
 * TENCENT_CHAT_SECRET_KEY and TENCENT_CHAT_REGION (or TENCENT_CHAT_ENDPOINT), optionally
 * TENCENT_CHAT_IDENTIFIER. Without TENCENT_CHAT_LIVE=1 it says it did not run, and why; with it
 * and a credential missing, it fails naming the variable (live-credentials.ts). `npm test`
 * never runs it.
 *
 * Every group and account it makes starts with a prefix of this run (`plv<time>-`), and all
 * of them are removed at the end, also when a scenario fails; nothing else is touched.
 */
import { pulumiSecret } from "../../harness/provider-host";
import { ChatClient } from "../../provider/client/client";
import { resolveConnection, SETTINGS } from "../../provider/common/config";
import { AcceptanceContext } from "./context";
import { liveRun } from "./live-credentials";
import { SCENARIOS } from "./scenarios";

const live = liveRun({ credentialsSuffice: false });

if (!live.run && live.asked) {
  it("has the credentials TENCENT_CHAT_LIVE=1 asked it to run with", () => {
    throw new Error(
      `the live acceptance suite was asked to run (TENCENT_CHAT_LIVE=1) but cannot: ${live.reason}. See README, "Acceptance tests against Tencent".`,
    );
  });
} else if (!live.run) {
  it("did not run", () => {
    console.log(`live acceptance suite did not run: ${live.reason}. See README, "Acceptance tests against Tencent".`);
  });
} else {
  let ctx: AcceptanceContext;
  beforeAll(async () => {
    const connection = resolveConnection(undefined, process.env);
    const config: Record<string, unknown> = {
      [SETTINGS.sdkAppId.key]: String(connection.sdkAppId),
      [SETTINGS.secretKey.key]: pulumiSecret(connection.secretKey),
    };
    for (const setting of [SETTINGS.identifier, SETTINGS.region, SETTINGS.endpoint]) {
      const value = process.env[setting.env];
      if (value) config[setting.key] = value;
    }
    ctx = await AcceptanceContext.start(`plv${Date.now().toString(36)}-`, config, new ChatClient(connection));
  }, 60_000);
  afterAll(() => ctx?.close(), 120_000);

  describe("acceptance scenarios, against Tencent Chat", () => {
    it.each(Object.keys(SCENARIOS))("%s", (name) => SCENARIOS[name](ctx), 120_000);
  });
}
