/**
 * The coverage report `npm test` prints: jest's own V8 coverage of the code tests run
 * in-process, merged with the V8 coverage the child processes wrote (provider hosts,
 * programs under mocks, the emulator and sweeper CLIs; see harness/child-coverage.ts),
 * mapped back to the TypeScript sources through the build's source maps.
 *
 * Fails when fewer than LINE_TARGET of the lines of provider/ ran.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createCoverageMap, createCoverageSummary, type CoverageMap, type CoverageMapData } from "istanbul-lib-coverage";

const LINE_TARGET = 90;
const REPO = path.resolve(__dirname, "..", "..");
const IN_PROCESS = path.join(REPO, "coverage", "in-process", "coverage-final.json");
const CHILDREN = path.join(REPO, "coverage", "children");
const FOLDERS = ["chat-api", "provider", "emulator"];

async function childCoverage(): Promise<CoverageMap> {
  if (!existsSync(CHILDREN)) return createCoverageMap({});
  // c8's Report reads the raw V8 files and remaps them through dist's source maps.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Report } = require("c8") as { Report: new (options: Record<string, unknown>) => { getCoverageMapFromAllCoverageFiles(): Promise<CoverageMap> } };
  const report = new Report({
    tempDirectory: CHILDREN,
    src: [REPO],
    include: FOLDERS.map((folder) => `${folder}/**/*.ts`),
    exclude: ["**/*.d.ts", "dist/test/**", "dist/harness/**"],
    excludeAfterRemap: true,
    excludeNodeModules: true,
    reporter: [],
  });
  return report.getCoverageMapFromAllCoverageFiles();
}

function relative(file: string): string {
  return path.relative(REPO, file).split(path.sep).join("/");
}

async function main(): Promise<void> {
  if (!existsSync(IN_PROCESS)) throw new Error(`${IN_PROCESS} is missing: run jest with --coverage first (npm test does)`);
  const merged = createCoverageMap(JSON.parse(readFileSync(IN_PROCESS, "utf8")) as CoverageMapData);
  merged.merge(await childCoverage());
  writeFileSync(path.join(REPO, "coverage", "coverage-final.json"), JSON.stringify(merged.toJSON()));

  const rows: Array<[string, number, number]> = [];
  const byFolder = new Map<string, ReturnType<typeof createCoverageSummary>>();
  for (const file of merged.files()) {
    const name = relative(file);
    const folder = name.split("/").slice(0, name.startsWith("provider/") ? 2 : 1).join("/");
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
  console.log(`  ${"provider/ in all".padEnd(22)} ${`${pct(provider.lines)} (target ${LINE_TARGET}%)`.padEnd(26)} ${pct(provider.branches)}`);
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
