import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// Site settings (docs/http-api.md, "Site settings") saved through the API of a running production
// server, shown by the built SPA without a restart or a rebuild: a German site with the owner's
// own texts and accent, in Chromium.

const PASSWORD = 'e2e-admin-password';
const GERMAN = { SITE_LANGUAGES: 'de', SITE_DEFAULT_LANGUAGE: 'de' };
const TEXTS = {
  formHeading: 'Komm in die Backstube',
  formLede: 'Einmal im Monat: neue Brote und Termine.',
  submit: 'Mitbacken',
  thanksHeading: 'Schön, dass du dabei bist, {email}!',
  thanksText: 'Bis bald in der Backstube.',
  pendingHeading: 'Fast geschafft',
  pendingText: 'Wir haben {email} einen Link geschickt.',
  mailConfirmSubject: 'Ein Klick noch für {name}',
  mailConfirmIntro: 'Hallo {email}, bestätige bitte, dass du bei {name} mitbackst.',
};

let smtp: SmtpCatcher;
/** Confirmation by email on: the pending, confirm and unsubscribe pages. */
let confirming: ApiServer;
/** Confirmation off: the thanks page. */
let direct: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

/** Logs in as admin and saves `settings` over the API, as the admin page does. */
async function save(api: ApiServer, settings: Record<string, unknown>) {
  const login = await fetch(`${api.origin}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const saved = await fetch(`${api.origin}/api/admin/settings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({
      name: 'Backstube Sonne',
      tagline: 'Brot vom Dorfplatz.',
      privacyUrl: null,
      accentColor: '#1a6b4c',
      showCount: true,
      texts: { de: TEXTS },
      ...settings,
    }),
  });
  expect(saved.status, await saved.clone().text()).toBe(200);
}

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  [confirming, direct, browser] = await Promise.all([
    startApiServer({ adminPassword: PASSWORD, mailUrl: smtp.url, env: GERMAN }),
    startApiServer({ adminPassword: PASSWORD, env: GERMAN }),
    launchBrowser(),
  ]);
  // Both start as the cats' demo (no SITE_NAME); the settings make them a site of their own.
  await Promise.all([save(confirming, {}), save(direct, {})]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([confirming?.stop(), direct?.stop()]);
  await smtp?.stop();
});
afterEach(() => {
  // A CSP violation (an inline style, say) would show here as a console error.
  expect(watched.splice(0).flatMap((p) => p.list)).toEqual([]);
});

async function visit(api: ApiServer, path: string) {
  const opened = await openPage(browser, { locale: 'de-DE' });
  watched.push(opened.problems);
  await opened.page.goto(`${api.origin}${path}`);
  return opened;
}

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

/** No English default text, no cats, no cat mark: the owner's site, in German. */
async function expectOwnGermanSite(page: Page) {
  const text = (await page.locator('body').textContent()) ?? '';
  for (const english of ['Sign up', 'Email', 'Thanks', 'Check your inbox', 'Loading', 'Join']) {
    expect(text).not.toContain(english);
  }
  // Nor the shipped German texts the owner replaced.
  for (const replaced of ['Trag dich ein', 'Schau in dein Postfach', 'Danke für deine Anmeldung']) {
    expect(text).not.toContain(replaced);
  }
  expect(text).not.toMatch(/Katze|\bcats?\b|Cats Everywhere/i);
  expect(await page.locator('svg.cat-mark').count()).toBe(0);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
}

/** The submit button's background colour, as the browser computes it. */
const buttonColour = (page: Page, name: string) =>
  page
    .getByRole('button', { name, exact: true })
    .evaluate((button) => getComputedStyle(button).backgroundColor);

describe("a German site with the owner's texts", () => {
  it('shows them on the signup, "check your inbox", confirm, unsubscribe and not-found pages', async () => {
    const { context, page } = await visit(confirming, '/');
    await heading(page, 'Backstube Sonne').waitFor();
    await page.getByText('Komm in die Backstube').waitFor();
    await page.getByText('Einmal im Monat: neue Brote und Termine.').waitFor();
    await page.getByText('Brot vom Dorfplatz.').waitFor();
    await expectOwnGermanSite(page);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('E-Mail', { exact: true }).fill('anna@example.com');
    await page.getByRole('button', { name: 'Mitbacken', exact: true }).click();
    await heading(page, 'Fast geschafft').waitFor();
    await page.getByText('Wir haben anna@example.com einen Link geschickt.').waitFor();
    await expectOwnGermanSite(page);

    const [mail] = await smtp.waitFor('anna@example.com');
    expect(mail?.text).toContain(
      'Hallo anna@example.com, bestätige bitte, dass du bei Backstube Sonne mitbackst.',
    );
    await page.goto(linkIn(mail?.text ?? '', `${confirming.origin}/confirm?token=`));
    await heading(page, 'Du bist auf der Liste!').waitFor();
    expect(await page.title()).toBe('Du bist auf der Liste! · Backstube Sonne');
    await expectOwnGermanSite(page);

    await page.goto(linkIn(mail?.text ?? '', `${confirming.origin}/unsubscribe?token=`));
    await heading(page, 'Von der Liste abmelden?').waitFor();
    await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
    await heading(page, 'Du bist abgemeldet').waitFor();
    await expectOwnGermanSite(page);

    await page.goto(`${confirming.origin}/kein/weg`);
    await heading(page, 'Seite nicht gefunden').waitFor();
    await expectOwnGermanSite(page);
    await context.close();
  });

  it('shows them on the thanks page', async () => {
    const { context, page } = await visit(direct, '/');
    await page.getByLabel('E-Mail', { exact: true }).fill('ben@example.com');
    await page.getByRole('button', { name: 'Mitbacken', exact: true }).click();
    await heading(page, 'Schön, dass du dabei bist, ben@example.com!').waitFor();
    await page.getByText('Bis bald in der Backstube.').waitFor();
    await expectOwnGermanSite(page);
    await context.close();
  });
});

describe('the accent', () => {
  it('changes on reload after a save, without a restart, and the count goes when turned off', async () => {
    const { context, page } = await visit(direct, '/');
    await page.getByRole('button', { name: 'Mitbacken', exact: true }).waitFor();
    expect(await buttonColour(page, 'Mitbacken')).toBe('rgb(26, 107, 76)');
    await page.getByText(/angemeldet/).waitFor();

    await save(direct, { accentColor: '#5a0d7a', showCount: false });
    const stats = page.waitForResponse((response) => response.url().endsWith('/api/stats'));
    await page.reload();
    await page.getByRole('button', { name: 'Mitbacken', exact: true }).waitFor();
    expect(await buttonColour(page, 'Mitbacken')).toBe('rgb(90, 13, 122)');
    expect(await seriousViolations(page)).toEqual([]);
    // The page asked for the count as before, and rendered its answer: it shows none.
    await stats;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await page.getByText(/angemeldet/).count()).toBe(0);
    await context.close();
  });
});
