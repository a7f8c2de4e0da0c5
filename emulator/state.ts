/**
 * The emulator's application state, with optional persistence to a JSON file.
 *
 * Writes are atomic and durable (a temporary file, fsync, rename, fsync of the folder) and
 * grouped: every mutating request waits for a write that includes its change before it is
 * answered, and requests that arrive while a write is in flight share the next one. So
 * neither a restart nor a power cut loses what was acknowledged, without one write per
 * request. A state file that cannot be read or written stops the emulator at start, naming
 * the file and what is wrong. A write that fails later (a full disk) rolls the state in
 * memory back to what is on disk, and every request whose change it held, or whose change
 * came while it was being written, is refused: what a client was told was done is what a
 * restart finds.
 */
import { constants, promises as fs } from "node:fs";
import * as path from "node:path";

import { z } from "zod";

import { type AccountRecord, GROUP_TYPES, type GroupRecord, type GroupsToday, type Snapshot } from "./model";

/** What a state file must hold; records are checked for the fields lookups rely on. */
const SnapshotSchema = z.object({
  version: z.literal(1, { error: "version must be 1" }),
  nextSeq: z.number().int().min(1),
  groups: z.array(
    z.looseObject({
      groupId: z.string(),
      seq: z.number(),
      type: z.enum(GROUP_TYPES),
      members: z.array(z.looseObject({ account: z.string() })),
    }),
  ),
  accounts: z.array(z.looseObject({ userId: z.string() })),
  dissolved: z.array(z.string()),
  deletedAccounts: z.record(z.string(), z.number()).optional(),
  groupsToday: z.object({ day: z.string(), net: z.number().int() }).optional(),
});

export class EmulatorStateError extends Error {
  override name = "EmulatorStateError";
}

/** A change that could not be written to the state file; the state in memory was rolled back. */
export class StateWriteError extends Error {
  override name = "StateWriteError";
  constructor(readonly code: string) {
    super(`the state file could not be written (${code}); the change was rolled back`);
  }
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class Store {
  readonly groups = new Map<string, GroupRecord>();
  readonly accounts = new Map<string, AccountRecord>();
  readonly dissolved = new Set<string>();
  /** Deleted account IDs and when they were deleted (Unix seconds). */
  readonly deletedAccounts = new Map<string, number>();
  /** Net new groups today, for the daily quota. */
  groupsToday: GroupsToday = { day: "", net: 0 };
  nextSeq = 1;

  /** Requests whose change is in no write yet. */
  private waiting: Waiter[] = [];
  private writing = false;
  /** What the state file holds: the text of the last write that succeeded. */
  private durable?: string;

  private constructor(
    private readonly admin: string,
    private readonly file: string | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * Opens the store, loading `file` when it exists, and proves the file can be written. The
   * admin account always exists. Throws an EmulatorStateError naming the file when it cannot be used.
   */
  static async open(admin: string, file: string | undefined, now: () => number): Promise<Store> {
    const store = new Store(admin, file, now);
    if (file) {
      await store.removeStaleTemporaries(file);
      const snapshot = await readSnapshot(file);
      if (snapshot) store.load(snapshot);
    }
    store.ensureAdmin();
    if (file) {
      await store.commit().catch((err: NodeJS.ErrnoException) => {
        throw new EmulatorStateError(
          `cannot write the state file ${file}: ${err.code ?? err.message}; choose a writable place, or leave out --state-file`,
        );
      });
    }
    return store;
  }

  /** Forgets every group and account except the admin. */
  reset(): void {
    this.groups.clear();
    this.accounts.clear();
    this.dissolved.clear();
    this.deletedAccounts.clear();
    this.groupsToday = { day: "", net: 0 };
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
      groupsToday: { ...this.groupsToday },
    };
  }

  /**
   * Resolves once the current state, including every change made so far, is on disk; rejects
   * with a StateWriteError when the write failed and the change was rolled back.
   */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.flush();
    });
  }

  /** Writes what the waiting requests changed, once the write under way is done. */
  private flush(): void {
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    const text = JSON.stringify(this.snapshot());
    this.writing = true;
    this.write(text)
      .then(
        () => {
          this.durable = text;
          for (const w of batch) w.resolve();
        },
        (err: NodeJS.ErrnoException) => {
          // Changes made while this write was under way stood on the ones it failed to keep.
          const refused = [...batch, ...this.waiting];
          this.waiting = [];
          this.rollBack();
          const error = new StateWriteError(err.code ?? err.message);
          for (const w of refused) w.reject(error);
        },
      )
      .finally(() => {
        this.writing = false;
        this.flush();
      });
  }

  /** Back to what the state file holds. */
  private rollBack(): void {
    this.groups.clear();
    this.accounts.clear();
    this.dissolved.clear();
    this.deletedAccounts.clear();
    this.groupsToday = { day: "", net: 0 };
    if (this.durable) this.load(JSON.parse(this.durable) as Snapshot);
    this.ensureAdmin();
  }

  private temporary(file: string): string {
    return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  }

  private async write(text: string): Promise<void> {
    const file = this.file as string;
    const tmp = this.temporary(file);
    const handle = await fs.open(tmp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    // The rename itself is durable only once the folder is synced.
    const folder = await fs.open(path.dirname(file), constants.O_RDONLY);
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  /** Temporary files a killed emulator left beside the state file. */
  private async removeStaleTemporaries(file: string): Promise<void> {
    const dir = path.dirname(file);
    const prefix = `.${path.basename(file)}.`;
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.startsWith(prefix) && n.endsWith(".tmp"))
        .map((n) => fs.rm(path.join(dir, n), { force: true })),
    );
  }

  private load(snapshot: Snapshot): void {
    this.nextSeq = snapshot.nextSeq;
    for (const g of snapshot.groups) this.groups.set(g.groupId, g);
    for (const a of snapshot.accounts) this.accounts.set(a.userId, a);
    for (const id of snapshot.dissolved) this.dissolved.add(id);
    for (const [id, at] of Object.entries(snapshot.deletedAccounts ?? {})) this.deletedAccounts.set(id, at);
    this.groupsToday = { ...(snapshot.groupsToday ?? { day: "", net: 0 }) };
  }

  private ensureAdmin(): void {
    if (!this.accounts.has(this.admin)) {
      this.accounts.set(this.admin, { userId: this.admin, nick: "", faceUrl: "", importTime: this.now() });
    }
  }
}

/** The snapshot in `file`, undefined when there is none yet; an EmulatorStateError naming the file when it is unusable. */
async function readSnapshot(file: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new EmulatorStateError(`cannot read the state file ${file}: ${code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmulatorStateError(
      `the state file ${file} is not valid JSON (${(err as Error).message}); fix it, or move it away to start empty`,
    );
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`)
      .join("; ");
    throw new EmulatorStateError(
      `the state file ${file} is not an emulator state (${where}); fix it, or move it away to start empty`,
    );
  }
  return parsed.data as unknown as Snapshot;
}
