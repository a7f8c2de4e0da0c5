/**
 * Many CI jobs on one app: each job a provider host (a `pulumi destroy` process) running 8
 * Delete operations at once, Pulumi's default --parallel on a 2-CPU runner, all drawing on
 * the emulator's one 200/s budget; with and without the shared budget in Redis. And one job
 * far from the data center (150 ms), at --parallel 8 against 64.
 */
import { pool } from "../harness/pool";
import type { ProviderHost } from "../harness/provider-host";
import { type RunningRedis, startRedis } from "../harness/redis-process";
import { type Bench, groupUrn, type Row, seconds, timed } from "./lib";

const LIMIT = 200;
const DELETES = 1600;

export interface JobsScenario {
  jobs: number;
  parallel: number;
  latencyMs: number;
  redis?: RunningRedis;
}

export interface JobsOutcome {
  ms: number;
  failed: number;
  calls: number;
  throttled: number;
  /** Deletes a second, as a share of the limit. */
  combined: number;
}

/** Destroys DELETES seeded groups, split evenly over `jobs` hosts. */
export async function runJobs(bench: Bench, s: JobsScenario): Promise<JobsOutcome> {
  const ids = await bench.seed(`jobs-${s.jobs}-${s.latencyMs}-${s.redis ? "r" : "l"}`, DELETES);
  await bench.control.configure({ rateLimit: LIMIT, latencyMs: s.latencyMs, latencyJitterMs: bench.slow ? 20 : 0 });
  const config = s.redis ? { ...bench.config, "tencent-chat:rateLimitRedisUrl": s.redis.url } : bench.config;
  const hosts: ProviderHost[] = await Promise.all(Array.from({ length: s.jobs }, () => bench.host(config)));
  try {
    // Each job's host loads the provider and opens its connection before the clock starts:
    // on one machine, sixteen cold starts at once would measure the CPU, not the pacing.
    await Promise.all(hosts.map((host, j) => host.read(groupUrn(`warm-${j}`), `warm-${j}`, bench.stateOf(`warm-${j}`), {})));
    await bench.control.clearRequests();
    const share = DELETES / s.jobs;
    const { ms, value } = await timed(() =>
      Promise.all(hosts.map((host, j) => pool(ids.slice(j * share, (j + 1) * share), s.parallel, (id) => host.delete(groupUrn(id), id, bench.stateOf(id))))),
    );
    const answers = await bench.control.requests("destroy_group");
    return {
      ms,
      failed: value.flat().filter((r) => r.status === "rejected").length,
      calls: answers.length,
      throttled: answers.filter((r) => r.errorCode === 60007).length,
      combined: DELETES / (ms / 1000) / LIMIT,
    };
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
}

function row(s: JobsScenario, o: JobsOutcome): Row {
  const share = o.throttled / o.calls;
  // The targets: without Redis, at most 10% throttled at 8 jobs and 0.85 combined at
  // 30 ms; with it, 8 jobs at 0.95 combined and under 1% throttled. Other rows are reported.
  const throttledTarget = s.jobs === 8 ? (s.redis ? 0.01 : 0.1) : undefined;
  const combinedTarget = s.latencyMs === 30 ? (s.redis ? (s.jobs === 8 ? 0.95 : undefined) : 0.85) : undefined;
  const targets = [
    "0 failed",
    ...(throttledTarget !== undefined ? [`throttled ≤${throttledTarget * 100}%`] : []),
    ...(combinedTarget !== undefined ? [`≥${combinedTarget} of limit`] : []),
  ];
  return {
    measure: `${s.jobs} jobs × ${s.parallel} parallel, ${s.latencyMs} ms${s.redis ? ", Redis budget" : ""}`,
    figure: `${seconds(o.ms)}, ${o.failed} failed, ${o.throttled}/${o.calls} throttled (${(share * 100).toFixed(1)}%)`,
    ratio: `${o.combined.toFixed(2)} of limit combined`,
    target: targets.join(", "),
    met: o.failed === 0 && (throttledTarget === undefined || share <= throttledTarget) && (combinedTarget === undefined || o.combined >= combinedTarget),
  };
}

/** The rows of the many-jobs issue: 2/4/8/16 jobs at 30 and 150 ms, without and with Redis. */
export async function jobsRows(bench: Bench, progress: (name: string) => void, only?: { jobs?: number[]; latencies?: number[] }): Promise<Row[]> {
  const rows: Row[] = [];
  const redis = await startRedis();
  try {
    for (const budget of [undefined, redis]) {
      for (const latencyMs of only?.latencies ?? [30, 150]) {
        for (const jobs of only?.jobs ?? [2, 4, 8, 16]) {
          const s = { jobs, parallel: 8, latencyMs, redis: budget };
          progress(`${jobs} jobs, ${latencyMs} ms${budget ? ", Redis" : ""}`);
          rows.push(row(s, await runJobs(bench, s)));
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
