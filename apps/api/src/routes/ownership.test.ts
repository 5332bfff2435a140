import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countSessions,
  listEmails,
  startTestServer,
  type TestServer,
} from '../test-support/test-server.js';

// docs/http-api.md, "Ownership" and "Sessions": only the session that put an address on the list
// removes it; a signup issues a new session id. Every case runs on SQLite and on PostgreSQL.

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ adminPassword: 'correct horse battery staple' });
});
afterEach(async () => {
  await server.cleanup();
});

type Browser = ReturnType<TestServer['browser']>;

async function signUp(browser: Browser, email: string) {
  const response = await browser.post('/api/signup').send({ email });
  expect(response.status).toBe(200);
  return response;
}

const session = async (browser: Browser) => (await browser.get('/api/session')).body;

describe('ownership', () => {
  it('lets nobody but the owner take an address off the list, with the same answer', async () => {
    const owner = server.browser();
    await signUp(owner, 'cat@example.com');
    const stranger = server.browser();
    await signUp(stranger, 'cat@example.com');

    const attempt = await stranger.post('/api/unregister');
    expect(attempt.status).toBe(200);
    expect(attempt.body).toEqual({ removed: 'cat@example.com' });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect(await session(stranger)).toEqual({ email: null, subscribed: false, admin: false });
    expect(await session(owner)).toEqual({
      email: 'cat@example.com',
      subscribed: true,
      admin: false,
    });

    const own = await owner.post('/api/unregister');
    expect(own.status).toBe(200);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it.each([
    ['another case', 'CAT@Example.com'],
    ['padding', '  cat@example.com  '],
  ])('does not hand ownership to a second signup spelled with %s', async (_, spelling) => {
    const owner = server.browser();
    await signUp(owner, 'cat@example.com');
    const stranger = server.browser();
    await signUp(stranger, spelling);
    await stranger.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
  });

  it('answers a stranger the same whether or not the address is still on the list', async () => {
    const owner = server.browser();
    await signUp(owner, 'cat@example.com');
    const stranger = server.browser();
    await signUp(stranger, 'cat@example.com');
    await owner.post('/api/unregister').expect(200);
    const attempt = await stranger.post('/api/unregister');
    expect(attempt.status).toBe(200);
    expect(attempt.body).toEqual({ removed: 'cat@example.com' });
  });

  it('takes nothing from the request body: only the session decides what goes', async () => {
    const owner = server.browser();
    await signUp(owner, 'victim@example.com');
    const attacker = server.browser();
    await signUp(attacker, 'attacker@example.com');
    const response = await attacker.post('/api/unregister').send({ email: 'victim@example.com' });
    expect(response.body).toEqual({ removed: 'attacker@example.com' });
    expect(await listEmails(server.database)).toEqual(['victim@example.com']);
  });

  it('keeps ownership when the owner signs up the same address again', async () => {
    const owner = server.browser();
    await signUp(owner, 'cat@example.com');
    await signUp(owner, 'Cat@Example.com');
    await owner.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('ends ownership of an address once the session signs up another one', async () => {
    // The session remembers one address; signing up the first again, while it is still on the
    // list, is a signup of a listed address and makes no owner (docs/http-api.md, Ownership).
    const browser = server.browser();
    await signUp(browser, 'first@example.com');
    await signUp(browser, 'second@example.com');
    await signUp(browser, 'first@example.com');
    expect((await browser.post('/api/unregister').expect(200)).body).toEqual({
      removed: 'first@example.com',
    });
    expect(await listEmails(server.database)).toEqual(['first@example.com', 'second@example.com']);
  });

  it('ends ownership when the address leaves the list and someone else puts it back', async () => {
    const first = server.browser();
    await signUp(first, 'cat@example.com');
    const admin = server.browser();
    await admin.post('/api/admin/login').send({ password: 'correct horse battery staple' });
    await admin.delete('/api/admin/subscribers/cat%40example.com').expect(204);
    const second = server.browser();
    await signUp(second, 'cat@example.com');

    const attempt = await first.post('/api/unregister');
    expect(attempt.status).toBe(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    await second.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('gives a new address to exactly one of many browsers signing it up at once', async () => {
    const browsers = Array.from({ length: 8 }, () => server.browser());
    await Promise.all(browsers.map((browser) => signUp(browser, 'race@example.com')));
    let removals = 0;
    for (const browser of browsers) {
      const before = (await listEmails(server.database)).length;
      await browser.post('/api/unregister').expect(200);
      if (before === 1 && (await listEmails(server.database)).length === 0) removals++;
    }
    expect(removals).toBe(1);
    expect(await listEmails(server.database)).toEqual([]);
  });
});

describe('a new session id at signup', () => {
  it('leaves a cookie planted before the signup unable to read or remove the address', async () => {
    // The attacker gets a session of their own, then plants its cookie in the victim's browser.
    const attacker = server.browser();
    const planted = await signUp(attacker, 'attacker@example.com');
    const cookie = ((planted.headers['set-cookie'] ?? []) as string[])
      .map((line) => line.split(';')[0])
      .join('; ');
    const victim = server.browser();
    const signup = await victim
      .post('/api/signup')
      .set('Cookie', cookie)
      .send({ email: 'victim@example.com' })
      .expect(200);
    const issued = ((signup.headers['set-cookie'] ?? []) as string[]).find((line) =>
      line.startsWith('sid='),
    );
    expect(issued?.split(';')[0]).not.toBe(cookie.split('; ')[0]);

    const replay = await server.request().get('/api/session').set('Cookie', cookie);
    expect(replay.body).toEqual({ email: null, subscribed: false, admin: false });
    const removal = await server.request().post('/api/unregister').set('Cookie', cookie);
    expect(removal.status).toBe(409);
    expect(await listEmails(server.database)).toEqual([
      'attacker@example.com',
      'victim@example.com',
    ]);

    // The victim's own browser, on its new id, still has its address.
    const own = await server
      .request()
      .get('/api/session')
      .set(
        'Cookie',
        ((signup.headers['set-cookie'] ?? []) as string[]).map((l) => l.split(';')[0]).join('; '),
      );
    expect(own.body).toEqual({ email: 'victim@example.com', subscribed: true, admin: false });
  });

  it('keeps one session row per browser across repeated signups', async () => {
    const browser = server.browser();
    await signUp(browser, 'a@example.com');
    await signUp(browser, 'b@example.com');
    await signUp(browser, 'c@example.com');
    expect(await countSessions(server.database)).toBe(1);
    expect(await session(browser)).toEqual({
      email: 'c@example.com',
      subscribed: true,
      admin: false,
    });
  });
});

describe('one address, one row', () => {
  it.each([
    [
      'a capital with a combining mark, and its precomposed small letter',
      'T\u0308ee@x.com',
      '\u1e97ee@x.com',
    ],
    ['J with a caron, decomposed and capital', 'J\u030cOSE@X.COM', '\u01f0ose@x.com'],
    ['Greek iota with dialytika and tonos', '\u0399\u0308\u0301@x.gr', '\u0390@x.gr'],
  ])('stores %s once, and either spelling removes it', async (_, one, other) => {
    const owner = server.browser();
    await signUp(owner, one);
    await signUp(server.browser(), other);
    expect(await listEmails(server.database)).toEqual([other]);
    const admin = server.browser();
    await admin.post('/api/admin/login').send({ password: 'correct horse battery staple' });
    await admin.delete(`/api/admin/subscribers/${encodeURIComponent(one)}`).expect(204);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it.each([
    ['U+3164 Hangul filler', 'cat\u3164@example.com'],
    ['U+034F combining grapheme joiner', 'ca\u034ft@example.com'],
    ['U+FE0F variation selector', 'cat\ufe0f@example.com'],
    ['U+200B zero-width space', 'cat\u200b@example.com'],
  ])(
    'refuses an invisible character (%s) as 400 invalid_email, storing nothing',
    async (_, email) => {
      const response = await server.browser().post('/api/signup').send({ email });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_email');
      expect(await listEmails(server.database)).toEqual([]);
    },
  );
});
