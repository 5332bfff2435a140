#!/usr/bin/env node
// `pnpm bench`: catlist's production server side by side with a bare node:http baseline, in the
// same run, on the same machine, with the same load. Machines here are shared and noisy, so the
// figures that count are the ratios catlist / baseline; runs alternate (catlist, baseline,
// catlist, baseline) so that drift during the run shows up as two different ratios.
//
// Three groups of scenarios (all run by default; pick with --scenarios):
//   session, signup, stats    throughput, catlist vs the baseline (issue 6)
//   pg-signup, pg-session     the same signup / session load on SQLite x1, PostgreSQL x1 and
//                             PostgreSQL x2 processes sharing one database (issue 4); skipped with
//                             a notice when PostgreSQL is not reachable
//   admin-page, admin-csv     list pages and the CSV export over 1,000,000 seeded rows (issue 3)
// `--scenarios=pg` and `--scenarios=admin` name a whole group.
//
// Options (flags win over environment variables):
//   --duration=S     BENCH_DURATION     seconds of measured load per run          (default 10)
//   --warmup=S       BENCH_WARMUP       seconds of unmeasured load per server and scenario (3)
//   --connections=N  BENCH_CONNECTIONS  concurrent connections                     (50)
//   --rounds=N       BENCH_ROUNDS       catlist/baseline pairs per scenario        (2)
//   --tool=T         BENCH_TOOL         auto | wrk | autocannon (auto: wrk when installed)
//   --scenarios=L    BENCH_SCENARIOS    comma-separated ids or groups (default: all of them)
//   --out=FILE       BENCH_OUT          JSON results        (default bench/results/latest.json)
//   --cpu-prof=DIR   BENCH_CPU_PROF     run catlist under `node --cpu-prof` into DIR
//   --no-build       BENCH_BUILD=0      never build; BENCH_BUILD=1 always builds the API
//   --memory-db      BENCH_MEMORY_DB=1  catlist on sqlite::memory: (NOT durable: shows what the
//                                       disk costs; never quote these figures as catlist's)
//   --data-dir=DIR   BENCH_DATA_DIR     where the fresh databases go (default: system temp)
//   --pg-url=URL     BENCH_PG_URL       PostgreSQL to create the throwaway bench database on
//                                       (default postgres://postgres@127.0.0.1:5432/test)
//   --admin-rows=N   BENCH_ADMIN_ROWS   rows seeded for the admin scenarios        (1000000)
//   --admin-samples=N BENCH_ADMIN_SAMPLES sequential requests per admin measurement (200)
//   --cache-dir=DIR  BENCH_CACHE_DIR    where the seeded admin database is kept between runs
//                                       (default <system temp>/catlist-bench-cache)
//   --no-seed-cache  BENCH_SEED_CACHE=0 seed afresh and do not touch the cache
//   --quick                             smoke run: --duration=3 --warmup=1 --admin-samples=50
// Load comes from a separate process (wrk, or node load-autocannon.mjs); the servers are child
// processes of this one, each on its own free port on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  COMMON_TERM,
  describeSeed,
  RARE_TERM,
  SEED_VERSION,
  seedSubscribers,
} from './seed-subscribers.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const API_SERVER = join(ROOT, 'apps/api/dist/server.js');
const HOST = '127.0.0.1';
const SESSION_EMAIL = 'bench@example.com';
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
// pg is a dependency of apps/api; use that very copy to create and drop the bench database.
const requireFromApi = createRequire(join(ROOT, 'apps/api/package.json'));

// ---------------------------------------------------------------------------------------------
// Options

const flags = new Map(
  process.argv
    .slice(2)
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => {
      const [key, ...value] = arg.slice(2).split('=');
      return [key, value.length > 0 ? value.join('=') : 'true'];
    }),
);
const quick = flags.has('quick');
/**
 * @param {string} flag
 * @param {string} envName
 * @param {string} fallback
 */
const option = (flag, envName, fallback) =>
  flags.get(flag) ?? (process.env[envName] || undefined) ?? fallback;
/** @param {string} value @param {string} name */
const positive = (value, name) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name}: not a positive number`);
  return number;
};

const config = {
  durationS: positive(option('duration', 'BENCH_DURATION', quick ? '3' : '10'), 'duration'),
  warmupS: Number(option('warmup', 'BENCH_WARMUP', quick ? '1' : '3')),
  connections: positive(option('connections', 'BENCH_CONNECTIONS', '50'), 'connections'),
  rounds: positive(option('rounds', 'BENCH_ROUNDS', '2'), 'rounds'),
  tool: option('tool', 'BENCH_TOOL', 'auto'),
  /** @type {string | string[]} expanded to scenario ids below, once the groups are defined */
  scenarios: option('scenarios', 'BENCH_SCENARIOS', 'all'),
  out: resolve(option('out', 'BENCH_OUT', join(BENCH_DIR, 'results/latest.json'))),
  cpuProfDir: option('cpu-prof', 'BENCH_CPU_PROF', '') || null,
  build: flags.has('no-build') ? '0' : option('build', 'BENCH_BUILD', 'auto'),
  memoryDb: flags.has('memory-db') || process.env.BENCH_MEMORY_DB === '1',
  dataDir: resolve(option('data-dir', 'BENCH_DATA_DIR', tmpdir())),
  pgUrl: option('pg-url', 'BENCH_PG_URL', 'postgres://postgres@127.0.0.1:5432/test'),
  adminRows: positive(option('admin-rows', 'BENCH_ADMIN_ROWS', '1000000'), 'admin-rows'),
  adminSamples: positive(
    option('admin-samples', 'BENCH_ADMIN_SAMPLES', quick ? '50' : '200'),
    'admin-samples',
  ),
  cacheDir: resolve(option('cache-dir', 'BENCH_CACHE_DIR', join(tmpdir(), 'catlist-bench-cache'))),
  seedCache: !flags.has('no-seed-cache') && process.env.BENCH_SEED_CACHE !== '0',
  logLevel: 'warn',
};

// ---------------------------------------------------------------------------------------------
// Scenarios. Targets are from issue 6, as ratios to the same-run baseline.

/**
 * @typedef {{ id: string, title: string, mode: 'get' | 'signup', path: string,
 *   cookie?: boolean, target?: { ratio: number, p99Ms: number } }} Scenario
 */
/** @type {Scenario[]} */
const SCENARIOS = [
  {
    id: 'session',
    title: 'GET /api/session, cookie of a signed-up visitor',
    mode: 'get',
    path: '/api/session',
    cookie: true,
    target: { ratio: 0.35, p99Ms: 20 },
  },
  {
    id: 'signup',
    title: 'POST /api/signup, new address and new visitor per request',
    mode: 'signup',
    path: '/api/signup',
    target: { ratio: 0.25, p99Ms: 25 },
  },
  { id: 'stats', title: 'GET /api/stats', mode: 'get', path: '/api/stats' },
];

// Issue 4: the signup and session loads again, on SQLite with one process (the same catlist as
// above), on PostgreSQL with one process, and on PostgreSQL with two processes sharing the
// database and SESSION_KEYS. Every configuration gets the same load shape: two load-generator
// processes with half the connections each, both at the one server or one at each of the two.
const SCALE_OUT_SCENARIOS = [
  { id: 'pg-signup', base: 'signup', title: 'POST /api/signup: SQLite x1, PostgreSQL x1, x2' },
  { id: 'pg-session', base: 'session', title: 'GET /api/session: SQLite x1, PostgreSQL x1, x2' },
];
const SCALE_OUT_CONFIGS = ['sqlite-1', 'pg-1', 'pg-2'];

// Issue 3: a catlist of its own on a fresh copy of a seeded file (1,000,000 rows by default);
// page and search latencies from one connection, sequential requests; the CSV export's time and
// the server's RSS during it.
const ADMIN_SCENARIOS = [
  { id: 'admin-page', title: 'GET /api/admin/subscribers: pages and searches, one connection' },
  { id: 'admin-csv', title: 'GET /api/admin/subscribers.csv: the whole list' },
];
const ADMIN_GOALS = { pageP50Ms: 5, exportRssGrowthMb: 50 };

const GROUPS = {
  all: [
    ...['session', 'signup', 'stats'],
    ...SCALE_OUT_SCENARIOS.map((s) => s.id),
    ...ADMIN_SCENARIOS.map((s) => s.id),
  ],
  pg: SCALE_OUT_SCENARIOS.map((s) => s.id),
  admin: ADMIN_SCENARIOS.map((s) => s.id),
};

/** `--scenarios` as a list of scenario ids, groups expanded; unknown ids are an error. */
function expandScenarios(list) {
  const ids = list
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .flatMap((id) => GROUPS[id] ?? [id]);
  const unknown = ids.filter((id) => !GROUPS.all.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `--scenarios: unknown ${unknown.join(', ')} (known: ${GROUPS.all.join(', ')}, pg, admin, all)`,
    );
  }
  return [...new Set(ids)];
}
config.scenarios = expandScenarios(String(config.scenarios));

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const round = (value, digits = 1) =>
  value == null || Number.isNaN(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const log = (message) => console.error(`[bench] ${message}`);

/** A free TCP port on 127.0.0.1 (bound, read, released). */
function freePort() {
  return new Promise((found, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => found(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Newest modification time (ms) of the files under `paths`, skipping build output. */
function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        visit(join(path, entry));
      }
    } else if (!path.endsWith('.test.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

/** Newest modification time under a build output folder (0 when it does not exist). */
function newestOutput(dir) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  if (existsSync(dir)) visit(dir);
  return newest;
}

/** VmRSS and VmHWM of a process, in MiB (null once it has exited). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kib('VmRSS') / 1024, hwmMb: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** The filesystem type of a folder (ext2/ext3 covers ext4, tmpfs, ...), or 'unknown'. */
function filesystemOf(dir) {
  const result = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

/** CPU time (user + system) a process has used so far, in seconds. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine so far (clock ticks, all cores). */
function machineCpuTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    const total = ticks.slice(0, 8).reduce((sum, tick) => sum + tick, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** CPU seconds used so far by each process named `postgres` (all of them, not only ours). */
function postgresCpuSeconds() {
  /** @type {Map<string, number>} */
  const byPid = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return byPid;
  }
  for (const pid of entries) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      byPid.set(pid, cpuSecondsOf(Number(pid)));
    } catch {}
  }
  return byPid;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// Build

function buildIfNeeded() {
  const sources = [
    join(ROOT, 'packages/contracts/src'),
    join(ROOT, 'packages/contracts/package.json'),
    join(ROOT, 'apps/api/src'),
    join(ROOT, 'apps/api/package.json'),
    join(ROOT, 'tsconfig.base.json'),
  ];
  const outputs = Math.min(
    newestOutput(join(ROOT, 'packages/contracts/dist')),
    newestOutput(join(ROOT, 'apps/api/dist')),
  );
  const stale = !existsSync(API_SERVER) || newestMtime(sources) > outputs;
  if (config.build === '0') {
    if (!existsSync(API_SERVER)) throw new Error(`${API_SERVER} is missing: run pnpm build`);
    if (stale) log('warning: the API build looks older than its sources (building is off)');
    return;
  }
  if (!stale && config.build !== '1') {
    log('API build is up to date');
    return;
  }
  log('building @catlist/contracts and @catlist/api ...');
  const build = spawnSync(
    'pnpm',
    ['--filter', '@catlist/contracts', '--filter', '@catlist/api', 'build'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (build.error || build.status !== 0) {
    throw new Error(`build failed (${build.error?.message ?? `exit ${build.status}`})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/**
 * @typedef {{ name: string, url: string, child: import('node:child_process').ChildProcess,
 *   pid: number, logs: { errors: number, warnings: number, samples: string[] },
 *   exited: Promise<number | null>, signupsSent: number, cookie?: string,
 *   finalMemory?: { rssMb: number, hwmMb: number } | null, exitCode?: number | string | null }} Server
 */

/** Keeps count of the structured (pino) log lines at warn and above; keeps a few samples. */
function watchLogs(child, logs) {
  let pending = '';
  const onData = (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let level = 50; // anything unstructured on the server's output is worth a look
      try {
        // JSON without a level (the baseline's {"listening": port}) is not a complaint.
        level = JSON.parse(line).level ?? 30;
      } catch {}
      if (level >= 50) logs.errors += 1;
      else if (level >= 40) logs.warnings += 1;
      if (level >= 40 && logs.samples.length < 5) logs.samples.push(line.slice(0, 500));
    }
  };
  child.stdout?.setEncoding('utf8').on('data', onData);
  child.stderr?.setEncoding('utf8').on('data', onData);
}

/** @returns {Promise<Server>} */
async function startServer(name, args, env) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = { errors: 0, warnings: 0, samples: [] };
  watchLogs(child, logs);
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  const server = {
    name,
    url: `http://${HOST}:${port}`,
    child,
    pid: child.pid ?? 0,
    logs,
    exited,
    signupsSent: 0,
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}: ${logs.samples.join('\n')}`);
    }
    try {
      const response = await fetch(`${server.url}/api/health`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${name} did not answer /api/health within 30 s`);
    await sleep(100);
  }
  return server;
}

async function stopServer(server) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  server.finalMemory = memoryOf(server.pid);
  server.child.kill('SIGTERM');
  const code = await Promise.race([server.exited, sleep(15_000).then(() => 'timeout')]);
  if (code === 'timeout') {
    log(`${server.name} did not stop within 15 s of SIGTERM: killing it`);
    server.child.kill('SIGKILL');
    return server.exited;
  }
  return code;
}

/** Signs up SESSION_EMAIL and returns the Cookie header that carries that visitor's session. */
async function visitorCookie(server) {
  const response = await fetch(`${server.url}/api/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.78.0.1' },
    body: JSON.stringify({ email: SESSION_EMAIL }),
  });
  if (!response.ok) throw new Error(`${server.name}: signup for a cookie got ${response.status}`);
  const cookies = response.headers.getSetCookie().map((header) => header.split(';')[0]);
  return cookies.join('; ');
}

/** One request per scenario, checked, so that we never benchmark a stream of errors. */
async function check(server, scenario) {
  /** @type {RequestInit} */
  const init =
    scenario.mode === 'signup'
      ? {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.78.0.2' },
          body: JSON.stringify({ email: `check-${Date.now()}@bench.example.com` }),
        }
      : { headers: scenario.cookie && server.cookie ? { Cookie: server.cookie } : {} };
  const response = await fetch(`${server.url}${scenario.path}`, init);
  const body = await response.json().catch(() => null);
  const ok =
    response.status === 200 &&
    (scenario.id === 'session'
      ? body?.email === SESSION_EMAIL && body?.subscribed === true
      : scenario.id === 'signup'
        ? body?.subscribed === true
        : typeof body?.subscribers === 'number');
  if (!ok) {
    throw new Error(
      `${server.name} ${scenario.path}: unexpected ${response.status} ${JSON.stringify(body)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Load

function pickTool() {
  const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  const wrkVersion = wrk.error ? null : /wrk\s+(\S+)/.exec(`${wrk.stdout}${wrk.stderr}`)?.[1];
  if (config.tool === 'wrk' || (config.tool === 'auto' && wrkVersion)) {
    if (!wrkVersion) throw new Error('--tool=wrk: wrk is not installed (apt-get install wrk)');
    return { name: 'wrk', version: wrkVersion };
  }
  if (config.tool !== 'auto' && config.tool !== 'autocannon') {
    throw new Error(`--tool: unknown load generator ${config.tool}`);
  }
  let version = null;
  try {
    const manifest = join(
      dirname(fileURLToPath(import.meta.resolve('autocannon'))),
      'package.json',
    );
    version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  } catch {
    throw new Error(
      'neither wrk nor autocannon is available: install one (see docs/benchmarks.md)',
    );
  }
  return { name: 'autocannon', version };
}

/**
 * Runs the load generator once, in its own process, and returns what it measured.
 * `counter` carries on the signup address rotation (one per database: servers sharing a database
 * share its rate-limit counters); `offsetShift` keeps concurrent load processes apart.
 */
function runLoad(
  tool,
  server,
  scenario,
  durationS,
  tag,
  { connections = config.connections, counter = server, offsetShift = 0 } = {},
) {
  const offset = counter.signupsSent + offsetShift;
  let command;
  let args;
  if (tool.name === 'wrk') {
    const script =
      scenario.mode === 'signup' ? ['wrk-signup.lua', tag, String(offset)] : ['wrk-get.lua'];
    const scriptArgs =
      scenario.mode === 'signup'
        ? script.slice(1)
        : [scenario.path, scenario.cookie ? (server.cookie ?? '') : ''];
    command = 'wrk';
    args = [
      '-t1',
      `-c${connections}`,
      `-d${durationS}s`,
      '--timeout',
      '5s',
      '-s',
      join(BENCH_DIR, script[0]),
      server.url,
      '--',
      ...scriptArgs,
    ];
  } else {
    command = process.execPath;
    args = [
      join(BENCH_DIR, 'load-autocannon.mjs'),
      JSON.stringify({
        url: server.url,
        connections,
        duration: durationS,
        mode: scenario.mode,
        path: scenario.path,
        cookie: scenario.cookie ? server.cookie : undefined,
        tag,
        offset,
      }),
    ];
  }
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', fail);
    // 'close', not 'exit': only then has all of the child's output been read.
    child.once('close', (code) => {
      const line = output.split('\n').find((l) => /^(WRK|LOAD)_JSON /.test(l));
      if (!line) {
        fail(
          new Error(
            `${command} ${args.join(' ')} exited with ${code} and no result:\n${output.slice(-2000)}`,
          ),
        );
        return;
      }
      const raw = JSON.parse(line.slice(line.indexOf(' ') + 1));
      const result =
        tool.name === 'wrk'
          ? {
              requests: raw.requests,
              rps: raw.requests / (raw.durationUs / 1e6),
              latencyMs: {
                p50: raw.p50 / 1000,
                p90: raw.p90 / 1000,
                p99: raw.p99 / 1000,
                max: raw.max / 1000,
                mean: raw.mean / 1000,
              },
              errors: raw.connect + raw.read + raw.write + raw.timeout,
              timeouts: raw.timeout,
              // wrk counts responses with a status of 400 and above, not 3xx.
              non2xx: raw.status,
              statusCodes: null,
            }
          : raw;
      if (scenario.mode === 'signup') counter.signupsSent += result.requests + connections;
      done(result);
    });
  });
}

/** One measured (or warm-up) run: load from its own process, server memory and CPU sampled. */
async function measure(tool, server, scenario, durationS, tag) {
  const before = memoryOf(server.pid);
  const cpuBefore = cpuSecondsOf(server.pid);
  const errorsBefore = server.logs.errors;
  let peakRssMb = before?.rssMb ?? 0;
  const sampler = setInterval(() => {
    const memory = memoryOf(server.pid);
    if (memory) peakRssMb = Math.max(peakRssMb, memory.rssMb);
  }, 100);
  const started = performance.now();
  try {
    const result = await runLoad(tool, server, scenario, durationS, tag);
    const elapsedS = (performance.now() - started) / 1000;
    const after = memoryOf(server.pid);
    if (after) peakRssMb = Math.max(peakRssMb, after.rssMb);
    return {
      ...result,
      rssStartMb: before?.rssMb ?? null,
      rssEndMb: after?.rssMb ?? null,
      peakRssMb,
      serverCpuPct: ((cpuSecondsOf(server.pid) - cpuBefore) / elapsedS) * 100,
      serverErrorsLogged: server.logs.errors - errorsBefore,
      serverAlive: server.child.exitCode === null,
    };
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------------------------------------
// Scale-out (issue 4): SQLite x1, PostgreSQL x1, PostgreSQL x2

/** One query on a throwaway connection to the maintenance database (config.pgUrl). */
async function pgQuery(text) {
  const pg = requireFromApi('pg');
  const client = new pg.Client({ connectionString: config.pgUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The URL without its password, for printing. */
function safeUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * One measured run of a configuration: two load processes with half the connections each, at
 * `targets` (the same server twice, or one each), at the same time. Every server's RSS and CPU is
 * sampled, with the whole machine's CPU and the postgres processes' CPU.
 */
async function measureSplit(tool, targets, scenario, durationS, tag, counter) {
  const servers = [...new Set(targets)];
  const cpuBefore = servers.map((server) => cpuSecondsOf(server.pid));
  const machineBefore = machineCpuTicks();
  const postgresBefore = postgresCpuSeconds();
  const peakRss = servers.map((server) => memoryOf(server.pid)?.rssMb ?? 0);
  const sampler = setInterval(() => {
    servers.forEach((server, i) => {
      peakRss[i] = Math.max(peakRss[i], memoryOf(server.pid)?.rssMb ?? 0);
    });
  }, 100);
  const started = performance.now();
  try {
    const connections = Math.max(1, Math.round(config.connections / targets.length));
    const loads = await Promise.all(
      targets.map((server, i) =>
        runLoad(tool, server, scenario, durationS, `${tag}-${i}`, {
          connections,
          counter,
          offsetShift: i * 32768,
        }),
      ),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const machineAfter = machineCpuTicks();
    let postgresS = 0;
    for (const [pid, seconds] of postgresCpuSeconds()) {
      const before = postgresBefore.get(pid) ?? 0;
      if (Number.isFinite(seconds) && Number.isFinite(before)) postgresS += seconds - before;
    }
    const totalRequests = loads.reduce((sum, load) => sum + load.requests, 0);
    return {
      requests: totalRequests,
      rps: loads.reduce((sum, load) => sum + load.rps, 0),
      latencyMs: {
        // Each load process has its own histogram: the median is their request-weighted mean,
        // p99 the worse of the two.
        p50:
          loads.reduce((sum, load) => sum + load.latencyMs.p50 * load.requests, 0) / totalRequests,
        p99: Math.max(...loads.map((load) => load.latencyMs.p99)),
        max: Math.max(...loads.map((load) => load.latencyMs.max)),
      },
      errors: loads.reduce((sum, load) => sum + load.errors, 0),
      non2xx: loads.reduce((sum, load) => sum + load.non2xx, 0),
      loadProcesses: loads.map((load, i) => ({ server: targets[i].name, ...load })),
      peakRssMb: Math.max(...peakRss),
      serverCpuPct:
        (servers.reduce((sum, server, i) => sum + (cpuSecondsOf(server.pid) - cpuBefore[i]), 0) /
          elapsedS) *
        100,
      postgresCpuPct: (postgresS / elapsedS) * 100,
      machineCoresBusy:
        ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
        cpus().length,
      serversAlive: servers.every((server) => server.child.exitCode === null),
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Runs pg-signup / pg-session. Starts two catlist processes on a fresh PostgreSQL database (and
 * stops them, and drops the database, before returning).
 * @param {ReturnType<typeof pickTool>} tool
 * @param {Server} sqliteCatlist
 * @param {Server[]} servers   every server started, for cleanup
 * @param {{ pgDatabase: string | null }} state
 */
async function runScaleOut(tool, sqliteCatlist, servers, state, wanted) {
  const skip = (reason) =>
    wanted.map((scenario) => ({ ...scenario, kind: 'scale-out', skipped: reason }));
  let serverVersion;
  let settings;
  try {
    serverVersion = (await pgQuery('show server_version')).rows[0]?.server_version;
    const shown = await pgQuery(
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
  await pgQuery(`create database ${database}`);
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

  const results = [];
  for (const scenario of wanted) {
    const base = SCENARIOS.find((s) => s.id === scenario.base);
    if (!base) throw new Error(`no scenario ${scenario.base}`);
    log(`scenario ${scenario.id}: ${scenario.title}`);
    for (const server of [sqliteCatlist, pgA, pgB]) await check(server, base);
    if (config.warmupS > 0) {
      for (const id of SCALE_OUT_CONFIGS) {
        const { targets, counter } = configs[id];
        await measureSplit(tool, targets, base, config.warmupS, `${scenario.id}-${id}-w`, counter);
      }
    }
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
    const summary = Object.fromEntries(
      SCALE_OUT_CONFIGS.map((id) => {
        const mine = runs.filter((run) => run.config === id);
        return [
          id,
          {
            ...summarise(mine),
            postgresCpuPct: mean(mine.map((run) => run.postgresCpuPct)),
            machineCoresBusy: mean(mine.map((run) => run.machineCoresBusy)),
          },
        ];
      }),
    );
    const perRound = (id) =>
      runs
        .filter((run) => run.config === id)
        .map(
          (run) =>
            run.rps /
            (runs.find((other) => other.config === 'sqlite-1' && other.round === run.round)?.rps ??
              NaN),
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
  const stats = await (await fetch(`${pgA.url}/api/stats`)).json();
  for (const server of [pgA, pgB]) server.exitCode = await stopServer(server);
  await pgQuery(`drop database if exists ${database} with (force)`);
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

// ---------------------------------------------------------------------------------------------
// Admin (issue 3): pages and searches over a seeded list, and the CSV export

/**
 * A fresh copy of the seeded list in `dir/admin.db`: from the cache when a file seeded by this
 * SEED_VERSION for these migrations is there, otherwise migrated by the real server, seeded,
 * and put in the cache.
 */
async function adminDatabase(dir, servers) {
  const rows = config.adminRows;
  const target = join(dir, 'admin.db');
  const key = createHash('sha256')
    .update(readFileSync(join(ROOT, 'apps/api/dist/db/migrations.js')))
    .update(`seed ${SEED_VERSION} rows ${rows}`)
    .digest('hex')
    .slice(0, 12);
  const cached = join(config.cacheDir, `subscribers-${rows}-${key}.db`);
  if (config.seedCache && existsSync(cached)) {
    const started = performance.now();
    copyFileSync(cached, target);
    const seconds = (performance.now() - started) / 1000;
    log(`admin: ${int(rows)} rows copied from the cache (${cached}) in ${fixed(seconds, 1)} s`);
    return { path: target, source: 'cache', cached, seconds };
  }
  log(`admin: migrating a fresh file and seeding ${int(rows)} rows ...`);
  const migrate = await startServer('catlist-migrate', [API_SERVER], {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    DATABASE_URL: `sqlite:${target}`,
    LOG_LEVEL: config.logLevel,
  });
  servers.push(migrate);
  migrate.exitCode = await stopServer(migrate);
  const { seconds } = seedSubscribers(target, rows);
  log(`admin: seeded in ${fixed(seconds, 1)} s`);
  if (config.seedCache) {
    mkdirSync(config.cacheDir, { recursive: true });
    // Older seeds (other migrations or seed versions) of this size are of no further use.
    for (const file of readdirSync(config.cacheDir)) {
      if (file.startsWith(`subscribers-${rows}-`) && file !== `subscribers-${rows}-${key}.db`) {
        rmSync(join(config.cacheDir, file), { force: true });
      }
    }
    const partial = `${cached}.${process.pid}.partial`;
    copyFileSync(target, partial);
    renameSync(partial, cached);
    log(`admin: seeded file cached as ${cached}`);
  }
  return { path: target, source: 'seeded', cached: config.seedCache ? cached : null, seconds };
}

/** One GET on `agent`, timed from the request to the last byte of the response. */
function timedGet(url, { agent, cookie, onChunk }) {
  return new Promise((done, fail) => {
    const started = performance.now();
    let firstByteMs = null;
    /** @type {Buffer[]} */
    const chunks = [];
    const request = httpGet(url, { agent, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      res.on('data', (chunk) => {
        firstByteMs ??= performance.now() - started;
        if (onChunk) onChunk(chunk);
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('end', () =>
        done({
          ms: performance.now() - started,
          firstByteMs,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
        }),
      );
    });
    request.once('error', fail);
  });
}

/**
 * Sequential GETs over one kept-alive connection: a few unmeasured, then up to
 * config.adminSamples measured (fewer when they would take over ~10 s, never under 10).
 * `validate(body)` checks the first response; every response must be a 200.
 */
async function sequentialLatency(server, path, cookie, validate) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${server.url}${path}`;
  try {
    const first = await timedGet(url, { agent, cookie });
    if (first.status !== 200) {
      throw new Error(
        `${server.name} ${path}: ${first.status} ${first.body.toString().slice(0, 300)}`,
      );
    }
    const problem = validate ? validate(JSON.parse(first.body.toString('utf8'))) : null;
    if (problem) throw new Error(`${server.name} ${path}: ${problem}`);
    for (let i = 0; i < 9; i += 1) await timedGet(url, { agent, cookie });
    const times = [];
    let non200 = 0;
    let bytes = first.body.length;
    const started = performance.now();
    while (
      times.length < config.adminSamples &&
      (times.length < 10 || performance.now() - started < 10_000)
    ) {
      const response = await timedGet(url, { agent, cookie });
      times.push(response.ms);
      bytes = response.body.length;
      if (response.status !== 200) non200 += 1;
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      samples: times.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: mean(times),
      maxMs: sorted[sorted.length - 1],
      responseBytes: bytes,
      non200,
    };
  } finally {
    agent.destroy();
  }
}

/** The whole CSV export once, counting bytes and lines, with the server's RSS sampled. */
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
      headerOk: head.startsWith('email,created_at\r\n'),
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
 * @param {Server} baseline   for the floor: the same client against a constant response
 */
async function runAdmin(dir, baseline, servers, wanted) {
  const rows = config.adminRows;
  const database = await adminDatabase(dir, servers);
  const depths = [0, Math.floor(rows / 2), rows - 50];
  const positions = [...new Set(depths.flatMap((depth) => (depth > 0 ? [depth - 1, depth] : [0])))];
  const seed = describeSeed(database.path, positions);
  if (seed.rows !== rows || seed.counted !== rows) {
    throw new Error(
      `${database.path}: ${seed.rows} rows, subscriber_count ${seed.counted}, expected ${rows}` +
        (database.source === 'cache' ? ' (a bad cached file? run with --no-seed-cache)' : ''),
    );
  }
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
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  const rssAtStartMb = memoryOf(admin.pid)?.rssMb ?? null;
  const results = [];

  if (wanted.some((scenario) => scenario.id === 'admin-page')) {
    log(`scenario admin-page: ${int(rows)} rows, ${config.adminSamples} sequential requests each`);
    const cursorFor = (depth) => {
      const row = seed.rowsAt[depth - 1];
      return Buffer.from(JSON.stringify([row.createdAt, row.email]), 'utf8').toString('base64url');
    };
    /** Checks a page: its size, its first row, its total, and whether it says there is more. */
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
        if (contains && !body.items.every((item) => item.email.includes(contains))) {
          return `an item without ${contains}`;
        }
        return null;
      };
    const measurements = [
      ...depths.map((depth) => ({
        name: `page at depth ${int(depth)}`,
        kind: 'page',
        depth,
        path: `/api/admin/subscribers?limit=50${depth > 0 ? `&cursor=${cursorFor(depth)}` : ''}`,
        validate: pageCheck({
          firstEmail: seed.rowsAt[depth].email,
          size: Math.min(50, rows - depth),
          total: rows,
          more: depth + 50 < rows,
        }),
        tiesAtCursor: depth > 0 ? seed.rowsAt[depth - 1].ties : null,
      })),
      ...[
        [`rare term "${RARE_TERM}"`, RARE_TERM],
        [`common term "${COMMON_TERM}"`, COMMON_TERM],
      ].map(([label, term]) => ({
        name: `search, ${label} (${int(seed.matches[term])} matches)`,
        kind: 'search',
        q: term,
        matches: seed.matches[term],
        path: `/api/admin/subscribers?limit=50&q=${term}`,
        validate: pageCheck({
          size: Math.min(50, seed.matches[term]),
          total: seed.matches[term],
          more: seed.matches[term] > 50,
          contains: term,
        }),
      })),
    ];
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
    const measured = [];
    for (const item of [...measurements, ...references]) {
      const server = item.server ?? admin;
      const result = await sequentialLatency(
        server,
        item.path,
        server === admin ? cookie : undefined,
        item.validate,
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
      title: ADMIN_SCENARIOS[0].title,
      rows,
      measurements: measured,
      goal: `median < ${ADMIN_GOALS.pageP50Ms} ms for every page and search`,
      goalMet: measured.every((m) => m.goalMet !== false && m.non200 === 0),
    });
  }

  if (wanted.some((scenario) => scenario.id === 'admin-csv')) {
    log(`scenario admin-csv: ${int(rows)} rows, ${config.rounds} exports one after the other`);
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
      title: ADMIN_SCENARIOS[1].title,
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

// ---------------------------------------------------------------------------------------------
// Reporting

function summarise(runs) {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50Ms: mean(runs.map((r) => r.latencyMs.p50)),
    p99Ms: Math.max(...runs.map((r) => r.latencyMs.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    serverCpuPct: mean(runs.map((r) => r.serverCpuPct)),
  };
}

const fixed = (value, digits) => (value == null ? 'n/a' : value.toFixed(digits));
const int = (value) => Math.round(value).toLocaleString('en-US');

function scenarioTable(result) {
  const lines = [
    `### ${result.title}`,
    '',
    '| server | run | req/s | p50 ms | p99 ms | errors | non-2xx | peak RSS MiB | server CPU % |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of result.runs) {
    lines.push(
      `| ${run.server} | ${run.round} | ${int(run.rps)} | ${fixed(run.latencyMs.p50, 2)} | ` +
        `${fixed(run.latencyMs.p99, 2)} | ${run.errors} | ${run.non2xx} | ` +
        `${fixed(run.peakRssMb, 0)} | ${fixed(run.serverCpuPct, 0)} |`,
    );
  }
  for (const name of ['catlist', 'baseline']) {
    const s = result.summary[name];
    lines.push(
      `| **${name}** | all | **${int(s.rps)}** | ${fixed(s.p50Ms, 2)} | ${fixed(s.p99Ms, 2)} | ` +
        `${s.errors} | ${s.non2xx} | ${fixed(s.peakRssMb, 0)} | ${fixed(s.serverCpuPct, 0)} |`,
    );
  }
  const perRound = result.ratioPerRound.map((r) => r.toFixed(2)).join(', ');
  let verdict = '';
  if (result.target) {
    const s = result.summary.catlist;
    const ok =
      result.ratio >= result.target.ratio &&
      s.p99Ms < result.target.p99Ms &&
      s.errors === 0 &&
      s.non2xx === 0;
    verdict =
      ` (target ≥ ${result.target.ratio}×, p99 < ${result.target.p99Ms} ms, no errors: ` +
      `${ok ? 'met' : 'NOT met'})`;
  }
  lines.push(
    '',
    `**catlist / baseline: ${result.ratio.toFixed(2)}×** (per round: ${perRound})${verdict}`,
  );
  if (result.note) lines.push('', result.note);
  return lines.join('\n');
}

function summaryTable(results) {
  const lines = [
    '| scenario | catlist req/s | baseline req/s | ratio | target | catlist p50 / p99 ms | errors + non-2xx | catlist peak RSS MiB | baseline peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    if (result.skipped) {
      lines.push(`| ${result.id} | not run: ${result.skipped} | | | | | | | |`);
      continue;
    }
    const c = result.summary.catlist;
    const b = result.summary.baseline;
    lines.push(
      `| ${result.id} | ${int(c.rps)} | ${int(b.rps)} | **${result.ratio.toFixed(2)}×** | ` +
        `${result.target ? `≥ ${result.target.ratio}×` : '–'} | ` +
        `${fixed(c.p50Ms, 2)} / ${fixed(c.p99Ms, 2)} | ${c.errors + c.non2xx} | ` +
        `${fixed(c.peakRssMb, 0)} | ${fixed(b.peakRssMb, 0)} |`,
    );
  }
  return lines.join('\n');
}

const CONFIG_LABELS = {
  'sqlite-1': 'SQLite, 1 process',
  'pg-1': 'PostgreSQL, 1 process',
  'pg-2': 'PostgreSQL, 2 processes',
};

function scaleOutSummaryTable(results, baselineRps) {
  const lines = [
    '| scenario | SQLite ×1 req/s | PG ×1 req/s | PG ×2 req/s | PG ×1 / SQLite | PG ×2 / SQLite | PG ×2 / PG ×1 | PG ×2 / baseline | p50 / p99 ms (SQLite, PG ×1, PG ×2) | errors + non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    if (result.skipped) {
      lines.push(`| ${result.id} | not run: ${result.skipped} | | | | | | | | |`);
      continue;
    }
    const s = result.summary;
    const baseline = baselineRps[result.base];
    lines.push(
      `| ${result.id} | ${int(s['sqlite-1'].rps)} | ${int(s['pg-1'].rps)} | ${int(s['pg-2'].rps)} | ` +
        `${result.vsSqlite['pg-1'].toFixed(2)}× | **${result.vsSqlite['pg-2'].toFixed(2)}×** | ` +
        `${result.twoOverOne.toFixed(2)}× | ` +
        `${baseline ? `${(s['pg-2'].rps / baseline).toFixed(2)}×` : '–'} | ` +
        SCALE_OUT_CONFIGS.map((id) => `${fixed(s[id].p50Ms, 1)} / ${fixed(s[id].p99Ms, 1)}`).join(
          ', ',
        ) +
        ` | ${SCALE_OUT_CONFIGS.reduce((sum, id) => sum + s[id].errors + s[id].non2xx, 0)} |`,
    );
  }
  return lines.join('\n');
}

function scaleOutTable(result) {
  const lines = [
    `### ${result.title}`,
    '',
    '| configuration | run | req/s | × SQLite | p50 ms | p99 ms | errors | non-2xx | catlist CPU % (sum) | postgres CPU % | cores busy (of 2) | peak RSS MiB (per process) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of result.runs) {
    const sqlite = result.runs.find((r) => r.config === 'sqlite-1' && r.round === run.round);
    lines.push(
      `| ${CONFIG_LABELS[run.config]} | ${run.round} | ${int(run.rps)} | ` +
        `${sqlite ? (run.rps / sqlite.rps).toFixed(2) : 'n/a'} | ${fixed(run.latencyMs.p50, 2)} | ` +
        `${fixed(run.latencyMs.p99, 2)} | ${run.errors} | ${run.non2xx} | ${fixed(run.serverCpuPct, 0)} | ` +
        `${fixed(run.postgresCpuPct, 0)} | ${fixed(run.machineCoresBusy, 2)} | ${fixed(run.peakRssMb, 0)} |`,
    );
  }
  for (const id of SCALE_OUT_CONFIGS) {
    const s = result.summary[id];
    lines.push(
      `| **${CONFIG_LABELS[id]}** | all | **${int(s.rps)}** | ` +
        `${(s.rps / result.summary['sqlite-1'].rps).toFixed(2)} | ${fixed(s.p50Ms, 2)} | ` +
        `${fixed(s.p99Ms, 2)} | ${s.errors} | ${s.non2xx} | ${fixed(s.serverCpuPct, 0)} | ` +
        `${fixed(s.postgresCpuPct, 0)} | ${fixed(s.machineCoresBusy, 2)} | ${fixed(s.peakRssMb, 0)} |`,
    );
  }
  const perRound = (id) => result.vsSqlitePerRound[id].map((r) => r.toFixed(2)).join(', ');
  lines.push(
    '',
    `PostgreSQL ×2 / SQLite ×1: **${result.vsSqlite['pg-2'].toFixed(2)}×** (per round: ${perRound('pg-2')}); ` +
      `PostgreSQL ×1 / SQLite ×1: ${result.vsSqlite['pg-1'].toFixed(2)}× (per round: ${perRound('pg-1')}); ` +
      `two processes / one on PostgreSQL: ${result.twoOverOne.toFixed(2)}×.`,
  );
  return lines.join('\n');
}

function adminPageTable(result) {
  const lines = [
    `### ${result.title}`,
    '',
    `${int(result.rows)} rows. Client-side time on loopback: one kept-alive connection, requests ` +
      `one after the other, from sending the request to the last byte of the response (so it ` +
      `includes the HTTP round trip: see the floor row). Goal (issue 3): ${result.goal}.`,
    '',
    '| request | requests | p50 ms | p99 ms | mean ms | max ms | response bytes | goal |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const m of result.measurements) {
    const goal = m.goalMet === null ? '–' : m.goalMet ? 'met' : '**NOT met**';
    const ties =
      m.tiesAtCursor > 1 ? ` (cursor inside ${int(m.tiesAtCursor)} equal timestamps)` : '';
    lines.push(
      `| ${m.name}${ties} | ${m.samples}${m.non200 ? ` (${m.non200} not 200)` : ''} | ` +
        `**${fixed(m.p50Ms, 2)}** | ${fixed(m.p99Ms, 2)} | ${fixed(m.meanMs, 2)} | ` +
        `${fixed(m.maxMs, 2)} | ${int(m.responseBytes)} | ${goal} |`,
    );
  }
  return lines.join('\n');
}

function adminCsvTable(result) {
  const lines = [
    `### ${result.title}`,
    '',
    `${int(result.rows)} rows, one export at a time, read as fast as the client can. Goal (issue 3): ` +
      `${result.goal}, measured as the server's peak RSS (sampled every 20 ms) minus its RSS ` +
      'just before the request.',
    '',
    '| run | status | total s | first byte ms | MB | lines | MB/s | RSS before MiB | peak RSS MiB | growth MiB | server CPU % |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of result.runs) {
    lines.push(
      `| ${run.round} | ${run.status} | **${fixed(run.seconds, 2)}** | ${fixed(run.firstByteMs, 1)} | ` +
        `${fixed(run.bytes / 1e6, 1)} | ${int(run.lines)} | ${fixed(run.mbPerS, 1)} | ` +
        `${fixed(run.rssBeforeMb, 0)} | ${fixed(run.peakRssMb, 0)} | **${fixed(run.rssGrowthMb, 1)}** | ` +
        `${fixed(run.serverCpuPct, 0)} |`,
    );
  }
  lines.push(
    '',
    `Goal ${result.goalMet ? 'met' : '**NOT met**'} (every run 200, ${int(result.rows + 1)} lines with the header, growth under the limit).`,
  );
  return lines.join('\n');
}

function adminSummaryTable(results) {
  const lines = ['| scenario | measurement | p50 ms | p99 ms | goal |', '|---|---|---:|---:|---|'];
  for (const result of results) {
    if (result.skipped) {
      lines.push(`| ${result.id} | not run: ${result.skipped} | | | |`);
    } else if (result.kind === 'admin-page') {
      for (const m of result.measurements.filter((m) => m.kind !== 'reference')) {
        lines.push(
          `| ${result.id} | ${m.name} | ${fixed(m.p50Ms, 2)} | ${fixed(m.p99Ms, 2)} | ` +
            `${m.goalMet ? 'met' : '**NOT met**'} (< ${ADMIN_GOALS.pageP50Ms} ms) |`,
        );
      }
      const floor = result.measurements.find((m) => m.name.startsWith('floor'));
      if (floor) {
        lines.push(
          `| ${result.id} | ${floor.name} | ${fixed(floor.p50Ms, 2)} | ${fixed(floor.p99Ms, 2)} | – |`,
        );
      }
    } else if (result.kind === 'admin-csv') {
      const worst = Math.max(...result.runs.map((run) => run.rssGrowthMb));
      const times = result.runs.map((run) => fixed(run.seconds, 2)).join(' / ');
      lines.push(
        `| ${result.id} | export of ${int(result.rows)} rows: ${times} s; RSS growth up to ` +
          `${fixed(worst, 1)} MiB | | | ${result.goalMet ? 'met' : '**NOT met**'} (${result.goal}) |`,
      );
    }
  }
  return lines.join('\n');
}

/** Sizes of the built web client (apps/web/dist), raw and gzip -9; null when it is not built. */
function webClientSizes() {
  const dist = join(ROOT, 'apps/web/dist');
  const assets = join(dist, 'assets');
  if (!existsSync(assets)) return null;
  const files = readdirSync(assets)
    .filter((file) => file.endsWith('.js') || file.endsWith('.css'))
    .map((file) => {
      const bytes = readFileSync(join(assets, file));
      return {
        file: `assets/${file}`,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    });
  const total = (ext) =>
    files
      .filter((f) => f.file.endsWith(ext))
      .reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const sources = newestMtime([join(ROOT, 'apps/web/src'), join(ROOT, 'apps/web/index.html')]);
  return {
    dist: relative(ROOT, dist),
    builtAt: new Date(newestOutput(dist)).toISOString(),
    stale: sources > newestOutput(dist),
    files,
    js: total('.js'),
    css: total('.css'),
  };
}

function webTable(web) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = ['| file | raw | gzip -9 |', '|---|---:|---:|'];
  for (const f of web.files) lines.push(`| ${f.file} | ${kib(f.raw)} | ${kib(f.gzip)} |`);
  lines.push(`| **all JS** | **${kib(web.js.raw)}** | **${kib(web.js.gzip)}** |`);
  lines.push(`| **all CSS** | **${kib(web.css.raw)}** | **${kib(web.css.gzip)}** |`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const startedAt = new Date();
  const tool = pickTool();
  buildIfNeeded();

  const tmp = mkdtempSync(join(config.dataDir, 'catlist-bench-'));
  /** @type {Server[]} */
  const servers = [];
  /** @type {{ pgDatabase: string | null }} */
  const state = { pgDatabase: null };
  const cleanup = async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    if (state.pgDatabase) {
      const database = state.pgDatabase;
      state.pgDatabase = null;
      await pgQuery(`drop database if exists ${database} with (force)`).catch((error) =>
        log(`could not drop the bench database ${database}: ${error.message}`),
      );
    }
  };
  process.once('SIGINT', () => {
    cleanup().finally(() => process.exit(130));
  });

  try {
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
    const baseline = await startServer('baseline', [join(BENCH_DIR, 'baseline-server.mjs')], {});
    servers.push(baseline);
    catlist.cookie = await visitorCookie(catlist);
    // The baseline ignores it, but gets the same request bytes to parse.
    baseline.cookie = catlist.cookie;

    const machine = {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadavgAtStart: loadavg().map((l) => round(l, 2)),
      databaseFilesystem: config.memoryDb ? 'memory' : filesystemOf(tmp),
    };
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

    const results = [];
    for (const scenario of SCENARIOS.filter((s) => config.scenarios.includes(s.id))) {
      log(`scenario ${scenario.id}: ${scenario.title}`);
      for (const server of [catlist, baseline]) await check(server, scenario);
      if (config.warmupS > 0) {
        for (const server of [catlist, baseline]) {
          await runLoad(tool, server, scenario, config.warmupS, `${scenario.id}-warm`);
        }
      }
      const runs = [];
      for (let r = 1; r <= config.rounds; r += 1) {
        for (const server of [catlist, baseline]) {
          const run = await measure(
            tool,
            server,
            scenario,
            config.durationS,
            `${scenario.id}-${r}`,
          );
          runs.push({ server: server.name, round: r, ...run });
          log(
            `  ${server.name.padEnd(8)} round ${r}: ${int(run.rps)} req/s, ` +
              `p50 ${fixed(run.latencyMs.p50, 2)} ms, p99 ${fixed(run.latencyMs.p99, 2)} ms, ` +
              `errors ${run.errors}, non-2xx ${run.non2xx}, peak RSS ${fixed(run.peakRssMb, 0)} MiB, ` +
              `CPU ${fixed(run.serverCpuPct, 0)} %`,
          );
          if (!run.serverAlive) throw new Error(`${server.name} died during ${scenario.id}`);
        }
      }
      const byServer = (name) => runs.filter((run) => run.server === name);
      const summary = {
        catlist: summarise(byServer('catlist')),
        baseline: summarise(byServer('baseline')),
      };
      const ratioPerRound = byServer('catlist').map(
        (run, i) => run.rps / byServer('baseline')[i].rps,
      );
      let note = null;
      if (scenario.id === 'stats' || scenario.id === 'signup') {
        const stats = await (await fetch(`${catlist.url}/api/stats`)).json();
        note = `catlist list size after this scenario: ${int(stats.subscribers)} addresses.`;
      }
      results.push({
        id: scenario.id,
        title: scenario.title,
        target: scenario.target ?? null,
        runs,
        summary,
        ratio: summary.catlist.rps / summary.baseline.rps,
        ratioPerRound,
        note,
      });
    }

    const scaleOutWanted = SCALE_OUT_SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    if (scaleOutWanted.length > 0) {
      if (config.memoryDb) {
        log('notice: --memory-db: the PostgreSQL scenarios compare against an in-memory SQLite');
      }
      results.push(...(await runScaleOut(tool, catlist, servers, state, scaleOutWanted)));
    }
    const adminWanted = ADMIN_SCENARIOS.filter((s) => config.scenarios.includes(s.id));
    if (adminWanted.length > 0) {
      results.push(...(await runAdmin(tmp, baseline, servers, adminWanted)));
    }

    const memory = Object.fromEntries(servers.map((server) => [server.name, memoryOf(server.pid)]));
    for (const server of servers) server.exitCode = await stopServer(server);
    const exitCodes = Object.fromEntries(servers.map((server) => [server.name, server.exitCode]));
    const hwm = (server) => server.finalMemory?.hwmMb ?? memory[server.name]?.hwmMb;
    const web = webClientSizes();

    // ---- report
    const throughput = results.filter((r) => !r.kind && !r.skipped);
    const scaleOut = results.filter((r) => SCALE_OUT_SCENARIOS.some((s) => s.id === r.id));
    const admin = results.filter((r) => ADMIN_SCENARIOS.some((s) => s.id === r.id));
    const baselineRps = Object.fromEntries(
      throughput.map((result) => [result.id, result.summary.baseline.rps]),
    );
    const catlistServers = servers.filter((server) => server.name !== 'baseline');
    const output = [
      '',
      `## catlist vs node:http baseline — ${startedAt.toISOString()}`,
      '',
      `Command: \`node bench/run.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\`. ` +
        `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}, ` +
        `load average ${machine.loadavgAtStart.join(' / ')} at start, ` +
        `${loadavg()
          .map((l) => l.toFixed(2))
          .join(' / ')} at end.`,
      `Load: ${tool.name} ${tool.version}, ${config.connections} connections, ` +
        `${config.warmupS} s warm-up per server and scenario, then ${config.rounds} × ` +
        `${config.durationS} s per server, alternating catlist / baseline. catlist: NODE_ENV=production, ` +
        `LOG_LEVEL=${config.logLevel}, TRUST_PROXY=1, ` +
        (config.memoryDb
          ? '**SQLite in memory (sqlite::memory:): NOT durable, a what-if figure only**.'
          : `fresh SQLite file (WAL, log fdatasynced before each write is answered) on ${machine.databaseFilesystem}.`) +
        (config.cpuProfDir ? ' catlist ran under --cpu-prof (slower than usual).' : ''),
      '',
      ...(throughput.length > 0 ? [summaryTable(throughput), ''] : []),
      ...throughput.flatMap((result) => [scenarioTable(result), '']),
      ...(scaleOut.length > 0
        ? [
            '## PostgreSQL and two processes (issue 4)',
            '',
            ...(scaleOut[0]?.postgres
              ? [
                  `PostgreSQL ${scaleOut[0].postgres.version} on ${new URL(config.pgUrl).host} ` +
                    `(fsync=${scaleOut[0].postgres.settings.fsync}, ` +
                    `synchronous_commit=${scaleOut[0].postgres.settings.synchronous_commit}, ` +
                    `shared_buffers=${scaleOut[0].postgres.settings.shared_buffers} × 8 kB), a fresh ` +
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
          ]
        : []),
      ...(admin.length > 0
        ? [
            `## Admin: ${int(config.adminRows)} rows (issue 3)`,
            '',
            ...(admin[0]?.seed
              ? [
                  `A catlist of its own (same settings, ADMIN_PASSWORD set) on a fresh copy of a ` +
                    `seeded SQLite file (seed v${admin[0].seed.version}, ` +
                    `${admin[0].seed.source === 'cache' ? 'copied from the cache' : `seeded in ${fixed(admin[0].seed.seconds, 1)} s`}; ` +
                    `${int(admin[0].seed.distinctTimestamps)} distinct timestamps, so most pages ` +
                    'lean on the email tie-break), logged in through POST /api/admin/login.',
                  '',
                ]
              : []),
            adminSummaryTable(admin),
            '',
            ...admin
              .filter((r) => !r.skipped)
              .flatMap((result) => [
                result.kind === 'admin-page' ? adminPageTable(result) : adminCsvTable(result),
                '',
              ]),
          ]
        : []),
      '## Servers',
      '',
      ...servers.map(
        (server) =>
          `- ${server.name}: peak RSS (VmHWM) ${fixed(hwm(server), 0)} MiB, ` +
          `${server.logs.errors} error and ${server.logs.warnings} warning log lines, ` +
          `exit code after SIGTERM ${server.exitCode}.`,
      ),
      ...catlistServers.flatMap((server) =>
        server.logs.samples.map((sample) => `    ${server.name}: ${sample}`),
      ),
      '',
      '### Web client (apps/web/dist)',
      '',
      web
        ? `${webTable(web)}${web.stale ? '\n\nNote: apps/web sources are newer than this build; run pnpm build for current sizes.' : ''}`
        : 'Not built (apps/web/dist/assets is missing): run `pnpm build` to include the sizes.',
      '',
    ].join('\n');
    console.log(output);

    mkdirSync(dirname(config.out), { recursive: true });
    writeFileSync(
      config.out,
      `${JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          machine: { ...machine, loadavgAtEnd: loadavg().map((l) => round(l, 2)) },
          tool,
          config: { ...config, pgUrl: safeUrl(config.pgUrl) },
          results,
          serverMemoryAtEnd: Object.fromEntries(
            servers.map((server) => [server.name, server.finalMemory ?? memory[server.name]]),
          ),
          serverLogs: Object.fromEntries(servers.map((server) => [server.name, server.logs])),
          exitCodes,
          web,
        },
        null,
        2,
      )}\n`,
    );
    log(`results written to ${relative(process.cwd(), config.out) || config.out}`);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
