/**
 * Soak test (not part of `pnpm test`): mixed traffic against a real server for a fixed time, then
 * checks that nothing failed, the list matches a model of what the traffic did, memory did not
 * grow, and the session table stayed bounded.
 *
 *   pnpm soak                          # 150 s on a fresh SQLite database (70 s warm-up)
 *   SOAK_SECONDS=300 pnpm soak
 *   SOAK_WARMUP_SECONDS=20 pnpm soak   # memory is compared from the end of the warm-up
 *   SOAK_DATABASE_URL=postgres://... pnpm soak
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open-database.js';
import { eventually, spawnServer } from '../src/test-support/spawn-server.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 150);
// Memory is compared from the end of the warm-up, so the warm-up must outlast what the server
// rightly holds for a while: the signup limiter keeps each client address for its 60 s window
// (every soak signup comes from a new address), and the read caches fill up to their bounds.
const WARMUP_SECONDS = Number(
  process.env.SOAK_WARMUP_SECONDS ?? Math.min(70, Math.floor(SECONDS / 2)),
);
const VISITORS = 24;
const HEAP_CAP_MIB = 192;
const PASSWORD = 'soak-test-admin-password';

const dir = mkdtempSync(join(tmpdir(), 'catlist-soak-'));
const databaseUrl = process.env.SOAK_DATABASE_URL ?? `sqlite:${join(dir, 'catlist.db')}`;
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
// Logs at warn (one info line per request would be part of what is measured), so the
// "listening" line never comes: wait for /api/health instead.
// The server's heap is capped: at 5,000 req/s V8 lets an uncapped heap grow by 100 MB and more
// before collecting (RSS 200 -> 310 MB in 80 s), which says nothing about what is still in use.
// With a cap, RSS follows live memory, and a leak shows as growth or as an out-of-memory crash.
const spawned = await spawnServer(
  {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_CAP_MIB}`.trim(),
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    SESSION_KEYS: 'soak-test-session-key-0123456789abcdefgh',
    ADMIN_PASSWORD: PASSWORD,
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    PORT: String(port),
  },
  { waitForListening: false },
);
const server = { ...spawned, url: `http://127.0.0.1:${port}` };
await eventually(async () => (await fetch(`${server.url}/api/health`)).ok);
const rss = () => {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
};

const model = new Set<string>();
const selfRemoved = new Set<string>();
const deletedByAdmin = new Set<string>();
const counts = { requests: 0, status5xx: 0, unexpected: [] as string[] };
let ipCounter = 0;
const nextIp = () => {
  ipCounter++;
  return `198.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

async function call(path: string, init: RequestInit = {}, expected: number[] = [200]) {
  counts.requests++;
  const response = await fetch(`${server.url}${path}`, init);
  if (response.status >= 500) counts.status5xx++;
  if (!expected.includes(response.status)) {
    counts.unexpected.push(`${init.method ?? 'GET'} ${path} -> ${response.status}`);
  }
  return response;
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': nextIp(), ...headers },
  body: JSON.stringify(body),
});

let stop = false;
let n = 0;
let signedUp = 0;

async function visitor(id: number) {
  while (!stop) {
    const email = `soak-${id}-${n++}@example.com`;
    const signup = await call('/api/signup', json({ email }));
    if (signup.status !== 200) continue;
    // The admin may have found and deleted the address between its commit and this answer.
    if (!deletedByAdmin.has(email)) model.add(email);
    signedUp++;
    const cookie = signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    for (let i = 0; i < 5; i++) await call('/api/session', { headers: { Cookie: cookie } });
    await call('/api/stats');
    if (n % 2 === 0) {
      const out = await call(
        '/api/unregister',
        { method: 'POST', headers: { Cookie: cookie } },
        [200, 404],
      );
      if (out.status === 200) {
        model.delete(email);
        selfRemoved.add(email);
      }
    }
  }
}

async function admin() {
  const login = await call('/api/admin/login', json({ password: PASSWORD }));
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  while (!stop) {
    let cursor: string | null = null;
    for (let page = 0; page < 5 && !stop; page++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await call(`/api/admin/subscribers?limit=100${query}`, {
        headers: { Cookie: cookie },
      });
      const body = (await response.json()) as {
        items: { email: string }[];
        nextCursor: string | null;
      };
      const victim = body.items.find((item) => item.email.endsWith('7@example.com'));
      if (victim) {
        const del = await call(
          `/api/admin/subscribers/${encodeURIComponent(victim.email)}`,
          { method: 'DELETE', headers: { Cookie: cookie } },
          [204, 404],
        );
        if (del.status === 204) {
          model.delete(victim.email);
          deletedByAdmin.add(victim.email);
        }
      }
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

console.log(
  `soak: ${SECONDS} s (${WARMUP_SECONDS} s warm-up), ${VISITORS} visitors + 1 admin, ${databaseUrl.split(':')[0]}`,
);
const traffic = [...Array.from({ length: VISITORS }, (_, i) => visitor(i)), admin()];
await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
const rssAfterWarmup = rss();
await new Promise((resolve) => setTimeout(resolve, (SECONDS - WARMUP_SECONDS) * 1000));
stop = true;
await Promise.all(traffic);
const rssAtEnd = rss();

server.child.kill('SIGTERM');
await server.exited;

const database = await openDatabase(databaseUrl);
const stored = new Set(
  (await database.db.selectFrom('subscribers').select('email').execute()).map((row) => row.email),
);
const sessions = (await database.db.selectFrom('sessions').select('id').execute()).length;
await database.close();
rmSync(dir, { recursive: true, force: true });

const missing = [...model].filter((email) => !stored.has(email));
const extra = [...stored].filter((email) => !model.has(email));
const growth = rssAtEnd / rssAfterWarmup - 1;
// A visitor who unregistered took their session along; the others (and the admin) keep one each.
const sessionBound = signedUp - selfRemoved.size + 1;
const checks = [
  ['zero 5xx', counts.status5xx === 0, `${counts.status5xx} of ${counts.requests}`],
  [
    'only expected statuses',
    counts.unexpected.length === 0,
    counts.unexpected.slice(0, 5).join('; '),
  ],
  [
    'list matches the model',
    missing.length === 0 && extra.length === 0,
    `${missing.length} missing, ${extra.length} extra, ${stored.size} stored` +
      [...missing.slice(0, 5), ...extra.slice(0, 5)].map((email) => ` ${email}`).join(''),
  ],
  [
    'memory within 20% of warm-up',
    growth <= 0.2,
    `${(rssAfterWarmup / 2 ** 20).toFixed(1)} MB -> ${(rssAtEnd / 2 ** 20).toFixed(1)} MB (${(growth * 100).toFixed(1)}%)`,
  ],
  [
    'sessions bounded',
    sessions <= sessionBound,
    `${sessions} rows <= ${sessionBound} (${signedUp} signups, ${selfRemoved.size} left)`,
  ],
] as const;
console.log(`${counts.requests} requests, ${(counts.requests / SECONDS).toFixed(0)} req/s`);
for (const [name, ok, detail] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
