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
      languages: ['en', 'de', 'fr', 'es'],
      defaultLanguage: 'en',
      showCount: true,
      accentColor: null,
      logoUrl: null,
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it("answers the operator's name, tagline, privacy address, accent and count, and that admin is on", async () => {
    server = await startTestServer({
      adminPassword: 'correct horse battery',
      site: {
        name: 'Bake Club',
        tagline: '',
        privacyUrl: 'https://bake.example/privacy',
        accentColor: '#1a6b4c',
        showCount: false,
      },
    });
    const response = await server.request().get('/api/site').expect(200);
    expect(response.body).toEqual({
      name: 'Bake Club',
      tagline: '',
      privacyUrl: 'https://bake.example/privacy',
      adminEnabled: true,
      challenge: false,
      languages: ['en', 'de', 'fr', 'es'],
      defaultLanguage: 'en',
      showCount: false,
      accentColor: '#1a6b4c',
      logoUrl: null,
    });
  });

  it('names the languages the operator enabled, and the default', async () => {
    server = await startTestServer({
      site: {
        name: 'Bake Club',
        tagline: '',
        privacyUrl: null,
        languages: ['en', 'de'],
        defaultLanguage: 'de',
      },
    });
    const response = await server.request().get('/api/site').expect(200);
    expect(response.body).toMatchObject({ languages: ['en', 'de'], defaultLanguage: 'de' });
  });
});

describe('GET /api/texts', () => {
  it('answers the texts of the language asked for, else of Accept-Language, else the default', async () => {
    server = await startTestServer({
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de', 'fr'] },
    });
    const asked = await server.request().get('/api/texts?lang=fr').expect(200);
    expect(asked.body.lang).toBe('fr');
    expect(asked.body.texts.submit).toBe('S’inscrire');
    // Neutral: a site of one's own does not talk about cats.
    expect(asked.body.texts.formLede).not.toMatch(/chat/);

    const negotiated = await server
      .request()
      .get('/api/texts?lang=es')
      .set('Accept-Language', 'de-AT, en;q=0.5')
      .expect(200);
    expect(negotiated.body.lang).toBe('de');
    expect(negotiated.headers.vary).toMatch(/Accept-Language/);

    const fallback = await server.request().get('/api/texts').set('Accept-Language', 'es');
    expect(fallback.body.lang).toBe('en');
    expect(fallback.body.texts.submit).toBe('Sign up');
  });

  it('has the cats in the demo texts, and refuses a lang that is not a language code', async () => {
    server = await startTestServer();
    const demo = await server.request().get('/api/texts?lang=de').expect(200);
    expect(demo.body.texts.formLede).toMatch(/Katzen/);
    const bad = await server.request().get('/api/texts?lang=%3Cscript%3E').expect(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});
