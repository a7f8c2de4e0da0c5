import type { Clock } from "../../provider/client/pacer";

/**
 * A clock that moves only when someone sleeps on it: a sleep returns at once, with the clock
 * moved on to the end of that sleep (never back, when sleeps overlap). Shared by a client's
 * pacer and the emulator's limiter, paced tests run at the speed of the code, and both sides
 * agree on how far apart calls were.
 */
export class VirtualClock implements Clock {
  #ms: number;

  constructor(startMs = Date.now()) {
    this.#ms = startMs;
  }

  readonly now = (): number => this.#ms;

  readonly sleep = async (ms: number): Promise<void> => {
    const until = this.#ms + Math.max(0, ms);
    // Let whatever is ready run first, as a real timer would.
    await new Promise((resolve) => setImmediate(resolve));
    this.#ms = Math.max(this.#ms, until);
  };
}
