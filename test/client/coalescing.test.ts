/**
 * Reads of single groups coalesced into batched get_group_info calls, whatever the speed of
 * the service and of the callers.
 *
 * @slow callers and a service that take real time to answer
 */
import { testClient } from "../helpers/client";
import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();

describe("coalesced single-group reads", () => {
  it("serves 120 concurrent reads with three get_group_info calls", async () => {
    const { client } = testClient(emu());
    for (let i = 0; i < 120; i++) await client.createGroup({ Type: "Public", Name: `n${i}`, GroupId: `g${i}` });
    const groups = await Promise.all(Array.from({ length: 120 }, (_, i) => client.getGroup(`g${i}`)));
    expect(groups.map((g) => g?.Name)).toEqual(Array.from({ length: 120 }, (_, i) => `n${i}`));
    const calls = await emu().control.requests("get_group_info");
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => (JSON.parse(c.body) as { GroupIdList: string[] }).GroupIdList.length)).toEqual([
      50, 50, 20,
    ]);
  });

  it("asks once for an ID read twice at the same time", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Public", Name: "n", GroupId: "same" });
    const [a, b] = await Promise.all([client.getGroup("same"), client.getGroup("same")]);
    expect(a).toEqual(b);
    const calls = await emu().control.requests("get_group_info");
    expect(calls.map((c) => JSON.parse(c.body))).toEqual([{ GroupIdList: ["same"] }]);
  });

  it("answers undefined for missing groups inside a batch with present ones", async () => {
    const { client } = testClient(emu());
    await client.createGroup({ Type: "Public", Name: "n", GroupId: "here" });
    await client.createGroup({ Type: "Public", Name: "n", GroupId: "dissolved" });
    await client.destroyGroup("dissolved");
    const [here, dissolved, never] = await Promise.all([
      client.getGroup("here"),
      client.getGroup("dissolved"),
      client.getGroup("never"),
    ]);
    expect(here?.GroupId).toBe("here");
    expect(dissolved).toBeUndefined();
    expect(never).toBeUndefined();
    expect(await emu().control.requests("get_group_info")).toHaveLength(1);
  });

  it("fails every read of a batch whose call fails", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "error", errorCode: 10004 } });
    const { client } = testClient(emu());
    const results = await Promise.allSettled([client.getGroup("a"), client.getGroup("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

/**
 * A refresh as the engine drives it: 64 reads outstanding, each caller taking up to `hopMs`
 * (the engine's side of a gRPC round trip, spread evenly) before its next read. A batch must fill however
 * slow the service or the callers are: ceil(n / 50) calls and one more at most.
 */
describe("coalescing whatever the speed of the service and of the callers", () => {
  const GROUPS = 400;
  const ids = Array.from({ length: GROUPS }, (_, i) => `speed-${i}`);
  beforeEach(async () => {
    const { client } = testClient(emu());
    await Promise.all(ids.map((GroupId) => client.createGroup({ Type: "Public", Name: GroupId, GroupId })));
    await emu().control.clearRequests();
  });

  it.each([
    [0, 0],
    [0, 100],
    [150, 0],
    [150, 100],
  ])("service round trip %i ms, callers back within %i ms", async (latencyMs, hopMs) => {
    await emu().control.configure({ latencyMs });
    const { client } = testClient(emu());
    const queue = [...ids];
    const found: string[] = [];
    let turn = 0;
    const engine = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const group = await client.getGroup(id, { refresh: true });
        if (group) found.push(group.GroupId);
        await new Promise((resolve) => setTimeout(resolve, ((turn++ * 37) % 64) * (hopMs / 64)));
      }
    };
    await Promise.all(Array.from({ length: 64 }, engine));
    expect(found.sort()).toEqual([...ids].sort());
    const calls = await emu().control.requests("get_group_info");
    expect(calls.length).toBeLessThanOrEqual(GROUPS / 50 + 1);
  });
});
