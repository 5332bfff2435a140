import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/open-database.js';
import {
  createTestStorage,
  openTestDatabase,
  type TestStorage,
} from '../test-support/test-server.js';
import { createSubscriberStore } from './subscriber-store.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function seeded(): Promise<DatabaseHandle> {
  const storage: TestStorage = await createTestStorage();
  cleanups.push(() => storage.remove());
  const database = await openTestDatabase(storage);
  cleanups.push(() => database.close());
  const rows = Array.from({ length: 400 }, (_, i) => ({
    email: `${['tom', 'felix', 'luna', 'kit'][i % 4]}${i}@${['example.com', 'cats.example', 'mail.test'][i % 3]}`,
    created_at: 1_700_000_000_000 + Math.floor(i / 3) * 1000,
  }));
  await database.db.insertInto('subscribers').values(rows).execute();
  return database;
}

describe('searching the list', () => {
  it.each(['tom', 'luna1', 'cats.ex', '@mail', 'x', '99@', 'nobody-at-all', 'felix3'])(
    'gives the same pages and count for %j through the index and by scanning',
    async (q) => {
      const database = await seeded();
      // A limit of 0 sends every search down the scanning path; 10,000 sends small ones to the index.
      const scanning = createSubscriberStore(database, { trigramLimit: 0 });
      const indexed = createSubscriberStore(database, { trigramLimit: 10_000 });
      const total = async (store: typeof scanning) =>
        (await store.search({ limit: 1, contains: q })).total;
      expect(await total(indexed)).toBe(await total(scanning));
      const walk = async (store: typeof scanning) => {
        const seen: string[] = [];
        let after: { email: string; createdAt: number } | undefined;
        for (;;) {
          const { rows } = await store.search({ limit: 7, after, contains: q });
          seen.push(...rows.map((row) => row.email));
          if (rows.length < 7) return seen;
          after = rows[rows.length - 1];
        }
      };
      const expected = await walk(scanning);
      expect(await walk(indexed)).toEqual(expected);
      expect(expected.every((email) => email.includes(q))).toBe(true);
    },
  );

  it('keeps the index in step with additions and removals', async () => {
    const database = await seeded();
    const store = createSubscriberStore(database, { trigramLimit: 10_000 });
    await store.add('zebra.tabby@example.com', 1_800_000_000_000);
    expect((await store.search({ limit: 5, contains: 'zebra' })).total).toBe(1);
    expect(await store.remove('zebra.tabby@example.com')).toBe(true);
    expect(await store.search({ limit: 5, contains: 'zebra' })).toEqual({ rows: [], total: 0 });
  });
});
