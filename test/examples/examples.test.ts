/**
 * Each example is type-checked as its own project would be (by npm test's tsc, with the same
 * options) and runs under Pulumi's provider host against the emulator: up, then destroy.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import * as ts from "typescript";

import { REPO } from "../../harness/project";
import { TestStack, useStack } from "../helpers/stack";

const EXAMPLES = path.join(REPO, "examples");

/** Compiler options as a tsconfig file sets them, and the files it takes in. */
function tsconfig(dir: string): { options: ts.CompilerOptions; files: string[] } {
  const { config } = ts.readConfigFile(path.join(dir, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir);
  return { options: parsed.options, files: parsed.fileNames.map((f) => path.resolve(f)) };
}

const stack = useStack();

const source = (example: string) => readFileSync(path.join(EXAMPLES, example, "index.ts"), "utf8");

describe.each(["quickstart", "ephemeral-env", "team-bot"])("examples/%s", (example) => {
  // npm test's first step, tsc -p tsconfig.json, compiles every example; it checks each as its
  // own tsconfig would when the repository's options agree with the example's on every one
  // the example sets (the repository's may only add strictness, e.g. noUnusedLocals).
  it("is type-checked by npm test with the options of its own tsconfig", () => {
    const own = tsconfig(path.join(EXAMPLES, example));
    const repo = tsconfig(REPO);
    expect(own.files).toEqual([path.join(EXAMPLES, example, "index.ts")]);
    expect(repo.files).toContain(path.join(EXAMPLES, example, "index.ts"));
    for (const [option, value] of Object.entries(own.options)) {
      if (option === "configFilePath") continue;
      expect([option, repo.options[option]]).toEqual([option, value]);
    }
  });

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
    const resources = await stack().project.run(
      source("ephemeral-env"),
      {},
      { typescript: true, config: { "chat-project:testers": '["qa"]' } },
    );
    await stack().engine.up(resources);
    const state = await stack().emu.control.state();
    const owner = stack().engine.state.get("owner")?.id;
    const qa = stack().engine.state.get("user-qa")?.id;
    expect(owner).toMatch(/^test-[0-9a-z]{8}-1$/);
    expect(state.accounts.map((a) => a.userId).sort()).toEqual(["administrator", owner, qa].sort());
    const review = state.groups.find((g) => g.groupId === "test-review");
    expect(review).toMatchObject({ type: "Private", owner, appDefinedData: { env: "test" } });
    expect(review?.members.map((m) => m.account).sort()).toEqual([owner, qa].sort());
    const announce = state.groups.find((g) => g.groupId === "test-announce");
    expect(announce).toMatchObject({ muteAllMember: "On" });
    expect(announce?.members.map((m) => [m.account, (m as { role?: string }).role]).sort()).toEqual(
      [
        [owner, "Owner"],
        [qa, "Admin"],
      ].sort(),
    );
    const community = state.groups.find(
      (g) => g.groupId === "@TGS#_test-community",
    ) as (typeof state.groups)[number] & { topics?: { topicId: string; topicName: string }[] };
    expect(community).toMatchObject({ type: "Community", supportTopic: 1 });
    expect(community.members.map((m) => [m.account, (m as { role?: string }).role]).sort()).toEqual(
      [
        [owner, "Owner"],
        [qa, "Admin"],
      ].sort(),
    );
    expect(community.topics?.map((t) => [t.topicId, t.topicName]).sort()).toEqual([
      ["@TGS#_test-community@TOPIC#_bugs", "Bugs"],
      ["@TGS#_test-community@TOPIC#_general", "General"],
    ]);

    await stack().emu.group("destroy_group", { GroupId: "test-review" });
    await stack().engine.destroy();
    const after = await stack().emu.control.state();
    expect(after.groups).toEqual([]);
    expect(after.accounts.map((a) => a.userId)).toEqual(["administrator"]);
  });
});

describe("examples/team-bot under the provider host", () => {
  it("puts the team's bot into groups it does not own as an admin, and destroy takes out only the bot", async () => {
    await stack().emu.importAccounts("platform", "alice");
    for (const GroupId of ["support-lobby", "support-vip"]) {
      await stack().emu.group("create_group", {
        Type: "Public",
        GroupId,
        Name: GroupId,
        Owner_Account: "platform",
        MemberList: [{ Member_Account: "alice", Role: "Admin" }],
      });
    }
    const config = { "chat-project:groups": '["support-lobby","support-vip"]', ...plainConfig() };
    const resources = await stack().project.run(source("team-bot"), {}, { typescript: true, config });
    await stack().engine.up(resources);
    const bot = stack().engine.state.get("bot")?.id as string;
    expect(bot).toMatch(/^test-bot-[0-9a-z]{8}-1$/);
    const seats = async () =>
      (await stack().emu.control.state()).groups
        .map((g) => [g.groupId, g.members.map((m) => [m.account, m.role, m.nameCard]).sort()])
        .sort();
    expect(await seats()).toEqual([
      [
        "support-lobby",
        [
          ["alice", "Admin", ""],
          [bot, "Admin", "Support"],
          ["platform", "Owner", ""],
        ].sort(),
      ],
      [
        "support-vip",
        [
          ["alice", "Admin", ""],
          [bot, "Admin", "Support"],
          ["platform", "Owner", ""],
        ].sort(),
      ],
    ]);

    await stack().engine.destroy();
    const after = await stack().emu.control.state();
    expect(after.groups.map((g) => [g.groupId, g.members.map((m) => m.account).sort()])).toEqual([
      ["support-lobby", ["alice", "platform"]],
      ["support-vip", ["alice", "platform"]],
    ]);
    expect(after.accounts.map((a) => a.userId).sort()).toEqual(["administrator", "alice", "platform"]);
  });
});

/** The stack's credentials as a program reads them: plain strings, the key unwrapped from its secret. */
const plainConfig = () =>
  Object.fromEntries(
    Object.entries(TestStack.configFor(stack().emu)).map(([k, v]) => [
      k,
      typeof v === "string" ? v : (v as { value: string }).value,
    ]),
  );
