import type { DatabaseSync } from 'node:sqlite';

/**
 * Group commit: the store writes made in one turn of the event loop share one transaction, and
 * each caller's promise settles only after that transaction has committed, so nothing is
 * acknowledged before it is persisted.
 *
 * Why: node:sqlite is synchronous, so each commit (and with synchronous=FULL its fsync) blocks the
 * event loop. The bridge works on many opportunities and webhook deliveries at once and each of
 * them writes several times (link, audit, settlement, inbox claim, delivery…); one transaction
 * per write made BEGIN/COMMIT the largest item of the bulk run's CPU profile.
 *
 * How: the first write of a turn opens `BEGIN IMMEDIATE`; every write runs AT ONCE, when it is
 * called, inside that transaction and its own SAVEPOINT; the COMMIT runs after the poll phase
 * (setImmediate), when every request and response read in this turn has had its say. Running the
 * work at call time (rather than queueing it for the commit) keeps what the store always did:
 * a read sees every write made before it in this process. The webhook intake depends on that: it
 * recognises the echo of our own PATCH by the link saved when the PATCH returned, often in the
 * same turn. Such a read may see a write that is not committed yet; the process's later
 * decisions (e.g. dropping that echo) are only as durable as a lazy commit, which the store
 * accepts already (README: "Rule: persist first, then acknowledge").
 *
 * A write that throws (e.g. saveLink's REFERRAL_ALREADY_LINKED) rolls back to its savepoint and
 * rejects only its own promise. An error that makes SQLite roll back the whole transaction
 * (SQLITE_FULL, SQLITE_IOERR…), a failed BEGIN (SQLITE_BUSY: another process holds the write lock
 * past the busy timeout) or a failed COMMIT rejects every write of that transaction: none of it
 * was persisted.
 *
 * Durability: SQLite fixes `synchronous` for a transaction when it begins, so a transaction opened
 * by a `syncLater` write commits lazily (synchronous=NORMAL). When a write that needs durability
 * arrives while such a transaction is open, that transaction commits at once (no fsync) and a
 * FULL one takes over for the rest of the turn; its fsync syncs the whole WAL, so by the time the
 * promises settle the whole turn is on disk. A turn of only `syncLater` writes needs no fsync.
 */
export interface WriteOptions {
  /**
   * The change may commit without a disk sync of its own. In WAL mode such a commit is appended to
   * the WAL without an fsync: it survives a process crash, and the next FULL commit's fsync of the
   * WAL makes it durable too (the WAL is synced as a whole). A power loss in between rolls back a
   * suffix of commits, never a middle one.
   */
  syncLater?: boolean;
}

export interface WriteGroup {
  /** Runs `work` now in this turn's transaction; settles with its result after the commit. */
  add<T>(work: () => T, options?: WriteOptions): Promise<T>;
  /** Commits the open transaction now and settles its writes (before the database is closed). */
  flush(): void;
  /** Transactions committed so far (each one BEGIN … COMMIT). */
  readonly commits: number;
}

export interface WriteGroupOptions {
  /**
   * The connection's own setting. With `normal` every commit is lazy already and the group never
   * switches modes; with `full` a transaction opened by a `syncLater` write commits with NORMAL.
   */
  durability: 'full' | 'normal';
  /** Turns a SQLite error into the store's error (e.g. SQLITE_BUSY into a TransientError). */
  classify(error: unknown): Error;
}

interface Done {
  value: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Mode = 'lazy' | 'full';

/**
 * The groups of this process that hold an open transaction, by their commit. Several stores on
 * one file in one process (tests, replicas in one test, a CLI command beside the runtime) share
 * one thread: a connection waiting for the write lock that another connection of this process
 * holds until the end of the turn would wait for itself (busy timeout, then SQLITE_BUSY). So a
 * connection about to take the lock first commits the others' open transactions.
 */
const openTransactions = new Set<() => void>();

/** Commits every open group transaction of this process (before taking the write lock). */
export function commitOpenTransactions(except?: () => void): void {
  for (const commit of [...openTransactions]) if (commit !== except) commit();
}

export function createWriteGroup(db: DatabaseSync, options: WriteGroupOptions): WriteGroup {
  /** The transaction open on the connection, if any, and the writes that ran in it. */
  let open: Mode | null = null;
  let inOpen: Done[] = [];
  /** Writes of this turn whose (lazy) transaction has committed already: they settle with the rest. */
  let committed: Done[] = [];
  let scheduled = false;
  let commits = 0;

  function begin(mode: Mode): void {
    commitOpenTransactions(commitOpen);
    // Before BEGIN: SQLite refuses to change the safety level inside a transaction.
    if (mode === 'lazy') db.exec('PRAGMA synchronous = NORMAL');
    try {
      // IMMEDIATE takes the write lock up front, so two processes claiming jobs serialise
      // instead of both reading the same rows and one failing later.
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      restoreMode(mode);
      throw error;
    }
    open = mode;
    openTransactions.add(commitOpen);
  }

  /** Ends the open transaction (COMMIT, or ROLLBACK when all its writes failed). Never throws. */
  function commitOpen(): void {
    const mode = open;
    const members = inOpen;
    open = null;
    inOpen = [];
    openTransactions.delete(commitOpen);
    try {
      if (members.length === 0) {
        db.exec('ROLLBACK'); // nothing to keep: no commit, no disk sync
      } else {
        db.exec('COMMIT');
        commits++;
        committed.push(...members);
      }
    } catch (error) {
      rollbackQuietly();
      const failure = options.classify(error);
      for (const member of members) member.reject(failure);
    } finally {
      if (mode) restoreMode(mode);
    }
  }

  /** SQLite rolled back the whole transaction: every write in it is lost, so all of them fail. */
  function abortOpen(error: unknown): void {
    const mode = open;
    const members = inOpen;
    open = null;
    inOpen = [];
    openTransactions.delete(commitOpen);
    rollbackQuietly();
    if (mode) restoreMode(mode);
    const failure = options.classify(error);
    for (const member of members) member.reject(failure);
  }

  function restoreMode(mode: Mode): void {
    if (mode !== 'lazy') return;
    try {
      db.exec('PRAGMA synchronous = FULL');
    } catch {
      // Only a closed connection refuses this, and it has no mode left to restore.
    }
  }

  function rollbackQuietly(): void {
    try {
      if (db.isTransaction) db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back: nothing left to undo.
    }
  }

  function flush(): void {
    scheduled = false;
    if (open) commitOpen();
    const settled = committed;
    committed = [];
    for (const member of settled) member.resolve(member.value);
  }

  function run<T>(work: () => T, mode: Mode, resolve: (v: T) => void, reject: (e: Error) => void) {
    try {
      if (open === 'lazy' && mode === 'full') commitOpen();
      if (!open) begin(mode);
    } catch (error) {
      reject(options.classify(error));
      return;
    }
    if (!scheduled) {
      scheduled = true;
      // setImmediate runs after the poll phase: the writes of every request and response read
      // in this turn join the transaction before it commits.
      setImmediate(flush);
    }
    try {
      db.exec('SAVEPOINT member');
      const value = work();
      db.exec('RELEASE member');
      inOpen.push({ value, resolve: resolve as (v: unknown) => void, reject });
    } catch (error) {
      if (!undoMember()) abortOpen(error);
      reject(options.classify(error));
    }
  }

  /** Rolls back the failed write only; false when the transaction itself is gone. */
  function undoMember(): boolean {
    if (!db.isTransaction) return false;
    try {
      db.exec('ROLLBACK TO member');
      db.exec('RELEASE member');
      return true;
    } catch {
      return false;
    }
  }

  return {
    add<T>(work: () => T, writeOptions: WriteOptions = {}): Promise<T> {
      const mode: Mode =
        writeOptions.syncLater === true && options.durability === 'full' ? 'lazy' : 'full';
      return new Promise<T>((resolve, reject) => run(work, mode, resolve, reject));
    },
    flush,
    get commits() {
      return commits;
    },
  };
}
