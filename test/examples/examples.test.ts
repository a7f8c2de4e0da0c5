/**
 * Each example type-checks as its own project would (its tsconfig, the library's types) and
 * runs under Pulumi's provider host against the emulator: up, then destroy.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO } from "../../harness/project";
import { useStack } from "../helpers/stack";

const EXAMPLES = path.join(REPO, "examples");

/** Type errors of each example, as its own tsconfig sees them; examples whose options match share one program. */
const typeErrors = (() => {
  const programs = new Map<string, ts.Program>();
  return (example: string): string[] => {
    const dir = path.join(EXAMPLES, example);
    const { config } = ts.readConfigFile(path.join(dir, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir);
    // As installed: "pulumi-tencent-chat" is this repository's library.
    const options = { ...parsed.options, noEmit: true, paths: { "pulumi-tencent-chat": [path.join(REPO, "provider", "index.ts")] } };
    const key = JSON.stringify({ ...options, configFilePath: undefined, pathsBasePath: undefined });
    let program = programs.get(key);
    if (!program) {
      const files = readdirSync(EXAMPLES).map((name) => path.join(EXAMPLES, name, "index.ts"));
      program = ts.createProgram(files, options);
      programs.set(key, program);
    }
    // Everything the program checks except the other examples' own files: the library's sources included.
    const checked = program.getSourceFiles().filter((f) => !f.fileName.startsWith(`${EXAMPLES}/`) || f.fileName.startsWith(`${dir}/`));
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  };
})();

const stack = useStack();

const source = (example: string) => readFileSync(path.join(EXAMPLES, example, "index.ts"), "utf8");

describe.each(["quickstart", "ephemeral-env"])("examples/%s", (example) => {
  it("type-checks with its own tsconfig", () => {
    expect(typeErrors(example)).toEqual([]);
  }, 60_000);

  it("has a Pulumi.yaml, a package.json depending on the library by path, and a README", () => {
    const pkg = JSON.parse(readFileSync(path.join(EXAMPLES, example, "package.json"), "utf8"));
    expect(pkg.dependencies["pulumi-tencent-chat"]).toBe("file:../..");
    expect(readFileSync(path.join(EXAMPLES, example, "Pulumi.yaml"), "utf8")).toMatch(/runtime:\s*\n\s*name: nodejs/);
    expect(readFileSync(path.join(EXAMPLES, example, "README.md"), "utf8")).toContain("pulumi up");
  });
});

describe("examples/quickstart under the provider host", () => {
  it("creates one group of each type it declares, and destroys them", async () => {
    const resources = await stack().project.run(source("quickstart"), {}, { typescript: true });
    expect(resources.map((r) => r.name).sort()).toEqual(["live", "lobby", "standup", "team"]);
    await stack().engine.up(resources);
    const types = (await stack().emu.control.state()).groups.map((g) => g.type).sort();
    expect(types).toEqual(["AVChatRoom", "ChatRoom", "Private", "Public"]);
    await stack().engine.destroy();
    expect((await stack().emu.control.state()).groups).toEqual([]);
  });
});

describe("examples/ephemeral-env under the provider host", () => {
  it("builds a review environment named from the stack, and tears it down after a group was disbanded by hand", async () => {
    const resources = await stack().project.run(source("ephemeral-env"), {}, { typescript: true, config: { "chat-project:testers": '["qa"]' } });
    await stack().engine.up(resources);
    const state = await stack().emu.control.state();
    const owner = stack().engine.state.get("owner")?.id;
    const qa = stack().engine.state.get("user-qa")?.id;
    expect(owner).toMatch(/^test-[0-9a-z]{8}-1$/);
    expect(state.accounts.map((a) => a.userId).sort()).toEqual(["administrator", owner, qa].sort());
    const review = state.groups.find((g) => g.groupId === "test-review");
    expect(review).toMatchObject({ type: "Private", owner, appDefinedData: { env: "test" } });
    expect(review?.members.map((m) => m.account).sort()).toEqual([owner, qa].sort());
    expect(state.groups.find((g) => g.groupId === "test-announce")).toMatchObject({ muteAllMember: "On" });

    await stack().emu.group("destroy_group", { GroupId: "test-review" });
    await stack().engine.destroy();
    const after = await stack().emu.control.state();
    expect(after.groups).toEqual([]);
    expect(after.accounts.map((a) => a.userId)).toEqual(["administrator"]);
  });
});
