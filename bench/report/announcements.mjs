// @ts-check
// The announcements group's section of the report: queueing a whole list (per database and
// round), and unpaced delivery against nodemailer alone.
import { fixed, int } from '../lib/format.mjs';
import { ANNOUNCE_GOALS } from '../scenarios/definitions.mjs';

/** @param {boolean} met */
const verdict = (met) => (met ? 'met' : '**not met**');

/**
 * @param {import('../scenarios/announcements.mjs').AnnouncementsResult & { kind: 'announce-queue' }} result
 */
function queueLines(result) {
  const limitMib = (ANNOUNCE_GOALS.rssGrowthMb * 1e6) / 2 ** 20;
  return [
    `### announce-queue: ${int(result.rows)} confirmed subscribers`,
    '',
    'A catlist of its own per database (MAIL_URL: an SMTP server in the bench process that ' +
      'accepts every mail; ANNOUNCE_RATE default, 10 mails a second, sending meanwhile), the ' +
      'list seeded straight into the freshly migrated database. Per round: an announcement ' +
      'created and sent through the admin HTTP API, then GET /api/admin/announcements/:id every ' +
      '50 ms until progress.queueingDone; the announcement is cancelled after. Signups arrive ' +
      `at a steady ${result.signupRate} a second throughout (open loop, latency from each one's ` +
      'scheduled time); "before" is the seconds before the send, "meanwhile" the queueing. ' +
      `Targets: queueing ≤ ${ANNOUNCE_GOALS.queueS} s, RSS growth < ${ANNOUNCE_GOALS.rssGrowthMb} MB ` +
      `(${fixed(limitMib, 1)} MiB), signup p99 meanwhile < ${ANNOUNCE_GOALS.signupP99Ms} ms: ` +
      `${verdict(result.goalMet)}.`,
    '',
    '| database | round | queued | seconds | RSS before → peak MiB (growth) | server CPU | signups meanwhile: n, p50 / p99 / max ms | signups before: n, p50 / p99 ms |',
    '|---|---:|---:|---:|---|---:|---|---|',
    ...result.databases.flatMap((database) =>
      database.skipped
        ? [`| ${database.database} | | | | skipped: ${database.skipped} | | | |`]
        : database.runs.map(
            (run) =>
              `| ${database.database} | ${run.round} | ${int(run.recipients)} | ` +
              `**${fixed(run.queueS, 2)}** | ${fixed(run.rssBeforeMb, 0)} → ${fixed(run.peakRssMb, 0)} ` +
              `(**+${fixed(run.rssGrowthMb, 1)}**) | ${fixed(run.serverCpuPct, 0)} % | ` +
              `${int(run.signups.count)}${run.signups.failed ? ` (${run.signups.failed} failed)` : ''}, ` +
              `${fixed(run.signups.p50Ms, 1)} / **${fixed(run.signups.p99Ms, 1)}** / ${fixed(run.signups.maxMs, 1)} | ` +
              `${int(run.reference.count)}, ${fixed(run.reference.p50Ms, 1)} / ${fixed(run.reference.p99Ms, 1)} |`,
          ),
    ),
    '',
  ];
}

/**
 * @param {import('../scenarios/announcements.mjs').AnnouncementsResult & { kind: 'announce-delivery' }} result
 */
function deliveryLines(result) {
  return [
    `### announce-delivery: ${int(result.mails)} mails, unpaced`,
    '',
    'catlist on SQLite with ANNOUNCE_RATE=unlimited and as many confirmed subscribers, timed ' +
      'from POST /api/admin/announcements/:id/send until the SMTP server has the last mail ' +
      "(queueing, claiming, rendering each recipient's mail and recording it included); against " +
      "nodemailer alone (peers/nodemailer-send.mjs: the announcement's subject, HTML and text from " +
      "its preview, the same headers, catlist's pool settings and concurrency) to the same SMTP " +
      'server, timed from its go to the last mail; alternating which goes first. Target: catlist ' +
      `≥ ${ANNOUNCE_GOALS.deliveryRatio}× nodemailer alone: **${result.ratio.toFixed(2)}×** ` +
      `(per round ${result.ratioPerRound.map((x) => x.toFixed(2)).join(', ')}), ${verdict(result.goalMet)}.`,
    '',
    '| round | sender | seconds | mails/s | bytes per mail | sender CPU |',
    '|---:|---|---:|---:|---:|---:|',
    ...result.runs.map(
      (run) =>
        `| ${run.round} | ${run.side} | ${fixed(run.seconds, 2)} | **${int(run.mailsPerS)}** | ` +
        `${int(run.bytesPerMail)} | ${fixed(run.senderCpuPct, 0)} % |`,
    ),
    '',
  ];
}

/**
 * The report's section for the group.
 * @param {import('../scenarios/announcements.mjs').AnnouncementsResult[]} results
 */
export function announcementsSection(results) {
  if (results.length === 0) return [];
  return [
    '## Announcements (issue 26)',
    '',
    ...results.flatMap((result) =>
      result.kind === 'announce-queue' ? queueLines(result) : deliveryLines(result),
    ),
  ];
}
