/**
 * What the benchmarks share: an emulator in its own process, a provider host with the
 * ChatGroup shim, direct clients for setup, a clock, and the results table.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

import { EmulatorControl } from "../emulator/control-client";
import { type SpawnedEmulator, spawnEmulator } from "../harness/emulator-process";
import { pool } from "../harness/pool";
import { createProject, type PulumiProject, resourceUrn } from "../harness/project";
import { ProviderHost } from "../harness/provider-host";
import { ChatClient } from "../provider/client/client";
import { RateLimiter } from "../provider/client/rate-limiter";

export const SDKAPPID = 1400000000;
/** A key made for this run; never printed. */
export const KEY = `bench-${process.pid}-${Date.now()}`;

export interface Row {
  measure: string;
  figure: string;
  /** Ratio to the limit or to the baseline measured in the same run. */
  ratio: string;
  target: string;
  met: boolean | "n/a";
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** One run of a measurement: its figure, what else it saw, and whether nothing failed. */
export interface Sample {
  value: number;
  note: string;
  ok: boolean;
}

/** A throughput figure is measured three times: one run says little on a shared machine. */
export async function threeRuns(once: (run: number) => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let run = 0; run < 3; run++) samples.push(await once(run));
  return samples;
}

export const median = (samples: Sample[]): number =>
  [...samples].map((x) => x.value).sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/** "median M, min m (3 runs)" in the figure's own format. */
export const spread = (samples: Sample[], format: (x: number) => string): string =>
  `median ${format(median(samples))}, min ${format(Math.min(...samples.map((x) => x.value)))} (3 runs)`;

export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

export class Bench {
  readonly control: EmulatorControl;

  private constructor(
    readonly emulator: SpawnedEmulator,
    readonly project: PulumiProject,
    readonly providerText: string,
    /** A slow day: CPU-hogging neighbours running, and the emulator's latency varying. */
    readonly slow: boolean,
  ) {
    this.control = new EmulatorControl(emulator.url);
  }

  static async start(options: { slow?: boolean } = {}): Promise<Bench> {
    const emulator = await spawnEmulator(["--port", "0", "--sdkappid", String(SDKAPPID)], {
      TENCENT_CHAT_SECRET_KEY: KEY,
    });
    const project = createProject();
    const [group] = await project.run(`
      const { ChatGroup } = require("pulumi-tencent-chat");
      exports.g = new ChatGroup("g", { type: "Public", name: "g" });
    `);
    return new Bench(emulator, project, group.inputs.__provider as string, options.slow === true);
  }

  get config(): Record<string, unknown> {
    return {
      "tencent-chat:sdkAppId": String(SDKAPPID),
      "tencent-chat:secretKey": KEY,
      "tencent-chat:endpoint": this.emulator.url,
    };
  }

  /** A provider host in the project, configured for the emulator (or with `config`). */
  async host(config: Record<string, unknown> = this.config): Promise<ProviderHost> {
    const host = await ProviderHost.start(this.project.dir);
    await host.configure(config);
    return host;
  }

  /** A client with no pacing of its own, for setup at full speed. */
  client(): ChatClient {
    return new ChatClient({
      sdkAppId: SDKAPPID,
      secretKey: KEY,
      endpoint: this.emulator.url,
      rateLimiter: new RateLimiter({ rateLimit: 0 }),
    });
  }

  /** Makes `n` groups quickly (limits and latency off meanwhile); returns their IDs. */
  async seed(prefix: string, n: number): Promise<string[]> {
    const before = await this.control.config();
    await this.control.configure({ rateLimit: 0, latencyMs: 0 });
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const client = this.client();
    const results = await pool(ids, 64, (GroupId) => client.createGroup({ Type: "Public", Name: GroupId, GroupId }));
    const failed = results.filter((r) => r.status === "rejected").length;
    if (failed) throw new Error(`seeding failed for ${failed} groups`);
    await this.control.configure(before);
    return ids;
  }

  /** The state Pulumi holds for a group this run seeded: what Delete and Read receive. */
  stateOf(groupId: string): Record<string, unknown> {
    return {
      groupId,
      type: "Public",
      name: groupId,
      groupIdGenerated: false,
      members: [],
      appDefinedData: {},
      __provider: this.providerText,
    };
  }

  async close(): Promise<void> {
    this.project.remove();
    this.emulator.child.kill("SIGTERM");
    await this.emulator.exited;
  }
}

/**
 * Neighbours that each keep one core busy, as other jobs on a shared CI runner do; stopped
 * by the returned function.
 */
export function startCpuHogs(count: number): () => void {
  const hogs: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
  );
  return () => {
    for (const hog of hogs) hog.kill("SIGKILL");
  };
}

/** CPU seconds a process has used so far (Linux /proc), or undefined where that cannot be read. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Waits until processes just started have settled: a Node process keeps compiling and
 * collecting for a while after its first answers, and sixteen of them on two cores would be
 * measured instead of what follows. Settled: under a tenth of a core between them for half a
 * second, or `maxMs` passed. Returns how long it took.
 */
export async function settled(pids: number[], maxMs = 15_000): Promise<number> {
  const started = performance.now();
  const total = () => pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  let before = total();
  while (performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = total();
    if (now - before < 0.05) break;
    before = now;
  }
  return performance.now() - started;
}

/** Peak resident memory of a process, in MiB (Linux /proc). */
export function peakMemoryMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function printTable(rows: Row[]): void {
  const header = ["Measure", "Figure", "Ratio", "Target", "Met"];
  const cells = rows.map((r) => [
    r.measure,
    r.figure,
    r.ratio,
    r.target,
    r.met === "n/a" ? "n/a" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
}

/** The URN the engine names a ChatGroup of the bench's project by. */
export const groupUrn = (name: string): string => resourceUrn("pulumi-nodejs:dynamic/tencent-chat:ChatGroup", name);
