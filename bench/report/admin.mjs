// @ts-check
// Tables of the admin group: page and search latencies, the CSV export, and their summary.
import { fixed, int } from '../lib/format.mjs';
import { ADMIN_GOALS } from '../scenarios/definitions.mjs';

/** @typedef {import('../scenarios/admin.mjs').AdminResult} AdminResult */

/** @param {AdminResult & { kind: 'admin-page' }} result */
export function adminPageTable(result) {
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
      (m.tiesAtCursor ?? 0) > 1
        ? ` (cursor inside ${int(m.tiesAtCursor ?? 0)} equal timestamps)`
        : '';
    lines.push(
      `| ${m.name}${ties} | ${m.samples}${m.non200 ? ` (${m.non200} not 200)` : ''} | ` +
        `**${fixed(m.p50Ms, 2)}** | ${fixed(m.p99Ms, 2)} | ${fixed(m.meanMs, 2)} | ` +
        `${fixed(m.maxMs, 2)} | ${int(m.responseBytes)} | ${goal} |`,
    );
  }
  return lines.join('\n');
}

/** @param {AdminResult & { kind: 'admin-csv' }} result */
export function adminCsvTable(result) {
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

/** @param {AdminResult} result */
export const adminTable = (result) =>
  result.kind === 'admin-page' ? adminPageTable(result) : adminCsvTable(result);

/** @param {AdminResult[]} results */
export function adminSummaryTable(results) {
  const lines = ['| scenario | measurement | p50 ms | p99 ms | goal |', '|---|---|---:|---:|---|'];
  for (const result of results) {
    if (result.kind === 'admin-page') {
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
    } else {
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

/** @param {import('../scenarios/admin-growth.mjs').GrowthResult} result */
export function growthTable(result) {
  const rows = result.measurements[0]?.rows ?? 0;
  const removals = result.measurements[0]?.removals ?? 0;
  const lines = [
    `## ${result.title} (issues 25/26)`,
    '',
    `${int(rows)} addresses, all signed up within the chart's 90 days, and ${int(removals)} ` +
      'removals in them (the worst case for the chart), on a fresh database each, seeded with SQL ' +
      'in the database; a catlist of its own, logged in through POST /api/admin/login. ' +
      'Client-side time on loopback, one kept-alive connection, requests one after the other. ' +
      'The first answer checked: 90 days, today last, every address and removal counted once. ' +
      `Goal: ${result.goal}. Reference: GET /api/stats (one counter) on the same server and ` +
      'connection, what the HTTP round trip and the machine cost alone.',
    '',
    '| database | seeded in s | requests | p50 ms | p99 ms | mean ms | max ms | goal | reference p50 / p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const m of result.measurements) {
    lines.push(
      `| ${m.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${fixed(m.seedSeconds, 1)} | ` +
        `${m.samples}${m.non200 ? ` (${m.non200} not 200)` : ''} | **${fixed(m.p50Ms, 2)}** | ` +
        `${fixed(m.p99Ms, 2)} | ${fixed(m.meanMs, 2)} | ${fixed(m.maxMs, 2)} | ` +
        `${m.goalMet ? 'met' : '**NOT met**'} (< ${ADMIN_GOALS.growthP50Ms} ms) | ` +
        `${fixed(m.statsP50Ms, 2)} / ${fixed(m.statsP99Ms, 2)} |`,
    );
  }
  for (const reason of result.skipped ?? []) lines.push('', `Skipped on PostgreSQL: ${reason}.`);
  return lines.join('\n');
}
