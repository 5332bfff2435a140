// @ts-check
// The bench's options: flags (node:util parseArgs, strict) and environment variables, flags
// winning; checked, with the `--scenarios` list expanded to scenario ids. One table, OPTIONS,
// says what each is, and `--help` is printed from it. A bad flag or value is an OptionError,
// which run.mjs prints as one `[bench] ...` line before exiting with 1.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GROUPS } from '../scenarios/definitions.mjs';
import { BENCH_DIR } from './paths.mjs';

/** A bad flag or environment variable: the message says which and why. */
export class OptionError extends Error {}

/**
 * @typedef {{ durationS: number, warmupS: number, connections: number, rounds: number,
 *   tool: 'auto' | 'wrk' | 'autocannon', scenarios: string[], out: string,
 *   cpuProfDir: string | null, build: '0' | '1' | 'auto', memoryDb: boolean, dataDir: string,
 *   pgUrl: string, adminRows: number, adminSamples: number, cacheDir: string,
 *   seedCache: boolean, logLevel: string, announceRows: number, announceMails: number,
 *   announceSignupRate: number }} Config
 */

/**
 * One option: its flag (without dashes), whether it takes a value (and which, for --help), the
 * environment variable that stands in for it, and one line of help.
 * @typedef {{ flag: string, value?: string, env?: string, help: string }} OptionSpec
 */

/** @type {OptionSpec[]} */
export const OPTIONS = [
  {
    flag: 'duration',
    value: 'S',
    env: 'BENCH_DURATION',
    help: 'seconds of measured load per run (10)',
  },
  {
    flag: 'warmup',
    value: 'S',
    env: 'BENCH_WARMUP',
    help: 'seconds of unmeasured load per server and scenario (3)',
  },
  {
    flag: 'connections',
    value: 'N',
    env: 'BENCH_CONNECTIONS',
    help: 'concurrent connections (50)',
  },
  {
    flag: 'rounds',
    value: 'N',
    env: 'BENCH_ROUNDS',
    help: 'rounds of all the servers per scenario; also CSV exports (2)',
  },
  {
    flag: 'tool',
    value: 'T',
    env: 'BENCH_TOOL',
    help: 'load generator: auto | wrk | autocannon (auto: wrk when installed)',
  },
  {
    flag: 'scenarios',
    value: 'LIST',
    env: 'BENCH_SCENARIOS',
    help: 'comma-separated scenario ids or groups (all)',
  },
  {
    flag: 'out',
    value: 'FILE',
    env: 'BENCH_OUT',
    help: 'JSON results (bench/results/latest.json)',
  },
  {
    flag: 'cpu-prof',
    value: 'DIR',
    env: 'BENCH_CPU_PROF',
    help: 'run catlist under `node --cpu-prof`, profiles into DIR',
  },
  {
    flag: 'build',
    value: '0|1|auto',
    env: 'BENCH_BUILD',
    help: 'build the API first: never, always, when its sources are newer (auto)',
  },
  { flag: 'no-build', help: 'never build (--build=0, BENCH_BUILD=0)' },
  {
    flag: 'memory-db',
    env: 'BENCH_MEMORY_DB=1',
    help: 'catlist on sqlite::memory: (NOT durable: shows what the disk costs; never quote it as catlist)',
  },
  {
    flag: 'data-dir',
    value: 'DIR',
    env: 'BENCH_DATA_DIR',
    help: 'where the fresh databases go (system temp; warned about when tmpfs)',
  },
  {
    flag: 'pg-url',
    value: 'URL',
    env: 'BENCH_PG_URL',
    help: 'PostgreSQL for the throwaway bench database (postgres://postgres@127.0.0.1:5432/test)',
  },
  {
    flag: 'admin-rows',
    value: 'N',
    env: 'BENCH_ADMIN_ROWS',
    help: 'rows seeded for the admin scenarios (1000000)',
  },
  {
    flag: 'admin-samples',
    value: 'N',
    env: 'BENCH_ADMIN_SAMPLES',
    help: 'sequential requests per admin measurement (200)',
  },
  {
    flag: 'cache-dir',
    value: 'DIR',
    env: 'BENCH_CACHE_DIR',
    help: 'where the seeded admin database is kept between runs (<temp>/catlist-bench-cache)',
  },
  {
    flag: 'no-seed-cache',
    env: 'BENCH_SEED_CACHE=0',
    help: 'seed afresh and do not touch the cache',
  },
  {
    flag: 'announce-rows',
    value: 'N',
    env: 'BENCH_ANNOUNCE_ROWS',
    help: 'confirmed subscribers an announce-queue announcement goes to (100000)',
  },
  {
    flag: 'announce-mails',
    value: 'N',
    env: 'BENCH_ANNOUNCE_MAILS',
    help: 'mails per announce-delivery run, catlist and nodemailer alike (5000)',
  },
  {
    flag: 'announce-signup-rate',
    value: 'N',
    env: 'BENCH_ANNOUNCE_SIGNUP_RATE',
    help: 'signups a second arriving during announce-queue, steadily (100)',
  },
  { flag: 'quick', help: 'smoke run: --duration=3 --warmup=1 --admin-samples=50 unless given' },
  { flag: 'help', help: 'this text' },
];

/** What `--help` prints. */
export function helpText() {
  const left = OPTIONS.map((o) =>
    o.flag === 'help' ? '--help, -h' : `--${o.flag}${o.value ? `=${o.value}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const envWidth = Math.max(...OPTIONS.map((o) => (o.env ?? '').length)) + 2;
  const lines = OPTIONS.map(
    (o, i) => `  ${(left[i] ?? '').padEnd(width)}${(o.env ?? '').padEnd(envWidth)}${o.help}`,
  );
  const groups = Object.entries(GROUPS)
    .filter(([name]) => name !== 'all')
    .map(([name, ids]) => `${name} = ${ids.join(',')}`);
  return [
    'usage: node bench/run.mjs [options]   (or pnpm bench [options])',
    '',
    'catlist against its peers in the same run; see docs/benchmarks.md.',
    'Options (a flag wins over its environment variable; defaults in brackets):',
    ...lines,
    '',
    `Scenarios: ${(GROUPS.all ?? []).join(', ')}`,
    `Groups: ${groups.join('; ')}; all = every scenario`,
    '',
  ].join('\n');
}

/**
 * The flags as parseArgs gives them; anything unknown, a value where none is taken or none
 * where one is, and positional arguments are OptionErrors.
 * @param {string[]} args
 * @returns {Record<string, string | boolean | undefined>}
 */
function parseFlags(args) {
  const argv = args.filter((arg) => arg !== '--'); // what `pnpm bench -- --quick` may pass on
  // A bare --build (no value, here or next) has always meant "always build".
  const bare = argv.findIndex((arg, i) => arg === '--build' && !/^[^-]/.test(argv[i + 1] ?? '-'));
  if (bare !== -1) argv[bare] = '--build=1';
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        OPTIONS.map((o) => [
          o.flag,
          o.flag === 'help'
            ? { type: 'boolean', short: 'h' }
            : { type: o.value ? 'string' : 'boolean' },
        ]),
      ),
    }).values;
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new OptionError(`unknown option ${flag} (node bench/run.mjs --help lists them)`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new OptionError(`unexpected argument ${arg}: options are --name or --name=value`);
    }
    throw new OptionError(`${message} (node bench/run.mjs --help)`);
  }
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
      `--scenarios: unknown ${unknown.join(', ')} (known: ${all.join(', ')}, ${Object.keys(GROUPS).join(', ')})`,
    );
  }
  if (ids.length === 0) throw new OptionError('--scenarios: no scenario named');
  return [...new Set(ids)];
}

/**
 * The configuration from the command line and the environment, or `{ help: true }` when
 * `--help` was asked for (nothing else is checked then).
 * @param {string[]} args   process.argv without node and the script
 * @param {NodeJS.ProcessEnv} env
 * @returns {Config | { help: true }}
 */
export function parseOptions(args, env) {
  const flags = parseFlags(args);
  if (flags.help === true) return { help: true };
  const quick = flags.quick === true;
  /**
   * @param {string} flag
   * @param {string} envName
   * @param {string} fallback
   * @returns {string}
   */
  const option = (flag, envName, fallback) => {
    const given = flags[flag];
    return (
      (typeof given === 'string' ? given : undefined) ?? (env[envName] || undefined) ?? fallback
    );
  };
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
  const build = flags['no-build'] === true ? '0' : option('build', 'BENCH_BUILD', 'auto');
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
    memoryDb: flags['memory-db'] === true || env.BENCH_MEMORY_DB === '1',
    dataDir: resolve(option('data-dir', 'BENCH_DATA_DIR', tmpdir())),
    pgUrl: option('pg-url', 'BENCH_PG_URL', 'postgres://postgres@127.0.0.1:5432/test'),
    adminRows: numeric('admin-rows', 'BENCH_ADMIN_ROWS', '1000000', whole),
    adminSamples: numeric('admin-samples', 'BENCH_ADMIN_SAMPLES', quick ? '50' : '200', whole),
    cacheDir: resolve(
      option('cache-dir', 'BENCH_CACHE_DIR', join(tmpdir(), 'catlist-bench-cache')),
    ),
    seedCache: flags['no-seed-cache'] !== true && env.BENCH_SEED_CACHE !== '0',
    logLevel: 'warn',
    announceRows: numeric('announce-rows', 'BENCH_ANNOUNCE_ROWS', '100000', whole),
    announceMails: numeric('announce-mails', 'BENCH_ANNOUNCE_MAILS', '5000', whole),
    announceSignupRate: numeric('announce-signup-rate', 'BENCH_ANNOUNCE_SIGNUP_RATE', '100', whole),
  };
}
