import type { ChallengeResponse } from '@catlist/contracts';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listEmails,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';
import { WIDGET_PATH } from './widget-files.js';

// The signup challenge where the plain HTML form is (docs/http-api.md, The signup challenge):
// POST /subscribe spends it as POST /api/signup does, the form page carries the widget, and the
// widget's files are served to this site's pages and to EMBED_ORIGINS.

const SHOP = 'https://shop.example';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function start(): Promise<TestServer> {
  const server = await startTestServer({
    embedOrigins: [SHOP],
    signupChallenge: { difficulty: 20 },
  });
  servers.push(server);
  return server;
}

/** A challenge from GET /api/challenge, solved by altcha-lib as the widget solves it. */
async function solved(server: TestServer): Promise<string> {
  const challenge = (await server.request().get('/api/challenge').expect(200))
    .body as ChallengeResponse;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('altcha-lib found no solution');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

const postForm = (server: TestServer, fields: Record<string, string>) =>
  server.request().post('/subscribe').type('form').send(fields);

const REFUSED = 'Please wait for the check to finish, then try again.';

describe(`POST /subscribe with the signup challenge on (${TEST_BACKEND})`, () => {
  it('answers the form again, with the widget, when the challenge is not solved', async () => {
    const server = await start();
    const page = await postForm(server, { email: 'cat@example.com' }).expect(400);
    expect(page.text).toContain(`<p id="subscribe-email-error" class="field-error">${REFUSED}</p>`);
    expect(page.text).toContain('value="cat@example.com"');
    // The widget, from this origin, solving GET /api/challenge into the `altcha` field.
    expect(page.text).toContain(`<script type="module" src="${WIDGET_PATH}"></script>`);
    expect(page.text).toContain(
      '<altcha-widget challenge="/api/challenge" name="altcha" auto="onsubmit"></altcha-widget>',
    );
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('sends a redirecting form back with catlist=invalid when the challenge is not solved', async () => {
    const server = await start();
    const answer = await postForm(server, {
      email: 'cat@example.com',
      altcha: 'garbled',
      redirect: `${SHOP}/thanks`,
    }).expect(303);
    expect(answer.headers.location).toBe(`${SHOP}/thanks?catlist=invalid`);
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('signs up with a solved challenge, once', async () => {
    const server = await start();
    const altcha = await solved(server);
    const page = await postForm(server, { email: 'cat@example.com', altcha }).expect(200);
    expect(page.text).toContain('Thanks for signing up');
    const again = await postForm(server, { email: 'dog@example.com', altcha }).expect(400);
    expect(again.text).toContain(REFUSED);
    const redirected = await postForm(server, {
      email: 'dog@example.com',
      altcha: await solved(server),
      redirect: `${SHOP}/thanks`,
    }).expect(303);
    expect(redirected.headers.location).toBe(`${SHOP}/thanks?catlist=subscribed`);
    expect(await listEmails(server.database)).toEqual(['cat@example.com', 'dog@example.com']);
  });
});

describe('the widget files', () => {
  it('serves the loader at a stable URL, revalidated, and its parts under hashed names', async () => {
    const server = await start();
    const loader = await server.request().get(WIDGET_PATH).expect(200);
    expect(loader.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(loader.headers['cache-control']).toBe('no-cache');
    expect(loader.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const etag = loader.headers.etag ?? '';
    await server.request().get(WIDGET_PATH).set('If-None-Match', etag).expect(304);

    const parts = [...loader.text.matchAll(/'\.\/([\w.-]+)'/g)].map((match) => match[1]);
    expect(parts).toEqual([
      expect.stringMatching(/^altcha\.[\w-]{16}\.js$/),
      expect.stringMatching(/^altcha\.[\w-]{16}\.css$/),
      expect.stringMatching(/^pbkdf2\.[\w-]{16}\.js$/),
    ]);
    for (const part of parts) {
      const file = await server.request().get(`/widget/${part}`).expect(200);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
    }
    // The widget itself: the custom element, with no inline styles of its own.
    const widget = await server
      .request()
      .get(`/widget/${parts[0]}`)
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(widget.headers['content-encoding']).toBe('gzip');
    expect(widget.headers.vary).toContain('Accept-Encoding');
    expect(widget.text).toContain('altcha-widget');
    expect(widget.text).not.toContain('createElement("style")');
    await server.request().get('/widget/altcha.0000000000000000.js').expect(404);
  });

  it('lets EMBED_ORIGINS load the widget and fetch challenges, and nobody else', async () => {
    const server = await start();
    const listed = await server.request().get(WIDGET_PATH).set('Origin', SHOP).expect(200);
    expect(listed.headers['access-control-allow-origin']).toBe(SHOP);
    expect(listed.headers.vary).toContain('Origin');
    const challenge = await server.request().get('/api/challenge').set('Origin', SHOP).expect(200);
    expect(challenge.headers['access-control-allow-origin']).toBe(SHOP);
    expect(challenge.headers['cross-origin-resource-policy']).toBe('cross-origin');

    const other = 'https://elsewhere.example';
    const unlisted = await server.request().get(WIDGET_PATH).set('Origin', other).expect(200);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
    const refused = await server.request().get('/api/challenge').set('Origin', other);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is not there when the challenge is off', async () => {
    const server = await startTestServer();
    servers.push(server);
    await server.request().get(WIDGET_PATH).expect(404);
  });
});
