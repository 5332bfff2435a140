import type { Logger } from 'pino';
import { indexPendingAddresses, SEARCH_INDEX_INTERVAL_MS } from '../search-indexer.js';
import type { GroupCommit } from './group-commit.js';

/**
 * Fills the trigram index from search_pending (migration 0004) on a timer, each batch a unit of
 * the group commit like any write. A read first: most runs find nothing pending, and should not
 * take the write lock for that. Returns a function that stops it.
 */
export function indexSearchInBackground(connection: GroupCommit, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a batch waiting for a lock held from outside
    running = true;
    connection
      .query<{ pending: number }>(
        'select exists (select 1 from search_pending) as pending',
        [],
        null,
      )
      .then(({ rows }) => (rows[0]?.pending ? connection.write(indexPendingAddresses) : 0))
      .catch((error: unknown) => {
        // Nothing is lost: the addresses stay pending, searches still find them, next run retries.
        logger.error({ err: error }, 'search index update failed');
      })
      .finally(() => {
        running = false;
      });
  }, SEARCH_INDEX_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
