/**
 * Coalesces single-key reads issued close together into one batched call, as DataLoader
 * does: `get_group_info` takes up to 50 group IDs, so refreshing N groups costs about N/50
 * calls instead of N.
 *
 * A batch goes when it is full, or once reads stop arriving for `windowMs`, and only when
 * no other batch is under way (`maxInFlight`). When a batch returns, its callers usually ask
 * again at once (an engine refreshing many resources keeps a fixed number of reads going):
 * the waiting batch then expects them back, and goes as soon as they have come, or after
 * `maxWaitMs`. So under load batches fill up however fast the machine is, and a lone read
 * waits only `windowMs`.
 */

export interface BatcherOptions {
  /** Most keys in one batch. */
  maxBatch: number;
  /** Quiet time after the last read before a batch may go, in ms. */
  windowMs: number;
  /** Longest a waiting batch waits for returning callers, in ms. @default 10 × windowMs */
  maxWaitMs?: number;
  /** Batches under way at once. @default 1 */
  maxInFlight?: number;
}

interface Pending<K, V> {
  keys: Map<K, { resolve(v: V | undefined): void; reject(e: unknown): void }[]>;
  /** Size at which the batch goes before its timer: full, or as many as are expected back. */
  goAt: number;
  /** Waiting for the callers of the last batch to come back: arrivals do not restart the timer. */
  expecting: boolean;
  timer?: NodeJS.Timeout;
  ripe: boolean;
}

export class Batcher<K, V> {
  private pending?: Pending<K, V>;
  private inFlight = 0;

  constructor(
    /** Loads a batch; keys missing from the result resolve to undefined. */
    private readonly loadBatch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly options: BatcherOptions,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const batch: Pending<K, V> = (this.pending ??= { keys: new Map(), goAt: this.options.maxBatch, expecting: false, ripe: false });
      const waiters = batch.keys.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.keys.set(key, [{ resolve, reject }]);
      if (batch.keys.size >= batch.goAt && (batch.keys.size >= this.options.maxBatch || this.inFlight < this.maxInFlight)) this.send();
      else if (!batch.ripe && !batch.expecting) this.arm(batch, this.options.windowMs);
    });
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 1;
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
        if (!waiting) return;
        // Expect the callers just answered back, up to a full batch.
        waiting.goAt = Math.min(this.options.maxBatch, waiting.keys.size + batch.keys.size);
        waiting.expecting = true;
        waiting.ripe = false;
        if (waiting.keys.size >= waiting.goAt) this.send();
        else this.arm(waiting, this.options.maxWaitMs ?? this.options.windowMs * 10);
      });
  }
}
