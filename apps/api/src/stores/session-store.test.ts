import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test-support/per-test.js';
import { createSessionStore } from './session-store.js';

// The session store's promises (session-store.ts), which the session middleware builds on: expiry
// to the millisecond, compare-and-set writes, no resurrection of a destroyed session, and rows
// that do not hold a session read as none. Runs on SQLite and on PostgreSQL.

const test = useTestDatabase();
const store = () => createSessionStore(test.database);

describe('the session store', () => {
  it('has a session until the moment it expires, cached or not', async () => {
    const sessions = store();
    await sessions.set('s1', { email: 'cat@example.com' }, 1_000, 'insert');
    expect((await sessions.get('s1', 999))?.data).toEqual({ email: 'cat@example.com' });
    // Read again: now from the cache, which must expire at the same moment as the row.
    expect((await sessions.get('s1', 999))?.data).toEqual({ email: 'cat@example.com' });
    expect(await sessions.get('s1', 1_000)).toBeNull();
    expect(await store().get('s1', 1_000)).toBeNull();
  });

  it('writes a version only over the version it read (compare-and-set)', async () => {
    const sessions = store();
    const v1 = await sessions.set('s1', { n: 1 }, 10_000, 'insert');
    expect(v1).not.toBeNull();
    const v2 = await sessions.set('s1', { n: 2 }, 10_000, { version: v1 ?? '' });
    expect(v2).not.toBeNull();
    // A request that read version 1 writes back after someone else wrote version 2: refused.
    expect(await sessions.set('s1', { n: 1, seen: 5 }, 10_000, { version: v1 ?? '' })).toBeNull();
    expect((await sessions.get('s1', 0))?.data).toEqual({ n: 2 });
    expect((await sessions.get('s1', 0))?.version).toBe(v2);
  });

  it('replaces a session on update but never brings a destroyed one back', async () => {
    const sessions = store();
    await sessions.set('s1', { n: 1 }, 10_000, 'insert');
    expect(await sessions.set('s1', { n: 2 }, 10_000, 'update')).not.toBeNull();
    expect((await sessions.get('s1', 0))?.data).toEqual({ n: 2 });
    await sessions.destroy('s1');
    expect(await sessions.set('s1', { n: 3 }, 10_000, 'update')).toBeNull();
    expect(await sessions.set('s1', { n: 3 }, 10_000, { version: '{"n":2}' })).toBeNull();
    expect(await sessions.get('s1', 0)).toBeNull();
  });

  it.each([
    ['JSON null', 'null'],
    ['a number', '42'],
    ['a string', '"admin"'],
    ['text that is not JSON', '{"email":'],
  ])('reads a row holding %s as no session', async (_, data) => {
    await sql`insert into sessions (id, data, expires_at) values ('s1', ${data}, 10000)`.execute(
      test.database.db,
    );
    expect(await store().get('s1', 0)).toBeNull();
  });
});
