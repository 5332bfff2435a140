import type { Executor } from './schema.js';

/**
 * Runs `work` in a transaction: the caller's, when `db` is one already (a route that commits the
 * list and the session together hands its own down), else a new one.
 */
export function withinTransaction<T>(
  db: Executor,
  work: (trx: Executor) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
