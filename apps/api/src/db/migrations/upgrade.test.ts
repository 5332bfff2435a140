import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startMailTestServer } from '../../test-support/mail-server.js';
import { linkIn } from '../../test-support/smtp-catcher.js';
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

// An installation upgrades in place: a database that the release before this one wrote (its
// schema ends at migration 0007), with addresses, a visitor's session that owns its address and
// an admin's session, is served by this code as it was, once the new migrations have run.

const PASSWORD = 'p'.repeat(12);
const DAY = 24 * 60 * 60 * 1000;
const SESSION_MAX_AGE_MS = 30 * DAY; // as that release set it

let storage: TestStorage | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await storage?.remove();
  storage = undefined;
});

/** The SHA-256, base64url, that release stored of an owner token (and of a confirmation token). */
const ownerHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * A database at 0010 (the release before mails had a language) with a signup waiting for its
 * confirmation mail: the request and its queued mail as that release wrote them.
 */
async function pendingMailDatabase(): Promise<TestStorage> {
  storage = await createTestStorage();
  const db = rawDatabase(storage);
  const tables = db as Kysely<{
    confirmations: {
      token_hash: string;
      email: string;
      owner_hash: string | null;
      created_at: number;
      expires_at: number;
    };
    mail_outbox: {
      email: string;
      kind: string;
      token: string | null;
      queued_at: number;
      next_attempt_at: number;
    };
  }>;
  try {
    await migrateTo(db, TEST_BACKEND, '0010_spent_challenges');
    const now = Date.now();
    await tables
      .insertInto('confirmations')
      .values({
        token_hash: ownerHash('confirm-me'),
        email: 'waiting@example.com',
        owner_hash: ownerHash('tok-w'),
        created_at: now,
        expires_at: now + 2 * DAY,
      })
      .execute();
    await tables
      .insertInto('mail_outbox')
      .values({
        email: 'waiting@example.com',
        kind: 'confirm',
        token: 'confirm-me',
        queued_at: now,
        next_attempt_at: now,
      })
      .execute();
  } finally {
    await db.destroy();
  }
  return storage;
}

/** A database at 0007, filled the way the release before this one filled it. */
async function lastReleaseDatabase(): Promise<TestStorage> {
  storage = await createTestStorage();
  const db = rawDatabase(storage);
  const tables = db as Kysely<{
    subscribers: { email: string; created_at: number; owner_hash: string | null; source: string };
    sessions: { id: string; data: string; expires_at: number };
  }>;
  try {
    await migrateTo(db, TEST_BACKEND, '0007_confirmation_by_email');
    const now = Date.now();
    await tables
      .insertInto('subscribers')
      .values([
        {
          email: 'visitor@example.com',
          created_at: now - DAY,
          owner_hash: ownerHash('tok-v'),
          source: 'signup',
        },
        {
          email: 'imported@example.com',
          created_at: now - 2 * DAY,
          owner_hash: null,
          source: 'import',
        },
      ])
      .execute();
    const expire = now + SESSION_MAX_AGE_MS;
    const sessions = {
      visitor: { email: 'visitor@example.com', owner: 'tok-v' },
      admin: { admin: { since: now - 60_000, seen: now - 30_000 } },
    };
    for (const [id, fields] of Object.entries(sessions)) {
      const data = JSON.stringify({ ...fields, _expire: expire, _maxAge: SESSION_MAX_AGE_MS });
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

describe(`upgrading a database of the last release (${TEST_BACKEND})`, () => {
  it('keeps its addresses, its visitors’ sessions and its admin session working', async () => {
    server = await startTestServer({
      storage: await lastReleaseDatabase(),
      adminPassword: PASSWORD,
    });
    expect(await listEmails(server.database)).toEqual([
      'imported@example.com',
      'visitor@example.com',
    ]);

    // The visitor's browser still holds its cookie: it is remembered and still owns its address.
    const visitor = signedSessionCookie('visitor');
    expect((await server.request().get('/api/session').set('Cookie', visitor)).body).toEqual({
      email: 'visitor@example.com',
      subscribed: true,
      admin: false,
    });
    // The admin is still logged in.
    const admin = signedSessionCookie('admin');
    const list = await server.request().get('/api/admin/subscribers').set('Cookie', admin);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);

    // Both go on working: the visitor removes their own address, the admin logs out.
    await server.request().post('/api/unregister').set('Cookie', visitor).expect(200);
    expect(await listEmails(server.database)).toEqual(['imported@example.com']);
    await server.request().post('/api/admin/logout').set('Cookie', admin).expect(204);
    await server.request().get('/api/admin/subscribers').set('Cookie', admin).expect(401);
  });

  it('serves a database of 0012 (addresses, no settings) as the environment says, and saves settings', async () => {
    storage = await createTestStorage();
    const db = rawDatabase(storage);
    try {
      await migrateTo(db, TEST_BACKEND, '0012_suppressions_and_removals');
      await (db as Kysely<{ subscribers: { email: string; created_at: number } }>)
        .insertInto('subscribers')
        .values({ email: 'kept@example.com', created_at: Date.now() })
        .execute();
    } finally {
      await db.destroy();
    }
    server = await startTestServer({
      storage,
      adminPassword: PASSWORD,
      site: { name: 'Bake Club', tagline: 'Bread.', privacyUrl: null },
    });
    expect((await server.request().get('/api/site').expect(200)).body).toMatchObject({
      name: 'Bake Club',
      tagline: 'Bread.',
      showCount: true,
    });
    expect(await listEmails(server.database)).toEqual(['kept@example.com']);
    const admin = server.browser();
    await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
    await admin
      .post('/api/admin/settings')
      .send({
        name: 'Bake Club Two',
        tagline: null,
        privacyUrl: null,
        accentColor: null,
        showCount: true,
        texts: {},
      })
      .expect(200);
    expect((await server.request().get('/api/site').expect(200)).body.name).toBe('Bake Club Two');
    await server.request().post('/api/signup').send({ email: 'new@example.com' }).expect(200);
    expect(await listEmails(server.database)).toEqual(['kept@example.com', 'new@example.com']);
  });

  it('keeps the names of the migrations it recorded, and adds the new ones after them', async () => {
    const given = await lastReleaseDatabase();
    const names = async (db: Kysely<unknown>) =>
      (
        await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
      ).rows.map((row) => row.name);
    const before = rawDatabase(given);
    const recorded = await names(before).finally(() => before.destroy());
    server = await startTestServer({ storage: given });
    const after = await names(server.database.db as Kysely<unknown>);
    expect(recorded.at(-1)).toBe('0007_confirmation_by_email');
    expect(after.slice(0, recorded.length)).toEqual(recorded);
    expect(after.length).toBeGreaterThan(recorded.length);
  });

  it('sends a confirmation queued before mails had a language, in the site’s default', async () => {
    const mailServer = await startMailTestServer({
      storage: await pendingMailDatabase(),
      site: { name: 'Katzen', tagline: '', privacyUrl: null, defaultLanguage: 'de' },
    });
    // Its cleanup (afterEach) stops the app, then the SMTP server.
    server = mailServer;
    const [mail] = await mailServer.smtp.waitFor(1);
    expect(mail?.to).toBe('waiting@example.com');
    expect(mail?.header('content-language')).toBe('de');
    expect(mail?.html).toContain('<html lang="de">');
    expect(mail?.subject).toBe('Bitte bestätige deine Anmeldung bei Katzen');
    // Its link, written before the upgrade, still confirms.
    const link = linkIn(mail?.text ?? '', `${mailServer.url}/confirm?token=`);
    expect(new URL(link).searchParams.get('token')).toBe('confirm-me');
    await mailServer.browser().post('/api/confirm').send({ token: 'confirm-me' }).expect(200);
    expect(await listEmails(mailServer.database)).toEqual(['waiting@example.com']);
  });
});
