import { ERROR_MESSAGES } from '@catlist/contracts';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countSessions,
  listEmails,
  startTestServer,
  type TestServer,
} from '../test-support/test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.cleanup();
});

const json = { 'Content-Type': 'application/json' };

describe('the seed flow', () => {
  it('signs up, remembers the address, unregisters, then says there is nothing to remove', async () => {
    const browser = server.browser();

    const before = await browser.get('/api/session');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ email: null, subscribed: false, admin: false });

    const signup = await browser.post('/api/signup').send({ email: '  Tom.Cat@Example.COM ' });
    expect(signup.status).toBe(200);
    expect(signup.body).toEqual({ email: 'tom.cat@example.com', subscribed: true });

    const remembered = await browser.get('/api/session');
    expect(remembered.body).toEqual({
      email: 'tom.cat@example.com',
      subscribed: true,
      admin: false,
    });
    expect((await browser.get('/api/stats')).body).toEqual({ subscribers: 1 });

    const unregister = await browser.post('/api/unregister');
    expect(unregister.status).toBe(200);
    expect(unregister.body).toEqual({ removed: 'tom.cat@example.com' });
    expect(await listEmails(server.database)).toEqual([]);

    const again = await browser.post('/api/unregister');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'no_email_in_session', message: "You haven't submitted an email!" },
    });
    expect((await browser.get('/api/session')).body).toEqual({
      email: null,
      subscribed: false,
      admin: false,
    });
  });

  it("says the address isn't on the list when it vanished, and forgets it", async () => {
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'gone@example.com' }).expect(200);
    await server.database.db.deleteFrom('subscribers').execute();

    expect((await browser.get('/api/session')).body).toEqual({
      email: 'gone@example.com',
      subscribed: false,
      admin: false,
    });
    const response = await browser.post('/api/unregister');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'not_on_list', message: "That address isn't on our list" },
    });
    expect((await browser.get('/api/session')).body.email).toBeNull();
  });

  it('answers a repeated signup exactly like a first one and stores the address once', async () => {
    const first = await server.request().post('/api/signup').send({ email: 'twice@example.com' });
    const second = await server.request().post('/api/signup').send({ email: 'TWICE@example.com' });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(await listEmails(server.database)).toEqual(['twice@example.com']);
  });

  it('stores 200 concurrent signups of one new address once, answering 200 to all', async () => {
    // 200 visitors behind a proxy, so the per-IP limit is not what is being tested here.
    const proxied = await startTestServer({ trustProxy: true });
    try {
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          proxied
            .request()
            .post('/api/signup')
            .set('X-Forwarded-For', `198.51.100.${i}`)
            .send({ email: 'rush@example.com' }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
      expect(await listEmails(proxied.database)).toEqual(['rush@example.com']);
    } finally {
      await proxied.cleanup();
    }
  });

  it('keeps the first signup time when the address signs up again', async () => {
    await server.request().post('/api/signup').send({ email: 'early@example.com' }).expect(200);
    const [before] = await server.database.db.selectFrom('subscribers').selectAll().execute();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await server.request().post('/api/signup').send({ email: 'early@example.com' }).expect(200);
    const [after] = await server.database.db.selectFrom('subscribers').selectAll().execute();
    expect(after).toEqual(before);
  });
});

describe('what a signup accepts', () => {
  it('takes a UTF-8 body with a charset and a byte-order mark', async () => {
    const response = await server
      .request()
      .post('/api/signup')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(`\ufeff${JSON.stringify({ email: 'bom@example.com' })}`)
      .expect(200);
    expect(response.body).toEqual({ email: 'bom@example.com', subscribed: true });
    expect(await listEmails(server.database)).toEqual(['bom@example.com']);
  });

  it('takes a signup from its own origin behind a trusted TLS proxy, with a Secure cookie', async () => {
    const proxied = await startTestServer({ trustProxy: true });
    try {
      const response = await proxied
        .request()
        .post('/api/signup')
        .set({
          'X-Forwarded-Proto': 'https',
          'X-Forwarded-Host': 'list.example',
          'X-Forwarded-For': '203.0.113.9, 10.0.0.1',
          Origin: 'https://list.example',
        })
        .send({ email: 'proxied@example.com' })
        .expect(200);
      expect(String(response.headers['set-cookie'])).toMatch(/sid=[^;]+;.*secure/i);
      expect(await listEmails(proxied.database)).toEqual(['proxied@example.com']);
    } finally {
      await proxied.cleanup();
    }
  });
});

describe('the honeypot', () => {
  /** What a signup shows a client: status, body, which cookies with which attributes, and the
   * session reads after it. */
  async function seenBy(body: Record<string, string>) {
    const browser = server.browser();
    const response = await browser.post('/api/signup').send(body);
    const cookies = ((response.headers['set-cookie'] ?? []) as string[]).map((line) =>
      line.replace(/^(sid(?:\.sig)?)=[^;]*/, '$1=…').replace(/expires=[^;]*/i, 'expires=…'),
    );
    const session = await browser.get('/api/session');
    return { status: response.status, body: response.body, cookies, session: session.body };
  }

  it('answers a bot exactly as a person, cookie and session reads included, and stores nothing', async () => {
    const person = await seenBy({ email: 'person@example.com' });
    const bot = await seenBy({ email: 'bot@example.com', website: 'http://spam.example' });
    expect({
      ...bot,
      body: { ...bot.body, email: 'x' },
      session: { ...bot.session, email: 'x' },
    }).toEqual({
      ...person,
      body: { ...person.body, email: 'x' },
      session: { ...person.session, email: 'x' },
    });
    expect(bot.body).toEqual({ email: 'bot@example.com', subscribed: true });
    expect(bot.session).toEqual({ email: 'bot@example.com', subscribed: true, admin: false });
    expect(await listEmails(server.database)).toEqual(['person@example.com']);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 1 });
  });

  it('lets a caught bot unregister as a person would, changing nothing on the list', async () => {
    await server.request().post('/api/signup').send({ email: 'bot@example.com' }).expect(200);
    const bot = server.browser();
    await bot.post('/api/signup').send({ email: 'bot@example.com', website: 'x' }).expect(200);
    const response = await bot.post('/api/unregister');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ removed: 'bot@example.com' });
    expect(await listEmails(server.database)).toEqual(['bot@example.com']);
    // Like a person's, the emptied session goes, row and cookie: nothing marks the bot.
    expect(await countSessions(server.database)).toBe(1);
    expect(response.headers['set-cookie']?.[0]).toMatch(/^sid=;/);
  });

  it('treats an empty website field as a person', async () => {
    await server
      .request()
      .post('/api/signup')
      .send({ email: 'human@example.com', website: '' })
      .expect(200);
    expect(await listEmails(server.database)).toEqual(['human@example.com']);
  });
});

describe('what a refused address is told', () => {
  it.each([
    ['nothing', '  ', 'Please enter your email address.'],
    ['no domain', 'cat@', 'Please enter a valid email address.'],
    [
      'a long local part',
      `${'a'.repeat(65)}@example.com`,
      'The part before the @ is too long (at most 64 characters).',
    ],
    [
      'a long address',
      `${'a'.repeat(60)}@${'b'.repeat(200)}.com`,
      'That address is too long (at most 254 characters).',
    ],
  ])(
    'answers %s with 400 invalid_email and the message the form shows',
    async (_, email, message) => {
      const response = await server.request().post('/api/signup').send({ email });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'invalid_email', message } });
      expect(await listEmails(server.database)).toEqual([]);
    },
  );
});

describe("errors in the visitor's language", () => {
  it.each([
    ['de-DE,de;q=0.9', 'cat@', 'Bitte gib eine gültige E-Mail-Adresse ein.'],
    ['fr-CA', '', 'Veuillez saisir votre adresse e-mail.'],
    [
      'es;q=0.9, xx',
      `${'a'.repeat(65)}@example.com`,
      'La parte antes de la @ es demasiado larga (como máximo 64 caracteres).',
    ],
    ['pt-BR', 'cat@', 'Please enter a valid email address.'],
  ])(
    'answers Accept-Language %s with the same code and its message',
    async (accept, email, message) => {
      const response = await server
        .request()
        .post('/api/signup')
        .set('Accept-Language', accept)
        .send({ email });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: { code: 'invalid_email', message } });
      expect(response.headers.vary).toMatch(/Accept-Language/);
    },
  );

  it('keeps the admin routes in English, as the admin area is for now', async () => {
    const response = await server
      .request()
      .get('/api/admin/subscribers')
      .set('Accept-Language', 'de');
    expect(response.status).toBe(503);
    expect(response.body.error).toEqual({
      code: 'admin_disabled',
      message: ERROR_MESSAGES.admin_disabled,
    });
  });

  it("says nothing is here, and there's nothing to remove, in French; the chooser's cookie wins", async () => {
    const missing = await server.request().get('/api/nothing').set('Accept-Language', 'fr');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Il n’y a rien ici.' } });

    const nothing = await server
      .request()
      .post('/api/unregister')
      .set('Accept-Language', 'en')
      .set('Cookie', 'lang=fr');
    expect(nothing.status).toBe(409);
    expect(nothing.body).toEqual({
      error: {
        code: 'no_email_in_session',
        message: 'Vous n’avez pas encore saisi d’adresse e-mail !',
      },
    });
  });
});

describe('bad input changes nothing', () => {
  /** Signs up one browser, then checks that a bad request left list, sessions and cookie alone. */
  async function expectUnchanged(
    send: (browser: ReturnType<TestServer['browser']>) => Promise<{
      status: number;
      body: unknown;
      headers: Record<string, unknown>;
    }>,
    status: number,
    code: string,
  ) {
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'keep@example.com' }).expect(200);
    const sessionsBefore = await countSessions(server.database);

    const response = await send(browser);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+|SELECT|sqlite/i);
    expect(response.headers['set-cookie']).toBeUndefined();

    expect(await listEmails(server.database)).toEqual(['keep@example.com']);
    expect(await countSessions(server.database)).toBe(sessionsBefore);
    expect((await browser.get('/api/session')).body.email).toBe('keep@example.com');
    return response;
  }

  it.each([
    ['no @', 'not-an-address'],
    ['no dot in the domain', 'cat@localhost'],
    ['two @', 'a@b@example.com'],
    ['a line break', 'cat@example.com\r\nBcc: x@example.com'],
    ['a 255-character address', `${'a'.repeat(64)}@${'b'.repeat(186)}.com`],
    ['nothing but spaces', '   '],
  ])('refuses an address with %s as 400 invalid_email', async (_, email) => {
    const response = await expectUnchanged(
      (browser) => browser.post('/api/signup').send({ email }),
      400,
      'invalid_email',
    );
    expect(response.body).toMatchObject({ error: { message: expect.stringMatching(/address/) } });
  });

  it('refuses a body with a __proto__ key as 400 invalid_json', async () => {
    await expectUnchanged(
      (browser) =>
        browser
          .post('/api/signup')
          .set(json)
          .send('{"email":"proto@example.com","__proto__":{"admin":true}}'),
      400,
      'invalid_json',
    );
  });

  it('refuses malformed JSON as 400 invalid_json', async () => {
    await expectUnchanged(
      (browser) => browser.post('/api/signup').set(json).send('{"email": "x@example.com"'),
      400,
      'invalid_json',
    );
  });

  it.each([
    ['a missing email', {}],
    ['a number for the email', { email: 42 }],
    ['a non-string honeypot', { email: 'x@example.com', website: ['a'] }],
    ['an array body', [{ email: 'x@example.com' }]],
    ['a bare string body', 'x@example.com'],
    ['null', null],
  ])('refuses %s as 400 invalid_request with the issues', async (_, body) => {
    const response = await expectUnchanged(
      (browser) => browser.post('/api/signup').set(json).send(JSON.stringify(body)),
      400,
      'invalid_request',
    );
    expect(response.body).toMatchObject({ error: { issues: expect.any(Array) } });
  });

  it('refuses a body that is not JSON as 415 unsupported_media_type', async () => {
    await expectUnchanged(
      (browser) =>
        browser.post('/api/signup').set('Content-Type', 'text/plain').send('email=x@example.com'),
      415,
      'unsupported_media_type',
    );
    await expectUnchanged(
      (browser) => browser.post('/api/unregister').type('form').send({ email: 'keep@example.com' }),
      415,
      'unsupported_media_type',
    );
  });

  it('refuses a body over 16 KiB as 413 payload_too_large', async () => {
    await expectUnchanged(
      (browser) =>
        browser.post('/api/signup').send({ email: 'big@example.com', pad: 'x'.repeat(16 * 1024) }),
      413,
      'payload_too_large',
    );
  });

  it('accepts a body just under 16 KiB', async () => {
    const pad = 'x'.repeat(16 * 1024 - 60);
    await server.request().post('/api/signup').send({ email: 'fits@example.com', pad }).expect(200);
  });

  it('answers GET /api/unregister with 405 and Allow, and removes nothing', async () => {
    const response = await expectUnchanged(
      (browser) => browser.get('/api/unregister'),
      405,
      'method_not_allowed',
    );
    expect(response.headers.allow).toContain('POST');
  });

  it('answers an unknown method on a known path with 405', async () => {
    const response = await server.request().delete('/api/stats');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toContain('GET');
    expect(response.body.error.code).toBe('method_not_allowed');
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await server.request().get('/api/cats');
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({
      error: { code: 'not_found', message: ERROR_MESSAGES.not_found },
    });
  });
});

describe('stats and health', () => {
  it('counts subscribers', async () => {
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 0 });
    for (const email of ['a@example.com', 'b@example.com', 'A@example.com']) {
      await server.request().post('/api/signup').send({ email }).expect(200);
    }
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 2 });
  });

  it('logs a failed health check as a warning with its cause', async () => {
    const lines: string[] = [];
    const logged = await startTestServer({
      logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }),
    });
    try {
      await logged.database.close();
      await logged.request().get('/api/health').expect(503);
    } finally {
      await logged.cleanup();
    }
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'health check failed',
        err: expect.objectContaining({ message: expect.any(String) }),
      }),
    );
  });

  it('is healthy while the database answers and 503 when it does not', async () => {
    expect((await server.request().get('/api/health')).body).toEqual({ status: 'ok' });
    await server.database.close();
    const response = await server.request().get('/api/health');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable' });
  });

  describe('when the address cannot be stored', () => {
    /** Makes every insert into the list fail, as a full disk or a broken table would. */
    async function refuseInserts() {
      const { db, dialect } = server.database;
      if (dialect === 'sqlite') {
        await sql`create trigger refuse before insert on subscribers
          begin select raise(abort, 'refused'); end`.execute(db);
      } else {
        await sql`create function refuse() returns trigger language plpgsql as $$
          begin raise exception 'refused'; end $$`.execute(db);
        await sql`create trigger refuse before insert on subscribers
          for each row execute function refuse()`.execute(db);
      }
    }

    it('leaves a new visitor without a session', async () => {
      await refuseInserts();
      const browser = server.browser();
      const response = await browser.post('/api/signup').send({ email: 'lost@example.com' });
      expect(response.status).toBe(500);
      expect(await countSessions(server.database)).toBe(0);
      expect((await browser.get('/api/session')).body).toEqual({
        email: null,
        subscribed: false,
        admin: false,
      });
    });

    it('leaves a returning visitor’s session as it was', async () => {
      const browser = server.browser();
      await browser.post('/api/signup').send({ email: 'first@example.com' }).expect(200);
      await refuseInserts();
      const response = await browser.post('/api/signup').send({ email: 'second@example.com' });
      expect(response.status).toBe(500);
      expect((await browser.get('/api/session')).body).toEqual({
        email: 'first@example.com',
        subscribed: true,
        admin: false,
      });
      expect(await countSessions(server.database)).toBe(1);
      expect(await listEmails(server.database)).toEqual(['first@example.com']);
    });
  });

  it('answers 500 internal_error without details when the database fails mid-request', async () => {
    await server.database.close();
    const response = await server.request().post('/api/signup').send({ email: 'x@example.com' });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'internal_error', message: ERROR_MESSAGES.internal_error },
    });
  });

  it('marks every API response no-store, nosniff and not frameable', async () => {
    for (const path of ['/api/session', '/api/stats', '/api/health', '/api/nope']) {
      const { headers } = await server.request().get(path);
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['strict-transport-security']).toContain('max-age=');
      expect(headers['referrer-policy']).toBe('no-referrer');
    }
    const error = await server.request().post('/api/signup').send({ email: 'nope' });
    expect(error.headers['x-content-type-options']).toBe('nosniff');
  });
});
