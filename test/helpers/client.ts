import { ChatClient } from "../../provider/client/client";
import type { ChatClientOptions } from "../../provider/client/options";
import { RateLimiter } from "../../provider/client/rate-limiter";
import { ADMIN, TEST_KEY, TEST_SDKAPPID, type TestEmulator } from "./emulator";

export interface TestClient {
  client: ChatClient;
  /** Backoff delays the client asked for, in order. */
  delays: number[];
}

/**
 * A client for the emulator with deterministic backoff: sleeps are recorded and skipped (the
 * client's clock moves on by as much), jitter is fixed at one half, and the client has a
 * limiter of its own.
 */
export function testClient(emu: TestEmulator, options: Partial<ChatClientOptions> = {}): TestClient {
  const delays: number[] = [];
  let slept = 0;
  const client = new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
    sleep: async (ms) => {
      delays.push(ms);
      slept += ms;
    },
    now: () => Date.now() + slept,
    random: () => 0.5,
    ...options,
  });
  return { client, delays };
}
