// @ts-check
// Prepared statements as both threads of the SQLite writer keep and run them: the main thread's
// read connection (sqlite-read-connection.ts, the inline writer) and the writer thread
// (sqlite-writer-worker.js). Plain JavaScript, so that Node loads it in the thread as it is, from
// src and from dist alike; typed through JSDoc and checked by tsc.

/** Prepared statements kept per connection, by SQL text. */
export const STATEMENT_CACHE_SIZE = 200;

/**
 * Keeps `value` under `key`, dropping the oldest entry once `STATEMENT_CACHE_SIZE` are kept.
 * @template V
 * @param {Map<string, V>} map @param {string} key @param {V} value
 */
export function keepStatement(map, key, value) {
  if (map.size >= STATEMENT_CACHE_SIZE) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/**
 * Runs a prepared statement: its rows when it returns some, else what it changed.
 * @param {import('better-sqlite3').Statement} statement @param {unknown[]} parameters
 * @returns {import('./sqlite-writer-protocol.js').WriteSuccess}
 */
export function runStatement(statement, parameters) {
  if (statement.reader) return { rows: statement.all(...parameters) };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { changes, lastInsertRowid };
}
