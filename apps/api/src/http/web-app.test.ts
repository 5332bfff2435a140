import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, type TestServer } from '../test-support/test-server.js';

const ROBOTS_TXT = join(import.meta.dirname, '..', '..', '..', 'web', 'public', 'robots.txt');
const temps: ReturnType<typeof makeTempDir>[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  for (const temp of temps.splice(0)) temp.remove();
});

async function startWithWebApp(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const temp = makeTempDir();
  temps.push(temp);
  mkdirSync(join(temp.dir, 'assets'));
  writeFileSync(
    join(temp.dir, 'index.html'),
    '<!doctype html><html><head><meta name="description" content="Cats Everywhere: cats." />' +
      '<title>Cats Everywhere</title></head><body><div id="root"></div>' +
      '<script type="module" src="/assets/index-AbC123.js"></script></body></html>',
  );
  writeFileSync(join(temp.dir, 'assets', 'index-AbC123.js'), 'console.log("cats")');
  writeFileSync(join(temp.dir, 'assets', 'index-AbC123.js.gz'), gzipSync('console.log("cats")'));
  writeFileSync(join(temp.dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // The real one, as the web build copies it from apps/web/public.
  copyFileSync(ROBOTS_TXT, join(temp.dir, 'robots.txt'));
  server = await startTestServer({ webRoot: temp.dir, ...overrides });
  return server;
}

describe('serving the web app', () => {
  it('serves index.html at / with no-cache and a strict Content-Security-Policy', async () => {
    const s = await startWithWebApp();
    const response = await s.request().get('/').expect(200);
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('Cats Everywhere');
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = response.headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('puts the HTML signup form in the signup page for browsers without JavaScript', async () => {
    const s = await startWithWebApp({
      site: { name: 'Dogs <Too>', tagline: '', privacyUrl: 'https://example.com/p?a=1&b=2' },
    });
    const page = (await s.request().get('/').expect(200)).text;
    expect(page).toContain('<div id="root"><noscript><div class="page">');
    expect(page).toContain('<h1>Dogs &lt;Too&gt;</h1>');
    expect(page).toContain('<form class="signup-form" method="post" action="/subscribe"');
    expect(page).toContain('<label for="subscribe-email">Email</label>');
    expect(page).toContain('name="website"');
    expect(page).toContain('<button type="submit" class="button">Sign up</button>');
    expect(page).toContain('href="https://example.com/p?a=1&amp;b=2"');
    // Only the signup page: the others need JavaScript and carry no form.
    const admin = (await s.request().get('/admin').expect(200)).text;
    expect(admin).toContain('<div id="root"></div>');
    expect(admin).not.toContain('/subscribe');
  });

  it('says, instead of the no-JavaScript form, that the signup challenge needs JavaScript', async () => {
    const s = await startWithWebApp({ signupChallenge: { difficulty: 20 } });
    const page = (await s.request().get('/').expect(200)).text;
    const noscript = page.slice(page.indexOf('<noscript>'), page.indexOf('</noscript>'));
    expect(noscript).toContain('<h1>Cats Everywhere</h1>');
    expect(noscript).toContain('Signing up here needs JavaScript');
    // No form that could only be refused.
    expect(noscript).not.toContain('<form');
  });

  it('lets EMBED_ORIGINS frame the signup page, and no other page', async () => {
    const shop = 'https://shop.example';
    const s = await startWithWebApp({ embedOrigins: [shop] });
    const signup = await s.request().get('/').expect(200);
    expect(signup.headers['content-security-policy']).toContain(`frame-ancestors 'self' ${shop}`);
    expect(signup.headers['x-frame-options']).toBeUndefined();
    // Its HTML form posts here: under no-referrer the browser would send `Origin: null`.
    expect(signup.headers['referrer-policy']).toBe('same-origin');
    expect((await s.request().get('/admin')).headers['referrer-policy']).toBe('no-referrer');
    for (const path of ['/admin', '/confirm', '/nowhere', '/favicon.svg']) {
      const other = await s.request().get(path);
      expect(other.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(other.headers['x-frame-options'], path).toBe('DENY');
    }
    // With none listed, the signup page is framed by nobody either.
    await s.cleanup();
    const closed = await startWithWebApp();
    const page = await closed.request().get('/').expect(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('caches hashed assets for a year, immutable', async () => {
    const s = await startWithWebApp();
    const response = await s.request().get('/assets/index-AbC123.js').expect(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.type).toBe('text/javascript');
  });

  it('serves the precompressed copy to clients that accept it, varying on Accept-Encoding', async () => {
    const s = await startWithWebApp();
    const gzipped = await s
      .request()
      .get('/assets/index-AbC123.js')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toContain('Accept-Encoding');
    expect(gzipped.text).toBe('console.log("cats")'); // supertest inflates it
    const plain = await s
      .request()
      .get('/assets/index-AbC123.js')
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('console.log("cats")');
  });

  it('revalidates other files', async () => {
    const s = await startWithWebApp();
    const response = await s.request().get('/favicon.svg').expect(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it("answers the SPA's pages with index.html and 200, so client routes survive a reload", async () => {
    const s = await startWithWebApp();
    for (const path of ['/', '/admin', '/admin/', '/?x=1']) {
      const response = await s.request().get(path).expect(200);
      expect(response.text).toContain('Cats Everywhere');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers unknown page paths with the SPA (its not-found page) and status 404', async () => {
    const s = await startWithWebApp();
    for (const path of [
      '/some/unknown/page',
      '/thanks?x=1',
      '/admin/x',
      '/index.html',
      '/assets',
    ]) {
      const response = await s.request().get(path).expect(404);
      expect(response.type).toBe('text/html');
      expect(response.text).toContain('<script type="module" src="/assets/index-AbC123.js">');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
    await s.request().head('/nowhere').expect(404);
  });

  it('asks search engines to leave /admin out, and only /admin', async () => {
    const s = await startWithWebApp();
    for (const path of ['/admin', '/admin/']) {
      const response = await s.request().get(path).expect(200);
      expect(response.headers['x-robots-tag']).toBe('noindex, nofollow');
    }
    const home = await s.request().get('/').expect(200);
    expect(home.headers['x-robots-tag']).toBeUndefined();
  });

  it('serves robots.txt as a file that keeps crawlers out of /admin and /api', async () => {
    const s = await startWithWebApp();
    const response = await s.request().get('/robots.txt').expect(200);
    expect(response.type).toBe('text/plain');
    const rules = response.text.split('\n').filter((line) => !line.startsWith('#'));
    expect(rules).toEqual(
      expect.arrayContaining(['User-agent: *', 'Disallow: /admin', 'Disallow: /api']),
    );
  });

  it('keeps unknown API paths and missing hashed assets as 404', async () => {
    const s = await startWithWebApp();
    const api = await s.request().get('/api/nothing-here').expect(404);
    expect(api.body.error.code).toBe('not_found');
    await s.request().get('/assets/index-Old999.js').expect(404);
  });

  it('does not serve files outside the web root', async () => {
    const s = await startWithWebApp();
    const response = await s.request().get('/..%2f..%2fetc%2fpasswd');
    expect(response.text).not.toContain('root:');
  });

  it('without a built web app, answers page paths with a JSON 404', async () => {
    server = await startTestServer();
    const response = await server.request().get('/').expect(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it("writes the site's branding into index.html: title, description and a meta element", async () => {
    const s = await startWithWebApp({
      adminPassword: 'correct horse battery',
      site: { name: 'Bake & "Co" </title>', tagline: 'Bread <b>weekly</b>', privacyUrl: null },
    });
    for (const path of ['/', '/no/such/page']) {
      const html = (await s.request().get(path)).text;
      expect(html).toContain('<title>Bake &amp; &quot;Co&quot; &lt;/title&gt;</title>');
      expect(html).toContain(
        '<meta name="description" content="Bake &amp; &quot;Co&quot; &lt;/title&gt;: Bread &lt;b&gt;weekly&lt;/b&gt;" />',
      );
      const meta = /<meta name="catlist-site" content="([^"]*)" \/>/.exec(html)?.[1] ?? '';
      const unescaped = meta
        .replaceAll('&quot;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&');
      expect(JSON.parse(unescaped)).toEqual({
        name: 'Bake & "Co" </title>',
        tagline: 'Bread <b>weekly</b>',
        privacyUrl: null,
        adminEnabled: true,
        challenge: false,
        languages: ['en', 'de', 'fr', 'es'],
        defaultLanguage: 'en',
        showCount: true,
        accentColor: null,
        logoUrl: null,
      });
      expect(html).not.toContain('Cats Everywhere');
      // Nothing inline to run: the policy stays as strict as before.
      expect(html.match(/<script/g)).toHaveLength(1);
    }
  });

  it("serves index.html in the visitor's language: lang, description, texts and the form", async () => {
    const s = await startWithWebApp({
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de', 'fr'] },
    });
    const meta = (html: string) => {
      const content = /<meta name="catlist-texts" content="([^"]*)" \/>/.exec(html)?.[1] ?? '';
      return JSON.parse(
        content.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
      );
    };
    const german = await s.request().get('/').set('Accept-Language', 'de-DE,de;q=0.9,en;q=0.5');
    expect(german.headers.vary).toMatch(/Accept-Language/);
    expect(german.text).toContain('<html lang="de">');
    expect(german.text).toContain(
      '<meta name="description" content="Bake Club: Hinterlass deine E-Mail-Adresse." />',
    );
    expect(meta(german.text).lang).toBe('de');
    expect(meta(german.text).texts.submit).toBe('Anmelden');
    // The form for browsers without JavaScript, in German and without the cats.
    expect(german.text).toContain('<h2 class="form-title">Trag dich ein</h2>');
    expect(german.text).not.toMatch(/Katze|\bcats?\b/i);

    // Spanish is not enabled here: the default. The chooser's cookie and ?lang= win.
    const spanish = await s.request().get('/no/such/page').set('Accept-Language', 'es');
    expect(spanish.text).toContain('<html lang="en">');
    const chosen = await s.request().get('/').set('Accept-Language', 'de').set('Cookie', 'lang=fr');
    expect(meta(chosen.text).lang).toBe('fr');
    const linked = await s.request().get('/?lang=fr').set('Accept-Language', 'de');
    expect(linked.text).toContain('<html lang="fr">');
  });
});
