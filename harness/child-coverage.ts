/**
 * Coverage of the code that runs in child processes: Pulumi's provider host (where the
 * resources' lifecycle runs), programs under mocks, the emulator and the sweeper's CLI.
 *
 * With CHAT_CHILD_COVERAGE=<folder> set (npm test sets it), children the harness starts write
 * V8 coverage there (NODE_V8_COVERAGE). Node writes it on a normal exit only, so a provider
 * host, which Pulumi's engine stops with SIGTERM and which has no handler of its own, is given
 * one that exits normally.
 */
import * as path from "node:path";

// A preload must be JavaScript: the build's copy, also when tests run this file from source.
const BUILT = __dirname.split(path.sep).includes("dist") ? __dirname : path.join(__dirname, "..", "dist", "harness");

/** The environment a child needs to report its coverage; empty when coverage is off. */
export function childCoverageEnv(options: { exitOnSigterm?: boolean } = {}): Record<string, string> {
  const folder = process.env.CHAT_CHILD_COVERAGE;
  if (!folder) return {};
  const preload = options.exitOnSigterm ? ` --require ${path.join(BUILT, "exit-on-sigterm.js")}` : "";
  return { NODE_V8_COVERAGE: path.resolve(folder), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""}${preload}`.trim() };
}
