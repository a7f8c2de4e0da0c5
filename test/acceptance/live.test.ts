/**
 * `npm run test:live`: the acceptance scenarios against a real Tencent Chat app. It runs only
 * with TENCENT_CHAT_LIVE=1 and the app's credentials in TENCENT_CHAT_SDKAPPID,
 * TENCENT_CHAT_SECRET_KEY and TENCENT_CHAT_REGION (or TENCENT_CHAT_ENDPOINT), optionally
 * TENCENT_CHAT_IDENTIFIER; otherwise it says it did not run, and why. `npm test` never runs it.
 *
 * Every group and account it makes starts with a prefix of this run (`plv<time>-`), and all
 * of them are removed at the end, also when a scenario fails; nothing else is touched.
 */
import { pulumiSecret } from "../../harness/provider-host";
import { ChatClient } from "../../provider/client/client";
import { resolveConnection, SETTINGS } from "../../provider/dynamic/config";
import { AcceptanceContext } from "./context";
import { SCENARIOS } from "./scenarios";

function whyNot(): string | undefined {
  if (process.env.TENCENT_CHAT_LIVE !== "1") return "TENCENT_CHAT_LIVE is not 1";
  const missing: string[] = [SETTINGS.sdkAppId, SETTINGS.secretKey].filter((s) => !process.env[s.env]).map((s) => s.env);
  if (!process.env[SETTINGS.region.env] && !process.env[SETTINGS.endpoint.env]) missing.push(`${SETTINGS.region.env} or ${SETTINGS.endpoint.env}`);
  return missing.length ? `missing ${missing.join(", ")}` : undefined;
}

const reason = whyNot();

if (reason) {
  it("did not run", () => {
    console.log(`live acceptance suite did not run: ${reason}. See README, "Acceptance tests against Tencent".`);
  });
} else {
  let ctx: AcceptanceContext;
  beforeAll(async () => {
    const connection = resolveConnection(undefined, process.env);
    const config: Record<string, unknown> = { [SETTINGS.sdkAppId.key]: String(connection.sdkAppId), [SETTINGS.secretKey.key]: pulumiSecret(connection.secretKey) };
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
