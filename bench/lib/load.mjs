// @ts-check
// Load: wrk (or autocannon, in a process of its own through load-autocannon.mjs) against one
// server for a fixed time, and the measured run around it: the server's RSS sampled every
// 100 ms, its CPU time, its complaints; or two load processes at once for the scale-out group.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR } from './paths.mjs';
import { cpuSecondsOf, machineCpuTicks, memoryOf, postgresCpuSeconds } from './process-stats.mjs';

/** @typedef {{ name: 'wrk' | 'autocannon', version: string | null }} Tool */

/**
 * `withoutCookie`: signup-returning only, requests that had no earlier signup's cookie to carry
 * (a non-2xx answer sets none); `tool`: the load generator, when not the one asked for.
 * @typedef {{ requests: number, rps: number,
 *   latencyMs: { p50: number, p90: number, p99: number, max: number, mean: number },
 *   errors: number, timeouts: number, non2xx: number,
 *   statusCodes: Record<string, number> | null, withoutCookie?: number,
 *   tool?: string }} LoadResult
 */

/**
 * @typedef {LoadResult & { rssStartMb: number | null, rssEndMb: number | null,
 *   peakRssMb: number, serverCpuPct: number, serverErrorsLogged: number,
 *   serverAlive: boolean }} Measured
 */

/**
 * @typedef {{ requests: number, rps: number,
 *   latencyMs: { p50: number, p99: number, max: number }, errors: number, non2xx: number,
 *   loadProcesses: (LoadResult & { server: string })[], peakRssMb: number,
 *   serverCpuPct: number, postgresCpuPct: number, machineCoresBusy: number,
 *   serversAlive: boolean }} SplitMeasured
 */

/** Whatever carries a signup address rotation on: a server, or a database shared by several. */
/** @typedef {{ signupsSent: number }} SignupCounter */

/**
 * The load generator: wrk when installed (or asked for), otherwise autocannon.
 * @param {'auto' | 'wrk' | 'autocannon'} wanted
 * @returns {Tool}
 */
export function pickTool(wanted) {
  const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  const wrkVersion = wrk.error
    ? null
    : (/wrk\s+(\S+)/.exec(`${wrk.stdout}${wrk.stderr}`)?.[1] ?? null);
  if (wanted === 'wrk' || (wanted === 'auto' && wrkVersion)) {
    if (!wrkVersion) throw new Error('--tool=wrk: wrk is not installed (apt-get install wrk)');
    return { name: 'wrk', version: wrkVersion };
  }
  try {
    const manifest = join(
      dirname(fileURLToPath(import.meta.resolve('autocannon'))),
      'package.json',
    );
    return { name: 'autocannon', version: JSON.parse(readFileSync(manifest, 'utf8')).version };
  } catch {
    throw new Error(
      'neither wrk nor autocannon is available: install one (see docs/benchmarks.md)',
    );
  }
}

/** @type {Tool | null} autocannon, for a scenario wrk cannot run (found when first needed) */
let autocannonTool = null;

/**
 * Runs the load generator once, in its own process, and returns what it measured.
 * `counter` carries on the signup address rotation (one per database: servers sharing a database
 * share its rate-limit counters); `offsetShift` keeps concurrent load processes apart.
 * @param {Tool} tool
 * @param {import('./servers.mjs').Server} server
 * @param {import('../scenarios/definitions.mjs').Scenario} scenario
 * @param {number} durationS
 * @param {string} tag
 * @param {{ connections: number, counter?: SignupCounter, offsetShift?: number }} options
 * @returns {Promise<LoadResult>}
 */
export function runLoad(
  tool,
  server,
  scenario,
  durationS,
  tag,
  { connections, counter = server, offsetShift = 0 },
) {
  const offset = counter.signupsSent + offsetShift;
  // wrk's Lua sees one Set-Cookie header per response (the last), and catlist sets two (sid and
  // sid.sig): a returning visitor's signup always runs on autocannon, for every server alike.
  if (scenario.mode === 'signup-returning' && tool.name !== 'autocannon') {
    autocannonTool ??= pickTool('autocannon');
  }
  const used = scenario.mode === 'signup-returning' ? (autocannonTool ?? tool) : tool;
  /** @type {string} */
  let command;
  /** @type {string[]} */
  let args;
  if (used.name === 'wrk') {
    const [script, ...scriptArgs] =
      scenario.mode === 'signup'
        ? ['wrk-signup.lua', tag, String(offset)]
        : ['wrk-get.lua', scenario.path, scenario.cookie ? (server.cookie ?? '') : ''];
    command = 'wrk';
    args = [
      '-t1',
      `-c${connections}`,
      `-d${durationS}s`,
      '--timeout',
      '5s',
      '-s',
      join(BENCH_DIR, script ?? ''),
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
        // signup-returning: sent only by a server that sets no cookie of its own (the
        // baseline and bare-koa get catlist's visitor cookie, so the same request bytes).
        cookie: scenario.cookie || scenario.mode === 'signup-returning' ? server.cookie : undefined,
        tag,
        offset,
      }),
    ];
  }
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    /** @param {string} chunk */
    const collect = (chunk) => {
      output += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
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
      /** @type {LoadResult} */
      const result =
        used.name === 'wrk'
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
      // Requests in flight at the end are not counted; signup-returning also signs up one
      // visitor per connection before the load, for their cookies.
      if (scenario.mode === 'signup') counter.signupsSent += result.requests + connections;
      if (scenario.mode === 'signup-returning') {
        counter.signupsSent += result.requests + 2 * connections;
      }
      done(result);
    });
  });
}

/**
 * One measured (or warm-up) run: load from its own process, server memory and CPU sampled.
 * @param {Tool} tool
 * @param {import('./servers.mjs').Server} server
 * @param {import('../scenarios/definitions.mjs').Scenario} scenario
 * @param {number} durationS
 * @param {string} tag
 * @param {number} connections
 * @returns {Promise<Measured>}
 */
export async function measure(tool, server, scenario, durationS, tag, connections) {
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
    const result = await runLoad(tool, server, scenario, durationS, tag, { connections });
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

/**
 * One measured run of a configuration: two load processes with half the connections each, at
 * `targets` (the same server twice, or one each), at the same time. Every server's RSS and CPU is
 * sampled, with the whole machine's CPU and the postgres processes' CPU.
 * @param {Tool} tool
 * @param {import('./servers.mjs').Server[]} targets
 * @param {import('../scenarios/definitions.mjs').Scenario} scenario
 * @param {number} durationS
 * @param {string} tag
 * @param {SignupCounter} counter
 * @param {number} totalConnections   shared out between the load processes
 * @returns {Promise<SplitMeasured>}
 */
export async function measureSplit(
  tool,
  targets,
  scenario,
  durationS,
  tag,
  counter,
  totalConnections,
) {
  const servers = [...new Set(targets)];
  const cpuBefore = servers.map((server) => cpuSecondsOf(server.pid));
  const machineBefore = machineCpuTicks();
  const postgresBefore = postgresCpuSeconds();
  const peakRss = servers.map((server) => memoryOf(server.pid)?.rssMb ?? 0);
  const sampler = setInterval(() => {
    servers.forEach((server, i) => {
      peakRss[i] = Math.max(peakRss[i] ?? 0, memoryOf(server.pid)?.rssMb ?? 0);
    });
  }, 100);
  const started = performance.now();
  try {
    const connections = Math.max(1, Math.round(totalConnections / targets.length));
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
      loadProcesses: loads.map((load, i) => ({ server: targets[i]?.name ?? '', ...load })),
      peakRssMb: Math.max(...peakRss),
      serverCpuPct:
        (servers.reduce(
          (sum, server, i) => sum + (cpuSecondsOf(server.pid) - (cpuBefore[i] ?? 0)),
          0,
        ) /
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
