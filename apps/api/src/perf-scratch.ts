import { openDatabase } from './db/open-database.js';
import { createSubscriberStore } from './db/subscriber-store.js';

const path = '/tmp/perf/m.db';
const h = await openDatabase(`sqlite:${path}`);
const s = createSubscriberStore(h.db);
const n = await s.count();
if (n === 0) {
  const t0 = performance.now();
  for (let i = 0; i < 1_000_000; i += 10_000) {
    await h.db
      .insertInto('subscribers')
      .values(
        Array.from({ length: 10_000 }, (_, j) => ({
          email: `user${i + j}@example${(i + j) % 97}.com`,
          created_at: 1_700_000_000_000 + Math.floor((i + j) / 3) * 1000,
        })),
      )
      .execute()
      .catch(async () => {
        for (let k = 0; k < 10_000; k += 3000)
          await h.db
            .insertInto('subscribers')
            .values(
              Array.from({ length: Math.min(3000, 10_000 - k) }, (_, j) => ({
                email: `user${i + k + j}@example${(i + k + j) % 97}.com`,
                created_at: 1_700_000_000_000 + Math.floor((i + k + j) / 3) * 1000,
              })),
            )
            .execute();
      });
  }
  console.log('seeded in', performance.now() - t0);
}
async function time(label: string, f: () => Promise<unknown>, reps = 20) {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(
    label,
    'median',
    ts[Math.floor(reps / 2)]?.toFixed(2),
    'max',
    ts[reps - 1]?.toFixed(2),
  );
}
await time('count', () => s.count());
const all = await h.db
  .selectFrom('subscribers')
  .select(['email', 'created_at'])
  .orderBy('created_at', 'desc')
  .orderBy('email')
  .offset(500_000)
  .limit(1)
  .executeTakeFirstOrThrow();
const deep = await h.db
  .selectFrom('subscribers')
  .select(['email', 'created_at'])
  .orderBy('created_at', 'desc')
  .orderBy('email')
  .offset(999_950)
  .limit(1)
  .executeTakeFirstOrThrow();
await time('page0', () => s.page({ limit: 51 }));
await time('page500k', () =>
  s.page({ limit: 51, after: { createdAt: Number(all.created_at), email: all.email } }),
);
await time('page999950', () =>
  s.page({ limit: 51, after: { createdAt: Number(deep.created_at), email: deep.email } }),
);
await time('filter page', () => s.page({ limit: 51, contains: 'user12345' }), 5);
await time('filter count', () => s.countMatching('user12345'), 5);
await time('filter count common', () => s.countMatching('example1'), 5);
const { sql } = await import('kysely');
const plan =
  await sql`explain query plan select email, created_at from subscribers where created_at <= 1 and (created_at < 1 or email > 'a') order by created_at desc, email asc limit 51`.execute(
    h.db,
  );
console.log(plan.rows);
await h.close();
