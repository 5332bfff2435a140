#!/usr/bin/env node
// @ts-check
// `pnpm bench`: catlist's production server side by side with its peers, in the same run, on
// the same machine, with the same load. Machines here are shared and noisy, so the figures that
// count are the ratios catlist / peer; runs alternate (catlist, stock, bare-koa, bare-koa-headers,
// baseline, catlist, ...) so that drift during the run shows up as different ratios per round.
//
// The peers (each a child process on a free port of 127.0.0.1, like catlist):
//   stock             peers/stock-koa.mjs   Koa + koa-session (SQLite store) + bodyparser +
//                                           router, what a Koa developer would write from the docs
//   koa-floor         peers/koa-floor.mjs   Koa + koa-session (store in a Map) + body parser +
//                                           router + the six headers, a signup without any
//                                           database (signup scenarios only): the floor of a
//                                           signup inside Koa and koa-session
//   bare-koa          peers/bare-koa.mjs    Koa answering a constant: the ceiling of anything on
//                                           Koa
//   bare-koa-headers  peers/bare-koa.mjs   the same with BARE_KOA_HEADERS=1: plus the six
//                                           headers catlist's API sends
//   baseline          baseline-server.mjs   bare node:http: the ceiling of anything on Node
//
// Three groups of scenarios (all run by default; pick with --scenarios):
//   session, signup, signup-returning, stats
//                             throughput, catlist vs the peers (issue 6); scenarios/throughput.mjs
//   pg-signup, pg-session     the same signup / session load on SQLite x1, PostgreSQL x1 and
//                             PostgreSQL x2 processes sharing one database (issue 4); skipped with
//                             a notice when PostgreSQL is not reachable; scenarios/scale-out.mjs
//   admin-page, admin-csv     list pages and the CSV export over 1,000,000 seeded rows (issue 3);
//                             scenarios/admin.mjs
//   admin-growth              the admin's growth chart over 1,000,000 addresses within its 90
//                             days, on SQLite and PostgreSQL; scenarios/admin-growth.mjs
//   mail-signup               signups with confirmation by email on vs off (issue 15);
//                             scenarios/confirmation.mjs
//   announce-queue, announce-delivery
//                             an announcement to 100,000 subscribers queued (SQLite, PostgreSQL)
//                             with signups meanwhile; unpaced delivery vs nodemailer alone
//                             (issue 26); scenarios/announcements.mjs
// `--scenarios=pg`, `--scenarios=admin` and `--scenarios=announce` name a whole group. Targets: scenarios/definitions.mjs.
//
// Options: `node bench/run.mjs --help` (lib/options.mjs: flags, with environment variables for
// each; flags win).
// Load comes from a separate process (wrk, or node load-autocannon.mjs); the servers are child
// processes of this one, each on its own free port on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildIfNeeded } from './lib/build.mjs';
import { int, log } from './lib/format.mjs';
import { pickTool } from './lib/load.mjs';
import { describeMachine, filesystemOf } from './lib/machine.mjs';
import { helpText, OptionError, parseOptions } from './lib/options.mjs';
import { API_SERVER, BENCH_DIR } from './lib/paths.mjs';
import { pgQuery } from './lib/postgres.mjs';
import { memoryOf } from './lib/process-stats.mjs';
import { startServer, stopServer, visitorCookie } from './lib/servers.mjs';
import { renderReport, writeResults } from './report/document.mjs';
import { webClientSizes } from './report/web-client.mjs';
import { runAdmin } from './scenarios/admin.mjs';
import { runAdminGrowth } from './scenarios/admin-growth.mjs';
import { runAnnouncements } from './scenarios/announcements.mjs';
import { runConfirmation } from './scenarios/confirmation.mjs';
import {
  ADMIN_SCENARIOS,
  ANNOUNCE_SCENARIOS,
  CONFIRMATION_SCENARIOS,
  GROWTH_SCENARIO,
  SCALE_OUT_SCENARIOS,
  SCENARIOS,
} from './scenarios/definitions.mjs';
import { runScaleOut } from './scenarios/scale-out.mjs';
import { runThroughput } from './scenarios/throughput.mjs';

async function main() {
  const args = process.argv.slice(2);
  const parsed = parseOptions(args, process.env);
  if ('help' in parsed) {
    process.stdout.write(helpText());
    return;
  }
  const config = parsed;
  const startedAt = new Date();
  const tool = pickTool(config.tool);
  buildIfNeeded(config.build);

  const tmp = mkdtempSync(join(config.dataDir, 'catlist-bench-'));
  /** @type {import('./lib/servers.mjs').Server[]} */
  const servers = [];
  /** @type {{ pgDatabase: string | null }} */
  const state = { pgDatabase: null };
  const cleanup = async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    if (state.pgDatabase) {
      const database = state.pgDatabase;
      state.pgDatabase = null;
      await pgQuery(config.pgUrl, `drop database if exists ${database} with (force)`).catch(
        (error) => log(`could not drop the bench database ${database}: ${error.message}`),
      );
    }
  };
  process.once('SIGINT', () => {
    cleanup().finally(() => process.exit(130));
  });

  try {
    const throughputWanted = SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    const peersWanted = new Set(throughputWanted.flatMap((s) => s.servers));
    const nodeFlags = config.cpuProfDir
      ? ['--cpu-prof', `--cpu-prof-dir=${resolve(config.cpuProfDir)}`]
      : [];
    const catlist = await startServer('catlist', [...nodeFlags, API_SERVER], {
      NODE_ENV: 'production',
      SESSION_KEYS: randomBytes(32).toString('base64url'),
      DATABASE_URL: config.memoryDb ? 'sqlite::memory:' : `sqlite:${join(tmp, 'catlist.db')}`,
      TRUST_PROXY: '1',
      LOG_LEVEL: config.logLevel,
    });
    servers.push(catlist);
    // The baseline always runs: the admin group measures its floor on it.
    const baseline = await startServer('baseline', [join(BENCH_DIR, 'baseline-server.mjs')], {});
    servers.push(baseline);
    catlist.cookie = await visitorCookie(catlist);
    // The baseline ignores it, but gets the same request bytes to parse.
    baseline.cookie = catlist.cookie;
    /** @type {Record<string, import('./lib/servers.mjs').Server>} */
    const byName = { catlist, baseline };
    if (peersWanted.has('stock')) {
      const stock = await startServer('stock', [join(BENCH_DIR, 'peers/stock-koa.mjs')], {
        STOCK_DB: join(tmp, 'stock.db'),
      });
      servers.push(stock);
      stock.cookie = await visitorCookie(stock);
      byName.stock = stock;
    }
    if (peersWanted.has('koa-floor')) {
      const floor = await startServer('koa-floor', [join(BENCH_DIR, 'peers/koa-floor.mjs')], {});
      servers.push(floor);
      floor.cookie = await visitorCookie(floor);
      byName['koa-floor'] = floor;
    }
    if (peersWanted.has('bare-koa')) {
      const bareKoa = await startServer('bare-koa', [join(BENCH_DIR, 'peers/bare-koa.mjs')], {});
      servers.push(bareKoa);
      // Like the baseline: ignored, but the same request bytes.
      bareKoa.cookie = catlist.cookie;
      byName['bare-koa'] = bareKoa;
    }
    if (peersWanted.has('bare-koa-headers')) {
      const withHeaders = await startServer(
        'bare-koa-headers',
        [join(BENCH_DIR, 'peers/bare-koa.mjs')],
        { BARE_KOA_HEADERS: '1' },
      );
      servers.push(withHeaders);
      withHeaders.cookie = catlist.cookie;
      byName['bare-koa-headers'] = withHeaders;
    }

    const machine = describeMachine(config.memoryDb ? 'memory' : filesystemOf(tmp));
    if (machine.databaseFilesystem === 'tmpfs') {
      log('warning: the database is on tmpfs, where fsync costs nothing; use --data-dir=<disk>');
    }
    if ((machine.loadavgAtStart[0] ?? 0) > machine.cores / 2) {
      log(
        `warning: load average ${machine.loadavgAtStart[0]} on ${machine.cores} cores: ` +
          'something else is busy, expect noisy figures (the ratios absorb some of it)',
      );
    }
    log(
      `${machine.cores} cores, Node ${machine.node}, load ${machine.loadavgAtStart.join(' ')}; ` +
        `${tool.name} ${tool.version}, ${config.connections} connections, ` +
        `${config.warmupS} s warm-up, ${config.durationS} s x ${config.rounds} rounds per server; ` +
        `scenarios ${config.scenarios.join(', ')}`,
    );

    const context = { config, tool };
    const throughput = await runThroughput(context, byName, config.scenarios);
    const scaleOutWanted = SCALE_OUT_SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    if (scaleOutWanted.length > 0 && config.memoryDb) {
      log('notice: --memory-db: the PostgreSQL scenarios compare against an in-memory SQLite');
    }
    const scaleOut =
      scaleOutWanted.length > 0
        ? await runScaleOut(context, catlist, servers, state, scaleOutWanted)
        : [];
    const adminWanted = ADMIN_SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    const admin =
      adminWanted.length > 0 ? await runAdmin(context, tmp, baseline, servers, adminWanted) : [];
    const growth = config.scenarios.includes(GROWTH_SCENARIO.id)
      ? [await runAdminGrowth(context, tmp, servers, state)]
      : [];

    const confirmationWanted = CONFIRMATION_SCENARIOS.filter((s) =>
      config.scenarios.includes(s.id),
    );
    const confirmation =
      confirmationWanted.length > 0
        ? await runConfirmation(context, servers, tmp, confirmationWanted)
        : [];
    const announceWanted = ANNOUNCE_SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    const announcements =
      announceWanted.length > 0
        ? await runAnnouncements(context, servers, tmp, state, announceWanted)
        : [];

    const memoryAtEnd = Object.fromEntries(
      servers.map((server) => [server.name, memoryOf(server.pid)]),
    );
    for (const server of servers) server.exitCode = await stopServer(server);
    const run = {
      startedAt,
      args,
      config,
      machine,
      tool,
      throughput,
      scaleOut,
      admin,
      growth,
      confirmation,
      announcements,
      servers,
      memoryAtEnd,
      web: webClientSizes(),
    };
    console.log(renderReport(run));
    writeResults(run);
    log(`results written to ${relative(process.cwd(), config.out) || config.out}`);
    const missed = throughput.flatMap((result) =>
      result.targets.filter((t) => !t.met).map((t) => `${result.id}: ${t.label}`),
    );
    for (const result of growth) {
      if (!result.goalMet) missed.push(`${result.id}: ${result.goal}`);
    }
    for (const result of confirmation) {
      if (!result.met) missed.push(`${result.id}: on ≥ ${result.target}× off`);
    }
    for (const result of announcements) {
      if (!result.goalMet) missed.push(`${result.id}: see its table`);
    }
    if (missed.length > 0) log(`targets not met (${int(missed.length)}): ${missed.join('; ')}`);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof OptionError ? `[bench] ${message}` : `[bench] failed: ${message}`);
  process.exitCode = 1;
});
