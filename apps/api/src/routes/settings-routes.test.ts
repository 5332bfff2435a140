import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteSettings } from '@catlist/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startMailTestServer } from '../test-support/mail-server.js';
import {
  makeTempDir,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';

// docs/http-api.md, "Site settings": what the admin saves is what every page, text and mail shows,
// at once, without a restart; an invalid value saves nothing. Real database, real HTTP.

const PASSWORD = 'correct horse battery staple';
const cleanups: (() => Promise<unknown>)[] = [];
const temps: ReturnType<typeof makeTempDir>[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const temp of temps.splice(0)) temp.remove();
});

async function start(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ adminPassword: PASSWORD, ...overrides });
  cleanups.push(() => server.cleanup());
  return server;
}

/** A built web app's index.html (its stylesheet linked as Vite links it), to serve. */
function webRoot(): string {
  const temp = makeTempDir();
  temps.push(temp);
  mkdirSync(join(temp.dir, 'assets'));
  writeFileSync(
    join(temp.dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta name="description" content="x" />' +
      '<title>Cats Everywhere</title><link rel="stylesheet" href="/assets/index-AbC.css"></head>' +
      '<body><div id="root"></div></body></html>',
  );
  return temp.dir;
}

async function admin(server: TestServer) {
  const browser = server.browser();
  await browser.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return browser;
}

const NOTHING_SET: SiteSettings = {
  name: null,
  tagline: null,
  privacyUrl: null,
  accentColor: null,
  showCount: true,
  texts: {},
};

const BAKE_CLUB: SiteSettings = {
  name: 'Bake Club',
  tagline: 'Bread on Saturdays.',
  privacyUrl: 'https://bake.example/privacy',
  accentColor: '#1A6B4C',
  showCount: false,
  texts: {
    de: {
      formHeading: 'Komm in den Backclub',
      submit: 'Mitbacken',
      thanksHeading: 'Schön, dass du dabei bist, {email}!',
      pendingText: 'Schau in dein Postfach, {email}.',
    },
  },
};

describe(`GET /api/admin/settings (${TEST_BACKEND})`, () => {
  it('answers nothing set, what applies instead (the environment), and the languages', async () => {
    const server = await start({
      site: {
        name: 'Bake Club',
        tagline: '',
        privacyUrl: 'https://bake.example/p',
        accentColor: '#0b57d0',
        languages: ['en', 'de'],
        defaultLanguage: 'de',
      },
    });
    const response = await (await admin(server)).get('/api/admin/settings').expect(200);
    expect(response.body).toEqual({
      settings: NOTHING_SET,
      fallback: {
        name: 'Bake Club',
        tagline: '',
        privacyUrl: 'https://bake.example/p',
        accentColor: '#0b57d0',
      },
      languages: ['de', 'en'],
      updatedAt: null,
    });
  });

  it('is for the admin only, and off without an admin password', async () => {
    const server = await start();
    await server.request().get('/api/admin/settings').expect(401);
    const off = await start({ adminPassword: undefined });
    const response = await off.request().get('/api/admin/settings').expect(503);
    expect(response.body.error.code).toBe('admin_disabled');
  });
});

describe(`POST /api/admin/settings (${TEST_BACKEND})`, () => {
  it('saves every setting at once, and every answer shows them at once', async () => {
    const server = await start({ now: () => Date.UTC(2026, 11, 7, 12) });
    const browser = await admin(server);
    const saved = await browser.post('/api/admin/settings').send(BAKE_CLUB).expect(200);
    expect(saved.body.settings).toEqual({ ...BAKE_CLUB, accentColor: '#1a6b4c' });
    expect(saved.body.updatedAt).toBe('2026-12-07T12:00:00.000Z');
    expect((await browser.get('/api/admin/settings').expect(200)).body).toEqual(saved.body);

    const site = await server.request().get('/api/site').expect(200);
    expect(site.body).toMatchObject({
      name: 'Bake Club',
      tagline: 'Bread on Saturdays.',
      privacyUrl: 'https://bake.example/privacy',
      showCount: false,
      accentColor: '#1a6b4c',
    });

    const german = await server.request().get('/api/texts?lang=de').expect(200);
    expect(german.body.texts).toMatchObject({
      formHeading: 'Komm in den Backclub',
      submit: 'Mitbacken',
      thanksHeading: 'Schön, dass du dabei bist, {email}!',
    });
    // Texts set for German only: English keeps its own, and a site of its own has no cats.
    const english = await server.request().get('/api/texts?lang=en').expect(200);
    expect(english.body.texts.submit).toBe('Sign up');
    expect(JSON.stringify(english.body.texts)).not.toMatch(/\bcats?\b/i);
  });

  it('goes back to the environment and defaults for what is set to null again', async () => {
    const server = await start({
      site: { name: 'Env Club', tagline: 'From the environment.', privacyUrl: null },
    });
    const browser = await admin(server);
    await browser.post('/api/admin/settings').send(BAKE_CLUB).expect(200);
    await browser.post('/api/admin/settings').send(NOTHING_SET).expect(200);
    const site = await server.request().get('/api/site').expect(200);
    expect(site.body).toMatchObject({
      name: 'Env Club',
      tagline: 'From the environment.',
      privacyUrl: null,
      showCount: true,
      accentColor: null,
    });
    const german = await server.request().get('/api/texts?lang=de').expect(200);
    expect(german.body.texts.submit).toBe('Anmelden');
  });

  it("shows the cats' tagline only under the cats' name", async () => {
    const server = await start();
    await (await admin(server))
      .post('/api/admin/settings')
      .send({ ...NOTHING_SET, name: 'Bake Club' })
      .expect(200);
    const site = await server.request().get('/api/site').expect(200);
    expect(site.body).toMatchObject({ name: 'Bake Club', tagline: '' });
  });

  it.each([
    ['name', { name: '   ' }, /name must not be blank/],
    ['name', { name: 'x'.repeat(101) }, /.+/],
    ['privacyUrl', { privacyUrl: 'javascript:alert(1)' }, /http\(s\) address/],
    ['privacyUrl', { privacyUrl: 'privacy.html' }, /http\(s\) address/],
    ['accentColor', { accentColor: 'green' }, /#1a6b4c/],
    ['showCount', { showCount: 'yes' }, /.+/],
    ['texts', { texts: { es: { submit: 'Apúntate' } } }, /does not enable the language "es"/],
    ['texts', { texts: { de: { submit: 'x'.repeat(501) } } }, /.+/],
    ['texts', { texts: { de: { nonsense: 'x' } } }, /.+/],
    ['tagline', { tagline: 'two\nlines' }, /.+/],
  ])('refuses a bad %s (%j) naming it, and saves nothing', async (field, change, message) => {
    const server = await start({
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de'] },
    });
    const browser = await admin(server);
    await browser.post('/api/admin/settings').send(BAKE_CLUB).expect(200);
    const before = (await browser.get('/api/admin/settings').expect(200)).body;
    const refused = await browser
      .post('/api/admin/settings')
      .send({ ...BAKE_CLUB, name: 'Changed', ...change })
      .expect(400);
    expect(refused.body.error.code).toBe('invalid_request');
    const issue = refused.body.error.issues.find(
      (found: { path: unknown[] }) => found.path[0] === field,
    );
    expect(issue?.message).toMatch(message);
    expect((await browser.get('/api/admin/settings').expect(200)).body).toEqual(before);
  });

  it('refuses an accent too light for white text with low_contrast, saying which use fails', async () => {
    const server = await start();
    const browser = await admin(server);
    const refused = await browser
      .post('/api/admin/settings')
      .send({ ...BAKE_CLUB, accentColor: '#767676' })
      .expect(400);
    expect(refused.body.error).toEqual({
      code: 'low_contrast',
      message:
        'accentColor: #767676 as link text on the page background (#fdf6ec) has a contrast of 4.2:1, below the 4.5:1 WCAG AA asks for: pick a darker colour.',
      issues: [
        {
          path: ['accentColor'],
          message:
            '#767676 as link text on the page background (#fdf6ec) has a contrast of 4.2:1, below the 4.5:1 WCAG AA asks for: pick a darker colour',
        },
      ],
    });
    expect((await browser.get('/api/admin/settings').expect(200)).body.updatedAt).toBeNull();
    await browser
      .post('/api/admin/settings')
      .send({ ...BAKE_CLUB, accentColor: '#717171' })
      .expect(200);
  });

  it('is for the admin only, from this site only', async () => {
    const server = await start();
    await server.request().post('/api/admin/settings').send(BAKE_CLUB).expect(401);
    const browser = await admin(server);
    await browser
      .post('/api/admin/settings')
      .set('Origin', 'https://evil.example')
      .send(BAKE_CLUB)
      .expect(403);
    expect((await server.request().get('/api/site').expect(200)).body.name).toBe('Cats Everywhere');
  });
});

describe(`the pages after a save (${TEST_BACKEND})`, () => {
  it("serves index.html with the owner's texts and a stylesheet link that changes with the accent", async () => {
    const server = await start({ webRoot: webRoot() });
    const plain = await server.request().get('/').set('Accept-Language', 'de').expect(200);
    expect(plain.text).not.toContain('/site.css');

    const browser = await admin(server);
    await browser.post('/api/admin/settings').send(BAKE_CLUB).expect(200);
    const page = await server.request().get('/').set('Accept-Language', 'de').expect(200);
    expect(page.text).toContain('<title>Bake Club</title>');
    expect(page.text).toContain('Komm in den Backclub');
    expect(page.text).toContain('Mitbacken');
    // After the app's own stylesheet, so that its colours win.
    const link = /<link rel="stylesheet" href="(\/site\.css\?v=[\w-]+)" \/>/.exec(page.text);
    expect(link).not.toBeNull();
    expect(page.text.indexOf('/assets/index-AbC.css')).toBeLessThan(page.text.indexOf('/site.css'));

    const css = await server
      .request()
      .get(link?.[1] ?? '')
      .expect(200);
    expect(css.type).toBe('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('--accent:#1a6b4c');
    expect(css.text).toMatch(/prefers-color-scheme: dark\)\{:root\{--accent:#[0-9a-f]{6}/);

    await browser
      .post('/api/admin/settings')
      .send({ ...BAKE_CLUB, accentColor: '#5a0d7a' })
      .expect(200);
    const next = await server.request().get('/').expect(200);
    const nextLink = /href="(\/site\.css\?v=[\w-]+)"/.exec(next.text)?.[1];
    expect(nextLink).toBeDefined();
    expect(nextLink).not.toBe(link?.[1]);
    // The old URL is not the stylesheet any more: revalidated, with the new colour.
    const old = await server
      .request()
      .get(link?.[1] ?? '')
      .expect(200);
    expect(old.headers['cache-control']).toBe('no-cache');
    expect(old.text).toContain('--accent:#5a0d7a');
  });

  it("answers the form in the visitor's language with the owner's texts and accent", async () => {
    const server = await start({
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de'] },
    });
    await (await admin(server)).post('/api/admin/settings').send(BAKE_CLUB).expect(200);
    const thanks = await server
      .browser()
      .post('/subscribe')
      .type('form')
      .set('Accept-Language', 'de')
      .send({ email: 'Brot@Example.com' })
      .expect(200);
    expect(thanks.text).toContain(
      'Schön, dass du dabei bist, <span class="address">brot@example.com</span>!',
    );
    expect(thanks.text).toMatch(/<title>[^<]+ – Bake Club<\/title>/);
    // The accent is in the page's one style, which the CSP allows by its hash.
    const style = /<style>([^<]*)<\/style>/.exec(thanks.text)?.[1] ?? '';
    expect(style).toContain('#1a6b4c');
    const hash = createHash('sha256').update(style).digest('base64');
    expect(thanks.headers['content-security-policy']).toContain(`'sha256-${hash}'`);

    const refused = await server
      .browser()
      .post('/subscribe')
      .type('form')
      .set('Accept-Language', 'de')
      .send({ email: 'nope' })
      .expect(400);
    expect(refused.text).toContain('Komm in den Backclub');
    expect(refused.text).toContain('>Mitbacken</button>');
  });
});

describe(`texts without the address (${TEST_BACKEND})`, () => {
  it("shows an owner's thanks heading without {email} as written, with no address added", async () => {
    const server = await start();
    await (await admin(server))
      .post('/api/admin/settings')
      .send({ ...NOTHING_SET, texts: { en: { thanksHeading: 'Welcome aboard!' } } })
      .expect(200);
    const thanks = await server
      .browser()
      .post('/subscribe')
      .type('form')
      .send({ email: 'crew@example.com' })
      .expect(200);
    expect(thanks.text).toContain('<h1>Welcome aboard!</h1>');
    expect(thanks.text).not.toContain('crew@example.com');
  });
});

describe(`the confirmation mail after a save (${TEST_BACKEND})`, () => {
  it("has the owner's German subject and intro, with the address and the name filled in", async () => {
    const server = await startMailTestServer({
      adminPassword: PASSWORD,
      site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de'] },
    });
    cleanups.push(() => server.cleanup());
    await (await admin(server))
      .post('/api/admin/settings')
      .send({
        ...BAKE_CLUB,
        name: 'Backclub Süd',
        texts: {
          de: {
            mailConfirmSubject: 'Ein Klick noch für {name}',
            mailConfirmIntro: 'Hallo {email}, bestätige bitte, dass du beim {name} mitbackst.',
          },
        },
      })
      .expect(200);
    await server
      .browser()
      .post('/api/signup')
      .set('Accept-Language', 'de')
      .send({ email: 'teig@example.com' })
      .expect(200);
    const [mail] = await server.smtp.waitFor(1);
    expect(mail?.subject).toBe('Ein Klick noch für Backclub Süd');
    expect(mail?.text).toContain(
      'Hallo teig@example.com, bestätige bitte, dass du beim Backclub Süd mitbackst.',
    );
    expect(mail?.html).toContain('Backclub Süd');
    // The button in the owner's accent.
    expect(mail?.html).toContain('bgcolor="#1a6b4c"');
    // The rest of the mail stays as shipped, in German.
    expect(mail?.text).toContain('Der Link gilt 48 Stunden.');
  });
});

describe(`reading the settings (${TEST_BACKEND})`, () => {
  it('shows a save made elsewhere (another instance) within the copy’s age, without a restart', async () => {
    const server = await start({ settingsMaxAgeMs: 50 });
    // Another instance saved: straight into the database, as its store does.
    await server.database.db
      .insertInto('site_settings')
      .values({
        id: 1,
        document: JSON.stringify({ ...NOTHING_SET, name: 'Saved Elsewhere' }),
        version: 1,
        updated_at: Date.now(),
      })
      .execute();
    await expect
      .poll(async () => (await server.request().get('/api/site')).body.name)
      .toBe('Saved Elsewhere');
  });
});
