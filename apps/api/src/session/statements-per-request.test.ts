import { pino } from 'pino';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';
import {
  createTestStorage,
  TEST_BACKEND,
  TEST_SESSION_KEY,
  type TestStorage,
} from '../test-support/test-server.js';

// What each kind of request sends to the database, statement by statement, as the server's own
// trace log reports it (LOG_LEVEL=trace, db/query-log.ts): a signup is one transaction for the
// address and the session together, for a new and a returning visitor alike; reading a session
// writes nothing. The rate limiter of signups is not in these numbers: it counts in memory on
// SQLite and through its own statement on PostgreSQL. On SQLite a transaction is a unit of the
// group commit (db/sqlite/group-commit.ts), which the driver opens and closes itself: `begin` and
// `commit` below are PostgreSQL's.

let opened: { storage: TestStorage; database?: DatabaseHandle } | undefined;
afterEach(async () => {
  await opened?.database?.close();
  await opened?.storage.remove();
  opened = undefined;
});

/** A server whose database logs every statement, and a way to see what one request sent. */
async function start(settingsMaxAgeMs?: number) {
  const statements: string[] = [];
  const logger = pino(
    { level: 'trace' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg: string; sql?: string };
        if (entry.msg === 'query' && entry.sql) statements.push(entry.sql);
      },
    },
  );
  const storage = await createTestStorage();
  opened = { storage };
  const database = await openDatabase(storage.url, {
    logger,
    connectRetryMs: 0,
    ...(storage.schema ? { schema: storage.schema } : {}),
  });
  opened.database = database;
  const { app } = createApp({ database, sessionKeys: [TEST_SESSION_KEY], settingsMaxAgeMs });
  /** The statements `send` caused, each as its first word (`select`, `insert`, `begin`, ...). */
  async function sent(send: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    await send();
    return statements.map((text) => text.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
  }
  /** The statements `send` caused that name `table`. */
  async function touching(table: string, send: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    await send();
    return statements.filter((text) => text.includes(table));
  }
  return { browser: () => supertest.agent(app.callback()), sent, touching };
}

/** One transaction of these statements, as each backend's log shows it (see above). */
function inOneTransaction(...kinds: string[]): string[] {
  return TEST_BACKEND === 'postgres' ? ['begin', ...kinds, 'commit'] : kinds;
}

describe(`statements per request (${TEST_BACKEND})`, () => {
  it('commits a new visitor’s signup once: the address and the session together', async () => {
    const { browser, sent } = await start();
    const visitor = browser();
    expect(await sent(() => visitor.post('/api/signup').send({ email: 'a@example.com' }))).toEqual(
      // The address, its suppression lifted (the visitor came back by themselves), the session.
      inOneTransaction('insert', 'delete', 'insert'),
    );
  });

  it('commits a returning visitor’s signup once, the new session id included', async () => {
    const { browser, sent } = await start();
    const visitor = browser();
    await visitor.post('/api/signup').send({ email: 'a@example.com' }).expect(200);
    // Read the session first (as the page does), so that what follows is the signup alone.
    await visitor.get('/api/session').expect(200);
    expect(await sent(() => visitor.post('/api/signup').send({ email: 'b@example.com' }))).toEqual(
      // The session as read (from memory on SQLite), then: the address, the old id's row out,
      // the new id's row in, in one transaction.
      [
        ...(TEST_BACKEND === 'postgres' ? ['select'] : []),
        ...inOneTransaction('insert', 'delete', 'delete', 'insert'),
      ],
    );
  });

  it('writes nothing when a visitor reads their session', async () => {
    const { browser, sent } = await start();
    const visitor = browser();
    await visitor.post('/api/signup').send({ email: 'a@example.com' }).expect(200);
    await visitor.get('/api/session').expect(200);
    const reads = await sent(() => visitor.get('/api/session').expect(200));
    expect(reads.filter((kind) => kind !== 'select')).toEqual([]);
    // SQLite answers from memory; PostgreSQL is asked for the session and the address.
    expect(reads).toHaveLength(TEST_BACKEND === 'postgres' ? 2 : 0);
  });

  it('commits an unregister once: the address, its links and the emptied session go together', async () => {
    const { browser, sent } = await start();
    const visitor = browser();
    await visitor.post('/api/signup').send({ email: 'a@example.com' }).expect(200);
    await visitor.get('/api/session').expect(200);
    expect(await sent(() => visitor.post('/api/unregister').expect(200))).toEqual([
      ...(TEST_BACKEND === 'postgres' ? ['select'] : []),
      // The address, the confirmation links issued for it (dead once it leaves), the removal and
      // the suppression it records, the session.
      ...inOneTransaction('delete', 'delete', 'insert', 'insert', 'delete'),
    ]);
  });

  it('reads the site settings once per copy, not on each signup or page', async () => {
    // The copy kept for an hour here (a second by default, settings/live-site.ts).
    const { browser, touching } = await start(60 * 60 * 1000);
    const visitor = browser();
    const form = () =>
      visitor.post('/subscribe').type('form').send({ email: 'a@example.com' }).expect(200);
    expect(await touching('site_settings', form)).toHaveLength(1);
    expect(await touching('site_settings', form)).toEqual([]);
    expect(await touching('site_settings', () => visitor.get('/api/site').expect(200))).toEqual([]);
    expect(
      await touching('site_settings', () =>
        visitor.post('/api/signup').send({ email: 'b@example.com' }).expect(200),
      ),
    ).toEqual([]);
  });
});
