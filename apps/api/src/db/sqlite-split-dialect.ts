import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { SqliteReadConnection } from './sqlite-read-connection.js';

/** SqliteAdapter, minus the one-query-at-a-time lock: the read connection takes many at once. */
class ConcurrentSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/**
 * Lends Kysely the one read connection, to any number of queries at once. Closing it is the
 * database handle's business (Kysely skips `destroy` when it never ran a query).
 */
class SqliteSplitDriver implements Driver {
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
    return new SqliteSplitDriver(this.#connection);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
