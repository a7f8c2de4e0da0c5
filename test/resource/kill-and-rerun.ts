/**
 * Interrupted runs, through Pulumi's provider host: the host killed half-way through
 * `pulumi up` and the program run again from what the state kept. Nothing may leak, nothing
 * may be made twice. One suite per behaviour of destroyed GroupIds (interrupted-*.test.ts),
 * so that the two run side by side.
 */
import type { DestroyedGroupIds } from "../../emulator/policy";
import { MiniEngine, type Registration } from "../../harness/engine";
import { createProject, type PulumiProject } from "../../harness/project";
import { ProviderHost } from "../../harness/provider-host";
import { TestEmulator } from "../helpers/emulator";
import { TestStack } from "../helpers/stack";

const GROUPS = 40;
const ACCOUNTS = 6;

/** A review environment: accounts with generated IDs, and groups they own and join. */
const PROGRAM = `
  const { ChatAccount, ChatGroup } = require("pulumi-tencent-chat");
  const people = Array.from({ length: ${ACCOUNTS} }, (_, i) => new ChatAccount("user" + i, { userIdPrefix: "pr-7-", nick: "user " + i }));
  for (let i = 0; i < ${GROUPS}; i++) {
    new ChatGroup("room" + i, {
      type: i % 2 ? "Public" : "Private",
      name: "room " + i,
      ownerAccount: people[i % people.length].userId,
      members: [people[(i + 1) % people.length].userId],
    });
  }
`;

/** Registers the kill-and-rerun tests for one behaviour of destroyed GroupIds. */
export function killAndRerun(mode: DestroyedGroupIds): void {
  let emu: TestEmulator;
  let project: PulumiProject;
  let program: Registration[];
  const hosts: ProviderHost[] = [];

  beforeAll(async () => {
    emu = await TestEmulator.start();
    project = createProject();
    program = await project.run(PROGRAM);
  });
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    project?.remove();
    await emu?.close();
  });
  beforeEach(() => emu.control.reset());

  async function newHost(): Promise<ProviderHost> {
    const host = await ProviderHost.start(project.dir);
    hosts.push(host);
    await host.configure(TestStack.configFor(emu));
    return host;
  }

  async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const answered = async (command: string) =>
    (await emu.control.requests(command)).filter((r) => r.errorCode === 0).length;

  /** What the service holds against what the state holds. */
  async function tally(engine: MiniEngine) {
    const live = await emu.control.state();
    const inState = new Set([...engine.state.values()].map((r) => r.id));
    const names = live.groups.map((g) => g.name);
    const accounts = live.accounts.map((a) => a.userId).filter((id) => id !== "administrator");
    return {
      groups: live.groups.length,
      accounts: accounts.length,
      leaked: [...live.groups.map((g) => g.groupId), ...accounts].filter((id) => !inState.has(id)),
      duplicates: names.length - new Set(names).size,
    };
  }

  interface KillPoint {
    label: string;
    /** Sets the scene, then resolves when the host is to die. */
    arm(): Promise<void>;
  }

  const killPoints: KillPoint[] = [
    {
      label: "before any create",
      arm: () => until(async () => (await answered("account_import")) >= 1, "the first import"),
    },
    {
      label: "a quarter of the groups",
      arm: () => until(async () => (await answered("create_group")) >= GROUPS / 4, "a quarter"),
    },
    {
      label: "half of the groups",
      arm: () => until(async () => (await answered("create_group")) >= GROUPS / 2, "half"),
    },
    {
      label: "three quarters",
      arm: () => until(async () => (await answered("create_group")) >= (3 * GROUPS) / 4, "three quarters"),
    },
    {
      // create_group done, its read-back held: every create in flight has made its group and not said so.
      label: "between create_group and its answer to Pulumi",
      arm: async () => {
        await emu.control.addFault({ command: "get_group_info", action: { kind: "delay", ms: 30_000 }, times: 10_000 });
        await until(async () => (await answered("create_group")) >= 6, "six held creates");
      },
    },
    {
      label: "between account_import and its answer to Pulumi",
      arm: async () => {
        await emu.control.addFault({ command: "portrait_get", action: { kind: "delay", ms: 30_000 }, times: 10_000 });
        await until(async () => (await answered("account_import")) >= 3, "three held imports");
      },
    },
  ];

  /** Figures for the closing note: printed once per mode. */
  const figures: string[] = [];

  describe(`a host killed during \`pulumi up\`, rerun from what the state kept (destroyed IDs ${mode})`, () => {
    beforeAll(() => emu.control.configure({ latencyMs: 5, destroyedGroupIds: mode }));
    afterAll(async () => {
      await emu.control.configure({ latencyMs: 0, destroyedGroupIds: "reusable" });
      console.log(
        `Kill and rerun, destroyed IDs ${mode}: ${GROUPS} groups and ${ACCOUNTS} accounts\n${figures.splice(0).join("\n")}`,
      );
    });

    // Whether destroyed IDs come back matters once IDs are reused, not to where the kill falls:
    // the reserved mode runs the two kill points that leave the most half-made.
    const points =
      mode === "reusable"
        ? killPoints
        : killPoints.filter((k) => k.label === "half of the groups" || k.label.startsWith("between create_group"));
    it.each(points.map((k) => [k.label, k] as const))(
      "ends with every object exactly once, all in state, killed at %s",
      async (_label, point) => {
        const first = new MiniEngine(await newHost());
        const interrupted = first.up(program).then(
          () => "finished",
          () => "interrupted",
        );
        await point.arm();
        await first.host.kill();
        expect(await interrupted).toBe("interrupted");
        await emu.control.clearFaults();
        const before = await tally(first);

        const rerun = new MiniEngine(await newHost(), { state: first.snapshot() });
        await rerun.up(program);
        const after = await tally(rerun);
        figures.push(
          `  killed at ${_label}: ${before.groups} groups and ${before.accounts} accounts existed, ${first.state.size} resources in state; ` +
            `after the rerun ${after.groups} groups, ${after.accounts} accounts, ${after.leaked.length} left out of state, ${after.duplicates} duplicates`,
        );
        expect(after).toEqual({ groups: GROUPS, accounts: ACCOUNTS, leaked: [], duplicates: 0 });
        expect(rerun.state.size).toBe(GROUPS + ACCOUNTS);

        await rerun.destroy();
        expect(await tally(rerun)).toMatchObject({ groups: 0, accounts: 0 });
        await rerun.host.stop();
      },
    );

    it("destroys and creates the same program again, getting IDs the service takes", async () => {
      const engine = new MiniEngine(await newHost());
      await engine.up(program);
      const firstIds = [...engine.state.values()].map((r) => r.id).sort();
      await engine.destroy();
      await engine.up(program);
      const secondIds = [...engine.state.values()].map((r) => r.id).sort();
      expect(await tally(engine)).toEqual({ groups: GROUPS, accounts: ACCOUNTS, leaked: [], duplicates: 0 });
      // A reserved ID is passed over: the next incarnation is taken instead.
      if (mode === "reserved")
        expect(secondIds.filter((id) => id.startsWith("pulumi-")).every((id) => !firstIds.includes(id))).toBe(true);
      await engine.destroy();
      await engine.host.stop();
    });
  });
}
