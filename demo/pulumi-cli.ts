/** Finding the `pulumi` CLI on PATH, without running anything else of it. */
import { spawnSync } from "node:child_process";

export interface PulumiCli {
  version: string;
}

/** The CLI's version when `pulumi version` runs on this PATH, else undefined. */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): PulumiCli | undefined {
  const result = spawnSync("pulumi", ["version"], { env, encoding: "utf8", timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  const version = result.stdout.trim().split("\n")[0];
  return /^v?\d+\.\d+/.test(version) ? { version } : undefined;
}
