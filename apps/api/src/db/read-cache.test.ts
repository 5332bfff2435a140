import SQLite from 'better-sqlite3';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createSessionStore } from '../stores/session-store.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { useTestDatabase } from '../test-support/per-test.js';
import {
  createTestStorage,
  openTestDatabase,
  TEST_BACKEND,
  withPostgres,
} from '../test-support/test-server.js';
import { EXTERNAL_CHECK_MS } from './read-cache.js';

// The stores keep what they read in memory on SQLite (db/read-cache.ts). Whatever they answer must
// still be what the database holds: after every write, during writes, and after someone changes
// the file from outside.

const db = useTestDatabase();

const LATER = 4_102_444_800_000; // 2100-01-01: sessions that stay live through the test
const NOW = 1_000;

/** Runs SQL on a connection of its own, as the sqlite3 shell or another tool would. */
async function fromOutside(statement: string): Promise<void> {
  if (TEST_BACKEND === 'sqlite') {
    const other = new SQLite(db.storage.url.slice('sqlite:'.length));
    other.exec(statement);
    other.close();
  } else {
    await withPostgres(async (client) => {
      await client.query(`set search_path to "${db.storage.schema}"`);
      await client.query(statement);
    });
  }
}

describe('what the stores remember', () => {
  it('answers membership as it stands after each add and remove', async () => {
    const subscribers = createSubscriberStore(db.database);
    expect(await subscribers.has('cat@example.com')).toBe(false);
    await subscribers.add('cat@example.com', NOW);
    expect(await subscribers.has('cat@example.com')).toBe(true);
    expect(await subscribers.remove('cat@example.com')).toBe(true);
    expect(await subscribers.has('cat@example.com')).toBe(false);
  });

  it('never keeps what a read saw while a remove was on its way', async () => {
    const subscribers = createSubscriberStore(db.database);
    await subscribers.add('race@example.com', NOW);
    // The read runs its statement first and sees the address; the remove commits after it.
    const seen = subscribers.has('race@example.com');
    const removed = subscribers.remove('race@example.com');
    expect(await seen).toBe(true);
    expect(await removed).toBe(true);
    expect(await subscribers.has('race@example.com')).toBe(false);
  });

  it('answers a session as it stands after each write, including one made during a read', async () => {
    const sessions = createSessionStore(db.database);
    await sessions.insert('s1', { email: 'a@example.com' }, LATER);
    // Not remembered yet (a write forgets), so this read asks the database, before the update.
    const seen = sessions.get('s1', NOW);
    const replaced = sessions.update('s1', { email: 'b@example.com' }, LATER, 0);
    expect((await seen)?.data).toEqual({ email: 'a@example.com' });
    expect(await replaced).toBe(1);
    expect((await sessions.get('s1', NOW))?.data).toEqual({ email: 'b@example.com' });

    // A compare-and-set that loses leaves the session as the winner wrote it.
    const stale = await sessions.update('s1', { email: 'c@example.com' }, LATER, 0);
    expect(stale).toBeNull();
    expect((await sessions.get('s1', NOW))?.data).toEqual({ email: 'b@example.com' });

    await sessions.destroy('s1');
    expect(await sessions.get('s1', NOW)).toBeNull();
  });

  it('shares what one store learns with every store over the same database', async () => {
    const reader = createSessionStore(db.database);
    const writer = createSessionStore(db.database);
    await writer.insert('s2', { email: 'a@example.com' }, LATER);
    expect(await reader.get('s2', NOW)).not.toBeNull();
    await writer.destroy('s2');
    expect(await reader.get('s2', NOW)).toBeNull();

    const asks = createSubscriberStore(db.database);
    const adds = createSubscriberStore(db.database);
    expect(await asks.has('shared@example.com')).toBe(false);
    await adds.add('shared@example.com', NOW);
    expect(await asks.has('shared@example.com')).toBe(true);
    await adds.remove('shared@example.com');
    expect(await asks.has('shared@example.com')).toBe(false);
  });

  it('keeps what it learns of one database away from the stores of another', async () => {
    const storage = await createTestStorage();
    const other = await openTestDatabase(storage).catch(async (error: unknown) => {
      await storage.remove();
      throw error;
    });
    onTestFinished(async () => {
      await other.close();
      await storage.remove();
    });
    expect(other.caches.sessions).not.toBe(db.database.caches.sessions);
    expect(other.caches.membership).not.toBe(db.database.caches.membership);

    const here = {
      sessions: createSessionStore(db.database),
      list: createSubscriberStore(db.database),
    };
    const there = { sessions: createSessionStore(other), list: createSubscriberStore(other) };
    await here.sessions.insert('s5', { email: 'a@example.com' }, LATER);
    await here.list.add('here@example.com', NOW);
    // Read here, so remembered here (on SQLite); the other database has neither.
    expect(await here.sessions.get('s5', NOW)).not.toBeNull();
    expect(await here.list.has('here@example.com')).toBe(true);
    expect(await there.sessions.get('s5', NOW)).toBeNull();
    expect(await there.list.has('here@example.com')).toBe(false);
  });

  it('treats a remembered session as gone once it expires', async () => {
    const sessions = createSessionStore(db.database);
    await sessions.insert('s3', { email: 'a@example.com' }, 5_000);
    expect(await sessions.get('s3', 4_999)).not.toBeNull();
    expect(await sessions.get('s3', 5_000)).toBeNull();
  });

  it('shows a change made from outside the server within a second', async () => {
    const subscribers = createSubscriberStore(db.database);
    const sessions = createSessionStore(db.database);
    await subscribers.add('outside@example.com', NOW);
    await sessions.insert('s4', { email: 'outside@example.com' }, LATER);
    expect(await subscribers.has('outside@example.com')).toBe(true);
    expect(await sessions.get('s4', NOW)).not.toBeNull();

    await fromOutside(`delete from subscribers; delete from sessions`);
    await vi.waitFor(
      async () => {
        expect(await subscribers.has('outside@example.com')).toBe(false);
        expect(await sessions.get('s4', NOW)).toBeNull();
      },
      { timeout: EXTERNAL_CHECK_MS + 500, interval: 50 },
    );
  });
});
