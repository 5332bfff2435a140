// GET /api/admin/growth's work at 1,000,000 rows, all in the last 90 days (the worst case: the
// bench's seeded list lies in 2024, outside the window), and 50,000 removals:
//   pnpm --filter @catlist/api exec tsx --conditions=@catlist/source scripts/measure-growth.ts \
//     sqlite:/tmp/growth.db        (or a postgres:// URL of an empty database)
// Seeds once (a second run reuses the rows), then times 15 calls of the store and prints p50.
import { sql } from 'kysely';
import { openDatabase } from '../src/db/open-database.js';
import { createLeavingStore } from '../src/stores/leaving-store.js';

const ROWS = 1_000_000;
const REMOVALS = 50_000;
const RUNS = 15;

const url = process.argv[2];
if (!url) throw new Error('usage: measure-growth.ts <DATABASE_URL>');
const database = await openDatabase(url, { connectRetryMs: 0, statementTimeoutMs: 600_000 });
const { db } = database;
const now = Date.now();
const span = 90 * 24 * 3600 * 1000;
const start = now - span;
const step = Math.floor(span / ROWS);
const removalStep = Math.floor(span / REMOVALS);
const [counted] = (
  await sql<{ n: number | string }>`select count(*) as n from subscribers`.execute(db)
).rows;
if (Number(counted?.n ?? 0) < ROWS) {
  if (database.dialect === 'postgres') {
    await sql`insert into subscribers (email, created_at)
      select 'u' || i || '@example.com', ${start}::bigint + i::bigint * ${step}
      from generate_series(1, ${ROWS}) i`.execute(db);
    await sql`insert into removals (removed_at, kind)
      select ${start}::bigint + i::bigint * ${removalStep}, 'unsubscribed'
      from generate_series(1, ${REMOVALS}) i`.execute(db);
    await sql`analyze`.execute(db);
  } else {
    for (let i = 0; i < ROWS; i += 10_000) {
      await sql`with recursive s(v) as (select ${i + 1} union all select v + 1 from s
          where v < ${i + 10_000})
        insert into subscribers (email, created_at)
        select 'u' || v || '@example.com', ${start} + v * ${step} from s`.execute(db);
    }
    await sql`with recursive s(v) as (select 1 union all select v + 1 from s where v < ${REMOVALS})
      insert into removals (removed_at, kind)
      select ${start} + v * ${removalStep}, 'unsubscribed' from s`.execute(db);
  }
}
const store = createLeavingStore(database);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const began = performance.now();
  await store.growth(now);
  times.push(performance.now() - began);
}
times.sort((a, b) => a - b);
const ms = (t: number | undefined) => (t ?? 0).toFixed(1);
console.log(
  `${database.dialect}: growth p50 ${ms(times[RUNS >> 1])} ms, min ${ms(times[0])}, max ${ms(times[RUNS - 1])}`,
);
await database.close();
