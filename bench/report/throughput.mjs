// @ts-check
// Tables of the throughput group: the summary across scenarios (every server's req/s and
// latency, catlist's ratio to each peer), the targets, and one detailed table per scenario.
import { fixed, int, times } from '../lib/format.mjs';

/** @typedef {import('../scenarios/throughput.mjs').ThroughputResult} ThroughputResult */

/**
 * One line per scenario and server: req/s, p50 / p99, errors, RSS, and catlist's req/s divided
 * by that server's.
 * @param {ThroughputResult[]} results
 */
export function summaryTable(results) {
  const lines = [
    '| scenario | server | req/s | p50 ms | p99 ms | errors + non-2xx | peak RSS MiB | catlist ÷ server |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    for (const name of result.servers) {
      const s = result.summary[name];
      if (!s) continue;
      const isCatlist = name === 'catlist';
      lines.push(
        `| ${result.id} | ${isCatlist ? '**catlist**' : name} | ` +
          `${isCatlist ? `**${int(s.rps)}**` : int(s.rps)} | ${fixed(s.p50Ms, 2)} | ` +
          `${fixed(s.p99Ms, 2)} | ${s.errors + s.non2xx} | ${fixed(s.peakRssMb, 0)} | ` +
          `${isCatlist ? '–' : `**${times(result.ratios[name])}**`} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * One line per target of every scenario that has targets: what was measured, met or not.
 * @param {ThroughputResult[]} results
 */
export function targetsTable(results) {
  const withTargets = results.filter((result) => result.targets.length > 0);
  if (withTargets.length === 0) return null;
  const lines = ['| scenario | target | measured | result |', '|---|---|---:|---|'];
  for (const result of withTargets) {
    for (const target of result.targets) {
      const measured =
        target.kind === 'ratio'
          ? times(target.measured)
          : target.kind === 'p99'
            ? `${fixed(target.measured, 2)} ms`
            : `${target.measured}`;
      lines.push(
        `| ${result.id} | ${target.label} | ${measured} | ${target.met ? 'met' : '**NOT met**'} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The runs of one scenario, each server's summary, catlist's ratio to each peer (overall and per
 * round) and its targets.
 * @param {ThroughputResult} result
 */
export function scenarioTable(result) {
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
  for (const name of result.servers) {
    const s = result.summary[name];
    if (!s) continue;
    lines.push(
      `| **${name}** | all | **${int(s.rps)}** | ${fixed(s.p50Ms, 2)} | ${fixed(s.p99Ms, 2)} | ` +
        `${s.errors} | ${s.non2xx} | ${fixed(s.peakRssMb, 0)} | ${fixed(s.serverCpuPct, 0)} |`,
    );
  }
  lines.push('');
  for (const peer of result.servers.filter((name) => name !== 'catlist')) {
    const perRound = (result.ratiosPerRound[peer] ?? []).map((r) => r.toFixed(2)).join(', ');
    lines.push(`- **catlist / ${peer}: ${times(result.ratios[peer])}** (per round: ${perRound})`);
  }
  if (result.targets.length > 0) {
    lines.push(
      '',
      `Targets: ${result.targets
        .map((target) => `${target.label}: ${target.met ? 'met' : '**NOT met**'}`)
        .join('; ')}.`,
    );
  }
  if (result.note) lines.push('', result.note);
  return lines.join('\n');
}
