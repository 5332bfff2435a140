import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** How often the write-ahead log is copied back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;

// The checkpointer's own thread: a second connection that runs PASSIVE checkpoints (they never
// block the writer) on a timer, until told to stop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String((error && error.message) || error) });
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread (the connection that writes checkpoints at close itself). */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's checkpoints off the event loop. A checkpoint copies the log back into the
 * database file and syncs both; SQLite runs one inside a COMMIT every 1,000 log pages, which put
 * two fsyncs on the event loop and made COMMIT an eighth of a signup's time (docs/benchmarks.md).
 * The serving connection gets `wal_autocheckpoint = 0` (`disableAutoCheckpoint`) and a worker
 * thread checkpoints every CHECKPOINT_INTERVAL_MS instead. Should the thread fail, SQLite's own
 * automatic checkpoints come back (`restoreAutoCheckpoint`), so the log never grows unbounded.
 */
export function startCheckpointer(
  path: string,
  {
    disableAutoCheckpoint,
    restoreAutoCheckpoint,
    logger,
  }: {
    disableAutoCheckpoint: () => void;
    restoreAutoCheckpoint: () => void;
    logger: Logger;
  },
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  disableAutoCheckpoint();
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', ({ failed }: { failed: string }) => {
    logger.warn({ err: failed }, 'checkpoint failed; retrying');
  });
  worker.on('error', (error) => {
    logger.error({ err: error }, 'checkpoint thread failed; SQLite checkpoints on its own again');
    restoreAutoCheckpoint();
  });
  worker.on('exit', () => {
    if (!stopped) restoreAutoCheckpoint();
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // Unref'd while it runs (it must not keep the process up), but waited for here: without
      // ref() a process with nothing else left would end before the thread does.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
