// @ts-check
// The admin group (issue 3): admin-page (pages and searches over a seeded list, from one
// connection, one request after the other) and admin-csv (the whole CSV export, with the
// server's RSS sampled while it streams), on a catlist of its own.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixed, int, log } from '../lib/format.mjs';
import { API_SERVER } from '../lib/paths.mjs';
import { cpuSecondsOf, memoryOf } from '../lib/process-stats.mjs';
import { sequentialLatency, timedGet } from '../lib/sequential-requests.mjs';
import { cookieHeader, startServer, stopServer } from '../lib/servers.mjs';
import { COMMON_TERM, describeSeed, RARE_TERM, SEED_VERSION } from '../seed-subscribers.mjs';
import { adminDatabase } from './admin-database.mjs';
import { ADMIN_GOALS, ADMIN_SCENARIOS } from './definitions.mjs';

/**
 * @typedef {import('../lib/sequential-requests.mjs').Latency & { name: string,
 *   kind: 'page' | 'search' | 'reference', depth: number | null, q: string | null,
 *   matches: number | null, tiesAtCursor: number | null, path: string,
 *   goalMet: boolean | null }} PageMeasurement
 */

/**
 * @typedef {{ round: number, status: number, seconds: number, firstByteMs: number | null,
 *   bytes: number, lines: number, headerOk: boolean, mbPerS: number,
 *   rssBeforeMb: number | null, peakRssMb: number, rssAfterMb: number | null,
 *   rssGrowthMb: number, serverCpuPct: number }} ExportRun
 */

/**
 * @typedef {{ version: number, source: 'cache' | 'seeded', seconds: number,
 *   distinctTimestamps: number, rowsAt: Record<string, { email: string, createdAt: number,
 *   ties: number }>, matches: Record<string, number> }} SeedFacts
 */

/**
 * @typedef {{ rssAtStartMb: number | null, hwmMb: number | null, errorsLogged: number,
 *   warningsLogged: number, exitCode: number | null | undefined }} AdminServerFacts
 */

/**
 * @typedef {{ id: string, title: string, rows: number, goal: string, goalMet: boolean,
 *   seed?: SeedFacts, server?: AdminServerFacts, skipped?: undefined } &
 *   ({ kind: 'admin-page', measurements: PageMeasurement[] } |
 *    { kind: 'admin-csv', runs: ExportRun[] })} AdminResult
 */

/**
 * The whole CSV export once, counting bytes and lines, with the server's RSS sampled.
 * @param {import('../lib/servers.mjs').Server} server
 * @param {string} cookie
 * @param {number} round
 * @returns {Promise<ExportRun>}
 */
async function exportOnce(server, cookie, round) {
  await sleep(500);
  const before = memoryOf(server.pid);
  const cpuBefore = cpuSecondsOf(server.pid);
  let peakRssMb = before?.rssMb ?? 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid)?.rssMb ?? 0);
  }, 20);
  let bytes = 0;
  let lines = 0;
  let head = '';
  try {
    const response = await timedGet(`${server.url}/api/admin/subscribers.csv`, {
      agent: false,
      cookie,
      onChunk: (chunk) => {
        bytes += chunk.length;
        if (head.length < 200) head += chunk.toString('utf8', 0, 200);
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      },
    });
    const seconds = response.ms / 1000;
    const after = memoryOf(server.pid);
    peakRssMb = Math.max(peakRssMb, after?.rssMb ?? 0);
    return {
      round,
      status: response.status,
      seconds,
      firstByteMs: response.firstByteMs,
      bytes,
      lines,
      headerOk: head.startsWith('email,created_at,source\r\n'),
      mbPerS: bytes / 1e6 / seconds,
      rssBeforeMb: before?.rssMb ?? null,
      peakRssMb,
      rssAfterMb: after?.rssMb ?? null,
      rssGrowthMb: peakRssMb - (before?.rssMb ?? peakRssMb),
      serverCpuPct: ((cpuSecondsOf(server.pid) - cpuBefore) / seconds) * 100,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Runs admin-page / admin-csv on a catlist of its own (started and stopped here).
 * @param {{ config: import('../lib/options.mjs').Config }} context
 * @param {string} dir   where the database copy goes
 * @param {import('../lib/servers.mjs').Server} baseline   for the floor: the same client
 *   against a constant response
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {import('./definitions.mjs').AdminScenario[]} wanted
 * @returns {Promise<AdminResult[]>}
 */
export async function runAdmin({ config }, dir, baseline, servers, wanted) {
  const rows = config.adminRows;
  const database = await adminDatabase(config, dir, servers);
  const depths = [0, Math.floor(rows / 2), rows - 50];
  const positions = [...new Set(depths.flatMap((depth) => (depth > 0 ? [depth - 1, depth] : [0])))];
  const seed = describeSeed(database.path, positions);
  if (seed.rows !== rows || seed.counted !== rows) {
    throw new Error(
      `${database.path}: ${seed.rows} rows, subscriber_count ${seed.counted}, expected ${rows}` +
        (database.source === 'cache' ? ' (a bad cached file? run with --no-seed-cache)' : ''),
    );
  }
  /** @param {number} position */
  const rowAt = (position) => {
    const row = seed.rowsAt[position];
    if (!row) throw new Error(`no row at position ${position} in the seed description`);
    return row;
  };
  const password = randomBytes(18).toString('base64url');
  const admin = await startServer('catlist-admin', [API_SERVER], {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    DATABASE_URL: `sqlite:${database.path}`,
    ADMIN_PASSWORD: password,
    TRUST_PROXY: '1',
    LOG_LEVEL: config.logLevel,
  });
  servers.push(admin);
  const login = await fetch(`${admin.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.79.0.1' },
    body: JSON.stringify({ password }),
  });
  if (login.status !== 200) throw new Error(`admin login got ${login.status}`);
  const cookie = cookieHeader(login);
  const rssAtStartMb = memoryOf(admin.pid)?.rssMb ?? null;
  /** @type {AdminResult[]} */
  const results = [];

  if (wanted.some((scenario) => scenario.id === 'admin-page')) {
    log(`scenario admin-page: ${int(rows)} rows, ${config.adminSamples} sequential requests each`);
    /** @param {number} depth */
    const cursorFor = (depth) => {
      const row = rowAt(depth - 1);
      return Buffer.from(JSON.stringify([row.createdAt, row.email]), 'utf8').toString('base64url');
    };
    /**
     * Checks a page: its size, its first row, its total, and whether it says there is more.
     * @param {{ firstEmail?: string, size: number, total: number, more: boolean,
     *   contains?: string }} expected
     * @returns {(body: any) => string | null}
     */
    const pageCheck =
      ({ firstEmail, size, total, more, contains }) =>
      (body) => {
        if (!Array.isArray(body?.items)) return `not a page: ${JSON.stringify(body).slice(0, 200)}`;
        if (body.items.length !== size) return `${body.items.length} items, expected ${size}`;
        if (firstEmail && body.items[0]?.email !== firstEmail) {
          return `first item ${body.items[0]?.email}, expected ${firstEmail}`;
        }
        if (body.total !== total) return `total ${body.total}, expected ${total}`;
        if ((body.nextCursor !== null) !== more) return `nextCursor ${body.nextCursor}`;
        if (
          contains &&
          !body.items.every((/** @type {{ email: string }} */ item) =>
            item.email.includes(contains),
          )
        ) {
          return `an item without ${contains}`;
        }
        return null;
      };
    /**
     * @typedef {{ name: string, kind: 'page' | 'search' | 'reference', path: string,
     *   depth?: number, q?: string, matches?: number, tiesAtCursor?: number | null,
     *   server?: import('../lib/servers.mjs').Server,
     *   validate?: (body: any) => string | null }} PageRequest
     */
    /** @type {PageRequest[]} */
    const measurements = [
      ...depths.map((depth) => ({
        name: `page at depth ${int(depth)}`,
        kind: /** @type {const} */ ('page'),
        depth,
        path: `/api/admin/subscribers?limit=50${depth > 0 ? `&cursor=${cursorFor(depth)}` : ''}`,
        validate: pageCheck({
          firstEmail: rowAt(depth).email,
          size: Math.min(50, rows - depth),
          total: rows,
          more: depth + 50 < rows,
        }),
        tiesAtCursor: depth > 0 ? rowAt(depth - 1).ties : null,
      })),
      ...[
        [`rare term "${RARE_TERM}"`, RARE_TERM],
        [`common term "${COMMON_TERM}"`, COMMON_TERM],
      ].map(([label, term = '']) => {
        const matches = seed.matches[term] ?? 0;
        return {
          name: `search, ${label} (${int(matches)} matches)`,
          kind: /** @type {const} */ ('search'),
          q: term,
          matches,
          path: `/api/admin/subscribers?limit=50&q=${term}`,
          validate: pageCheck({
            size: Math.min(50, matches),
            total: matches,
            more: matches > 50,
            contains: term,
          }),
        };
      }),
    ];
    /** @type {PageRequest[]} */
    const references = [
      {
        name: 'reference: catlist GET /api/stats (same server)',
        kind: 'reference',
        server: admin,
        path: '/api/stats',
        validate: (body) => (body?.subscribers === rows ? null : `stats ${JSON.stringify(body)}`),
      },
      {
        name: 'floor: baseline GET /api/session (client + loopback + HTTP)',
        kind: 'reference',
        server: baseline,
        path: '/api/session',
      },
    ];
    /** @type {PageMeasurement[]} */
    const measured = [];
    for (const item of [...measurements, ...references]) {
      const server = item.server ?? admin;
      const result = await sequentialLatency(
        server,
        item.path,
        server === admin ? cookie : undefined,
        item.validate,
        config.adminSamples,
      );
      const goalMet = item.kind === 'reference' ? null : result.p50Ms < ADMIN_GOALS.pageP50Ms;
      measured.push({
        name: item.name,
        kind: item.kind,
        depth: item.depth ?? null,
        q: item.q ?? null,
        matches: item.matches ?? null,
        tiesAtCursor: item.tiesAtCursor ?? null,
        path: item.path,
        ...result,
        goalMet,
      });
      log(
        `  ${item.name}: p50 ${fixed(result.p50Ms, 2)} ms, p99 ${fixed(result.p99Ms, 2)} ms ` +
          `(${result.samples} requests${result.non200 ? `, ${result.non200} not 200` : ''})`,
      );
    }
    results.push({
      id: 'admin-page',
      kind: 'admin-page',
      title: ADMIN_SCENARIOS[0]?.title ?? 'admin-page',
      rows,
      measurements: measured,
      goal: `median < ${ADMIN_GOALS.pageP50Ms} ms for every page and search`,
      goalMet: measured.every((m) => m.goalMet !== false && m.non200 === 0),
    });
  }

  if (wanted.some((scenario) => scenario.id === 'admin-csv')) {
    log(`scenario admin-csv: ${int(rows)} rows, ${config.rounds} exports one after the other`);
    /** @type {ExportRun[]} */
    const runs = [];
    for (let r = 1; r <= config.rounds; r += 1) {
      const run = await exportOnce(admin, cookie, r);
      runs.push(run);
      log(
        `  export ${r}: ${run.status}, ${fixed(run.seconds, 2)} s, ${fixed(run.bytes / 1e6, 1)} MB, ` +
          `${int(run.lines)} lines, RSS ${fixed(run.rssBeforeMb, 0)} -> peak ${fixed(run.peakRssMb, 0)} MiB ` +
          `(+${fixed(run.rssGrowthMb, 1)}), CPU ${fixed(run.serverCpuPct, 0)} %`,
      );
    }
    const limitMib = (ADMIN_GOALS.exportRssGrowthMb * 1e6) / 2 ** 20;
    results.push({
      id: 'admin-csv',
      kind: 'admin-csv',
      title: ADMIN_SCENARIOS[1]?.title ?? 'admin-csv',
      rows,
      runs,
      goal: `RSS growth < ${ADMIN_GOALS.exportRssGrowthMb} MB (${fixed(limitMib, 1)} MiB)`,
      goalMet: runs.every(
        (run) =>
          run.status === 200 &&
          run.lines === rows + 1 &&
          run.headerOk &&
          run.rssGrowthMb < limitMib,
      ),
    });
  }
  admin.exitCode = await stopServer(admin);
  for (const result of results) {
    result.seed = {
      version: SEED_VERSION,
      source: database.source,
      seconds: database.seconds,
      distinctTimestamps: seed.distinctTimestamps,
      rowsAt: seed.rowsAt,
      matches: seed.matches,
    };
    result.server = {
      rssAtStartMb: rssAtStartMb,
      hwmMb: admin.finalMemory?.hwmMb ?? null,
      errorsLogged: admin.logs.errors,
      warningsLogged: admin.logs.warnings,
      exitCode: admin.exitCode,
    };
  }
  rmSync(database.path, { force: true });
  return results;
}
