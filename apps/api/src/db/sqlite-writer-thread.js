// @ts-check
// The thread that writes to a SQLite file (see sqlite-threaded.ts, which starts it and sends it
// the statements). Plain JavaScript, so that Node runs it as it is, from src (tests, `pnpm dev`)
// and from dist alike; typed through JSDoc and checked by tsc.
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread, receiveMessageOnPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** How often pending addresses are added to SQLite's trigram index. */
export const SEARCH_INDEX_INTERVAL_MS = 100;
/** Most addresses indexed in one transaction, so that one run holds the writer for a few ms. */
export const SEARCH_INDEX_BATCH = 1_000;
/** How often the thread publishes PRAGMA data_version (commits by other processes). */
export const EXTERNAL_VERSION_POLL_MS = 250;

/** Prepared statements kept per connection, by SQL text (here and on the main thread). */
export const STATEMENT_CACHE_SIZE = 200;

const ROLLED_BACK = 'SQLite rolled back the transaction; its writes were not saved';

/**
 * @typedef {[sql: string, parameters: unknown[]]} WriteOp
 * @typedef {{ rows: unknown[] } | { changes: number, lastInsertRowid: number | bigint }
 *   | { error: { name: string, message: string, code?: string } }} WriteResult
 * @typedef {{ type: 'run', id: number, ops: WriteOp[] } | { type: 'close' }} ToWriter
 * @typedef {{ type: 'ready' } | { type: 'done', replies: [id: number, results: WriteResult[]][] }
 *   | { type: 'log', msg: string, err: { message: string, code?: string } }} FromWriter
 * @typedef {{ role: 'catlist-sqlite-writer', path: string,
 *   port: import('node:worker_threads').MessagePort, externalVersion: Int32Array,
 *   syncGate?: Int32Array }} WriterData
 */

/**
 * Adds up to `SEARCH_INDEX_BATCH` pending addresses (migration 0004) to the trigram index and takes
 * them off `search_pending`, in one transaction of its own; returns how many.
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
 * @returns {{ rows: unknown[] } | { changes: number, lastInsertRowid: number | bigint }}
 */
export function runStatement(statement, parameters) {
  if (statement.reader) return { rows: statement.all(...parameters) };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { changes, lastInsertRowid };
}

/**
 * @param {unknown} error
 * @returns {{ name: string, message: string, code?: string }}
 */
function describe(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code } = /** @type {{ code?: unknown }} */ (error);
  return typeof code === 'string'
    ? { name: error.name, message: error.message, code }
    : { name: error.name, message: error.message };
}

/**
 * The writer: one connection to the file. Statements arrive in messages and run at once, in
 * order; everything that arrives while the log is being synced shares one open transaction (group
 * commit). COMMIT only appends to the write-ahead log (synchronous=NORMAL: SQLite still syncs the
 * log before each checkpoint, so the database file is never ahead of it); the log is then
 * fdatasynced on the thread pool while the next transaction already runs, and only when that
 * returns are the batch's results sent back. So a write is acknowledged once it is on stable
 * storage, as with synchronous=FULL, and nobody ever sees the result of a write that was not
 * saved. One sync at a time: on Linux a failed writeback is reported to one fsync caller only, so
 * a second sync running beside it could report success for pages that were lost.
 * @param {WriterData} data
 */
function runWriter({ path, port, externalVersion, syncGate }) {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // The log exists (the main connection holds the file in WAL mode). Sync its directory entry
  // once, as SQLite would on its first sync, so that the file itself survives a power cut.
  const wal = openSync(`${path}-wal`, 'r');
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
  db.pragma('synchronous = NORMAL');
  /** @type {Map<string, import('better-sqlite3').Statement>} */
  const statements = new Map();
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const dataVersion = db.prepare('PRAGMA data_version').pluck();

  /** @param {string} sql */
  function prepare(sql) {
    const cached = statements.get(sql);
    if (cached) return cached;
    const statement = db.prepare(sql);
    keepStatement(statements, sql, statement);
    return statement;
  }

  /** Flushes the log; tests hold it back (syncGate) to watch acknowledgements wait. */
  /** @type {(done: (error: NodeJS.ErrnoException | null) => void) => void} */
  const syncLog = (done) => {
    if (syncGate && Atomics.load(syncGate, 0) !== 0) {
      setTimeout(() => syncLog(done), 2);
      return;
    }
    fdatasync(wal, done);
  };

  // Commits by other connections (another process, the sqlite3 shell) change this connection's
  // data_version; the main thread's read caches watch it (ReadCache).
  const publishVersion = () => Atomics.store(externalVersion, 0, Number(dataVersion.get()));
  publishVersion();
  const poll = setInterval(publishVersion, EXTERNAL_VERSION_POLL_MS);

  /** @param {string} msg @param {unknown} error */
  const log = (msg, error) => port.postMessage({ type: 'log', msg, err: describe(error) });

  /** Answers of the statements run since the last COMMIT, by message. */
  /** @type {[number, WriteResult[]][]} */
  let uncommitted = [];
  /** Whether the statements in `uncommitted` that succeeded ran in a transaction still open. */
  let open = false;
  let syncing = false;
  let closing = false;

  /**
   * Nothing since the last COMMIT was saved: every answer since says so, with the error that
   * ended the transaction when it is known (SQLITE_FULL says more than "rolled back").
   * @param {{ name: string, message: string, code?: string }} [error]
   */
  function lose(error = { name: 'Error', message: ROLLED_BACK }) {
    for (const [, results] of uncommitted) results.fill({ error });
    open = false;
  }

  const indexer = setInterval(() => {
    try {
      // Inside the open transaction when there is one (a savepoint then), else on its own.
      indexPendingAddresses(db);
    } catch (error) {
      // Nothing is lost: the addresses stay pending, searches still find them, next run retries.
      log('search index update failed', error);
      // ...unless SQLite rolled back the whole open transaction (SQLITE_FULL, IOERR, NOMEM).
      if (open && !db.inTransaction) lose(describe(error));
    }
  }, SEARCH_INDEX_INTERVAL_MS);

  /** @param {WriteOp} op @returns {WriteResult} */
  function execute([sql, parameters]) {
    try {
      return runStatement(prepare(sql), parameters);
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /** @param {Extract<ToWriter, { type: 'run' }>} message */
  function run(message) {
    /** @type {WriteResult[]} */
    const results = [];
    uncommitted.push([message.id, results]);
    for (const op of message.ops) {
      if (!db.inTransaction) {
        begin.run();
        open = true;
      }
      const result = execute(op);
      results.push(result);
      // SQLite ended the transaction by itself (it rolls back on SQLITE_FULL, IOERR, NOMEM...)
      // or a statement did: nothing in it was saved, so nobody may be told otherwise.
      if (!db.inTransaction)
        lose('error' in result && result.error.code ? result.error : undefined);
    }
  }

  /** Commits what ran since the last COMMIT and answers once the log is synced. */
  function commitAndSync() {
    if (open) {
      if (!db.inTransaction) {
        // Rolled back behind our back: whatever did not fail already was not saved either.
        lose();
      } else {
        open = false;
        try {
          commit.run();
        } catch (error) {
          if (db.inTransaction) rollback.run();
          lose(describe(error));
        }
      }
    }
    const replies = uncommitted;
    uncommitted = [];
    syncing = true;
    syncLog((error) => {
      syncing = false;
      if (error) {
        // The log may have lost pages that a later sync would report as fine (Linux reports a
        // failed writeback once). Nothing can be promised any more: fail everything and stop;
        // the main thread takes the process down and a restart recovers from what is on disk.
        const failure = { error: describe(error) };
        for (const [, results] of [...replies, ...uncommitted]) results.fill(failure);
        port.postMessage({ type: 'done', replies: [...replies, ...uncommitted] });
        log('syncing the write-ahead log failed; stopping', error);
        process.exit(1);
        return;
      }
      port.postMessage({ type: 'done', replies });
      // What ran during the sync commits now, and is synced next.
      if (uncommitted.length > 0) commitAndSync();
      else if (closing) close();
    });
  }

  /** @param {ToWriter} first */
  function onMessage(first) {
    /** @type {ToWriter | undefined} */
    let message = first;
    while (message) {
      if (message.type === 'close') {
        closing = true;
        break;
      }
      run(message);
      message = receiveMessageOnPort(port)?.message;
    }
    // While a sync runs, the transaction stays open and takes later messages too.
    if (syncing) return;
    if (uncommitted.length > 0) commitAndSync();
    else if (closing) close();
  }

  function close() {
    clearInterval(indexer);
    clearInterval(poll);
    port.off('message', onMessage);
    db.close();
    closeSync(wal);
    port.close();
  }

  port.on('message', onMessage);
  port.postMessage({ type: 'ready' });
}

if (!isMainThread && workerData?.role === 'catlist-sqlite-writer') {
  runWriter(/** @type {WriterData} */ (workerData));
}
