import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';

// The admin's settings panel against a production server, in Chromium: the owner changes the
// site from the admin page and an open signup page shows it after a reload, without a restart.

const PASSWORD = 'e2e-admin-password';
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

let api: ApiServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const watched: PageProblems[] = [];

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startApiServer({ adminPassword: PASSWORD, env: { SITE_NAME: 'Bake Club' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  // Chromium logs a refused request (4xx) as a console error; anything else is a page problem,
  // a style the page's policy blocked included.
  const lines = watched.splice(0).flatMap((p) => p.list);
  expect(lines.filter((line) => !/status of 4\d\d/.test(line))).toEqual([]);
});

async function open(path: string): Promise<Page> {
  const opened = await openPage(browser);
  contexts.push(opened.context);
  watched.push(opened.problems);
  await opened.page.goto(`${api.origin}${path}`);
  return opened.page;
}

/** Logs in on /admin and opens the settings panel. */
async function openSettings(): Promise<Page> {
  const page = await open('/admin');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByText('Site settings', { exact: true }).click();
  await page.getByLabel('Site name', { exact: true }).waitFor();
  return page;
}

/** The signup button's background colour on the signup page, as Chromium computes it. */
const signupButtonColour = (page: Page) =>
  page
    .locator('.signup-form button[type="submit"]')
    .evaluate((button) => getComputedStyle(button).backgroundColor);

const previewButtonColour = (page: Page) =>
  page
    .locator('.settings-preview-button')
    .evaluate((button) => getComputedStyle(button).backgroundColor);

describe('the site settings panel', () => {
  it('updates the preview as the owner types, before saving', async () => {
    const page = await openSettings();
    const preview = page.getByTestId('settings-preview');
    await preview.getByText('Bake Club', { exact: true }).waitFor();
    await page.getByLabel('Site name', { exact: true }).fill('Sourdough Society');
    await page.getByLabel('Button', { exact: true }).fill('Count me in');
    await page.getByLabel('Hex code', { exact: true }).fill('#1a6b4c');
    await preview.getByText('Sourdough Society', { exact: true }).waitFor();
    await preview.getByText('Count me in', { exact: true }).waitFor();
    expect(await previewButtonColour(page)).toBe('rgb(26, 107, 76)');
    // Nothing saved: the signup page still has the server's name.
    const signup = await open('/');
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
  });

  it('refuses a low-contrast accent with a message, and nothing changes', async () => {
    const signup = await open('/');
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
    const before = await signupButtonColour(signup);

    const page = await openSettings();
    const hex = page.getByLabel('Hex code', { exact: true });
    await hex.fill('#ffeb3b');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await page.getByText(/^Nothing was saved/).waitFor();
    expect(await hex.getAttribute('aria-invalid')).toBe('true');
    const description = await hex.evaluate((input) =>
      (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(description).toMatch(/Too little contrast/);

    await signup.reload();
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
    expect(await signupButtonColour(signup)).toBe(before);
  });

  it('saves an accent colour that an open signup page shows after a reload, without a restart', async () => {
    const signup = await open('/');
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
    expect(await signupButtonColour(signup)).not.toBe('rgb(26, 107, 76)');

    const page = await openSettings();
    await page.getByLabel('Hex code', { exact: true }).fill('#1a6b4c');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await page.getByRole('status').getByText('Saved', { exact: true }).waitFor();

    await signup.reload();
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
    await expect
      .poll(() => signupButtonColour(signup), { timeout: 5_000 })
      .toBe('rgb(26, 107, 76)');
  });

  it('uploads a logo that the signup page then shows instead of nothing', async () => {
    const signup = await open('/');
    await signup.getByRole('heading', { name: 'Bake Club', exact: true }).waitFor();
    expect(await signup.locator('.site-header img').count()).toBe(0);

    const page = await openSettings();
    await page
      .getByLabel('Image', { exact: true })
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Upload logo', exact: true }).click();
    await page.getByText(/^Logo uploaded/).waitFor();
    await page.getByTestId('settings-preview').locator('img.site-logo').waitFor();

    await signup.reload();
    const logo = signup.locator('.site-header img.site-logo');
    await logo.waitFor();
    expect(await logo.getAttribute('src')).toMatch(/^\/logo\/[0-9a-f]{64}\.png$/);
    // Loaded: the browser decoded the image the server sent.
    await expect.poll(() => logo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
  });

  it('passes an axe scan, open and after a refusal', async () => {
    const page = await openSettings();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Hex code', { exact: true }).fill('#ffeb3b');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await page.getByText(/^Nothing was saved/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
