/**
 * `npm run test:probe`: runs the probes (probes.ts) against a real Tencent Chat app and prints
 * what the app answered next to what the emulator assumes by default. Credentials as for
 * `npm run test:live`, from the environment only: TENCENT_CHAT_SDKAPPID,
 * TENCENT_CHAT_SECRET_KEY and TENCENT_CHAT_REGION (or TENCENT_CHAT_ENDPOINT), optionally
 * TENCENT_CHAT_IDENTIFIER; given them all, it runs. Without them it says it did not run and
 * exits 0, unless TENCENT_CHAT_LIVE=1 asked for a run: then it fails, naming what is missing.
 * Every object it makes starts with `prb<time>-` and is removed again.
 */
import { DEFAULT_POLICY } from "../../emulator/policy";
import { ChatClient } from "../../provider/client/client";
import { RestCaller } from "../../provider/client/rest-caller";
import { resolveConnection } from "../../provider/common/config";
import { liveRun } from "./live-credentials";
import { PROBES } from "./probes";

/**
 * The table, one row per probe: the fact, the app's answer, the emulator's default, whether they
 * agree; and the stack settings the app's answers call for.
 */
export async function probeTable(
  client: ChatClient,
  caller: RestCaller,
  prefix: string,
): Promise<{ rows: string[][]; settings: string[] }> {
  const rows = [["open fact", "this app", "the emulator's default", "same"]];
  const settings: string[] = [];
  for (const probe of PROBES) {
    const { answer, said } = await probe.run(client, prefix, caller);
    const assumed = String(DEFAULT_POLICY[probe.setting]);
    rows.push([probe.fact, `${answer} (${said})`, `${probe.setting}=${assumed}`, answer === assumed ? "yes" : "no"]);
    const setting = probe.stackSetting?.(answer);
    if (setting) settings.push(setting);
  }
  return { rows, settings };
}

/** Rows as a Markdown table, to paste into an issue. */
export const markdown = (rows: string[][]): string =>
  rows.map((r, i) => `| ${r.join(" | ")} |${i === 0 ? `\n|${r.map(() => "---").join("|")}|` : ""}`).join("\n");

async function main(): Promise<number> {
  const live = liveRun({ credentialsSuffice: true });
  if (!live.run) {
    if (live.asked) {
      console.error(`probes were asked to run (TENCENT_CHAT_LIVE=1) but cannot: ${live.reason}`);
      return 1;
    }
    console.log(`probes did not run: ${live.reason}`);
    return 0;
  }
  const connection = resolveConnection(undefined, process.env);
  const client = new ChatClient(connection);
  const caller = new RestCaller(connection);
  console.log(`Probing app ${client.sdkAppId} at ${client.baseUrl}:\n`);
  const { rows, settings } = await probeTable(client, caller, `prb${Date.now().toString(36)}-`);
  console.log(markdown(rows));
  console.log(
    '\nPaste the table into an issue: each "no" is a default of the emulator (emulator/policy.ts) to change.',
  );
  if (settings.length) console.log(`\nThis app's stacks need:\n${settings.map((s) => `- ${s}`).join("\n")}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`probes failed: ${err.message}`);
      process.exit(1);
    },
  );
}
