#!/usr/bin/env node
// @ts-check
// Tool: what a durable SQLite commit costs on a disk, alone and grouped. Run: node bench/tools/sqlite-commit-cost.mjs [DIR] [--rows=2000]
//
// What a durable SQLite commit costs on this machine's disk (WAL; synchronous FULL, and NORMAL for
// comparison), one process, no HTTP: the ceiling a signup can reach when every request commits
// on its own, against commits grouped 10 or 50 signups at a time. catlist itself runs NORMAL and
// fdatasyncs the log before answering, which is as durable as the FULL rows.
// better-sqlite3 is synchronous: a server that commits on its event loop is blocked this long.
//   DIR defaults to the system temp folder; point it at the disk catlist's data folder is on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

const args = process.argv.slice(2);
const parent = resolve(args.find((arg) => !arg.startsWith('--')) ?? tmpdir());
const rows = Number(args.find((arg) => arg.startsWith('--rows='))?.slice(7) ?? 2000);
const dir = mkdtempSync(join(parent, 'catlist-commit-cost-'));
let filesystem = 'unknown';
try {
  filesystem = execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
} catch {}

/**
 * Inserts `rows` subscriber rows plus `rows` session rows, `perCommit` requests per transaction.
 * @param {string} synchronous
 * @param {number} perCommit requests (subscriber + session row each) per transaction
 * @param {boolean} [sessionInSameCommit]
 */
function run(synchronous, perCommit, sessionInSameCommit = true) {
  const file = join(dir, `${synchronous}-${perCommit}-${sessionInSameCommit}.db`);
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`create table subscribers (email text primary key, created_at bigint not null);
    create index subscribers_created_at_email on subscribers (created_at desc, email);
    create table sessions (id text primary key, data text not null, expires_at bigint not null);
    create index sessions_expires_at on sessions (expires_at);`);
  const addSubscriber = db.prepare(
    'insert into subscribers (email, created_at) values (?, ?) on conflict (email) do nothing',
  );
  const setSession = db.prepare(
    'insert into sessions (id, data, expires_at) values (?, ?, ?) on conflict (id) do update set data = excluded.data, expires_at = excluded.expires_at',
  );
  /** @param {number} i */
  const request = (i) => {
    addSubscriber.run(`user${i}@bench.example.com`, Date.now());
    if (sessionInSameCommit) {
      setSession.run(`s${i}`, `{"email":"user${i}@bench.example.com"}`, Date.now() + 1e9);
    }
  };
  const batch = db.transaction((/** @type {number} */ from, /** @type {number} */ to) => {
    for (let i = from; i < to; i += 1) request(i);
  });
  const started = performance.now();
  for (let i = 0; i < rows; i += perCommit) batch(i, Math.min(rows, i + perCommit));
  if (!sessionInSameCommit) {
    // The session write as a commit of its own (koa-session saves after the route).
    for (let i = 0; i < rows; i += 1) {
      setSession.run(`s${i}`, `{"email":"user${i}@bench.example.com"}`, Date.now() + 1e9);
    }
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, perRequestMs: ms / rows, requestsPerS: (rows / ms) * 1000 };
}

/** @type {[string, number, boolean, string][]} */
const cases = [
  ['FULL', 1, false, 'subscriber commit, then session commit (2 fsyncs per signup)'],
  ['FULL', 1, true, 'subscriber + session in one transaction (1 fsync per signup)'],
  ['FULL', 10, true, 'group commit, 10 signups per transaction'],
  ['FULL', 50, true, 'group commit, 50 signups per transaction'],
  ['NORMAL', 1, false, 'synchronous=NORMAL, 2 commits per signup (no fsync per commit)'],
  ['NORMAL', 1, true, 'synchronous=NORMAL, 1 commit per signup'],
];
console.log(
  `SQLite commit cost in ${parent} (${filesystem}), WAL, ${rows} signups per case` +
    (filesystem === 'tmpfs' ? ' — tmpfs: fsync costs nothing here, use a real disk' : ''),
);
try {
  for (const [synchronous, perCommit, together, label] of cases) {
    const { perRequestMs, requestsPerS } = run(synchronous, perCommit, together);
    console.log(
      `  ${label.padEnd(66)} ${perRequestMs.toFixed(3).padStart(7)} ms/signup  ${Math.round(requestsPerS).toLocaleString('en-US').padStart(8)} signups/s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
