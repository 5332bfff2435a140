import { afterEach, describe, expect, it } from 'vitest';
import {
  listEmails,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';

// docs/http-api.md: the admin adds one address, deletes several (as a complaint or not), keeps
// the suppression list, and reads the growth picture. On SQLite and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;
let clock = Date.now();

const servers: TestServer[] = [];
async function start() {
  clock = Date.now();
  const server = await startTestServer({ adminPassword: PASSWORD, now: () => clock });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function loggedIn(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}
type Agent = Awaited<ReturnType<typeof loggedIn>>;

/** A visitor signs up and leaves again with the unregister button. */
async function signUpAndLeave(server: TestServer, email: string) {
  const visitor = server.browser();
  await visitor.post('/api/signup').send({ email }).expect(200);
  await visitor.post('/api/unregister').expect(200);
  return visitor;
}

const suppressions = async (admin: Agent) =>
  (await admin.get('/api/admin/suppressions').expect(200)).body;

const importCsv = async (admin: Agent, text: string, includeSuppressed?: boolean) => {
  const preview = await admin
    .post('/api/admin/imports')
    .set('Content-Type', 'text/csv')
    .send(text)
    .expect(200);
  const confirm = admin.post(`/api/admin/imports/${preview.body.id}/confirm`);
  const result =
    includeSuppressed === undefined
      ? await confirm.expect(200)
      : await confirm.send({ includeSuppressed }).expect(200);
  return { preview: preview.body, result: result.body };
};

describe(`admin: people (${TEST_BACKEND})`, () => {
  it('adds one address directly, as source admin; a known one is left as it is', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const added = await admin.post('/api/admin/subscribers').send({ email: ' New@Example.com ' });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ email: 'new@example.com', outcome: 'added' });
    const again = await admin.post('/api/admin/subscribers').send({ email: 'new@example.com' });
    expect(again.body).toEqual({ email: 'new@example.com', outcome: 'already' });
    const list = (await admin.get('/api/admin/subscribers').expect(200)).body;
    expect(list.items).toMatchObject([{ email: 'new@example.com', source: 'admin' }]);
    expect((await admin.get('/api/admin/subscribers').query({ source: 'admin' })).body.total).toBe(
      1,
    );

    const bad = await admin.post('/api/admin/subscribers').send({ email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_email');
    const anonymous = await server
      .request()
      .post('/api/admin/subscribers')
      .send({ email: 'a@b.co' });
    expect(anonymous.status).toBe(401);
    expect(await listEmails(server.database)).toEqual(['new@example.com']);
  });

  it('refuses a confirmation mail when confirmation by email is off', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const response = await admin
      .post('/api/admin/subscribers')
      .send({ email: 'cat@example.com', confirm: true });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_request',
      message: 'Confirmation by email is off on this server.',
    });
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('refuses to add a suppressed address unless told, and then lifts it', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    await signUpAndLeave(server, 'gone@example.com');
    const refused = await admin.post('/api/admin/subscribers').send({ email: 'gone@example.com' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('suppressed');
    expect(await listEmails(server.database)).toEqual([]);

    const told = await admin
      .post('/api/admin/subscribers')
      .send({ email: 'gone@example.com', includeSuppressed: true });
    expect(told.body).toEqual({ email: 'gone@example.com', outcome: 'added' });
    expect(await listEmails(server.database)).toEqual(['gone@example.com']);
    expect((await suppressions(admin)).total).toBe(0);
  });

  it('deletes several addresses in one request; as a complaint they are suppressed', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']) {
      await admin.post('/api/admin/subscribers').send({ email }).expect(200);
    }
    const plain = await admin
      .post('/api/admin/subscribers/delete')
      .send({ emails: ['a@example.com', 'A@Example.com', 'absent@example.com'] });
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({ removed: 1 });
    expect((await suppressions(admin)).total).toBe(0);

    const complaint = await admin
      .post('/api/admin/subscribers/delete')
      .send({ emails: ['b@example.com', 'c@example.com'], complaint: true });
    expect(complaint.body).toEqual({ removed: 2 });
    expect(await listEmails(server.database)).toEqual(['d@example.com']);
    const list = await suppressions(admin);
    expect(list).toMatchObject({
      total: 2,
      nextAfter: null,
      items: [
        { email: 'b@example.com', reason: 'complaint' },
        { email: 'c@example.com', reason: 'complaint' },
      ],
    });

    // One at a time, as a complaint, by the single delete's query.
    await admin
      .delete('/api/admin/subscribers/d%40example.com')
      .query({ as: 'complaint' })
      .expect(204);
    expect((await suppressions(admin)).total).toBe(3);

    const empty = await admin.post('/api/admin/subscribers/delete').send({ emails: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_request');
  });

  it('pages the suppression list in address order and lifts one address', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    for (const email of ['c@example.com', 'a@example.com', 'b@example.com']) {
      await signUpAndLeave(server, email);
    }
    const first = (await admin.get('/api/admin/suppressions').query({ limit: 2 })).body;
    expect(first.items.map((item: { email: string }) => item.email)).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    expect(first.items[0].reason).toBe('unsubscribed');
    expect(first.nextAfter).toBe('b@example.com');
    const second = (
      await admin.get('/api/admin/suppressions').query({ limit: 2, after: first.nextAfter })
    ).body;
    expect(second).toMatchObject({
      items: [{ email: 'c@example.com' }],
      nextAfter: null,
      total: 3,
    });

    await admin.delete('/api/admin/suppressions/B%40Example.com').expect(204);
    const gone = await admin.delete('/api/admin/suppressions/b%40example.com');
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_suppressed');
    expect((await suppressions(admin)).total).toBe(2);
  });

  it('skips suppressed addresses in an import and says so, unless the confirm includes them', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    await signUpAndLeave(server, 'left@example.com');
    await admin.post('/api/admin/subscribers').send({ email: 'here@example.com' }).expect(200);

    const csv = 'email\nleft@example.com\nhere@example.com\nnew@example.com\nnot an address\n';
    const skipped = await importCsv(admin, csv);
    expect(skipped.preview).toMatchObject({ added: 1, alreadyThere: 1, invalid: 1, suppressed: 1 });
    expect(skipped.result).toEqual({ added: 1, alreadyThere: 1, invalid: 1, suppressed: 1 });
    expect(await listEmails(server.database)).toEqual(['here@example.com', 'new@example.com']);
    expect((await suppressions(admin)).total).toBe(1);

    const included = await importCsv(admin, csv, true);
    expect(included.preview).toMatchObject({ added: 0, alreadyThere: 2, suppressed: 1 });
    expect(included.result).toEqual({ added: 1, alreadyThere: 2, invalid: 1, suppressed: 0 });
    expect(await listEmails(server.database)).toEqual([
      'here@example.com',
      'left@example.com',
      'new@example.com',
    ]);
    expect((await suppressions(admin)).total).toBe(0);
  });

  it('lets the visitor sign up again by themselves, which takes them off the suppression list', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    await signUpAndLeave(server, 'back@example.com');
    expect((await suppressions(admin)).total).toBe(1);
    const signup = await server.browser().post('/api/signup').send({ email: 'back@example.com' });
    expect(signup.body).toEqual({ email: 'back@example.com', subscribed: true });
    expect(await listEmails(server.database)).toEqual(['back@example.com']);
    expect((await suppressions(admin)).total).toBe(0);
  });
});

describe(`GET /api/admin/growth (${TEST_BACKEND})`, () => {
  it('counts joined and left per UTC day for 90 days, zeros filled, today last', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const today = Date.UTC(2026, 2, 10);
    // The oldest day shown: 89 days before today (2025-12-11).
    const first = today - 89 * DAY;
    await server.database.db
      .insertInto('subscribers')
      .values(
        [
          ['before@example.com', first - 1],
          ['first@example.com', first],
          ['late@example.com', today - 1],
          ['midnight@example.com', today],
          ['noon@example.com', today + DAY / 2],
          ['noon2@example.com', today + DAY / 2 + 1],
        ].map(([email, at]) => ({ email: String(email), created_at: Number(at) })),
      )
      .execute();
    // Two leave yesterday (last millisecond, and first), one today.
    clock = today - 1;
    await admin.delete('/api/admin/subscribers/before%40example.com').expect(204);
    clock = today - DAY;
    await admin
      .post('/api/admin/subscribers/delete')
      .send({ emails: ['late@example.com'], complaint: true })
      .expect(200, { removed: 1 });
    clock = today + 2 * 60 * 60 * 1000;
    await signUpAndLeave(server, 'visitor@example.com');

    const { days } = (await admin.get('/api/admin/growth').expect(200)).body as {
      days: { day: string; joined: number; left: number }[];
    };
    expect(days).toHaveLength(90);
    expect(days[0]).toEqual({ day: '2025-12-11', joined: 1, left: 0 });
    expect(days[88]).toEqual({ day: '2026-03-09', joined: 0, left: 2 });
    // Today: three still on the list joined (midnight, noon, noon2); the visitor joined and left.
    expect(days[89]).toEqual({ day: '2026-03-10', joined: 3, left: 1 });
    const others = days.slice(1, 88);
    expect(others.every((day) => day.joined === 0 && day.left === 0)).toBe(true);
    expect(new Set(days.map((day) => day.day)).size).toBe(90);
    expect(days[45]?.day).toBe('2026-01-25');

    const anonymous = await server.request().get('/api/admin/growth');
    expect(anonymous.status).toBe(401);
  });
});

interface PageBody {
  items: { email: string }[];
  nextCursor: string | null;
  total: number;
}

describe(`GET /api/admin/subscribers?sort= (${TEST_BACKEND})`, () => {
  // Ties on signup time, so the tie-break decides within a page and across page boundaries.
  const ROWS = [
    ['m@example.com', 3_000],
    ['a@example.com', 3_000],
    ['z@example.com', 3_000],
    ['b@example.com', 1_000],
    ['y@example.com', 2_000],
    ['c@example.com', 2_000],
    ['x@example.com', 4_000],
  ] as const;
  const byNewest = [...ROWS].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).map(([e]) => e);
  const expected = {
    newest: byNewest,
    oldest: [...byNewest].reverse(),
    email: ROWS.map(([e]) => e).sort(),
    'email-desc': ROWS.map(([e]) => e)
      .sort()
      .reverse(),
  } as const;

  it.each(Object.keys(expected) as (keyof typeof expected)[])(
    'pages through %s in order, two at a time, with filters kept',
    async (sort) => {
      const server = await start();
      await server.database.db
        .insertInto('subscribers')
        .values(ROWS.map(([email, at]) => ({ email, created_at: at })))
        .execute();
      const admin = await loggedIn(server);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page: { body: PageBody } = await admin
          .get('/api/admin/subscribers')
          .query({ sort, limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(page.body.total).toBe(ROWS.length);
        seen.push(...page.body.items.map((item: { email: string }) => item.email));
        cursor = page.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(seen).toEqual(expected[sort]);

      // With a search that many rows match, the order and the paging hold as well.
      const filtered: string[] = [];
      cursor = undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page: { body: PageBody } = await admin
          .get('/api/admin/subscribers')
          .query({ sort, limit: 3, q: 'example', ...(cursor ? { cursor } : {}) })
          .expect(200);
        filtered.push(...page.body.items.map((item: { email: string }) => item.email));
        cursor = page.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(filtered).toEqual(expected[sort]);
    },
  );

  it('refuses an unknown order with 400 invalid_request', async () => {
    const server = await start();
    const admin = await loggedIn(server);
    const response = await admin.get('/api/admin/subscribers').query({ sort: 'random' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });
});
