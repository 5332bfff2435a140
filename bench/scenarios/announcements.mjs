// @ts-check
// The announcements group (issue 26): announce-queue and announce-delivery, each on catlist
// processes of their own, with MAIL_URL pointing at an SMTP server in this process that accepts
// every mail and keeps only counts, byte totals and the time of the latest.
//
// announce-queue: a list of confirmed subscribers (100,000 by default) seeded straight into a
// freshly migrated database (SQLite, and PostgreSQL when reachable); per round, an announcement
// created and sent through the admin HTTP API while a steady signup load (open loop, a fixed rate,
// so that a slow answer cannot slow the arrivals) runs; measured: the time from the send request
// until GET .../:id says progress.queueingDone, the server's RSS before, at its peak and after,
// and the p99 of the signups that arrived meanwhile (beside those of the seconds before, without
// queueing). The site's default pace (ANNOUNCE_RATE 10 a second) sends meanwhile, as it would.
//
// announce-delivery: unpaced (ANNOUNCE_RATE=unlimited) delivery of N announcement mails (5,000 by
// default) against nodemailer alone sending the same mails to the same SMTP server
// (peers/nodemailer-send.mjs), alternating which goes first per round; mails/s from the send
// request (or the peer's go) until the SMTP server has the N-th mail.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { fixed, int, log } from '../lib/format.mjs';
import { API_SERVER, BENCH_DIR } from '../lib/paths.mjs';
import { pgQuery, safeUrl } from '../lib/postgres.mjs';
import { cpuSecondsOf, memoryOf } from '../lib/process-stats.mjs';
import { cookieHeader, startServer, stopServer } from '../lib/servers.mjs';
import { mean, percentile } from '../lib/statistics.mjs';
import { ANNOUNCE_GOALS, ANNOUNCE_SCENARIOS } from './definitions.mjs';

const MAIL_FROM = 'Cats Everywhere <news@example.com>';
const PUBLIC_URL = 'https://signup.example.com';
const T0 = Date.UTC(2025, 0, 1);
/** The announcement every round sends: a few paragraphs, a list and a link, as a real one. */
const ANNOUNCEMENT = {
  subject: 'Spring news from Cats Everywhere',
  body: [
    '# Spring is here',
    '',
    'Thank you for being on the list. Here is what happened since our last letter, and what ' +
      'comes next: new shelters, a **fostering** drive and a picnic.',
    '',
    '- Two new shelters opened in the north of town',
    '- Forty cats found a home in March',
    '- The picnic is on the first Saturday of May',
    '',
    'Read more on [our site](https://signup.example.com/news) and tell your friends.',
  ].join('\n'),
};

/**
 * @typedef {{ round: number, recipients: number, queueS: number, rssBeforeMb: number | null,
 *   peakRssMb: number, rssAfterMb: number | null, rssGrowthMb: number, serverCpuPct: number,
 *   signups: SignupWindow, reference: SignupWindow }} QueueRun
 */

/** @typedef {{ count: number, failed: number, p50Ms: number, p99Ms: number, maxMs: number }} SignupWindow */

/**
 * @typedef {{ database: 'sqlite' | 'postgres', skipped?: string, rows: number,
 *   seedSeconds?: number, runs: QueueRun[] }} QueueDatabase
 */

/**
 * @typedef {{ round: number, side: 'catlist' | 'nodemailer', mails: number, seconds: number,
 *   mailsPerS: number, bytesPerMail: number, senderCpuPct: number }} DeliveryRun
 */

/**
 * @typedef {{ id: 'announce-queue', kind: 'announce-queue', title: string, rows: number,
 *   signupRate: number, databases: QueueDatabase[], goalMet: boolean } |
 *   { id: 'announce-delivery', kind: 'announce-delivery', title: string, mails: number,
 *   runs: DeliveryRun[], catlistMailsPerS: number, nodemailerMailsPerS: number, ratio: number,
 *   ratioPerRound: number[], goalMet: boolean }} AnnouncementsResult
 */

/** An SMTP server on 127.0.0.1 that takes every mail and keeps its count and size. */
async function smtpSink() {
  let received = 0;
  let bytes = 0;
  /** @type {{ target: number, done: (at: number) => void } | null} */
  let waiter = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', (/** @type {Buffer} */ chunk) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        received += 1;
        if (waiter && received >= waiter.target) {
          waiter.done(performance.now());
          waiter = null;
        }
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.server.address());
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received: () => received,
    bytes: () => bytes,
    /**
     * When (performance.now()) the count reaches `target`; rejects after `timeoutMs`.
     * @param {number} target
     * @param {number} timeoutMs
     * @returns {Promise<number>}
     */
    reach(target, timeoutMs) {
      if (received >= target) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          reject(
            new Error(`the SMTP server got ${received} of ${target} mails in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiter = {
          target,
          done: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** @typedef {Awaited<ReturnType<typeof smtpSink>>} Sink */

/** The i-th seeded subscriber's address: sorted in no particular order of i, as real ones. */
const seededAddress = (/** @type {number} */ i) =>
  `${(i * 7919).toString(36)}.reader${i}@list${i % 97}.example.com`;

/**
 * Writes `rows` confirmed subscribers into a migrated, empty catlist SQLite file; like
 * seed-subscribers.mjs, indexes them for search in one pass, as the server would by then.
 * @param {string} path
 * @param {number} rows
 */
function seedSqlite(path, rows) {
  const db = new SQLite(path);
  try {
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      'insert into subscribers (email, created_at, confirmed_at) values (?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < rows; i += 1) {
        insert.run(seededAddress(i), T0 + i * 1000, T0 + i * 1000 + 60_000);
      }
    })();
    const hasPending = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'search_pending'")
      .get();
    if (hasPending) {
      db.exec(`insert into subscribers_search (subscribers_search) values ('rebuild');
        delete from search_pending;`);
    }
    db.exec('analyze');
  } finally {
    db.close();
  }
}

/**
 * The same on PostgreSQL, in one statement.
 * @param {string} url   the bench database
 * @param {number} rows
 */
async function seedPostgres(url, rows) {
  await pgQuery(
    url,
    `insert into subscribers (email, created_at, confirmed_at)
     select to_hex(i * 7919) || '.reader' || i || '@list' || (i % 97) || '.example.com',
       ${T0} + i * 1000, ${T0} + i * 1000 + 60000
     from generate_series(0, ${rows - 1}) as i`,
  );
  await pgQuery(url, 'analyze');
}

/**
 * A catlist on `databaseUrl` with `rows` confirmed subscribers: started once so that the real
 * migrations make the schema, stopped, seeded, started again with `env`.
 * @param {string} name
 * @param {string} databaseUrl
 * @param {(rows: number) => void | Promise<void>} seed
 * @param {number} rows
 * @param {Record<string, string>} env
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {string | null} cpuProfDir   --cpu-prof: the measured server is profiled into it
 */
async function seededCatlist(name, databaseUrl, seed, rows, env, servers, cpuProfDir) {
  const migrate = await startServer(`${name}-migrate`, [API_SERVER], {
    ...env,
    DATABASE_URL: databaseUrl,
  });
  servers.push(migrate);
  migrate.exitCode = await stopServer(migrate);
  const started = performance.now();
  await seed(rows);
  const seedSeconds = (performance.now() - started) / 1000;
  const flags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfDir)}`] : [];
  const server = await startServer(name, [...flags, API_SERVER], {
    ...env,
    DATABASE_URL: databaseUrl,
  });
  servers.push(server);
  return { server, seedSeconds };
}

/** The environment of every catlist here: mail to the sink, an admin password. */
function catlistEnv(
  /** @type {import('../lib/options.mjs').Config} */ config,
  /** @type {Sink} */ sink,
  /** @type {string} */ password,
) {
  return {
    NODE_ENV: 'production',
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    ADMIN_PASSWORD: password,
    TRUST_PROXY: '1',
    LOG_LEVEL: config.logLevel,
    MAIL_URL: sink.url,
    MAIL_FROM,
    PUBLIC_URL,
  };
}

/**
 * The admin's side of the HTTP API: logged in once, then JSON requests with the session cookie.
 * @param {import('../lib/servers.mjs').Server} server
 * @param {string} password
 */
async function adminClient(server, password) {
  const login = await fetch(`${server.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.79.0.1' },
    body: JSON.stringify({ password }),
  });
  if (login.status !== 200) throw new Error(`${server.name}: admin login got ${login.status}`);
  const cookie = cookieHeader(login);
  /**
   * One request; a 503 (the server shedding load) is tried again after 50 ms, up to `tries`.
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {number} [tries]
   * @returns {Promise<any>}
   */
  const call = async (method, path, body, tries = 100) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    if (response.status === 503 && tries > 1) {
      await sleep(50);
      return call(method, path, body, tries - 1);
    }
    if (!response.ok) {
      throw new Error(
        `${server.name} ${method} ${path}: ${response.status} ${JSON.stringify(answer)}`,
      );
    }
    return answer;
  };
  const site = /** @type {{ defaultLanguage: string }} */ (
    await (await fetch(`${server.url}/api/site`)).json()
  );
  const defaultLanguage = site.defaultLanguage;
  return {
    call,
    /** A new draft in the site's default language; its id. */
    async draft() {
      const created = await call('POST', '/api/admin/announcements', {
        messages: [{ language: defaultLanguage, ...ANNOUNCEMENT }],
      });
      return String(created.id);
    },
    /** @param {string} id */
    get: (id) => call('GET', `/api/admin/announcements/${id}`),
    /**
     * Polls the announcement every 50 ms until `done` says so; the time (performance.now()) of
     * the answer that did.
     * @param {string} id
     * @param {(announcement: any) => boolean} done
     * @param {number} timeoutMs
     */
    async until(id, done, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const announcement = await call('GET', `/api/admin/announcements/${id}`);
        if (done(announcement)) return { at: performance.now(), announcement };
        if (performance.now() > deadline) {
          throw new Error(
            `${server.name}: announcement ${id} still ${announcement.status} after ${timeoutMs} ms ` +
              `(${JSON.stringify(announcement.progress)})`,
          );
        }
        await sleep(50);
      }
    },
  };
}

/**
 * Signups at a steady `rate` a second (open loop: each at its time, whatever the answers before
 * it), a new address each and X-Forwarded-For rotating like wrk-signup.lua; each one's latency is
 * counted from its scheduled time, so a stalled server shows in full.
 * @param {import('../lib/servers.mjs').Server} server
 * @param {number} rate
 * @param {string} tag
 */
function steadySignups(server, rate, tag) {
  const url = new URL(server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  /** @type {{ at: number, ms: number, ok: boolean }[]} */
  const samples = [];
  let inFlight = 0;
  /** @type {(() => void) | null} */
  let drained = null;
  let sent = 0;
  const start = performance.now();
  const fire = (/** @type {number} */ i) => {
    const at = start + (i * 1000) / rate;
    const body = JSON.stringify({ email: `${tag}-${i}@bench.example.com` });
    const ip = i % 65536;
    inFlight += 1;
    /** @param {boolean} ok */
    const finish = (ok) => {
      samples.push({ at, ms: performance.now() - at, ok });
      inFlight -= 1;
      if (inFlight === 0 && drained) drained();
    };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/api/signup',
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-Forwarded-For': `10.76.${Math.floor(ip / 256)}.${ip % 256}`,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => finish(res.statusCode === 200));
        res.once('error', () => finish(false));
      },
    );
    req.once('error', () => finish(false));
    req.end(body);
  };
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * rate) / 1000);
    while (sent < due) fire(sent++);
  }, 2);
  return {
    /**
     * Stops sending, waits for the answers, and returns every signup's figures.
     * @returns {Promise<{ at: number, ms: number, ok: boolean }[]>}
     */
    async stop() {
      clearInterval(timer);
      if (inFlight > 0) await new Promise((resolve) => (drained = () => resolve(undefined)));
      agent.destroy();
      return samples;
    },
  };
}

/**
 * The signups that arrived from `from` to `to` (performance.now() times).
 * @param {{ at: number, ms: number, ok: boolean }[]} samples
 * @param {number} from
 * @param {number} to
 * @returns {SignupWindow}
 */
function signupWindow(samples, from, to) {
  const inside = samples.filter((sample) => sample.at >= from && sample.at < to);
  const answered = inside
    .filter((sample) => sample.ok)
    .map((sample) => sample.ms)
    .sort((a, b) => a - b);
  return {
    count: inside.length,
    failed: inside.length - answered.length,
    p50Ms: percentile(answered, 50),
    p99Ms: percentile(answered, 99),
    maxMs: answered[answered.length - 1] ?? Number.NaN,
  };
}

/**
 * One announce-queue round on one catlist: the signup load for REFERENCE_S, then the send, until
 * queueing is done; then the announcement is cancelled (unmeasured) so that the next round's
 * queues alone.
 * @param {import('../lib/servers.mjs').Server} server
 * @param {Awaited<ReturnType<typeof adminClient>>} admin
 * @param {number} round
 * @param {number} rows
 * @param {number} signupRate
 * @returns {Promise<QueueRun>}
 */
async function queueRound(server, admin, round, rows, signupRate) {
  const REFERENCE_S = 3;
  const id = await admin.draft();
  const load = steadySignups(server, signupRate, `queue-${server.name}-${round}`);
  await sleep(REFERENCE_S * 1000);
  const before = memoryOf(server.pid);
  const cpuBefore = cpuSecondsOf(server.pid);
  let peakRssMb = before?.rssMb ?? 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid)?.rssMb ?? 0);
  }, 20);
  const sentAt = performance.now();
  /** @type {{ at: number, announcement: any }} */
  let finished;
  try {
    await admin.call('POST', `/api/admin/announcements/${id}/send`);
    finished = await admin.until(id, (a) => a.progress.queueingDone === true, 300_000);
  } finally {
    clearInterval(sampler);
  }
  const after = memoryOf(server.pid);
  peakRssMb = Math.max(peakRssMb, after?.rssMb ?? 0);
  const seconds = (finished.at - sentAt) / 1000;
  const cpuPct = ((cpuSecondsOf(server.pid) - cpuBefore) / seconds) * 100;
  const samples = await load.stop();
  const loadStart = samples.reduce((min, sample) => Math.min(min, sample.at), sentAt);
  const recipients = finished.announcement.progress.recipients;
  if (recipients !== rows) log(`  warning: ${int(recipients)} recipients queued, not ${int(rows)}`);
  await admin.call('POST', `/api/admin/announcements/${id}/cancel`);
  return {
    round,
    recipients,
    queueS: seconds,
    rssBeforeMb: before?.rssMb ?? null,
    peakRssMb,
    rssAfterMb: after?.rssMb ?? null,
    rssGrowthMb: peakRssMb - (before?.rssMb ?? peakRssMb),
    serverCpuPct: cpuPct,
    signups: signupWindow(samples, sentAt, finished.at),
    // The first second is the connections' warm-up.
    reference: signupWindow(samples, loadStart + 1000, sentAt),
  };
}

/** MiB for a goal given in MB. */
const mib = (/** @type {number} */ mb) => (mb * 1e6) / 2 ** 20;

/**
 * announce-queue on SQLite and on PostgreSQL (skipped with a notice when unreachable).
 * @param {import('../lib/options.mjs').Config} config
 * @param {Sink} sink
 * @param {string} tmp
 * @param {import('../lib/servers.mjs').Server[]} servers
 * @param {{ pgDatabase: string | null }} state
 * @returns {Promise<AnnouncementsResult>}
 */
async function runQueue(config, sink, tmp, servers, state) {
  const rows = config.announceRows;
  const password = randomBytes(18).toString('base64url');
  const env = catlistEnv(config, sink, password);
  /** @type {{ database: 'sqlite' | 'postgres', server: import('../lib/servers.mjs').Server, seedSeconds: number }[]} */
  const targets = [];
  /** @type {QueueDatabase[]} */
  const skipped = [];
  const file = join(tmp, 'announce-queue.db');
  log(`announce-queue: seeding ${int(rows)} confirmed subscribers on SQLite ...`);
  const sqlite = await seededCatlist(
    'catlist-announce-sqlite',
    `sqlite:${file}`,
    (n) => seedSqlite(file, n),
    rows,
    env,
    servers,
    config.cpuProfDir,
  );
  targets.push({ database: 'sqlite', ...sqlite });
  try {
    await pgQuery(config.pgUrl, 'select 1');
    const database = `catlist_bench_${randomBytes(6).toString('hex')}`;
    await pgQuery(config.pgUrl, `create database ${database}`);
    state.pgDatabase = database;
    const url = new URL(config.pgUrl);
    url.pathname = `/${database}`;
    log(`announce-queue: seeding ${int(rows)} on PostgreSQL (${database}) ...`);
    const pg = await seededCatlist(
      'catlist-announce-pg',
      url.toString(),
      (n) => seedPostgres(url.toString(), n),
      rows,
      env,
      servers,
      config.cpuProfDir,
    );
    targets.push({ database: 'postgres', ...pg });
  } catch (error) {
    if (state.pgDatabase) throw error;
    const reason = `PostgreSQL not reachable at ${safeUrl(config.pgUrl)} (${error instanceof Error ? error.message : error})`;
    log(`notice: announce-queue on PostgreSQL skipped: ${reason}; set --pg-url`);
    skipped.push({ database: 'postgres', skipped: reason, rows, runs: [] });
  }
  const admins = await Promise.all(targets.map((t) => adminClient(t.server, password)));
  /** @type {Map<string, QueueRun[]>} */
  const runs = new Map(targets.map((t) => [t.database, []]));
  for (let r = 1; r <= config.rounds; r += 1) {
    // Alternating which database goes first: drift in the machine's load shows per round.
    const order = targets.map((_target, i) => i);
    if (r % 2 === 0) order.reverse();
    for (const i of order) {
      const target = targets[i];
      const admin = admins[i];
      if (!target || !admin) continue;
      const run = await queueRound(target.server, admin, r, rows, config.announceSignupRate);
      runs.get(target.database)?.push(run);
      log(
        `  ${target.database.padEnd(8)} round ${r}: ${int(run.recipients)} queued in ${fixed(run.queueS, 2)} s, ` +
          `RSS ${fixed(run.rssBeforeMb, 0)} -> peak ${fixed(run.peakRssMb, 0)} MiB (+${fixed(run.rssGrowthMb, 1)}), ` +
          `CPU ${fixed(run.serverCpuPct, 0)} %; signups meanwhile ${run.signups.count} ` +
          `(p99 ${fixed(run.signups.p99Ms, 1)} ms, ${run.signups.failed} failed), ` +
          `before ${run.reference.count} (p99 ${fixed(run.reference.p99Ms, 1)} ms)`,
      );
      if (target.server.child.exitCode !== null) {
        throw new Error(`${target.server.name} died during announce-queue`);
      }
    }
  }
  for (const { server } of targets) server.exitCode = await stopServer(server);
  if (state.pgDatabase) {
    await pgQuery(config.pgUrl, `drop database if exists ${state.pgDatabase} with (force)`);
    state.pgDatabase = null;
  }
  /** @type {QueueDatabase[]} */
  const databases = [
    ...targets.map((t) => ({
      database: t.database,
      rows,
      seedSeconds: t.seedSeconds,
      runs: runs.get(t.database) ?? [],
    })),
    ...skipped,
  ];
  const goalMet = databases
    .flatMap((d) => d.runs)
    .every(
      (run) =>
        run.recipients === rows &&
        run.queueS <= ANNOUNCE_GOALS.queueS &&
        run.rssGrowthMb < mib(ANNOUNCE_GOALS.rssGrowthMb) &&
        run.signups.failed === 0 &&
        run.signups.p99Ms < ANNOUNCE_GOALS.signupP99Ms,
    );
  return {
    id: 'announce-queue',
    kind: 'announce-queue',
    title: ANNOUNCE_SCENARIOS[0]?.title ?? 'announce-queue',
    rows,
    signupRate: config.announceSignupRate,
    databases,
    goalMet,
  };
}

/**
 * nodemailer alone: a child process that sends `count` mails made of `parts` when told to.
 * @param {Sink} sink
 * @param {number} count
 * @param {{ subject: string, html: string, text: string }} parts
 */
async function nodemailerPeer(sink, count, parts) {
  const token = randomBytes(48).toString('base64url');
  const config = {
    url: sink.url,
    from: MAIL_FROM,
    count,
    ...parts,
    headers: {
      'List-Unsubscribe': `<${PUBLIC_URL}/api/unsubscribe?token=${token}&announcement=1>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': 'en',
    },
  };
  const child = spawn(
    process.execPath,
    [join(BENCH_DIR, 'peers/nodemailer-send.mjs'), JSON.stringify(config)],
    { cwd: BENCH_DIR, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({
    input: /** @type {import('node:stream').Readable} */ (child.stdout),
  });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.value !== 'READY') throw new Error(`the nodemailer peer said ${first.value}`);
  return {
    pid: child.pid ?? 0,
    go: () => child.stdin?.write('go\n'),
    /** @returns {Promise<{ sent: number, failed: number, ms: number }>} */
    async result() {
      for (;;) {
        const line = await iterator.next();
        if (line.done) throw new Error('the nodemailer peer ended without a result');
        if (line.value.startsWith('SENT_JSON ')) {
          child.stdin?.end();
          return JSON.parse(line.value.slice('SENT_JSON '.length));
        }
      }
    },
  };
}

/**
 * announce-delivery: catlist (SQLite, unpaced) against nodemailer alone, alternating.
 * @param {import('../lib/options.mjs').Config} config
 * @param {Sink} sink
 * @param {string} tmp
 * @param {import('../lib/servers.mjs').Server[]} servers
 * @returns {Promise<AnnouncementsResult>}
 */
async function runDelivery(config, sink, tmp, servers) {
  const mails = config.announceMails;
  const password = randomBytes(18).toString('base64url');
  const file = join(tmp, 'announce-delivery.db');
  const { server } = await seededCatlist(
    'catlist-announce-delivery',
    `sqlite:${file}`,
    (n) => seedSqlite(file, n),
    mails,
    { ...catlistEnv(config, sink, password), ANNOUNCE_RATE: 'unlimited' },
    servers,
    config.cpuProfDir,
  );
  const admin = await adminClient(server, password);
  // The peer sends what catlist's preview shows: the same subject, HTML and text.
  const previewId = await admin.draft();
  const preview = await admin.call('GET', `/api/admin/announcements/${previewId}/preview`);
  await admin.call('DELETE', `/api/admin/announcements/${previewId}`).catch(() => {});
  const timeoutMs = Math.max(120_000, mails * 100);

  /** @param {number} round @returns {Promise<DeliveryRun>} */
  const catlistRound = async (round) => {
    const id = await admin.draft();
    const bytesBefore = sink.bytes();
    const target = sink.received() + mails;
    const cpuBefore = cpuSecondsOf(server.pid);
    const started = performance.now();
    const reached = sink.reach(target, timeoutMs);
    await admin.call('POST', `/api/admin/announcements/${id}/send`);
    const at = await reached;
    const seconds = (at - started) / 1000;
    const cpu = cpuSecondsOf(server.pid) - cpuBefore;
    // Recorded as sent (unmeasured), so that the next round starts from a quiet server.
    const { announcement } = await admin.until(id, (a) => a.status === 'sent', timeoutMs);
    if (announcement.progress.sent !== mails) {
      throw new Error(`catlist recorded ${announcement.progress.sent} of ${mails} mails as sent`);
    }
    return {
      round,
      side: 'catlist',
      mails,
      seconds,
      mailsPerS: mails / seconds,
      bytesPerMail: (sink.bytes() - bytesBefore) / mails,
      senderCpuPct: (cpu / seconds) * 100,
    };
  };
  /** @param {number} round @returns {Promise<DeliveryRun>} */
  const peerRound = async (round) => {
    const peer = await nodemailerPeer(sink, mails, {
      subject: preview.subject,
      html: preview.html,
      text: preview.text,
    });
    const bytesBefore = sink.bytes();
    const target = sink.received() + mails;
    const cpuBefore = cpuSecondsOf(peer.pid);
    const started = performance.now();
    const reached = sink.reach(target, timeoutMs);
    peer.go();
    const at = await reached;
    const seconds = (at - started) / 1000;
    const cpu = cpuSecondsOf(peer.pid) - cpuBefore;
    const result = await peer.result();
    if (result.sent !== mails) throw new Error(`nodemailer sent ${result.sent} of ${mails}`);
    return {
      round,
      side: 'nodemailer',
      mails,
      seconds,
      mailsPerS: mails / seconds,
      bytesPerMail: (sink.bytes() - bytesBefore) / mails,
      senderCpuPct: (cpu / seconds) * 100,
    };
  };

  /** @type {DeliveryRun[]} */
  const runs = [];
  for (let r = 1; r <= config.rounds; r += 1) {
    const order = r % 2 === 1 ? [catlistRound, peerRound] : [peerRound, catlistRound];
    for (const measureOne of order) {
      const run = await measureOne(r);
      runs.push(run);
      log(
        `  ${run.side.padEnd(10)} round ${r}: ${int(run.mails)} mails in ${fixed(run.seconds, 2)} s, ` +
          `${int(run.mailsPerS)} mails/s, ${int(run.bytesPerMail)} bytes each, ` +
          `sender CPU ${fixed(run.senderCpuPct, 0)} %`,
      );
    }
  }
  server.exitCode = await stopServer(server);
  const of = (/** @type {'catlist' | 'nodemailer'} */ side) =>
    mean(runs.filter((run) => run.side === side).map((run) => run.mailsPerS));
  const ratioPerRound = runs
    .filter((run) => run.side === 'catlist')
    .map(
      (run) =>
        run.mailsPerS /
        (runs.find((other) => other.side === 'nodemailer' && other.round === run.round)
          ?.mailsPerS ?? Number.NaN),
    );
  const ratio = of('catlist') / of('nodemailer');
  log(`  catlist / nodemailer: ${ratio.toFixed(2)}× (target ≥ ${ANNOUNCE_GOALS.deliveryRatio}×)`);
  return {
    id: 'announce-delivery',
    kind: 'announce-delivery',
    title: ANNOUNCE_SCENARIOS[1]?.title ?? 'announce-delivery',
    mails,
    runs,
    catlistMailsPerS: of('catlist'),
    nodemailerMailsPerS: of('nodemailer'),
    ratio,
    ratioPerRound,
    goalMet: ratio >= ANNOUNCE_GOALS.deliveryRatio,
  };
}

/**
 * Runs the wanted announcement scenarios (starting and stopping their own catlist processes).
 * @param {{ config: import('../lib/options.mjs').Config }} context
 * @param {import('../lib/servers.mjs').Server[]} servers   every server started, for cleanup
 * @param {string} tmp   where their databases go
 * @param {{ pgDatabase: string | null }} state   the database to drop if the run is cut short
 * @param {{ id: string, title: string }[]} wanted
 * @returns {Promise<AnnouncementsResult[]>}
 */
export async function runAnnouncements({ config }, servers, tmp, state, wanted) {
  const sink = await smtpSink();
  /** @type {AnnouncementsResult[]} */
  const results = [];
  try {
    for (const scenario of wanted) {
      log(`scenario ${scenario.id}: ${scenario.title}`);
      if (scenario.id === 'announce-queue') {
        results.push(await runQueue(config, sink, tmp, servers, state));
      } else if (scenario.id === 'announce-delivery') {
        results.push(await runDelivery(config, sink, tmp, servers));
      }
    }
  } finally {
    await sink.close();
  }
  return results;
}
