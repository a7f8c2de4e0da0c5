/**
 * `npm run test:stress -- [--hogs N] [--runs N] [--here]`: the whole suite on a busy machine.
 *
 * Each run starts from what CI starts from: a fresh `git clone` of the committed HEAD, no
 * Pulumi provider text cached in the temp folder, and `bash .ci/run` (which runs the README's
 * `npm ci` and `npm test`). `--hogs N` keeps N neighbour processes spinning on the CPU
 * throughout, as other jobs on a shared runner do; `--here` runs `npm test` in this working
 * copy instead, uncommitted changes included. Every run is reported with its time and, when
 * it failed, the tests that failed; the exit code is non-zero if any run failed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

import { REPO } from "../harness/project";
import { startCpuHogs } from "./lib";

interface RunResult {
  ok: boolean;
  seconds: number;
  summary: string;
  failures: string[];
  /** Where the run's whole output was kept, when it failed. */
  log?: string;
}

/** Runs a shell command, keeping its output, and echoing nothing but a dot a minute. */
function run(command: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], {
      cwd,
      env: { ...process.env, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const ticker = setInterval(() => process.stdout.write("."), 60_000);
    child.on("close", (code) => {
      clearInterval(ticker);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** The provider text the tests cache in the temp folder: a CI machine starts without it. */
function clearCachedProviderText(): void {
  for (const name of readdirSync(tmpdir()))
    if (name.startsWith("pulumi-tencent-chat-provider-text-")) rmSync(path.join(tmpdir(), name), { force: true });
}

async function once(here: boolean): Promise<RunResult> {
  clearCachedProviderText();
  const started = performance.now();
  let outcome: { code: number; output: string };
  if (here) {
    outcome = await run("npm test", REPO);
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), "stress-clone-"));
    try {
      outcome = await run(`git clone -q ${JSON.stringify(REPO)} clone && cd clone && bash .ci/run`, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const failures = outcome.output
    .split("\n")
    .filter((line) => /^FAIL /.test(line) || /^\s+● .+ › /.test(line))
    .map((line) => line.trim());
  const summary =
    /^Summary: .*$/m.exec(outcome.output)?.[0] ??
    "no jest summary (the run failed before or after jest; see its output)";
  if (outcome.code !== 0 && failures.length === 0) failures.push(...outcome.output.trim().split("\n").slice(-15));
  let log: string | undefined;
  if (outcome.code !== 0) writeFileSync((log = path.join(tmpdir(), `stress-run-${Date.now()}.log`)), outcome.output);
  return { ok: outcome.code === 0, seconds, summary, failures, log };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hogs: { type: "string", default: "0" },
      runs: { type: "string", default: "1" },
      here: { type: "boolean", default: false },
    },
  });
  const hogs = Number(values.hogs);
  const runs = Number(values.runs);
  if (!Number.isInteger(hogs) || hogs < 0)
    throw new Error(`--hogs takes a whole number of processes, got ${values.hogs}`);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs takes a whole number of runs, at least 1, got ${values.runs}`);
  const what = values.here ? "npm test in this working copy" : "bash .ci/run in a fresh clone of HEAD";
  console.log(`${runs} run(s) of ${what}, with ${hogs} CPU-hogging neighbour(s)`);
  const stopHogs = startCpuHogs(hogs);
  const results: RunResult[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const result = await once(values.here === true);
      results.push(result);
      console.log(
        `\nrun ${i}: ${result.ok ? "passed" : "FAILED"} in ${result.seconds.toFixed(0)} s; ${result.summary}`,
      );
      for (const line of new Set(result.failures)) console.log(`  ${line}`);
      if (result.log) console.log(`  the whole output: ${result.log}`);
    }
  } finally {
    stopHogs();
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(
    `\n${passed} of ${runs} runs passed; times ${results.map((r) => `${r.seconds.toFixed(0)} s`).join(", ")}`,
  );
  if (passed < runs) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
