import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, type TestServer } from '../test-support/test-server.js';

// Which language a visitor gets (requestLanguage): the chooser's `?lang` or cookie, then
// Accept-Language, then the site's default. Asked over HTTP of GET /api/texts, which answers the
// language it chose; the last tests check that the page and the no-JavaScript form agree with it.

type Site = { languages: string[]; defaultLanguage: string };
const ALL = ['en', 'de', 'fr', 'es'];

const servers = new Map<string, TestServer>();
const web = makeTempDir();
beforeAll(async () => {
  mkdirSync(join(web.dir, 'assets'));
  writeFileSync(
    join(web.dir, 'index.html'),
    '<!doctype html><html><head><title>Bake Club</title></head><body><div id="root"></div>' +
      '<script type="module" src="/assets/index-AbC123.js"></script></body></html>',
  );
  writeFileSync(join(web.dir, 'assets', 'index-AbC123.js'), 'console.log("bake")');
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.cleanup()));
  web.remove();
});

/** One server per site configuration, shared by this file's tests (they only read). */
async function serverFor(site: Site): Promise<TestServer> {
  const key = JSON.stringify(site);
  let server = servers.get(key);
  if (server === undefined) {
    server = await startTestServer({
      webRoot: web.dir,
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, ...site },
    });
    servers.set(key, server);
  }
  return server;
}

/** The language GET /api/texts answers in for this Accept-Language (none if undefined). */
async function languageFor(
  accept: string | undefined,
  site: Site = { languages: ALL, defaultLanguage: 'en' },
  cookie?: string,
): Promise<string> {
  const request = (await serverFor(site)).request().get('/api/texts');
  if (accept !== undefined) request.set('Accept-Language', accept);
  if (cookie !== undefined) request.set('Cookie', `lang=${cookie}`);
  const response = await request.expect(200);
  expect(response.headers.vary).toMatch(/Accept-Language/);
  return response.body.lang;
}

describe('Accept-Language', () => {
  it('takes the highest weight, in header order among equals, however many', async () => {
    expect(await languageFor('de;q=0.5, fr;q=0.9, en;q=0.1')).toBe('fr');
    expect(await languageFor('es, de')).toBe('es');
    expect(await languageFor('de;q=0.8, es;q=0.8')).toBe('de');
    expect(await languageFor('es, fr, de')).toBe('es');
    expect(await languageFor('de;q=0.5, es;q=0.8, fr;q=0.8')).toBe('es');
  });

  it('takes the language of a regional tag, in its place in the header', async () => {
    expect(await languageFor('fr-CA,fr;q=0.9')).toBe('fr');
    expect(await languageFor('DE-at')).toBe('de');
    // Equal weights: the first one named wins even when a later one names a language exactly.
    expect(await languageFor('en-US, de')).toBe('en');
    expect(await languageFor('fr-CH, en')).toBe('fr');
  });

  it('reads a header with spaces around its parts', async () => {
    expect(await languageFor(' de ; q=0.5 , fr ; q=0.9')).toBe('fr');
  });

  it('never picks a range of weight 0, a negative or an unreadable weight', async () => {
    expect(await languageFor('de;q=0, es;q=0.2')).toBe('es');
    expect(await languageFor('de;q=0')).toBe('en');
    expect(await languageFor('de;q=-1')).toBe('en');
    expect(await languageFor('de;q=abc')).toBe('en');
  });

  it('skips the languages the site has not enabled', async () => {
    expect(
      await languageFor('fr, de;q=0.5', { languages: ['en', 'de'], defaultLanguage: 'en' }),
    ).toBe('de');
  });

  it('leaves the default for nothing enabled, no header, * or garbage', async () => {
    const german = { languages: ['en', 'de'], defaultLanguage: 'de' };
    expect(await languageFor('fr-FR', german)).toBe('de');
    const french = { languages: ALL, defaultLanguage: 'fr' };
    expect(await languageFor(undefined, french)).toBe('fr');
    expect(await languageFor('*', french)).toBe('fr');
    expect(await languageFor('*, de;q=0.5', french)).toBe('fr');
    expect(await languageFor(';;,q=x')).toBe('en');
    expect(await languageFor('')).toBe('en');
  });
});

describe("the chooser's choice", () => {
  it('wins over the header when enabled, and is ignored when not', async () => {
    expect(await languageFor('de', undefined, 'es')).toBe('es');
    expect(await languageFor('de', { languages: ['en', 'de'], defaultLanguage: 'en' }, 'es')).toBe(
      'de',
    );
    const server = await serverFor({ languages: ALL, defaultLanguage: 'en' });
    const asked = await server.request().get('/api/texts?lang=fr-CA').set('Cookie', 'lang=es');
    expect(asked.body.lang).toBe('fr');
  });
});

describe('every answer agrees', () => {
  it.each([
    ['en-US, de', 'en'],
    [' de ; q=0.5 , fr ; q=0.9', 'fr'],
    ['es;q=0, DE-at;q=0.3', 'de'],
  ])('Accept-Language %s: the page and the form are in %s', async (accept, lang) => {
    const server = await serverFor({ languages: ALL, defaultLanguage: 'en' });
    const page = await server.request().get('/').set('Accept-Language', accept).expect(200);
    expect(page.text).toContain(`<html lang="${lang}">`);
    // An address the form refuses: its page says so in the same language, and stores nothing.
    const form = await server
      .request()
      .post('/subscribe')
      .type('form')
      .set('Accept-Language', accept)
      .send({ email: 'tom@' });
    expect(form.status).toBe(400);
    expect(form.text).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
  });
});
