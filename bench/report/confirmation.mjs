// @ts-check
// The confirmation group's section of the report: signups with confirmation by email on vs off.
import { fixed, int } from '../lib/format.mjs';
import { CONFIRMATION_TARGET } from '../scenarios/definitions.mjs';

/**
 * The report's section for the group.
 * @param {import('../scenarios/confirmation.mjs').ConfirmationResult[]} results
 */
export function confirmationSection(results) {
  if (results.length === 0) return [];
  return [
    '## Confirmation by email (issue 15)',
    '',
    'Two fresh catlist processes on SQLite, alternating per round: without mail, and with ' +
      'MAIL_URL set (each signup queues a pending request and its mail in one transaction; the ' +
      'server sends the mails to a local SMTP server meanwhile). Target: on ≥ ' +
      `${CONFIRMATION_TARGET}× off.`,
    '',
    '| scenario | off req/s | on req/s | on / off | per round | p50 / p99 ms (off, on) | mails received | target |',
    '|---|---:|---:|---:|---|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.id} | ${int(r.summary.off.rps)} | ${int(r.summary.on.rps)} | ` +
        `**${r.onOverOff.toFixed(2)}×** | ${r.onOverOffPerRound.map((x) => x.toFixed(2)).join(', ')} | ` +
        `${fixed(r.summary.off.p50Ms, 1)} / ${fixed(r.summary.off.p99Ms, 1)}, ` +
        `${fixed(r.summary.on.p50Ms, 1)} / ${fixed(r.summary.on.p99Ms, 1)} | ${int(r.mailsReceived)} | ` +
        `${r.met ? 'met' : '**not met**'} |`,
    ),
    '',
  ];
}
