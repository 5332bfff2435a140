// @ts-check
// Tables of the scale-out group: SQLite x1, PostgreSQL x1 and x2, side by side.
import { fixed, int } from '../lib/format.mjs';
import { SCALE_OUT_CONFIGS, SCALE_OUT_LABELS } from '../scenarios/definitions.mjs';

/** @typedef {import('../scenarios/scale-out.mjs').ScaleOutResult} ScaleOutResult */

/**
 * @param {ScaleOutResult[]} results
 * @param {Record<string, number>} baselineRps   the baseline's req/s per throughput scenario
 */
export function scaleOutSummaryTable(results, baselineRps) {
  const lines = [
    '| scenario | SQLite ×1 req/s | PG ×1 req/s | PG ×2 req/s | PG ×1 / SQLite | PG ×2 / SQLite | PG ×2 / PG ×1 | PG ×2 / baseline | p50 / p99 ms (SQLite, PG ×1, PG ×2) | errors + non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const s = result.summary;
    if (result.skipped || !s || !result.vsSqlite || result.twoOverOne === undefined) {
      lines.push(`| ${result.id} | not run: ${result.skipped} | | | | | | | | |`);
      continue;
    }
    const baseline = baselineRps[result.base ?? ''];
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

/** @param {ScaleOutResult} result */
export function scaleOutTable(result) {
  const { runs = [], summary, vsSqlite, vsSqlitePerRound } = result;
  if (!summary || !vsSqlite || !vsSqlitePerRound) return `### ${result.title}\n\nNot run.`;
  const lines = [
    `### ${result.title}`,
    '',
    '| configuration | run | req/s | × SQLite | p50 ms | p99 ms | errors | non-2xx | catlist CPU % (sum) | postgres CPU % | cores busy (of 2) | peak RSS MiB (per process) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of runs) {
    const sqlite = runs.find((r) => r.config === 'sqlite-1' && r.round === run.round);
    lines.push(
      `| ${SCALE_OUT_LABELS[run.config]} | ${run.round} | ${int(run.rps)} | ` +
        `${sqlite ? (run.rps / sqlite.rps).toFixed(2) : 'n/a'} | ${fixed(run.latencyMs.p50, 2)} | ` +
        `${fixed(run.latencyMs.p99, 2)} | ${run.errors} | ${run.non2xx} | ${fixed(run.serverCpuPct, 0)} | ` +
        `${fixed(run.postgresCpuPct, 0)} | ${fixed(run.machineCoresBusy, 2)} | ${fixed(run.peakRssMb, 0)} |`,
    );
  }
  for (const id of SCALE_OUT_CONFIGS) {
    const s = summary[id];
    lines.push(
      `| **${SCALE_OUT_LABELS[id]}** | all | **${int(s.rps)}** | ` +
        `${(s.rps / summary['sqlite-1'].rps).toFixed(2)} | ${fixed(s.p50Ms, 2)} | ` +
        `${fixed(s.p99Ms, 2)} | ${s.errors} | ${s.non2xx} | ${fixed(s.serverCpuPct, 0)} | ` +
        `${fixed(s.postgresCpuPct, 0)} | ${fixed(s.machineCoresBusy, 2)} | ${fixed(s.peakRssMb, 0)} |`,
    );
  }
  /** @param {'pg-1' | 'pg-2'} id */
  const perRound = (id) => vsSqlitePerRound[id].map((r) => r.toFixed(2)).join(', ');
  lines.push(
    '',
    `PostgreSQL ×2 / SQLite ×1: **${vsSqlite['pg-2'].toFixed(2)}×** (per round: ${perRound('pg-2')}); ` +
      `PostgreSQL ×1 / SQLite ×1: ${vsSqlite['pg-1'].toFixed(2)}× (per round: ${perRound('pg-1')}); ` +
      `two processes / one on PostgreSQL: ${result.twoOverOne?.toFixed(2)}×.`,
  );
  return lines.join('\n');
}
