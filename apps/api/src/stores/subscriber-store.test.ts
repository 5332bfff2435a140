import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../test-support/per-test.js';
import { createSubscriberStore } from './subscriber-store.js';

// The subscriber store's promises beyond what the routes show: what a removal by owner reports,
// and searches that stay exact whichever path (SQLite's trigram index or a scan) answers them.
// Runs on SQLite and on PostgreSQL.

const test = useTestDatabase();

describe('removing an address by its owner', () => {
  it('says removed, not-owner or absent, and removes only for the owner', async () => {
    const store = createSubscriberStore(test.database);
    expect(await store.add('cat@example.com', 1, 'owner-token')).toBe(true);
    expect(await store.add('cat@example.com', 2, 'other-token')).toBe(false);
    expect(await store.removeOwned('cat@example.com', 'other-token')).toBe('not-owner');
    expect(await store.has('cat@example.com')).toBe(true);
    expect(await store.removeOwned('cat@example.com', 'owner-token')).toBe('removed');
    expect(await store.has('cat@example.com')).toBe(false);
    expect(await store.removeOwned('cat@example.com', 'owner-token')).toBe('absent');
  });
});

describe('searching', () => {
  const seed = async (emails: string[]) => {
    const store = createSubscriberStore(test.database);
    for (const [i, email] of emails.entries()) await store.add(email, i + 1);
    // On SQLite, wait for the indexer to move the new rows into the trigram index, so
    // that the index, not the pending list, answers the search.
    if (test.database.dialect !== 'sqlite') return;
    await vi.waitFor(async () => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from search_pending`.execute(
        test.database.db,
      );
      expect(Number(rows[0]?.n)).toBe(0);
    });
  };
  const everything = async (store: ReturnType<typeof createSubscriberStore>, q: string) => {
    const { rows, total } = await store.search({ limit: 100, contains: q });
    return { emails: rows.map((row) => row.email).sort(), total };
  };

  it('counts and lists every match when there are more than the index answers for', async () => {
    const matches = Array.from({ length: 8 }, (_, i) => `tom${i}@example.com`);
    await seed([...matches, 'felix@example.com']);
    for (const trigramLimit of [5, 7, 8, 9]) {
      const store = createSubscriberStore(test.database, { trigramLimit });
      expect(await everything(store, 'tom')).toEqual({ emails: matches, total: 8 });
    }
  });

  it.each([
    ['_', 'a_cde', ['abcde@example.com']],
    ['%', 'a%cde', ['abxcde@example.com', 'acde@example.com']],
    ['nothing but _', '___', ['abc@example.com']],
  ])('takes %s in a search of three or more characters literally', async (_, q, lookAlikes) => {
    await seed([...lookAlikes, `${q}@example.com`]);
    const store = createSubscriberStore(test.database, { trigramLimit: 1_000 });
    expect(await everything(store, q)).toEqual({ emails: [`${q}@example.com`], total: 1 });
  });
});
