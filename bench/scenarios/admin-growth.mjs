// @ts-check
// admin-growth: GET /api/admin/growth (the admin's growth chart) over 1,000,000 addresses that all
// signed up within the chart's 90 days, and 50,000 removals in them: the worst case for it (the
// admin group's seeded list lies in 2024, outside the window). On SQLite and, when it is
// reachable, PostgreSQL: a fresh database each, migrated by the real server, seeded with SQL in
// the database itself, then a catlist of its own with ADMIN_PASSWORD, logged in, and the chart
// asked for from one connection, one request after the other.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { fixed, int, log } from '../lib/format.mjs';
import { API_SERVER } from '../lib/paths.mjs';
import { pgQuery, safeUrl } from '../lib/postgres.mjs';
import { sequentialLatency } from '../lib/sequential-requests.mjs';
import { cookieHeader, startServer, stopServer } from '../lib/servers.mjs';
import { ADMIN_GOALS, GROWTH_SCENARIO } from './definitions.mjs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The chart's days, today included (apps/api/src/stores/leaving-store.ts GROWTH_DAYS). */
const DAYS = 90;
/** Removals seeded: one for every 20 addresses. */
const REMOVALS_PER_ROW = 1 / 20;

/**
 * @typedef {import('../lib/sequential-requests.mjs').Latency & { database: 'sqlite' | 'postgres',
 *   rows: number, removals: number, seedSeconds: number, goalMet: boolean,
 *   statsP50Ms: number, statsP99Ms: number }} GrowthMeasurement
 */

/**
 * @typedef {{ id: 'admin-growth', kind: 'admin-growth', title: string, goal: string,
 *   goalMet: boolean, measurements: GrowthMeasurement[], skipped?: string[] }} GrowthResult
 */

/**
 * Where the rows go: from the first millisecond of the chart's oldest day to now, evenly, so that
 * every one of them is on the chart and its totals can be checked.
 * @param {number} now
 */
function window(now) {
  const start = Math.floor(now / DAY_MS) * DAY_MS - (DAYS - 1) * DAY_MS;
  return { start, span: now - start };
}

/**
 * Seeds a migrated SQLite file in one transaction (recursive CTEs; the schema's triggers keep the
 * counters, per day included, as they go).
 * @param {string} path
 * @param {number} rows
 * @param {number} removals
 * @param {number} now
 */
function seedSqlite(path, rows, removals, now) {
  const { start, span } = window(now);
  const db = new SQLite(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      db.prepare(
        `with recursive s(v) as (select 0 union all select v + 1 from s where v < ? - 1)
         insert into subscribers (email, created_at)
         select 'u' || v || '@example.com',
           cast(? as integer) + (v * cast(? as integer)) / cast(? as integer) from s`,
      ).run(rows, start, span, rows);
      db.prepare(
        `with recursive s(v) as (select 0 union all select v + 1 from s where v < ? - 1)
         insert into removals (removed_at, kind)
         select cast(? as integer) + (v * cast(? as integer)) / cast(? as integer), 'unsubscribed'
         from s`,
      ).run(removals, start, span, removals);
    })();
    db.exec('analyze');
  } finally {
    db.close();
  }
}

/**
 * The same rows in a migrated PostgreSQL database (generate_series), then ANALYZE.
 * @param {string} url
 * @param {number} rows
 * @param {number} removals
 * @param {number} now
 */
async function seedPostgres(url, rows, removals, now) {
  const { start, span } = window(now);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into subscribers (email, created_at)
       select 'u' || v || '@example.com', $1::bigint + (v::bigint * $2::bigint) / $3::bigint
       from generate_series(0, $3::bigint - 1) v`,
      [start, span, rows],
    );
    await client.query(
      `insert into removals (removed_at, kind)
       select $1::bigint + (v::bigint * $2::bigint) / $3::bigint, 'unsubscribed'
       from generate_series(0, $3::bigint - 1) v`,
      [start, span, removals],
    );
    await client.query('commit');
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/**
 * Checks the chart: 90 days, today last, every seeded row and removal counted once.
 * @param {number} rows
 * @param {number} removals
 * @returns {(body: any) => string | null}
 */
const chartCheck = (rows, removals) => (body) => {
  const days = body?.days;
  if (!Array.isArray(days)) return `not a chart: ${JSON.stringify(body).slice(0, 200)}`;
  if (days.length !== DAYS) return `${days.length} days, expected ${DAYS}`;
  const today = new Date().toISOString().slice(0, 10);
  if (days.at(-1)?.day !== today) return `last day ${days.at(-1)?.day}, expected ${today}`;
  const sum = (/** @type {'joined' | 'left'} */ key) =>
    days.reduce((total, /** @type {Record<string, number>} */ day) => total + day[key], 0);
  if (sum('joined') !== rows) return `${sum('joined')} joined, expected ${rows}`;
  if (sum('left') !== removals) return `${sum('left')} left, expected ${removals}`;
  return null;
};

/**
 * One database: migrate, seed, start catlist with admin on, log in, time the chart.
 * @param {import('../lib/options.mjs').Config} config
 * @param {'sqlite' | 'postgres'} database
 * @param {string} url   DATABASE_URL
 * @param {import('../lib/servers.mjs').Server[]} servers
 * @returns {Promise<GrowthMeasurement>}
 */
async function measure(config, database, url, servers) {
  const rows = config.adminRows;
  const removals = Math.round(rows * REMOVALS_PER_ROW);
  const env = {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    DATABASE_URL: url,
    TRUST_PROXY: '1',
    LOG_LEVEL: config.logLevel,
  };
  const migrate = await startServer(`catlist-growth-migrate-${database}`, [API_SERVER], env);
  servers.push(migrate);
  migrate.exitCode = await stopServer(migrate);
  log(
    `admin-growth (${database}): seeding ${int(rows)} addresses and ${int(removals)} removals ...`,
  );
  const began = performance.now();
  const now = Date.now();
  if (database === 'sqlite') seedSqlite(url.slice('sqlite:'.length), rows, removals, now);
  else await seedPostgres(url, rows, removals, now);
  const seedSeconds = (performance.now() - began) / 1000;
  log(`admin-growth (${database}): seeded in ${fixed(seedSeconds, 1)} s`);

  const password = randomBytes(18).toString('base64url');
  const server = await startServer(`catlist-growth-${database}`, [API_SERVER], {
    ...env,
    ADMIN_PASSWORD: password,
  });
  servers.push(server);
  try {
    const login = await fetch(`${server.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.79.0.2' },
      body: JSON.stringify({ password }),
    });
    if (login.status !== 200) throw new Error(`admin login got ${login.status}`);
    const result = await sequentialLatency(
      server,
      '/api/admin/growth',
      cookieHeader(login),
      chartCheck(rows, removals),
      config.adminSamples,
    );
    // The same client, server and connection on a request that reads one counter: what the
    // machine's load and the HTTP round trip cost alone.
    const reference = await sequentialLatency(
      server,
      '/api/stats',
      undefined,
      (body) => (body?.subscribers === rows ? null : `stats ${JSON.stringify(body)}`),
      config.adminSamples,
    );
    const goalMet = result.non200 === 0 && result.p50Ms < ADMIN_GOALS.growthP50Ms;
    log(
      `  ${database}: p50 ${fixed(result.p50Ms, 2)} ms, p99 ${fixed(result.p99Ms, 2)} ms ` +
        `(${result.samples} requests${result.non200 ? `, ${result.non200} not 200` : ''}); ` +
        `GET /api/stats p50 ${fixed(reference.p50Ms, 2)} ms`,
    );
    return {
      database,
      rows,
      removals,
      seedSeconds,
      ...result,
      goalMet,
      statsP50Ms: reference.p50Ms,
      statsP99Ms: reference.p99Ms,
    };
  } finally {
    server.exitCode = await stopServer(server);
  }
}

/**
 * Runs admin-growth on SQLite (a file in `dir`) and on a fresh PostgreSQL database, dropped after.
 * @param {{ config: import('../lib/options.mjs').Config }} context
 * @param {string} dir
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {{ pgDatabase: string | null }} state   the database to drop if the run is cut short
 * @returns {Promise<GrowthResult>}
 */
export async function runAdminGrowth({ config }, dir, servers, state) {
  log(`scenario admin-growth: ${int(config.adminRows)} addresses in the last ${DAYS} days`);
  /** @type {GrowthMeasurement[]} */
  const measurements = [];
  /** @type {string[]} */
  const skipped = [];
  measurements.push(await measure(config, 'sqlite', `sqlite:${join(dir, 'growth.db')}`, servers));

  let reachable = true;
  try {
    await pgQuery(config.pgUrl, 'select 1');
  } catch (error) {
    reachable = false;
    const reason = `PostgreSQL not reachable at ${safeUrl(config.pgUrl)} (${error instanceof Error ? error.message : error})`;
    log(`notice: admin-growth on PostgreSQL skipped: ${reason}; set --pg-url`);
    skipped.push(reason);
  }
  if (reachable) {
    const database = `catlist_bench_${randomBytes(6).toString('hex')}`;
    await pgQuery(config.pgUrl, `create database ${database}`);
    state.pgDatabase = database;
    const url = new URL(config.pgUrl);
    url.pathname = `/${database}`;
    try {
      measurements.push(await measure(config, 'postgres', url.toString(), servers));
    } finally {
      state.pgDatabase = null;
      await pgQuery(config.pgUrl, `drop database if exists ${database} with (force)`);
    }
  }
  return {
    id: 'admin-growth',
    kind: 'admin-growth',
    title: GROWTH_SCENARIO.title,
    goal: `median < ${ADMIN_GOALS.growthP50Ms} ms on every database`,
    goalMet: measurements.every((m) => m.goalMet),
    measurements,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
