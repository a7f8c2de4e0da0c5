/**
 * The acceptance scenarios against the emulator, as part of `npm test`; `npm run test:live`
 * runs the same ones against a real Tencent Chat app (live.test.ts).
 */
import { ChatClient } from "../../provider/client/client";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, TestEmulator } from "../helpers/emulator";
import { TestStack } from "../helpers/stack";
import { AcceptanceContext } from "./context";
import { SCENARIOS } from "./scenarios";

let emu: TestEmulator;
let ctx: AcceptanceContext;
beforeAll(async () => {
  emu = await TestEmulator.start();
  const client = new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: new RateLimiter(),
  });
  ctx = await AcceptanceContext.start(`acc${Date.now().toString(36)}-`, TestStack.configFor(emu), client);
});
afterAll(async () => {
  await ctx?.close();
  await emu?.close();
});

describe("acceptance scenarios, against the emulator", () => {
  it.each(Object.keys(SCENARIOS))("%s", (name) => SCENARIOS[name](ctx));

  it("leaves nothing with the run's prefix once closed, and nothing else is touched", async () => {
    await emu.group("create_group", { Type: "Public", Name: "Not ours", GroupId: "someone-elses" });
    await ctx.group("leftover", { type: "Public", name: "Left over", groupId: ctx.id("leftover") });
    await ctx.close();
    const groups = (await emu.control.state()).groups.map((g) => g.groupId);
    expect(groups).toEqual(["someone-elses"]);
    expect((await emu.control.state()).accounts.map((a) => a.userId).filter((id) => id.startsWith(ctx.prefix))).toEqual(
      [],
    );
  });
});
