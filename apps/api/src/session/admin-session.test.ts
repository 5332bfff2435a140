import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../stores/session-store.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { ADMIN_IDLE_MS } from './admin-session.js';

// The admin flag in the stored session (http-api.md, Sessions): what counts as one, when it ends,
// and how often "last seen" is written. Runs on SQLite and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';
const T0 = Date.parse('2026-03-01T09:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

let clock: number;
let server: TestServer;
beforeEach(async () => {
  clock = T0;
  server = await startTestServer({ adminPassword: PASSWORD, now: () => clock });
});
afterEach(async () => {
  await server.cleanup();
});

async function logIn() {
  const admin = server.browser();
  const response = await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  const lines = response.headers['set-cookie'] as unknown as string[];
  const sid = lines
    .find((line) => line.startsWith('sid='))
    ?.split(';')[0]
    ?.slice(4);
  if (!sid) throw new Error('login set no session cookie');
  return { admin, sid };
}

/** The session as stored (through the store, so the server's read cache sees every change). */
async function stored(sid: string) {
  return (await createSessionStore(server.database).get(sid, clock))?.data;
}

/** Replaces the stored admin flag, as a database restored from elsewhere could hold it. */
async function storeFlag(sid: string, admin: unknown) {
  const sessions = createSessionStore(server.database);
  const read = await sessions.get(sid, clock);
  if (!read) throw new Error(`no session ${sid}`);
  const written = await sessions.update(sid, { ...read.data, admin }, clock + MINUTE, read.version);
  if (written === null) throw new Error(`session ${sid} changed meanwhile`);
}

async function isAdmin(admin: Awaited<ReturnType<typeof logIn>>['admin']) {
  const session = (await admin.get('/api/session').expect(200)).body;
  const list = await admin.get('/api/admin/subscribers');
  expect(list.status).toBe(session.admin ? 200 : 401);
  return session.admin as boolean;
}

describe('the admin flag', () => {
  it.each([
    ['true', true],
    ['null', null],
    ['a number', 1],
    ['a string', 'yes'],
    ['an empty object', {}],
    ['an array', [T0, T0]],
    ['no last seen', { since: T0 }],
    ['no login time', { seen: T0 }],
    ['a login time that is text', { since: String(T0), seen: T0 }],
    ['a last seen that is text', { since: T0, seen: String(T0) }],
  ])('is not admin when the stored flag is %s, and the flag is dropped', async (_, flag) => {
    const { admin, sid } = await logIn();
    await storeFlag(sid, flag);
    expect(await isAdmin(admin)).toBe(false);
    expect(await stored(sid)).not.toHaveProperty('admin');
  });

  it('ends exactly 30 minutes after the last request', async () => {
    const { admin } = await logIn();
    clock += ADMIN_IDLE_MS - 1;
    expect(await isAdmin(admin)).toBe(true);
    clock += ADMIN_IDLE_MS;
    expect(await isAdmin(admin)).toBe(false);
  });

  it('stays ended when the clock steps back (the expired flag is removed, not kept)', async () => {
    const { admin, sid } = await logIn();
    clock += ADMIN_IDLE_MS + MINUTE;
    expect(await isAdmin(admin)).toBe(false);
    expect(await stored(sid)).not.toHaveProperty('admin');
    clock = T0 + MINUTE;
    expect(await isAdmin(admin)).toBe(false);
  });

  it('writes "last seen" at most every 15 seconds, not on every request', async () => {
    const { admin, sid } = await logIn();
    clock += 14 * SECOND;
    expect(await isAdmin(admin)).toBe(true);
    expect(await stored(sid)).toMatchObject({ admin: { since: T0, seen: T0 } });
    clock += SECOND;
    expect(await isAdmin(admin)).toBe(true);
    expect(await stored(sid)).toMatchObject({ admin: { since: T0, seen: T0 + 15 * SECOND } });
  });
});
