import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_MAX_AGE_MS } from '../../session/session-middleware.js';
import { hashOwnerToken } from '../../stores/owner-token.js';
import {
  createTestStorage,
  listEmails,
  rawDatabase,
  signedSessionCookie,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
  type TestStorage,
} from '../../test-support/test-server.js';
import { migrateTo } from './migrator.js';

// Migration 0005 on a database that version 1 of the API filled: addresses stored with the old
// normalisation (NFC before lower-casing), and sessions that remember them.

interface OldRow {
  email: string;
  created_at: number;
  owner_hash?: string | null;
}

let storage: TestStorage | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await storage?.remove();
  storage = undefined;
});

/**
 * A database migrated up to `upTo` (0004), holding `rows`, a session per entry of `sessions`
 * (id → the address it remembers) and a row per entry of `rawSessions` (id → the data, as is).
 */
async function versionOneDatabase(
  rows: OldRow[],
  sessions: Record<string, string>,
  {
    rawSessions = {},
    upTo = '0004_sqlite_search_indexed_in_batches',
  }: {
    rawSessions?: Record<string, string>;
    upTo?: string;
  } = {},
) {
  storage = await createTestStorage();
  const db = rawDatabase(storage);
  try {
    await migrateTo(db, TEST_BACKEND, upTo);
    const tables = db as Kysely<{
      subscribers: OldRow;
      sessions: { id: string; data: string; expires_at: number };
    }>;
    if (rows.length > 0) await tables.insertInto('subscribers').values(rows).execute();
    const expire = Date.now() + SESSION_MAX_AGE_MS;
    const stored = {
      ...Object.fromEntries(
        Object.entries(sessions).map(([id, email]) => [
          id,
          JSON.stringify({ email, _expire: expire, _maxAge: SESSION_MAX_AGE_MS }),
        ]),
      ),
      ...rawSessions,
    };
    for (const [id, data] of Object.entries(stored)) {
      await tables
        .insertInto('sessions')
        .values({ id, data, expires_at: expire + 10_000 })
        .execute();
    }
  } finally {
    await db.destroy();
  }
  return storage;
}

async function createdAt(s: TestServer, email: string): Promise<number> {
  const row = await s.database.db
    .selectFrom('subscribers')
    .select('created_at')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return Number(row.created_at);
}

describe('migration 0005: canonical addresses and owners', () => {
  it('rewrites old spellings, merging duplicates into the earlier signup', async () => {
    const given = await versionOneDatabase(
      [
        // The old normalisation kept these: T + U+0308 lower-cased, never composed.
        { email: 't\u0308ee@x.com', created_at: 1_000 },
        { email: '\u1e97ee@x.com', created_at: 5_000 },
        { email: 'j\u030cose@x.com', created_at: 7_000 },
        { email: 'plain@example.com', created_at: 2_000 },
        { email: 'ネコ@例え.jp', created_at: 3_000 },
      ],
      {},
    );
    server = await startTestServer({ storage: given, adminPassword: 'p'.repeat(12) });
    // The server migrates to the latest version: 0009 then puts the domain in ASCII.
    expect(await listEmails(server.database)).toEqual(
      ['plain@example.com', 'ǰose@x.com', 'ẗee@x.com', 'ネコ@xn--r8jz45g.jp'].sort(),
    );
    expect(await createdAt(server, '\u1e97ee@x.com')).toBe(1_000);
    expect(await createdAt(server, '\u01f0ose@x.com')).toBe(7_000);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 4 });
    // The admin finds (through SQLite's search index too) and deletes the merged address.
    const admin = server.browser();
    await admin
      .post('/api/admin/login')
      .send({ password: 'p'.repeat(12) })
      .expect(200);
    const hits = await admin.get(`/api/admin/subscribers?q=${encodeURIComponent('ẗee')}`);
    expect(hits.body.items.map((item: { email: string }) => item.email)).toEqual([
      '\u1e97ee@x.com',
    ]);
    await admin
      .delete(`/api/admin/subscribers/${encodeURIComponent('T\u0308EE@X.COM')}`)
      .expect(204);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 3 });
  });

  it('keeps sessions working: an old spelling is read in its new form, and its owner removes it', async () => {
    const given = await versionOneDatabase([{ email: 't\u0308ee@x.com', created_at: 1_000 }], {
      'old-session-id-0000000000000000000000000001': 't\u0308ee@x.com',
    });
    server = await startTestServer({ storage: given });
    const old = signedSessionCookie('old-session-id-0000000000000000000000000001');
    const read = await server.request().get('/api/session').set('Cookie', old);
    expect(read.body).toEqual({ email: '\u1e97ee@x.com', subscribed: true, admin: false });
    const removal = await server.request().post('/api/unregister').set('Cookie', old);
    expect(removal.status).toBe(200);
    expect(removal.body).toEqual({ removed: '\u1e97ee@x.com' });
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('makes every session that remembered an address one of its owners', async () => {
    const given = await versionOneDatabase([{ email: 'cat@example.com', created_at: 1_000 }], {
      'first-session-00000000000000000000000000001': 'cat@example.com',
      'second-session-0000000000000000000000000001': 'cat@example.com',
    });
    server = await startTestServer({ storage: given });
    const second = signedSessionCookie('second-session-0000000000000000000000000001');
    await server.request().post('/api/unregister').set('Cookie', second).expect(200);
    expect(await listEmails(server.database)).toEqual([]);
    // The first session was an owner too: the address is gone, and it is told so.
    const first = signedSessionCookie('first-session-00000000000000000000000000001');
    const late = await server.request().post('/api/unregister').set('Cookie', first);
    expect(late.status).toBe(404);
  });

  it('leaves an address no session remembers with no owner: nobody but the admin removes it', async () => {
    const given = await versionOneDatabase([{ email: 'cat@example.com', created_at: 1_000 }], {});
    server = await startTestServer({ storage: given });
    const stranger = server.browser();
    await stranger.post('/api/signup').send({ email: 'cat@example.com' }).expect(200);
    await stranger.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    const rows = await sql<{ n: number | string }>`select count(*) as n from subscribers
      where owner_hash is null`.execute(server.database.db);
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });

  it('starts over session rows it cannot read, leaving them as they are', async () => {
    const unreadable = {
      'null-session-000000000000000000000000000001': 'null',
      'array-session-00000000000000000000000000001': '["cat@example.com"]',
      'number-session-0000000000000000000000000001': '42',
      'broken-session-0000000000000000000000000001': '{"email":',
      'emailless-session-000000000000000000000000001': '{"email":7}',
    };
    const given = await versionOneDatabase(
      [{ email: 'cat@example.com', created_at: 1_000 }],
      { 'good-session-0000000000000000000000000000001': 'cat@example.com' },
      { rawSessions: unreadable },
    );
    server = await startTestServer({ storage: given });
    const rows = await server.database.db
      .selectFrom('sessions')
      .select(['id', 'data'])
      .where('id', 'in', Object.keys(unreadable))
      .execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.data]))).toEqual(unreadable);
    // The readable session became the owner all the same.
    const good = signedSessionCookie('good-session-0000000000000000000000000000001');
    await server.request().post('/api/unregister').set('Cookie', good).expect(200);
    expect(await listEmails(server.database)).toEqual([]);
  });
});

describe('migration 0006: subscriber source', () => {
  it('marks existing rows as signups and keeps the count exact through adds, deletes and imports', async () => {
    const given = await versionOneDatabase(
      [
        { email: 'old-1@example.com', created_at: 1_000 },
        { email: 'old-2@example.com', created_at: 2_000 },
      ],
      {},
      { upTo: '0005_canonical_addresses_and_owners' },
    );
    server = await startTestServer({ storage: given, adminPassword: 'p'.repeat(12) });
    const rows = await server.database.db
      .selectFrom('subscribers')
      .select(['email', 'source'])
      .orderBy('email')
      .execute();
    expect(rows).toEqual([
      { email: 'old-1@example.com', source: 'signup' },
      { email: 'old-2@example.com', source: 'signup' },
    ]);
    const stats = async () => (await server?.request().get('/api/stats'))?.body.subscribers;
    expect(await stats()).toBe(2);

    const admin = server.browser();
    await admin
      .post('/api/admin/login')
      .send({ password: 'p'.repeat(12) })
      .expect(200);
    await server.request().post('/api/signup').send({ email: 'new@example.com' }).expect(200);
    await server.request().post('/api/signup').send({ email: 'old-1@example.com' }).expect(200);
    expect(await stats()).toBe(3);
    const file = Array.from({ length: 40 }, (_, i) => `bulk${i}@example.com`).join('\n');
    const preview = await admin
      .post('/api/admin/imports')
      .set('Content-Type', 'text/csv')
      .send(`${file}\nold-2@example.com\n`)
      .expect(200);
    await admin.post(`/api/admin/imports/${preview.body.id}/confirm`).expect(200);
    expect(await stats()).toBe(43);
    await admin.delete('/api/admin/subscribers/old-2%40example.com').expect(204);
    await admin.delete('/api/admin/subscribers/bulk7%40example.com').expect(204);
    expect(await stats()).toBe(41);
    expect(await listEmails(server.database)).toHaveLength(41);
  });
});

describe('migration 0009: ASCII domains', () => {
  const upTo = '0008_session_versions';
  const session = (email: string, owner: string) =>
    JSON.stringify({
      email,
      owner,
      _expire: Date.now() + SESSION_MAX_AGE_MS,
      _maxAge: SESSION_MAX_AGE_MS,
    });

  it('rewrites Unicode and full-width domains, merging duplicates into the earlier signup', async () => {
    const given = await versionOneDatabase(
      [
        { email: 'v@\uff45xample.com', created_at: 5_000 },
        { email: 'v@example.com', created_at: 1_000 },
        { email: 'cat@ex\u00e4mple.com', created_at: 2_000 },
        { email: 'ネコ@例え.jp', created_at: 3_000 },
        // Refused by today's rules: left as it is, for the admin to remove.
        { email: '"q"@ex\u00e4mple.com', created_at: 4_000 },
      ],
      {},
      { upTo },
    );
    // The outbox's rows count towards the daily cap: they follow the new spelling.
    const db = rawDatabase(given);
    try {
      await (db as Kysely<{ mail_outbox: Record<string, unknown> }>)
        .insertInto('mail_outbox')
        .values({
          email: 'v@\uff45xample.com',
          kind: 'confirm',
          token: null,
          queued_at: 1,
          next_attempt_at: 1,
          sent_at: 2,
          last_error: null,
        })
        .execute();
    } finally {
      await db.destroy();
    }
    server = await startTestServer({ storage: given, adminPassword: 'p'.repeat(12) });
    expect(await listEmails(server.database)).toEqual(
      [
        '"q"@ex\u00e4mple.com',
        'cat@xn--exmple-cua.com',
        'v@example.com',
        'ネコ@xn--r8jz45g.jp',
      ].sort(),
    );
    expect(await createdAt(server, 'v@example.com')).toBe(1_000);
    expect(await createdAt(server, 'cat@xn--exmple-cua.com')).toBe(2_000);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 4 });
    const outbox = await server.database.db.selectFrom('mail_outbox').select('email').execute();
    expect(outbox).toEqual([{ email: 'v@example.com' }]);

    const admin = server.browser();
    await admin
      .post('/api/admin/login')
      .send({ password: 'p'.repeat(12) })
      .expect(200);
    // Found through SQLite's search index too, and removed by any spelling.
    const hits = await admin.get(`/api/admin/subscribers?q=${encodeURIComponent('xn--exmple')}`);
    expect(hits.body.items.map((item: { email: string }) => item.email)).toEqual([
      'cat@xn--exmple-cua.com',
    ]);
    await admin
      .delete(`/api/admin/subscribers/${encodeURIComponent('CAT@EX\u00c4MPLE.COM')}`)
      .expect(204);
    // The legacy row, by its stored spelling.
    await admin
      .delete(`/api/admin/subscribers/${encodeURIComponent('"q"@ex\u00e4mple.com')}`)
      .expect(204);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 2 });
  });

  it('keeps sessions working: one that remembers the old spelling reads it subscribed and unregisters it', async () => {
    const given = await versionOneDatabase(
      [
        {
          email: 'v@\uff45xample.com',
          created_at: 5_000,
          owner_hash: hashOwnerToken('late-owner'),
        },
        { email: 'v@example.com', created_at: 1_000, owner_hash: hashOwnerToken('early-owner') },
      ],
      {},
      {
        upTo,
        rawSessions: {
          'late-session-00000000000000000000000000000001': session(
            'v@\uff45xample.com',
            'late-owner',
          ),
          'early-session-0000000000000000000000000000001': session('v@example.com', 'early-owner'),
        },
      },
    );
    server = await startTestServer({ storage: given });
    const late = signedSessionCookie('late-session-00000000000000000000000000000001');
    const read = await server.request().get('/api/session').set('Cookie', late);
    expect(read.body).toEqual({ email: 'v@example.com', subscribed: true, admin: false });
    // The merged row kept the earlier owner; the later one is an owner still.
    const owner = await server.database.db
      .selectFrom('subscribers')
      .select('owner_hash')
      .where('email', '=', 'v@example.com')
      .executeTakeFirstOrThrow();
    expect(owner.owner_hash).toBe(hashOwnerToken('early-owner'));
    const removal = await server.request().post('/api/unregister').set('Cookie', late);
    expect(removal.status).toBe(200);
    expect(removal.body).toEqual({ removed: 'v@example.com' });
    expect(await listEmails(server.database)).toEqual([]);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 0 });
  });
});

describe('migration 0012: suppressions, removals, daily joins', () => {
  it('counts the addresses already on the list in the growth picture, per UTC day', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const given = await versionOneDatabase(
      [
        { email: 'a@example.com', created_at: today + 1 },
        { email: 'b@example.com', created_at: today + DAY - 1 },
        { email: 'c@example.com', created_at: today - 1 },
        { email: 'd@example.com', created_at: today - 200 * DAY },
      ],
      {},
      { upTo: '0010_spent_challenges' },
    );
    server = await startTestServer({ storage: given, adminPassword: 'p'.repeat(12) });
    const admin = server.browser();
    await admin
      .post('/api/admin/login')
      .send({ password: 'p'.repeat(12) })
      .expect(200);
    const days = (await admin.get('/api/admin/growth').expect(200)).body.days;
    expect(days.slice(-2)).toEqual([
      { day: new Date(today - DAY).toISOString().slice(0, 10), joined: 1, left: 0 },
      { day: new Date(today).toISOString().slice(0, 10), joined: 2, left: 0 },
    ]);
    // The triggers keep the counts from now on: a removal and a new signup today.
    await admin.delete('/api/admin/subscribers/c%40example.com').expect(204);
    await server.request().post('/api/signup').send({ email: 'e@example.com' }).expect(200);
    const after = (await admin.get('/api/admin/growth').expect(200)).body.days;
    expect(after.slice(-2)).toEqual([
      { day: new Date(today - DAY).toISOString().slice(0, 10), joined: 0, left: 0 },
      { day: new Date(today).toISOString().slice(0, 10), joined: 3, left: 1 },
    ]);
  });
});

describe('migration 0015: announcements', () => {
  it('gives confirmed subscribers the language of their confirmation mail, which announcements follow', async () => {
    storage = await createTestStorage();
    const db = rawDatabase(storage);
    const now = Date.now();
    try {
      await migrateTo(db, TEST_BACKEND, '0012_suppressions_and_removals');
      const tables = db as Kysely<{
        subscribers: { email: string; created_at: number; confirmed_at: number | null };
        mail_outbox: {
          email: string;
          kind: string;
          token: string | null;
          language: string | null;
          queued_at: number;
          next_attempt_at: number;
          sent_at: number | null;
        };
      }>;
      await tables
        .insertInto('subscribers')
        .values([
          { email: 'de@example.com', created_at: now, confirmed_at: now },
          { email: 'fr@example.com', created_at: now, confirmed_at: now },
          { email: 'none@example.com', created_at: now, confirmed_at: now },
        ])
        .execute();
      const mail = (email: string, language: string | null, at: number) => ({
        email,
        kind: 'confirm',
        token: null,
        language,
        queued_at: at,
        next_attempt_at: at,
        sent_at: at,
      });
      // fr@ asked twice, in English then in French: the later mail's language is theirs.
      await tables
        .insertInto('mail_outbox')
        .values([
          mail('de@example.com', 'de', now - 2),
          mail('fr@example.com', 'en', now - 2),
          mail('fr@example.com', 'fr', now - 1),
          mail('none@example.com', null, now - 1),
        ])
        .execute();
    } finally {
      await db.destroy();
    }
    const languages = async (s: TestServer) =>
      Object.fromEntries(
        (
          await s.database.db
            .selectFrom('subscribers')
            .select(['email', 'language'])
            .orderBy('email')
            .execute()
        ).map((row) => [row.email, row.language]),
      );
    server = await startTestServer({ storage });
    expect(await languages(server)).toEqual({
      'de@example.com': 'de',
      'fr@example.com': 'fr',
      'none@example.com': null,
    });
  });
});
