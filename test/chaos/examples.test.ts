/**
 * The examples, cancelled at any point and rerun: each program's `up` has its host killed
 * after a given number of provider calls, under random faults, and is run again from the
 * state kept until it succeeds; then the service holds exactly what the state references,
 * each object once, and a destroy (itself killed, then rerun) leaves nothing.
 *
 * @slow a provider host per run
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { MiniEngine, type Registration, type ResourceState } from "../../harness/engine";
import { ProviderHost } from "../../harness/provider-host";
import { REPO } from "../../harness/project";
import { TestStack, useStack } from "../helpers/stack";
import { chaosFaults, type KillableHost, untilDone } from "./soak";

const TIMEOUT_MS = 800;
const stack = useStack();

const source = (example: string) => readFileSync(path.join(REPO, "examples", example, "index.ts"), "utf8");

/** Runs `run` with a new host per attempt, the first killed after `killAfter` calls, until one succeeds. */
async function rerunUntilDone(state: ResourceState[], killAfter: number, run: (engine: MiniEngine<KillableHost>) => Promise<void>): Promise<{ state: ResourceState[] }> {
  const host = async () => {
    const started = await ProviderHost.start(stack().project.dir);
    await started.configure({ ...TestStack.configFor(stack().emu), "tencent-chat:requestTimeoutMs": TIMEOUT_MS });
    return started;
  };
  const outcome = await untilDone({ state, kill: { after: killAfter, delayMs: 20 }, maxAttempts: 6, host, run });
  if (!outcome.ok) throw new Error(`did not converge in 6 runs:\n${outcome.errors.join("\n")}`);
  return outcome;
}

/** What the service holds against the state: objects the state does not reference, and state the service does not hold. */
async function compare(state: ResourceState[]): Promise<{ leaked: string[]; missing: string[] }> {
  const live = await stack().emu.control.state();
  const ids = new Set(state.map((r) => String(r.outputs.groupId ?? r.outputs.userId ?? r.id)));
  const topics = new Set(state.map((r) => r.outputs.topicId).filter((t) => t !== undefined));
  const held = [...live.groups.map((g) => g.groupId), ...live.accounts.map((a) => a.userId).filter((id) => id !== "administrator")];
  const liveTopics = live.groups.flatMap((g) => (g.topics ?? []).map((t) => t.topicId));
  return {
    leaked: [...held.filter((id) => !ids.has(id)), ...liveTopics.filter((t) => !topics.has(t))],
    missing: [...ids].filter((id) => !held.includes(id) && !liveTopics.includes(id) && ![...topics].includes(id)),
  };
}

describe.each([
  ["ephemeral-env", { "chat-project:testers": '["qa","designer"]' }],
  ["quickstart", {}],
] as const)("examples/%s cancelled and rerun", (example, config) => {
  let program: Registration[];
  beforeAll(async () => {
    program = await stack().project.run(source(example), {}, { typescript: true, config });
  });

  // Kill points spread over the run: before the first create, among the creates, near the end.
  it.each([2, 5, 9, 14])("converges when the host dies after %i provider calls, and a killed destroy still leaves nothing", async (killAfter) => {
    await stack().emu.control.setRandomFaults({ rate: 0.1, seed: killAfter, afterCommit: 0.4, actions: chaosFaults(TIMEOUT_MS) });
    const up = await rerunUntilDone([], killAfter, (engine) => engine.up(program));
    expect(await compare(up.state)).toEqual({ leaked: [], missing: [] });
    expect(up.state.map((r) => r.name).sort()).toEqual(program.map((r) => r.name).sort());

    const down = await rerunUntilDone(up.state, Math.max(1, killAfter - 1), (engine) => engine.destroy());
    expect(down.state).toEqual([]);
    await stack().emu.control.clearFaults();
    expect(await compare([])).toEqual({ leaked: [], missing: [] });
  });
});
