/**
 * Coalesces single-key reads issued close together into one batched call, as DataLoader
 * does: `get_group_info` takes up to 50 group IDs, so refreshing N groups costs about N/50
 * calls instead of N.
 *
 * A batch is sent when it is full, or when its window has passed and fewer than
 * `maxInFlight` batches are under way; otherwise it keeps filling, and when a batch returns
 * the waiting one gets a fresh window, for the callers just answered to ask again. So under
 * load batches fill up whatever the timing, and a lone read waits only the window.
 */

export interface BatcherOptions {
  /** Most keys in one batch. */
  maxBatch: number;
  /** How long a batch waits for company before it may be sent, in ms. */
  windowMs: number;
  /** Batches under way at once before new ones wait to fill. @default 1 */
  maxInFlight?: number;
}

interface Pending<K, V> {
  keys: Map<K, { resolve(v: V | undefined): void; reject(e: unknown): void }[]>;
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
      const batch: Pending<K, V> = (this.pending ??= { keys: new Map(), ripe: false });
      const waiters = batch.keys.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.keys.set(key, [{ resolve, reject }]);
      if (batch.keys.size >= this.options.maxBatch) this.send();
      else this.arm(batch);
    });
  }

  /** Starts the batch's window; when it ends, the batch goes if a call slot is free. */
  private arm(batch: Pending<K, V>): void {
    batch.timer ??= setTimeout(() => {
      batch.timer = undefined;
      batch.ripe = true;
      if (this.inFlight < (this.options.maxInFlight ?? 1)) this.send();
    }, this.options.windowMs);
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
        if (waiting?.ripe && !waiting.timer) {
          waiting.ripe = false;
          this.arm(waiting);
        }
      });
  }
}
