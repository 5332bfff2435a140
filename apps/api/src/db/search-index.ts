import type { SqliteDatabase } from 'kysely';

/** How often pending addresses are added to SQLite's trigram index. */
export const SEARCH_INDEX_INTERVAL_MS = 100;
/** Most addresses indexed in one go, so that one run holds the event loop for a few ms at most. */
export const SEARCH_INDEX_BATCH = 1_000;

/**
 * Adds up to `SEARCH_INDEX_BATCH` pending addresses (migration 0004) to the trigram index and
 * takes them off `search_pending`; returns how many. The statements run back to back on the
 * group-commit connection, inside a savepoint: a failing statement undoes only itself, so without
 * it an index insert could be kept while its pending rows stayed (and were indexed twice).
 */
export function indexPendingAddresses(database: SqliteDatabase): number {
  database.prepare('savepoint search_index').run([]);
  try {
    const indexed = indexBatch(database);
    database.prepare('release search_index').run([]);
    return indexed;
  } catch (error) {
    database.prepare('rollback to search_index').run([]);
    database.prepare('release search_index').run([]);
    throw error;
  }
}

function indexBatch(database: SqliteDatabase): number {
  const [last] = database
    .prepare(`select max(id) as id from (select id from search_pending order by id limit ?)`)
    .all([SEARCH_INDEX_BATCH]) as { id: number | null }[];
  const through = last?.id;
  if (through === null || through === undefined) return 0;
  const { changes } = database
    .prepare(
      `insert into subscribers_search (rowid, email)
       select s.id, s.email from search_pending p cross join subscribers s on s.id = p.id
       where p.id <= ?`,
    )
    .run([through]);
  database.prepare('delete from search_pending where id <= ?').run([through]);
  return Number(changes);
}
