import { sql } from 'kysely';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SEARCH_INDEX_INTERVAL_MS } from '../db/search-indexer.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { createSubscriberStore, type SubscriberStore } from './subscriber-store.js';

// New addresses reach SQLite's trigram index in batches (search-indexer.js, migration 0004). Until
// then they wait in search_pending, and searches must find them all the same.

const db = useTestDatabase();
let store: SubscriberStore;
beforeEach(() => {
  store = createSubscriberStore(db.database, { trigramLimit: 10_000 });
});

const pending = async () =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db.database.db))
      .rows[0]?.n,
  );

/** Waits for the indexer (it runs every SEARCH_INDEX_INTERVAL_MS) to take every pending row. */
async function indexed(): Promise<void> {
  await vi.waitFor(async () => expect(await pending()).toBe(0), {
    timeout: SEARCH_INDEX_INTERVAL_MS * 20,
    interval: 20,
  });
}

/**
 * FTS5's own check that the index holds exactly the table's rows (so: with nothing pending).
 * Throws when it does not.
 */
async function indexMatchesTable(): Promise<void> {
  await sql`insert into subscribers_search (subscribers_search, rank)
    values ('integrity-check', 1)`.execute(db.database.db);
}

const found = async (q: string) =>
  (await store.search({ limit: 50, contains: q })).rows.map((row) => row.email);

describe('the trigram index, filled in batches', () => {
  it('finds a new address at once, before and after it is indexed', async () => {
    await store.add('whiskers.new@example.com', 1);
    expect(await pending()).toBe(1);
    expect(await found('whiskers')).toEqual(['whiskers.new@example.com']);
    expect((await store.search({ limit: 1, contains: 'whiskers' })).total).toBe(1);
    await indexed();
    expect(await found('whiskers')).toEqual(['whiskers.new@example.com']);
    await indexMatchesTable();
  });

  it('indexes a large signup burst in several batches, none missed', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      email: `burst${i}@example.com`,
      created_at: i,
    }));
    await db.database.db.insertInto('subscribers').values(rows).execute();
    expect((await store.search({ limit: 1, contains: 'burst24' })).total).toBe(111);
    await indexed();
    expect((await store.search({ limit: 1, contains: 'burst24' })).total).toBe(111);
    await indexMatchesTable();
  });

  it('keeps the index exact through removals of indexed and pending rows and reused row ids', async () => {
    await store.add('alpha@example.com', 1);
    await store.add('omega@example.com', 2);
    await indexed();
    // omega holds the highest id; removing it frees that id for the next insert.
    expect(await store.remove('omega@example.com')).toBe(true);
    await store.add('gamma@example.com', 3);
    await store.add('delta@example.com', 4);
    expect(await store.remove('delta@example.com')).toBe(true); // removed while pending
    expect(await found('omega')).toEqual([]);
    expect(await found('delta')).toEqual([]);
    expect(await found('gamma')).toEqual(['gamma@example.com']);
    await indexed();
    expect(await found('gamma')).toEqual(['gamma@example.com']);
    expect(await found('@example')).toEqual(['gamma@example.com', 'alpha@example.com']);
    await indexMatchesTable();
  });
});
