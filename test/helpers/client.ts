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
 * A client for the emulator with deterministic backoff: sleeps are recorded and skipped, jitter
 * is fixed at one half, and the client has a limiter of its own. Its clock is the machine's:
 * skipped sleeps do not move it, since many calls run at once and their sleeps would overlap
 * in real time (adding them up ran the clock hours ahead under 400 concurrent creates, so
 * calls gave up on their throttling deadline and creates did not know their own groups by
 * their creation time). A test of one call that needs its sleeps to pass for the client
 * passes `now` and `sleep` of a VirtualClock.
 */
export function testClient(emu: TestEmulator, options: Partial<ChatClientOptions> = {}): TestClient {
  const delays: number[] = [];
  const sleep = options.sleep;
  const client = new ChatClient({
    sdkAppId: TEST_SDKAPPID,
    secretKey: TEST_KEY,
    identifier: ADMIN,
    endpoint: emu.url,
    rateLimiter: new RateLimiter({ rateLimit: 0 }),
    random: () => 0.5,
    ...options,
    sleep: async (ms) => {
      delays.push(ms);
      await sleep?.(ms);
    },
  });
  return { client, delays };
}
