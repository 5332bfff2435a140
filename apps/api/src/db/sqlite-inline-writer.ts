import type { Database } from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import type { Logger } from 'pino';
import { indexPendingAddresses, SEARCH_INDEX_INTERVAL_MS } from './search-indexer.js';
import { runStatement } from './sqlite-statements.js';
import { type SqliteWriter, toQueryResult } from './sqlite-writer.js';
import type { WriteOp } from './sqlite-writer-protocol.js';

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

  async executeTogether(ops: readonly WriteOp[]): Promise<QueryResult<unknown>[]> {
    const results = this.#db.transaction(() =>
      ops.map(([sql, parameters]) => runStatement(this.#db.prepare(sql), parameters)),
    )();
    return results.map(toQueryResult);
  }

  externalVersion(): number {
    return 0; // the only connection there is
  }

  async close(): Promise<void> {
    clearInterval(this.#indexer);
  }
}
