// @ts-check
// Fills SQLite's trigram index (migration 0003) in batches: sqlite/search-indexing.ts runs it on
// a timer, as a unit of the group commit.

/** How often pending addresses are added to SQLite's trigram index. */
export const SEARCH_INDEX_INTERVAL_MS = 100;
/** Most addresses indexed in one transaction, so that one run holds the connection for a few ms. */
export const SEARCH_INDEX_BATCH = 1_000;

/**
 * Adds up to `SEARCH_INDEX_BATCH` pending addresses (migration 0004) to the trigram index and takes
 * them off `search_pending`, in one transaction of its own (a savepoint inside an open one); returns how many.
 * @param {import('better-sqlite3').Database} db
 * @returns {number}
 */
export function indexPendingAddresses(db) {
  return db.transaction(() => {
    const through = db
      .prepare('select max(id) from (select id from search_pending order by id limit ?)')
      .pluck()
      .get(SEARCH_INDEX_BATCH);
    if (through === null || through === undefined) return 0;
    const { changes } = db
      .prepare(
        `insert into subscribers_search (rowid, email)
         select s.id, s.email from search_pending p cross join subscribers s on s.id = p.id
         where p.id <= ?`,
      )
      .run(through);
    db.prepare('delete from search_pending where id <= ?').run(through);
    return changes;
  })();
}
