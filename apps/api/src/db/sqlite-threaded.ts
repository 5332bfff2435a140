import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Logger } from 'pino';
import { SlotList } from '../slot-list.js';
import {
  type FromWriter,
  indexPendingAddresses,
  keepStatement,
  runStatement,
  SEARCH_INDEX_INTERVAL_MS,
  type WriteOp,
  type WriteResult,
} from './sqlite-writer-thread.js';

/**
 * Statements per message to the writer: it runs them while this thread goes on parsing requests.
 * Sending a turn's writes only at its end left the two threads taking turns (pnpm bench, signup:
 * 100 statements per message, each thread idle half the time).
 */
const MESSAGE_STATEMENTS = 8;
/** SQLite calls these read-only (they change no data), but they belong to the writer's transaction. */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

/** Where the statements that change data go. */
export interface SqliteWriter {
  /** Resolves once the statement is durable (or rejects with why it was not saved). */
  execute(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>>;
  /** Changes whenever another process commits to the file (PRAGMA data_version). */
  externalVersion(): number;
  close(): Promise<void>;
}

function toQueryResult(result: WriteResult): QueryResult<unknown> {
  if ('error' in result) {
    throw Object.assign(new Error(result.error.message), result.error);
  }
  if ('rows' in result) return { rows: result.rows };
  return {
    rows: [],
    numAffectedRows: BigInt(result.changes),
    insertId: BigInt(result.lastInsertRowid),
  };
}

interface Message {
  ops: WriteOp[];
  settle: ((result: WriteResult) => void)[];
}

interface WriterOptions {
  logger: Logger;
  /** Called whenever the thread answers: reads that follow must see what it committed. */
  onAnswered: () => void;
  /** Tests only: while element 0 is not 0, the thread holds its syncs of the log back. */
  syncGate?: Int32Array;
}

/**
 * The SQLite file's writer, on a thread of its own (sqlite-writer-thread.js), so that running the
 * statements, COMMIT, checkpoints, the search indexer and waiting for a lock held by another
 * process never hold the event loop: on a signup they were two fifths of the main thread's time
 * (docs/benchmarks.md), and a lock held from outside froze every request for up to busy_timeout
 * (5 s). The writes of one event-loop turn travel in messages of a few statements; the thread runs
 * them at once, commits what has arrived as one transaction (group commit), and answers only once
 * the log is synced (see the thread's file). So an acknowledged write is on stable storage, and a
 * write's result (or error) is known only once its fate is.
 */
export class SqliteWriterThread implements SqliteWriter {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #version: Int32Array;
  readonly #logger: Logger;
  readonly #onAnswered: () => void;
  #unsent: Message | null = null;
  /** Sent and awaiting the answer, by id (not a Map: see SlotList). */
  readonly #inFlight = new SlotList<Message>();
  #started = false;
  #stopped: Error | null = null;
  #closing = false;
  #exited: Promise<void>;

  /** Starts the thread on `path` (migrated already) and resolves once it is ready. */
  static async start(path: string, options: WriterOptions): Promise<SqliteWriterThread> {
    const writer = new SqliteWriterThread(path, options);
    await writer.#ready;
    return writer;
  }

  readonly #ready: Promise<void>;

  private constructor(path: string, options: WriterOptions) {
    this.#logger = options.logger;
    this.#onAnswered = options.onAnswered;
    this.#version = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(new URL('./sqlite-writer-thread.js', import.meta.url), {
      workerData: {
        role: 'catlist-sqlite-writer',
        path,
        port: port2,
        externalVersion: this.#version,
        syncGate: options.syncGate,
      },
      transferList: [port2],
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#port.on('message', (message: FromWriter) => {
        if (message.type === 'ready') {
          this.#started = true;
          resolve();
        } else if (message.type === 'done') this.#answered(message.replies);
        else this.#logger.error({ err: message.err }, message.msg);
      });
      this.#worker.once('error', (error) => {
        this.#logger.error({ err: error }, 'SQLite writer thread failed');
        reject(error);
        this.#stop(error);
      });
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        const error = new Error(`SQLite writer thread stopped (exit code ${code})`);
        if (this.#started && !this.#closing) {
          // Nothing can be saved any more: say so loudly, and stop the process (its supervisor
          // restarts it) rather than answer every write with an error from now on.
          this.#logger.fatal({ err: error }, 'SQLite writer thread stopped unexpectedly');
          process.exitCode = 1;
          process.kill(process.pid, 'SIGTERM');
        }
        this.#stop(error);
        resolve();
      });
    });
    // Referenced while starting (nothing else may keep the process alive yet), idle once ready.
    this.#ready.then(
      () => {
        if (this.#inFlight.size === 0) this.#idle();
      },
      () => {},
    );
  }

  execute(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    let message = this.#unsent;
    if (!message) {
      const fresh: Message = { ops: [], settle: [] };
      message = fresh;
      this.#unsent = fresh;
      // What is written in this turn of the event loop travels together (up to the limit above).
      setImmediate(() => {
        if (this.#unsent === fresh) this.#send();
      });
    }
    message.ops.push([sql, parameters as unknown[]]);
    if (message.ops.length >= MESSAGE_STATEMENTS) {
      // After this microtask, so that the statement's caller has its promise first.
      queueMicrotask(() => {
        if (this.#unsent === message) this.#send();
      });
    }
    return new Promise((resolve, reject) => {
      message.settle.push((result) => {
        try {
          resolve(toQueryResult(result));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  externalVersion(): number {
    return Atomics.load(this.#version, 0);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (!this.#stopped) {
      this.#send();
      this.#port.postMessage({ type: 'close' });
      this.#worker.ref();
    }
    await this.#exited;
  }

  #send(): void {
    const message = this.#unsent;
    if (!message) return;
    this.#unsent = null;
    if (this.#stopped) {
      this.#fail(message, this.#stopped);
      return;
    }
    // The id is the message's slot, reused once its answer is in: the thread answers each id once.
    const id = this.#inFlight.add(message);
    try {
      this.#port.postMessage({ type: 'run', id, ops: message.ops });
    } catch (error) {
      // A value that cannot travel to the thread (a Promise passed by a missing `await`, say):
      // none of this message's statements ran.
      this.#inFlight.delete(id);
      this.#fail(message, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#inFlight.size === 1) this.#busy();
  }

  #answered(replies: [number, WriteResult[]][]): void {
    // Reads that follow must see these writes: the main thread's read snapshot ends here.
    this.#onAnswered();
    for (const [id, results] of replies) {
      const message = this.#inFlight.delete(id);
      if (!message) continue;
      for (const [i, settle] of message.settle.entries()) {
        settle(results[i] ?? { error: { name: 'Error', message: 'no answer from the writer' } });
      }
    }
    if (this.#inFlight.size === 0) this.#idle();
  }

  #fail(message: Message, error: Error): void {
    const result: WriteResult = { error: { name: error.name, message: error.message } };
    for (const settle of message.settle) settle(result);
  }

  #stop(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = error;
    for (const message of this.#inFlight.values()) this.#fail(message, error);
    this.#inFlight.clear();
  }

  // The thread keeps the process alive only while it owes answers.
  #busy(): void {
    this.#worker.ref();
    this.#port.ref();
  }

  #idle(): void {
    if (this.#closing) return; // close() waits for the thread to exit
    this.#worker.unref();
    this.#port.unref();
  }
}

/**
 * For `sqlite::memory:`, which a second thread cannot open: the writes run on the main connection,
 * each committing on its own (nothing here outlives the process anyway), and the search indexer
 * runs on a timer beside them.
 */
export class InlineSqliteWriter implements SqliteWriter {
  readonly #db: Database;
  readonly #indexer: NodeJS.Timeout;

  constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#indexer = setInterval(() => {
      try {
        indexPendingAddresses(db);
      } catch (error) {
        logger.error({ err: error }, 'search index update failed');
      }
    }, SEARCH_INDEX_INTERVAL_MS);
    this.#indexer.unref();
  }

  async execute(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    return toQueryResult(runStatement(this.#db.prepare(sql), parameters as unknown[]));
  }

  externalVersion(): number {
    return 0; // the only connection there is
  }

  async close(): Promise<void> {
    clearInterval(this.#indexer);
  }
}

/**
 * The main thread's connection: runs the statements that only read, hands the others to the
 * writer. Reads of one event-loop turn share one read transaction (taking WAL's shared lock once
 * per turn instead of once per statement was two thirds of a point read's cost); it ends at the
 * end of the turn, and whenever the writer answers, so that a read after a write sees it.
 */
export class SqliteReadConnection implements DatabaseConnection {
  readonly #db: Database;
  readonly #writer: SqliteWriter;
  readonly #batchReads: boolean;
  /** Prepared reads by SQL text, and `null` for statements that write. */
  readonly #statements = new Map<string, Statement | null>();
  readonly #begin: Statement;
  readonly #commit: Statement;
  #reading = false;

  constructor(db: Database, writer: SqliteWriter, { batchReads }: { batchReads: boolean }) {
    this.#db = db;
    this.#writer = writer;
    this.#batchReads = batchReads;
    this.#begin = db.prepare('BEGIN');
    this.#commit = db.prepare('COMMIT');
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.execute(compiledQuery.sql, compiledQuery.parameters) as Promise<QueryResult<R>>;
  }

  /** Reads here and now; hands anything else to the writer. */
  execute = (sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> => {
    try {
      const statement = this.#prepare(sql);
      if (statement === null) return this.#writer.execute(sql, parameters);
      this.#joinReadTurn();
      if (statement.reader) return Promise.resolve({ rows: statement.all(...parameters) });
      statement.run(...parameters);
      return Promise.resolve({ rows: [] });
    } catch (error) {
      return Promise.reject(error);
    }
  };

  // biome-ignore lint/correctness/useYield: streaming is refused, see the message
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    // An open iterator would stop this connection's per-turn transaction from ending; read in
    // pages instead (as the CSV export does).
    throw new Error('streaming queries is not supported on SQLite here: read in pages');
  }

  /** Ends the turn's read transaction, if one is open: the next read sees the latest commit. */
  endReadTurn = (): void => {
    if (!this.#reading) return;
    this.#reading = false;
    try {
      if (this.#db.inTransaction) this.#commit.run();
    } catch {
      // A read transaction has nothing to save; the next read starts a fresh one either way.
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    }
  };

  close(): void {
    if (!this.#db.open) return;
    this.endReadTurn();
    this.#statements.clear();
    this.#db.close();
  }

  #prepare(sql: string): Statement | null {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = this.#db.prepare(sql);
    const entry = statement.readonly && !TRANSACTION_CONTROL.test(sql) ? statement : null;
    keepStatement(this.#statements, sql, entry);
    return entry;
  }

  #joinReadTurn(): void {
    if (!this.#batchReads || this.#reading) return;
    this.#begin.run();
    this.#reading = true;
    setImmediate(this.endReadTurn);
  }
}

/** SqliteAdapter, minus the one-query-at-a-time lock: the connection above takes queries at once. */
class ConcurrentSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Closing is the database handle's business (Kysely skips `destroy` when it never ran a query). */
class ThreadedSqliteDriver implements Driver {
  readonly #connection: SqliteReadConnection;

  constructor(connection: SqliteReadConnection) {
    this.#connection = connection;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {
    // Every statement already commits with the others of its turn; one spanning several turns
    // would hold the writer for them all.
    throw new Error('Kysely transactions are not supported here: each write is its own statement');
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

/** Kysely's SQLite dialect over a read connection on this thread, which hands writes on. */
export class SqliteSplitDialect implements Dialect {
  readonly #connection: SqliteReadConnection;

  constructor(connection: SqliteReadConnection) {
    this.#connection = connection;
  }

  createAdapter() {
    return new ConcurrentSqliteAdapter();
  }

  createDriver(): Driver {
    return new ThreadedSqliteDriver(this.#connection);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
