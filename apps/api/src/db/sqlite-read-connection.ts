import type { Database, Statement } from 'better-sqlite3';
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { keepStatement } from './sqlite-statements.js';
import type { SqliteWriter } from './sqlite-writer.js';

/** SQLite calls these read-only (they change no data), but they belong to the writer's transaction. */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

/**
 * The main thread's connection: runs the statements that only read, hands the others to the
 * writer. Reads of one event-loop turn share one read transaction, so that WAL's shared lock is
 * taken once per turn instead of once per statement (most of a point read's cost); it ends at the
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

  /** Reads here and now; hands anything else to the writer. */
  executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const statement = this.#prepare(sql);
      if (statement === null) {
        return this.#writer.execute(sql, parameters) as Promise<QueryResult<R>>;
      }
      this.#joinReadTurn();
      if (statement.reader) return Promise.resolve({ rows: statement.all(...parameters) as R[] });
      statement.run(...parameters);
      return Promise.resolve({ rows: [] });
    } catch (error) {
      return Promise.reject(error);
    }
  }

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
