import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, seedSubscribers } from './support/admin-page';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';

// The admin manages people: the growth picture (joined and left per day, with a sentence and a
// table for those who cannot see the bars; light and dark mode), the list's order, adding one
// address, and deleting several at once as complaints.

const PASSWORD = 'e2e-admin-password';

let api: ApiServer;
let browser: Browser;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startApiServer({ adminPassword: PASSWORD, trustProxy: true }),
    launchBrowser(),
  ]);
  await seedSubscribers(api.origin, ['a@example.com', 'b@example.com', 'c@example.com']);
  // A removal today, by the admin, as a complaint: c@example.com is suppressed.
  const login = await fetch(`${api.origin}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: api.origin },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const removal = await fetch(`${api.origin}/api/admin/subscribers/c%40example.com?as=complaint`, {
    method: 'DELETE',
    headers: { Cookie: cookie, Origin: api.origin },
  });
  if (removal.status !== 204) throw new Error(`deleting: ${removal.status}`);
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

describe.each([
  { scheme: 'light', viewport: { width: 1280, height: 800 } },
  { scheme: 'dark', viewport: { width: 360, height: 740 } },
] as const)('growth, $scheme mode at $viewport.width px', ({ scheme, viewport }) => {
  it('draws the last 90 days with a summary and a table, and passes axe', async () => {
    const { page } = await openAdmin({ colorScheme: scheme, viewport });

    await page.getByText('Growth, last 90 days', { exact: true }).click();
    const chart = page.getByRole('img', {
      name: 'Joined (up) and left (down) per day, last 90 days',
    });
    await chart.waitFor();
    expect(await page.locator('.growth-summary').textContent()).toContain(
      'In the last 90 days 2 joined and 1 left (+1).',
    );
    // Bars for today: one up (joined), one down (left).
    expect(await page.locator('.growth-chart .growth-joined').count()).toBe(1);
    expect(await page.locator('.growth-chart .growth-left').count()).toBe(1);
    // The bars take the page's colours, which differ between light and dark mode.
    const fill = await page
      .locator('.growth-chart .growth-joined')
      .evaluate((el) => getComputedStyle(el).fill);
    expect(fill).toBe(scheme === 'light' ? 'rgb(179, 64, 11)' : 'rgb(240, 138, 75)');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByText('Show the numbers', { exact: true }).click();
    const rows = page.locator('.growth-table tbody tr');
    expect(await rows.count()).toBe(90);
    const today = new Date().toISOString().slice(0, 10);
    expect(await rows.first().locator('th, td').allTextContents()).toEqual([today, '2', '1']);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
  });
});

describe('the list in another order', () => {
  it('sorts by address either way and back to newest first', async () => {
    const { page, ui } = await openAdmin();
    const newest = await ui.emails();
    const order = page.getByLabel('Order', { exact: true });
    await order.selectOption('email-desc');
    await expect.poll(() => ui.emails()).toEqual(['b@example.com', 'a@example.com']);
    await order.selectOption('email');
    await expect.poll(() => ui.emails()).toEqual(['a@example.com', 'b@example.com']);
    // Oldest first is newest first reversed, ties included.
    await order.selectOption('oldest');
    await expect.poll(() => ui.emails()).toEqual([...newest].reverse());
    await order.selectOption('');
    await expect.poll(() => ui.emails()).toEqual(newest);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('adding one address', () => {
  it('adds one directly; a suppressed one only when the admin says so', async () => {
    const { page, ui } = await openAdmin();
    await page.getByText('Add one address', { exact: true }).click();
    const field = page.getByLabel('Email address', { exact: true });
    await field.fill(' New@Example.com ');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added new@example.com.').waitFor();
    await expect.poll(() => ui.emails()).toContain('new@example.com');
    expect(await ui.sourceTag('new@example.com').textContent()).toBe('added by admin');

    await field.fill('c@example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('That address is on the suppression list.').waitFor();
    dropExpected(409);
    expect(await ui.emails()).not.toContain('c@example.com');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('checkbox', { name: /Add it anyway/ }).check();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added c@example.com.').waitFor();
    await expect.poll(() => ui.emails()).toContain('c@example.com');
  });
});

describe('deleting several at once', () => {
  it('ticks all shown, deletes them as complaints in one request, and they are suppressed', async () => {
    const { page, ui } = await openAdmin({ viewport: { width: 360, height: 740 } });
    const shown = await ui.emails();
    expect(shown.length).toBeGreaterThan(1);
    const [first = '', second = ''] = shown;
    // One, then all shown, then one less: the header box is mixed.
    await page.getByRole('checkbox', { name: `Select ${first}`, exact: true }).check();
    await page.getByText('1 selected', { exact: true }).waitFor();
    const all = page.getByLabel('Select all shown', { exact: true });
    expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await all.check();
    await page.getByText(`${shown.length} selected`, { exact: true }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${second}`, exact: true }).uncheck();
    expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await page.getByRole('checkbox', { name: `Select ${second}`, exact: true }).check();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Delete selected', exact: true }).click();
    await ui.dialog.waitFor();
    expect(await ui.dialog.getByRole('heading').textContent()).toBe(
      `Delete ${shown.length} addresses?`,
    );
    await ui.dialog.getByRole('checkbox', { name: /As a complaint/ }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await ui.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(`Deleted ${shown.length} addresses as complaints.`).waitFor();
    await expect.poll(() => ui.emails()).toEqual([]);

    const suppressions = await page.evaluate(async () => {
      const response = await fetch('/api/admin/suppressions');
      return (await response.json()).total as number;
    });
    expect(suppressions).toBe(shown.length);

    // The suppression list's panel: its size, and lifting one address.
    await page.getByText('Suppression list', { exact: true }).click();
    await page
      .getByText(`${shown.length} addresses on the suppression list`, { exact: false })
      .waitFor();
    const [lifted = ''] = [...shown].sort();
    await page.getByRole('button', { name: `Lift ${lifted}`, exact: true }).click();
    await page.getByText(`${lifted} is off the suppression list.`).waitFor();
    await page
      .getByText(`${shown.length - 1} addresses on the suppression list`, { exact: false })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

/** A new page on /admin, logged in, the list shown (afterEach checks its problems). */
async function openAdmin(options?: Parameters<typeof openPage>[1]) {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  const { page } = opened;
  await page.goto(`${api.origin}/admin`);
  const ui = adminPage(page);
  await ui.password.fill(PASSWORD);
  await ui.logIn.click();
  await ui.listReady();
  return { page, ui };
}

/** Chromium logs each 4xx answer as a console error; drop those of `status`, and only those. */
function dropExpected(status: number): void {
  const lines = problems?.list.splice(0) ?? [];
  expect(lines.filter((line) => !line.includes(`status of ${status}`))).toEqual([]);
}
