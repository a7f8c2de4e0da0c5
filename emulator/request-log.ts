/** The emulator's record of the calls it served, with the UserSig redacted. */

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

const MAX_ENTRIES = 100_000;
const MAX_BODY = 64 * 1024;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  add(entry: Omit<LoggedRequest, "seq">): void {
    const query = { ...entry.query };
    if ("usersig" in query) query.usersig = "[redacted]";
    this.entries.push({ ...entry, query, body: entry.body.slice(0, MAX_BODY), seq: ++this.seq });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(command?: string): LoggedRequest[] {
    return command ? this.entries.filter((e) => e.command === command) : [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
