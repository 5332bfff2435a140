import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEmails, startTestServer, type TestServer } from '../test-support/test-server.js';

const SPA = 'http://127.0.0.1:5173';
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ corsOrigins: [SPA] });
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
