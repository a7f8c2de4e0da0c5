/**
 * Whether the suites that reach a real app (`npm run test:live`, `npm run test:probe`) run.
 * They read the environment only, never stack config: TENCENT_CHAT_SDKAPPID,
 * TENCENT_CHAT_SECRET_KEY, TENCENT_CHAT_REGION or TENCENT_CHAT_ENDPOINT, optionally
 * TENCENT_CHAT_IDENTIFIER. TENCENT_CHAT_LIVE=1 asks for a run: a run that was asked for and
 * lacks a credential fails, naming what is missing, so a CI job whose secrets are misnamed
 * does not pass without having run. Not asked and without credentials, they say they did not
 * run and why.
 */
import { SETTINGS } from "../../provider/common/config";

export type LiveRun = { run: true } | { run: false; asked: boolean; reason: string };

/** The variables a run reads, for messages. */
export const LIVE_VARIABLES = `${SETTINGS.sdkAppId.env}, ${SETTINGS.secretKey.env}, ${SETTINGS.region.env} (or ${SETTINGS.endpoint.env}), optionally ${SETTINGS.identifier.env}`;

/** The credentials a run needs that `env` lacks. */
export function missingCredentials(env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = [SETTINGS.sdkAppId.env, SETTINGS.secretKey.env].filter((name) => !env[name]);
  if (!env[SETTINGS.region.env] && !env[SETTINGS.endpoint.env])
    missing.push(`${SETTINGS.region.env} or ${SETTINGS.endpoint.env}`);
  return missing;
}

/**
 * Whether to run: asked with TENCENT_CHAT_LIVE=1, or (`credentialsSuffice`) given every
 * credential. Not running, it says whether it was asked, and why not.
 */
export function liveRun(options: { credentialsSuffice: boolean }, env: NodeJS.ProcessEnv = process.env): LiveRun {
  const asked = env.TENCENT_CHAT_LIVE === "1";
  const missing = missingCredentials(env);
  if (missing.length)
    return {
      run: false,
      asked,
      reason: `missing ${missing.join(", ")} (it reads ${LIVE_VARIABLES} from the environment)`,
    };
  if (!asked && !options.credentialsSuffice) return { run: false, asked, reason: "TENCENT_CHAT_LIVE is not 1" };
  return { run: true };
}
