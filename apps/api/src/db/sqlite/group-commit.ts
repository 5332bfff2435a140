import type { Database, Statement } from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { type Prepared, StatementCache } from './statement-cache.js';
import { LOCK_WAIT_MS, untilUnlocked } from './wait-for-lock.js';

/** What a unit of work still waits for once it ran: the COMMIT of its group. */
interface Pending {
  resolve(): void;
  reject(error: unknown): void;
}

/** A unit waiting for the group transaction (or a logical transaction) to let it run. */
interface Waiter {
  run(): void;
  fail(error: unknown): void;
}

/**
 * Where the connection is: no transaction; taking the write lock (BEGIN IMMEDIATE, perhaps
 * waiting for another connection); a group open and taking units; committing it (perhaps
 * waiting too); closed.
 */
type State = 'idle' | 'beginning' | 'open' | 'committing' | 'closed';

/** The name of the savepoint each unit of work runs in. */
const UNIT = 'catlist_unit';

const rolledBack = () => new Error('SQLite rolled back the transaction; its writes were not saved');

/**
 * One better-sqlite3 connection (WAL, synchronous=FULL) shared by every request, with group
 * commit on the event loop. The writes that arrive within one turn of the event loop share one
 * transaction (BEGIN IMMEDIATE ... COMMIT on setImmediate), so that one sync of the log covers
 * them all; each write's promise resolves only after that COMMIT, when it is on stable storage.
 *
 * Every unit of work (one statement outside a transaction, or a whole logical transaction: Kysely's
 * `db.transaction()`) runs in a SAVEPOINT of its own, so that one that fails takes back only its
 * own changes (a statement's atomicity alone would not do: `INSERT OR FAIL` keeps the rows before
 * the one that failed). A logical transaction holds the connection across its awaits: other
 * statements wait until it ends; its end releases the savepoint and frees the connection before
 * waiting for the group's COMMIT, so the next units join the same group instead of queuing behind
 * a sync.
 *
 * Reads outside a logical transaction run at once, and see what the units before them wrote, in
 * this group too (one connection: the price of not holding reads back until the COMMIT).
 *
 * Another process holding the write lock (the `catlist` CLI, the sqlite3 shell) must not freeze
 * the event loop: SQLite waits only a few ms by itself (BUSY_TIMEOUT_MS), and BEGIN IMMEDIATE and
 * COMMIT are retried on timers for up to `lockWaitMs`, after which the waiting writes fail with
 * SQLITE_BUSY (a 503).
 */
export class GroupCommit {
  readonly #db: Database;
  readonly #statements: StatementCache;
  readonly #lockWaitMs: number;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: Statement;
  readonly #rollbackToSavepoint: Statement;
  readonly #releaseSavepoint: Statement;
  readonly #dataVersion: Statement;
  #state: State = 'idle';
  /** The logical transaction that has the connection, if one does. */
  #owner: object | null = null;
  /** Units waiting for the group to open or for the logical transaction to end, in order. */
  readonly #writers: Waiter[] = [];
  /** Reads waiting for the logical transaction to end. */
  readonly #readers: (() => void)[] = [];
  /** Units that ran in the open group, waiting for its COMMIT. */
  #group: Pending[] = [];
  #commitQueued = false;

  /** `db`: open, in WAL mode with synchronous=FULL, so that a COMMIT returns once durable. */
  constructor(db: Database, options: { lockWaitMs?: number } = {}) {
    this.#db = db;
    this.#statements = new StatementCache(db);
    this.#lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
    // IMMEDIATE: take the write lock when the group opens, so that no statement in it can meet
    // SQLITE_BUSY halfway (a deferred transaction could not wait for the lock and retry).
    this.#begin = db.prepare('begin immediate');
    this.#commit = db.prepare('commit');
    this.#rollback = db.prepare('rollback');
    this.#savepoint = db.prepare(`savepoint ${UNIT}`);
    this.#rollbackToSavepoint = db.prepare(`rollback to ${UNIT}`);
    this.#releaseSavepoint = db.prepare(`release ${UNIT}`);
    this.#dataVersion = db.prepare('pragma data_version').pluck();
  }

  /**
   * Runs one statement: inside the logical transaction `transaction` when given (it must own the
   * connection), else as a read at once or as a write of its own in the group.
   */
  query<R>(
    sql: string,
    parameters: readonly unknown[],
    transaction: object | null,
  ): Promise<QueryResult<R>> {
    try {
      const prepared = this.#statements.get(sql);
      if (transaction)
        return Promise.resolve(this.#inTransaction(transaction, prepared, parameters));
      if (prepared.writes) return this.write(() => run<R>(prepared, parameters));
      return this.#read(prepared, parameters);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs `work` on the connection as a unit of the group; resolves once committed. */
  write<T>(work: (db: Database) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#whenWritable({
        run: () => {
          let result: T;
          try {
            result = this.#inUnit(() => work(this.#db));
          } catch (error) {
            reject(error);
            return;
          }
          this.#group.push({ resolve: () => resolve(result), reject });
          this.#queueCommit();
        },
        fail: reject,
      });
    });
  }

  /** Starts the logical transaction `transaction`: resolves once it has the connection. */
  begin(transaction: object): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#whenWritable({
        run: () => {
          try {
            this.#savepoint.run();
          } catch (error) {
            reject(error);
            return;
          }
          this.#owner = transaction;
          resolve();
        },
        fail: reject,
      });
    });
  }

  /**
   * Ends `transaction` keeping its changes: frees the connection at once, and resolves once the
   * group it joined is committed.
   */
  commit(transaction: object): Promise<void> {
    // Its group was lost under it (SQLite rolled back): nothing of it was saved.
    if (this.#owner !== transaction) return Promise.reject(rolledBack());
    try {
      this.#releaseSavepoint.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#lostByOwner(error);
      return Promise.reject(error);
    }
    this.#owner = null;
    const committed = new Promise<void>((resolve, reject) => this.#group.push({ resolve, reject }));
    this.#queueCommit();
    this.#drain();
    return committed;
  }

  /** Ends `transaction` taking its changes back; the rest of its group goes on. */
  async rollback(transaction: object): Promise<void> {
    if (this.#owner !== transaction) return; // its group is gone already, and it with it
    this.#owner = null;
    try {
      this.#rollbackToSavepoint.run();
      this.#releaseSavepoint.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#lost(error);
    }
    this.#queueCommit();
    this.#drain();
  }

  /** Changes whenever another connection commits to the file (PRAGMA data_version). */
  dataVersion(): number {
    return Number(this.#dataVersion.get());
  }

  /** Waits for the writes under way to be committed, then closes the connection. */
  async close(): Promise<void> {
    while (this.#state !== 'idle' && this.#state !== 'closed') {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const waiter of this.#writers.splice(0)) waiter.fail(new Error('the database is closed'));
    this.#db.close();
  }

  #read<R>(prepared: Prepared, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    const attempt = () => {
      const locked = untilUnlocked(() => run<R>(prepared, parameters), this.#lockWaitMs);
      return 'value' in locked ? Promise.resolve(locked.value) : locked.then((l) => l.value);
    };
    // A logical transaction's changes are not visible until it ends.
    if (this.#owner === null) return attempt();
    return new Promise((resolve, reject) => {
      this.#readers.push(() => {
        try {
          attempt().then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  #inTransaction<R>(
    transaction: object,
    prepared: Prepared,
    parameters: readonly unknown[],
  ): QueryResult<R> {
    if (this.#owner !== transaction) throw rolledBack();
    let result: QueryResult<R>;
    try {
      result = run<R>(prepared, parameters);
    } catch (error) {
      if (!this.#db.inTransaction) this.#lostByOwner(error);
      throw error;
    }
    if (!this.#db.inTransaction) {
      const error = rolledBack();
      this.#lostByOwner(error);
      throw error;
    }
    return result;
  }

  /** Runs `work` in a savepoint of the open group: all of it is kept, or none of it. */
  #inUnit<T>(work: () => T): T {
    this.#savepoint.run();
    let result: T;
    try {
      result = work();
    } catch (error) {
      if (this.#db.inTransaction) {
        this.#rollbackToSavepoint.run();
        this.#releaseSavepoint.run();
      } else {
        this.#lost(error); // SQLITE_FULL, IOERR...: SQLite rolled the whole group back
      }
      throw error;
    }
    if (!this.#db.inTransaction) {
      const error = rolledBack();
      this.#lost(error);
      throw error;
    }
    this.#releaseSavepoint.run();
    return result;
  }

  /** Runs `waiter` as soon as the group is open and no logical transaction has it. */
  #whenWritable(waiter: Waiter): void {
    if (this.#state === 'closed') {
      waiter.fail(new Error('the database is closed'));
      return;
    }
    if (this.#state === 'open' && this.#owner === null && this.#writers.length === 0) {
      waiter.run();
      return;
    }
    this.#writers.push(waiter);
    if (this.#state === 'idle') void this.#open();
  }

  /** Opens a group (BEGIN IMMEDIATE), waiting on timers while another connection has the lock. */
  async #open(): Promise<void> {
    this.#state = 'beginning';
    try {
      const locked = untilUnlocked(() => this.#begin.run(), this.#lockWaitMs);
      if (!('value' in locked)) await locked;
    } catch (error) {
      this.#state = 'idle';
      for (const waiter of this.#writers.splice(0)) waiter.fail(error);
      return;
    }
    this.#state = 'open';
    // Queued now, not by the first unit that succeeds: a group whose units all fail must end too.
    this.#queueCommit();
    this.#drain();
  }

  /** Lets the waiting reads, then the waiting units, run, as far as the state allows. */
  #drain(): void {
    if (this.#owner === null) for (const read of this.#readers.splice(0)) read();
    while (this.#state === 'open' && this.#owner === null) {
      const next = this.#writers.shift();
      if (!next) break;
      next.run();
    }
    if (this.#state === 'idle' && this.#writers.length > 0) void this.#open();
  }

  /** Commits the group once this turn of the event loop is over (it gathers what comes in it). */
  #queueCommit(): void {
    if (this.#commitQueued) return;
    this.#commitQueued = true;
    setImmediate(() => {
      this.#commitQueued = false;
      void this.#commitGroup();
    });
  }

  async #commitGroup(): Promise<void> {
    // A logical transaction still open: its end queues the commit again.
    if (this.#state !== 'open' || this.#owner !== null) return;
    const group = this.#group;
    this.#group = [];
    this.#state = 'committing';
    try {
      const locked = untilUnlocked(() => this.#commit.run(), this.#lockWaitMs);
      if (!('value' in locked)) await locked;
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#state = 'idle';
      for (const pending of group) pending.reject(error);
      this.#drain();
      return;
    }
    this.#state = 'idle';
    for (const pending of group) pending.resolve();
    this.#drain();
  }

  /** The open group is gone (SQLite rolled it back): none of its units was saved. */
  #lost(error: unknown): void {
    const group = this.#group;
    this.#group = [];
    this.#state = 'idle';
    for (const pending of group) pending.reject(error);
  }

  #lostByOwner(error: unknown): void {
    this.#owner = null;
    this.#lost(error);
    this.#drain();
  }
}

/** Runs a prepared statement: its rows when it returns some, else what it changed. */
function run<R>({ statement }: Prepared, parameters: readonly unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}
