// @ts-check
// The confirmation group (issue 15): mail-signup. The signup load on two fresh catlist processes
// on SQLite, one without mail and one with confirmation by email on (MAIL_URL pointing at an SMTP
// server in this process that accepts and drops every mail), alternating per round. With
// confirmation on, a signup writes a pending request and its outbox row in one transaction and
// the server's drainer sends the mails meanwhile; the target is at least 0.8× the signups
// without.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { fixed, int, log } from '../lib/format.mjs';
import { measureSplit } from '../lib/load.mjs';
import { API_SERVER } from '../lib/paths.mjs';
import { startServer, stopServer } from '../lib/servers.mjs';
import { summarise } from '../lib/statistics.mjs';
import { CONFIRMATION_TARGET, SCENARIOS } from './definitions.mjs';

/**
 * @typedef {import('../lib/load.mjs').SplitMeasured & { config: 'off' | 'on', round: number }}
 *   ConfirmationRun
 */

/**
 * @typedef {{ id: string, kind: 'confirmation', title: string, runs: ConfirmationRun[],
 *   summary: Record<'off' | 'on', import('../lib/statistics.mjs').RunSummary>,
 *   onOverOff: number, onOverOffPerRound: number[], target: number, met: boolean,
 *   mailsReceived: number }} ConfirmationResult
 */

/** An SMTP server on 127.0.0.1 that takes every mail and keeps only the count. */
async function smtpSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.server.address());
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * Runs mail-signup: starts two catlist processes (and stops them before returning).
 * @param {{ config: import('../lib/options.mjs').Config, tool: import('../lib/load.mjs').Tool }} context
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {string} tmp   where their databases go
 * @param {{ id: string, title: string }[]} wanted
 * @returns {Promise<ConfirmationResult[]>}
 */
export async function runConfirmation({ config, tool }, servers, tmp, wanted) {
  const base = SCENARIOS.find((s) => s.id === 'signup');
  if (!base) throw new Error('no signup scenario');
  const smtp = await smtpSink();
  const env = {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    TRUST_PROXY: '1',
    LOG_LEVEL: config.logLevel,
  };
  const off = await startServer('catlist-mail-off', [API_SERVER], {
    ...env,
    DATABASE_URL: `sqlite:${join(tmp, 'mail-off.db')}`,
  });
  servers.push(off);
  const on = await startServer('catlist-mail-on', [API_SERVER], {
    ...env,
    DATABASE_URL: `sqlite:${join(tmp, 'mail-on.db')}`,
    MAIL_URL: smtp.url,
    MAIL_FROM: 'Cats Everywhere <bench@example.com>',
    PUBLIC_URL: 'https://signup.example.com',
  });
  servers.push(on);
  const configs = { off, on };

  /** @type {ConfirmationResult[]} */
  const results = [];
  try {
    for (const scenario of wanted) {
      log(`scenario ${scenario.id}: ${scenario.title}`);
      if (config.warmupS > 0) {
        for (const id of /** @type {const} */ (['off', 'on'])) {
          const server = configs[id];
          await measureSplit(
            tool,
            [server, server],
            base,
            config.warmupS,
            `${scenario.id}-${id}-w`,
            server,
            config.connections,
          );
        }
      }
      /** @type {ConfirmationRun[]} */
      const runs = [];
      for (let r = 1; r <= config.rounds; r += 1) {
        for (const id of /** @type {const} */ (['off', 'on'])) {
          const server = configs[id];
          const run = await measureSplit(
            tool,
            [server, server],
            base,
            config.durationS,
            `${scenario.id}-${id}-${r}`,
            server,
            config.connections,
          );
          runs.push({ config: id, round: r, ...run });
          log(
            `  ${id.padEnd(3)} round ${r}: ${int(run.rps)} req/s, p50 ${fixed(run.latencyMs.p50, 2)} ms, ` +
              `p99 ${fixed(run.latencyMs.p99, 2)} ms, errors ${run.errors}, non-2xx ${run.non2xx}, ` +
              `catlist CPU ${fixed(run.serverCpuPct, 0)} %`,
          );
          if (!run.serversAlive) throw new Error(`a catlist process died during ${scenario.id}`);
        }
      }
      const summary = {
        off: summarise(runs.filter((run) => run.config === 'off')),
        on: summarise(runs.filter((run) => run.config === 'on')),
      };
      const perRound = runs
        .filter((run) => run.config === 'on')
        .map(
          (run) =>
            run.rps /
            (runs.find((other) => other.config === 'off' && other.round === run.round)?.rps ??
              Number.NaN),
        );
      const onOverOff = summary.on.rps / summary.off.rps;
      log(`  on / off: ${onOverOff.toFixed(2)}× (target ≥ ${CONFIRMATION_TARGET}×)`);
      results.push({
        id: scenario.id,
        kind: 'confirmation',
        title: scenario.title,
        runs,
        summary,
        onOverOff,
        onOverOffPerRound: perRound,
        target: CONFIRMATION_TARGET,
        met: onOverOff >= CONFIRMATION_TARGET,
        mailsReceived: smtp.received(),
      });
    }
  } finally {
    for (const server of [off, on]) server.exitCode = await stopServer(server);
    await smtp.close();
  }
  return results;
}
