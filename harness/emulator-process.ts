/** Spawning the built `tencent-chat-emulator` bin as its own process, as a user does. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

import { childCoverageEnv } from "./child-coverage";
import { REPO } from "./project";

export const CLI = path.join(REPO, "dist", "emulator", "cli.js");

export interface SpawnedEmulator {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the bin with `args`; `nodeArgs` go to Node itself (e.g. a heap limit). */
export async function spawnEmulator(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<SpawnedEmulator> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
    env: { ...process.env, ...childCoverageEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    void exited.then(({ code }) => reject(new Error(`emulator exited with ${code} before listening:\n${text}`)));
  });
  return { child, url, output: () => text, exited };
}
