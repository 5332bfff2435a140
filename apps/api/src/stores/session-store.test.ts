import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test-support/per-test.js';
import { createSessionStore } from './session-store.js';

// The session store's promises (session-store.ts), which the session middleware builds on: expiry
// to the millisecond, compare-and-set writes on a version column, no resurrection of a destroyed
// session, writes inside a caller's transaction, and rows that do not hold a session read as
// none. Runs on SQLite and on PostgreSQL.

const test = useTestDatabase();
const store = () => createSessionStore(test.database);

describe('the session store', () => {
  it('has a session until the moment it expires, cached or not', async () => {
    const sessions = store();
    await sessions.insert('s1', { email: 'cat@example.com' }, 1_000);
    expect((await sessions.get('s1', 999))?.data).toEqual({ email: 'cat@example.com' });
    // Read again: now from the cache, which must expire at the same moment as the row.
    expect((await sessions.get('s1', 999))?.data).toEqual({ email: 'cat@example.com' });
    expect(await sessions.get('s1', 1_000)).toBeNull();
    expect(await store().get('s1', 1_000)).toBeNull();
  });

  it('writes only over the version it read (compare-and-set)', async () => {
    const sessions = store();
    const v1 = await sessions.insert('s1', { n: 1 }, 10_000);
    expect((await sessions.get('s1', 0))?.version).toBe(v1);
    const v2 = await sessions.update('s1', { n: 2 }, 10_000, v1);
    expect(v2).toBe(v1 + 1);
    // A request that read version 1 writes back after someone else wrote version 2: refused.
    expect(await sessions.update('s1', { n: 1, seen: 5 }, 10_000, v1)).toBeNull();
    expect(await sessions.get('s1', 0)).toEqual({ data: { n: 2 }, version: v2 });
  });

  it('never brings a destroyed session back', async () => {
    const sessions = store();
    const v1 = await sessions.insert('s1', { n: 1 }, 10_000);
    await sessions.destroy('s1');
    expect(await sessions.update('s1', { n: 3 }, 10_000, v1)).toBeNull();
    expect(await sessions.get('s1', 0)).toBeNull();
  });

  it('reads rows written before versions existed as version 0, and updates them', async () => {
    await sql`insert into sessions (id, data, expires_at) values ('old', '{"n":1}', 10000)`.execute(
      test.database.db,
    );
    const sessions = store();
    expect(await sessions.get('old', 0)).toEqual({ data: { n: 1 }, version: 0 });
    expect(await sessions.update('old', { n: 2 }, 10_000, 0)).toBe(1);
  });

  it('writes inside a transaction it is handed, and nothing when that transaction fails', async () => {
    const sessions = store();
    await expect(
      test.database.db.transaction().execute(async (transaction) => {
        await sessions.insert('t1', { n: 1 }, 10_000, transaction);
        throw new Error('the rest of the request failed');
      }),
    ).rejects.toThrow('the rest of the request failed');
    expect(await sessions.get('t1', 0)).toBeNull();

    await test.database.db.transaction().execute(async (transaction) => {
      await sessions.insert('t2', { n: 1 }, 10_000, transaction);
    });
    expect((await store().get('t2', 0))?.data).toEqual({ n: 1 });
  });

  it.each([
    ['JSON null', 'null'],
    ['a number', '42'],
    ['a string', '"admin"'],
    ['an array', '[1]'],
    ['text that is not JSON', '{"email":'],
  ])('reads a row holding %s as no session', async (_, data) => {
    await sql`insert into sessions (id, data, expires_at) values ('s1', ${data}, 10000)`.execute(
      test.database.db,
    );
    expect(await store().get('s1', 0)).toBeNull();
  });
});
