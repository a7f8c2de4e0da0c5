/**
 * Preloaded (`node --require`) into the child processes tests start while coverage is
 * collected (see child-coverage.ts). It records V8 block coverage through the inspector and,
 * when the process exits, writes what ran of this package's built code (dist/chat-api,
 * dist/provider, dist/emulator) to CHAT_CHILD_COVERAGE in the format of NODE_V8_COVERAGE,
 * which c8 reads. Node's own NODE_V8_COVERAGE would write every script, Pulumi's SDK and
 * gRPC included: a hundred times more to write and read back.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const folder = process.env.CHAT_CHILD_COVERAGE && path.resolve(process.env.CHAT_CHILD_COVERAGE);
if (folder) {
  const dist = pathToFileURL(path.join(__dirname, "..")).href;
  const ours = new RegExp(`^${dist.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/(chat-api|provider|emulator)/`);
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });

  // A provider host has no SIGTERM handler of its own (the engine just stops it); with one that
  // exits normally, the exit handler below runs. Only for the process it was asked for.
  if (process.env.CHAT_CHILD_COVERAGE_SIGTERM === "exit") process.on("SIGTERM", () => process.exit(0));
  delete process.env.CHAT_CHILD_COVERAGE_SIGTERM;

  process.on("exit", () => {
    // The inspector answers within post when the session is in this thread.
    session.post("Profiler.takePreciseCoverage", (err, coverage) => {
      const result = err ? [] : coverage.result.filter((script) => ours.test(script.url));
      if (!result.length) return;
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `coverage-${process.pid}-${Date.now()}.json`), JSON.stringify({ result }));
    });
  });
}
