// The messages between the main thread (SqliteWriterClient) and the SQLite writer thread
// (sqlite-writer-worker.js, which imports these types through JSDoc). Types only: nothing here
// runs, so the thread never loads this file.
import type { MessagePort } from 'node:worker_threads';

/** One statement to run: its SQL and its values. */
export type WriteOp = [sql: string, parameters: unknown[]];

/** A statement that ran: its rows when it returns some, else what it changed. */
export type WriteSuccess =
  | { rows: unknown[] }
  | { changes: number; lastInsertRowid: number | bigint };

/** A statement's fate, once its transaction is committed and synced (or lost). */
export type WriteResult = WriteSuccess | { error: WriteError };

/** An error as it crosses the threads: its name, message and SQLite's code. */
export interface WriteError {
  name: string;
  message: string;
  code?: string;
}

/** From the main thread: statements to run (`id` comes back with their results), or stop. */
export type ToWriter =
  | {
      type: 'run';
      id: number;
      ops: WriteOp[];
      /**
       * Ranges `[start, end)` of `ops` that are saved all or none: one fails, the others of its
       * range are rolled back and fail with it.
       */
      groups?: [start: number, end: number][];
    }
  | { type: 'close' };

/** From the thread: started; results by message id; an error to log. */
export type FromWriter =
  | { type: 'ready' }
  | { type: 'done'; replies: [id: number, results: WriteResult[]][] }
  | { type: 'log'; msg: string; err: WriteError };

/** The thread's `workerData`. */
export interface WriterData {
  /** The database file, migrated already. */
  path: string;
  /** Where messages travel both ways. */
  port: MessagePort;
  /** The thread publishes PRAGMA data_version here (commits by other processes). */
  externalVersion: Int32Array;
  /** Tests only: while element 0 is not 0, the thread holds its syncs of the log back. */
  syncGate?: Int32Array | undefined;
}
