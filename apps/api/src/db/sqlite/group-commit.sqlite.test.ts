import { statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../stores/session-store.js';
import { createSubscriberStore } from '../../stores/subscriber-store.js';
import { makeTempDir } from '../../test-support/test-server.js';
import { isDatabaseUnavailable } from '../database-errors.js';
import { type DatabaseHandle, openDatabase } from '../open-database.js';
import { GroupCommit } from './group-commit.js';
import { BUSY_TIMEOUT_MS } from './wait-for-lock.js';

const temps: ReturnType<typeof makeTempDir>[] = [];
const handles: DatabaseHandle[] = [];
/** Connections of "other processes", closed even when a test fails midway. */
const others: SQLite.Database[] = [];
afterEach(async () => {
  for (const other of others.splice(0)) {
    if (other.open && other.inTransaction) other.exec('rollback');
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

async function open() {
  const temp = makeTempDir();
  temps.push(temp);
  const path = join(temp.dir, 'catlist.db');
  const handle = await openDatabase(`sqlite:${path}`);
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
  return { handle, path, visible, walFrames };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts timer ticks: a frozen event loop would leave it far behind the clock. */
function ticker(everyMs: number) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return ticks;
    },
  };
}

describe('SQLite group commit on the event loop', () => {
  it('commits concurrent writes together, and acknowledges each only once committed', async () => {
    const { handle, visible, walFrames } = await open();
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
    // Nothing is acknowledged, nor visible outside, before the turn's group is committed.
    await Promise.resolve();
    expect(acknowledged).toBe(0);
    expect(visible()).toBe(0);
    await Promise.all(writes);
    expect(visible()).toBe(100);
    // One commit for the lot: a commit per insert would append hundreds of frames.
    expect(walFrames() - framesBefore).toBeLessThan(20);
  });

  it('commits writes made one after another separately', async () => {
    const { handle, walFrames } = await open();
    // Also checks the measure above: separate turns, separate commits, more frames.
    const store = createSubscriberStore(handle);
    const framesBefore = walFrames('TRUNCATE');
    for (let i = 0; i < 10; i++) await store.add(`s${i}@example.com`, i);
    expect(walFrames() - framesBefore).toBeGreaterThanOrEqual(10);
  });

  it('fails only the write that failed, not the others of its group', async () => {
    const { handle, visible } = await open();
    const { db } = handle;
    await db
      .insertInto('subscribers')
      .values({ email: 'taken@example.com', created_at: 0 })
      .execute();
    const insert = (email: string) =>
      db.insertInto('subscribers').values({ email, created_at: 1 }).execute();
    const results = await Promise.allSettled([
      insert('a@example.com'),
      insert('taken@example.com'),
      // OR FAIL keeps the rows a failing statement wrote before its error: its savepoint does not.
      sql`insert or fail into subscribers (email, created_at)
        values ('b@example.com', 1), ('a@example.com', 1)`.execute(db),
      insert('c@example.com'),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(visible()).toBe(3); // taken, a, c
  });

  it('ends a group whose every write failed, releasing the write lock', async () => {
    const { handle, path } = await open();
    const { db } = handle;
    await db
      .insertInto('subscribers')
      .values({ email: 'taken@example.com', created_at: 0 })
      .execute();
    await expect(
      db.insertInto('subscribers').values({ email: 'taken@example.com', created_at: 1 }).execute(),
    ).rejects.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    const other = otherConnection(path);
    other.exec('begin immediate'); // throws SQLITE_BUSY if the group were still open
    other.exec('rollback');
  });

  it('rolls a transaction back as a whole; writes beside it wait for it, then commit', async () => {
    const { handle, visible } = await open();
    const { db } = handle;
    const order: string[] = [];
    let inside!: () => void;
    const insideStarted = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('subscribers')
        .values({ email: 'x@example.com', created_at: 1 })
        .execute();
      inside();
      await sleep(50); // across turns of the event loop: the others must wait
      order.push('transaction');
      throw new Error('changed my mind');
    });
    await insideStarted;
    const beside = db
      .insertInto('subscribers')
      .values({ email: 'y@example.com', created_at: 2 })
      .execute()
      .then(() => order.push('write'));
    // A read outside the transaction waits for it too: it must not see x@ while it is open.
    const read = db
      .selectFrom('subscribers')
      .select('email')
      .execute()
      .then((rows) => rows.map((row) => row.email));
    await expect(failing).rejects.toThrow('changed my mind');
    await beside;
    expect(await read).toEqual([]);
    expect(order).toEqual(['transaction', 'write']);
    expect(visible()).toBe(1);
    const rows = await db.selectFrom('subscribers').select('email').execute();
    expect(rows).toEqual([{ email: 'y@example.com' }]);
  });

  it('acknowledges a transaction only once committed, and lets the next ones into its group', async () => {
    const { handle, visible, walFrames } = await open();
    const { db } = handle;
    const framesBefore = walFrames('TRUNCATE');
    let committed = 0;
    const transactions = Array.from({ length: 20 }, (_, i) =>
      db
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('subscribers')
            .values({ email: `t${i}@example.com`, created_at: i })
            .execute();
          await trx
            .insertInto('subscriber_owners')
            .values({ email: `t${i}@example.com`, owner_hash: `owner${i}` })
            .execute();
        })
        .then(() => {
          committed++;
          expect(visible()).toBeGreaterThanOrEqual(committed);
        }),
    );
    await Promise.all(transactions);
    expect(visible()).toBe(20);
    // Far fewer commits than transactions: they shared groups.
    expect(walFrames() - framesBefore).toBeLessThan(20 * 3);
  });

  it('never acknowledges writes of a group that SQLite rolled back', async () => {
    const { handle, visible } = await open();
    const store = createSubscriberStore(handle);
    // What SQLite does by itself on SQLITE_FULL or an I/O error: the open transaction is gone.
    const lost = store.add('lost@example.com', 1).then(
      () => 'acknowledged',
      (error: Error) => error.message,
    );
    // In the same turn, so in the same group: a ROLLBACK right after it.
    await sql`rollback`.execute(handle.db).catch(() => {});
    await store.add('kept@example.com', 2);
    expect(await lost).toMatch(/rolled back/);
    expect(visible()).toBe(1);
  });

  it('keeps the event loop and reads going while another process holds the write lock', async () => {
    const { handle, path, visible } = await open();
    const store = createSubscriberStore(handle);
    await store.add('before@example.com', 1);
    // Another process holds the write lock (a backup, the sqlite3 shell, the catlist CLI).
    const other = otherConnection(path);
    other.exec('begin immediate');
    let saved = false;
    const write = store.add('after@example.com', 2).then(() => {
      saved = true;
    });
    const ticks = ticker(10);
    const started = Date.now();
    await sleep(300);
    const ticked = ticks.stop();
    // The timers ran (about 30 ticks in 300 ms): SQLite never held the loop for long.
    expect(Date.now() - started).toBeLessThan(600);
    expect(ticked).toBeGreaterThanOrEqual(15);
    expect(saved).toBe(false);
    // Reads answer meanwhile, from what is committed.
    expect(await store.has('before@example.com')).toBe(true);
    expect(await store.count()).toBe(1);
    other.exec('commit');
    other.close();
    await write;
    expect(await store.has('after@example.com')).toBe(true);
    expect(await store.count()).toBe(2);
    expect(visible()).toBe(2);
  });

  it('fails the waiting writes cleanly (a 503) when the lock is held past the limit', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const path = join(temp.dir, 'plain.db');
    const setup = otherConnection(path);
    setup.pragma('journal_mode = WAL');
    setup.exec('create table t (x integer primary key)');
    const raw = otherConnection(path);
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const connection = new GroupCommit(raw, { lockWaitMs: 200 });
    setup.exec('begin immediate');
    const ticks = ticker(10);
    const started = Date.now();
    const outcome = await connection.query('insert into t (x) values (1)', [], null).then(
      () => null,
      (error: unknown) => error,
    );
    const ticked = ticks.stop();
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    expect((outcome as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ticked).toBeGreaterThanOrEqual(10);
    // Once the lock is free the connection works again.
    setup.exec('rollback');
    await connection.query('insert into t (x) values (2)', [], null);
    expect(setup.prepare('select x from t').pluck().all()).toEqual([2]);
    await connection.close();
  });

  it('sees commits by other connections through data_version (for the read caches)', async () => {
    const { handle, path } = await open();
    const before = handle.externalVersion?.();
    await createSubscriberStore(handle).add('own@example.com', 1);
    expect(handle.externalVersion?.()).toBe(before); // its own commits do not count
    const other = otherConnection(path);
    other.prepare('insert into subscribers (email, created_at) values (?, ?)').run('o@x.com', 2);
    expect(handle.externalVersion?.()).not.toBe(before);
  });

  it('works on sqlite::memory: too', async () => {
    const handle = await openDatabase('sqlite::memory:');
    handles.push(handle);
    const store = createSubscriberStore(handle);
    await Promise.all([store.add('a@example.com', 1), store.add('b@example.com', 2)]);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('subscribers')
          .values({ email: 'c@example.com', created_at: 3 })
          .execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await store.count()).toBe(2);
  });

  it('keeps the log bounded under sustained concurrent writes (SQLite restarts it)', async () => {
    const { handle, path } = await open();
    const store = createSubscriberStore(handle);
    const sessions = createSessionStore(handle);
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
          largest = Math.max(largest, statSync(`${path}-wal`).size);
        }
      }),
    );
    // 3,000 signups write ~17 MB of log pages: without restarts the log would hold them all;
    // SQLite checkpoints every 1,000 pages (4 MB) and then starts the log over.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(8 * 1024 * 1024);
  });
});
