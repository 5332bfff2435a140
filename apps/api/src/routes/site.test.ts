import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

describe('GET /api/site', () => {
  it('answers the cats and admin off by default, without a session cookie', async () => {
    server = await startTestServer();
    const response = await server.request().get('/api/site').expect(200);
    expect(response.body).toEqual({
      name: 'Cats Everywhere',
      tagline: 'News, photos and the occasional meow, straight to your inbox.',
      privacyUrl: null,
      adminEnabled: false,
      challenge: false,
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it("answers the operator's name, tagline and privacy address, and that admin is on", async () => {
    server = await startTestServer({
      adminPassword: 'correct horse battery',
      site: { name: 'Bake Club', tagline: '', privacyUrl: 'https://bake.example/privacy' },
    });
    const response = await server.request().get('/api/site').expect(200);
    expect(response.body).toEqual({
      name: 'Bake Club',
      tagline: '',
      privacyUrl: 'https://bake.example/privacy',
      adminEnabled: true,
      challenge: false,
    });
  });
});
