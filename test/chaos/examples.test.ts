/**
 * The examples, cancelled at any point and rerun: each program's `up` has its host killed
 * after a given number of provider calls, under random faults, and is run again from the
 * state kept until it succeeds; then the service holds exactly what the state references,
 * each object once, and a destroy (itself killed, then rerun) leaves nothing. Each runs among
 * a generated stack of the chaos suite on the same app, under the same faults, judged by that
 * suite's judge: neither stack touches the other's objects.
 *
 * @slow a provider host per run
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import fc from "fast-check";

import { MiniEngine, type Registration, type ResourceState } from "../../harness/engine";
import { REPO } from "../../harness/project";
import { ProviderHost } from "../../harness/provider-host";
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { CHAT_GROUP_MEMBER_TYPE, providerText, TestStack, useStack } from "../helpers/stack";
import { jobArb } from "./arbitraries";
import type { Kind } from "./programs";
import {
  type ChaosApp,
  chaosFaults,
  type KillableHost,
  makeNeighbours,
  ownedBy,
  problemsOf,
  runJob,
  untilDone,
} from "./soak";

const TIMEOUT_MS = 800;
const stack = useStack();

const source = (example: string) => readFileSync(path.join(REPO, "examples", example, "index.ts"), "utf8");

/** Runs `run` with a new host per attempt, the first killed after `killAfter` calls, until one succeeds. */
async function rerunUntilDone(
  state: ResourceState[],
  killAfter: number,
  run: (engine: MiniEngine<KillableHost>) => Promise<void>,
): Promise<{ state: ResourceState[] }> {
  const host = async () => {
    const started = await ProviderHost.start(stack().project.dir);
    await started.configure({ ...TestStack.configFor(stack().emu), "tencent-chat:requestTimeoutMs": TIMEOUT_MS });
    return started;
  };
  const outcome = await untilDone({ state, kill: { after: killAfter, delayMs: 20 }, maxAttempts: 6, host, run });
  if (!outcome.ok) throw new Error(`did not converge in 6 runs:\n${outcome.errors.join("\n")}`);
  return outcome;
}

/** Groups that exist before the program runs (another stack's), with the members they start with. */
type External = ReadonlyMap<string, readonly string[]>;

/**
 * What the service holds against the state: objects the state does not reference, and state
 * the service does not hold. In a group the program does not own, the members beyond those it
 * started with must be exactly the state's memberships of it.
 */
async function compare(
  state: ResourceState[],
  external: External = new Map(),
  besides?: string,
): Promise<{ leaked: string[]; missing: string[] }> {
  const all = await stack().emu.control.state();
  // The generated stack beside the example, and its neighbours (`<job>x-…`), are judged by its own judge.
  const theirs = (id: string) => besides !== undefined && (ownedBy(besides, id) || ownedBy(`${besides}x`, id));
  const live = {
    groups: all.groups.filter((g) => !theirs(g.groupId)),
    accounts: all.accounts.filter((a) => !theirs(a.userId)),
  };
  const memberships = state.filter((r) => r.type === CHAT_GROUP_MEMBER_TYPE).map((r) => r.id);
  const objects = state.filter((r) => r.type !== CHAT_GROUP_MEMBER_TYPE);
  const ids = new Set(objects.map((r) => String(r.outputs.groupId ?? r.outputs.userId ?? r.id)));
  const topics = new Set(objects.map((r) => r.outputs.topicId).filter((t) => t !== undefined));
  const held = [
    ...live.groups.map((g) => g.groupId).filter((id) => !external.has(id)),
    ...live.accounts
      .map((a) => a.userId)
      .filter((id) => id !== "administrator" && ![...external.values()].flat().includes(id)),
  ];
  const liveTopics = live.groups.flatMap((g) => (g.topics ?? []).map((t) => t.topicId));
  const seats = live.groups
    .filter((g) => external.has(g.groupId))
    .flatMap((g) =>
      g.members
        .map((m) => m.account)
        .filter((a) => !external.get(g.groupId)?.includes(a))
        .map((a) => `${g.groupId}/${a}`),
    );
  return {
    leaked: [
      ...held.filter((id) => !ids.has(id)),
      ...liveTopics.filter((t) => !topics.has(t)),
      ...seats.filter((m) => !memberships.includes(m)),
    ],
    missing: [
      ...[...ids].filter((id) => !held.includes(id) && !liveTopics.includes(id) && ![...topics].includes(id)),
      ...memberships.filter((m) => !seats.includes(m)),
    ],
  };
}

/** The groups examples/team-bot joins, made as the platform stack would have made them. */
async function platformGroups(): Promise<External> {
  await stack().emu.importAccounts("platform", "alice");
  for (const GroupId of ["support-lobby", "support-vip"]) {
    await stack().emu.group("create_group", {
      Type: "Public",
      GroupId,
      Name: GroupId,
      Owner_Account: "platform",
      MemberList: [{ Member_Account: "alice" }],
    });
  }
  return new Map([
    ["support-lobby", ["platform", "alice"]],
    ["support-vip", ["platform", "alice"]],
  ]);
}

/** The chaos suite's view of this file's app, for the generated stack run beside each example. */
async function chaosApp(): Promise<ChaosApp> {
  const texts = {} as Record<Kind, string>;
  for (const [kind, name] of [
    ["account", "ChatAccount"],
    ["group", "ChatGroup"],
    ["topic", "ChatTopic"],
  ] as const)
    texts[kind] = await providerText(stack().project, name);
  return {
    control: stack().emu.control,
    client: new ChatClient({
      sdkAppId: TEST_SDKAPPID,
      secretKey: TEST_KEY,
      endpoint: stack().emu.url,
      rateLimiter: new RateLimiter({ rateLimit: 0 }),
    }),
    projectDir: stack().project.dir,
    providerText: texts,
    config: { ...TestStack.configFor(stack().emu), "tencent-chat:requestTimeoutMs": TIMEOUT_MS },
  };
}

const plainConfig = () =>
  Object.fromEntries(
    Object.entries(TestStack.configFor(stack().emu)).map(([k, v]) => [
      k,
      typeof v === "string" ? v : (v as { value: string }).value,
    ]),
  );

describe.each([
  ["ephemeral-env", { "chat-project:testers": '["qa","designer"]' }, undefined],
  ["quickstart", {}, undefined],
  ["team-bot", { "chat-project:groups": '["support-lobby","support-vip"]' }, platformGroups],
] as const)("examples/%s cancelled and rerun", (example, config, setup) => {
  let program: Registration[] | undefined;

  // Kill points spread over the run: before the first create, among the creates, near the end.
  it.each([2, 5, 9, 14])(
    "converges when the host dies after %i provider calls, and a killed destroy still leaves nothing",
    async (killAfter) => {
      const external = (await setup?.()) ?? new Map();
      // A program that looks things up at run time reads the app, so it runs once the app is set up.
      program ??= await stack().project.run(
        source(example),
        {},
        { typescript: true, config: { ...config, ...(setup && plainConfig()) } },
      );
      const registrations = program;
      const app = await chaosApp();
      const job = `ex${killAfter}`;
      const [plan] = fc.sample(jobArb({ minLength: 1, maxLength: 2 }), { seed: killAfter, numRuns: 1 });
      const neighbours = await makeNeighbours(app, job);
      await stack().emu.control.setRandomFaults({
        rate: 0.1,
        seed: killAfter,
        afterCommit: 0.4,
        actions: chaosFaults(TIMEOUT_MS),
      });
      const beside = runJob(app, job, plan, { maxAttempts: 6, neighbours });
      try {
        const up = await rerunUntilDone([], killAfter, (engine) => engine.up(registrations));
        expect(await compare(up.state, external, job)).toEqual({ leaked: [], missing: [] });
        expect(up.state.map((r) => r.name).sort()).toEqual(registrations.map((r) => r.name).sort());

        const down = await rerunUntilDone(up.state, Math.max(1, killAfter - 1), (engine) => engine.destroy());
        expect(down.state).toEqual([]);
        expect(problemsOf(await beside)).toEqual([]);
        await stack().emu.control.clearFaults();
        expect(await compare([], external, job)).toEqual({ leaked: [], missing: [] });
      } finally {
        await beside.catch(() => undefined);
      }
    },
  );
});

describe("examples/ephemeral-env, found under chaos", () => {
  it("takes over a topic that a run made but could not record, as it does its groups", async () => {
    const registrations = await stack().project.run(
      source("ephemeral-env"),
      {},
      { typescript: true, config: { "chat-project:testers": '["qa","designer"]' } },
    );
    // The service makes the first topic and the answer says it failed: the run ends without it in its state.
    await stack().emu.control.addFault({
      command: "create_topic",
      action: { kind: "error", errorCode: 10004 },
      afterCommit: true,
    });
    const first = new MiniEngine(stack().host);
    await expect(first.up(registrations)).rejects.toThrow(/create_topic failed: 10004/);
    const made = (await stack().emu.control.state()).groups.flatMap((g) => (g.topics ?? []).map((t) => t.topicId));
    const recorded = first.snapshot().map((r) => r.outputs.topicId);
    expect(made.filter((t) => !recorded.includes(t))).toHaveLength(1);

    const rerun = new MiniEngine(stack().host, { state: first.snapshot() });
    await rerun.up(registrations);
    expect(await compare(rerun.snapshot())).toEqual({ leaked: [], missing: [] });
    await rerun.destroy();
    expect(await compare([])).toEqual({ leaked: [], missing: [] });
  });
});
