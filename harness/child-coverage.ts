/**
 * Coverage of the code that runs in child processes: Pulumi's provider host (where the
 * resources' lifecycle runs), programs under mocks, the emulator and the sweeper's CLI.
 *
 * With CHAT_CHILD_COVERAGE=<folder> set (npm test sets it), children the harness starts
 * preload coverage-preload.js, which writes their V8 coverage there; test/coverage-report.ts
 * reads it back.
 */
import * as path from "node:path";

// A preload must be JavaScript: the build's copy, also when tests run this file from source.
const BUILT = __dirname.split(path.sep).includes("dist") ? __dirname : path.join(__dirname, "..", "dist", "harness");

/**
 * The environment a child needs to report its coverage; empty when coverage is off.
 * `exitOnSigterm` is for a process stopped by SIGTERM that has no handler of its own: Node
 * would end it without running exit handlers.
 */
export function childCoverageEnv(options: { exitOnSigterm?: boolean } = {}): Record<string, string> {
  const folder = process.env.CHAT_CHILD_COVERAGE;
  if (!folder) return {};
  const preload = `--require ${path.join(BUILT, "coverage-preload.js")}`;
  const inherited = process.env.NODE_OPTIONS ?? "";
  return {
    CHAT_CHILD_COVERAGE: path.resolve(folder),
    NODE_OPTIONS: inherited.includes(preload) ? inherited : `${inherited} ${preload}`.trim(),
    ...(options.exitOnSigterm ? { CHAT_CHILD_COVERAGE_SIGTERM: "exit" } : {}),
  };
}
