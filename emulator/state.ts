/**
 * The emulator's application state, with optional persistence to a JSON file.
 *
 * Writes are atomic (temporary file, then rename) and grouped: every mutating request waits
 * for a write that includes its change before it is answered, and requests that arrive
 * while a write is in flight share the next one. So a restart loses nothing that was
 * acknowledged, without one file write per request.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { AccountRecord, GroupRecord, Snapshot } from "./model";

export class Store {
  readonly groups = new Map<string, GroupRecord>();
  readonly accounts = new Map<string, AccountRecord>();
  readonly dissolved = new Set<string>();
  /** Deleted account IDs and when they were deleted (Unix seconds). */
  readonly deletedAccounts = new Map<string, number>();
  nextSeq = 1;

  private pendingWrite?: Promise<void>;
  private inflightWrite: Promise<void> = Promise.resolve();

  private constructor(
    private readonly admin: string,
    private readonly file: string | undefined,
    private readonly now: () => number,
  ) {}

  /** Opens the store, loading `file` when it exists. The admin account always exists. */
  static async open(admin: string, file: string | undefined, now: () => number): Promise<Store> {
    const store = new Store(admin, file, now);
    if (file) {
      const text = await fs.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return undefined;
        throw err;
      });
      if (text !== undefined) store.load(JSON.parse(text) as Snapshot);
    }
    store.ensureAdmin();
    return store;
  }

  /** Forgets every group and account except the admin. */
  reset(): void {
    this.groups.clear();
    this.accounts.clear();
    this.dissolved.clear();
    this.deletedAccounts.clear();
    this.nextSeq = 1;
    this.ensureAdmin();
  }

  snapshot(): Snapshot {
    return {
      version: 1,
      nextSeq: this.nextSeq,
      groups: [...this.groups.values()],
      accounts: [...this.accounts.values()],
      dissolved: [...this.dissolved],
      deletedAccounts: Object.fromEntries(this.deletedAccounts),
    };
  }

  /** Resolves once the current state, including every change made so far, is on disk. */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (!this.pendingWrite) {
      // A failed write rejects the requests that waited for it; the next commit tries again.
      this.pendingWrite = this.inflightWrite.catch(() => undefined).then(() => {
        this.pendingWrite = undefined;
        // The snapshot is taken now, after the previous write: changes made from here on
        // schedule another write.
        this.inflightWrite = this.write(JSON.stringify(this.snapshot()));
        return this.inflightWrite;
      });
    }
    return this.pendingWrite;
  }

  private async write(text: string): Promise<void> {
    const file = this.file as string;
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  }

  private load(snapshot: Snapshot): void {
    if (snapshot.version !== 1) throw new Error(`unsupported state file version ${String(snapshot.version)}`);
    this.nextSeq = snapshot.nextSeq;
    for (const g of snapshot.groups) this.groups.set(g.groupId, g);
    for (const a of snapshot.accounts) this.accounts.set(a.userId, a);
    for (const id of snapshot.dissolved) this.dissolved.add(id);
    for (const [id, at] of Object.entries(snapshot.deletedAccounts ?? {})) this.deletedAccounts.set(id, at);
  }

  private ensureAdmin(): void {
    if (!this.accounts.has(this.admin)) {
      this.accounts.set(this.admin, { userId: this.admin, nick: "", faceUrl: "", importTime: this.now() });
    }
  }
}
