// @ts-check
// The servers under load: each a child process of the bench on a free port of 127.0.0.1, its
// output watched for complaints, checked with one request before it is measured, and stopped
// with SIGTERM (SIGKILL after 15 s).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './format.mjs';
import { HOST, ROOT } from './paths.mjs';
import { memoryOf } from './process-stats.mjs';

/** The visitor whose session the session scenarios read. */
export const SESSION_EMAIL = 'bench@example.com';

/** @typedef {{ errors: number, warnings: number, samples: string[] }} LogCounts */

/**
 * @typedef {{ name: string, url: string, child: import('node:child_process').ChildProcess,
 *   pid: number, logs: LogCounts, exited: Promise<number | null>, signupsSent: number,
 *   cookie?: string, finalMemory?: import('./process-stats.mjs').Memory | null,
 *   exitCode?: number | null }} Server
 */

/**
 * A free TCP port on 127.0.0.1 (bound, read, released).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((found, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => found(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Keeps count of the structured (pino) log lines at warn and above; keeps a few samples.
 * @param {import('node:child_process').ChildProcess} child
 * @param {LogCounts} logs
 */
function watchLogs(child, logs) {
  let pending = '';
  /** @param {string} chunk */
  const onData = (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let level = 50; // anything unstructured on the server's output is worth a look
      try {
        // JSON without a level (the peers' {"listening": port}) is not a complaint.
        level = JSON.parse(line).level ?? 30;
      } catch {}
      if (level >= 50) logs.errors += 1;
      else if (level >= 40) logs.warnings += 1;
      if (level >= 40 && logs.samples.length < 5) logs.samples.push(line.slice(0, 500));
    }
  };
  child.stdout?.setEncoding('utf8').on('data', onData);
  child.stderr?.setEncoding('utf8').on('data', onData);
}

/**
 * Starts `node ...args` with `env` (and PATH, PORT, HOST) and waits until /api/health answers.
 * @param {string} name
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<Server>}
 */
export async function startServer(name, args, env) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {LogCounts} */
  const logs = { errors: 0, warnings: 0, samples: [] };
  watchLogs(child, logs);
  /** @type {Promise<number | null>} */
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  /** @type {Server} */
  const server = {
    name,
    url: `http://${HOST}:${port}`,
    child,
    pid: child.pid ?? 0,
    logs,
    exited,
    signupsSent: 0,
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}: ${logs.samples.join('\n')}`);
    }
    try {
      const response = await fetch(`${server.url}/api/health`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${name} did not answer /api/health within 30 s`);
    await sleep(100);
  }
  return server;
}

/**
 * SIGTERM, then SIGKILL after 15 s; records the server's memory just before. Resolves with the
 * exit code.
 * @param {Server} server
 * @returns {Promise<number | null>}
 */
export async function stopServer(server) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  server.finalMemory = memoryOf(server.pid);
  server.child.kill('SIGTERM');
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<'timeout'>} */
  const timeout = new Promise((done) => {
    timer = setTimeout(() => done('timeout'), 15_000);
  });
  // The timer is cleared once the server is gone: a pending one would hold the bench open.
  const code = await Promise.race([server.exited, timeout]).finally(() => clearTimeout(timer));
  if (code === 'timeout') {
    log(`${server.name} did not stop within 15 s of SIGTERM: killing it`);
    server.child.kill('SIGKILL');
    return server.exited;
  }
  return code;
}

/**
 * The cookies of a response as a Cookie header (name=value pairs, attributes dropped).
 * @param {Response} response
 */
export const cookieHeader = (response) =>
  response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');

/**
 * Signs up SESSION_EMAIL and returns the Cookie header that carries that visitor's session:
 * every cookie the server set, whatever their names (catlist's sid + sid.sig, koa-session's
 * koa.sess + koa.sess.sig).
 * @param {Server} server
 */
export async function visitorCookie(server) {
  const response = await fetch(`${server.url}/api/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.78.0.1' },
    body: JSON.stringify({ email: SESSION_EMAIL }),
  });
  if (!response.ok) throw new Error(`${server.name}: signup for a cookie got ${response.status}`);
  const cookie = cookieHeader(response);
  if (cookie === '') throw new Error(`${server.name}: signup for a cookie set no cookie`);
  return cookie;
}

/**
 * One request of a scenario, checked, so that we never benchmark a stream of errors. A returning
 * visitor's signup signs up once for a cookie, then again with it; a server that set a cookie
 * the first time must set one again (the next request of that connection carries it).
 * @param {Server} server
 * @param {import('../scenarios/definitions.mjs').Scenario} scenario
 */
export async function check(server, scenario) {
  /** @param {string} label @param {Record<string, string>} [extra] */
  const signup = (label, extra = {}) =>
    fetch(`${server.url}${scenario.path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.78.0.2', ...extra },
      body: JSON.stringify({ email: `check-${label}-${Date.now()}@bench.example.com` }),
    });
  /** @type {Response} */
  let response;
  let cookieWanted = false;
  if (scenario.mode === 'signup') {
    response = await signup('new');
  } else if (scenario.mode === 'signup-returning') {
    const first = await signup('first');
    await first.arrayBuffer();
    const earlier = cookieHeader(first);
    cookieWanted = earlier !== '';
    // Servers that set no cookie (baseline, bare-koa) get the same bytes as catlist's.
    response = await signup('again', { Cookie: earlier || (server.cookie ?? '') });
  } else {
    response = await fetch(`${server.url}${scenario.path}`, {
      headers: scenario.cookie && server.cookie ? { Cookie: server.cookie } : {},
    });
  }
  /** @type {any} */
  const body = await response.json().catch(() => null);
  const ok =
    response.status === 200 &&
    (scenario.id === 'session'
      ? body?.email === SESSION_EMAIL && body?.subscribed === true
      : scenario.mode === 'signup' || scenario.mode === 'signup-returning'
        ? body?.subscribed === true
        : typeof body?.subscribers === 'number');
  if (!ok) {
    throw new Error(
      `${server.name} ${scenario.path}: unexpected ${response.status} ${JSON.stringify(body)}`,
    );
  }
  if (cookieWanted && cookieHeader(response) === '') {
    throw new Error(`${server.name} ${scenario.path}: a returning visitor's signup set no cookie`);
  }
}
