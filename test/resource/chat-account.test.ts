/**
 * ChatAccount through Pulumi's provider host, alone and as the owner and members of a
 * ChatGroup.
 */
import { CheckFailed } from "../../harness/engine";
import type { RegisteredResource } from "../../harness/project";
import { HostCallError, UNKNOWN as unknown } from "../../harness/provider-host";
import { CHAT_ACCOUNT_TYPE, seedOf, TestStack, urnOf } from "../helpers/stack";

let stack: TestStack;
let program: RegisteredResource[];
let accountText: string;

/** A review environment: two accounts, and a group they own and join. */
const PROGRAM = `
  const { ChatAccount, ChatGroup } = require("pulumi-tencent-chat");
  const owner = new ChatAccount("owner", { userId: "pr-7-owner", nick: "Owner" });
  const tester = new ChatAccount("tester", { userId: "pr-7-tester" });
  const room = new ChatGroup("room", { type: "Public", name: "PR 7", ownerAccount: owner.userId, members: [tester.userId] });
  Object.assign(exports, { owner, tester, room });
`;

beforeAll(async () => {
  stack = await TestStack.start();
  program = await stack.project.run(PROGRAM);
  accountText = program.find((r) => r.name === "owner")?.inputs.__provider as string;
});
afterAll(() => stack?.close());
beforeEach(async () => {
  await stack.emu.control.reset();
  stack.engine.state.clear();
});

const account = (args: Record<string, unknown>, name = "a") => ({
  ...args,
  idSeed: seedOf(name, CHAT_ACCOUNT_TYPE),
  __provider: accountText,
});
const upAccount = async (name: string, args: Record<string, unknown>, mode: { replace?: boolean } = {}) => {
  const state = await stack.engine.apply({ name, type: CHAT_ACCOUNT_TYPE, inputs: account(args, name) }, mode);
  await stack.engine.deleteReplaced();
  return state;
};
const accountIds = async () =>
  (await stack.emu.control.state()).accounts.map((a) => a.userId).filter((id) => id !== "administrator");

describe("ChatAccount", () => {
  it("imports, reads, updates and deletes an account", async () => {
    const created = await upAccount("a", { userId: "alice", nick: "Alice", faceUrl: "https://x/a.png" });
    expect(created).toMatchObject({
      id: "alice",
      outputs: { userId: "alice", nick: "Alice", faceUrl: "https://x/a.png" },
    });
    expect(await accountIds()).toEqual(["alice"]);

    const read = await stack.host.read(urnOf("a", CHAT_ACCOUNT_TYPE), "alice", created.outputs, created.inputs);
    expect(read.outputs).toMatchObject({ nick: "Alice" });

    await upAccount("a", { userId: "alice", nick: "Alice B", faceUrl: "https://x/a.png" });
    expect(stack.engine.steps.get("a")).toBe("update");
    expect((await stack.emu.control.requests("portrait_set")).map((r) => JSON.parse(r.body))).toEqual([
      { From_Account: "alice", ProfileItem: [{ Tag: "Tag_Profile_IM_Nick", Value: "Alice B" }] },
    ]);

    await stack.engine.destroy();
    expect(await accountIds()).toEqual([]);
  });

  it("replaces the account when userId changes", async () => {
    await upAccount("a", { userId: "first" });
    await upAccount("a", { userId: "second" });
    expect(stack.engine.steps.get("a")).toBe("replace");
    expect(await accountIds()).toEqual(["second"]);
  });

  it("counts an account already deleted as deleted, twice over", async () => {
    const a = await upAccount("a", { userId: "gone" });
    await stack.emu.account("account_delete", { DeleteItem: [{ UserID: "gone" }] });
    await stack.host.delete(urnOf("a", CHAT_ACCOUNT_TYPE), a.id, a.outputs);
    await stack.host.delete(urnOf("a", CHAT_ACCOUNT_TYPE), a.id, a.outputs);
  });

  it("drops an account deleted outside Pulumi on refresh", async () => {
    await upAccount("a", { userId: "vanishing" });
    await stack.emu.account("account_delete", { DeleteItem: [{ UserID: "vanishing" }] });
    await stack.engine.refresh();
    expect(stack.engine.state.size).toBe(0);
  });

  it("refuses to take over an account the stack did not create, saying how to adopt it", async () => {
    await stack.emu.account("account_import", { UserID: "theirs", Nick: "Theirs" });
    const err = await upAccount("a", { userId: "theirs", nick: "Mine" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).message).toMatch(
      /account theirs already exists and this stack's state does not hold it.*interrupted.*adoptExisting: true/,
    );
    expect(await stack.emu.control.requests("account_import")).toHaveLength(1);
    expect((await stack.emu.control.state()).accounts.find((a) => a.userId === "theirs")?.nick).toBe("Theirs");
  });

  it("adopts an existing account with adoptExisting, setting its declared profile", async () => {
    await stack.emu.account("account_import", { UserID: "theirs", Nick: "Theirs" });
    const a = await upAccount("a", { userId: "theirs", nick: "Ours now", adoptExisting: true });
    expect(a.outputs).toMatchObject({ userId: "theirs", nick: "Ours now" });
    expect(await stack.emu.control.requests("account_import")).toHaveLength(1);
  });

  it.each([
    ["longer than 32 bytes", "u".repeat(33), "32 bytes"],
    ["with a space", "a b", "letters, digits"],
    ["with non-ASCII letters", "用户", "letters, digits"],
    ["empty", "", "must not be empty"],
  ])("rejects a userId %s in check, with no API call", async (_label, userId, reason) => {
    await stack.emu.control.clearRequests();
    const err = await upAccount("a", { userId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as CheckFailed).failures).toEqual([{ property: "userId", reason: expect.stringContaining(reason) }]);
    expect(await stack.emu.control.requests()).toEqual([]);
  });
});

describe("check", () => {
  it.each([
    ["nickname", "Alice", "did you mean nick?"],
    ["userID", "x", "did you mean userId?"],
  ])("refuses the unknown property %s, naming the closest known one", async (property, value, reason) => {
    const { failures } = await stack.host.check(
      urnOf("a", CHAT_ACCOUNT_TYPE),
      {},
      account({ userId: "alice", [property]: value }),
    );
    expect(failures).toEqual([{ property, reason: expect.stringContaining(reason) }]);
  });

  it("says a numeric userId must be a string", async () => {
    const { failures } = await stack.host.check(urnOf("a", CHAT_ACCOUNT_TYPE), {}, account({ userId: 42 }));
    expect(failures).toEqual([
      { property: "userId", reason: "userId must be a string (a Chat account ID), got a number" },
    ]);
  });

  it("lets a userId through that is another resource's output not known yet (preview)", async () => {
    const { failures, inputs } = await stack.host.check(
      urnOf("a", CHAT_ACCOUNT_TYPE),
      {},
      account({ userId: unknown, nick: "n" }),
    );
    expect(failures).toEqual([]);
    expect(inputs.userId).toBe(unknown);
  });

  it("refuses the App admin every request is signed as", async () => {
    const { failures } = await stack.host.check(
      urnOf("a", CHAT_ACCOUNT_TYPE),
      {},
      account({ userId: "administrator", adoptExisting: true }),
    );
    expect(failures).toEqual([
      {
        property: "userId",
        reason: expect.stringContaining("administrator is the App admin every request is signed as"),
      },
    ]);
  });

  it("wants userId or userIdPrefix, not both", async () => {
    expect((await stack.host.check(urnOf("a", CHAT_ACCOUNT_TYPE), {}, account({ nick: "n" }))).failures).toEqual([
      { property: "userId", reason: expect.stringContaining("userIdPrefix") },
    ]);
    expect(
      (await stack.host.check(urnOf("a", CHAT_ACCOUNT_TYPE), {}, account({ userId: "a", userIdPrefix: "p-" })))
        .failures,
    ).toEqual([{ property: "userIdPrefix", reason: "set userId or userIdPrefix, not both" }]);
  });
});

describe("generated account IDs", () => {
  it("makes one from userIdPrefix, the same across updates, and deletes it on destroy", async () => {
    const a = await upAccount("a", { userIdPrefix: "pr-9-", nick: "Nine" });
    expect(a.id).toMatch(/^pr-9-[0-9a-z]{8}-1$/);
    expect(a.outputs).toMatchObject({ userId: a.id, nick: "Nine" });
    const again = await upAccount("a", { userIdPrefix: "pr-9-", nick: "Nine too" });
    expect(again.id).toBe(a.id);
    await stack.engine.destroy();
    expect(await accountIds()).toEqual([]);
  });

  it("on a paid plan passes over an ID deleted less than three months ago (70399)", async () => {
    await stack.emu.control.configure({ plan: "pro" });
    try {
      const first = await upAccount("a", { userIdPrefix: "pr-9-" });
      await stack.engine.destroy();
      const second = await upAccount("a", { userIdPrefix: "pr-9-" });
      expect(second.id).not.toBe(first.id);
      expect(second.id).toMatch(/-2$/);
      expect((await stack.emu.control.requests("account_import")).map((r) => r.errorCode)).toEqual([0, 70399, 0]);
    } finally {
      await stack.emu.control.configure({ plan: "trial" });
    }
  });

  it("on a paid plan explains why a fixed userId cannot come back, and what to use instead", async () => {
    await stack.emu.control.configure({ plan: "pro" });
    try {
      await upAccount("a", { userId: "qa-bot" });
      await stack.engine.destroy();
      const err = (await upAccount("a", { userId: "qa-bot" }).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/qa-bot was deleted less than three months ago.*\(70399\).*userIdPrefix/);
    } finally {
      await stack.emu.control.configure({ plan: "trial" });
    }
  });
});

describe("accounts with a group that references them", () => {
  it("creates the accounts before the group and destroys the group before the accounts", async () => {
    expect(program.find((r) => r.name === "room")?.dependsOn.sort()).toEqual(["owner", "tester"]);
    await stack.engine.up(program);
    const live = (await stack.emu.control.state()).groups[0];
    expect(live).toMatchObject({ owner: "pr-7-owner", name: "PR 7" });
    expect(live.members.map((m) => m.account).sort()).toEqual(["pr-7-owner", "pr-7-tester"]);

    await stack.engine.destroy();
    const order = (await stack.emu.control.requests())
      .map((r) => r.command)
      .filter((c) => c === "account_import" || c === "create_group" || c === "destroy_group" || c === "account_delete");
    expect(order).toEqual([
      "account_import",
      "account_import",
      "create_group",
      "destroy_group",
      "account_delete",
      "account_delete",
    ]);
    expect((await stack.emu.control.state()).groups).toEqual([]);
    expect(await accountIds()).toEqual([]);
  });
});
