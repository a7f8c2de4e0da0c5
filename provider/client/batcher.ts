/**
 * Coalesces single-key reads issued close together into one batched call, as DataLoader
 * does: `get_group_info` takes up to 50 group IDs, so refreshing N groups costs about N/50
 * calls instead of N.
 *
 * A batch goes when it is full, or once reads stop arriving for `windowMs`, and only when
 * no other batch is under way (`maxInFlight`). A read may say it `returns`: its caller will
 * read again as soon as it has its answer, as an engine refreshing many resources does with
 * a fixed number of reads outstanding. When a batch answers such readers, the next batch
 * counts on them: it goes once they are back (or it is full), however long the service took
 * to answer and however slowly the callers turn round, and gives up on them only after
 * `maxWaitMs`, which bounds the wait at the end of a refresh. So the batches of a refresh are
 * full on a fast machine and on a slow one alike, and a lone read still waits only `windowMs`.
 */

export interface BatcherOptions {
  /** Most keys in one batch. */
  maxBatch: number;
  /** Quiet time after the last read before a batch may go, in ms. */
  windowMs: number;
  /** Longest a batch waits for returning readers, in ms. @default 250 */
  maxWaitMs?: number;
  /** Batches under way at once. @default 1 */
  maxInFlight?: number;
}

export interface LoadOptions {
  /** The caller reads again as soon as it has its answer (a refresh). */
  returns?: boolean;
}

interface Waiter<V> {
  resolve(v: V | undefined): void;
  reject(e: unknown): void;
  returns: boolean;
}

interface Pending<K, V> {
  keys: Map<K, Waiter<V>[]>;
  /** Size at which the batch goes before its timer: full, or as many as are expected back. */
  goAt: number;
  /** Waiting for returning readers: arrivals do not restart the timer. */
  expecting: boolean;
  timer?: NodeJS.Timeout;
  ripe: boolean;
}

export class Batcher<K, V> {
  private pending?: Pending<K, V>;
  private inFlight = 0;
  /** Returning readers answered while no batch was pending: a batch opened soon expects them. */
  private expected = { readers: 0, until: 0 };

  constructor(
    /** Loads a batch; keys missing from the result resolve to undefined. */
    private readonly loadBatch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly options: BatcherOptions,
  ) {}

  load(key: K, options: LoadOptions = {}): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const batch = (this.pending ??= this.open());
      const waiter = { resolve, reject, returns: options.returns === true };
      const waiters = batch.keys.get(key);
      if (waiters) waiters.push(waiter);
      else batch.keys.set(key, [waiter]);
      if (
        batch.keys.size >= batch.goAt &&
        (batch.keys.size >= this.options.maxBatch || this.inFlight < this.maxInFlight)
      )
        this.send();
      else if (!batch.ripe && !batch.expecting) this.arm(batch, this.options.windowMs);
    });
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 1;
  }

  private get maxWaitMs(): number {
    return this.options.maxWaitMs ?? 250;
  }

  /** A new batch: it expects the returning readers the last answer left, if any. */
  private open(): Pending<K, V> {
    const batch: Pending<K, V> = { keys: new Map(), goAt: this.options.maxBatch, expecting: false, ripe: false };
    if (this.expected.readers > 0 && performance.now() < this.expected.until) this.expect(batch, this.expected.readers);
    this.expected = { readers: 0, until: 0 };
    return batch;
  }

  /** The batch goes once `more` readers have joined it (or it is full), or after maxWaitMs. */
  private expect(batch: Pending<K, V>, more: number): void {
    batch.goAt = Math.min(this.options.maxBatch, batch.keys.size + more);
    batch.expecting = true;
    batch.ripe = false;
    this.arm(batch, this.maxWaitMs);
  }

  /** (Re)starts the batch's timer; when it fires, the batch goes if a call slot is free. */
  private arm(batch: Pending<K, V>, ms: number): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = setTimeout(() => {
      batch.timer = undefined;
      batch.ripe = true;
      if (this.inFlight < this.maxInFlight) this.send();
    }, ms);
  }

  private send(): void {
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    if (batch.timer) clearTimeout(batch.timer);
    this.inFlight++;
    const returning = [...batch.keys.values()].filter((waiters) => waiters.some((w) => w.returns)).length;
    this.loadBatch([...batch.keys.keys()])
      .then(
        (results) => {
          for (const [key, waiters] of batch.keys) for (const w of waiters) w.resolve(results.get(key));
        },
        (error: unknown) => {
          for (const waiters of batch.keys.values()) for (const w of waiters) w.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        const waiting = this.pending;
        if (!waiting) {
          this.expected = { readers: returning, until: performance.now() + this.maxWaitMs };
          return;
        }
        if (returning > 0) this.expect(waiting, returning);
        if (waiting.keys.size >= waiting.goAt || waiting.ripe) this.send();
      });
  }
}
