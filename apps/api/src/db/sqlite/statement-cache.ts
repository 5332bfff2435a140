import type { Database, Statement } from 'better-sqlite3';

/** Prepared statements kept per connection, by SQL text. */
const CAPACITY = 200;

/** SQLite calls these read-only (they change no data), yet they end or nest transactions. */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

/** A prepared statement and whether it must run as a write (inside the group transaction). */
export interface Prepared {
  readonly statement: Statement;
  readonly writes: boolean;
}

/**
 * The connection's prepared statements by SQL text: preparing costs about as much as running a
 * point query, and Kysely sends the same few texts over and over. The oldest goes once
 * `CAPACITY` are kept.
 */
export class StatementCache {
  readonly #db: Database;
  readonly #prepared = new Map<string, Prepared>();

  constructor(db: Database) {
    this.#db = db;
  }

  get(sql: string): Prepared {
    const cached = this.#prepared.get(sql);
    if (cached) return cached;
    const statement = this.#db.prepare(sql);
    const prepared = { statement, writes: !statement.readonly || TRANSACTION_CONTROL.test(sql) };
    if (this.#prepared.size >= CAPACITY) {
      const oldest = this.#prepared.keys().next().value;
      if (oldest !== undefined) this.#prepared.delete(oldest);
    }
    this.#prepared.set(sql, prepared);
    return prepared;
  }
}
