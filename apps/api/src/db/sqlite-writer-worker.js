// @ts-check
// The thread that writes to a SQLite file: the file `new Worker()` loads (SqliteWriterClient, in
// sqlite-writer-client.ts, starts it and sends it the statements). Plain JavaScript, so that Node
// runs it as it is, from src (tests, `pnpm dev`) and from dist alike; typed through JSDoc and
// checked by tsc.
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { indexPendingAddresses, SEARCH_INDEX_INTERVAL_MS } from './search-indexer.js';
import { keepStatement, runStatement } from './sqlite-statements.js';

/**
 * @typedef {import('./sqlite-writer-protocol.js').WriteOp} WriteOp
 * @typedef {import('./sqlite-writer-protocol.js').WriteResult} WriteResult
 * @typedef {import('./sqlite-writer-protocol.js').WriteError} WriteError
 * @typedef {import('./sqlite-writer-protocol.js').ToWriter} ToWriter
 * @typedef {import('./sqlite-writer-protocol.js').WriterData} WriterData
 */

/** How often the thread publishes PRAGMA data_version (commits by other processes). */
const EXTERNAL_VERSION_POLL_MS = 250;

const ROLLED_BACK = 'SQLite rolled back the transaction; its writes were not saved';

/**
 * An error as it can travel to the main thread.
 * @param {unknown} error
 * @returns {WriteError}
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
  const savepoint = db.prepare('SAVEPOINT together');
  const rollbackToSavepoint = db.prepare('ROLLBACK TO together');
  const releaseSavepoint = db.prepare('RELEASE together');
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
   * @param {WriteError} [error]
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

  /**
   * Runs statements that must all be saved or none (a pending request and its mail), inside a
   * savepoint of the open transaction; their results, all failed when one failed.
   * @param {WriteOp[]} ops @returns {WriteResult[]}
   */
  function runTogether(ops) {
    savepoint.run();
    /** @type {WriteResult[]} */
    const results = [];
    for (const op of ops) {
      const result = execute(op);
      results.push(result);
      if ('error' in result || !db.inTransaction) break;
    }
    const failed = results.find((result) => 'error' in result);
    // SQLite ended the whole transaction (SQLITE_FULL, IOERR...): run() reports the loss.
    if (!db.inTransaction)
      return ops.map(() => failed ?? { error: { name: 'Error', message: ROLLED_BACK } });
    if (failed) rollbackToSavepoint.run();
    releaseSavepoint.run();
    return failed ? ops.map(() => failed) : results;
  }

  /** @param {Extract<ToWriter, { type: 'run' }>} message */
  function run(message) {
    /** @type {WriteResult[]} */
    const results = [];
    uncommitted.push([message.id, results]);
    const groups = message.groups ?? [];
    let group = 0;
    for (let i = 0; i < message.ops.length; ) {
      if (!db.inTransaction) {
        begin.run();
        open = true;
      }
      const range = groups[group];
      /** @type {WriteResult[]} */
      let ran;
      if (range && range[0] === i) {
        ran = runTogether(message.ops.slice(range[0], range[1]));
        group += 1;
      } else {
        ran = [execute(/** @type {WriteOp} */ (message.ops[i]))];
      }
      results.push(...ran);
      i += ran.length;
      // SQLite ended the transaction by itself (it rolls back on SQLITE_FULL, IOERR, NOMEM...)
      // or a statement did: nothing in it was saved, so nobody may be told otherwise.
      if (!db.inTransaction) {
        const last = ran[ran.length - 1];
        lose(last && 'error' in last && last.error.code ? last.error : undefined);
      }
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

runWriter(/** @type {WriterData} */ (workerData));
