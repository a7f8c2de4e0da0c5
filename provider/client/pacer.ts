/**
 * Pacing one command of one app at the rate the service accepts, adapting when it says
 * "too many requests", as the AWS SDK's adaptive retry mode does: measure what the service
 * accepted, cut to that, regain smoothly.
 *
 * Calls wait in a queue and are let go one at a time, evenly spaced at the current rate, so
 * a cut takes effect on the very next call and a throttled call simply goes to the next free
 * slot. The pacer keeps the last second of answers. While throttling answers come, the rate
 * is what the service accepted in that second plus a small probe (7%): several jobs sharing
 * the app's budget settle on their shares within about a second, the probe finds capacity
 * another job frees, and stray throttling answers (under 7% of the calls) slow nothing.
 * Answers throttled three in a row mean the service's one-second window is full: nothing is
 * sent until the oldest call it accepted from this pacer has left that window. With no
 * throttling the rate regains along a curve that starts flat, so jobs sharing the budget
 * creep up on it together, and steepens, so a job alone is back at the full rate in seconds.
 *
 * The constants were chosen with a simulation of 1 to 16 jobs against a strict sliding
 * window (test/unit/pacer-simulation.test.ts keeps it).
 */

export interface Clock {
  /** Milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Slack added to each one-second window, spread over its calls: the service counts arrivals,
 * and calls sent exactly 1000 ms apart can arrive 999 ms apart. 200/s is paced at about
 * 198/s, 1/s at one call every 1.01 s.
 */
const WINDOW_SLACK_MS = 10;
/** How the pacer adapts; see the module's comment. */
const TUNING = {
  /** While throttled, the rate is what was accepted in the last second plus this share. */
  probe: 0.07,
  /** Adjustments closer together than this are one overload, seen twice. */
  cutSpacingMs: 100,
  /** Regain: the cut rate times 1 + a·t + b·t², t in seconds since the cut. */
  regainA: 0.01,
  regainB: 0.02,
  /** Never slower than this share of the full rate. */
  floor: 0.02,
  /** The window counts as full when this share of a second's answers are throttled... */
  fullWindowShare: 0.5,
  /** ... or this many in a row. */
  fullWindowInARow: 3,
  /** Answers needed in the window before the rate is judged. */
  minAnswers: 10,
} as const;
const WINDOW_MS = 1000;
/** The shortest span an accepted rate is measured over. */
const CUT_SPAN_FLOOR_MS = 20;

export class AdaptivePacer {
  private cut?: { rate: number; at: number };
  /** When the first answer came: until a second has passed, the window holds less than a second. */
  private firstAnswerAt?: number;
  private lastCutAt = -Infinity;
  /** Times of answers in the last second, and which of them were throttling answers. */
  private readonly answers: { at: number; throttled: boolean }[] = [];
  private readonly queue: (() => void)[] = [];
  private nextFree = -Infinity;
  private pumping = false;

  constructor(
    private readonly maxRate: number,
    private readonly clock: Clock,
  ) {}

  /** Calls per second now. */
  currentRate(now = this.clock.now()): number {
    if (!this.cut) return this.maxRate;
    const t = Math.max(0, now - this.cut.at) / 1000;
    return Math.min(this.maxRate, this.cut.rate * (1 + TUNING.regainA * t + TUNING.regainB * t * t));
  }

  /** Resolves when this call may go. */
  acquire(): Promise<void> {
    const now = this.clock.now();
    if (this.queue.length === 0 && now >= this.nextFree) {
      this.nextFree = now + this.interval(now);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  /** Notes an answer; a throttling one may cut the rate. */
  answered(throttled: boolean): void {
    const now = this.clock.now();
    this.firstAnswerAt ??= now;
    this.answers.push({ at: now, throttled });
    while (this.answers.length && this.answers[0].at <= now - WINDOW_MS) this.answers.shift();
    if (throttled) this.maybeCut(now);
  }

  private maybeCut(now: number): void {
    // Too few answers say nothing yet (a command limited to 1 a second needs just one).
    if (this.answers.length < Math.max(1, Math.min(TUNING.minAnswers, this.maxRate * 0.05))) return;
    const throttled = this.answers.filter((a) => a.throttled).length;
    const accepted = this.answers.length - throttled;
    // Answers throttled in a row, or most of them: the service's window is full, and it was
    // filled within the last second. It refuses whatever comes until its oldest calls age
    // out: wait for that.
    const inARow = this.answers.length - 1 - this.answers.map((a) => a.throttled).lastIndexOf(false);
    const fullWindow = inARow >= TUNING.fullWindowInARow || throttled >= TUNING.fullWindowShare * this.answers.length;
    const oldestAccepted = this.answers.find((a) => !a.throttled)?.at;
    if (fullWindow && oldestAccepted !== undefined) this.nextFree = Math.max(this.nextFree, oldestAccepted + WINDOW_MS);
    if (now - this.lastCutAt < TUNING.cutSpacingMs) return;
    // A full window holds a second of calls; otherwise a window younger than a second holds less.
    const span = fullWindow ? WINDOW_MS : Math.max(CUT_SPAN_FLOOR_MS, Math.min(WINDOW_MS, now - (this.firstAnswerAt ?? now)));
    const acceptedRate = (accepted * 1000) / span;
    const current = this.currentRate(now);
    const target = Math.max(this.maxRate * TUNING.floor, Math.min(current, accepted > 0 ? acceptedRate * (1 + TUNING.probe) : current / 2));
    if (target < current) {
      this.cut = { rate: target, at: now };
      this.lastCutAt = now;
    }
  }

  private interval(now: number): number {
    return (1000 + WINDOW_SLACK_MS) / this.currentRate(now);
  }

  /** Lets queued calls go, one per interval at the rate in force when each goes. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length) {
        const now = this.clock.now();
        if (now < this.nextFree) {
          await this.clock.sleep(this.nextFree - now);
          continue;
        }
        this.nextFree = Math.max(now, this.nextFree) + this.interval(now);
        this.queue.shift()?.();
      }
    } finally {
      this.pumping = false;
    }
  }
}
