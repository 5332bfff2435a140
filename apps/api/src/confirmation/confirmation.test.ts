import { afterEach, describe, expect, it } from 'vitest';
import { SigningKeys } from '../session/signing-keys.js';
import { type MailTestServer, startMailTestServer } from '../test-support/mail-server.js';
import { rawRequest } from '../test-support/per-test.js';
import { linkIn } from '../test-support/smtp-catcher.js';
import {
  listEmails,
  startTestServer,
  TEST_BACKEND,
  TEST_SESSION_KEY,
} from '../test-support/test-server.js';
import { createMailOutbox } from './mail-outbox.js';
import { unsubscribeToken } from './unsubscribe-token.js';

// docs/http-api.md, "Confirmation by email": real mails through a real SMTP server, on SQLite
// and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';
const HOUR = 60 * 60 * 1000;
let server: MailTestServer;
let clock = Date.now();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start() {
  clock = Date.now();
  server = await startMailTestServer({ adminPassword: PASSWORD, now: () => clock });
  cleanups.push(() => server.cleanup());
  return server;
}

type Browser = ReturnType<MailTestServer['browser']>;
const session = async (browser: Browser) => (await browser.get('/api/session')).body;

async function adminBrowser() {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

/** The token of the confirmation link in the `n`th mail (1-based) that arrived. */
async function confirmationToken(n = 1) {
  const mails = await server.smtp.waitFor(n);
  const link = linkIn(mails[n - 1]?.text ?? '', `${server.url}/confirm?token=`);
  return new URL(link).searchParams.get('token') ?? '';
}

describe(`confirmation by email (${TEST_BACKEND})`, () => {
  it('keeps a signup pending until the link from the mail is opened, in any browser', async () => {
    await start();
    const visitor = server.browser();
    const signup = await visitor.post('/api/signup').send({ email: ' Cat@Example.com ' });
    expect(signup.status).toBe(200);
    expect(signup.body).toEqual({ email: 'cat@example.com', subscribed: false, pending: true });
    expect(await session(visitor)).toEqual({
      email: 'cat@example.com',
      subscribed: false,
      pending: true,
      admin: false,
    });
    expect(await listEmails(server.database)).toEqual([]);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 0 });
    const admin = await adminBrowser();
    expect((await admin.get('/api/admin/subscribers')).body).toMatchObject({
      total: 0,
      pending: 1,
    });

    // The link from the received mail, opened in another browser (a phone, say): opening it
    // proves control of the mailbox, so that browser owns the address. The browser that asked
    // is not the one that opened it: it stays pending, and never learns whether it joined.
    const token = await confirmationToken();
    const phone = server.browser();
    const confirmed = await phone.post('/api/confirm').send({ token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ email: 'cat@example.com', subscribed: true });
    expect(confirmed.headers['set-cookie']?.[0]).toMatch(/^sid=/);
    expect(await session(phone)).toEqual({
      email: 'cat@example.com',
      subscribed: true,
      pending: false,
      admin: false,
    });
    expect(await session(visitor)).toEqual({
      email: 'cat@example.com',
      subscribed: false,
      pending: true,
      admin: false,
    });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 1 });
    const list = (await admin.get('/api/admin/subscribers')).body;
    expect(list.pending).toBe(0);
    expect(list.items).toEqual([
      {
        email: 'cat@example.com',
        createdAt: new Date(clock).toISOString(),
        source: 'signup',
        confirmedAt: new Date(clock).toISOString(),
      },
    ]);
    const csv = (await admin.get('/api/admin/subscribers.csv')).text;
    expect(csv.split('\r\n')[0]).toBe('email,created_at,source,confirmed_at');
    expect(csv.split('\r\n')[1]).toBe(
      `cat@example.com,${new Date(clock).toISOString()},signup,${new Date(clock).toISOString()}`,
    );

    // Opened again (another browser, a link scanner): still 200, but no session and no owner.
    const laptop = server.browser();
    const again = await laptop.post('/api/confirm').send({ token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ email: 'cat@example.com', subscribed: true });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await laptop.post('/api/unregister')).status).toBe(409);
    // The asker cannot remove it either; the owner can.
    expect((await visitor.post('/api/unregister')).body).toEqual({ removed: 'cat@example.com' });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect((await phone.post('/api/unregister')).body).toEqual({ removed: 'cat@example.com' });
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('makes the asking browser the owner when it opens the link itself', async () => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    await visitor
      .post('/api/confirm')
      .send({ token: await confirmationToken() })
      .expect(200);
    expect(await session(visitor)).toMatchObject({ subscribed: true, pending: false });
    expect((await visitor.post('/api/unregister')).body).toEqual({ removed: 'cat@example.com' });
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('gives an attacker who asked for the same address nothing when the owner confirms', async () => {
    await start();
    const victim = server.browser();
    const attacker = server.browser();
    await victim.post('/api/signup').send({ email: 'victim@example.com' });
    await attacker.post('/api/signup').send({ email: 'Victim@Example.com' });
    // The two mails carry the same kind of link; the victim opens the attacker's.
    await server.smtp.waitFor(2);
    await victim
      .post('/api/confirm')
      .send({ token: await confirmationToken(2) })
      .expect(200);
    expect(await session(victim)).toMatchObject({ subscribed: true });
    expect(await session(attacker)).toMatchObject({ subscribed: false, pending: true });
    expect((await attacker.post('/api/unregister')).body).toEqual({
      removed: 'victim@example.com',
    });
    expect(await listEmails(server.database)).toEqual(['victim@example.com']);
  });

  it.each([
    ['its owner unregisters', 'owner'],
    ['the admin deletes it', 'admin'],
    ['a one-click unsubscribe removes it', 'one-click'],
  ])('keeps an address away once %s: its old links are dead', async (_, how) => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    const token = await confirmationToken();
    await visitor.post('/api/confirm').send({ token }).expect(200);
    if (how === 'owner') await visitor.post('/api/unregister').expect(200);
    if (how === 'admin') {
      const admin = await adminBrowser();
      await admin.delete('/api/admin/subscribers/cat%40example.com').expect(204);
    }
    if (how === 'one-click') {
      const mails = await server.smtp.waitFor(1);
      const header = mails[0]?.header('List-Unsubscribe') ?? '';
      const url = header.slice(header.indexOf('<') + 1, header.indexOf('>'));
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    }
    expect(await listEmails(server.database)).toEqual([]);
    // The mail is still in the inbox; a link scanner, or anyone, opens it again.
    const again = await server.browser().post('/api/confirm').send({ token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_token');
    expect(await listEmails(server.database)).toEqual([]);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 0 });
  });

  it('limits how often one client opens links, and a link makes one owner however often', async () => {
    await start();
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' });
    const token = await confirmationToken();
    const answers = [];
    for (let i = 0; i < 35; i++) {
      answers.push((await server.browser().post('/api/confirm').send({ token })).status);
    }
    expect(answers.filter((status) => status === 200)).toHaveLength(30);
    expect(answers.slice(30)).toEqual([429, 429, 429, 429, 429]);
    const owners = await server.database.db.selectFrom('subscriber_owners').selectAll().execute();
    expect(owners).toHaveLength(1);
    // The asker's session, and the one the first opening made: none for the others.
    expect(await server.database.db.selectFrom('sessions').selectAll().execute()).toHaveLength(2);
  });

  it('refuses an unknown or expired link with 400 invalid_token, and adds nothing', async () => {
    await start();
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' });
    const token = await confirmationToken();
    const bad = await server
      .browser()
      .post('/api/confirm')
      .send({ token: `${token}x` });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_token');
    clock += 48 * HOUR + 1;
    const late = await server.browser().post('/api/confirm').send({ token });
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('invalid_token');
    expect(await listEmails(server.database)).toEqual([]);
    const malformed = await server.browser().post('/api/confirm').send({ token: 42 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
  });

  it('tells a known address "already on the list"; the asker stays pending and removes nothing', async () => {
    await start();
    const owner = server.browser();
    await owner.post('/api/signup').send({ email: 'cat@example.com' });
    await owner.post('/api/confirm').send({ token: await confirmationToken() });

    const stranger = server.browser();
    const signup = await stranger.post('/api/signup').send({ email: 'cat@example.com' });
    expect(signup.body).toEqual({ email: 'cat@example.com', subscribed: false, pending: true });
    const [, notice] = await server.smtp.waitFor(2);
    expect(notice?.subject).toBe('You are already on the Cats Everywhere list');
    expect(notice?.text).not.toContain('/confirm?token=');
    expect(await session(stranger)).toMatchObject({ subscribed: false, pending: true });
    expect((await stranger.post('/api/unregister')).body).toEqual({ removed: 'cat@example.com' });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect(await session(owner)).toMatchObject({ subscribed: true, pending: false });
  });

  it('unsubscribes with one click from the mail: a provider’s POST, no cookie, no Origin', async () => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    await visitor.post('/api/confirm').send({ token: await confirmationToken() });
    const [mail] = server.smtp.mails;
    expect(mail?.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const oneClick = new URL(mail?.listUnsubscribe ?? '');
    expect(oneClick.origin).toBe(server.url);

    const answer = await rawRequest(server.url, oneClick.pathname + oneClick.search, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': '26',
        'Sec-Fetch-Site': 'cross-site',
      },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ email: 'cat@example.com', subscribed: false });
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(await listEmails(server.database)).toEqual([]);
    // The browser that signed up sees the address gone, not a request still pending.
    expect(await session(visitor)).toMatchObject({ subscribed: false, pending: false });
    // Again: the same answer.
    const again = await rawRequest(server.url, oneClick.pathname + oneClick.search, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '26' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(again.status).toBe(200);
    // Left by itself: on the suppression list, so imports skip it (docs/http-api.md).
    const admin = await adminBrowser();
    expect((await admin.get('/api/admin/suppressions')).body).toMatchObject({
      total: 1,
      items: [{ email: 'cat@example.com', reason: 'unsubscribed' }],
    });
  });

  it('takes a returning visitor off the suppression list once they confirm again', async () => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    await visitor.post('/api/confirm').send({ token: await confirmationToken(1) });
    const page = new URL(
      linkIn(server.smtp.mails[0]?.text ?? '', `${server.url}/unsubscribe?token=`),
    );
    const token = page.searchParams.get('token') ?? '';
    await server.request().post('/api/unsubscribe').query({ token }).send({}).expect(200);
    const admin = await adminBrowser();
    expect((await admin.get('/api/admin/suppressions')).body.total).toBe(1);

    // Asking again is not enough (anyone can ask for anyone's address); confirming is.
    const again = server.browser();
    await again.post('/api/signup').send({ email: 'cat@example.com' }).expect(200);
    expect((await admin.get('/api/admin/suppressions')).body.total).toBe(1);
    await again
      .post('/api/confirm')
      .send({ token: await confirmationToken(2) })
      .expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect((await admin.get('/api/admin/suppressions')).body.total).toBe(0);
  });

  it('lets the admin add one address with a confirmation mail, as a signup (cap included)', async () => {
    await start();
    const admin = await adminBrowser();
    const asked = await admin
      .post('/api/admin/subscribers')
      .send({ email: 'Cat@Example.com', confirm: true });
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ email: 'cat@example.com', outcome: 'mailed' });
    expect(await listEmails(server.database)).toEqual([]);
    expect((await admin.get('/api/admin/subscribers')).body).toMatchObject({
      total: 0,
      pending: 1,
    });
    // The same mail cap as signups: 3 mails a day per address, then nothing more is queued.
    for (let i = 0; i < 3; i++) {
      await admin
        .post('/api/admin/subscribers')
        .send({ email: 'cat@example.com', confirm: true })
        .expect(200, { email: 'cat@example.com', outcome: 'mailed' });
    }
    const queued = await server.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('email', '=', 'cat@example.com')
      .execute();
    expect(queued).toHaveLength(3);

    const phone = server.browser();
    await phone
      .post('/api/confirm')
      .send({ token: await confirmationToken(1) })
      .expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    const again = await admin
      .post('/api/admin/subscribers')
      .send({ email: 'cat@example.com', confirm: true });
    expect(again.body).toEqual({ email: 'cat@example.com', outcome: 'already' });
  });

  it('reads and uses the unsubscribe page link; refuses a forged one', async () => {
    await start();
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' });
    await server
      .browser()
      .post('/api/confirm')
      .send({ token: await confirmationToken() });
    const [mail] = server.smtp.mails;
    const page = new URL(linkIn(mail?.text ?? '', `${server.url}/unsubscribe?token=`));
    const token = page.searchParams.get('token') ?? '';
    const read = await server.request().get('/api/unsubscribe').query({ token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ email: 'cat@example.com', subscribed: false });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);

    const forged = `${Buffer.from('dog@example.com').toString('base64url')}.${token.split('.')[1]}`;
    for (const bad of [forged, 'nonsense', '']) {
      const refused = await server
        .request()
        .post('/api/unsubscribe')
        .query({ token: bad })
        .send({});
      expect(refused.status).toBe(400);
      expect(['invalid_token', 'invalid_request']).toContain(refused.body.error.code);
    }
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    const used = await server.browser().post('/api/unsubscribe').query({ token }).send({});
    expect(used.status).toBe(200);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('takes any body or none on the one-click route: only the token counts', async () => {
    await start();
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' });
    await server
      .browser()
      .post('/api/confirm')
      .send({ token: await confirmationToken() });
    const oneClick = new URL(server.smtp.mails[0]?.listUnsubscribe ?? '');
    const path = oneClick.pathname + oneClick.search;
    const multipart = [
      '--XyZ',
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      '--XyZ--',
      '',
    ].join('\r\n');
    const bodies: [string, Record<string, string>, string | Buffer | undefined][] = [
      [
        'multipart/form-data (RFC 8058)',
        { 'Content-Type': 'multipart/form-data; boundary=XyZ' },
        multipart,
      ],
      [
        'a urlencoded form',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        'List-Unsubscribe=One-Click',
      ],
      ['text/plain', { 'Content-Type': 'text/plain' }, 'List-Unsubscribe=One-Click'],
      ['no Content-Type', {}, 'List-Unsubscribe=One-Click'],
      ['an empty body', { 'Content-Length': '0' }, undefined],
      ['no body at all', {}, undefined],
      ['malformed JSON', { 'Content-Type': 'application/json' }, '{"List-Unsubscribe":'],
      ['JSON {}', { 'Content-Type': 'application/json' }, '{}'],
      [
        'a form that says gzip but is not',
        { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' },
        'List-Unsubscribe=One-Click',
      ],
      [
        'a body over 16 KiB',
        { 'Content-Type': 'application/octet-stream' },
        Buffer.alloc(64 * 1024),
      ],
    ];
    for (const [what, headers, body] of bodies) {
      // Back on the list, straight in the database, so that each body has something to remove.
      await server.database.db
        .insertInto('subscribers')
        .values({ email: 'cat@example.com', created_at: clock, confirmed_at: clock })
        .onConflict((conflict) => conflict.column('email').doNothing())
        .execute();
      const answer = await rawRequest(server.url, path, {
        method: 'POST',
        // A mail provider's server: no cookie, no Origin, and it says so.
        headers: { 'Sec-Fetch-Site': 'cross-site', ...headers },
        body,
      });
      expect({ what, status: answer.status, body: JSON.parse(answer.body) }).toEqual({
        what,
        status: 200,
        body: { email: 'cat@example.com', subscribed: false },
      });
      expect({ what, list: await listEmails(server.database) }).toEqual({ what, list: [] });
    }
  });

  it('sends at most 3 mails to one address in 24 hours, whoever asks', async () => {
    await start();
    for (let i = 0; i < 5; i++) {
      const response = await server
        .browser()
        .post('/api/signup')
        .send({ email: 'cat@example.com' });
      expect(response.body).toEqual({ email: 'cat@example.com', subscribed: false, pending: true });
    }
    await server.smtp.waitFor(3);
    await expect.poll(() => createMailOutbox(server.database).unsent()).toBe(0);
    const rows = await server.database.db.selectFrom('mail_outbox').select('id').execute();
    expect(rows).toHaveLength(3);
    expect(server.smtp.mails).toHaveLength(3);
    clock += 24 * HOUR + 1;
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' });
    await server.smtp.waitFor(4);
  });

  it('caps mails per mailbox, not per spelling: every spelling is one address, quotes are refused', async () => {
    await start();
    const stored = 'v@xn--exmple-cua.com';
    const signup = (email: string) => server.browser().post('/api/signup').send({ email });
    for (let i = 0; i < 3; i++) {
      expect((await signup('v@ex\u00e4mple.com')).body).toMatchObject({ email: stored });
    }
    await server.smtp.waitFor(3);
    // Spellings nodemailer delivers to the same mailbox: full-width letters, upper case,
    // punycode, decomposed Unicode, whitespace.
    for (const spelling of [
      'v@\uff45x\u00e4mple.com',
      'V@EX\u00c4MPLE.COM',
      'v@xn--exmple-cua.com',
      'v@XN--EXMPLE-CUA.\uff43om',
      'v@exa\u0308mple.com',
      ' v@ex\u00e4mple.com\t',
    ]) {
      const response = await signup(spelling);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ email: stored, subscribed: false, pending: true });
    }
    // Spellings that are address syntax to the mail library: refused, nothing queued.
    for (const quoted of [
      '"v@ex\u00e4mple.com',
      'v@ex\u00e4mple.com"',
      'v"@ex\u00e4mple.com',
      '"v"@ex\u00e4mple.com',
      'x@attacker"victim.example',
    ]) {
      const response = await signup(quoted);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_email');
    }
    await expect.poll(() => createMailOutbox(server.database).unsent()).toBe(0);
    const rows = await server.database.db.selectFrom('mail_outbox').select('email').execute();
    expect(rows).toEqual([{ email: stored }, { email: stored }, { email: stored }]);
    expect(server.smtp.mails.map((mail) => mail.envelope.to)).toEqual([
      [stored],
      [stored],
      [stored],
    ]);
  });

  it('honours an unsubscribe link mailed to an old spelling (before migration 0009)', async () => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    await visitor.post('/api/confirm').send({ token: await confirmationToken() });
    const old = unsubscribeToken(new SigningKeys([TEST_SESSION_KEY]), 'cat@\uff45xample.com');
    const read = await server.request().get('/api/unsubscribe').query({ token: old });
    expect(read.body).toEqual({ email: 'cat@example.com', subscribed: false });
    const answer = await server.request().post('/api/unsubscribe').query({ token: old }).send({});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ email: 'cat@example.com', subscribed: false });
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('withdraws a pending request on unregister: its link then works no more', async () => {
    await start();
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'cat@example.com' });
    const token = await confirmationToken();
    expect((await visitor.post('/api/unregister')).body).toEqual({ removed: 'cat@example.com' });
    expect(await session(visitor)).toMatchObject({ email: null, pending: false });
    expect((await server.browser().post('/api/confirm').send({ token })).status).toBe(400);
  });

  it('answers a honeypot signup the same way and sends nothing', async () => {
    await start();
    const bot = server.browser();
    const response = await bot
      .post('/api/signup')
      .send({ email: 'victim@example.com', website: 'http://spam.example' });
    expect(response.body).toEqual({
      email: 'victim@example.com',
      subscribed: false,
      pending: true,
    });
    expect(await session(bot)).toMatchObject({ subscribed: false, pending: true });
    const rows = await server.database.db.selectFrom('mail_outbox').select('id').execute();
    expect(rows).toEqual([]);
  });
});

describe(`confirmation off (${TEST_BACKEND})`, () => {
  it('has no confirmation routes and keeps signups immediate', async () => {
    const plain = await startTestServer();
    cleanups.push(() => plain.cleanup());
    const browser = plain.browser();
    expect((await browser.post('/api/signup').send({ email: 'cat@example.com' })).body).toEqual({
      email: 'cat@example.com',
      subscribed: true,
    });
    expect((await plain.request().post('/api/confirm').send({ token: 'x' })).status).toBe(404);
    expect((await plain.request().get('/api/unsubscribe?token=x')).status).toBe(404);
  });

  it('answers the mail routes 404 not_found before the origin check', async () => {
    const plain = await startTestServer();
    cleanups.push(() => plain.cleanup());
    const foreign = 'https://evil.example';
    const answers = [
      await plain.request().post('/api/unsubscribe?token=x').set('Origin', foreign).send({}),
      await plain.request().post('/api/unsubscribe?token=x').set('Sec-Fetch-Site', 'cross-site'),
      await plain.request().post('/api/confirm').set('Origin', foreign).send({ token: 'x' }),
      await plain.request().get('/api/unsubscribe?token=x').set('Origin', foreign),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
  });
});
