import { request } from 'node:http';
import { MAX_IMPORT_BYTES, MAX_INVALID_LINES_SHOWN } from '@catlist/contracts';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SWEEP_MS } from '../background-work.js';
import { eventually } from '../test-support/spawn-server.js';
import { listEmails, startTestServer, type TestServer } from '../test-support/test-server.js';

const PASSWORD = 'correct horse battery staple';

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ adminPassword: PASSWORD, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

/** A logger that keeps its lines; `loud` lists what was logged at error level or above. */
function capture() {
  const lines: { level: number; msg: string; route?: string; status?: number }[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  const loud = () => lines.filter((line) => line.level >= 50).map((line) => line.msg);
  return { logger, lines, loud };
}

async function loggedIn(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

type Agent = Awaited<ReturnType<typeof loggedIn>>;
const upload = (admin: Agent, text: string) =>
  admin.post('/api/admin/imports').set('Content-Type', 'text/csv').send(text);

async function stagedRows(server: TestServer) {
  return server.database.db.selectFrom('import_rows').select('email').execute();
}

const MIXED = [
  'email',
  'Cat@Example.com',
  'not an address',
  'known@example.com',
  '',
  'cat@example.com',
  'dog@kennel',
  'bird@example.org',
].join('\r\n');

describe('admin import', () => {
  it('previews a mixed file without changing the list, then imports it on confirm', async () => {
    const server = await start();
    await server.request().post('/api/signup').send({ email: 'known@example.com' }).expect(200);
    const admin = await loggedIn(server);

    const preview = await upload(admin, MIXED).expect(200);
    expect(preview.body).toEqual({
      id: expect.any(String),
      added: 2,
      alreadyThere: 2,
      invalid: 2,
      suppressed: 0,
      invalidLines: [
        {
          line: 3,
          value: 'not an address',
          message: '"not an address" is not a valid email address.',
        },
        { line: 7, value: 'dog@kennel', message: '"dog@kennel" is not a valid email address.' },
      ],
    });
    expect(await listEmails(server.database)).toEqual(['known@example.com']);

    const confirmed = await admin.post(`/api/admin/imports/${preview.body.id}/confirm`).expect(200);
    expect(confirmed.body).toEqual({ added: 2, alreadyThere: 2, invalid: 2, suppressed: 0 });
    expect(await listEmails(server.database)).toEqual([
      'bird@example.org',
      'cat@example.com',
      'known@example.com',
    ]);
    expect((await server.request().get('/api/stats')).body.subscribers).toBe(3);

    // The list and the CSV say where each address came from.
    const list = await admin.get('/api/admin/subscribers').expect(200);
    const sources = Object.fromEntries(
      list.body.items.map((item: { email: string; source: string }) => [item.email, item.source]),
    );
    expect(sources).toEqual({
      'bird@example.org': 'import',
      'cat@example.com': 'import',
      'known@example.com': 'signup',
    });
    const csv = await admin.get('/api/admin/subscribers.csv').expect(200);
    const records = parse(csv.text, { columns: true }) as { email: string; source: string }[];
    expect(records.find((r) => r.email === 'bird@example.org')?.source).toBe('import');

    // Confirmed once: the id is spent, and the staging is gone.
    const again = await admin.post(`/api/admin/imports/${preview.body.id}/confirm`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('import_not_found');
    expect(await stagedRows(server)).toEqual([]);
  });

  it('refuses a line whose created_at is not a date, with its line number and why, never importing it as now', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const file = [
      'email,created_at,source',
      'a@example.com,2026-01-02T03:04:05.000Z,signup',
      'b@example.com,yesterday,signup',
      'c@example.com,,signup',
      'd@example.com,2026-02-30,signup',
      'e@example.com,1,signup',
      'f@example.com,13/45/2026,signup',
      'g@example.com,2026-01-02T25:00:00Z,signup',
      'h@example.com,March 7,signup',
      'i@example.com,2026-01-03,signup',
      'j@example.com,Infinity,signup',
    ].join('\r\n');
    const preview = await upload(admin, file).expect(200);
    const why = (value: string) =>
      `created_at "${value}" is not a date and time such as 2026-01-01T00:00:07.000Z (the export’s format).`;
    expect(preview.body.invalidLines).toEqual(
      [
        [3, 'yesterday'],
        [5, '2026-02-30'],
        [6, '1'],
        [7, '13/45/2026'],
        [8, '2026-01-02T25:00:00Z'],
        [9, 'March 7'],
        [11, 'Infinity'],
      ].map(([line, value]) => ({ line, value, message: why(String(value)) })),
    );
    expect(preview.body).toMatchObject({ added: 3, invalid: 7 });
    const before = Date.now();
    await admin.post(`/api/admin/imports/${preview.body.id}/confirm`).expect(200);
    const rows = await server.database.db
      .selectFrom('subscribers')
      .select(['email', 'created_at'])
      .orderBy('email')
      .execute();
    expect(rows.map((row) => row.email)).toEqual([
      'a@example.com',
      'c@example.com',
      'i@example.com',
    ]);
    const at = Object.fromEntries(rows.map((row) => [row.email, Number(row.created_at)]));
    expect(at['a@example.com']).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
    expect(at['i@example.com']).toBe(Date.parse('2026-01-03T00:00:00.000Z'));
    // An empty cell means no time was given: the import's own.
    expect(at['c@example.com']).toBeGreaterThan(before - 60_000);
  });

  it('is idempotent: the same file again adds nothing', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const first = await upload(admin, MIXED).expect(200);
    await admin.post(`/api/admin/imports/${first.body.id}/confirm`).expect(200);
    const second = await upload(admin, MIXED).expect(200);
    expect(second.body).toMatchObject({ added: 0, alreadyThere: 4, invalid: 2 });
    const confirmed = await admin.post(`/api/admin/imports/${second.body.id}/confirm`).expect(200);
    expect(confirmed.body).toEqual({ added: 0, alreadyThere: 4, invalid: 2, suppressed: 0 });
    expect(await listEmails(server.database)).toHaveLength(3);
  });

  it('lets exactly one of several confirms at once add the rows; the others are 404 import_not_found', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    // Large enough that the confirms overlap while the rows are being moved.
    const file = Array.from({ length: 20_000 }, (_, i) => `race${i}@example.com`).join('\n');
    const preview = await upload(admin, file).expect(200);
    const confirms = await Promise.all(
      Array.from({ length: 4 }, () => admin.post(`/api/admin/imports/${preview.body.id}/confirm`)),
    );
    const statuses = confirms.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 404, 404, 404]);
    const winner = confirms.find((response) => response.status === 200);
    expect(winner?.body).toEqual({ added: 20_000, alreadyThere: 0, invalid: 0, suppressed: 0 });
    for (const loser of confirms.filter((response) => response.status === 404)) {
      expect(loser.body.error.code).toBe('import_not_found');
    }
    expect((await server.request().get('/api/stats')).body.subscribers).toBe(20_000);
    expect(await stagedRows(server)).toEqual([]);
  });

  it('refuses to confirm a staged import over an hour old, even with no preview since', async () => {
    let clock = Date.now();
    const server = await start({ now: () => clock });
    const admin = await loggedIn(server);
    const preview = await upload(admin, 'a@example.com\n').expect(200);
    clock += 60 * 60 * 1000 + 1;
    // Keep the admin session alive across the hour (its idle limit is 30 minutes).
    await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
    const late = await admin.post(`/api/admin/imports/${preview.body.id}/confirm`);
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('import_not_found');
    expect(await listEmails(server.database)).toEqual([]);
    // And one just inside the hour still goes through.
    const fresh = await upload(admin, 'b@example.com\n').expect(200);
    clock += 60 * 60 * 1000 - 1;
    await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
    await admin.post(`/api/admin/imports/${fresh.body.id}/confirm`).expect(200);
    expect(await listEmails(server.database)).toEqual(['b@example.com']);
  });

  it('sweeps staged imports nobody will confirm when the server starts (a killed `catlist import`)', async () => {
    const clock = Date.now();
    const first = await start({ now: () => clock });
    // What `catlist import` leaves when it is killed between staging and commit: rows staged by
    // another process, an hour and more ago; and one staged a minute ago, still being worked on.
    await first.database.db
      .insertInto('imports')
      .values([
        { id: 'orphan', created_at: clock - 2 * 60 * 60 * 1000, valid_rows: 0, invalid_rows: 0 },
        { id: 'running', created_at: clock - 60 * 1000, valid_rows: 0, invalid_rows: 0 },
      ])
      .execute();
    await first.database.db
      .insertInto('import_rows')
      .values([
        { import_id: 'orphan', email: 'left@example.com', created_at: clock },
        { import_id: 'running', email: 'busy@example.com', created_at: clock },
      ])
      .execute();
    await first.stop();
    const second = await start({ storage: first.storage, now: () => clock, background: true });
    await eventually(async () => (await stagedRows(second)).length === 1);
    expect(await stagedRows(second)).toEqual([{ email: 'busy@example.com' }]);
    expect(await listEmails(second.database)).toEqual([]);
  });

  it('sweeps them again every 10 minutes while it runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let clock = Date.now();
      const server = await start({ now: () => clock, background: true });
      await server.database.db
        .insertInto('imports')
        .values({ id: 'killed', created_at: clock - 60 * 1000, valid_rows: 0, invalid_rows: 0 })
        .execute();
      await server.database.db
        .insertInto('import_rows')
        .values({ import_id: 'killed', email: 'left@example.com', created_at: clock })
        .execute();
      clock += 60 * 60 * 1000;
      vi.advanceTimersByTime(SWEEP_MS);
      await eventually(async () => (await stagedRows(server)).length === 0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('discards a preview: confirming it afterwards imports nothing', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const preview = await upload(admin, 'a@example.com\n').expect(200);
    await admin.delete(`/api/admin/imports/${preview.body.id}`).expect(204);
    await admin.post(`/api/admin/imports/${preview.body.id}/confirm`).expect(404);
    expect(await listEmails(server.database)).toEqual([]);
    expect(await stagedRows(server)).toEqual([]);
  });

  it('imports 100,000 addresses, listing only the first invalid lines', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const lines = ['email'];
    for (let i = 0; i < 100_000; i++) {
      lines.push(`user${i}@example.com`);
      if (i % 500 === 0) lines.push(`broken-${i}`);
    }
    const preview = await upload(admin, `${lines.join('\n')}\n`).expect(200);
    expect(preview.body).toMatchObject({ added: 100_000, alreadyThere: 0, invalid: 200 });
    expect(preview.body.invalidLines).toHaveLength(MAX_INVALID_LINES_SHOWN);
    expect(preview.body.invalidLines[0]).toMatchObject({ line: 3, value: 'broken-0' });
    await admin.post(`/api/admin/imports/${preview.body.id}/confirm`).expect(200);
    expect((await server.request().get('/api/stats')).body.subscribers).toBe(100_000);
    const search = await admin.get('/api/admin/subscribers').query({ q: 'user99999@' }).expect(200);
    expect(search.body.items).toEqual([
      { email: 'user99999@example.com', createdAt: expect.any(String), source: 'import' },
    ]);
  });

  it('refuses a file that is not CSV with 400 invalid_csv, staging nothing', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const response = await upload(admin, 'a@example.com\n"b@example.com\n');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_csv');
    expect(await stagedRows(server)).toEqual([]);
  });

  it('refuses a file over the size limit with 413, staging nothing', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const line = 'someone-with-a-long-name@example.com\n';
    const big = line.repeat(Math.ceil((MAX_IMPORT_BYTES + 1) / line.length));
    const response = await upload(admin, big);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect(await stagedRows(server)).toEqual([]);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('takes an upload that outlasts the request deadline on a slow link, as long as it never stalls', async () => {
    // Scaled down from a 10 MiB file at 1 Mbit/s (84 s against a 15 s deadline): 1 s deadline,
    // about 3 s of upload in small chunks.
    const { logger, loud } = capture();
    const server = await start({ requestTimeoutMs: 1000, bodyIdleMs: 1000, logger });
    const admin = await loggedIn(server);
    const cookie = (await admin.get('/api/session')).request.cookies;
    const lines = Array.from({ length: 3000 }, (_, i) => `slow${i}@example.com\n`);
    const body = Buffer.from(lines.join(''));
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(new URL('/api/admin/imports', server.url), {
        method: 'POST',
        headers: {
          'Content-Type': 'text/csv',
          'Content-Length': String(body.length),
          Cookie: cookie,
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      const chunk = Math.ceil(body.length / 30);
      let sent = 0;
      const tick = setInterval(() => {
        req.write(body.subarray(sent, sent + chunk));
        sent += chunk;
        if (sent >= body.length) {
          clearInterval(tick);
          req.end();
        }
      }, 100);
    });
    const started = Date.now();
    const { status, text } = await answer;
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ added: 3000, invalid: 0 });
    expect(loud()).toEqual([]);
  });

  it('cuts off an upload that stalls longer than the idle limit, staging nothing, as a client error', async () => {
    const { logger, loud } = capture();
    const server = await start({ requestTimeoutMs: 1000, bodyIdleMs: 500, logger });
    const admin = await loggedIn(server);
    const cookie = (await admin.get('/api/session')).request.cookies;
    const closed = new Promise<string>((resolve) => {
      const req = request(new URL('/api/admin/imports', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', 'Content-Length': '1000000', Cookie: cookie },
      });
      req.on('error', () => resolve('cut'));
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.write(Array.from({ length: 12_000 }, (_, i) => `stall${i}@example.com\n`).join(''));
    });
    expect(['408', 'cut']).toContain(await closed);
    await eventually(async () => (await stagedRows(server)).length === 0);
    expect(await listEmails(server.database)).toEqual([]);
    expect(loud()).toEqual([]);
  });

  it('stages nothing from an upload cut off part-way, and logs it as a client error', async () => {
    const { logger, loud, lines } = capture();
    const server = await start({ logger });
    const admin = await loggedIn(server);
    const cookie = (await admin.get('/api/session')).request.cookies;
    const url = new URL('/api/admin/imports', server.url);
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': '1000000', Cookie: cookie },
    });
    req.on('error', () => {});
    req.write(Array.from({ length: 12_000 }, (_, i) => `cut${i}@example.com\n`).join(''));
    await eventually(async () => (await stagedRows(server)).length > 0);
    req.destroy();
    await eventually(async () => (await stagedRows(server)).length === 0);
    expect(await listEmails(server.database)).toEqual([]);
    expect(loud()).toEqual([]);
    await eventually(async () =>
      lines.some((line) => line.route === '/api/admin/imports' && line.status === 400),
    );
  });

  it('refuses JSON with 415 and a foreign origin with 403', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const json = await admin.post('/api/admin/imports').send({ emails: ['a@example.com'] });
    expect(json.status).toBe(415);
    const foreign = await upload(admin, 'a@example.com\n').set('Origin', 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('forbidden_origin');
    expect(await stagedRows(server)).toEqual([]);
  });

  it('is for the admin only', async () => {
    const server = await start();
    const response = await upload(server.browser(), 'a@example.com\n');
    expect(response.status).toBe(401);
    const disabled = await start({ adminPassword: undefined });
    expect((await upload(disabled.browser(), 'a@example.com\n')).status).toBe(503);
    expect(await stagedRows(server)).toEqual([]);
  });
});
