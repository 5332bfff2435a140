// @ts-check
// Seeds a catlist SQLite file with a large, deterministic subscriber list for the admin scenarios
// (issue 3's benchmark), and answers questions about it (the row at a depth, match counts).
//
// The file must already have catlist's schema (run.mjs starts the real server on it once, so the
// real migrations create it). Rows are written straight into `subscribers` with better-sqlite3,
// in large transactions; the schema's triggers keep `subscriber_count` right as they go.
//
// The list (SEED_VERSION 1), oldest row first, row i of N:
//   - created_at advances from 2024-01-01 by a random 0.2 s .. 2 min, or not at all (60% of rows),
//     so most timestamps are shared by a few rows and the list order leans on the email tie-break;
//   - three "imports" where every row has the same timestamp: the 1,000 oldest rows (the deepest
//     pages), 2,000 rows around the middle (the depth N/2 cursor lands inside it) and 2,000 rows
//     at one quarter;
//   - addresses `first.last<i in base 36>@domain`, lower case and unique: ~30% at gmail.com (the
//     common search term), and exactly 10 with the rare term `quokka` in the local part.
// Standalone: node bench/seed-subscribers.mjs FILE [--rows=1000000]  (FILE must have the schema)
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';

/** Bump when the generated rows change, so that cached seeded files are not reused. */
export const SEED_VERSION = 1;
export const RARE_TERM = 'quokka';
export const COMMON_TERM = 'gmail';
const RARE_EVERY = 100_000;
const T0 = Date.UTC(2024, 0, 1);

const FIRST = (
  'anna ben carla dev emma farid gina hugo ines jon kai lena marco nina omar paula quentin ' +
  'rosa sam tara ugo vera will xenia yusuf zoe alex bea chris dora eli femi greta hana ivan ' +
  'jana kofi lars mia noor olga piet rui sofia theo uma vik wen yara'
).split(' ');
const LAST = (
  'smith jones garcia muller rossi dubois novak kim chen silva costa berg lind white brown ' +
  'taylor moore martin lee walker hall young king wright lopez hill green adams baker nelson ' +
  'carter mitchell perez roberts turner phillips campbell parker evans edwards collins stewart'
).split(' ');
/** @type {[string, number][]} */
const DOMAINS = [
  ['gmail.com', 30],
  ['yahoo.com', 10],
  ['hotmail.com', 8],
  ['outlook.com', 8],
  ['icloud.com', 6],
  ['proton.me', 4],
  ['gmx.de', 4],
  ['web.de', 3],
  ['fastmail.com', 2],
  ['example.org', 5],
  ['acme.io', 4],
  ['catlovers.net', 4],
  ['uni-example.edu', 6],
  ['post.example', 6],
];
const DOMAIN_WEIGHT = DOMAINS.reduce((sum, [, weight]) => sum + weight, 0);

/**
 * Deterministic PRNG (mulberry32).
 * @param {number} seed
 */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The import blocks: [first row, row count] (oldest first), all rows on one timestamp.
 * @param {number} rows
 * @returns {[number, number][]}
 */
function importBlocks(rows) {
  return [
    [0, Math.min(1000, rows)],
    [Math.floor(rows / 4), 2000],
    [Math.floor(rows / 2) - 1000, 2000],
  ];
}

/**
 * Writes `rows` subscribers into the (migrated, empty) catlist SQLite file at `path`.
 * @param {string} path
 * @param {number} rows
 * @returns {{ rows: number, seconds: number }}
 */
export function seedSubscribers(path, rows) {
  const started = performance.now();
  const db = new SQLite(path);
  try {
    const { n: existing } = /** @type {{ n: number }} */ (
      db.prepare('select count(*) as n from subscribers').get()
    );
    if (existing !== 0) {
      throw new Error(`${path}: subscribers is not empty`);
    }
    // A throwaway file being built: no fsync, no WAL; the server turns WAL back on when it opens.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -400000');
    const insert = db.prepare('insert into subscribers (email, created_at) values (?, ?)');
    const next = random(20240101);
    const blocks = importBlocks(rows);
    /** @param {number} i */
    const inBlock = (i) => blocks.find(([start, count]) => i >= start && i < start + count);
    let time = T0;
    const batch = db.transaction((/** @type {number} */ from, /** @type {number} */ to) => {
      for (let i = from; i < to; i += 1) {
        const block = inBlock(i);
        if (!block || i === block[0]) {
          if (next() >= 0.6) time += 200 + Math.floor(next() * 120_000);
        }
        const first = FIRST[Math.floor(next() * FIRST.length)];
        const last = LAST[Math.floor(next() * LAST.length)];
        let pick = next() * DOMAIN_WEIGHT;
        let domain = DOMAINS[0]?.[0] ?? '';
        for (const [name, weight] of DOMAINS) {
          pick -= weight;
          if (pick < 0) {
            domain = name;
            break;
          }
        }
        const name = i % RARE_EVERY === 12_345 ? RARE_TERM : first;
        insert.run(`${name}.${last}${i.toString(36)}@${domain}`, time);
      }
    });
    const BATCH = 100_000;
    for (let from = 0; from < rows; from += BATCH) batch(from, Math.min(rows, from + BATCH));
    const counted = /** @type {{ n: number } | undefined} */ (
      db.prepare('select n from subscriber_count where id = 1').get()
    )?.n;
    if (Number(counted) !== rows) {
      throw new Error(`subscriber_count says ${counted} after seeding ${rows} rows`);
    }
    // New rows wait in search_pending for the server's batch indexer (migration 0004); a seed
    // this size is indexed here in one pass, as the server would have done by the time it is used.
    const hasPending = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'search_pending'")
      .get();
    if (hasPending) {
      db.exec(`insert into subscribers_search (subscribers_search) values ('rebuild');
        delete from search_pending;`);
    }
    db.exec('analyze');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/**
 * What the admin scenarios need to know about a seeded file: its size, the rows at the given
 * depths (0-based positions in list order: newest first, ties by email), and match counts.
 * @param {string} path
 * @param {number[]} positions
 */
export function describeSeed(path, positions) {
  const db = new SQLite(path, { readonly: true });
  /**
   * The `n` column of the one row `sql` answers with `params`.
   * @param {string} sql
   * @param {unknown[]} params
   */
  const count = (sql, ...params) =>
    Number(/** @type {{ n: number } | undefined} */ (db.prepare(sql).get(...params))?.n);
  try {
    const at = db.prepare(
      'select email, created_at as createdAt from subscribers ' +
        'order by created_at desc, email asc limit 1 offset ?',
    );
    const matching = "select count(*) as n from subscribers where email like ? escape '\\'";
    const tieCount = 'select count(*) as n from subscribers where created_at = ?';
    /** @type {Record<string, { email: string, createdAt: number, ties: number }>} */
    const rowsAt = {};
    for (const position of positions) {
      const row = /** @type {{ email: string, createdAt: number } | undefined} */ (
        at.get(position)
      );
      if (!row) throw new Error(`no row at position ${position}`);
      rowsAt[position] = {
        email: row.email,
        createdAt: Number(row.createdAt),
        ties: count(tieCount, row.createdAt),
      };
    }
    /** @type {Record<string, number>} */
    const matches = {
      [RARE_TERM]: count(matching, `%${RARE_TERM}%`),
      [COMMON_TERM]: count(matching, `%${COMMON_TERM}%`),
    };
    return {
      rows: count('select count(*) as n from subscribers'),
      counted: count('select n from subscriber_count where id = 1'),
      distinctTimestamps: count('select count(distinct created_at) as n from subscribers'),
      rowsAt,
      matches,
    };
  } finally {
    db.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  const rowsFlag = process.argv.find((arg) => arg.startsWith('--rows='));
  if (!file) {
    console.error('usage: node bench/seed-subscribers.mjs FILE [--rows=1000000]');
    process.exit(2);
  }
  const rows = Number(rowsFlag?.slice(7) ?? 1_000_000);
  const { seconds } = seedSubscribers(resolve(file), rows);
  console.log(`seeded ${rows} rows in ${seconds.toFixed(1)} s`);
  console.log(JSON.stringify(describeSeed(resolve(file), [0, rows / 2 - 1, rows - 51]), null, 2));
}
