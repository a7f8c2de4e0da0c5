/**
 * The chaos soak: stacks of generated programs run through Pulumi's provider host with the
 * harness's engine, while the emulator fails calls at random (before and after carrying them
 * out), hosts are killed mid-run and other stacks share the app. After every `up` that
 * succeeds, and after the final `destroy`, the judge compares what the service holds with
 * what the program declares; nothing else is believed.
 *
 * Used bounded by test/chaos/lifecycle.test.ts and long by `npm run bench -- chaos`.
 */
import type { EmulatorControl } from "../../emulator/control-client";
import type { FaultAction } from "../../emulator/control-types";
import type { GroupRecord } from "../../emulator/model";
import { type EngineHost, MiniEngine, type ResourceState } from "../../harness/engine";
import type { Props } from "../../harness/provider-host";
import { ProviderHost } from "../../harness/provider-host";
import type { ChatClient } from "../../provider/client/client";
import {
  applyEdit,
  describeEdit,
  type Edit,
  emptyProgram,
  type Kind,
  namedByFixedId,
  type Program,
  registrations,
} from "./programs";

/** A kill: once the job's engine has started `after` provider calls in an attempt, the host dies `delayMs` later. */
export interface Kill {
  after: number;
  delayMs: number;
}

export interface StepPlan {
  edits: Edit[];
  /** A kill during the step's first attempt. */
  kill: Kill | null;
}

/** One stack's life: a program edited and brought up step by step, then destroyed. */
export interface JobPlan {
  steps: StepPlan[];
  /** A kill during the first attempt of the final destroy. */
  destroyKill: Kill | null;
}

/** The app the jobs share: the emulator, a Pulumi project and the host's stack config. */
export interface ChaosApp {
  control: EmulatorControl;
  /** An admin client, for the neighbours made outside every stack. */
  client: ChatClient;
  projectDir: string;
  providerText: Record<Kind, string>;
  config: Record<string, unknown>;
}

/** What went wrong, in the judge's words; empty when the service holds what was declared. */
export interface Verdict {
  leaked: string[];
  duplicates: string[];
  drifted: string[];
  missing: string[];
  /** State that does not match the program. */
  state: string[];
}

export interface JobReport {
  job: string;
  /** Check, Diff, Create, Read, Update and Delete calls to the provider host. */
  operations: number;
  kills: number;
  attempts: number;
  /** Runs that failed (a fault the provider gave up on), then were run again. */
  failedRuns: number;
  /**
   * Objects under a fixed ID that a killed run made and the rerun refused ("already in use …
   * set adoptExisting: true"): the user followed the advice, and the next run adopted them.
   */
  adoptions: string[];
  /** A step or destroy that did not succeed within the attempts allowed, with its last error. */
  unfinished: string[];
  /** Each judgement that found something, with the step it followed. */
  findings: { after: string; verdict: Verdict }[];
  /** Neighbours (objects outside every stack) changed or deleted. */
  neighbours: string[];
  /** The edits, step by step, for a failing sequence's report. */
  transcript: string[];
}

/** Faults the soak draws from: server errors, gateways, throttling, dropped connections, timeouts. */
export function chaosFaults(timeoutMs: number): FaultAction[] {
  return [
    { kind: "error", errorCode: 10002 },
    { kind: "http", status: 502 },
    { kind: "error", errorCode: 60018 },
    { kind: "drop" },
    { kind: "delay", ms: timeoutMs + 500 },
  ];
}

/** A provider host whose calls are counted, and which can be armed to die after the n-th call. */
export class KillableHost implements EngineHost {
  calls = 0;
  killed = false;
  private armed?: Kill;

  constructor(readonly host: ProviderHost) {}

  arm(kill: Kill | null): void {
    this.armed = kill ?? undefined;
    this.calls = 0;
  }

  private count(): void {
    this.calls++;
    const kill = this.armed;
    if (kill && this.calls >= kill.after) {
      this.armed = undefined;
      this.killed = true;
      setTimeout(() => void this.host.kill(), kill.delayMs);
    }
  }

  check: EngineHost["check"] = (...a) => (this.count(), this.host.check(...a));
  diff: EngineHost["diff"] = (...a) => (this.count(), this.host.diff(...a));
  create: EngineHost["create"] = (...a) => (this.count(), this.host.create(...a));
  read: EngineHost["read"] = (...a) => (this.count(), this.host.read(...a));
  update: EngineHost["update"] = (...a) => (this.count(), this.host.update(...a));
  delete: EngineHost["delete"] = (...a) => (this.count(), this.host.delete(...a));
}

/** Whether a group or account ID belongs to the stack `job` (generated group IDs are `pulumi-<name>-…`, names start with the job). */
export function ownedBy(job: string, id: string): boolean {
  const bare = id.replace(/^@TGS#_/, "").replace(/^pulumi-/, "");
  return bare.startsWith(`${job}-`);
}

const str = (props: Props, key: string) => (typeof props[key] === "string" ? (props[key] as string) : undefined);

/** The judge: the service against the program and the state, after a successful `up` (or, with an empty program, a destroy). */
export async function judge(
  app: ChaosApp,
  program: Program,
  state: ResourceState[],
  retained: ReadonlySet<string>,
): Promise<Verdict> {
  const verdict: Verdict = { leaked: [], duplicates: [], drifted: [], missing: [], state: [] };
  const live = await app.control.state();
  const groups = new Map(live.groups.filter((g) => ownedBy(program.job, g.groupId)).map((g) => [g.groupId, g]));
  const accounts = new Map(live.accounts.filter((a) => ownedBy(program.job, a.userId)).map((a) => [a.userId, a]));
  const byName = new Map(state.map((r) => [r.name, r]));
  const declared = new Set(program.resources.map((r) => r.name));
  for (const r of state)
    if (r.delete || !declared.has(r.name))
      verdict.state.push(
        `${r.name} (${r.id}) is in the state${r.delete ? " as still to delete" : ""} but not declared`,
      );
  const idOf = (name: string, key: string) => {
    const r = byName.get(name);
    return r ? str(r.outputs, key) : undefined;
  };
  const expectedGroups = new Set<string>();
  const expectedAccounts = new Set<string>();
  const expectedTopics = new Map<string, Set<string>>();
  for (const d of program.resources) {
    const r = byName.get(d.name);
    if (!r) {
      verdict.state.push(`${d.name} is declared but not in the state`);
      continue;
    }
    if (d.kind === "account") {
      const userId = str(r.outputs, "userId") ?? r.id;
      expectedAccounts.add(userId);
      const a = accounts.get(userId);
      if (!a) verdict.missing.push(`account ${d.name} (${userId})`);
      else if (a.nick !== d.nick)
        verdict.drifted.push(
          `account ${d.name} (${userId}): nick ${JSON.stringify(a.nick)}, declared ${JSON.stringify(d.nick)}`,
        );
      if (d.userId !== undefined && userId !== d.userId)
        verdict.drifted.push(`account ${d.name}: userId ${userId}, declared ${d.userId}`);
    } else if (d.kind === "group") {
      const groupId = str(r.outputs, "groupId") ?? r.id;
      expectedGroups.add(groupId);
      const g = groups.get(groupId);
      if (!g) {
        verdict.missing.push(`group ${d.name} (${groupId})`);
        continue;
      }
      const owner = d.owner ? idOf(d.owner, "userId") : "";
      const members = new Set(d.members.map((m) => idOf(m, "userId")));
      const admins = new Set(d.admins.map((m) => idOf(m, "userId")));
      const problems = groupProblems(g, d.type, d.title, owner ?? "", members, admins, d.appDefinedData);
      if (d.groupId !== undefined && groupId !== d.groupId) problems.push(`groupId ${groupId}, declared ${d.groupId}`);
      for (const p of problems) verdict.drifted.push(`group ${d.name} (${groupId}): ${p}`);
    } else {
      const groupId = idOf(d.community, "groupId") ?? "";
      const topicId = str(r.outputs, "topicId") ?? "";
      const set = expectedTopics.get(groupId) ?? new Set<string>();
      expectedTopics.set(groupId, set.add(topicId));
      const t = groups.get(groupId)?.topics?.find((x) => x.topicId === topicId);
      if (!t) verdict.missing.push(`topic ${d.name} (${topicId}) of ${d.community}`);
      else if (t.topicName !== d.topicName)
        verdict.drifted.push(
          `topic ${d.name} (${topicId}): name ${JSON.stringify(t.topicName)}, declared ${JSON.stringify(d.topicName)}`,
        );
    }
  }
  const names = new Set(
    program.resources.flatMap((d) => (d.kind === "group" ? [d.title] : d.kind === "account" ? [d.nick] : [])),
  );
  const extra = (id: string, label: string, name: string) =>
    (names.has(name) ? verdict.duplicates : verdict.leaked).push(`${label} ${id} (${JSON.stringify(name)})`);
  for (const [id, g] of groups) {
    if (!expectedGroups.has(id) && !retained.has(id)) extra(id, `${g.type} group`, g.name);
    const topics = expectedTopics.get(id);
    if (expectedGroups.has(id))
      for (const t of g.topics ?? []) if (!topics?.has(t.topicId)) extra(t.topicId, "topic", t.topicName);
  }
  for (const [id, a] of accounts) if (!expectedAccounts.has(id) && !retained.has(id)) extra(id, "account", a.nick);
  for (const id of retained)
    if (!groups.has(id) && !accounts.has(id) && !expectedGroups.has(id) && !expectedAccounts.has(id))
      verdict.missing.push(`retained ${id} was deleted`);
  return verdict;
}

/** How a live group differs from its declaration. */
function groupProblems(
  g: GroupRecord,
  type: string,
  title: string,
  owner: string,
  members: Set<string | undefined>,
  admins: Set<string | undefined>,
  data: Record<string, string>,
): string[] {
  const problems: string[] = [];
  if (g.type !== type) problems.push(`type ${g.type}, declared ${type}`);
  if (g.name !== title) problems.push(`name ${JSON.stringify(g.name)}, declared ${JSON.stringify(title)}`);
  if (g.owner !== owner) problems.push(`owner ${JSON.stringify(g.owner)}, declared ${JSON.stringify(owner)}`);
  const others = g.members.filter((m) => m.account !== g.owner);
  const have = new Set(others.map((m) => m.account));
  if (have.size !== members.size || [...members].some((m) => m === undefined || !have.has(m)))
    problems.push(`members [${[...have].sort().join(", ")}], declared [${[...members].sort().join(", ")}]`);
  const haveAdmins = new Set(others.filter((m) => m.role === "Admin").map((m) => m.account));
  if (haveAdmins.size !== admins.size || [...admins].some((m) => m === undefined || !haveAdmins.has(m)))
    problems.push(`admins [${[...haveAdmins].sort().join(", ")}], declared [${[...admins].sort().join(", ")}]`);
  if (JSON.stringify(sorted(g.appDefinedData)) !== JSON.stringify(sorted(data)))
    problems.push(`appDefinedData ${JSON.stringify(g.appDefinedData)}, declared ${JSON.stringify(data)}`);
  return problems;
}

const sorted = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export const isClean = (v: Verdict) => Object.values(v).every((list) => list.length === 0);

/** Objects outside every stack, with a prefix like the stack's: made before the job, judged after it. */
export async function makeNeighbours(app: ChaosApp, job: string): Promise<() => Promise<string[]>> {
  const prefix = `${job}x-`;
  await app.client.importAccount({ userId: `${prefix}u1`, nick: "neighbour" });
  await app.client.createGroup({
    Type: "Public",
    Name: "neighbour",
    GroupId: `${prefix}g1`,
    Owner_Account: `${prefix}u1`,
  });
  await app.client.createGroup({ Type: "Community", Name: "neighbour", GroupId: `@TGS#_${prefix}c1`, SupportTopic: 1 });
  const before = await snapshotOf(app, prefix);
  return async () => {
    const after = await snapshotOf(app, prefix);
    return before === after ? [] : [`neighbours of ${job} changed: before ${before}, after ${after}`];
  };
}

async function snapshotOf(app: ChaosApp, prefix: string): Promise<string> {
  const live = await app.control.state();
  const mine = (id: string) => id.replace(/^@TGS#_/, "").startsWith(prefix);
  return JSON.stringify({
    groups: live.groups
      .filter((g) => mine(g.groupId))
      .map((g) => [g.groupId, g.name, g.owner, g.members.map((m) => m.account)]),
    accounts: live.accounts.filter((a) => mine(a.userId)).map((a) => [a.userId, a.nick]),
  });
}

export interface JobOptions {
  /** Attempts of one step (the first may be killed) before it counts as unfinished. */
  maxAttempts: number;
  /** The judge of the job's neighbours, made before the faults began (see makeNeighbours). */
  neighbours: () => Promise<string[]>;
}

/** Runs one stack's plan to its end, judging after every successful `up` and after the destroy. */
/** One attempt at a run, as `untilDone` reports it. */
export interface Attempt {
  host: KillableHost;
  /** The run's error, when it failed or its host was killed. */
  error?: string;
  /** The state the attempt left. */
  state: ResourceState[];
}

/**
 * Runs `run` (an `up` or a `destroy`) in a new provider host per attempt, as every `pulumi up`
 * is a new process, each attempt from the state the last one kept, the first one's host
 * killed as `kill` says, until one succeeds or `maxAttempts` have failed. `each` sees every
 * attempt before its host is stopped.
 */
export async function untilDone(
  o: {
    state: ResourceState[];
    kill: Kill | null;
    maxAttempts: number;
    host: () => Promise<ProviderHost>;
    run: (engine: MiniEngine<KillableHost>) => Promise<void>;
  },
  each: (attempt: Attempt) => void = () => undefined,
): Promise<{ ok: boolean; state: ResourceState[]; attempts: number; errors: string[] }> {
  let state = o.state;
  const errors: string[] = [];
  for (let i = 0; i < o.maxAttempts; i++) {
    const host = new KillableHost(await o.host());
    try {
      host.arm(i === 0 ? o.kill : null);
      const engine = new MiniEngine(host, { state });
      const error = await o.run(engine).then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      state = engine.snapshot();
      if (error !== undefined) errors.push(error.split("\n")[0]);
      each({ host, error, state });
      if (error === undefined) return { ok: true, state, attempts: i + 1, errors };
    } finally {
      await host.host.kill();
    }
  }
  return { ok: false, state, attempts: o.maxAttempts, errors };
}

export async function runJob(app: ChaosApp, job: string, plan: JobPlan, options: JobOptions): Promise<JobReport> {
  const report: JobReport = {
    job,
    operations: 0,
    kills: 0,
    attempts: 0,
    failedRuns: 0,
    adoptions: [],
    unfinished: [],
    findings: [],
    neighbours: [],
    transcript: [],
  };
  let program = emptyProgram(job);
  let state: ResourceState[] = [];
  const retained = new Set<string>();
  /** Resources the user has set adoptExisting on, as the refusal of a fixed ID advised. */
  const adopting = new Set<string>();
  const hosts: ProviderHost[] = [];
  /** A host started ahead of the run that needs it: every run gets a new one, as every `pulumi up` does. */
  const startHost = async (): Promise<ProviderHost> => {
    const started = await ProviderHost.start(app.projectDir);
    hosts.push(started);
    await started.configure(app.config);
    return started;
  };
  let spare = startHost();

  /** The attempts of one `up` or `destroy`, each from the state the last one kept. */
  const attempt = async (
    label: string,
    kill: Kill | null,
    run: (engine: MiniEngine<KillableHost>) => Promise<void>,
  ): Promise<boolean> => {
    const nextHost = async () => {
      const host = await spare;
      spare = startHost();
      return host;
    };
    const outcome = await untilDone({ state, kill, maxAttempts: options.maxAttempts, host: nextHost, run }, (a) => {
      report.attempts++;
      report.operations += a.host.calls;
      const refused = a.error && /set adoptExisting: true/.test(a.error) ? namedByFixedId(program, a.error) : undefined;
      if (refused && !adopting.has(refused.name)) {
        adopting.add(refused.name);
        report.adoptions.push(`${refused.name} after ${label}`);
      }
      for (const r of a.state)
        if (r.retainOnDelete) retained.add(str(r.outputs, "groupId") ?? str(r.outputs, "userId") ?? r.id);
      if (a.host.killed) report.kills++;
      else if (a.error !== undefined) report.failedRuns++;
    });
    state = outcome.state;
    if (!outcome.ok) report.unfinished.push(`${label}: ${outcome.errors.at(-1) ?? ""}`);
    return outcome.ok;
  };

  try {
    for (const [n, step] of plan.steps.entries()) {
      for (const e of step.edits) program = applyEdit(program, e);
      const label = `up ${n + 1} (${step.edits.map(describeEdit).join(", ")}${step.kill ? `, killed after ${step.kill.after} calls + ${step.kill.delayMs} ms` : ""})`;
      report.transcript.push(label);
      if (!(await attempt(label, step.kill, (engine) => engine.up(registrations(program, app.providerText, adopting)))))
        break;
      const verdict = await judge(app, program, state, retained);
      if (!isClean(verdict)) report.findings.push({ after: label, verdict });
    }
    const label = `destroy${plan.destroyKill ? ` (killed after ${plan.destroyKill.after} calls + ${plan.destroyKill.delayMs} ms)` : ""}`;
    report.transcript.push(label);
    if (await attempt(label, plan.destroyKill, (engine) => engine.destroy())) {
      const verdict = await judge(app, emptyProgram(job), state, retained);
      if (!isClean(verdict)) report.findings.push({ after: label, verdict });
    }
    report.neighbours = await options.neighbours();
  } finally {
    await spare.catch(() => undefined);
    for (const h of hosts) await h.kill();
  }
  return report;
}

/** A report's problems, for an assertion message or the bench's output: empty when the job ended as declared. */
export function problemsOf(report: JobReport): string[] {
  return [
    ...report.unfinished.map((u) => `did not finish: ${u}`),
    ...report.findings.flatMap((f) =>
      Object.entries(f.verdict).flatMap(([what, list]) =>
        (list as string[]).map((item) => `after ${f.after}: ${what}: ${item}`),
      ),
    ),
    ...report.neighbours,
  ];
}
