/**
 * Which shared budget: the provider's GCRA script, or rate-limiter-flexible's RateLimiterRedis
 * (fixed windows counted in Redis), plain and with `execEvenly`. Eight jobs, each with its own
 * Redis connection and 8 calls at once, delete 1,600 groups through raw requests against the
 * emulator's sliding one-second window of 200, at 30 ms. A throttled call goes through the
 * budget again. Run with `npm run bench -- redis-choice`.
 */
import { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { Agent, request } from "undici";

import { generateUserSig } from "../chat-api/usersig";
import { pool } from "../harness/pool";
import { startRedis } from "../harness/redis-process";
import { SharedBudget } from "../provider/client/shared-budget";
import { type Bench, KEY, type Row, SDKAPPID, seconds, timed } from "./lib";

const LIMIT = 200;
const JOBS = 8;
const PARALLEL = 8;
const DELETES = 1600;
/** The share of the limit every budget aims at, as the provider's does. */
const HEADROOM = 0.975;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a slot in the shared budget; one per job. */
interface Budget {
  take(): Promise<void>;
  close(): void;
}

type Candidate = { name: string; budget: (url: string, job: number) => Budget };

const CANDIDATES: Candidate[] = [
  {
    name: "GCRA script (the provider's)",
    budget: (url) => {
      const shared = new SharedBudget(url, SDKAPPID, sleep, () => {});
      return {
        take: async () => {
          if (!(await shared.take("destroy_group", LIMIT))) throw new Error("Redis unavailable");
        },
        close: () => shared.close(),
      };
    },
  },
  ...[false, true].map((execEvenly): Candidate => ({
    name: `rate-limiter-flexible, fixed 1 s windows${execEvenly ? ", execEvenly" : ""}`,
    budget: (url) => {
      const redis = new Redis(url);
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `choice-${execEvenly}`,
        points: Math.floor(LIMIT * HEADROOM),
        duration: 1,
        execEvenly,
      });
      return {
        take: async () => {
          for (;;) {
            try {
              await limiter.consume("destroy_group");
              return;
            } catch (err) {
              if (!(err instanceof RateLimiterRes)) throw err;
              await sleep(err.msBeforeNext);
            }
          }
        },
        close: () => redis.disconnect(),
      };
    },
  })),
];

async function runCandidate(bench: Bench, url: string, candidate: Candidate, index: number) {
  const ids = await bench.seed(`choice-${index}`, DELETES);
  await bench.control.configure({ rateLimit: LIMIT, latencyMs: 30 });
  await bench.control.clearRequests();
  const sig = generateUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: "administrator", expireSeconds: 3600 });
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  const budgets = Array.from({ length: JOBS }, (_, job) => candidate.budget(url, job));
  let random = 0;
  const destroy = async (budget: Budget, GroupId: string) => {
    for (;;) {
      await budget.take();
      const query = new URLSearchParams({
        sdkappid: String(SDKAPPID),
        identifier: "administrator",
        usersig: sig,
        random: String(++random),
        contenttype: "json",
      });
      const res = await request(`${bench.emulator.url}/v4/group_open_http_svc/destroy_group?${query}`, {
        method: "POST",
        body: JSON.stringify({ GroupId }),
        dispatcher: agent,
      });
      const answer = (await res.body.json()) as { ErrorCode: number };
      if (answer.ErrorCode === 0) return;
      if (answer.ErrorCode !== 60007) throw new Error(`destroy_group answered ${answer.ErrorCode}`);
    }
  };
  const share = DELETES / JOBS;
  try {
    const { ms } = await timed(() =>
      Promise.all(
        budgets.map((budget, j) => pool(ids.slice(j * share, (j + 1) * share), PARALLEL, (id) => destroy(budget, id))),
      ),
    );
    const answers = await bench.control.requests("destroy_group");
    const throttled = answers.filter((a) => a.errorCode === 60007).length;
    return { ms, calls: answers.length, throttled, combined: DELETES / (ms / 1000) / LIMIT };
  } finally {
    for (const budget of budgets) budget.close();
    await agent.close();
  }
}

export async function redisChoiceRows(bench: Bench, progress: (name: string) => void): Promise<Row[]> {
  const redis = await startRedis();
  const rows: Row[] = [];
  try {
    for (const [index, candidate] of CANDIDATES.entries()) {
      progress(`shared budget: ${candidate.name}`);
      const o = await runCandidate(bench, redis.url, candidate, index);
      rows.push({
        measure: `${JOBS} jobs × ${PARALLEL}, 30 ms: ${candidate.name}`,
        figure: `${seconds(o.ms)}, ${o.throttled}/${o.calls} throttled (${((o.throttled / o.calls) * 100).toFixed(1)}%)`,
        ratio: `${o.combined.toFixed(2)} of limit combined`,
        target: "compared",
        met: "n/a",
      });
    }
  } finally {
    await redis.stop();
  }
  return rows;
}
