import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countSessions,
  createTestStorage,
  startTestServer,
  TEST_SESSION_KEY,
  type TestServer,
} from '../test-support/test-server.js';

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

/** Parses Set-Cookie lines into name → { value, attributes (lower-cased) }. */
function cookies(setCookie: string[] | string | undefined) {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return new Map(
    lines.map((line) => {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', ...value] = pair.split('=');
      return [name, { value: value.join('='), attributes: attributes.map((a) => a.toLowerCase()) }];
    }),
  );
}

async function signUp(server: TestServer, email = 'tom@example.com') {
  const response = await server.request().post('/api/signup').send({ email }).expect(200);
  const jar = cookies(response.headers['set-cookie']);
  const sid = jar.get('sid');
  const sig = jar.get('sid.sig');
  if (!sid || !sig) throw new Error('signup set no session cookie');
  return { sid: sid.value, sig: sig.value, jar, response };
}

describe('the session cookie', () => {
  it('is an opaque signed id with HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const server = await start();
    const { sid, jar } = await signUp(server, 'Secret.Address@example.com');

    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    for (const name of ['sid', 'sid.sig']) {
      const attributes = jar.get(name)?.attributes ?? [];
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(attributes.some((a) => a.startsWith('domain'))).toBe(false);
      expect(attributes).not.toContain('secure'); // plain HTTP here
    }
    // The id is signed with the first key (HMAC-SHA256 over "sid=<id>", base64url).
    const expected = createHmac('sha256', TEST_SESSION_KEY)
      .update(`sid=${sid}`)
      .digest('base64url');
    expect(jar.get('sid.sig')?.value).toBe(expected);
  });

  it('never carries the address, in any form', async () => {
    const server = await start();
    const { response } = await signUp(server, 'Secret.Address@example.com');
    const raw = String(response.headers['set-cookie']);
    for (const form of ['secret.address', 'Secret.Address', 'example.com', 'secret%2Eaddress']) {
      expect(raw).not.toContain(form);
    }
    expect(Buffer.from(raw, 'latin1').toString()).not.toContain(
      Buffer.from('secret.address').toString('base64').slice(0, 10),
    );
  });

  it('is Secure when the request came over HTTPS through a trusted proxy', async () => {
    const server = await start({ trustProxy: true });
    const response = await server
      .request()
      .post('/api/signup')
      .set('X-Forwarded-Proto', 'https')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ email: 'tls@example.com' })
      .expect(200);
    expect(cookies(response.headers['set-cookie']).get('sid')?.attributes).toContain('secure');
  });

  it('ignores X-Forwarded-Proto from an untrusted client', async () => {
    const server = await start();
    const response = await server
      .request()
      .post('/api/signup')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: 'plain@example.com' })
      .expect(200);
    expect(cookies(response.headers['set-cookie']).get('sid')?.attributes).not.toContain('secure');
  });

  it('is not set for a visitor who only reads the session, and no session row is made', async () => {
    const server = await start();
    const response = await server.request().get('/api/session').expect(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    await server.request().get('/api/stats').expect(200);
    expect(await countSessions(server.database)).toBe(0);
  });

  it('is removed with the session when the visitor unregisters', async () => {
    const server = await start();
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'bye@example.com' }).expect(200);
    expect(await countSessions(server.database)).toBe(1);
    const response = await browser.post('/api/unregister').expect(200);
    expect(cookies(response.headers['set-cookie']).get('sid')?.value).toBe('');
    expect(await countSessions(server.database)).toBe(0);
  });
});

describe('forged cookies', () => {
  it.each([
    [
      'a tampered id',
      (c: { sid: string; sig: string }) => `sid=${c.sid.slice(0, -2)}xx; sid.sig=${c.sig}`,
    ],
    [
      'a tampered signature',
      (c: { sid: string; sig: string }) => `sid=${c.sid}; sid.sig=${c.sig.slice(0, -2)}xx`,
    ],
    ['no signature', (c: { sid: string; sig: string }) => `sid=${c.sid}`],
    [
      'a made-up id signed with another key',
      () => 'sid=madeup; sid.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    ['garbage', () => 'sid=%%%; sid.sig=%%%'],
  ])('treats %s as no session (200, not 500)', async (_, forge) => {
    const server = await start();
    const cookie = await signUp(server);
    const response = await server.request().get('/api/session').set('Cookie', forge(cookie));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ email: null, subscribed: false, admin: false });

    const unregister = await server.request().post('/api/unregister').set('Cookie', forge(cookie));
    expect(unregister.status).toBe(409);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 1 });
  });

  it('still refuses forgeries once the real signature has been checked and remembered', async () => {
    const server = await start();
    const real = await signUp(server, 'real@example.com');
    const other = await signUp(server, 'other@example.com');
    const realCookie = `sid=${real.sid}; sid.sig=${real.sig}`;
    // The genuine cookie first, so that whatever the server remembers of it is warm.
    for (let i = 0; i < 2; i++) {
      const response = await server.request().get('/api/session').set('Cookie', realCookie);
      expect(response.body.email).toBe('real@example.com');
    }
    const forgeries = [
      `sid=${real.sid}; sid.sig=${real.sig.slice(0, -1)}${real.sig.endsWith('A') ? 'B' : 'A'}`,
      `sid=${real.sid}; sid.sig=${other.sig}`,
      `sid=${other.sid}; sid.sig=${real.sig}`,
      `sid=${real.sid}; sid.sig=${real.sig}x`,
      `sid=${real.sid}`,
    ];
    for (const cookie of forgeries) {
      const response = await server.request().get('/api/session').set('Cookie', cookie);
      expect({ cookie, body: response.body }).toEqual({
        cookie,
        body: { email: null, subscribed: false, admin: false },
      });
    }
    // ...and the genuine cookie still works afterwards.
    const again = await server.request().get('/api/session').set('Cookie', realCookie);
    expect(again.body.email).toBe('real@example.com');
  });

  it.each([
    ['quoted values', (c: { sid: string; sig: string }) => `sid="${c.sid}"; sid.sig="${c.sig}"`],
    [
      'other cookies around it',
      (c: { sid: string; sig: string }) => `theme=dark; sid=${c.sid}; sid.sig=${c.sig}; lang=fr`,
    ],
  ])('recognises a genuine cookie sent with %s', async (_, send) => {
    const server = await start();
    const cookie = await signUp(server, 'cookie@example.com');
    const response = await server.request().get('/api/session').set('Cookie', send(cookie));
    expect(response.body).toEqual({ email: 'cookie@example.com', subscribed: true, admin: false });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('treats a correctly signed id that the server never issued as no session', async () => {
    const server = await start();
    const id = 'x'.repeat(43);
    const sig = createHmac('sha256', TEST_SESSION_KEY).update(`sid=${id}`).digest('base64url');
    const response = await server
      .request()
      .get('/api/session')
      .set('Cookie', `sid=${id}; sid.sig=${sig}`);
    expect(response.status).toBe(200);
    expect(response.body.email).toBeNull();
    expect(await countSessions(server.database)).toBe(0);
  });

  it('does not store a session row for any forged cookie', async () => {
    const server = await start();
    for (let i = 0; i < 50; i++) {
      await server
        .request()
        .get('/api/session')
        .set('Cookie', `sid=forged${i}; sid.sig=forged${i}`)
        .expect(200);
    }
    expect(await countSessions(server.database)).toBe(0);
  });
});

describe('session lifetime', () => {
  it('survives a server restart on the same database', async () => {
    const storage = await createTestStorage();
    try {
      const first = await startTestServer({ storage });
      const { sid, sig } = await signUp(first, 'again@example.com');
      await first.stop();

      const second = await startTestServer({ storage });
      try {
        const response = await second
          .request()
          .get('/api/session')
          .set('Cookie', `sid=${sid}; sid.sig=${sig}`);
        expect(response.body).toEqual({
          email: 'again@example.com',
          subscribed: true,
          admin: false,
        });
      } finally {
        await second.stop();
      }
    } finally {
      await storage.remove();
    }
  });

  it('keeps working after a key rotation that keeps the old key', async () => {
    const storage = await createTestStorage();
    try {
      const first = await startTestServer({ storage });
      const { sid, sig } = await signUp(first, 'rotate@example.com');
      await first.stop();

      const rotated = await startTestServer({
        storage,
        sessionKeys: ['a-brand-new-key-that-is-long-enough-000', TEST_SESSION_KEY],
      });
      try {
        const response = await rotated
          .request()
          .get('/api/session')
          .set('Cookie', `sid=${sid}; sid.sig=${sig}`);
        expect(response.body.email).toBe('rotate@example.com');
        // No bare re-signed sid.sig (no Expires, no SameSite) that a browser would drop on restart.
        for (const line of [response.headers['set-cookie'] ?? []].flat()) {
          expect(line.toLowerCase()).toContain('samesite=lax');
          expect(line.toLowerCase()).toContain('expires=');
        }
      } finally {
        await rotated.stop();
      }
    } finally {
      await storage.remove();
    }
  });

  it('is renewed for another 30 days when used past half its life', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
      const server = await start({ now: () => Date.now() });
      const { sid, sig } = await signUp(server, 'regular@example.com');
      const cookie = `sid=${sid}; sid.sig=${sig}`;

      vi.setSystemTime(Date.parse('2026-01-05T00:00:00Z'));
      const early = await server.request().get('/api/session').set('Cookie', cookie);
      expect(early.headers['set-cookie']).toBeUndefined(); // nothing to renew yet, nothing written

      vi.setSystemTime(Date.parse('2026-01-20T00:00:00Z'));
      const late = await server.request().get('/api/session').set('Cookie', cookie);
      expect(late.body.email).toBe('regular@example.com');
      expect(cookies(late.headers['set-cookie']).get('sid')?.value).toBe(sid);

      vi.setSystemTime(Date.parse('2026-02-15T00:00:00Z')); // 46 days after signup
      const after = await server.request().get('/api/session').set('Cookie', cookie);
      expect(after.body.email).toBe('regular@example.com');
    } finally {
      vi.useRealTimers();
    }
  });

  it('expires after 30 days: the session is gone and the sweep deletes its row', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const server = await start({ now: () => clock });
    const { sid, sig } = await signUp(server, 'old@example.com');
    const cookie = `sid=${sid}; sid.sig=${sig}`;

    clock += 29 * 24 * 3600 * 1000;
    expect((await server.request().get('/api/session').set('Cookie', cookie)).body.email).toBe(
      'old@example.com',
    );

    clock += 2 * 24 * 3600 * 1000 + 20_000;
    expect(
      (await server.request().get('/api/session').set('Cookie', cookie)).body.email,
    ).toBeNull();

    const { createSessionStore } = await import('../stores/session-store.js');
    expect(await createSessionStore(server.database).purgeExpired(clock)).toBe(1);
    expect(await countSessions(server.database)).toBe(0);
  });
});

describe('newSessionId', () => {
  it('gives distinct 256-bit base64url ids, across pool refills', async () => {
    const { newSessionId } = await import('./session-middleware.js');
    const ids = Array.from({ length: 1_000 }, newSessionId);
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(32);
  });
});
