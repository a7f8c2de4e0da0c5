/**
 * Pacing one command of one app at the rate the service accepts, adapting when it says
 * "too many requests", as the AWS SDK's adaptive retry mode does: measure what the service
 * accepted, cut to that, regain smoothly.
 *
 * Calls wait in a queue and are let go one at a time on an even schedule at the current
 * rate, so a cut takes effect on the very next call and a throttled call simply goes to the
 * next free slot. The pacer keeps the last second of answers:
 *
 * - Throttling answers that are a real share (9%) of those since the last cut, as when jobs
 *   sharing the app's budget overshoot it, cut the rate to what the service accepted in the
 *   last second, a little less. Jobs settle on their shares within about a second. At the
 *   full rate, a count that stray throttling answers (3% of all, whatever the rate) would
 *   reach by chance one time in a hundred is not enough, and while a cut waits to be judged
 *   only a worse share cuts again.
 * - Three in a row (or most of a second's) mean the service's one-second window is full:
 *   nothing is sent until the oldest call it accepted from this pacer has left the window.
 * - A cut after which the throttled share did not fall was not about this rate (a hot group,
 *   stray answers): it is undone, and cuts then need that much more, for a while.
 * - Without cuts the rate regains along a curve that starts flat, so jobs sharing the budget
 *   creep up on it together (6% in three seconds), and after three seconds without a cut
 *   doubles each second, so a job left alone is back at the full rate in a few seconds.
 *
 * The constants were chosen by simulating 1 to 16 jobs against a strict sliding window
 * (test/unit/pacer-simulation.test.ts keeps the simulation) and measured with the emulator
 * (`npm run bench -- jobs`).
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
export const PACER_TUNING = {
  /** Throttling answers must be this share of those since the last cut to cut again: stray ones are noise. */
  throttledShare: 0.09,
  /** A cut goes to what the service accepted in the last second, times this. */
  cutTo: 0.97,
  /** Regain: the cut rate times 1 + a·t + b·t², t in seconds since the cut. */
  regainA: 0.005,
  regainB: 0.005,
  /** Seconds without a cut after which the rate doubles each second. */
  quietSeconds: 3,
  /** A cut is undone when the throttled share after it is still this share of the one before. */
  undoShare: 0.6,
  /** Never slower than this share of the full rate. */
  floor: 0.02,
  /** The window counts as full when this share of a second's answers are throttled... */
  fullWindowShare: 0.5,
  /** ... or this many in a row... */
  fullWindowInARow: 3,
  /** ... among at least this many answers: a streak in a spell's first few is as likely noise. */
  fullWindowMinAnswers: 8,
  /** Answers since the last cut needed before their throttled share is judged. */
  minAnswers: 20,
  /** Throttling answers a service gives now and then whatever the rate (a hot group, a passing fault)... */
  strayShare: 0.03,
  /** ... so a count of them that strays would reach with at least this probability is not a reason to cut. */
  evidence: 0.01,
} as const;

export type PacerTuning = { readonly [K in keyof typeof PACER_TUNING]: number };
const WINDOW_MS = 1000;
/** How far behind its schedule the pump may be and still catch up (a few calls at 200/s). */
const MAX_CATCH_UP_MS = 20;
/** The shortest pause between answers that ends a busy spell. */
const IDLE_GAP_FLOOR_MS = 100;
/** The shortest span an accepted rate is measured over. */
const CUT_SPAN_FLOOR_MS = 20;
/** Cuts closer together than this are one overload, seen twice. */
const CUT_SPACING_MS = 100;
/** A cut is judged this long after it is made... */
const JUDGE_AFTER_MS = 1000;
/** ... on answers from this long after it (earlier ones are of calls sent before it). */
const SETTLE_MS = 250;
/** A learned noise share halves in this time. */
const NOISE_HALF_LIFE_MS = 10_000;

/** P(X >= k) for X ~ Binomial(n, p): how likely `k` or more of `n` answers are strays of share `p`. */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  let term = (1 - p) ** n;
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}

interface Cut {
  /** The rate set, and when. */
  rate: number;
  at: number;
  /** The rate before, and the throttled share that led to the cut: to undo it if it did not help. */
  before: number;
  share: number;
  /** Whether the answers after it have been looked at. */
  judged: boolean;
}

export class AdaptivePacer {
  private cut?: Cut;
  /**
   * When answers began to come without a pause: until a second has passed, the window holds
   * less than a second of them, and the rate they show is measured over this shorter span.
   * A call or two before a pause (a `pulumi up` that read before it deleted) must not count
   * the pause as time the service accepted nothing in.
   */
  private busySince?: number;
  /**
   * Throttled share this pacer has learned to be noise: a cut that did not lower the share
   * showed the answers do not follow the rate (a hot group, an injected fault), so cuts then
   * need that much more. It halves every NOISE_HALF_LIFE_MS.
   */
  private noise = { share: 0, at: 0 };
  /** Times of answers in the last second, and which of them were throttling answers. */
  private readonly answers: { at: number; throttled: boolean }[] = [];
  private readonly queue: (() => void)[] = [];
  private nextFree = -Infinity;
  private pumping = false;

  constructor(
    private readonly maxRate: number,
    private readonly clock: Clock,
    private readonly tuning: PacerTuning = PACER_TUNING,
  ) {}

  /** Calls per second now. */
  currentRate(now = this.clock.now()): number {
    if (!this.cut) return this.maxRate;
    const t = Math.max(0, now - this.cut.at) / 1000;
    const { regainA: a, regainB: b, quietSeconds: q } = this.tuning;
    // A while without throttling means the budget has room (the jobs sharing it are done):
    // from then on the rate doubles each second.
    const factor = t <= q ? 1 + a * t + b * t * t : (1 + a * q + b * q * q) * 2 ** (t - q);
    return Math.min(this.maxRate, this.cut.rate * factor);
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
    const last = this.answers.at(-1)?.at;
    if (last === undefined || now - last > this.idleGapMs()) this.busySince = now;
    this.answers.push({ at: now, throttled });
    while (this.answers.length && this.answers[0].at <= now - WINDOW_MS) this.answers.shift();
    if (throttled) this.adapt(now);
  }

  private adapt(now: number): void {
    if (this.waitIfWindowFull()) return this.cutTo(now, 1, WINDOW_MS);
    // Judged on the answers since the last cut (those before describe the old rate), once
    // there are enough of them for a share to mean something (a command limited to one call
    // a second is judged on each).
    const since = this.answers.filter((a) => a.at > (this.cut?.at ?? -Infinity));
    const enough = Math.max(1, Math.min(this.tuning.minAnswers, this.maxRate * 0.1));
    if (since.length < enough) return;
    const throttled = since.filter((a) => a.throttled).length;
    const share = throttled / since.length;
    // A second after a cut (time for jobs sharing the budget to have cut too), the answers
    // that followed it tell whether it helped. Those of calls sent before it are left out.
    const after = this.cut ? this.answers.filter((a) => a.at > (this.cut as Cut).at + SETTLE_MS) : [];
    if (this.cut && !this.cut.judged && now - this.cut.at >= JUDGE_AFTER_MS && after.length >= enough) {
      this.cut.judged = true;
      const shareAfter = after.filter((a) => a.throttled).length / after.length;
      // Cutting did not lower the share: these answers are not about this rate. Undo it, and remember.
      if (shareAfter >= this.tuning.undoShare * this.cut.share) {
        this.noise = { share: Math.max(this.noiseShare(now), this.cut.share), at: now };
        this.cut = { ...this.cut, rate: this.cut.before, at: now };
        return;
      }
    }
    // At the full rate, no more throttling answers than stray ones (a few percent, or the
    // share learned to be noise) would give one time in a hundred are no evidence about the
    // rate. Once cut, as jobs sharing a budget are, a real share cuts again at once. Judged
    // where answers come in twenties; a command limited to a few calls a second, on each.
    const stray = Math.max(this.tuning.strayShare, this.noiseShare(now));
    const atFullRate = this.currentRate(now) >= this.maxRate;
    if (
      atFullRate &&
      enough >= this.tuning.minAnswers &&
      binomialTail(since.length, throttled, stray) > this.tuning.evidence
    )
      return;
    // While the last cut waits to be judged, only a worse share cuts again: one overload seen
    // twice, or noise, must not cascade into cut after cut before any of them is judged.
    const pending = this.cut && !this.cut.judged && now - this.cut.at < JUDGE_AFTER_MS;
    if (share >= this.tuning.throttledShare + this.noiseShare(now) && (!pending || share >= (this.cut as Cut).share))
      this.cutTo(now, share);
  }

  /**
   * Answers throttled in a row, or most of them: the service's one-second window is full. It
   * refuses whatever comes until its oldest calls age out: nothing goes until the oldest call
   * it accepted from this pacer has left the window.
   */
  private waitIfWindowFull(): boolean {
    const throttled = this.answers.filter((a) => a.throttled).length;
    const inARow = this.answers.length - 1 - this.answers.map((a) => a.throttled).lastIndexOf(false);
    if (this.answers.length < this.tuning.fullWindowMinAnswers) return false;
    const full =
      inARow >= this.tuning.fullWindowInARow ||
      (throttled >= this.tuning.fullWindowInARow && throttled >= this.tuning.fullWindowShare * this.answers.length);
    const oldestAccepted = this.answers.find((a) => !a.throttled)?.at;
    if (full && oldestAccepted !== undefined) this.nextFree = Math.max(this.nextFree, oldestAccepted + WINDOW_MS);
    return full;
  }

  /**
   * Sets the rate to what the service accepted (a little less), measured over the last
   * second, or over `span` ms (a full window holds a second of calls; a window younger than a
   * second holds less).
   */
  private cutTo(
    now: number,
    share: number,
    span = Math.max(CUT_SPAN_FLOOR_MS, Math.min(WINDOW_MS, now - (this.busySince ?? now))),
  ): void {
    const accepted = this.answers.filter((a) => !a.throttled).length;
    const current = this.currentRate(now);
    const target = accepted > 0 ? ((accepted * 1000) / span) * this.tuning.cutTo : current / 2;
    if (this.cut && now - this.cut.at < CUT_SPACING_MS) return;
    this.cut = {
      rate: Math.max(this.maxRate * this.tuning.floor, Math.min(current, target)),
      at: now,
      before: current,
      share,
      judged: false,
    };
  }

  /** A pause longer than this between answers ends a busy spell: three calls' time, 100 ms at least. */
  private idleGapMs(): number {
    return Math.max(IDLE_GAP_FLOOR_MS, (3 * 1000) / this.maxRate);
  }

  private noiseShare(now: number): number {
    return this.noise.share / 2 ** ((now - this.noise.at) / NOISE_HALF_LIFE_MS);
  }

  private interval(now: number): number {
    return (1000 + WINDOW_SLACK_MS) / this.currentRate(now);
  }

  /**
   * Lets queued calls go, one per interval at the rate in force when each goes. Slots follow
   * a schedule rather than the timer: a timer that fires a millisecond late (they do) does not
   * push every later slot back, the next one simply goes at once. Only after a long stall does
   * the schedule start again from now, so no burst makes up for it.
   */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length) {
        const now = this.clock.now();
        if (now < this.nextFree) {
          await this.clock.sleep(this.nextFree - now);
          continue;
        }
        this.nextFree = (now - this.nextFree > MAX_CATCH_UP_MS ? now : this.nextFree) + this.interval(now);
        this.queue.shift()?.();
      }
    } finally {
      this.pumping = false;
    }
  }
}
