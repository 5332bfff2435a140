import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, seedSubscribers } from './support/admin-page';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { subscriberCount } from './support/signup-page';

const PASSWORD = 'e2e-admin-password';
// More than one page (50) so "Load more" has work; five share a domain to search for.
const CATS = Array.from(
  { length: 55 },
  (_, i) => `cat-${String(i + 1).padStart(2, '0')}@example.com`,
);
const DOGS = Array.from({ length: 5 }, (_, i) => `dog-${i + 1}@kennel.example`);

let api: ApiServer;
let browser: Browser;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startApiServer({ adminPassword: PASSWORD, trustProxy: true }),
    launchBrowser(),
  ]);
  await seedSubscribers(api.origin, [...CATS, ...DOGS]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  expect(problems?.list ?? []).toEqual([]);
});

async function visit(path: string, options: Parameters<Browser['newContext']>[0] = {}) {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  await opened.page.goto(`${api.origin}${path}`);
  return { page: opened.page, ui: adminPage(opened.page) };
}

/** Chromium logs each 4xx answer as a console error; drop those of `status`, and only those. */
function dropExpected(status: number): void {
  const lines = problems?.list.splice(0) ?? [];
  expect(lines.filter((line) => !line.includes(`status of ${status}`))).toEqual([]);
}

describe('the admin page against the production server', () => {
  it('logs in, searches, loads more, deletes, exports the CSV and logs out', async () => {
    const { page, ui } = await visit('/admin');

    // A wrong password first: explained, and the form stays.
    await ui.password.fill('not the password');
    await ui.logIn.click();
    await expect.poll(() => ui.loginError.textContent()).toBe('That password is not right.');
    dropExpected(401);

    await ui.password.fill(PASSWORD);
    await ui.logIn.click();
    await ui.heading.waitFor();
    await ui.listReady();
    await expect.poll(() => ui.total.textContent()).toBe('60 subscribers');
    expect(await ui.emails()).toHaveLength(50);
    expect(await ui.showing.textContent()).toBe('Showing 50 of 60 subscribers');

    // Search: the count and the rows follow the filter, and come back without it.
    await ui.search.fill('kennel');
    await expect.poll(() => ui.searchStatus.textContent()).toBe('5 of 60 subscribers match');
    expect((await ui.emails()).sort()).toEqual([...DOGS].sort());
    // The foot counts the same five, not a second total beside them.
    expect(await ui.showing.textContent()).toBe('Showing all 5 matches');
    await ui.search.fill('');
    await expect.poll(async () => (await ui.emails()).length).toBe(50);

    // Load more: the other 10, each address exactly once, and no button once all are shown.
    await ui.loadMore.click();
    await expect.poll(() => ui.showing.textContent()).toBe('Showing all 60 subscribers');
    expect(new Set(await ui.emails())).toEqual(new Set([...CATS, ...DOGS]));
    expect(await ui.loadMore.count()).toBe(0);

    // Delete, confirmed in the dialog: the row goes, the count goes down, and the API agrees.
    await ui.deleteButton('dog-3@kennel.example').click();
    await ui.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => ui.listNotice.textContent()).toBe('Deleted dog-3@kennel.example.');
    expect(await ui.deleteButton('dog-3@kennel.example').count()).toBe(0);
    expect(await ui.total.textContent()).toBe('59 subscribers');
    expect(await subscriberCount(api)).toBe(59);

    // The CSV export downloads with the session cookie and holds what is on the list.
    const [download] = await Promise.all([page.waitForEvent('download'), ui.downloadCsv.click()]);
    expect(download.suggestedFilename()).toBe('subscribers.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('email,created_at,source');
    const exported = lines.slice(1).map((line) => line.split(',')[0]);
    expect(new Set(exported)).toEqual(
      new Set([...CATS, ...DOGS].filter((email) => email !== 'dog-3@kennel.example')),
    );

    // Log out: the password is asked for again, also after a reload (the server forgot too).
    await ui.logOut.click();
    await ui.password.waitFor();
    expect(await ui.pageNotice.textContent()).toBe('You have logged out.');
    await page.reload();
    await ui.password.waitFor();
    expect(await ui.heading.count()).toBe(0);
  });

  it('imports a CSV of mixed valid and invalid rows after showing what it would do', async () => {
    const { page, ui } = await visit('/admin');
    await ui.password.fill(PASSWORD);
    await ui.logIn.click();
    await ui.listReady();
    const before = await subscriberCount(api);

    await page.getByText('Import addresses', { exact: true }).click();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'club.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'email\nNew.Member@Club.example\nnot an address\ncat-01@example.com\n' +
          'second@club.example\nbroken@\n',
      ),
    });
    await page.getByRole('button', { name: 'Check file', exact: true }).click();
    await page.getByRole('heading', { name: 'club.csv', exact: true }).waitFor();
    expect(await page.locator('.import-counts li').allTextContents()).toEqual([
      '2 new addresses to add',
      '1 already on the list or repeated',
      '2 invalid lines, skipped',
    ]);
    expect(await page.locator('.import-invalid li').allTextContents()).toEqual([
      'Line 3: "not an address" is not a valid email address.',
      'Line 6: "broken@" is not a valid email address.',
    ]);
    // Checked, not imported.
    expect(await subscriberCount(api)).toBe(before);

    await page.getByRole('button', { name: 'Import 2 addresses', exact: true }).click();
    await expect
      .poll(() => ui.listNotice.textContent())
      .toBe('Imported 2 addresses from club.csv (1 already there, 2 invalid).');
    expect(await subscriberCount(api)).toBe(before + 2);

    // On the list, marked as imported.
    await ui.search.fill('club.example');
    await expect
      .poll(() => ui.emails())
      .toEqual(['new.member@club.example', 'second@club.example']);
    expect(await ui.sourceTag('new.member@club.example').textContent()).toBe('imported');
  });

  it('keeps the admin code out of what the signup page downloads', async () => {
    const opened = await openPage(browser);
    context = opened.context;
    problems = opened.problems;
    const requested: string[] = [];
    opened.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await opened.page.goto(`${api.origin}/`);
    await opened.page.getByLabel('Email', { exact: true }).waitFor();
    expect(requested.filter((path) => path.includes('admin'))).toEqual([]);
    // Let the page finish its own loads (the favicon comes last): leaving while one is in flight
    // cancels it, and that shows up as a failed request.
    await opened.page.waitForLoadState('networkidle');

    // ...and fetches it on the way to /admin.
    await opened.page.goto(`${api.origin}/admin`);
    await adminPage(opened.page).password.waitFor();
    expect(requested.some((path) => /^\/assets\/admin-page-[\w-]+\.js$/.test(path))).toBe(true);
  });
});

// The login form, the list and the dialog, light on a desktop and dark on a phone.
describe.each([
  { scheme: 'light', viewport: { width: 1280, height: 800 } },
  { scheme: 'dark', viewport: { width: 360, height: 740 } },
] as const)('axe-core, $scheme mode at $viewport.width px', ({ scheme, viewport }) => {
  it('has no serious or critical violations, and no sideways scrolling', async () => {
    const { page, ui } = await visit('/admin', { colorScheme: scheme, viewport });
    await ui.password.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard only: Tab to the field, type, Enter.
    await page.keyboard.press('Tab');
    expect(await ui.password.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await ui.listReady();
    await expect.poll(() => ui.heading.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);

    const [newest = ''] = await ui.emails();
    await ui.deleteButton(newest).click();
    await ui.dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => ui.deleteButton(newest).evaluate((el) => el === document.activeElement))
      .toBe(true);

    await ui.search.fill('no such address');
    await page.getByText('No addresses match “no such address”').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // "Put it on your site", open: the snippets, the preview and the copy buttons.
    await page.getByText('Put it on your site', { exact: true }).click();
    await page.getByLabel('HTML of the form', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const wider = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(wider).toBe(0);
  });
});
