/**
 * Credentials and endpoint, read when an operation needs them: from the stack config that
 * Pulumi hands the provider's `configure` (never stored in state), falling back to
 * environment variables. Nothing here is read while the program runs, so nothing is
 * captured into `__provider`.
 */
import { mention } from "../../chat-api/redaction";
import { resolveBaseUrl } from "../client/endpoint";
import type { ChatClientOptions } from "../client/options";

/** Each setting: its stack config key and its environment variable. */
export const SETTINGS = {
  sdkAppId: { key: "tencent-chat:sdkAppId", env: "TENCENT_CHAT_SDKAPPID" },
  secretKey: { key: "tencent-chat:secretKey", env: "TENCENT_CHAT_SECRET_KEY" },
  identifier: { key: "tencent-chat:identifier", env: "TENCENT_CHAT_IDENTIFIER" },
  region: { key: "tencent-chat:region", env: "TENCENT_CHAT_REGION" },
  endpoint: { key: "tencent-chat:endpoint", env: "TENCENT_CHAT_ENDPOINT" },
  requestTimeoutMs: { key: "tencent-chat:requestTimeoutMs", env: "TENCENT_CHAT_REQUEST_TIMEOUT_MS" },
  maxAttempts: { key: "tencent-chat:maxAttempts", env: "TENCENT_CHAT_MAX_ATTEMPTS" },
  allowInsecureEndpoint: { key: "tencent-chat:allowInsecureEndpoint", env: "TENCENT_CHAT_ALLOW_INSECURE_ENDPOINT" },
  throttleDeadlineMs: { key: "tencent-chat:throttleDeadlineMs", env: "TENCENT_CHAT_THROTTLE_DEADLINE_MS" },
  rateLimitRedisUrl: { key: "tencent-chat:rateLimitRedisUrl", env: "TENCENT_CHAT_RATE_LIMIT_REDIS_URL" },
  workGroupAdmins: { key: "tencent-chat:workGroupAdmins", env: "TENCENT_CHAT_WORK_GROUP_ADMINS" },
} as const;

type Setting = (typeof SETTINGS)[keyof typeof SETTINGS];

/**
 * What Pulumi's dynamic-provider host passes to `configure`: each value as the engine sent it,
 * a string from `pulumi config set`, but a number or a boolean when the stack's YAML holds one.
 */
export interface StackConfig {
  get(key: string): unknown;
}

export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

export type Connection = Pick<
  ChatClientOptions,
  | "sdkAppId"
  | "secretKey"
  | "identifier"
  | "region"
  | "endpoint"
  | "allowInsecureEndpoint"
  | "timeoutMs"
  | "maxAttempts"
  | "throttleDeadlineMs"
  | "rateLimitRedisUrl"
>;

/** The App admin requests are signed as, when none is set. */
export const DEFAULT_IDENTIFIER = "administrator";

/** A setting's value from the stack config, else the environment, as text; blank counts as unset. */
function reader(config: StackConfig | undefined, env: NodeJS.ProcessEnv) {
  return (s: Setting): string | undefined => {
    const raw = config?.get(s.key) ?? env[s.env];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
    if (typeof raw !== "string")
      throw new ConfigurationError(
        `${s.key} must be a single value (text, a number or true/false), got ${Array.isArray(raw) ? "a list" : typeof raw}`,
      );
    return raw.trim() === "" ? undefined : raw.trim();
  };
}

/** The stack config key of the named app profiles. */
export const APPS_KEY = "tencent-chat:apps";

/** A profile's name: a letter, then letters, digits, "_" and "-", at most 32 in all. */
export const APP_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** The settings a profile holds for itself; nothing of these falls back to the top-level ones. */
const PROFILE_FIELDS = ["sdkAppId", "secretKey", "identifier", "region", "endpoint", "workGroupAdmins"] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The environment variable of one profile's setting: TENCENT_CHAT_APP_<NAME>_SDKAPPID and so on. */
export function profileEnv(app: string, field: ProfileField): string {
  return `TENCENT_CHAT_APP_${envStem(app)}_${SETTINGS[field].env.slice("TENCENT_CHAT_".length)}`;
}

/** Pulumi's wrapping of a secret value, when a secret sits inside a structured config value. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";
const unwrapSecret = (value: unknown): unknown =>
  value !== null && typeof value === "object" && SECRET_SIGNATURE in value
    ? (value as { value?: unknown }).value
    : value;

/**
 * The profiles `tencent-chat:apps` names: an object (or its JSON text, as a config value may
 * arrive) from profile name to its settings. Secrets inside it (`pulumi config set --secret
 * --path 'tencent-chat:apps.staging.secretKey'`) arrive decrypted, or wrapped, and are unwrapped.
 * Errors name the profile and the field, never a value.
 */
function readProfiles(config: StackConfig | undefined): Map<string, Record<string, unknown>> {
  let raw = unwrapSecret(config?.get(APPS_KEY));
  if (raw === undefined || raw === null || raw === "") return new Map();
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new ConfigurationError(
        `${APPS_KEY} must be an object of app profiles (set its fields with pulumi config set --path '${APPS_KEY}.<name>.sdkAppId' ...); it is text that is not JSON`,
      );
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigurationError(`${APPS_KEY} must be an object of app profiles, from name to settings`);
  const profiles = new Map<string, Record<string, unknown>>();
  for (const [name, value] of Object.entries(raw)) {
    if (!APP_NAME.test(name))
      throw new ConfigurationError(
        `${APPS_KEY}: the profile name ${mention(name)} must start with a letter and hold only letters, digits, "_" and "-" (at most 32)`,
      );
    const settings = unwrapSecret(value);
    if (typeof settings !== "object" || settings === null || Array.isArray(settings))
      throw new ConfigurationError(`${APPS_KEY}.${name} must be an object of settings (${PROFILE_FIELDS.join(", ")})`);
    const unknown = Object.keys(settings).filter((k) => !(PROFILE_FIELDS as readonly string[]).includes(k));
    if (unknown.length)
      throw new ConfigurationError(
        `${APPS_KEY}.${name} has no setting ${unknown.join(", ")} (a profile takes ${PROFILE_FIELDS.join(", ")}; the others are shared by every app)`,
      );
    const twin = [...profiles.keys()].find((other) => envStem(other) === envStem(name));
    if (twin !== undefined) throw collision(twin, name);
    profiles.set(name, Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, unwrapSecret(v)])));
  }
  return profiles;
}

/** The part of a profile's environment variables its name gives: capitals, `-` as `_`. */
const envStem = (app: string) => app.toUpperCase().replace(/-/g, "_");

/** Two profile names whose environment variables are the same ones. */
function collision(a: string, b: string): ConfigurationError {
  return new ConfigurationError(
    `app profiles ${a} and ${b} would both read ${profileEnv(a, "sdkAppId").replace(/SDKAPPID$/, "*")} (names are matched there in capitals, with "-" as "_"): rename one of them`,
  );
}

/**
 * The config and environment as one app profile sees them: its own settings under the
 * standard keys (from `tencent-chat:apps.<app>`, else its TENCENT_CHAT_APP_<NAME>_* variables),
 * the shared ones (timeouts, attempts, the Redis budget) as they are. With no app, the
 * top-level settings. An app that neither names is an error listing those that exist.
 */
export function forApp(
  config: StackConfig | undefined,
  app: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { config: StackConfig; env: NodeJS.ProcessEnv } {
  if (app === undefined) return { config: config ?? { get: () => undefined }, env };
  const profiles = readProfiles(config);
  const profile = profiles.get(app);
  const twin = profile ? undefined : [...profiles.keys()].find((other) => envStem(other) === envStem(app));
  if (twin !== undefined) throw collision(twin, app);
  const fromEnv = (field: ProfileField) => env[profileEnv(app, field)];
  if (!profile && PROFILE_FIELDS.every((f) => fromEnv(f) === undefined)) {
    const known = [...profiles.keys()];
    throw new ConfigurationError(
      `app ${app} is not configured: set ${APPS_KEY}.${app}.sdkAppId and --secret ${APPS_KEY}.${app}.secretKey (pulumi config set --path), or ` +
        `${profileEnv(app, "sdkAppId")} and ${profileEnv(app, "secretKey")}` +
        (known.length ? `; the stack's profiles are ${known.join(", ")}` : ""),
    );
  }
  const own = new Map<string, unknown>(PROFILE_FIELDS.map((f) => [SETTINGS[f].key, profile?.[f] ?? fromEnv(f)]));
  const shared = { ...env };
  for (const f of PROFILE_FIELDS) delete shared[SETTINGS[f].env];
  return { config: { get: (key) => (own.has(key) ? own.get(key) : config?.get(key)) }, env: shared };
}

/** The App admin identifier requests are signed as (needs no credentials, so `check` can use it). */
export function resolveIdentifier(config: StackConfig | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return reader(config, env)(SETTINGS.identifier) ?? DEFAULT_IDENTIFIER;
}

/** The connection settings of `app` (undefined: the top-level settings), its errors naming that app's settings. */
export function appConnection(
  config: StackConfig | undefined,
  app: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const view = forApp(config, app, env);
  return resolveConnection(view.config, view.env, app);
}

/**
 * Resolves the connection settings, or throws one error naming everything that is missing: as
 * the profile `app`'s settings when the config and environment are that profile's view (forApp).
 */
export function resolveConnection(
  config: StackConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
  app?: string,
): Connection {
  const read = reader(config, env);
  const sdkAppIdText = read(SETTINGS.sdkAppId);
  const secretKey = read(SETTINGS.secretKey);
  const missing = (["sdkAppId", "secretKey"] as const).filter(
    (field) => (field === "sdkAppId" ? sdkAppIdText : secretKey) === undefined,
  );
  if (missing.length > 0) {
    const how = missing.map((field) => {
      const { key, env: variable } =
        app === undefined ? SETTINGS[field] : { key: `${APPS_KEY}.${app}.${field}`, env: profileEnv(app, field) };
      const set = `pulumi config set${field === "secretKey" ? " --secret" : ""}${app === undefined ? ` ${key}` : ` --path '${key}'`} ...`;
      return `${key} (${set}) or the environment variable ${variable}`;
    });
    throw new ConfigurationError(
      `Tencent Chat credentials${app === undefined ? "" : ` of app ${app}`} are missing: set ${how.join(", and ")}`,
    );
  }
  const sdkAppId = Number(sdkAppIdText);
  if (!/^\d+$/.test(sdkAppIdText as string) || !Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    const names =
      app === undefined
        ? `${SETTINGS.sdkAppId.key} / ${SETTINGS.sdkAppId.env}`
        : `${APPS_KEY}.${app}.sdkAppId / ${profileEnv(app, "sdkAppId")}`;
    throw new ConfigurationError(
      `${names} must be the numeric SDKAppID (digits only), got ${mention(sdkAppIdText as string)}`,
    );
  }
  return {
    sdkAppId,
    secretKey: secretKey as string,
    identifier: read(SETTINGS.identifier) ?? DEFAULT_IDENTIFIER,
    region: read(SETTINGS.region),
    endpoint: read(SETTINGS.endpoint),
    allowInsecureEndpoint: yesNo(SETTINGS.allowInsecureEndpoint, read(SETTINGS.allowInsecureEndpoint)),
    timeoutMs: positiveInteger(SETTINGS.requestTimeoutMs, read(SETTINGS.requestTimeoutMs)),
    maxAttempts: positiveInteger(SETTINGS.maxAttempts, read(SETTINGS.maxAttempts)),
    throttleDeadlineMs: positiveInteger(SETTINGS.throttleDeadlineMs, read(SETTINGS.throttleDeadlineMs)),
    rateLimitRedisUrl: redisUrl(read(SETTINGS.rateLimitRedisUrl)),
  };
}

/**
 * Whether the app takes admins in a Work (Private) group. Tencent's pages say it does not "by
 * default" (doc 1502), so `check` refuses them unless the app's setting says `allowed`, as
 * `npm run test:probe` finds out for a real app.
 */
export function workGroupAdminsAllowed(
  config: StackConfig | undefined,
  app: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const view = forApp(config, app, env);
  const text = reader(view.config, view.env)(SETTINGS.workGroupAdmins);
  if (text === undefined || text === "refused") return false;
  if (text === "allowed") return true;
  const names =
    app === undefined
      ? `${SETTINGS.workGroupAdmins.key} / ${SETTINGS.workGroupAdmins.env}`
      : `${APPS_KEY}.${app}.workGroupAdmins / ${profileEnv(app, "workGroupAdmins")}`;
  throw new ConfigurationError(`${names} must be allowed or refused, got ${mention(text)}`);
}

/** A Redis URL; it may hold a password, so an error never repeats it. */
function redisUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(text)) {
    const { key, env } = SETTINGS.rateLimitRedisUrl;
    throw new ConfigurationError(
      `${key} / ${env} must be a redis:// or rediss:// URL (the value is not repeated here: it may hold a password)`,
    );
  }
  return text;
}

function positiveInteger(setting: Setting, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(
      `${setting.key} / ${setting.env} must be a whole number of 1 or more, got ${mention(text)}`,
    );
  }
  return value;
}

function yesNo(setting: Setting, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === "true" || text === "false") return text === "true";
  throw new ConfigurationError(`${setting.key} / ${setting.env} must be true or false, got ${mention(text)}`);
}

/**
 * What is wrong with where calls would go (the region, the endpoint), found without a call, or
 * undefined: `check` reports it at preview, before any resource is touched. Missing
 * credentials are not checked here: a preview may run without them.
 */
export function targetProblem(
  config: StackConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const read = reader(config, env);
  try {
    resolveBaseUrl({
      region: read(SETTINGS.region),
      endpoint: read(SETTINGS.endpoint),
      allowInsecureEndpoint: yesNo(SETTINGS.allowInsecureEndpoint, read(SETTINGS.allowInsecureEndpoint)),
    });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
