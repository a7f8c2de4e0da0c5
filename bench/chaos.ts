/**
 * `npm run bench -- chaos [--operations N] [--jobs N] [--faults RATE] [--seed N] [--plan N]`: the long
 * chaos soak. Stacks of generated programs (test/chaos/) run side by side on one app, each
 * `up` and `destroy` through its own provider host, under random faults (a share of them
 * delivered after the service acted), with hosts killed mid-run; every stack is judged after
 * each `up` and after its destroy by what the emulator holds. Prints what it found.
 */
import { parseArgs } from "node:util";

import fc from "fast-check";

import { jobArb } from "../test/chaos/arbitraries";
import type { Kind } from "../test/chaos/programs";
import { type ChaosApp, chaosFaults, type JobReport, makeNeighbours, problemsOf, runJob } from "../test/chaos/soak";
import { Bench, printTable, seconds } from "./lib";

const TIMEOUT_MS = 1000;

async function providerTexts(bench: Bench): Promise<Record<Kind, string>> {
  const regs = await bench.project.run(`
    const { ChatAccount, ChatGroup, ChatTopic } = require("pulumi-tencent-chat");
    new ChatAccount("a", { userId: "a" });
    new ChatGroup("g", { type: "Public", name: "g" });
    new ChatTopic("t", { groupId: "@TGS#_g", topicName: "t" });
  `);
  const text = (name: string) => regs.find((r) => r.name === name)?.inputs.__provider as string;
  return { account: text("a"), group: text("g"), topic: text("t") };
}

/** Runs the soak with `argv` (the bench's arguments, `chaos` among them); the exit code is 1 when it found anything. */
export async function chaosSoak(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "chaos"),
    options: {
      operations: { type: "string", default: "10000" },
      jobs: { type: "string", default: "8" },
      faults: { type: "string", default: "0.2" },
      seed: { type: "string", default: "1" },
      /** Runs this one plan (a seed a report printed) on a single stack, over and over. */
      plan: { type: "string" },
    },
  });
  const target = Number(values.operations);
  const only = values.plan === undefined ? undefined : Number(values.plan);
  const workers = only === undefined ? Number(values.jobs) : 1;
  const rate = Number(values.faults);
  const seed = Number(values.seed);
  const bench = await Bench.start();
  const started = performance.now();
  const reports: JobReport[] = [];
  const problems: string[] = [];
  try {
    const app: ChaosApp = {
      control: bench.control,
      client: bench.client(),
      projectDir: bench.project.dir,
      providerText: await providerTexts(bench),
      config: { ...bench.config, "tencent-chat:requestTimeoutMs": TIMEOUT_MS },
    };
    await bench.control.configure({ rateLimit: 200, latencyMs: 5, latencyJitterMs: 10 });
    const neighbours = await Promise.all(Array.from({ length: workers }, (_, w) => makeNeighbours(app, `w${w}`)));
    await bench.control.clearRequests();
    await bench.control.setRandomFaults({ rate, seed, afterCommit: 0.4, actions: chaosFaults(TIMEOUT_MS) });
    let operations = 0;
    let next = 0;
    const worker = async (w: number) => {
      for (let i = 0; operations < target; i++) {
        const planSeed = only ?? seed * 1000 + next++;
        const [plan] = fc.sample(jobArb({ minLength: 3, maxLength: 6 }), { seed: planSeed, numRuns: 1 });
        const report = await runJob(app, `w${w}-${i}`, plan, { maxAttempts: 8, neighbours: async () => [] });
        operations += report.operations;
        reports.push(report);
        const found = problemsOf(report);
        if (found.length)
          problems.push(
            `${report.job} (plan ${planSeed}: --plan ${planSeed} runs it alone): ${report.transcript.join(" → ")}`,
            ...found.map((p) => `  ${p}`),
          );
        process.stderr.write(`\r${operations} operations, ${reports.length} stacks`);
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
    const faults = (await bench.control.requests()).filter((r) => r.fault !== undefined).length;
    await bench.control.clearFaults();
    const touched = (await Promise.all(neighbours.map((n) => n()))).flat();
    problems.push(...touched);
    process.stderr.write("\n");
    const sum = (f: (r: JobReport) => number) => reports.reduce((a, r) => a + f(r), 0);
    const count = (what: string) =>
      sum((r) => r.findings.reduce((a, f) => a + (f.verdict as unknown as Record<string, string[]>)[what].length, 0));
    const failedDestroys = sum((r) => r.unfinished.filter((u) => u.startsWith("destroy")).length);
    console.log(
      `\nChaos soak: ${workers} stacks at once on one app, ${(rate * 100).toFixed(0)}% of calls faulted (40% of those after the service acted), seed ${seed}\n`,
    );
    printTable([
      {
        measure: "provider operations",
        figure: String(sum((r) => r.operations)),
        ratio: `${reports.length} stacks, ${sum((r) => r.attempts)} runs`,
        target: "≥ 10,000",
        met: sum((r) => r.operations) >= 10_000,
      },
      { measure: "hosts killed", figure: String(sum((r) => r.kills)), ratio: "mid-run", target: "n/a", met: "n/a" },
      {
        measure: "faults injected",
        figure: String(faults),
        ratio: "10002, 502, 60018, dropped, timed out",
        target: "n/a",
        met: "n/a",
      },
      {
        measure: "runs that failed and were run again",
        figure: String(sum((r) => r.failedRuns)),
        ratio: "a fault the provider gave up on",
        target: "n/a",
        met: "n/a",
      },
      {
        measure: "fixed IDs adopted as advised after a kill",
        figure: String(sum((r) => r.adoptions.length)),
        ratio: "the user set adoptExisting",
        target: "n/a (by design)",
        met: "n/a",
      },
      {
        measure: "leaked objects",
        figure: String(count("leaked")),
        ratio: "",
        target: "0",
        met: count("leaked") === 0,
      },
      {
        measure: "duplicates",
        figure: String(count("duplicates")),
        ratio: "",
        target: "0",
        met: count("duplicates") === 0,
      },
      { measure: "failed destroys", figure: String(failedDestroys), ratio: "", target: "0", met: failedDestroys === 0 },
      {
        measure: "objects drifted from the declaration",
        figure: String(count("drifted") + count("missing")),
        ratio: "",
        target: "0",
        met: count("drifted") + count("missing") === 0,
      },
      {
        measure: "state that does not match the program",
        figure: String(count("state")),
        ratio: "",
        target: "0",
        met: count("state") === 0,
      },
      {
        measure: "ups that did not finish",
        figure: String(sum((r) => r.unfinished.length) - failedDestroys),
        ratio: "within 8 runs",
        target: "0",
        met: sum((r) => r.unfinished.length) === failedDestroys,
      },
      {
        measure: "neighbours changed",
        figure: String(touched.length),
        ratio: "objects made outside every stack",
        target: "0",
        met: touched.length === 0,
      },
      { measure: "time", figure: seconds(performance.now() - started), ratio: "", target: "n/a", met: "n/a" },
    ]);
    if (problems.length) console.log(`\nFound:\n${problems.join("\n")}`);
  } finally {
    await bench.close();
  }
  if (problems.length) process.exitCode = 1;
}
