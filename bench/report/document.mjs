// @ts-check
// The whole report printed at the end of a run (Markdown on stdout), and the JSON results file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fixed, int } from '../lib/format.mjs';
import { loadAverages } from '../lib/machine.mjs';
import { safeUrl } from '../lib/postgres.mjs';
import { adminSummaryTable, adminTable, growthTable } from './admin.mjs';
import { announcementsSection } from './announcements.mjs';
import { confirmationSection } from './confirmation.mjs';
import { scaleOutSummaryTable, scaleOutTable } from './scale-out.mjs';
import { scenarioTable, summaryTable, targetsTable } from './throughput.mjs';
import { webTable } from './web-client.mjs';

/**
 * @typedef {{ startedAt: Date, args: string[], config: import('../lib/options.mjs').Config,
 *   machine: import('../lib/machine.mjs').Machine, tool: import('../lib/load.mjs').Tool,
 *   throughput: import('../scenarios/throughput.mjs').ThroughputResult[],
 *   scaleOut: import('../scenarios/scale-out.mjs').ScaleOutResult[],
 *   admin: import('../scenarios/admin.mjs').AdminResult[],
 *   growth: import('../scenarios/admin-growth.mjs').GrowthResult[],
 *   confirmation: import('../scenarios/confirmation.mjs').ConfirmationResult[],
 *   announcements: import('../scenarios/announcements.mjs').AnnouncementsResult[],
 *   servers: import('../lib/servers.mjs').Server[],
 *   memoryAtEnd: Record<string, import('../lib/process-stats.mjs').Memory | null>,
 *   web: import('./web-client.mjs').WebClient | null }} Run
 */

/** @param {Run} run */
function throughputSection({ machine, throughput }) {
  if (throughput.length === 0) return [];
  const targets = targetsTable(throughput);
  const names = [...new Set(throughput.flatMap((result) => result.servers))];
  const peers = [
    names.includes('stock')
      ? '**stock** (`bench/peers/stock-koa.mjs`): Koa + koa-session with its sessions in ' +
        `SQLite (better-sqlite3, WAL, synchronous=NORMAL) on a fresh file on ${machine.databaseFilesystem}, ` +
        'koa-bodyparser, @koa/router, default options'
      : null,
    names.includes('koa-floor')
      ? '**koa-floor** (`bench/peers/koa-floor.mjs`): Koa + koa-session with its sessions in a ' +
        'Map (signed id cookie, as catlist), koa-bodyparser, @koa/router and the six security ' +
        'headers; a signup parses, checks the address, sets the session and gives a returning ' +
        'visitor a new id, with no database: the floor of a signup inside Koa and koa-session'
      : null,
    names.includes('bare-koa')
      ? '**bare-koa** (`bench/peers/bare-koa.mjs`): Koa answering every request with a constant ' +
        'JSON object, the ceiling of anything on Koa'
      : null,
    names.includes('bare-koa-headers')
      ? '**bare-koa-headers** (`bench/peers/bare-koa.mjs` with `BARE_KOA_HEADERS=1`): the same, plus the six ' +
        "security headers catlist's API sends (Cache-Control, Content-Security-Policy, " +
        'X-Content-Type-Options, Strict-Transport-Security, Referrer-Policy, ' +
        'Cross-Origin-Resource-Policy)'
      : null,
    names.includes('baseline')
      ? '**baseline** (`bench/baseline-server.mjs`): bare node:http, the ceiling of anything on Node'
      : null,
  ].filter((peer) => peer !== null);
  return [
    `Peers, each run in turn after catlist in every round with the same load: ${peers.join('; ')}. ` +
      "Every ratio is catlist's req/s over the peer's in this run.",
    '',
    summaryTable(throughput),
    '',
    ...(targets ? [targets, ''] : []),
    ...throughput.flatMap((result) => [scenarioTable(result), '']),
  ];
}

/** @param {Run} run */
function scaleOutSection({ config, throughput, scaleOut }) {
  if (scaleOut.length === 0) return [];
  const postgres = scaleOut[0]?.postgres;
  const baselineRps = Object.fromEntries(
    throughput.map((result) => [result.id, result.summary.baseline?.rps ?? Number.NaN]),
  );
  return [
    '## PostgreSQL and two processes (issue 4)',
    '',
    ...(postgres
      ? [
          `PostgreSQL ${postgres.version} on ${new URL(config.pgUrl).host} ` +
            `(fsync=${postgres.settings.fsync}, ` +
            `synchronous_commit=${postgres.settings.synchronous_commit}, ` +
            `shared_buffers=${postgres.settings.shared_buffers} × 8 kB), a fresh ` +
            'database for this run, dropped at the end; the catlist processes share it and ' +
            'one SESSION_KEYS, DATABASE_POOL_SIZE default (10 per process). "SQLite ×1" is the ' +
            'same catlist as above. Every configuration gets the same load: two load ' +
            `processes with ${Math.round(config.connections / 2)} connections each (for one ` +
            'process both aim at it; for two, one each), alternating configurations per round. ' +
            "p50 is the two load processes' request-weighted mean, p99 the worse one; CPU: " +
            '100 % = one core; "postgres CPU" counts every postgres process on the machine.',
          '',
        ]
      : []),
    scaleOutSummaryTable(scaleOut, baselineRps),
    '',
    ...scaleOut.filter((r) => !r.skipped).flatMap((result) => [scaleOutTable(result), '']),
  ];
}

/** @param {Run} run */
function adminSection({ config, admin }) {
  if (admin.length === 0) return [];
  const seed = admin[0]?.seed;
  return [
    `## Admin: ${int(config.adminRows)} rows (issue 3)`,
    '',
    ...(seed
      ? [
          `A catlist of its own (same settings, ADMIN_PASSWORD set) on a fresh copy of a ` +
            `seeded SQLite file (seed v${seed.version}, ` +
            `${seed.source === 'cache' ? 'copied from the cache' : `seeded in ${fixed(seed.seconds, 1)} s`}; ` +
            `${int(seed.distinctTimestamps)} distinct timestamps, so most pages ` +
            'lean on the email tie-break), logged in through POST /api/admin/login.',
          '',
        ]
      : []),
    adminSummaryTable(admin),
    '',
    ...admin.flatMap((result) => [adminTable(result), '']),
  ];
}

/**
 * The report as printed on stdout.
 * @param {Run} run
 */
export function renderReport(run) {
  const { startedAt, args, config, machine, tool, servers, memoryAtEnd, web } = run;
  /** @param {import('../lib/servers.mjs').Server} server */
  const hwm = (server) => server.finalMemory?.hwmMb ?? memoryAtEnd[server.name]?.hwmMb;
  const order = run.throughput.length > 0 ? (run.throughput[0]?.servers ?? []) : [];
  const alternating = order.length > 0 ? order.join(' / ') : 'catlist / baseline';
  return [
    '',
    `## catlist and its peers (stock Koa, bare Koa with and without headers, node:http) — ${startedAt.toISOString()}`,
    '',
    `Command: \`node bench/run.mjs${args.length > 0 ? ` ${args.join(' ')}` : ''}\`. ` +
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}, ` +
      `load average ${machine.loadavgAtStart.join(' / ')} at start, ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} at end.`,
    `Load: ${tool.name} ${tool.version}, ${config.connections} connections, ` +
      `${config.warmupS} s warm-up per server and scenario, then ${config.rounds} × ` +
      `${config.durationS} s per server, alternating ${alternating}. catlist: NODE_ENV=production, ` +
      `LOG_LEVEL=${config.logLevel}, TRUST_PROXY=1, ` +
      (config.memoryDb
        ? '**SQLite in memory (sqlite::memory:): NOT durable, a what-if figure only**.'
        : `fresh SQLite file (WAL, log fdatasynced before each write is answered) on ${machine.databaseFilesystem}.`) +
      (config.cpuProfDir ? ' catlist ran under --cpu-prof (slower than usual).' : ''),
    '',
    ...throughputSection(run),
    ...scaleOutSection(run),
    ...adminSection(run),
    ...run.growth.flatMap((result) => [growthTable(result), '']),
    ...confirmationSection(run.confirmation),
    ...announcementsSection(run.announcements),
    '## Servers',
    '',
    ...servers.map(
      (server) =>
        `- ${server.name}: peak RSS (VmHWM) ${fixed(hwm(server), 0)} MiB, ` +
        `${server.logs.errors} error and ${server.logs.warnings} warning log lines, ` +
        `exit code after SIGTERM ${server.exitCode}.`,
    ),
    ...servers
      .filter((server) => server.name !== 'baseline')
      .flatMap((server) => server.logs.samples.map((sample) => `    ${server.name}: ${sample}`)),
    '',
    '### Web client (apps/web/dist)',
    '',
    web
      ? `${webTable(web)}${web.stale ? '\n\nNote: apps/web sources are newer than this build; run pnpm build for current sizes.' : ''}`
      : 'Not built (apps/web/dist/assets is missing): run `pnpm build` to include the sizes.',
    '',
  ].join('\n');
}

/**
 * Writes everything measured to `config.out` as JSON.
 * @param {Run} run
 */
export function writeResults(run) {
  const { startedAt, config, machine, tool, servers, memoryAtEnd, web } = run;
  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(
    config.out,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { ...machine, loadavgAtEnd: loadAverages() },
        tool,
        config: { ...config, pgUrl: safeUrl(config.pgUrl) },
        results: [
          ...run.throughput,
          ...run.scaleOut,
          ...run.admin,
          ...run.growth,
          ...run.confirmation,
          ...run.announcements,
        ],
        serverMemoryAtEnd: Object.fromEntries(
          servers.map((server) => [server.name, server.finalMemory ?? memoryAtEnd[server.name]]),
        ),
        serverLogs: Object.fromEntries(servers.map((server) => [server.name, server.logs])),
        exitCodes: Object.fromEntries(servers.map((server) => [server.name, server.exitCode])),
        web,
      },
      null,
      2,
    )}\n`,
  );
}
