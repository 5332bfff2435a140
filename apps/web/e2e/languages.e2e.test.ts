import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// The visitor pages in the visitor's language (docs/http-api.md, Languages), in Chromium against
// the production server: the browser's languages, the site's enabled ones, the chooser.

let smtp: SmtpCatcher;
/** A site of its own (SITE_NAME), confirmation by email on: every language, no cats. */
let own: ApiServer;
/** The demo, confirmation off. */
let plain: ApiServer;
/** English and German only. */
let twoLanguages: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  [own, plain, twoLanguages, browser] = await Promise.all([
    startApiServer({ mailUrl: smtp.url, env: { SITE_NAME: 'Bäckerei Müller' } }),
    startApiServer(),
    startApiServer({ env: { SITE_LANGUAGES: 'en,de' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([own?.stop(), plain?.stop(), twoLanguages?.stop()]);
  await smtp?.stop();
});
afterEach(() => {
  expect(watched.splice(0).flatMap((p) => p.list)).toEqual([]);
});

/** A browser whose languages are `locale`'s (navigator.language and Accept-Language). */
async function visit(api: ApiServer, path: string, locale: string) {
  const opened = await openPage(browser, { locale });
  watched.push(opened.problems);
  await opened.page.goto(`${api.origin}${path}`);
  return opened;
}

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

/** Words of the English texts that must not show in another language, and the cats. */
async function expectNoEnglishNorCats(page: Page) {
  const text = (await page.locator('body').textContent()) ?? '';
  for (const english of ['Sign up', 'Email', 'Thanks', 'Check your inbox', 'Loading', 'list']) {
    expect(text).not.toContain(english);
  }
  expect(text).not.toMatch(/Katze|\bcats?\b/i);
  expect(await page.locator('svg.cat-mark').count()).toBe(0);
}

describe('a German browser on a site of its own', () => {
  it('gets the signup, "check your inbox", confirm and unsubscribe pages in German, no cats', async () => {
    const { context, page } = await visit(own, '/', 'de-DE');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor();
    expect(await htmlLang(page)).toBe('de');
    await page.getByText('Trag dich ein').waitFor();
    await expectNoEnglishNorCats(page);

    await page.getByLabel('E-Mail', { exact: true }).fill('anna@example.com');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await heading(page, 'Schau in dein Postfach').waitFor();
    await expectNoEnglishNorCats(page);

    const [mail] = await smtp.waitFor('anna@example.com');
    await page.goto(linkIn(mail?.text ?? '', `${own.origin}/confirm?token=`));
    await heading(page, 'Du bist auf der Liste!').waitFor();
    expect(await page.title()).toBe('Du bist auf der Liste! · Bäckerei Müller');
    expect(await htmlLang(page)).toBe('de');
    await expectNoEnglishNorCats(page);

    await page.goto(linkIn(mail?.text ?? '', `${own.origin}/unsubscribe?token=`));
    await heading(page, 'Von der Liste abmelden?').waitFor();
    await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
    await heading(page, 'Du bist abgemeldet').waitFor();
    await expectNoEnglishNorCats(page);
    await context.close();
  });

  it('gets the thanks page, an error message and the not-found page in German', async () => {
    const server = await startApiServer({ env: { SITE_NAME: 'Bäckerei Müller' } });
    try {
      const { context, page } = await visit(server, '/', 'de-DE');
      const email = page.getByLabel('E-Mail', { exact: true });
      await email.fill('anna@');
      await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
      await page.getByText('Bitte gib eine gültige E-Mail-Adresse ein.').waitFor();
      await email.fill('anna@example.com');
      await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
      await heading(page, 'Danke für deine Anmeldung, anna@example.com!').waitFor();
      await page.getByText('1 Person hat sich angemeldet.').waitFor();
      await expectNoEnglishNorCats(page);

      await page.goto(`${server.origin}/kein/weg`);
      await heading(page, 'Seite nicht gefunden').waitFor();
      expect(await page.title()).toBe('Seite nicht gefunden · Bäckerei Müller');
      await expectNoEnglishNorCats(page);
      await context.close();
    } finally {
      await server.stop();
    }
  });
});

describe('which language', () => {
  it('gives a French browser French, the demo with its cats', async () => {
    const { context, page } = await visit(plain, '/', 'fr-CA');
    await page.getByRole('button', { name: 'S’inscrire', exact: true }).waitFor();
    expect(await htmlLang(page)).toBe('fr');
    await page.getByText('avec des chats').waitFor();
    expect(await page.locator('svg.cat-mark').count()).toBe(1);
    await context.close();
  });

  it('gives a French browser the default where French is not enabled', async () => {
    const { context, page } = await visit(twoLanguages, '/', 'fr-FR');
    await page.getByRole('button', { name: 'Sign up', exact: true }).waitFor();
    expect(await htmlLang(page)).toBe('en');
    const chooser = page.getByLabel('Language', { exact: true });
    expect(await chooser.locator('option').allInnerTexts()).toEqual(['English', 'Deutsch']);
    await context.close();
  });

  it('switches with the chooser: texts and <html lang> follow, and the next page keeps it', async () => {
    const { context, page } = await visit(plain, '/', 'en-US');
    await page.getByRole('button', { name: 'Sign up', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Language', { exact: true }).selectOption('es');
    await page.getByRole('button', { name: 'Suscribirme', exact: true }).waitFor();
    expect(await htmlLang(page)).toBe('es');
    expect(await page.getByLabel('Idioma', { exact: true }).inputValue()).toBe('es');
    expect(await seriousViolations(page)).toEqual([]);

    // The server reads the choice too: the next page, and its errors, come in Spanish.
    await page.goto(`${plain.origin}/nada`);
    await heading(page, 'Página no encontrada').waitFor();
    expect(await htmlLang(page)).toBe('es');
    await context.close();
  });
});
