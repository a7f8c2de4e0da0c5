/**
 * The whole lifecycle under chaos, judged by what the service holds: generated sequences of
 * program versions, each `up` under random faults (before and after the service acted),
 * hosts killed at random and, at times, a second stack on the same app; after every `up`
 * that succeeds and after the final `destroy`, the service holds exactly what is declared
 * and nothing else of the stack, and objects outside the stack are untouched.
 *
 * Fixed seeds, so that the suite is the same on every run; `CHAOS_SEED=n` tries another,
 * `CHAOS_SHRINK=1` lets fast-check shrink a failure to its shortest form. The long soak is
 * `npm run bench -- chaos`.
 *
 * @slow provider hosts started again after every kill
 */
import fc from "fast-check";

import { createProject, type PulumiProject } from "../../harness/project";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { providerText, TestStack } from "../helpers/stack";
import { jobArb } from "./arbitraries";
import { applyEdit, emptyProgram, type Kind, namedByFixedId, programText, registrations } from "./programs";
import { type ChaosApp, chaosFaults, type JobPlan, makeNeighbours, problemsOf, runJob } from "./soak";

const TIMEOUT_MS = 800;
const FAULT_RATE = 0.1;
/**
 * A case's budget. Alone on a quiet 2-core machine a replayed plan takes about 7 s and the
 * generated sequences 15 s; in the full suite (four workers on two cores) the file took 115 s,
 * and a busy runner is twice as slow again. The budget only bounds a hang.
 */
const CASE_BUDGET_MS = 600_000;

let emu: TestEmulator;
let project: PulumiProject;
let app: ChaosApp;
let sequence = 0;
/** Figures for the closing note, printed once. */
const tally = { sequences: 0, jobs: 0, operations: 0, kills: 0, faults: 0, adoptions: 0 };

beforeAll(async () => {
  emu = await TestEmulator.start();
  project = createProject();
  const texts = {} as Record<Kind, string>;
  for (const [kind, name] of [
    ["account", "ChatAccount"],
    ["group", "ChatGroup"],
    ["topic", "ChatTopic"],
  ] as const)
    texts[kind] = await providerText(project, name);
  app = {
    control: emu.control,
    client: new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      endpoint: emu.url,
      rateLimiter: new RateLimiter({ rateLimit: 0 }),
    }),
    projectDir: project.dir,
    providerText: texts,
    config: { ...TestStack.configFor(emu), "tencent-chat:requestTimeoutMs": TIMEOUT_MS },
  };
});
afterAll(async () => {
  console.log(
    `Chaos: ${tally.sequences} sequences, ${tally.jobs} stacks, ${tally.operations} provider operations, ${tally.kills} hosts killed, ${tally.faults} faults injected, ${tally.adoptions} fixed IDs adopted as advised after a kill`,
  );
  project?.remove();
  await emu?.close();
});

/** Runs the plans side by side as stacks of one app, under random faults; the problems found, with each job's transcript. */
async function chaos(plans: JobPlan[], faultSeed: number): Promise<string[]> {
  await emu.control.reset();
  const run = ++sequence;
  const jobs = plans.map((_, i) => `s${run}j${i}`);
  const neighbours = await Promise.all(jobs.map((job) => makeNeighbours(app, job)));
  await emu.control.setRandomFaults({
    rate: FAULT_RATE,
    seed: faultSeed,
    afterCommit: 0.4,
    actions: chaosFaults(TIMEOUT_MS),
  });
  try {
    const reports = await Promise.all(
      plans.map((plan, i) => runJob(app, jobs[i], plan, { maxAttempts: 6, neighbours: neighbours[i] })),
    );
    tally.sequences++;
    tally.jobs += reports.length;
    tally.faults += (await emu.control.requests()).filter((r) => r.fault !== undefined).length;
    for (const r of reports)
      Object.assign(tally, {
        operations: tally.operations + r.operations,
        kills: tally.kills + r.kills,
        adoptions: tally.adoptions + r.adoptions.length,
      });
    return reports.flatMap((r) => {
      const problems = problemsOf(r);
      return problems.length ? [`${r.job}: ${r.transcript.join(" → ")}`, ...problems.map((p) => `  ${p}`)] : [];
    });
  } finally {
    await emu.control.clearFaults();
  }
}

describe("the lifecycle under chaos", () => {
  // Plans the long soak (`npm run bench -- chaos`, seed 1) found problems in, kept as they
  // were found: each runs alone, as `--plan N` runs it, under this suite's faults.
  it.each([
    [1026, "a fixed topic suffix refused after a kill, until the advice to adopt it is followed"],
    [1054, "a retained group whose fixed ID a later version declares again"],
  ])(
    "replays soak plan %i: %s",
    async (planSeed) => {
      const [plan] = fc.sample(jobArb({ minLength: 3, maxLength: 6 }), { seed: planSeed, numRuns: 1 });
      expect(await chaos([plan], 1)).toEqual([]);
    },
    CASE_BUDGET_MS,
  );

  // Seed 2's soak, plan 2029: a topic's new fixed suffix was made by a run that then failed,
  // and the rerun's refusal names the topic inside its Community's ID. The soak set
  // adoptExisting on the Community, not the topic, and never finished the up.
  it("follows a topic's refusal to the topic, not to the Community its ID contains (soak seed 2, plan 2029)", () => {
    const [plan] = fc.sample(jobArb({ minLength: 3, maxLength: 6 }), { seed: 2029, numRuns: 1 });
    let program = emptyProgram("w2-3");
    for (const step of plan.steps.slice(0, 2)) for (const e of step.edits) program = applyEdit(program, e);
    const refusal =
      "creating chat topic w2-3-t9 in @TGS#_w2-3-c2: topic @TGS#_w2-3-c2@TOPIC#_w2-3-t9 already exists and this stack's state does not hold it. " +
      "If an earlier `pulumi up` of this stack was interrupted, it may have created it: set adoptExisting: true to manage it from this stack";
    expect(namedByFixedId(program, refusal)).toMatchObject({ kind: "topic", topicIdSuffix: "w2-3-t9" });
    expect(namedByFixedId(program, "group @TGS#_w2-3-c2 is already in use: set adoptExisting: true")).toMatchObject({
      kind: "group",
      groupId: "@TGS#_w2-3-c2",
    });
  });

  it("builds each program's registrations as the program registers them", async () => {
    const [plan] = fc.sample(jobArb({ minLength: 4, maxLength: 4 }), { seed: 7, numRuns: 1 });
    let program = emptyProgram("fid");
    for (const step of plan.steps) for (const e of step.edits) program = applyEdit(program, e);
    expect(program.resources.length).toBeGreaterThan(2);
    const strip = (regs: { name: string; inputs: Record<string, unknown>; dependsOn?: string[] }[]) =>
      regs
        .map((r) => ({
          ...r,
          inputs: { ...r.inputs, __provider: (r.inputs.__provider as string).length },
          dependsOn: [...(r.dependsOn ?? [])].sort(),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(strip(await project.run(programText(program)))).toEqual(strip(registrations(program, app.providerText)));
  });

  it(
    "ends every sequence as declared: generated programs, random faults and kills, two stacks on the app",
    async () => {
      const seed = Number(process.env.CHAOS_SEED ?? 20261202);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(jobArb({ minLength: 2, maxLength: 3 }), jobArb({ minLength: 1, maxLength: 2 })),
          fc.integer(),
          async (plans, faultSeed) => {
            const problems = await chaos(plans, faultSeed);
            if (problems.length) throw new Error(problems.join("\n"));
          },
        ),
        { seed, numRuns: 2, endOnFailure: process.env.CHAOS_SHRINK !== "1" },
      );
    },
    CASE_BUDGET_MS,
  );
});
