/**
 * Many CI jobs on one app: each job a provider host (a `pulumi destroy` process) running 8
 * Delete operations at once, Pulumi's default --parallel on a 2-CPU runner, all drawing on
 * the emulator's one 200/s budget; with and without the shared budget in Redis. And one job
 * far from the data center (150 ms), at --parallel 8 against 64.
 *
 * Calls reach the emulator's limit after up to ARRIVAL_JITTER_MS of random delay, as over a
 * real network: calls sent evenly arrive bunched, and a schedule with no slack is throttled.
 * Each figure is measured three times; the median and the worst are printed.
 */
import { pool } from "../harness/pool";
import type { ProviderHost } from "../harness/provider-host";
import { type RunningRedis, startRedis } from "../harness/redis-process";
import { type Bench, groupUrn, type Row, seconds, settled, timed } from "./lib";

const LIMIT = 200;
const DELETES = 1600;
/** Up to this much delay, at random, on the way in: the issue's 20 ms. */
export const ARRIVAL_JITTER_MS = 20;

export interface JobsScenario {
  jobs: number;
  parallel: number;
  latencyMs: number;
  redis?: RunningRedis;
  /** Groups deleted in all. @default 1600 */
  deletes?: number;
}

export interface JobsOutcome {
  ms: number;
  failed: number;
  calls: number;
  throttled: number;
  /** Deletes a second, as a share of the limit. */
  combined: number;
  /** Hosts that could not use the Redis budget at some point, and paced alone. */
  fellBack: number;
  /** Where the time went: from the start to the first call's arrival, and from the last one's to the end. */
  firstArrivalMs: number;
  afterLastArrivalMs: number;
  /** Calls the service accepted a second, and how many it throttled, in each half second from the first arrival. */
  profile: string;
}

let seeded = 0;

/** Where the time went: "0.0 s 196/s · 0.5 s 188/s (3 throttled) · …", by arrival at the emulator. */
function profileOf(answers: { time: number; errorCode?: number }[]): string {
  const first = Math.min(...answers.map((r) => r.time));
  const buckets: { accepted: number; throttled: number }[] = [];
  for (const r of answers) {
    const b = (buckets[Math.floor((r.time - first) / 500)] ??= { accepted: 0, throttled: 0 });
    if (r.errorCode === 60007) b.throttled++;
    else b.accepted++;
  }
  return Array.from(
    buckets,
    (b = { accepted: 0, throttled: 0 }, i) =>
      `${(i / 2).toFixed(1)} s ${b.accepted * 2}/s${b.throttled ? ` (${b.throttled} throttled)` : ""}`,
  ).join(" · ");
}

/** Destroys DELETES seeded groups, split evenly over `jobs` hosts. */
export async function runJobs(bench: Bench, s: JobsScenario): Promise<JobsOutcome> {
  const deletes = s.deletes ?? DELETES;
  const ids = await bench.seed(
    `jobs-${s.jobs}-${s.parallel}-${s.latencyMs}-${s.redis ? "r" : "l"}-${++seeded}`,
    deletes,
  );
  await bench.control.configure({
    rateLimit: LIMIT,
    latencyMs: s.latencyMs,
    latencyJitterMs: bench.slow ? 20 : 0,
    arrivalJitterMs: ARRIVAL_JITTER_MS,
  });
  const config = s.redis ? { ...bench.config, "tencent-chat:rateLimitRedisUrl": s.redis.url } : bench.config;
  const hosts: ProviderHost[] = await Promise.all(Array.from({ length: s.jobs }, () => bench.host(config)));
  try {
    // Each job's host loads the provider, opens its connection, runs its first Delete and
    // settles before the clock starts: on one machine, sixteen cold starts at once would
    // measure the CPU, not the pacing (each job of a real CI run has its own machine). The
    // warm-up's calls meanwhile leave the service's window.
    await Promise.all(
      hosts.map((host, j) => host.delete(groupUrn(`warm-${j}`), `warm-${j}`, bench.stateOf(`warm-${j}`))),
    );
    await Promise.all([
      settled(hosts.map((h) => h.child.pid ?? 0)),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]);
    await bench.control.clearRequests();
    const share = deletes / s.jobs;
    const startedAt = Date.now();
    const { ms, value } = await timed(() =>
      Promise.all(
        hosts.map((host, j) =>
          pool(ids.slice(j * share, (j + 1) * share), s.parallel, (id) =>
            host.delete(groupUrn(id), id, bench.stateOf(id)),
          ),
        ),
      ),
    );
    const answers = await bench.control.requests("destroy_group");
    return {
      ms,
      failed: value.flat().filter((r) => r.status === "rejected").length,
      calls: answers.length,
      throttled: answers.filter((r) => r.errorCode === 60007).length,
      combined: deletes / (ms / 1000) / LIMIT,
      firstArrivalMs: Math.min(...answers.map((r) => r.time)) - startedAt,
      afterLastArrivalMs: startedAt + ms - Math.max(...answers.map((r) => r.time)),
      profile: profileOf(answers),
      fellBack: hosts.filter((h) => h.printed.includes("shared rate budget in Redis is not available")).length,
    };
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
}

/** What a scenario must reach, from the issues: a combined share of the limit, a throttled share under `throttledBelow`. */
interface Targets {
  combined?: number;
  throttledBelow?: number;
}

function targetsOf(s: JobsScenario): Targets {
  if (s.jobs === 1) return s.latencyMs === 30 && s.parallel === 64 ? { combined: 0.95 } : {};
  if (s.latencyMs !== 30) return s.jobs === 8 ? { throttledBelow: s.redis ? 0.01 : 0.1 } : {};
  if (s.redis)
    return s.jobs === 8
      ? { combined: 0.95, throttledBelow: 0.01 }
      : s.jobs === 16
        ? { combined: 0.92, throttledBelow: 0.02 }
        : {};
  return s.jobs === 8 ? { combined: 0.85, throttledBelow: 0.1 } : { combined: 0.85 };
}

const share = (o: JobsOutcome) => o.throttled / o.calls;
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One scenario three times: the median is judged against the targets, the worst is printed beside it. */
async function measured(bench: Bench, s: JobsScenario, label?: string, profile = false): Promise<Row> {
  const runs: JobsOutcome[] = [];
  for (let run = 0; run < 3; run++) {
    const o = await runJobs(bench, s);
    // Printed as it comes, beside the table: the first arrival, the last, and each half second between.
    if (profile)
      process.stderr.write(
        `  ${label ?? `${s.jobs} jobs${s.redis ? ", Redis" : ""}`}, run ${run + 1}: first call arrived after ${o.firstArrivalMs} ms, done ${Math.round(o.afterLastArrivalMs)} ms after the last; ${o.profile}\n`,
      );
    runs.push(o);
  }
  const combined = runs.map((o) => o.combined);
  const throttled = runs.map(share);
  const t = targetsOf(s);
  const failed = runs.reduce((n, o) => n + o.failed, 0);
  const fellBack = runs.reduce((n, o) => n + o.fellBack, 0);
  const targets = [
    "0 failed",
    ...(t.throttledBelow !== undefined ? [`throttled <${pct(t.throttledBelow)}`] : []),
    ...(t.combined !== undefined ? [`≥${t.combined} of limit`] : []),
  ];
  return {
    measure: label ?? `${s.jobs} jobs × ${s.parallel} parallel, ${s.latencyMs} ms${s.redis ? ", Redis budget" : ""}`,
    figure: `throttled median ${pct(middle(throttled))}, worst ${pct(Math.max(...throttled))}; ${failed} failed; ${runs.map((o) => seconds(o.ms)).join(", ")}${s.redis ? `; ${fellBack} host(s) paced alone` : ""}`,
    ratio: `median ${middle(combined).toFixed(3)}, worst ${Math.min(...combined).toFixed(3)} of limit combined`,
    target: targets.join(", "),
    met:
      failed === 0 &&
      (t.throttledBelow === undefined || middle(throttled) < t.throttledBelow) &&
      (t.combined === undefined || middle(combined) >= t.combined),
  };
}

/**
 * The rows of the many-jobs issues: one warm job on 1,000 deletes, then 2/4/8/16 jobs at 30
 * and 150 ms, without and with Redis. `only` narrows them, for `npm run bench -- jobs --jobs 8,16`.
 */
export async function jobsRows(
  bench: Bench,
  progress: (name: string) => void,
  only: { jobs?: number[]; latencies?: number[]; redis?: boolean; profile?: boolean } = {},
): Promise<Row[]> {
  const rows: Row[] = [];
  if (!only.jobs || only.jobs.includes(1)) {
    progress("one job, 1,000 deletes, --parallel 64, 30 ms");
    rows.push(
      await measured(
        bench,
        { jobs: 1, parallel: 64, latencyMs: 30, deletes: 1000 },
        "1 job × 64 parallel, 1,000 deletes, 30 ms",
        only.profile,
      ),
    );
  }
  const redis = await startRedis();
  try {
    for (const budget of only.redis === undefined ? [undefined, redis] : only.redis ? [redis] : [undefined]) {
      for (const latencyMs of only.latencies ?? [30, 150]) {
        for (const jobs of (only.jobs ?? [2, 4, 8, 16]).filter((j) => j > 1)) {
          const s = { jobs, parallel: 8, latencyMs, redis: budget };
          progress(`${jobs} jobs, ${latencyMs} ms${budget ? ", Redis" : ""}`);
          rows.push(await measured(bench, s, undefined, only.profile));
        }
      }
    }
  } finally {
    await redis.stop();
  }
  return rows;
}

/** One job far from the data center: the engine's --parallel, not the service, is the bound. */
export async function parallelRows(bench: Bench, progress: (name: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const parallel of [8, 64]) {
    progress(`one job, --parallel ${parallel}, 150 ms`);
    const o = await runJobs(bench, { jobs: 1, parallel, latencyMs: 150 });
    const bound = Math.min(LIMIT, parallel / 0.15);
    rows.push({
      measure: `1 job × ${parallel} parallel, 150 ms`,
      figure: `${seconds(o.ms)}, ${o.failed} failed, ${o.throttled} throttled`,
      ratio: `${o.combined.toFixed(2)} of limit (bound ${(bound / LIMIT).toFixed(2)}: ${parallel} / 0.15 s)`,
      target: "reported",
      met: "n/a",
    });
  }
  return rows;
}
