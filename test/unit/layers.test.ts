/**
 * The folders are the architecture: each layer imports only those below it, and what runs in a
 * Pulumi program never loads what runs in the provider process. Read with TypeScript's own
 * import scanner, from the sources.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

import * as ts from "typescript";

const REPO = path.join(__dirname, "..", "..");

/** Every TypeScript source under `dir`, relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** The repository files `file` imports (relative imports only), without extension. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(REPO, file), "utf8"), true, true);
  return importedFiles
    .filter((i) => i.fileName.startsWith("."))
    .map((i) => path.normalize(path.join(path.dirname(file), i.fileName)));
}

/** The layer a file belongs to, by its folder. */
function layerOf(file: string): string {
  const parts = file.split(path.sep);
  if (parts[0] !== "provider") return parts[0];
  if (parts.length === 2) return `provider/${parts[1].replace(/\.ts$/, "")}`;
  return parts[1].startsWith("chat-") ? "provider/resources" : `provider/${parts[1]}`;
}

/** What each layer may import, besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
  "chat-api": [],
  emulator: ["chat-api"],
  "provider/client": ["chat-api"],
  "provider/common": ["chat-api", "provider/client"],
  "provider/fields": ["chat-api", "provider/common"],
  "provider/program": ["chat-api", "provider/common"],
  "provider/host": ["chat-api", "provider/client", "provider/common"],
  "provider/resources": [
    "chat-api",
    "provider/client",
    "provider/common",
    "provider/fields",
    "provider/program",
    "provider/host",
  ],
  "provider/sweeper": ["chat-api", "provider/client", "provider/common"],
  "provider/lookups": ["chat-api", "provider/client", "provider/common", "provider/resources"],
};

describe("the layers", () => {
  const files = [...sources("chat-api"), ...sources("emulator"), ...sources("provider")];

  it("import only the layers below them", () => {
    const wrong = files.flatMap((file) => {
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (!allowed) return [];
      return importsOf(file)
        .map((target) => [target, layerOf(target)] as const)
        .filter(([, to]) => to !== layer && !allowed.includes(to))
        .map(([target]) => `${file} -> ${target}`);
    });
    expect(wrong).toEqual([]);
  });

  it("keep the provider process's code out of a Pulumi program: a resource class loads nothing of host/", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const target of importsOf(file)) visit(`${target}.ts`);
    };
    for (const resource of files.filter((f) => f.endsWith(`${path.sep}resource.ts`))) visit(resource);
    visit(path.join("provider", "program", "shim.ts"));
    expect([...seen].filter((f) => f.startsWith(path.join("provider", "host")) || f.endsWith("provider.ts"))).toEqual(
      [],
    );
  });
});
