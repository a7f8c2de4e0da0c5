/**
 * The emulator's record of the calls it served, with the UserSig redacted.
 *
 * A call is logged when it is answered, but belongs to the moment it arrived: one that
 * arrived before the log was cleared (a reset between tests, while a slow answer was still
 * on its way) is not logged after it, so a test counts only the calls it made.
 *
 * The log is bounded in entries and in bytes, and keeps copies of what it records, never
 * slices of a request's body: a slice would keep a whole megabyte body alive for 64 KiB of
 * it, and unsigned requests could then exhaust the emulator's memory.
 */

export interface LoggedRequest {
  seq: number;
  /** Unix milliseconds. */
  time: number;
  method: string;
  path: string;
  /** The REST command (`create_group`), when the path named one. */
  command?: string;
  /** Query parameters; `usersig` is always `[redacted]`. */
  query: Record<string, string>;
  /** The raw request body (first 64 KiB). */
  body: string;
  httpStatus: number;
  /** ErrorCode of the answer; absent when the connection was dropped or the answer was not JSON. */
  errorCode?: number;
  /** The injected fault, when one applied. */
  fault?: string;
}

/** Where a call stands in the log's history: taken when it arrives, handed back when it is logged. */
export type Arrival = number & { readonly __arrival: unique symbol };

const MAX_ENTRIES = 100_000;
const MAX_BODY = 64 * 1024;
/** Bytes of bodies and query values the log holds at most; the oldest entries go first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** What an entry costs besides its body and query, roughly. */
const ENTRY_OVERHEAD = 200;

/** A copy of the first `max` characters: a string of its own, not a view into `text`. */
function copyOf(text: string, max: number): string {
  return Buffer.from(text.length > max ? text.slice(0, max) : text, "utf8").toString("utf8");
}

function sizeOf(entry: LoggedRequest): number {
  let bytes = ENTRY_OVERHEAD + entry.body.length + entry.path.length;
  for (const [k, v] of Object.entries(entry.query)) bytes += k.length + v.length;
  return bytes;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private seq = 0;
  private arrivals = 0;
  /** Calls that arrived at or before this were cleared away. */
  private clearedAt = 0;

  /** Notes a call's arrival, to be handed to `add` when it is answered. */
  arrive(): Arrival {
    return ++this.arrivals as Arrival;
  }

  add(entry: Omit<LoggedRequest, "seq">, arrival: Arrival): void {
    if (arrival <= this.clearedAt) return;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.query))
      query[copyOf(k, 256)] = k === "usersig" ? "[redacted]" : copyOf(v, 1024);
    const logged: LoggedRequest = {
      ...entry,
      path: copyOf(entry.path, 1024),
      query,
      body: copyOf(entry.body, MAX_BODY),
      seq: ++this.seq,
    };
    const size = sizeOf(logged);
    this.entries.push(logged);
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    while (this.entries.length - drop > MAX_ENTRIES || (this.bytes > MAX_BYTES && this.entries.length - drop > 1))
      this.bytes -= this.sizes[drop++];
    if (drop) {
      this.entries.splice(0, drop);
      this.sizes.splice(0, drop);
    }
  }

  list(command?: string): LoggedRequest[] {
    return command ? this.entries.filter((e) => e.command === command) : [...this.entries];
  }

  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.bytes = 0;
    this.clearedAt = this.arrivals;
  }
}
