#!/usr/bin/env node
/**
 * `tencent-chat-emulator`: runs the Chat REST API emulator until SIGINT or SIGTERM.
 * The secret key comes from `--secret-key` or, better (it stays out of `ps`),
 * TENCENT_CHAT_SECRET_KEY.
 */
import { isIP } from "node:net";
import { parseArgs } from "node:util";

import { mention } from "../chat-api/redaction";
import { COMMANDS } from "./operations";
import {
  ACCOUNT_IDS,
  type AccountIds,
  APPLY_JOIN_DEFAULTS,
  type ApplyJoinDefaults,
  DESTROYED_GROUP_IDS,
  type DestroyedGroupIds,
  ERROR_TEXTS,
  type ErrorTexts,
  GROUP_INFO_MEMBERS,
  type GroupInfoMembers,
  MISSING_PROFILE_ANSWERS,
  MISSING_TOPIC_ANSWERS,
  type MissingProfileAnswer,
  type MissingTopicAnswer,
  type Plan,
  PLANS,
  TEXT_LIMITS,
  type TextLimits,
  TOPIC_READERS,
  type TopicReaders,
  WORK_GROUP_ADMINS,
  type WorkGroupAdmins,
} from "./policy";
import { DEFAULT_ADMIN, DEFAULT_SDKAPPID, type EmulatorOptions, startEmulator } from "./server";

const USAGE = `Usage: tencent-chat-emulator [options]

  --host <host>            address to listen on (default 127.0.0.1)
  --port <port>            port, 0 for any free port (default 0)
  --sdkappid <id>          SDKAppID served (default $TENCENT_CHAT_SDKAPPID or ${DEFAULT_SDKAPPID})
  --secret-key <key>       key UserSigs must be signed with (default $TENCENT_CHAT_SECRET_KEY)
  --admin <identifier>     App admin identifier (default ${DEFAULT_ADMIN})
  --rate-limit <n>         calls per second per command, 0 for none (default 200)
  --command-rate-limit <command=n>
                           per-command limit, repeatable (defaults: get_appid_group_list=1,
                           account_check=100, multiaccount_import=100, account_delete=100)
  --latency-ms <ms>        added to every answer (default 0)
  --latency-jitter-ms <ms> up to this much more, at random, per answer (default 0)
  --arrival-jitter-ms <ms> up to this much, at random, before a call reaches the rate limit
                           (default 0): calls sent evenly arrive bunched, as over a network
  --state-file <path>      load and persist state in this JSON file
  --control-token <token>  require it in the x-emulator-control-token header of control
                           requests (default $TENCENT_CHAT_EMULATOR_CONTROL_TOKEN; none: they
                           answer anyone who reaches the port)
  --destroyed-group-ids reusable|reserved
                           may a dissolved group's custom ID be created again at once (default reusable)
  --plan trial|pro|pro-plus|enterprise
                           the app's plan: paid plans refuse a deleted UserID for three months (default trial)
  --work-group-admins refused|allowed
                           may a Work (Private) group have admins (default refused, as Tencent's pages say)
  --text-limits current|legacy
                           group text limits: current 100/400/400/500 bytes, legacy 30/240/300/100 (default current)
  --missing-topic-answer item|omitted|call-110003|call-10004
                           how get_topic answers for a topic that does not exist (default item: ErrorCode 110003)
  --error-texts explained|terse
                           ErrorInfo texts that explain, or terse ones as Tencent's (default explained)
  --account-ids recommended|extended
                           account IDs of letters, digits, _ and - only, or "." and "@" too (default recommended)
  --missing-profile-answer item|call
                           portrait_get for an account that does not exist: an item with 40003, or the call failing (default item)
  --apply-join-defaults documented|by-type
                           ApplyJoinOption of a group created without one: NeedPermission, as create_group's page
                           says, or per type as the client pages describe (default documented)
  --group-info-members complete|partial
                           get_group_info lists every member, or the first 100 only (read the rest with
                           get_group_member_info); MemberNum is the whole count either way (default complete)
  --topic-readers anyone|members
                           whose view get_topic answers: any existing From_Account, or members of the
                           Community only, 10007 for others such as the App admin (default anyone)
  --daily-group-quota <n>  net new groups a day (created less dissolved) before create_group
                           answers 10006, as a plan's quota does (default 0: none)
  --help                   show this text`;

/** A whole number from `min` to `max`; the value is repeated only when it cannot be a secret. */
function integer(name: string, value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${mention(value)}`);
  }
  return Number(value);
}

function choice(name: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value))
    throw new Error(`--${name} must be one of ${allowed.join(", ")}, got ${mention(value)}`);
  return value;
}

function parseOptions(argv: string[]): EmulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      sdkappid: { type: "string" },
      "secret-key": { type: "string" },
      admin: { type: "string" },
      "rate-limit": { type: "string" },
      "command-rate-limit": { type: "string", multiple: true },
      "latency-ms": { type: "string" },
      "latency-jitter-ms": { type: "string" },
      "arrival-jitter-ms": { type: "string" },
      "state-file": { type: "string" },
      "control-token": { type: "string" },
      "destroyed-group-ids": { type: "string" },
      plan: { type: "string" },
      "apply-join-defaults": { type: "string" },
      "group-info-members": { type: "string" },
      "topic-readers": { type: "string" },
      "work-group-admins": { type: "string" },
      "text-limits": { type: "string" },
      "account-ids": { type: "string" },
      "missing-profile-answer": { type: "string" },
      "missing-topic-answer": { type: "string" },
      "error-texts": { type: "string" },
      "daily-group-quota": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return undefined;
  const secretKey = values["secret-key"] ?? process.env.TENCENT_CHAT_SECRET_KEY;
  if (!secretKey) throw new Error("a secret key is required: set TENCENT_CHAT_SECRET_KEY or pass --secret-key");
  const rateLimits: Record<string, number> = {};
  for (const item of values["command-rate-limit"] ?? []) {
    const match = /^([A-Za-z0-9_]+)=(\d+)$/.exec(item);
    if (!match)
      throw new Error(
        `--command-rate-limit takes <command>=<calls per second>, like get_appid_group_list=1; got ${mention(item)}`,
      );
    if (!COMMANDS.has(match[1]))
      throw new Error(
        `--command-rate-limit: the emulator serves no command ${match[1]}; it serves ${[...COMMANDS].join(", ")}`,
      );
    rateLimits[match[1]] = Number(match[2]);
  }
  return {
    host: values.host,
    port: integer("port", values.port, 0, 65535),
    sdkAppId: integer("sdkappid", values.sdkappid ?? process.env.TENCENT_CHAT_SDKAPPID, 1),
    secretKey,
    admin: values.admin,
    rateLimit: integer("rate-limit", values["rate-limit"]),
    rateLimits,
    latencyMs: integer("latency-ms", values["latency-ms"]),
    latencyJitterMs: integer("latency-jitter-ms", values["latency-jitter-ms"]),
    arrivalJitterMs: integer("arrival-jitter-ms", values["arrival-jitter-ms"]),
    stateFile: values["state-file"],
    destroyedGroupIds: choice("destroyed-group-ids", values["destroyed-group-ids"], DESTROYED_GROUP_IDS) as
      DestroyedGroupIds | undefined,
    plan: choice("plan", values.plan, PLANS) as Plan | undefined,
    policy: Object.fromEntries(
      Object.entries({
        workGroupAdmins: choice("work-group-admins", values["work-group-admins"], WORK_GROUP_ADMINS) as
          WorkGroupAdmins | undefined,
        textLimits: choice("text-limits", values["text-limits"], TEXT_LIMITS) as TextLimits | undefined,
        missingTopicAnswer: choice("missing-topic-answer", values["missing-topic-answer"], MISSING_TOPIC_ANSWERS) as
          MissingTopicAnswer | undefined,
        errorTexts: choice("error-texts", values["error-texts"], ERROR_TEXTS) as ErrorTexts | undefined,
        accountIds: choice("account-ids", values["account-ids"], ACCOUNT_IDS) as AccountIds | undefined,
        missingProfileAnswer: choice(
          "missing-profile-answer",
          values["missing-profile-answer"],
          MISSING_PROFILE_ANSWERS,
        ) as MissingProfileAnswer | undefined,
        applyJoinDefaults: choice("apply-join-defaults", values["apply-join-defaults"], APPLY_JOIN_DEFAULTS) as
          ApplyJoinDefaults | undefined,
        groupInfoMembers: choice("group-info-members", values["group-info-members"], GROUP_INFO_MEMBERS) as
          GroupInfoMembers | undefined,
        topicReaders: choice("topic-readers", values["topic-readers"], TOPIC_READERS) as TopicReaders | undefined,
        dailyGroupQuota: integer("daily-group-quota", values["daily-group-quota"], 0),
      }).filter(([, v]) => v !== undefined),
    ),
    controlToken: values["control-token"] ?? (process.env.TENCENT_CHAT_EMULATOR_CONTROL_TOKEN || undefined),
  };
}

/** Only this machine can reach an emulator listening here. */
const isLoopback = (host: string) =>
  host === "localhost" || (isIP(host) === 4 && host.startsWith("127.")) || host === "::1";

async function main(): Promise<void> {
  let options: EmulatorOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`tencent-chat-emulator: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => {
        console.log(`Tencent Chat emulator stopped (${signal})`);
        process.exit(0);
      },
      (err: Error) => {
        console.error(`tencent-chat-emulator: failed to stop cleanly: ${err.message}`);
        process.exit(1);
      },
    );
  };
  // Handlers go in before the URL is printed: whoever reads that line may signal at once.
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  console.log(
    `Tencent Chat emulator listening on ${emulator.url} (sdkappid ${emulator.sdkAppId}, admin ${emulator.admin})`,
  );
  if (options.host !== undefined && !isLoopback(options.host)) {
    if (options.host === "0.0.0.0" || options.host === "::") {
      console.log(
        "It listens on every address: from another machine or container use this one's name, with tencent-chat:allowInsecureEndpoint set to true.",
      );
    }
    console.log(
      options.controlToken === undefined
        ? "Warning: its control endpoints (/emulator/v1/: reset, state, faults) answer anyone who can reach this port; start it with --control-token to require a token."
        : "Its control endpoints (/emulator/v1/) require the control token in the x-emulator-control-token header.",
    );
  }
}

main().catch((err: Error) => {
  console.error(`tencent-chat-emulator: ${err.message}`);
  process.exit(1);
});
