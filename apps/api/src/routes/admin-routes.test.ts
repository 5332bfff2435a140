import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countSessions,
  listEmails,
  startTestServer,
  type TestServer,
} from '../test-support/test-server.js';

const PASSWORD = 'correct horse battery staple';
const MINUTE = 60 * 1000;

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ adminPassword: PASSWORD, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function loggedIn(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

/** Puts addresses straight into the database with the given signup times. */
async function seed(server: TestServer, rows: { email: string; createdAt: number }[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await server.database.db
      .insertInto('subscribers')
      .values(rows.slice(i, i + 500).map((r) => ({ email: r.email, created_at: r.createdAt })))
      .execute();
  }
}

function sidOf(setCookie: string[] | string | undefined): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return lines
    .find((line) => line.startsWith('sid='))
    ?.split(';')[0]
    ?.slice(4);
}

const ADMIN_ROUTES = [
  ['post', '/api/admin/logout'],
  ['get', '/api/admin/subscribers'],
  ['get', '/api/admin/subscribers.csv'],
  ['get', '/api/admin/embed'],
  ['delete', '/api/admin/subscribers/a%40example.com'],
] as const;

describe('without ADMIN_PASSWORD', () => {
  it.each([['post', '/api/admin/login'] as const, ...ADMIN_ROUTES])(
    '%s %s answers 503 admin_disabled',
    async (method, path) => {
      const server = await start({ adminPassword: undefined });
      const response = await server.request()[method](path).send({ password: PASSWORD });
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('admin_disabled');
    },
  );
});

describe('login', () => {
  it.each(ADMIN_ROUTES)('%s %s is 401 unauthorized before login', async (method, path) => {
    const server = await start();
    await seed(server, [{ email: 'a@example.com', createdAt: 1 }]);
    const response = await server.request()[method](path);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(await listEmails(server.database)).toEqual(['a@example.com']);
  });

  it('refuses a wrong password with 401 invalid_password and grants nothing', async () => {
    const server = await start();
    const browser = server.browser();
    const response = await browser.post('/api/admin/login').send({ password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_password');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await browser.get('/api/session')).body.admin).toBe(false);
  });

  it.each([
    ['no password', {}],
    ['a number', { password: 12345678 }],
  ])('refuses a body with %s as 400 invalid_request', async (_, body) => {
    const server = await start();
    const response = await server.request().post('/api/admin/login').send(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });

  it('logs in with the right password and the session says admin', async () => {
    const server = await start();
    const admin = server.browser();
    const response = await admin.post('/api/admin/login').send({ password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ admin: true });
    expect((await admin.get('/api/session')).body).toEqual({
      email: null,
      subscribed: false,
      admin: true,
    });
    await admin.get('/api/admin/subscribers').expect(200);
  });

  it('issues a new session id at login; the old id stops working, the address is kept', async () => {
    const server = await start();
    const signup = await server.request().post('/api/signup').send({ email: 'me@example.com' });
    const before = signup.headers['set-cookie'] as unknown as string[];
    const oldCookie = before.map((line) => line.split(';')[0]).join('; ');

    const login = await server
      .request()
      .post('/api/admin/login')
      .set('Cookie', oldCookie)
      .send({ password: PASSWORD })
      .expect(200);
    const newSid = sidOf(login.headers['set-cookie']);
    expect(newSid).toBeDefined();
    expect(newSid).not.toBe(sidOf(before));
    const newCookie = (login.headers['set-cookie'] as unknown as string[])
      .filter((line) => !line.includes('expires=Thu, 01 Jan 1970'))
      .map((line) => line.split(';')[0])
      .join('; ');

    expect((await server.request().get('/api/session').set('Cookie', oldCookie)).body).toEqual({
      email: null,
      subscribed: false,
      admin: false,
    });
    expect((await server.request().get('/api/session').set('Cookie', newCookie)).body).toEqual({
      email: 'me@example.com',
      subscribed: true,
      admin: true,
    });
    expect(await countSessions(server.database)).toBe(1);
  });
});

describe('failed login limit', () => {
  it('lets no more than 5 of many parallel wrong guesses through', async () => {
    const server = await start();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        server
          .request()
          .post('/api/admin/login')
          .send({ password: `guess ${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
  });

  it('counts an attempt before comparing: the right password behind wrong guesses in flight is 429', async () => {
    // Every admin-login count waits at a gate the test opens, in order: the wrong guesses are
    // held in flight before they are counted, and so is the right password, if it is counted
    // before it is compared. Compared first, it would log in while the guesses are uncounted.
    const gate: { release: () => void; settled: Promise<unknown> }[] = [];
    const server = await start({
      wrapDatabase: (database) => ({
        ...database,
        rateLimiter(options) {
          const limiter = database.rateLimiter(options);
          if (options.keyPrefix !== 'admin-login') return limiter;
          const consume = limiter.consume.bind(limiter);
          limiter.consume = (key, points, more) => {
            let release = () => {};
            const opened = new Promise<void>((resolve) => {
              release = resolve;
            });
            const counted = opened.then(() => consume(key, points, more));
            gate.push({ release, settled: counted.catch(() => {}) });
            return counted;
          };
          return limiter;
        },
      }),
    });
    const guesses = Array.from({ length: 8 }, (_, i) =>
      server
        .request()
        .post('/api/admin/login')
        .send({ password: `guess ${i}` })
        .then((response) => response.status),
    );
    await vi.waitFor(() => expect(gate).toHaveLength(8));
    const admin = server.browser();
    let answered: number | undefined;
    const right = admin
      .post('/api/admin/login')
      .send({ password: PASSWORD })
      .then((response) => {
        answered = response.status;
        return response;
      });
    await vi.waitFor(() => expect(gate.length === 9 || answered !== undefined).toBe(true));
    expect(answered).toBeUndefined();
    for (const held of gate) {
      held.release();
      await held.settled;
    }
    const refused = await right;
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    const statuses = await Promise.all(guesses);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect((await admin.get('/api/session')).body.admin).toBe(false);
    expect((await admin.get('/api/admin/subscribers')).status).toBe(401);
  });

  it('after 5 failures from one IP refuses even the right password with 429 until the window passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-03-01T12:00:00Z'));
    const server = await start({ now: () => Date.now() });

    for (let i = 0; i < 5; i++) {
      await server
        .request()
        .post('/api/admin/login')
        .send({ password: `nope ${i}` })
        .expect(401);
    }
    const refused = await server.request().post('/api/admin/login').send({ password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(refused.body.error.message).toBe(
      'Too many failed attempts. Please try again in 15 min.',
    );

    vi.setSystemTime(Date.parse('2026-03-01T12:14:00Z'));
    await server.request().post('/api/admin/login').send({ password: PASSWORD }).expect(429);

    vi.setSystemTime(Date.parse('2026-03-01T12:15:01Z'));
    await server.request().post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  });

  it('counts per client IP and forgets earlier failures after a successful login', async () => {
    const server = await start({ trustProxy: true });
    const from = (ip: string, password: string) =>
      server.request().post('/api/admin/login').set('X-Forwarded-For', ip).send({ password });

    for (let i = 0; i < 4; i++) await from('198.51.100.1', 'nope').expect(401);
    await from('198.51.100.1', PASSWORD).expect(200);
    for (let i = 0; i < 5; i++) await from('198.51.100.1', 'nope').expect(401);
    await from('198.51.100.1', PASSWORD).expect(429);
    await from('198.51.100.2', PASSWORD).expect(200);
  });
});

describe('admin expiry', () => {
  it('ends after 30 minutes without a request', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const server = await start({ now: () => clock });
    const admin = await loggedIn(server);

    clock += 29 * MINUTE;
    await admin.get('/api/admin/subscribers').expect(200); // activity resets the idle timer
    clock += 29 * MINUTE;
    await admin.get('/api/admin/subscribers').expect(200);
    clock += 31 * MINUTE;
    await admin.get('/api/admin/subscribers').expect(401);
    expect((await admin.get('/api/session')).body.admin).toBe(false);
  });

  it('ends 8 hours after login however active the admin is', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const server = await start({ now: () => clock });
    const admin = await loggedIn(server);
    for (let elapsed = 20; elapsed < 8 * 60; elapsed += 20) {
      clock += 20 * MINUTE;
      await admin.get('/api/admin/subscribers').expect(200);
    }
    clock += 20 * MINUTE; // 8 h after login
    await admin.get('/api/admin/subscribers').expect(401);
  });
});

describe('logout', () => {
  it('ends admin server side: a replayed cookie is no longer admin', async () => {
    const server = await start();
    const login = await server.request().post('/api/admin/login').send({ password: PASSWORD });
    const cookie = (login.headers['set-cookie'] as unknown as string[])
      .filter((line) => !line.includes('expires=Thu, 01 Jan 1970'))
      .map((line) => line.split(';')[0])
      .join('; ');
    await server.request().get('/api/admin/subscribers').set('Cookie', cookie).expect(200);

    await server.request().post('/api/admin/logout').set('Cookie', cookie).expect(204);
    await server.request().get('/api/admin/subscribers').set('Cookie', cookie).expect(401);
    expect((await server.request().get('/api/session').set('Cookie', cookie)).body.admin).toBe(
      false,
    );
  });

  it.each([
    ['an admin-only session', false],
    ['a session that also remembers an address', true],
  ])('is not undone by a request that read %s before it', async (_, withEmail) => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const server = await start({ now: () => clock, trustProxy: true });
    for (let round = 0; round < 12; round++) {
      const browser = server.browser();
      const ip = { 'X-Forwarded-For': `203.0.113.${round}` };
      if (withEmail) {
        await browser
          .post('/api/signup')
          .set(ip)
          .send({ email: `a${round}@example.com` })
          .expect(200);
      }
      await browser.post('/api/admin/login').set(ip).send({ password: PASSWORD }).expect(200);
      // Past the "last seen" refresh, so the list request writes its copy of the session back.
      clock += 20_000;
      await Promise.all([
        browser.get('/api/admin/subscribers'),
        browser.post('/api/admin/logout').expect(204),
      ]);
      expect((await browser.get('/api/session')).body.admin).toBe(false);
      await browser.get('/api/admin/subscribers').expect(401);
    }
  });

  it('keeps the visitor’s own remembered address', async () => {
    const server = await start();
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'me@example.com' }).expect(200);
    await browser.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
    await browser.post('/api/admin/logout').expect(204);
    expect((await browser.get('/api/session')).body).toEqual({
      email: 'me@example.com',
      subscribed: true,
      admin: false,
    });
  });
});

describe('GET /api/admin/subscribers', () => {
  it('lists newest first, ties by email, with ISO times, total and an opaque cursor', async () => {
    const server = await start();
    const t = Date.parse('2026-02-01T10:00:00Z');
    await seed(server, [
      { email: 'old@example.com', createdAt: t },
      { email: 'b-tie@example.com', createdAt: t + 1000 },
      { email: 'a-tie@example.com', createdAt: t + 1000 },
      { email: 'new@example.com', createdAt: t + 2000 },
    ]);
    const admin = await loggedIn(server);

    const first = await admin.get('/api/admin/subscribers?limit=3').expect(200);
    expect(first.body.items).toEqual([
      { email: 'new@example.com', createdAt: '2026-02-01T10:00:02.000Z', source: 'signup' },
      { email: 'a-tie@example.com', createdAt: '2026-02-01T10:00:01.000Z', source: 'signup' },
      { email: 'b-tie@example.com', createdAt: '2026-02-01T10:00:01.000Z', source: 'signup' },
    ]);
    expect(first.body.total).toBe(4);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.nextCursor).not.toContain('example');

    const second = await admin
      .get('/api/admin/subscribers')
      .query({ limit: 3, cursor: first.body.nextCursor })
      .expect(200);
    expect(second.body).toEqual({
      items: [
        { email: 'old@example.com', createdAt: '2026-02-01T10:00:00.000Z', source: 'signup' },
      ],
      nextCursor: null,
      total: 4,
    });
  });

  it('gives no cursor on a page that holds exactly the last addresses', async () => {
    const server = await start();
    await seed(server, [
      { email: 'a@example.com', createdAt: 1 },
      { email: 'b@example.com', createdAt: 2 },
      { email: 'c@example.com', createdAt: 3 },
    ]);
    const admin = await loggedIn(server);
    const page = await admin.get('/api/admin/subscribers?limit=3').expect(200);
    expect(page.body.items).toHaveLength(3);
    expect(page.body.nextCursor).toBeNull();
    const short = await admin.get('/api/admin/subscribers?limit=2').expect(200);
    expect(short.body.nextCursor).toEqual(expect.any(String));
  });

  it('defaults to 50 per page and shows an empty list as such', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    expect((await admin.get('/api/admin/subscribers').expect(200)).body).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    await seed(
      server,
      Array.from({ length: 60 }, (_, i) => ({ email: `p${i}@example.com`, createdAt: i })),
    );
    const page = await admin.get('/api/admin/subscribers').expect(200);
    expect(page.body.items).toHaveLength(50);
    expect(page.body.total).toBe(60);
  });

  it('filters case-insensitively by substring, counting the matches, with % and _ taken literally', async () => {
    const server = await start();
    await seed(server, [
      { email: 'tom.cat@example.com', createdAt: 1 },
      { email: 'tomato@veg.example', createdAt: 2 },
      { email: 'felix@example.com', createdAt: 3 },
      { email: '100%_real@example.com', createdAt: 4 },
      { email: '100xxreal@example.com', createdAt: 5 },
    ]);
    const admin = await loggedIn(server);
    const tom = await admin.get('/api/admin/subscribers').query({ q: 'TOM' }).expect(200);
    expect(tom.body.items.map((i: { email: string }) => i.email)).toEqual([
      'tomato@veg.example',
      'tom.cat@example.com',
    ]);
    expect(tom.body.total).toBe(2);

    const literal = await admin.get('/api/admin/subscribers').query({ q: '%_' }).expect(200);
    expect(literal.body.items.map((i: { email: string }) => i.email)).toEqual([
      '100%_real@example.com',
    ]);
    expect(literal.body.total).toBe(1);

    const none = await admin.get('/api/admin/subscribers').query({ q: 'nobody' }).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it.each(['0', '501', 'abc', '1.5', '-1', ''])(
    'refuses limit=%s with 400 invalid_request',
    async (limit) => {
      const server = await start();
      const admin = await loggedIn(server);
      const response = await admin.get('/api/admin/subscribers').query({ limit });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
    },
  );

  it('takes limit in decimal digits only: hex, exponent, sign, fraction, padding, full-width are 400', async () => {
    const server = await start();
    await seed(server, [
      { email: 'a@example.com', createdAt: 1 },
      { email: 'b@example.com', createdAt: 2 },
    ]);
    const admin = await loggedIn(server);
    // As a client would put them in the URL (percent-encoded where a URL must be).
    for (const raw of [
      '0x2',
      '1e0',
      '%2B1',
      '1.0',
      '%201',
      '1%20',
      '01',
      '%EF%BC%91',
      '1&limit=2',
    ]) {
      const response = await admin.get(`/api/admin/subscribers?limit=${raw}`);
      expect({ raw, status: response.status, code: response.body.error?.code }).toEqual({
        raw,
        status: 400,
        code: 'invalid_request',
      });
    }
    const plain = await admin.get('/api/admin/subscribers?limit=1').expect(200);
    expect(plain.body.items).toHaveLength(1);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a wrong shape', Buffer.from('["x",1]').toString('base64url')],
    ['an unsafe number', Buffer.from('[1e400,"a"]').toString('base64url')],
    ['very long', 'A'.repeat(5000)],
  ])('refuses a tampered cursor (%s) with 400 invalid_request, never 500', async (_, cursor) => {
    const server = await start();
    const admin = await loggedIn(server);
    const response = await admin.get('/api/admin/subscribers').query({ cursor });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });

  it('pages through 10,000 addresses visiting each exactly once while new signups arrive', async () => {
    const server = await start({ trustProxy: true });
    const base = Date.parse('2026-01-01T00:00:00Z');
    // Many equal timestamps, so the email tie-break matters.
    const seeded = Array.from({ length: 10_000 }, (_, i) => ({
      email: `user${String(i).padStart(5, '0')}@example.com`,
      createdAt: base + Math.floor(i / 7) * 1000,
    }));
    await seed(server, seeded);
    const admin = await loggedIn(server);

    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const response: { body: { items: { email: string }[]; nextCursor: string | null } } =
        await admin
          .get('/api/admin/subscribers')
          .query({ limit: 500, ...(cursor ? { cursor } : {}) })
          .expect(200);
      seen.push(...response.body.items.map((item) => item.email));
      cursor = response.body.nextCursor;
      page++;
      await server
        .request()
        .post('/api/signup')
        .set('X-Forwarded-For', `203.0.113.${page}`)
        .send({ email: `late${page}@example.com` })
        .expect(200);
    } while (cursor);

    const seededEmails = seeded.map((row) => row.email);
    expect(seen.filter((email) => email.startsWith('user'))).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(seededEmails));
  });
});

describe('GET /api/admin/subscribers with status and source', () => {
  type Row = {
    email: string;
    createdAt: number;
    source: 'signup' | 'import' | 'cli';
    confirmedAt: number | null;
  };
  /** 30 addresses, newest first by index: every third imported, every fifth by the CLI, even ones confirmed. */
  const ROWS: Row[] = Array.from({ length: 30 }, (_, i) => ({
    email: `m${String(i).padStart(2, '0')}@${i % 2 === 0 ? 'even' : 'odd'}.example`,
    // Pairs share a signup time, so the tie-break by address is part of the paging.
    createdAt: 1_000_000 - Math.floor(i / 2) * 1000,
    source: i % 3 === 0 ? 'import' : i % 5 === 0 ? 'cli' : 'signup',
    confirmedAt: i % 2 === 0 ? 2_000_000 + i : null,
  }));

  async function seeded() {
    const server = await start();
    await server.database.db
      .insertInto('subscribers')
      .values(
        ROWS.map((r) => ({
          email: r.email,
          created_at: r.createdAt,
          source: r.source,
          confirmed_at: r.confirmedAt,
        })),
      )
      .execute();
    return { server, admin: await loggedIn(server) };
  }

  /** Every page of `query`, `limit` at a time: the addresses in order and each page's total. */
  async function allPages(
    admin: Awaited<ReturnType<typeof loggedIn>>,
    query: Record<string, string>,
    limit: number,
  ) {
    const emails: string[] = [];
    const totals = new Set<number>();
    let cursor: string | undefined;
    do {
      const page = await admin
        .get('/api/admin/subscribers')
        .query({ ...query, limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      emails.push(...page.body.items.map((item: { email: string }) => item.email));
      totals.add(page.body.total);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return { emails, totals: [...totals] };
  }

  const expected = (keep: (row: Row) => boolean) =>
    ROWS.filter(keep)
      .sort((a, b) => b.createdAt - a.createdAt || (a.email < b.email ? -1 : 1))
      .map((row) => row.email);

  it.each([
    [{ status: 'confirmed' }, (r: Row) => r.confirmedAt !== null],
    [{ status: 'unconfirmed' }, (r: Row) => r.confirmedAt === null],
    [{ source: 'import' }, (r: Row) => r.source === 'import'],
    [{ source: 'cli' }, (r: Row) => r.source === 'cli'],
    [
      { source: 'signup', status: 'unconfirmed' },
      (r: Row) => r.source === 'signup' && r.confirmedAt === null,
    ],
    [
      { q: 'even', source: 'import' },
      (r: Row) => r.email.includes('even') && r.source === 'import',
    ],
    [
      { q: 'm1', status: 'confirmed' },
      (r: Row) => r.email.includes('m1') && r.confirmedAt !== null,
    ],
  ] as const)(
    'pages through %o in list order, each address once, total = the matches',
    async (query, keep) => {
      const { admin } = await seeded();
      const want = expected(keep);
      expect(want.length).toBeGreaterThan(0);
      for (const limit of [1, 2, 4, 50]) {
        const { emails, totals } = await allPages(admin, query, limit);
        expect(emails).toEqual(want);
        expect(totals).toEqual([want.length]);
      }
    },
  );

  it('keeps the whole list and its total without filters', async () => {
    const { admin } = await seeded();
    const { emails, totals } = await allPages(admin, {}, 7);
    expect(emails).toEqual(expected(() => true));
    expect(totals).toEqual([30]);
  });

  it('answers an empty page for a filter nothing matches', async () => {
    const { admin } = await seeded();
    const page = await admin
      .get('/api/admin/subscribers')
      .query({ q: 'odd', source: 'import', status: 'confirmed' })
      .expect(200);
    expect(page.body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it.each([
    ['status', 'pending'],
    ['status', ''],
    ['source', 'web'],
    ['source', 'IMPORT'],
  ])('refuses %s=%s with 400 invalid_request', async (name, value) => {
    const { admin } = await seeded();
    const response = await admin.get('/api/admin/subscribers').query({ [name]: value });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });
});

describe('GET /api/admin/embed', () => {
  it('gives PUBLIC_URL, the origins that may embed the page, and no challenge', async () => {
    const server = await start({
      publicUrl: 'https://signup.example.com',
      embedOrigins: ['https://www.example.com', 'https://blog.example.com'],
    });
    const admin = await loggedIn(server);
    expect((await admin.get('/api/admin/embed').expect(200)).body).toEqual({
      publicUrl: 'https://signup.example.com',
      embedOrigins: ['https://www.example.com', 'https://blog.example.com'],
      challenge: false,
    });
  });

  it('says so when signups must solve the challenge', async () => {
    const server = await start({ signupChallenge: { difficulty: 10, validMs: 60_000 } });
    const admin = await loggedIn(server);
    expect((await admin.get('/api/admin/embed').expect(200)).body).toMatchObject({
      challenge: true,
    });
  });

  it('falls back to the origin the admin asked on when PUBLIC_URL is unset', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    expect((await admin.get('/api/admin/embed').expect(200)).body).toEqual({
      publicUrl: server.url,
      embedOrigins: [],
      challenge: false,
    });
  });

  it('is not for a visitor who signed up: 401 unauthorized', async () => {
    const server = await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'me@example.com' }).expect(200);
    const response = await visitor.get('/api/admin/embed');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });
});

describe('DELETE /api/admin/subscribers/:email', () => {
  it('removes any address (URL-encoded) with 204, then 404 not_on_list', async () => {
    const server = await start();
    await seed(server, [
      { email: 'a+tag/x@example.com', createdAt: 1 },
      { email: 'keep@example.com', createdAt: 2 },
    ]);
    const admin = await loggedIn(server);
    const path = `/api/admin/subscribers/${encodeURIComponent('a+tag/x@example.com')}`;
    await admin.delete(path).expect(204);
    expect(await listEmails(server.database)).toEqual(['keep@example.com']);
    const again = await admin.delete(path);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_on_list');
    expect((await admin.get('/api/stats')).body).toEqual({ subscribers: 1 });
  });

  it.each([
    ['mixed case', 'Cat@Example.COM'],
    ['padding', '  cat@example.com '],
    ['a capital with a combining mark', '\u1e97ee@example.com'.toUpperCase().normalize('NFD')],
  ])('normalises the address like a signup: %s removes the stored spelling', async (_, given) => {
    const server = await start();
    const visitor = server.browser();
    const stored = given.trim().toLowerCase().normalize('NFC');
    await visitor.post('/api/signup').send({ email: stored }).expect(200);
    await seed(server, [{ email: 'keep@example.com', createdAt: 2 }]);
    const admin = await loggedIn(server);
    await admin.delete(`/api/admin/subscribers/${encodeURIComponent(given)}`).expect(204);
    expect(await listEmails(server.database)).toEqual(['keep@example.com']);
  });

  it('takes the address off the visitor’s own session view too', async () => {
    const server = await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'victim@example.com' }).expect(200);
    const admin = await loggedIn(server);
    await admin.delete('/api/admin/subscribers/victim%40example.com').expect(204);
    expect((await visitor.get('/api/session')).body.subscribed).toBe(false);
    expect((await visitor.post('/api/unregister')).body.error.code).toBe('not_on_list');
  });
});

describe('admin inputs with control characters', () => {
  const nulCursor = Buffer.from(JSON.stringify([1, 'a\u0000@example.com'])).toString('base64url');
  it.each([
    ['a NUL search', '/api/admin/subscribers?q=%00'],
    ['a search with a NUL inside', '/api/admin/subscribers?q=cat%00dog'],
    ['a line feed search', '/api/admin/subscribers?q=%0A'],
    ['a NUL cursor', '/api/admin/subscribers?cursor=%00'],
    ['a cursor holding a NUL', `/api/admin/subscribers?cursor=${nulCursor}`],
  ])('refuses %s with 400 invalid_request', async (_, path) => {
    const server = await start();
    await seed(server, [{ email: 'a@example.com', createdAt: 1 }]);
    const admin = await loggedIn(server);
    const response = await admin.get(path);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });

  it.each([
    ['a NUL', 'a%00%40example.com'],
    ['a trailing NUL', 'a%40example.com%00'],
    ['an escape', 'a%1B%40example.com'],
  ])(
    'refuses to delete an address with %s (400 invalid_request), removing nothing',
    async (_, param) => {
      const server = await start();
      await seed(server, [{ email: 'a@example.com', createdAt: 1 }]);
      const admin = await loggedIn(server);
      const response = await admin.delete(`/api/admin/subscribers/${param}`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(await listEmails(server.database)).toEqual(['a@example.com']);
    },
  );
});

describe('GET /api/admin/subscribers.csv', () => {
  const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

  it('downloads the list as CSV, newest first, that parses back to exactly the stored set', async () => {
    const server = await start();
    const tricky = [
      '=cmd|calc@example.com',
      '+1-555@example.com',
      '-minus@example.com',
      '"quoted"@example.com',
      "'apostrophe@example.com",
      "o'brien@example.com",
      'plain@example.com',
      'ünïcödé@example.com',
    ];
    await seed(
      server,
      tricky.map((email, i) => ({
        email,
        createdAt: Date.parse('2026-01-01T00:00:00Z') + i * 1000,
      })),
    );
    const admin = await loggedIn(server);
    const response = await admin
      .get('/api/admin/subscribers.csv')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="subscribers.csv"');
    const text = response.body as string;
    expect(text.startsWith('email,created_at,source\r\n')).toBe(true);
    for (const line of text.split('\r\n').slice(1)) expect(line).not.toMatch(/^[=+\-@]/);

    const records = parse(text, { columns: true }) as {
      email: string;
      created_at: string;
      source: string;
    }[];
    expect(records.map((r) => unguard(r.email))).toEqual([...tricky].reverse());
    expect(records[0]?.created_at).toBe('2026-01-01T00:00:07.000Z');
    expect(records[0]?.source).toBe('signup');
  });

  it('answers a JSON error, not a cut connection, when the database fails before the export', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    await server.database.close();
    const response = await admin.get('/api/admin/subscribers.csv');
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.body.error.code).toMatch(/internal_error|service_unavailable/);
  });

  it('streams long lists completely, each address once', async () => {
    const server = await start();
    await seed(
      server,
      Array.from({ length: 2_345 }, (_, i) => ({
        email: `bulk${i}@example.com`,
        createdAt: i % 10,
      })),
    );
    const admin = await loggedIn(server);
    const response = await admin.get('/api/admin/subscribers.csv').expect(200);
    const records = parse(response.text, { columns: true }) as { email: string }[];
    expect(records).toHaveLength(2_345);
    expect(new Set(records.map((r) => r.email)).size).toBe(2_345);
  });
});
