import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();

const create = (GroupId: string) =>
  emu().raw("group_open_http_svc", "create_group", { Type: "Public", Name: "n", GroupId });
const groupIds = async () => (await emu().control.state()).groups.map((g) => g.groupId);

describe("scripted faults", () => {
  it("answers the next N calls of a command with an ErrorCode, then serves normally", async () => {
    await emu().control.addFault({ command: "destroy_group", action: { kind: "error", errorCode: 10002 }, times: 2 });
    await create("g");
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await emu().raw("group_open_http_svc", "destroy_group", { GroupId: "g" })).json.ErrorCode);
    expect(codes).toEqual([10002, 10002, 0]);
  });

  it("serves the first calls normally when told to skip them", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "error", errorCode: 10002 }, skip: 2 });
    const codes = [];
    for (const id of ["a", "b", "c", "d"]) codes.push((await create(id)).json.ErrorCode);
    expect(codes).toEqual([0, 0, 10002, 0]);
  });

  it("leaves other commands alone", async () => {
    await emu().control.addFault({ command: "destroy_group", action: { kind: "error", errorCode: 10002 } });
    expect((await create("g")).json.ErrorCode).toBe(0);
  });

  it("answers with a bare HTTP status such as 502", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "http", status: 502 } });
    const res = await create("g");
    expect(res.status).toBe(502);
    expect(await groupIds()).toEqual([]);
  });

  it("drops the connection without an answer", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "drop" } });
    await expect(create("g")).rejects.toThrow();
    expect(await groupIds()).toEqual([]);
    expect((await create("g")).json.ErrorCode).toBe(0);
  });

  it("can carry out a call and then drop its answer, as a lost response does", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "drop" }, afterCommit: true });
    await expect(create("lost")).rejects.toThrow();
    expect(await groupIds()).toEqual(["lost"]);
  });

  it("delays an answer and then serves it", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "delay", ms: 1000 } });
    const order: string[] = [];
    const slow = create("slow").then((res) => order.push(`slow ${res.json.ErrorCode}`));
    const fast = emu()
      .raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] })
      .then((res) => order.push(`fast ${res.json.ErrorCode}`));
    await Promise.all([slow, fast]);
    expect(order).toEqual(["fast 0", "slow 0"]);
  });

  it("applies a wildcard fault to any command, and lists what is left", async () => {
    await emu().control.addFault({ command: "*", action: { kind: "error", errorCode: 60018 }, times: 3 });
    expect((await create("a")).json.ErrorCode).toBe(60018);
    expect((await emu().control.faults()).scripted).toEqual([expect.objectContaining({ command: "*", times: 2 })]);
    await emu().control.clearFaults();
    expect((await create("a")).json.ErrorCode).toBe(0);
  });

  it("refuses a malformed fault with 400 naming the field", async () => {
    await expect(emu().control.addFault({ command: "x", action: { kind: "http", status: 200 } })).rejects.toThrow(
      /400.*status/,
    );
  });
});

describe("random faults", () => {
  it("fails about the given share of calls, reproducibly for a seed", async () => {
    const run = async () => {
      await emu().control.reset();
      await emu().control.setRandomFaults({ rate: 0.3, seed: 7, commands: ["get_group_info"] });
      const codes = [];
      for (let i = 0; i < 200; i++) {
        const res = await emu().raw("group_open_http_svc", "get_group_info", { GroupIdList: ["x"] });
        codes.push(res.status === 200 ? (res.json.ErrorCode as number) : res.status);
      }
      return codes;
    };
    const first = await run();
    const failures = first.filter((c) => c !== 0).length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(new Set(first.filter((c) => c !== 0))).toEqual(new Set([10002, 502, 60018]));
    expect(await run()).toEqual(first);
  });

  it("carries out the share of calls given by afterCommit before failing them: the groups exist, the caller was told nothing", async () => {
    await emu().control.setRandomFaults({
      rate: 1,
      seed: 3,
      afterCommit: 0.5,
      commands: ["create_group"],
      actions: [{ kind: "http", status: 502 }],
    });
    const ids = Array.from({ length: 40 }, (_, i) => `lost-${i}`);
    const answers = [];
    for (const id of ids)
      answers.push(await emu().raw("group_open_http_svc", "create_group", { Type: "Public", Name: id, GroupId: id }));
    expect(answers.every((a) => a.status === 502)).toBe(true);
    const made = (await emu().control.state()).groups.map((g) => g.groupId);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(ids.length);
    const logged = await emu().control.requests("create_group");
    expect(
      new Set(logged.filter((r) => r.fault === "http after commit").map((r) => JSON.parse(r.body).GroupId)),
    ).toEqual(new Set(made));
  });

  it("stops at rate 0", async () => {
    await emu().control.setRandomFaults({ rate: 1 });
    expect((await create("a")).json.ErrorCode).not.toBe(0);
    await emu().control.setRandomFaults({ rate: 0 });
    expect((await create("a")).json.ErrorCode).toBe(0);
  });
});

describe("the request log", () => {
  it("records each call with its command, body, answer and fault, and redacts the usersig", async () => {
    await emu().control.addFault({ command: "destroy_group", action: { kind: "error", errorCode: 10002 } });
    await emu().raw("group_open_http_svc", "destroy_group", { GroupId: "g" });
    const [entry] = await emu().control.requests("destroy_group");
    expect(entry).toMatchObject({
      method: "POST",
      path: "/v4/group_open_http_svc/destroy_group",
      command: "destroy_group",
      body: '{"GroupId":"g"}',
      httpStatus: 200,
      errorCode: 10002,
      fault: "error",
    });
    expect(entry.query).toMatchObject({
      sdkappid: "1400000042",
      identifier: "administrator",
      usersig: "[redacted]",
      contenttype: "json",
    });
    expect(JSON.stringify(await emu().control.requests())).not.toMatch(/usersig":"(?!\[redacted\])/);
  });

  it("records dropped calls with HTTP status 0, and can be cleared", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "drop" } });
    await create("x").catch(() => undefined);
    expect((await emu().control.requests("create_group"))[0]).toMatchObject({ httpStatus: 0, fault: "drop" });
    await emu().control.clearRequests();
    expect(await emu().control.requests()).toEqual([]);
  });

  it("does not log after a reset a call that arrived before it, so a test counts only its own calls", async () => {
    await emu().control.addFault({ command: "get_group_info", action: { kind: "delay", ms: 500 } });
    const earlier = emu()
      .raw("group_open_http_svc", "get_group_info", { GroupIdList: ["earlier"] })
      .catch(() => undefined);
    // Arrived (it took the fault) and not yet answered.
    while ((await emu().control.faults()).scripted.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await emu().control.reset();
    await earlier;
    await emu().raw("group_open_http_svc", "get_group_info", { GroupIdList: ["later"] });
    expect((await emu().control.requests()).map((r) => JSON.parse(r.body))).toEqual([{ GroupIdList: ["later"] }]);
  });

  it("lets a call that waited through a reset do nothing: a test never finds what an earlier one sent", async () => {
    await emu().control.addFault({ command: "create_group", action: { kind: "delay", ms: 500 } });
    const earlier = create("from-before").catch((e: unknown) => e);
    while ((await emu().control.faults()).scripted.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await emu().control.reset();
    expect(await earlier).toBeInstanceOf(Error);
    expect(await groupIds()).toEqual([]);
  });

  it("keeps a copy of at most 64 KiB of each body, however large the request", async () => {
    const big = "x".repeat(512 * 1024);
    await emu().raw("group_open_http_svc", "get_group_info", { GroupIdList: [big] });
    const [entry] = await emu().control.requests("get_group_info");
    expect(entry.body.length).toBe(64 * 1024);
    expect(entry.body.startsWith('{"GroupIdList":["xxx')).toBe(true);
  });
});

describe("latency", () => {
  it("holds every API answer for the configured latency, but not control answers", async () => {
    await emu().control.configure({ latencyMs: 1000 });
    try {
      const order: string[] = [];
      const api = create("far").then(() => order.push("api"));
      const control = emu()
        .control.state()
        .then(() => order.push("control"));
      await Promise.all([api, control]);
      expect(order).toEqual(["control", "api"]);
    } finally {
      await emu().control.configure({ latencyMs: 0 });
    }
  });
});
