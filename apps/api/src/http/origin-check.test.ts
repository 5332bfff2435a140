import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEmails, startTestServer, type TestServer } from '../test-support/test-server.js';

const SPA = 'http://127.0.0.1:5173';
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ embedOrigins: [SPA] });
});
afterEach(async () => {
  await server.cleanup();
});

describe('cross-site state changes', () => {
  it.each([
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['the right host on another port', { Origin: 'http://127.0.0.1:1' }],
    ['no Origin but Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
  ])('refuses a signup with %s as 403 and stores nothing', async (_, headers) => {
    const response = await server
      .request()
      .post('/api/signup')
      .set(headers)
      .send({ email: 'victim@example.com' });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden_origin');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('refuses a cross-site unregister and leaves the address on the list', async () => {
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'stay@example.com' }).expect(200);
    const response = await browser.post('/api/unregister').set('Origin', 'https://evil.example');
    expect(response.status).toBe(403);
    expect(await listEmails(server.database)).toEqual(['stay@example.com']);
    expect((await browser.get('/api/session')).body.email).toBe('stay@example.com');
  });

  it.each([
    ['the server’s own Origin', (url: string) => ({ Origin: url })],
    ['an allowed CORS origin', () => ({ Origin: SPA })],
    ['Sec-Fetch-Site: same-origin', () => ({ 'Sec-Fetch-Site': 'same-origin' })],
    ['no Origin at all (curl)', () => ({})],
  ])('accepts a signup with %s', async (_, headers) => {
    await server
      .request()
      .post('/api/signup')
      .set(headers(server.url))
      .send({ email: 'ok@example.com' })
      .expect(200);
    expect(await listEmails(server.database)).toEqual(['ok@example.com']);
  });

  it('lets reads through from anywhere, without CORS headers for strangers', async () => {
    const response = await server.request().get('/api/stats').set('Origin', 'https://evil.example');
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS', () => {
  it('gives an allowed origin credentialed CORS headers, never *', async () => {
    const response = await server
      .request()
      .post('/api/signup')
      .set('Origin', SPA)
      .send({ email: 'cors@example.com' })
      .expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(SPA);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(response.headers.vary).toContain('Origin');
    expect(response.headers['set-cookie']).toBeDefined();
  });

  it('passes the preflight of an allowed origin', async () => {
    const response = await server
      .request()
      .options('/api/signup')
      .set('Origin', SPA)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SPA);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toContain(
      'content-type',
    );
  });

  it('allows exactly the contract’s methods and the JSON content type, whatever is asked', async () => {
    const response = await server
      .request()
      .options('/api/admin/subscribers/a%40example.com')
      .set('Origin', SPA)
      .set('Access-Control-Request-Method', 'DELETE')
      .set('Access-Control-Request-Headers', 'content-type, x-evil');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-methods']).toBe('GET,HEAD,POST,DELETE');
    expect(response.headers['access-control-allow-headers']).toBe('Content-Type');
    expect(response.headers['access-control-max-age']).toBe('600');
  });

  it('gives a preflight from another origin no CORS headers', async () => {
    const response = await server
      .request()
      .options('/api/signup')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

// An origin is scheme, host and port, compared whole: one that merely starts or ends like an
// allowed one (a longer host or port, another scheme, a shorter prefix) is a stranger.
describe('look-alike origins', () => {
  const spaLookAlikes = [
    ['a longer host', `${SPA}.evil.example`],
    ['a longer port', `${SPA}0`],
    ['another scheme', SPA.replace('http:', 'https:')],
    ['a prefix of it', SPA.slice(0, -1)],
    ['no port', 'http://127.0.0.1'],
    ['another host on the port', 'http://localhost:5173'],
    ['a path after it', `${SPA}/`],
    ['upper case', SPA.toUpperCase()],
  ];
  const ownLookAlikes: [string, (url: string) => string][] = [
    ['a longer host', (url) => `${url}.evil.example`],
    ['a longer port', (url) => `${url}0`],
    ['another scheme', (url) => url.replace('http:', 'https:')],
    ['a prefix of it', (url) => url.slice(0, -1)],
    ['no port', () => 'http://127.0.0.1'],
    ['a userinfo in front', (url) => url.replace('//', '//evil@')],
  ];

  it.each(spaLookAlikes)(
    'refuses a signup from %s of the allowed origin (%s) with 403 and no CORS grant',
    async (_, origin) => {
      const response = await server
        .request()
        .post('/api/signup')
        .set('Origin', origin)
        .send({ email: 'victim@example.com' });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden_origin');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(await listEmails(server.database)).toEqual([]);
    },
  );

  it.each(spaLookAlikes)(
    'grants %s of the allowed origin (%s) no CORS, on reads and preflights',
    async (_, origin) => {
      const read = await server.request().get('/api/session').set('Origin', origin);
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
      expect(read.headers['access-control-allow-credentials']).toBeUndefined();
      const preflight = await server
        .request()
        .options('/api/signup')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it.each(ownLookAlikes)(
    'refuses a signup from %s of the server’s own origin with 403',
    async (_, lookAlike) => {
      const response = await server
        .request()
        .post('/api/signup')
        .set('Origin', lookAlike(server.url))
        .send({ email: 'victim@example.com' });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden_origin');
      expect(await listEmails(server.database)).toEqual([]);
    },
  );

  it.each(['PUT', 'PATCH', 'DELETE'])(
    'refuses a cross-site %s before it reaches a route',
    async (method) => {
      const browser = server.browser();
      await browser.post('/api/signup').send({ email: 'stay@example.com' }).expect(200);
      const response = await browser[method.toLowerCase() as 'put' | 'patch' | 'delete'](
        '/api/admin/subscribers/stay%40example.com',
      ).set('Origin', 'https://evil.example');
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden_origin');
      expect(await listEmails(server.database)).toEqual(['stay@example.com']);
    },
  );

  it('lets a same-site request without Origin through (Sec-Fetch-Site: same-site)', async () => {
    await server
      .request()
      .post('/api/signup')
      .set('Sec-Fetch-Site', 'same-site')
      .send({ email: 'ok@example.com' })
      .expect(200);
    expect(await listEmails(server.database)).toEqual(['ok@example.com']);
  });
});
