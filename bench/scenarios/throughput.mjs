// @ts-check
// The throughput group (issue 6): session, signup, signup-returning, stats. Per scenario: one
// checked request on each server, a warm-up of each, then rounds of catlist, stock, (koa-floor), bare-koa,
// bare-koa-headers, baseline (the scenario's servers, in that order), each for the same fixed
// time and connections; catlist's req/s is compared with each peer's, round by round and
// overall, and checked against the scenario's targets.
import { fixed, int, log } from '../lib/format.mjs';
import { measure, runLoad } from '../lib/load.mjs';
import { check } from '../lib/servers.mjs';
import { summarise } from '../lib/statistics.mjs';
import { SCENARIOS } from './definitions.mjs';

/**
 * @typedef {import('../lib/load.mjs').Measured & { server: string, round: number }} ServerRun
 */

/**
 * A target with what was measured against it.
 * @typedef {{ label: string, kind: 'ratio' | 'p99' | 'clean', peer?: string, min?: number,
 *   maxMs?: number, measured: number, met: boolean }} TargetResult
 */

/**
 * @typedef {{ id: string, title: string, servers: string[], runs: ServerRun[],
 *   summary: Record<string, import('../lib/statistics.mjs').RunSummary>,
 *   ratio: number, ratioPerRound: number[], ratios: Record<string, number>,
 *   ratiosPerRound: Record<string, number[]>, targets: TargetResult[],
 *   targetsMet: boolean | null, note: string | null, kind?: undefined,
 *   skipped?: undefined }} ThroughputResult
 */

/**
 * Checks catlist's figures against the scenario's targets; every scenario with targets also
 * asks for no errors and no non-2xx answers.
 * @param {import('./definitions.mjs').Target[]} targets
 * @param {Record<string, number>} ratios
 * @param {import('../lib/statistics.mjs').RunSummary} catlist
 * @returns {TargetResult[]}
 */
function evaluateTargets(targets, ratios, catlist) {
  if (targets.length === 0) return [];
  /** @type {TargetResult[]} */
  const evaluated = targets.map((target) => {
    if (target.kind === 'ratio') {
      const measured = ratios[target.peer] ?? Number.NaN;
      return {
        label: `catlist ≥ ${target.min}× ${target.peer}`,
        kind: 'ratio',
        peer: target.peer,
        min: target.min,
        measured,
        met: measured >= target.min,
      };
    }
    return {
      label: `catlist p99 < ${target.maxMs} ms`,
      kind: 'p99',
      maxMs: target.maxMs,
      measured: catlist.p99Ms,
      met: catlist.p99Ms < target.maxMs,
    };
  });
  const problems = catlist.errors + catlist.non2xx;
  evaluated.push({
    label: 'catlist: no errors, no non-2xx',
    kind: 'clean',
    measured: problems,
    met: problems === 0,
  });
  return evaluated;
}

/**
 * Runs the wanted throughput scenarios on the servers already started.
 * @param {{ config: import('../lib/options.mjs').Config, tool: import('../lib/load.mjs').Tool }} context
 * @param {Record<string, import('../lib/servers.mjs').Server>} servers   by name; catlist first
 * @param {string[]} wanted   scenario ids
 * @returns {Promise<ThroughputResult[]>}
 */
export async function runThroughput({ config, tool }, servers, wanted) {
  /** @type {ThroughputResult[]} */
  const results = [];
  for (const scenario of SCENARIOS.filter((s) => wanted.includes(s.id))) {
    log(`scenario ${scenario.id}: ${scenario.title}`);
    const lineUp = scenario.servers.map((name) => {
      const server = servers[name];
      if (!server) throw new Error(`scenario ${scenario.id}: no server ${name}`);
      return server;
    });
    if (lineUp[0]?.name !== 'catlist') throw new Error(`scenario ${scenario.id}: catlist first`);
    for (const server of lineUp) await check(server, scenario);
    if (config.warmupS > 0) {
      for (const server of lineUp) {
        await runLoad(tool, server, scenario, config.warmupS, `${scenario.id}-warm`, {
          connections: config.connections,
        });
      }
    }
    /** @type {ServerRun[]} */
    const runs = [];
    for (let r = 1; r <= config.rounds; r += 1) {
      for (const server of lineUp) {
        const run = await measure(
          tool,
          server,
          scenario,
          config.durationS,
          `${scenario.id}-${r}`,
          config.connections,
        );
        runs.push({ server: server.name, round: r, ...run });
        log(
          `  ${server.name.padEnd(16)} round ${r}: ${int(run.rps)} req/s, ` +
            `p50 ${fixed(run.latencyMs.p50, 2)} ms, p99 ${fixed(run.latencyMs.p99, 2)} ms, ` +
            `errors ${run.errors}, non-2xx ${run.non2xx}, peak RSS ${fixed(run.peakRssMb, 0)} MiB, ` +
            `CPU ${fixed(run.serverCpuPct, 0)} %`,
        );
        if (!run.serverAlive) throw new Error(`${server.name} died during ${scenario.id}`);
      }
    }
    /** @param {string} name */
    const byServer = (name) => runs.filter((run) => run.server === name);
    const summary = Object.fromEntries(
      scenario.servers.map((name) => [name, summarise(byServer(name))]),
    );
    const catlist = summary.catlist;
    if (!catlist) throw new Error(`scenario ${scenario.id}: catlist is not in it`);
    const peers = scenario.servers.filter((name) => name !== 'catlist');
    const ratios = Object.fromEntries(
      peers.map((peer) => [peer, catlist.rps / (summary[peer]?.rps ?? Number.NaN)]),
    );
    const ratiosPerRound = Object.fromEntries(
      peers.map((peer) => {
        const theirs = byServer(peer);
        return [
          peer,
          byServer('catlist').map((run, i) => run.rps / (theirs[i]?.rps ?? Number.NaN)),
        ];
      }),
    );
    /** @type {string | null} */
    let note = null;
    if (scenario.id === 'stats' || scenario.mode !== 'get') {
      /** @param {import('../lib/servers.mjs').Server} server */
      const listSize = async (server) =>
        /** @type {{ subscribers: number }} */ (
          await (await fetch(`${server.url}/api/stats`)).json()
        ).subscribers;
      const [first, ...others] = lineUp;
      if (first) {
        note = `catlist list size after this scenario: ${int(await listSize(first))} addresses.`;
      }
      const stock = others.find((server) => server.name === 'stock');
      if (stock) note += ` stock: ${int(await listSize(stock))}.`;
    }
    if (scenario.mode === 'signup-returning') {
      const cookieless = scenario.servers
        .map((name) => [name, byServer(name).reduce((n, run) => n + (run.withoutCookie ?? 0), 0)])
        .filter(([, n]) => n !== 0)
        .map(([name, n]) => `${name} ${int(Number(n))}`);
      note =
        `${note ?? ''} Load from autocannon for every server (wrk's Lua sees one Set-Cookie per ` +
        `answer). Requests without an earlier signup's cookie: ${cookieless.length > 0 ? cookieless.join(', ') : 'none'}.`;
    }
    const targets = evaluateTargets(scenario.targets ?? [], ratios, catlist);
    results.push({
      id: scenario.id,
      title: scenario.title,
      servers: scenario.servers,
      runs,
      summary,
      ratio: ratios.baseline ?? Number.NaN,
      ratioPerRound: ratiosPerRound.baseline ?? [],
      ratios,
      ratiosPerRound,
      targets,
      targetsMet: targets.length > 0 ? targets.every((target) => target.met) : null,
      note,
    });
  }
  return results;
}
