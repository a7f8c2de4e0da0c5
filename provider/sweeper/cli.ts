#!/usr/bin/env node
/**
 * `tencent-chat-sweep`: lists (and with --yes removes) groups whose GroupId or name starts
 * with a prefix, or, with --orphans, the generated groups and accounts no given stack state
 * references. Credentials come from the same variables as the resources, or flags.
 * Exit status: 0 when nothing failed, 1 when a removal failed, 2 for bad usage.
 */
import { parseArgs } from "node:util";

import type { ChatClientOptions } from "../client/options";
import { APP_NAME, appConnection, ConfigurationError, profileEnv, SETTINGS } from "../common/config";
import { DEFAULT_ORPHAN_AGE_SECONDS, type OrphanReport, sweepOrphans } from "./orphans";
import { readStateFile, StateFileError } from "./states";
import {
  MIN_PREFIX_LENGTH,
  sweep,
  type SweepCandidate,
  SweepOptionError,
  type SweepProgress,
  type SweepReport,
} from "./sweep";

const USAGE = `Usage: tencent-chat-sweep --prefix <text> [options]
       tencent-chat-sweep --orphans --state <stack.json> [--state <stack.json> ...] [options]

Lists the groups whose GroupId (a Community's after its @TGS#_) or name starts with <text>;
with --yes, removes them.
With --orphans, lists the groups generated for resources of the given states that none of
them references (\`pulumi stack export > stack.json\`, one file for every stack that uses
the app): what a replacement cut short leaves. With --accounts, the accounts generated for
their ChatAccounts too. Nothing a state holds, and nothing this package did not generate for
one of their resources, is ever selected.

  --prefix <text>        required without --orphans, at least ${MIN_PREFIX_LENGTH} characters
  --orphans              sweep what no given state references (needs --state)
  --state <file>         a \`pulumi stack export\` file; repeatable
  --accounts             with --orphans: accounts too
  --older-than <age>     only groups created at least this long ago: 90s, 30m, 24h, 7d
                         (with --orphans, default ${DEFAULT_ORPHAN_AGE_SECONDS / 3600}h, so a running up is not raced)
  --type <type>          only groups of this type (Private, Public, ChatRoom, AVChatRoom, Community)
  --yes                  remove them (without it, nothing is changed)
  --json                 print a machine-readable report instead of the table
  --page-size <n>        group IDs per get_appid_group_list call, 1 to 10000 (default 10000)

Credentials (flags override the environment):
  --sdkappid <id>        or TENCENT_CHAT_SDKAPPID
  --secret-key <key>     or TENCENT_CHAT_SECRET_KEY (prefer the variable: flags show in ps)
  --identifier <admin>   or TENCENT_CHAT_IDENTIFIER (default administrator)
  --region <region>      or TENCENT_CHAT_REGION (default china)
  --endpoint <url>       or TENCENT_CHAT_ENDPOINT
  --app <name>           sweep the app of this profile instead: its settings come from
                         TENCENT_CHAT_APP_<NAME>_SDKAPPID, _SECRET_KEY, _IDENTIFIER, _REGION
                         and _ENDPOINT (the flags above set those), as a program's do`;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "24h" → 86400. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!match)
    throw new SweepOptionError(`--older-than takes a number and a unit (s, m, h, d), like 24h; got "${text}"`);
  return Number(match[1]) * UNITS[match[2]];
}

function formatAge(seconds: number): string {
  if (seconds >= 86400) return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

function table(rows: SweepCandidate[]): string {
  const header = ["GROUP ID", "TYPE", "NAME", "AGE", "MEMBERS"];
  const cells = rows.map((c) => [c.groupId, c.type, c.name, formatAge(c.ageSeconds), String(c.memberCount)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  return [header, ...cells]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function progressPrinter(stream: Pick<NodeJS.WriteStream, "isTTY" | "write">): (p: SweepProgress) => void {
  let lastLine = 0;
  return (p) => {
    const line = `removed ${p.done}/${p.total}${p.failed ? `, ${p.failed} failed` : ""} · ${p.rate.toFixed(0)}/s · ${Math.ceil(p.secondsLeft)}s left`;
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${p.done === p.total ? "\n" : ""}`);
    } else if (p.done === p.total || Date.now() - lastLine >= 1000) {
      // Plain lines, at most one a second, when the output is a log rather than a terminal.
      lastLine = Date.now();
      stream.write(`${line}\n`);
    }
  };
}

function orphanSummary(report: OrphanReport): string {
  const found = `${report.groups.length} groups${report.accounts.length ? ` and ${report.accounts.length} accounts` : ""}`;
  const lines = [
    `States: ${report.stacks.map((s) => `${s.state} (stack ${s.stack ?? "with no resources"})`).join(", ")}.`,
  ];
  if (report.dryRun) {
    lines.push(
      `${found} generated for resources of the ${report.states} states given are referenced by none of them. Dry run: nothing was removed; add --yes to remove them.`,
    );
  } else {
    const gone = report.alreadyGone.length ? ` (${report.alreadyGone.length} were already gone)` : "";
    lines.push(
      `Removed ${report.removed.length} of ${found} no state references${gone}; ${report.failed.length} failed.`,
    );
    for (const f of report.failed)
      lines.push(`  failed ${f.groupId}: ${f.errorCode ? `ErrorCode ${f.errorCode}: ` : ""}${f.message}`);
  }
  const young = report.skipped.filter((s) => s.reason === "younger than the age asked for").length;
  const older = report.skipped.length - young;
  if (young)
    lines.push(`Left alone: ${young} younger than --older-than (a running \`pulumi up\` may not have saved them yet).`);
  if (older)
    lines.push(
      `Left alone: ${older} older than the incarnation their state holds (let go with retainOnDelete?): ${report.skipped
        .filter((s) => s.reason !== "younger than the age asked for")
        .map((s) => s.groupId)
        .join(", ")}.`,
    );
  return lines.join("\n");
}

function summary(report: SweepReport): string {
  const lines = [];
  if (report.dryRun) {
    lines.push(
      `${report.selected.length} of ${report.scanned} groups match "${report.prefix}". Dry run: nothing was removed; add --yes to remove them.`,
    );
  } else {
    const gone = report.alreadyGone.length ? ` (${report.alreadyGone.length} were already gone)` : "";
    lines.push(
      `Removed ${report.removed.length} of ${report.selected.length} matching groups${gone}; ${report.failed.length} failed.`,
    );
    for (const f of report.failed)
      lines.push(`  failed ${f.groupId}: ${f.errorCode ? `ErrorCode ${f.errorCode}: ` : ""}${f.message}`);
  }
  return lines.join("\n");
}

const FLAGS = {
  prefix: { type: "string" },
  orphans: { type: "boolean" },
  state: { type: "string", multiple: true },
  accounts: { type: "boolean" },
  "older-than": { type: "string" },
  type: { type: "string" },
  yes: { type: "boolean" },
  json: { type: "boolean" },
  "page-size": { type: "string" },
  sdkappid: { type: "string" },
  "secret-key": { type: "string" },
  identifier: { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  app: { type: "string" },
  help: { type: "boolean" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>["values"];

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Flags;
  try {
    values = parseArgs({ args: argv, options: FLAGS }).values;
  } catch (err) {
    console.error(`tencent-chat-sweep: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let report: SweepReport | OrphanReport;
  try {
    report = await run(values, env);
  } catch (err) {
    const usage = err instanceof SweepOptionError || err instanceof ConfigurationError || err instanceof StateFileError;
    console.error(`tencent-chat-sweep: ${(err as Error).message}${usage ? `\n\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
  print(report, values.json === true);
  return report.failed.length ? 1 : 0;
}

/** Checks every flag before any call, then sweeps by prefix or by state. */
async function run(values: Flags, env: NodeJS.ProcessEnv): Promise<SweepReport | OrphanReport> {
  const app = values.app;
  if (app !== undefined && !APP_NAME.test(app))
    throw new SweepOptionError(
      `--app takes a profile name: a letter, then letters, digits, "_" and "-", at most 32; got "${app}"`,
    );
  const variable = (field: Parameters<typeof profileEnv>[1]) =>
    app === undefined ? SETTINGS[field].env : profileEnv(app, field);
  const merged = {
    ...env,
    ...(values.sdkappid && { [variable("sdkAppId")]: values.sdkappid }),
    ...(values["secret-key"] && { [variable("secretKey")]: values["secret-key"] }),
    ...(values.identifier && { [variable("identifier")]: values.identifier }),
    ...(values.region && { [variable("region")]: values.region }),
    ...(values.endpoint && { [variable("endpoint")]: values.endpoint }),
  };
  const connection = (): ChatClientOptions => {
    return appConnection(undefined, app, merged);
  };
  const common = {
    olderThanSeconds: values["older-than"] === undefined ? undefined : parseDuration(values["older-than"]),
    remove: values.yes === true,
    pageSize: values["page-size"] === undefined ? undefined : parsePageSize(values["page-size"]),
    onProgress: values.json ? undefined : progressPrinter(process.stderr),
  };
  if (values.orphans) {
    if (values.prefix !== undefined || values.type !== undefined)
      throw new SweepOptionError("--orphans selects by state, not by --prefix or --type");
    const states = (values.state ?? []).map((file) => readStateFile(file));
    if (states.length === 0)
      throw new SweepOptionError("--orphans needs at least one --state file (pulumi stack export > stack.json)");
    const client = connection();
    return sweepOrphans({ ...common, client, states, accounts: values.accounts === true });
  }
  if (values.prefix === undefined) throw new SweepOptionError("--prefix is required (or --orphans with --state files)");
  if (values.state !== undefined || values.accounts)
    throw new SweepOptionError("--state and --accounts go with --orphans");
  const client = connection();
  return sweep({ ...common, client, prefix: values.prefix, type: values.type });
}

function print(report: SweepReport | OrphanReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else if ("prefix" in report) {
    if (report.selected.length) console.log(table(report.selected));
    console.log(summary(report));
  } else {
    if (report.groups.length) console.log(table(report.groups));
    if (report.accounts.length) console.log(`ACCOUNTS\n${report.accounts.join("\n")}`);
    console.log(orphanSummary(report));
  }
}

function parsePageSize(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10000)
    throw new SweepOptionError(`--page-size takes a whole number from 1 to 10000; got "${text}"`);
  return Number(text);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`tencent-chat-sweep: ${err.message}`);
      process.exit(1);
    },
  );
}
