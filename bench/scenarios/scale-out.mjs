// @ts-check
// The scale-out group (issue 4): pg-signup and pg-session. The signup and session loads on
// SQLite x1 (the catlist of the throughput group), PostgreSQL x1 and PostgreSQL x2 (two catlist
// processes sharing one throwaway database and one SESSION_KEYS), alternating per round.
import { randomBytes } from 'node:crypto';
import { fixed, int, log } from '../lib/format.mjs';
import { measureSplit } from '../lib/load.mjs';
import { API_SERVER } from '../lib/paths.mjs';
import { pgQuery, safeUrl } from '../lib/postgres.mjs';
import { check, startServer, stopServer, visitorCookie } from '../lib/servers.mjs';
import { mean, summarise } from '../lib/statistics.mjs';
import { SCALE_OUT_CONFIGS, SCENARIOS } from './definitions.mjs';

/**
 * @typedef {import('../lib/load.mjs').SplitMeasured & {
 *   config: import('./definitions.mjs').ScaleOutConfig, round: number }} ConfigRun
 */

/**
 * @typedef {import('../lib/statistics.mjs').RunSummary & { postgresCpuPct: number,
 *   machineCoresBusy: number }} ConfigSummary
 */

/**
 * @typedef {{ id: string, kind: 'scale-out', title: string, base?: string, skipped?: string,
 *   runs?: ConfigRun[], summary?: Record<import('./definitions.mjs').ScaleOutConfig, ConfigSummary>,
 *   vsSqlite?: { 'pg-1': number, 'pg-2': number },
 *   vsSqlitePerRound?: { 'pg-1': number[], 'pg-2': number[] }, twoOverOne?: number,
 *   postgres?: { version: string | undefined, settings: Record<string, string>,
 *     poolSizePerProcess: number, listSizeAtEnd: number } }} ScaleOutResult
 */

/**
 * Runs pg-signup / pg-session. Starts two catlist processes on a fresh PostgreSQL database (and
 * stops them, and drops the database, before returning).
 * @param {{ config: import('../lib/options.mjs').Config, tool: import('../lib/load.mjs').Tool }} context
 * @param {import('../lib/servers.mjs').Server} sqliteCatlist
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {{ pgDatabase: string | null }} state   the database to drop if the run is cut short
 * @param {import('./definitions.mjs').ScaleOutScenario[]} wanted
 * @returns {Promise<ScaleOutResult[]>}
 */
export async function runScaleOut({ config, tool }, sqliteCatlist, servers, state, wanted) {
  /** @param {string} reason */
  const skip = (reason) =>
    wanted.map((scenario) => ({
      ...scenario,
      kind: /** @type {const} */ ('scale-out'),
      skipped: reason,
    }));
  /** @type {string | undefined} */
  let serverVersion;
  /** @type {Record<string, string>} */
  let settings;
  try {
    serverVersion = (await pgQuery(config.pgUrl, 'show server_version')).rows[0]?.server_version;
    const shown = await pgQuery(
      config.pgUrl,
      "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', " +
        "'max_connections', 'shared_buffers', 'commit_delay', 'wal_sync_method')",
    );
    settings = Object.fromEntries(shown.rows.map((row) => [row.name, row.setting]));
  } catch (error) {
    const reason = `PostgreSQL not reachable at ${safeUrl(config.pgUrl)} (${error instanceof Error ? error.message : error})`;
    log(`notice: skipping ${wanted.map((s) => s.id).join(', ')}: ${reason}; set --pg-url`);
    return skip(reason);
  }
  const database = `catlist_bench_${randomBytes(6).toString('hex')}`;
  await pgQuery(config.pgUrl, `create database ${database}`);
  state.pgDatabase = database;
  const url = new URL(config.pgUrl);
  url.pathname = `/${database}`;
  log(`PostgreSQL ${serverVersion} at ${url.host}: fresh database ${database}`);
  const env = {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    DATABASE_URL: url.toString(),
    TRUST_PROXY: '1',
    LOG_LEVEL: config.logLevel,
  };
  const pgA = await startServer('catlist-pg-a', [API_SERVER], env);
  servers.push(pgA);
  const pgB = await startServer('catlist-pg-b', [API_SERVER], env);
  servers.push(pgB);
  // A session made through one process is read through the other: the same keys, one database.
  pgA.cookie = await visitorCookie(pgA);
  pgB.cookie = pgA.cookie;
  const pgCounter = { signupsSent: 0 };
  const configs = {
    'sqlite-1': { targets: [sqliteCatlist, sqliteCatlist], counter: sqliteCatlist },
    'pg-1': { targets: [pgA, pgA], counter: pgCounter },
    'pg-2': { targets: [pgA, pgB], counter: pgCounter },
  };

  /** @type {ScaleOutResult[]} */
  const results = [];
  for (const scenario of wanted) {
    const base = SCENARIOS.find((s) => s.id === scenario.base);
    if (!base) throw new Error(`no scenario ${scenario.base}`);
    log(`scenario ${scenario.id}: ${scenario.title}`);
    for (const server of [sqliteCatlist, pgA, pgB]) await check(server, base);
    if (config.warmupS > 0) {
      for (const id of SCALE_OUT_CONFIGS) {
        const { targets, counter } = configs[id];
        await measureSplit(
          tool,
          targets,
          base,
          config.warmupS,
          `${scenario.id}-${id}-w`,
          counter,
          config.connections,
        );
      }
    }
    /** @type {ConfigRun[]} */
    const runs = [];
    for (let r = 1; r <= config.rounds; r += 1) {
      for (const id of SCALE_OUT_CONFIGS) {
        const { targets, counter } = configs[id];
        const run = await measureSplit(
          tool,
          targets,
          base,
          config.durationS,
          `${scenario.id}-${id}-${r}`,
          counter,
          config.connections,
        );
        runs.push({ config: id, round: r, ...run });
        log(
          `  ${id.padEnd(8)} round ${r}: ${int(run.rps)} req/s, p50 ${fixed(run.latencyMs.p50, 2)} ms, ` +
            `p99 ${fixed(run.latencyMs.p99, 2)} ms, errors ${run.errors}, non-2xx ${run.non2xx}, ` +
            `catlist CPU ${fixed(run.serverCpuPct, 0)} %, postgres CPU ${fixed(run.postgresCpuPct, 0)} %, ` +
            `cores busy ${fixed(run.machineCoresBusy, 2)}`,
        );
        if (!run.serversAlive) throw new Error(`a catlist process died during ${scenario.id}`);
      }
    }
    /** @param {import('./definitions.mjs').ScaleOutConfig} id @returns {ConfigSummary} */
    const summaryOf = (id) => {
      const mine = runs.filter((run) => run.config === id);
      return {
        ...summarise(mine),
        postgresCpuPct: mean(mine.map((run) => run.postgresCpuPct)),
        machineCoresBusy: mean(mine.map((run) => run.machineCoresBusy)),
      };
    };
    const summary = {
      'sqlite-1': summaryOf('sqlite-1'),
      'pg-1': summaryOf('pg-1'),
      'pg-2': summaryOf('pg-2'),
    };
    /** @param {import('./definitions.mjs').ScaleOutConfig} id */
    const perRound = (id) =>
      runs
        .filter((run) => run.config === id)
        .map(
          (run) =>
            run.rps /
            (runs.find((other) => other.config === 'sqlite-1' && other.round === run.round)?.rps ??
              Number.NaN),
        );
    results.push({
      id: scenario.id,
      kind: 'scale-out',
      title: scenario.title,
      base: base.id,
      runs,
      summary,
      vsSqlite: {
        'pg-1': summary['pg-1'].rps / summary['sqlite-1'].rps,
        'pg-2': summary['pg-2'].rps / summary['sqlite-1'].rps,
      },
      vsSqlitePerRound: { 'pg-1': perRound('pg-1'), 'pg-2': perRound('pg-2') },
      twoOverOne: summary['pg-2'].rps / summary['pg-1'].rps,
    });
  }
  const stats = /** @type {{ subscribers: number }} */ (
    await (await fetch(`${pgA.url}/api/stats`)).json()
  );
  for (const server of [pgA, pgB]) server.exitCode = await stopServer(server);
  await pgQuery(config.pgUrl, `drop database if exists ${database} with (force)`);
  state.pgDatabase = null;
  for (const result of results) {
    result.postgres = {
      version: serverVersion,
      settings,
      poolSizePerProcess: 10,
      listSizeAtEnd: stats.subscribers,
    };
  }
  return results;
}
