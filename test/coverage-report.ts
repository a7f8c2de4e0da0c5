/**
 * The coverage report `npm test` prints: jest's coverage of the code tests run in-process
 * (istanbul counters), merged with the V8 coverage the child processes wrote (provider hosts,
 * programs under mocks, the emulator and sweeper CLIs; see harness/child-coverage.ts),
 * mapped back to the TypeScript sources through the build's source maps (v8-to-istanbul, as
 * jest and c8 do).
 *
 * Fails when fewer than LINE_TARGET of the lines of provider/ ran.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

import {
  type CoverageMap,
  type CoverageMapData,
  createCoverageMap,
  createCoverageSummary,
} from "istanbul-lib-coverage";
import v8ToIstanbul from "v8-to-istanbul";

// V8's coverage format, and the merge c8 and jest use (the package ships no types).
interface FunctionCov {
  functionName: string;
  ranges: { startOffset: number; endOffset: number; count: number }[];
  isBlockCoverage: boolean;
}
interface ProcessCov {
  result: { scriptId: string; url: string; functions: FunctionCov[] }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mergeProcessCovs } = require("@bcoe/v8-coverage") as { mergeProcessCovs(processes: ProcessCov[]): ProcessCov };

const LINE_TARGET = 90;
const REPO = path.resolve(__dirname, "..", "..");
const IN_PROCESS = path.join(REPO, "coverage", "in-process", "coverage-final.json");
const CHILDREN = path.join(REPO, "coverage", "children");
const FOLDERS = ["chat-api", "provider", "emulator"];

/**
 * The children's V8 coverage, merged across processes script by script, then remapped through
 * the build's source maps to the TypeScript sources. The provider's entry is one bundle of
 * many sources: only lines of this package's own sources are kept.
 */
async function childCoverage(): Promise<CoverageMap> {
  const map = createCoverageMap({});
  if (!existsSync(CHILDREN)) return map;
  const processes = readdirSync(CHILDREN).map(
    (file) => JSON.parse(readFileSync(path.join(CHILDREN, file), "utf8")) as ProcessCov,
  );
  const ours = (file: string) => {
    const name = relative(file);
    return !name.startsWith("..") && FOLDERS.includes(name.split("/")[0]) && name.endsWith(".ts");
  };
  for (const script of mergeProcessCovs(processes).result) {
    const converter = v8ToIstanbul(
      fileURLToPath(script.url),
      0,
      undefined,
      (file) => !ours(path.resolve(path.dirname(fileURLToPath(script.url)), file)),
    );
    await converter.load();
    converter.applyCoverage(script.functions);
    const remapped = converter.toIstanbul();
    for (const file of Object.keys(remapped)) if (!ours(file)) delete remapped[file];
    map.merge(remapped);
  }
  return map;
}

function relative(file: string): string {
  return path.relative(REPO, file).split(path.sep).join("/");
}

async function main(): Promise<void> {
  if (!existsSync(IN_PROCESS))
    throw new Error(`${IN_PROCESS} is missing: run jest with --coverage first (npm test does)`);
  const merged = createCoverageMap(JSON.parse(readFileSync(IN_PROCESS, "utf8")) as CoverageMapData);
  merged.merge(await childCoverage());
  writeFileSync(path.join(REPO, "coverage", "coverage-final.json"), JSON.stringify(merged.toJSON()));

  const rows: Array<[string, number, number]> = [];
  const byFolder = new Map<string, ReturnType<typeof createCoverageSummary>>();
  for (const file of merged.files()) {
    const name = relative(file);
    const folder = name
      .split("/")
      .slice(0, name.startsWith("provider/") ? 2 : 1)
      .join("/");
    if (!FOLDERS.includes(name.split("/")[0])) continue;
    const lines = merged.fileCoverageFor(file).toSummary().lines;
    if (!byFolder.has(folder)) byFolder.set(folder, createCoverageSummary());
    byFolder.get(folder)!.merge(merged.fileCoverageFor(file).toSummary());
    if (lines.pct < 80) rows.push([name, lines.covered, lines.total]);
  }
  const provider = createCoverageSummary();
  const pct = (part: { pct: number }) => `${part.pct.toFixed(1).padStart(5)}%`;
  console.log("\nCoverage, in-process and in child processes:  lines (run/all)          branches");
  for (const [folder, summary] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    if (folder.startsWith("provider")) provider.merge(summary);
    const lines = `${pct(summary.lines)} (${summary.lines.covered}/${summary.lines.total})`;
    console.log(`  ${folder.padEnd(22)} ${lines.padEnd(26)} ${pct(summary.branches)}`);
  }
  console.log(
    `  ${"provider/ in all".padEnd(22)} ${`${pct(provider.lines)} (target ${LINE_TARGET}%)`.padEnd(26)} ${pct(provider.branches)}`,
  );
  for (const [name, covered, total] of rows) console.log(`  under 80%: ${name} ${covered}/${total}`);
  if (provider.lines.pct < LINE_TARGET) {
    console.error(`provider/ line coverage ${provider.lines.pct.toFixed(1)}% is under ${LINE_TARGET}%`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
