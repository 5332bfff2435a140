// @ts-check
// The bench's options: flags and environment variables (flags win), checked, with the
// `--scenarios` list expanded to scenario ids. A bad value is an OptionError, which run.mjs
// prints as one `[bench] ...` line before exiting with 1.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GROUPS } from '../scenarios/definitions.mjs';
import { BENCH_DIR } from './paths.mjs';

/** A bad flag or environment variable: the message says which and why. */
export class OptionError extends Error {}

/**
 * @typedef {{ durationS: number, warmupS: number, connections: number, rounds: number,
 *   tool: 'auto' | 'wrk' | 'autocannon', scenarios: string[], out: string,
 *   cpuProfDir: string | null, build: '0' | '1' | 'auto', memoryDb: boolean, dataDir: string,
 *   pgUrl: string, adminRows: number, adminSamples: number, cacheDir: string,
 *   seedCache: boolean, logLevel: string }} Config
 */

/** Flags that take a value, and the boolean ones (present or not). */
const VALUE_FLAGS = [
  'duration',
  'warmup',
  'connections',
  'rounds',
  'tool',
  'scenarios',
  'out',
  'cpu-prof',
  'build',
  'data-dir',
  'pg-url',
  'admin-rows',
  'admin-samples',
  'cache-dir',
];
const BOOLEAN_FLAGS = ['quick', 'no-build', 'memory-db', 'no-seed-cache'];

/**
 * `--name=value` and `--name` (as 'true') arguments as a map; anything else is an error.
 * @param {string[]} args
 */
function parseFlags(args) {
  /** @type {Map<string, string>} */
  const flags = new Map();
  for (const arg of args) {
    if (arg === '--') continue; // what `pnpm bench -- --quick` may pass on
    if (!arg.startsWith('--')) throw new OptionError(`unexpected argument ${arg}`);
    const [key = '', ...value] = arg.slice(2).split('=');
    if (!VALUE_FLAGS.includes(key) && !BOOLEAN_FLAGS.includes(key)) {
      throw new OptionError(
        `unknown option --${key} (known: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((f) => `--${f}`).join(', ')})`,
      );
    }
    flags.set(key, value.length > 0 ? value.join('=') : 'true');
  }
  return flags;
}

/**
 * A number within bounds, or an OptionError naming the flag and the environment variable.
 * @param {string} value
 * @param {string} name   the flag, without its dashes
 * @param {string} envName
 * @param {{ min: number, integer: boolean }} rule
 */
function number(value, name, envName, { min, integer }) {
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  const ok = Number.isFinite(parsed) && parsed >= min && (!integer || Number.isInteger(parsed));
  if (!ok) {
    const wanted = integer
      ? min > 0
        ? 'a whole number of at least 1'
        : 'a whole number of at least 0'
      : `a number of at least ${min}`;
    throw new OptionError(`--${name} / ${envName}: ${JSON.stringify(value)} is not ${wanted}`);
  }
  return parsed;
}

/**
 * `--scenarios` as a list of scenario ids, groups expanded, in the order given; unknown ids are
 * an OptionError.
 * @param {string} list
 * @returns {string[]}
 */
export function expandScenarios(list) {
  const all = GROUPS.all ?? [];
  const ids = list
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .flatMap((id) => GROUPS[id] ?? [id]);
  const unknown = ids.filter((id) => !all.includes(id));
  if (unknown.length > 0) {
    throw new OptionError(
      `--scenarios: unknown ${unknown.join(', ')} (known: ${all.join(', ')}, pg, admin, all)`,
    );
  }
  if (ids.length === 0) throw new OptionError('--scenarios: no scenario named');
  return [...new Set(ids)];
}

/**
 * The configuration from the command line and the environment.
 * @param {string[]} args   process.argv without node and the script
 * @param {NodeJS.ProcessEnv} env
 * @returns {Config}
 */
export function parseOptions(args, env) {
  const flags = parseFlags(args);
  const quick = flags.has('quick');
  /**
   * @param {string} flag
   * @param {string} envName
   * @param {string} fallback
   */
  const option = (flag, envName, fallback) =>
    flags.get(flag) ?? (env[envName] || undefined) ?? fallback;
  /**
   * @param {string} flag
   * @param {string} envName
   * @param {string} fallback
   * @param {{ min: number, integer: boolean }} rule
   */
  const numeric = (flag, envName, fallback, rule) =>
    number(option(flag, envName, fallback), flag, envName, rule);
  const whole = { min: 1, integer: true };

  const tool = option('tool', 'BENCH_TOOL', 'auto');
  if (tool !== 'auto' && tool !== 'wrk' && tool !== 'autocannon') {
    throw new OptionError(
      `--tool / BENCH_TOOL: unknown load generator ${tool} (auto, wrk, autocannon)`,
    );
  }
  let build = flags.has('no-build') ? '0' : option('build', 'BENCH_BUILD', 'auto');
  if (build === 'true') build = '1'; // a bare --build
  if (build !== '0' && build !== '1' && build !== 'auto') {
    throw new OptionError(`--build / BENCH_BUILD: ${build} is not 0, 1 or auto`);
  }
  return {
    durationS: numeric('duration', 'BENCH_DURATION', quick ? '3' : '10', whole),
    warmupS: numeric('warmup', 'BENCH_WARMUP', quick ? '1' : '3', { min: 0, integer: true }),
    connections: numeric('connections', 'BENCH_CONNECTIONS', '50', whole),
    rounds: numeric('rounds', 'BENCH_ROUNDS', '2', whole),
    tool,
    scenarios: expandScenarios(option('scenarios', 'BENCH_SCENARIOS', 'all')),
    out: resolve(option('out', 'BENCH_OUT', join(BENCH_DIR, 'results/latest.json'))),
    cpuProfDir: option('cpu-prof', 'BENCH_CPU_PROF', '') || null,
    build,
    memoryDb: flags.has('memory-db') || env.BENCH_MEMORY_DB === '1',
    dataDir: resolve(option('data-dir', 'BENCH_DATA_DIR', tmpdir())),
    pgUrl: option('pg-url', 'BENCH_PG_URL', 'postgres://postgres@127.0.0.1:5432/test'),
    adminRows: numeric('admin-rows', 'BENCH_ADMIN_ROWS', '1000000', whole),
    adminSamples: numeric('admin-samples', 'BENCH_ADMIN_SAMPLES', quick ? '50' : '200', whole),
    cacheDir: resolve(
      option('cache-dir', 'BENCH_CACHE_DIR', join(tmpdir(), 'catlist-bench-cache')),
    ),
    seedCache: !flags.has('no-seed-cache') && env.BENCH_SEED_CACHE !== '0',
    logLevel: 'warn',
  };
}
