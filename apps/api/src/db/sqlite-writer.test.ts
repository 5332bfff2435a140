import { statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../stores/session-store.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { makeTempDir } from '../test-support/test-server.js';
import { type DatabaseHandle, openDatabase } from './open-database.js';

const temps: ReturnType<typeof makeTempDir>[] = [];
const handles: DatabaseHandle[] = [];
/** Connections of "other processes", closed even when a test fails midway. */
const others: SQLite.Database[] = [];
afterEach(async () => {
  for (const other of others.splice(0)) {
    if (other.inTransaction) other.exec('rollback');
    if (other.open) other.close();
  }
  for (const handle of handles.splice(0)) await handle.close();
  for (const temp of temps.splice(0)) temp.remove();
});

function otherConnection(path: string, options?: SQLite.Options): SQLite.Database {
  const other = new SQLite(path, options);
  others.push(other);
  return other;
}

async function open(options: { syncGate?: Int32Array } = {}) {
  const temp = makeTempDir();
  temps.push(temp);
  const path = join(temp.dir, 'catlist.db');
  const handle = await openDatabase(`sqlite:${path}`, options);
  handles.push(handle);
  // A second connection, as another process (or the file after a crash) would see the data.
  const outside = otherConnection(path, { readonly: true });
  const visible = () =>
    (outside.prepare('select count(*) as n from subscribers').get() as { n: number }).n;
  // Frames in the write-ahead log: every commit appends at least one (and costs one sync). The
  // log is emptied first (TRUNCATE), so that SQLite restarting it cannot reset the count midway.
  const walFrames = (mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE') => {
    const writer = new SQLite(path);
    const [result] = writer.pragma(`wal_checkpoint(${mode})`) as { log: number }[];
    writer.close();
    return result?.log ?? 0;
  };
  return { handle, path, visible, walFrames, closeOutside: () => outside.close() };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the SQLite writer thread', () => {
  it('commits concurrent writes together, and acknowledges each only once committed', async () => {
    const { handle, visible, walFrames, closeOutside } = await open();
    const store = createSubscriberStore(handle);
    const framesBefore = walFrames('TRUNCATE');
    let acknowledged = 0;
    const writes = Array.from({ length: 100 }, (_, i) =>
      store.add(`g${i}@example.com`, i).then(() => {
        acknowledged++;
        // Whenever a write is acknowledged, another connection already sees it.
        expect(visible()).toBeGreaterThanOrEqual(acknowledged);
      }),
    );
    await Promise.all(writes);
    expect(visible()).toBe(100);
    // One commit for the lot: a commit per insert would append hundreds of frames.
    expect(walFrames() - framesBefore).toBeLessThan(20);
    closeOutside();
  });

  it('never acknowledges writes of a batch that SQLite rolled back', async () => {
    const { handle, visible, closeOutside } = await open();
    const store = createSubscriberStore(handle);
    // What SQLite does by itself on SQLITE_FULL or an I/O error: the open transaction is gone.
    const lost = store.add('lost@example.com', 1).then(
      () => 'acknowledged',
      (error: Error) => error.message,
    );
    // In the same turn, so in the same transaction on the writer: a ROLLBACK right after it.
    const rollback = sql`rollback`.execute(handle.db).catch(() => {});
    await rollback;
    await store.add('kept@example.com', 2);
    expect(await lost).toMatch(/rolled back/);
    expect(visible()).toBe(1);
    closeOutside();
  });

  it('commits writes made one after another separately', async () => {
    const { handle, walFrames, closeOutside } = await open();
    // Also checks the measure above: separate turns, separate commits, more frames.
    const store = createSubscriberStore(handle);
    const framesBefore = walFrames('TRUNCATE');
    for (let i = 0; i < 10; i++) await store.add(`s${i}@example.com`, i);
    expect(walFrames() - framesBefore).toBeGreaterThanOrEqual(10);
    closeOutside();
  });

  it('commits writes of later turns in later batches', async () => {
    const { handle, visible, closeOutside } = await open();
    const store = createSubscriberStore(handle);
    await store.add('first@example.com', 1);
    expect(visible()).toBe(1);
    await store.add('second@example.com', 2);
    expect(await store.remove('first@example.com')).toBe(true);
    expect(visible()).toBe(1);
    expect(await store.count()).toBe(1);
    closeOutside();
  });

  it('acknowledges a write only after the log is synced, and commits what comes meanwhile next', async () => {
    // The thread's fdatasync, held until the test lets it go: a power cut while it is held may
    // lose the write, so nobody may have been told it was saved.
    const syncGate = new Int32Array(new SharedArrayBuffer(4));
    const { handle, visible } = await open({ syncGate });
    const store = createSubscriberStore(handle);
    Atomics.store(syncGate, 0, 1);
    const acknowledged: string[] = [];
    const first = store.add('first@example.com', 1).then(() => acknowledged.push('first'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Committed (another connection sees it) but not synced: not acknowledged.
    expect(visible()).toBe(1);
    const second = store.add('second@example.com', 2).then(() => acknowledged.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The write that came during the sync waits, uncommitted, in the next transaction.
    expect(visible()).toBe(1);
    expect(acknowledged).toEqual([]);
    Atomics.store(syncGate, 0, 0);
    await Promise.all([first, second]);
    expect(acknowledged).toEqual(['first', 'second']);
    expect(visible()).toBe(2);
  });

  it('lets a read right after an acknowledged write see it, even when its turn read before', async () => {
    const { handle } = await open();
    const store = createSubscriberStore(handle);
    const writes = await new Promise<Promise<boolean>[]>((resolve) => {
      setTimeout(() => {
        void store.count(); // this turn's read transaction: a snapshot from before the writes
        // 8 statements: the message goes to the writer at once, not at the end of the turn.
        const adds = Array.from({ length: 8 }, (_, i) => store.add(`a${i}@example.com`, i));
        queueMicrotask(() => {
          // Hold this thread until the writer has committed, synced and answered.
          const until = Date.now() + 150;
          while (Date.now() < until);
        });
        resolve(adds);
      }, 1);
    });
    await Promise.all(writes); // answered within the same turn as that read
    expect(await store.has('a0@example.com')).toBe(true);
    await nextTurn();
    expect(await store.has('a0@example.com')).toBe(true); // and nothing stale was cached
  });

  it('keeps reads and the event loop going while a write waits for the file', async () => {
    const { handle, visible, closeOutside } = await open();
    const store = createSubscriberStore(handle);
    await store.add('before@example.com', 1);
    // Another process holds the write lock (a backup, the sqlite3 shell): the writer waits for it
    // (busy_timeout), on its own thread.
    const other = otherConnection(join((handle as { dataDir: string }).dataDir, 'catlist.db'));
    other.exec('begin immediate');
    let saved = false;
    const write = store.add('after@example.com', 2).then(() => {
      saved = true;
    });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 200 ms of timers ran on time, and reads answer meanwhile, from what is committed.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(saved).toBe(false);
    expect(await store.has('before@example.com')).toBe(true);
    expect(await store.count()).toBe(1);
    other.exec('commit');
    other.close();
    await write;
    expect(await store.has('after@example.com')).toBe(true);
    expect(await store.count()).toBe(2);
    expect(visible()).toBe(2);
    closeOutside();
  });

  it('keeps the log bounded under sustained concurrent writes (SQLite restarts it)', async () => {
    const { handle, closeOutside } = await open();
    closeOutside();
    const store = createSubscriberStore(handle);
    const sessions = createSessionStore(handle);
    const path = (handle as { dataDir: string }).dataDir;
    let largest = 0;
    // 20 writers, 150 signups each (an address and a session per signup, as a signup writes).
    await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        for (let i = 0; i < 150; i++) {
          const id = `w${writer}-${i}`;
          await Promise.all([
            store.add(`${id}@example.com`, i),
            sessions.insert(id, { email: `${id}@example.com` }, 4_102_444_800_000),
          ]);
          largest = Math.max(largest, statSync(join(path, 'catlist.db-wal')).size);
        }
      }),
    );
    // 3,000 signups write ~17 MB of log pages: without restarts the log would hold them all;
    // SQLite checkpoints every 1,000 pages (4 MB) and then starts the log over.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(8 * 1024 * 1024);
  });
});
