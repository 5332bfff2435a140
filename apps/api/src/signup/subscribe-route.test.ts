import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNUPS_PER_MINUTE } from '../app.js';
import { createMailOutbox } from '../confirmation/mail-outbox.js';
import { BODY_LIMIT_BYTES } from '../http/json-body.js';
import { type MailTestServer, startMailTestServer } from '../test-support/mail-server.js';
import { rawRequest } from '../test-support/per-test.js';
import {
  countSessions,
  listEmails,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';

// docs/http-api.md, POST /subscribe: the signup for a plain HTML form, the same as POST
// /api/signup, answered with pages or redirects; on SQLite and on PostgreSQL.

const SHOP = 'https://shop.example';
const servers: (TestServer | MailTestServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function start(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ embedOrigins: [SHOP], ...overrides });
  servers.push(server);
  return server;
}

type Agent = ReturnType<TestServer['browser']>;
/** Posts `fields` as a browser's urlencoded form does. */
const postForm = (agent: Agent, fields: Record<string, string>) =>
  agent.post('/subscribe').type('form').send(fields);
/** Posts `fields` as multipart/form-data. */
function postMultipart(agent: Agent, fields: Record<string, string>) {
  const request = agent.post('/subscribe');
  for (const [name, value] of Object.entries(fields)) request.field(name, value);
  return request;
}
const sessionOf = async (agent: Agent) => (await agent.get('/api/session')).body;

/** Posts `body` as a urlencoded form, its bytes as they are. */
async function raw(server: TestServer, body: Buffer, coding = 'identity') {
  const answer = await rawRequest(server.url, '/subscribe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': coding },
    body,
  });
  return { status: answer.status, headers: answer.headers, text: answer.body };
}

function expectPage(response: { status: number; headers: Record<string, string>; text: string }) {
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.text).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(response.headers['cache-control']).toBe('no-store');
}

describe(`POST /subscribe (${TEST_BACKEND})`, () => {
  it('signs up from a urlencoded form and answers a thanks page naming the address', async () => {
    const server = await start();
    const browser = server.browser();
    const response = await postForm(browser, { email: '  Tom.Cat@Example.COM ', website: '' });
    expect(response.status).toBe(200);
    expectPage(response);
    expect(response.text).toContain(
      '<h1>Thanks for signing up, <span class="address">tom.cat@example.com</span>!</h1>',
    );
    expect(response.text).toContain('<title>Thanks for signing up – Cats Everywhere</title>');
    expect(String(response.headers['set-cookie'])).toMatch(/\bsid=/);
    expect(await listEmails(server.database)).toEqual(['tom.cat@example.com']);
    expect(await sessionOf(browser)).toEqual({
      email: 'tom.cat@example.com',
      subscribed: true,
      admin: false,
    });
  });

  it('signs up from a multipart/form-data form the same way', async () => {
    const server = await start();
    const browser = server.browser();
    const response = await postMultipart(browser, { email: 'V@EX\u00c4MPLE.COM', website: '' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('v@xn--exmple-cua.com');
    expect(await listEmails(server.database)).toEqual(['v@xn--exmple-cua.com']);
    expect((await sessionOf(browser)).subscribed).toBe(true);
  });

  it('is the signup of POST /api/signup: one address, one owner, whichever route came first', async () => {
    const server = await start();
    const viaForm = server.browser();
    await postForm(viaForm, { email: 'Cat@Example.com' }).expect(200);
    // Another spelling through the JSON route: the same stored address, and not its owner.
    const viaJson = server.browser();
    const json = await viaJson.post('/api/signup').send({ email: ' CAT@example.COM' });
    expect(json.body).toEqual({ email: 'cat@example.com', subscribed: true });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    await viaJson.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    // The form's browser owns it (a new session id at signup), and removes it.
    await viaForm.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual([]);
    // And the other way round: the JSON signup owns it, the form's signup does not.
    const first = server.browser();
    await first.post('/api/signup').send({ email: 'dog@example.com' }).expect(200);
    const second = server.browser();
    await postForm(second, { email: 'Dog@Example.com' }).expect(200);
    await second.post('/api/unregister').expect(200);
    expect(await listEmails(server.database)).toEqual(['dog@example.com']);
  });

  it('issues a new session id, so a planted cookie cannot read what the form signs up', async () => {
    const server = await start();
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'first@example.com' }).expect(200);
    const planted = browser.jar.getCookie('sid', { path: '/', domain: '127.0.0.1' } as never);
    await postForm(browser, { email: 'second@example.com' }).expect(200);
    const now = browser.jar.getCookie('sid', { path: '/', domain: '127.0.0.1' } as never);
    expect(now?.value).toBeDefined();
    expect(now?.value).not.toBe(planted?.value);
  });

  it('answers the form again with the error for an invalid address, and changes nothing', async () => {
    const server = await start();
    const browser = server.browser();
    const typed = 'not an "address" <b>';
    const response = await postForm(browser, { email: typed });
    expect(response.status).toBe(400);
    expectPage(response);
    const text = response.text;
    expect(text).toContain('<title>Error: Please enter a valid email address. – Cats Everywhere');
    expect(text).toContain('value="not an &quot;address&quot; &lt;b&gt;"');
    expect(text).not.toContain('<b>');
    expect(text).toContain('aria-invalid="true" aria-describedby="subscribe-email-error"');
    expect(text).toContain(
      '<p id="subscribe-email-error" class="field-error">Please enter a valid email address.</p>',
    );
    expect(text).toContain('<form class="signup-form" method="post" action="/subscribe"');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await listEmails(server.database)).toEqual([]);
    expect(await countSessions(server.database)).toBe(0);
    // No field at all reads as an empty address.
    expect((await server.request().post('/subscribe').type('form').send('')).status).toBe(400);
  });

  it("answers in the visitor's language: thanks, the form's error, the problems", async () => {
    const server = await start({ site: { name: 'Bake Club', tagline: '', privacyUrl: null } });
    const thanks = await postForm(server.browser(), { email: 'tom@example.com' }).set(
      'Accept-Language',
      'de-DE,de;q=0.9,en;q=0.8',
    );
    expect(thanks.status).toBe(200);
    expect(thanks.text).toMatch(/^<!doctype html>\n<html lang="de">/);
    expect(thanks.headers.vary).toMatch(/Accept-Language/);
    expect(thanks.text).toContain('<title>Danke für deine Anmeldung – Bake Club</title>');
    expect(thanks.text).toContain(
      '<h1>Danke für deine Anmeldung, <span class="address">tom@example.com</span>!</h1>',
    );
    expect(thanks.text).toContain('<a href="/">Zurück zu Bake Club</a>');

    const invalid = await postForm(server.browser(), { email: 'tom@' }).set(
      'Accept-Language',
      'fr-CA',
    );
    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(/<html lang="fr">/);
    expect(invalid.text).toContain(
      '<p id="subscribe-email-error" class="field-error">Veuillez saisir une adresse e-mail valide.</p>',
    );
    // A site of one's own: the neutral wording, no cats.
    expect(invalid.text).toContain(
      'Laissez votre adresse et nous vous écrirons de temps en temps.</p>',
    );

    const refused = await postForm(server.browser(), { email: 'tom@example.com' })
      .set('Origin', 'https://elsewhere.example')
      .set('Accept-Language', 'es');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<h1>Este formulario no se puede usar desde ese sitio</h1>');
  });

  it('takes the honeypot like the JSON route: the same page, nothing on the list', async () => {
    const server = await start();
    const bot = server.browser();
    const response = await postForm(bot, { email: 'bot@example.com', website: 'http://spam' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Thanks for signing up');
    expect(await listEmails(server.database)).toEqual([]);
    expect(await sessionOf(bot)).toEqual({
      email: 'bot@example.com',
      subscribed: true,
      admin: false,
    });
  });

  it('shares the signup rate limit with POST /api/signup, and answers a 429 page', async () => {
    const server = await start();
    const half = SIGNUPS_PER_MINUTE / 2;
    for (let i = 0; i < half; i++) {
      await server
        .request()
        .post('/api/signup')
        .send({ email: `j${i}@example.com` })
        .expect(200);
      await postForm(server.request(), { email: `f${i}@example.com` }).expect(200);
    }
    const limited = await postForm(server.request(), { email: 'late@example.com' });
    expect(limited.status).toBe(429);
    expectPage(limited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain('<h1>Please wait a moment</h1>');
    expect(limited.text).toMatch(
      /Too many signups from your network\. Please try again in \d+ s\./,
    );
    // With a redirect too: the page, not a redirect (the outcomes name no "later").
    const redirected = await postForm(server.request(), {
      email: 'late@example.com',
      redirect: `${SHOP}/thanks`,
    });
    expect(redirected.status).toBe(429);
    expect(redirected.headers.location).toBeUndefined();
    const json = await server.request().post('/api/signup').send({ email: 'late@example.com' });
    expect(json.status).toBe(429);
    expect(await listEmails(server.database)).toHaveLength(SIGNUPS_PER_MINUTE);
  });

  it('redirects with 303 and catlist=subscribed|invalid, keeping the query and fragment', async () => {
    const server = await start();
    const subscribed = await postForm(server.browser(), {
      email: 'cat@example.com',
      redirect: `${SHOP}/news/thanks?a=1&b=x%20y+z&catlist=old&empty#top`,
    });
    expect(subscribed.status).toBe(303);
    expect(subscribed.headers.location).toBe(
      `${SHOP}/news/thanks?a=1&b=x%20y+z&empty&catlist=subscribed#top`,
    );
    expect(String(subscribed.headers['set-cookie'])).toMatch(/\bsid=/);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);

    const plain = await postForm(server.request(), { email: 'x@example.com', redirect: SHOP });
    expect(plain.headers.location).toBe(`${SHOP}/?catlist=subscribed`);

    const invalid = await postForm(server.request(), {
      email: 'nobody',
      redirect: `${SHOP}/join#form`,
    });
    expect(invalid.status).toBe(303);
    expect(invalid.headers.location).toBe(`${SHOP}/join?catlist=invalid#form`);
    expect(await listEmails(server.database)).toEqual(['cat@example.com', 'x@example.com']);

    // This site's own pages may be the target, relative or absolute; PUBLIC_URL's origin too.
    const own = await postForm(server.request(), { email: 'own@example.com', redirect: '/?x=1' });
    expect(own.headers.location).toBe(`${server.url}/?x=1&catlist=subscribed`);
  });

  it('refuses a redirect to an origin that is not listed (400 page), and writes nothing', async () => {
    const server = await start({ publicUrl: 'https://signup.example' });
    const refused = [
      'https://evil.example/',
      '//evil.example/thanks',
      'https://shop.example.evil.example/',
      'https://shop.example:8443/',
      'http://shop.example/',
      'javascript:alert(1)',
      'data:text/html,hi',
      'https://shop.example@evil.example/',
      'http://[::1',
    ];
    for (const redirect of refused) {
      const response = await postForm(server.request(), { email: 'cat@example.com', redirect });
      expect({ redirect, status: response.status }).toEqual({ redirect, status: 400 });
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.text).toContain('<h1>This form may not send you there</h1>');
    }
    expect(await listEmails(server.database)).toEqual([]);
    expect(await countSessions(server.database)).toBe(0);
    const publicUrl = await postForm(server.request(), {
      email: 'cat@example.com',
      redirect: 'https://signup.example/thanks',
    });
    expect(publicUrl.headers.location).toBe('https://signup.example/thanks?catlist=subscribed');
  });

  it('takes posts from listed origins and answers 403 pages to others, writing nothing', async () => {
    const server = await start();
    const listed = await postForm(server.request().set('Origin', SHOP), {
      email: 'cat@example.com',
    });
    expect(listed.status).toBe(200);
    for (const headers of [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ]) {
      const refused = await postForm(server.request().set(headers), {
        email: 'dog@example.com',
        redirect: `${SHOP}/thanks`,
      });
      expect(refused.status).toBe(403);
      expectPage(refused);
      expect(refused.headers.location).toBeUndefined();
      expect(refused.text).toContain('<h1>This form cannot be used from that site</h1>');
    }
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
  });

  it('lets EMBED_ORIGINS frame its pages, and nobody when none are listed', async () => {
    const listed = await start({ embedOrigins: [SHOP, 'http://localhost:8080'] });
    const page = await postForm(listed.request(), { email: 'cat@example.com' });
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${SHOP} http://localhost:8080`);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBeUndefined();
    // Its form posts here again: under no-referrer the browser would send `Origin: null`.
    expect(page.headers['referrer-policy']).toBe('same-origin');
    // The style the hash allows is the page's only one, and there is no script.
    expect(page.text.match(/<style>/g)).toHaveLength(1);
    expect(page.text).not.toContain('<script');

    const unlisted = await start({ embedOrigins: [] });
    const closed = await postForm(unlisted.request(), { email: 'cat@example.com' });
    expect(closed.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(closed.headers['x-frame-options']).toBe('DENY');
  });

  it('answers bodies it cannot take as pages: other types 415, too large 413, undecodable 400', async () => {
    const server = await start();
    const cases = [
      {
        what: 'JSON',
        send: () => server.request().post('/subscribe').send({ email: 'a@example.com' }),
        status: 415,
      },
      {
        what: 'text/plain',
        send: () =>
          server.request().post('/subscribe').type('text/plain').send('email=a@example.com'),
        status: 415,
      },
      {
        what: 'too large',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .type('form')
            .send(`email=a%40example.com&website=${'x'.repeat(BODY_LIMIT_BYTES)}`),
        status: 413,
      },
      {
        what: 'not gzip',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .type('form')
            .set('Content-Encoding', 'gzip')
            .send('email=a%40example.com'),
        status: 400,
      },
      {
        what: 'an unknown coding',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .type('form')
            .set('Content-Encoding', 'zstd')
            .send('email=a%40example.com'),
        status: 415,
      },
      {
        what: 'a %-escape that is not UTF-8',
        send: () => server.request().post('/subscribe').type('form').send('email=a%FF%40b.com'),
        status: 400,
      },
      {
        what: 'a malformed %-escape',
        send: () => server.request().post('/subscribe').type('form').send('email=a%4'),
        status: 400,
      },
      {
        what: 'raw bytes that are not UTF-8',
        send: () => raw(server, Buffer.from('email=caf\xe9@example.com', 'latin1')),
        status: 400,
      },
      {
        what: 'another charset',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .set('Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1')
            .send('email=a%40example.com'),
        status: 400,
      },
      {
        what: 'a broken multipart body',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .set('Content-Type', 'multipart/form-data; boundary=xyz')
            .send('--abc\r\nnothing here'),
        status: 400,
      },
      {
        what: 'the address twice',
        send: () =>
          server
            .request()
            .post('/subscribe')
            .type('form')
            .send('email=a%40example.com&email=b%40example.com'),
        status: 400,
      },
    ];
    for (const { what, send, status } of cases) {
      const response = await send();
      expect({ what, status: response.status }).toEqual({ what, status });
      expect(response.headers['content-type'], what).toBe('text/html; charset=utf-8');
      expect(response.text, what).toContain('<h1>');
    }
    // A gzip body that really is gzip is read.
    const gzipped = await raw(server, gzipSync('email=zip%40example.com'), 'gzip');
    expect(gzipped.status).toBe(200);
    expect(await listEmails(server.database)).toEqual(['zip@example.com']);
  });

  it('is described in the OpenAPI document, form bodies and pages', async () => {
    const server = await start();
    const document = (await server.request().get('/api/openapi.json')).body;
    const operation = document.paths['/subscribe'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual([
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    for (const status of ['200', '303', '400', '403', '413', '415', '429']) {
      expect(Object.keys(operation.responses[status].content)).toEqual(['text/html']);
    }
    expect(operation.responses['303'].headers.Location).toBeDefined();
  });
});

describe(`POST /subscribe with confirmation by email (${TEST_BACKEND})`, () => {
  async function startMail() {
    const server = await startMailTestServer({ embedOrigins: [SHOP] });
    servers.push(server);
    return server;
  }

  it('answers "check your inbox" and sends the link, or redirects with catlist=pending', async () => {
    const server = await startMail();
    const browser = server.browser();
    const page = await postForm(browser, { email: 'Cat@Example.com' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Check your inbox</h1>');
    expect(page.text).toContain(
      'We have sent a link to <span class="address">cat@example.com</span>: your address joins the list once you open it.',
    );
    expect(await sessionOf(browser)).toEqual({
      email: 'cat@example.com',
      subscribed: false,
      admin: false,
      pending: true,
    });
    const [mail] = await server.smtp.waitFor(1);
    expect(mail?.envelope.to).toEqual(['cat@example.com']);
    expect(await listEmails(server.database)).toEqual([]);

    const redirected = await postForm(server.browser(), {
      email: 'dog@example.com',
      redirect: `${SHOP}/thanks`,
    });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.location).toBe(`${SHOP}/thanks?catlist=pending`);
  });

  it('says "check your inbox" in German to a German browser', async () => {
    const server = await startMail();
    const page = await postForm(server.browser(), { email: 'anna@example.com' }).set(
      'Accept-Language',
      'de',
    );
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html lang="de">/);
    expect(page.text).toContain('<h1>Schau in dein Postfach</h1>');
    expect(page.text).toContain(
      'Wir haben einen Link an <span class="address">anna@example.com</span> geschickt',
    );
    await server.smtp.waitFor(1);
  });

  it('keeps the mail cap across both routes: 3 mails a day per address, whoever asks', async () => {
    const server = await startMail();
    for (let i = 0; i < 5; i++) {
      const via = i % 2 === 0 ? 'form' : 'json';
      if (via === 'form')
        await postForm(server.browser(), { email: 'cat@example.com' }).expect(200);
      else
        await server.browser().post('/api/signup').send({ email: 'cat@example.com' }).expect(200);
    }
    await server.smtp.waitFor(3);
    await expect.poll(() => createMailOutbox(server.database).unsent()).toBe(0);
    const rows = await server.database.db.selectFrom('mail_outbox').select('id').execute();
    expect(rows).toHaveLength(3);
  });
});
