import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, seedSubscribers } from './support/admin-page';
import { type ApiServer, startApiServer } from './support/api-server';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { WEB_DIR } from './support/paths';
import { freePort } from './support/ports';
import { signupPage, subscriberCount } from './support/signup-page';
import { type StaticServer, startStaticServer } from './support/static-server';

// The SPA and the API on two origins (two ports of 127.0.0.1): the SPA is built with
// VITE_API_URL pointing at the API, and the API lists the SPA's origin in CORS_ORIGINS.
const ADMIN_PASSWORD = 'cross-origin-admin';
let api: ApiServer;
let spa: StaticServer;
let browser: Browser;
let distDir: string;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

/** `vite build` of this app into `outDir`, with `VITE_API_URL` set. */
function buildSpa(outDir: string, apiUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir'], {
      cwd: WEB_DIR,
      // Vitest sets NODE_ENV=test, which would give React's development build.
      env: { ...process.env, NODE_ENV: 'production', VITE_API_URL: apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`)),
    );
  });
}

beforeAll(async () => {
  const [apiPort, spaPort] = await Promise.all([freePort(), freePort()]);
  const apiOrigin = `http://127.0.0.1:${apiPort}`;
  distDir = mkdtempSync(join(tmpdir(), 'catlist-spa-'));
  [, api, browser] = await Promise.all([
    buildSpa(distDir, apiOrigin),
    startApiServer({
      port: apiPort,
      corsOrigins: [`http://127.0.0.1:${spaPort}`],
      adminPassword: ADMIN_PASSWORD,
      // Only for seeding the admin test from distinct addresses; the browser sends no XFF.
      trustProxy: true,
    }),
    launchBrowser(),
  ]);
  spa = await startStaticServer(distDir, spaPort, apiOrigin);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([spa?.stop(), api?.stop()]);
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

afterEach(async () => {
  await context?.close();
  expect(problems?.list ?? []).toEqual([]);
});

async function visit(path = '/'): Promise<{ page: Page; ui: ReturnType<typeof signupPage> }> {
  const opened = await openPage(browser);
  context = opened.context;
  problems = opened.problems;
  await opened.page.goto(`${spa.origin}${path}`);
  return { page: opened.page, ui: signupPage(opened.page) };
}

describe('cross-origin mode (VITE_API_URL + CORS_ORIGINS)', () => {
  it('signs up and unregisters with the session cookie of the API origin', async () => {
    const { page, ui } = await visit();
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/')) apiCalls.push(new URL(request.url()).origin);
    });
    await ui.ready();
    const before = await subscriberCount(api);

    await ui.email.fill('cross@example.com');
    await ui.signUp.click();
    await ui.thanks('cross@example.com').waitFor();
    expect(await subscriberCount(api)).toBe(before + 1);

    // The session cookie belongs to the API's origin and comes back on the next visit.
    const cookies = await context?.cookies(api.origin);
    expect(cookies?.length).toBeGreaterThan(0);
    await page.reload();
    await ui.thanks('cross@example.com').waitFor();

    await ui.unregister.click();
    await expect
      .poll(() => ui.notice.textContent())
      .toBe('We have removed cross@example.com from the list!');
    expect(await subscriberCount(api)).toBe(before);

    expect(new URL(page.url()).origin).toBe(spa.origin);
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(new Set(apiCalls)).toEqual(new Set([api.origin]));
  });

  it('shows the wait time from Retry-After once the signup rate limit is reached', async () => {
    const { page, ui } = await visit();
    await ui.ready();
    // Use up this client's signups (docs/http-api.md: 30 a minute per IP) from the page's own origin,
    // through the honeypot so nothing is stored.
    const statuses = await page.evaluate(async (apiOrigin) => {
      const seen: number[] = [];
      for (let i = 0; i < 40 && !seen.includes(429); i++) {
        const response = await fetch(`${apiOrigin}/api/signup`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: `bot${i}@example.com`, website: 'spam' }),
        });
        seen.push(response.status);
      }
      return seen;
    }, api.origin);
    expect(statuses).toContain(429);
    // The 429 above was logged by the browser as a failed resource load; that one is expected.
    problems?.list.splice(0);

    await ui.email.fill('patient@example.com');
    await ui.signUp.click();
    await expect
      .poll(() => page.locator('.field-error').first().textContent())
      .toMatch(
        /^Too many sign-ups from your network\. Please try again in \d+ (second|minute)s?\.$/,
      );
    // Again the browser logs the 429 itself; nothing else may have been logged.
    expect(problems?.list.every((line) => line.includes('429'))).toBe(true);
    problems?.list.splice(0);
  });

  it('runs the admin page against the API origin: log in, delete, CSV, log out', async () => {
    const emails = ['far-1@example.com', 'far-2@example.com', 'far-3@example.com'];
    await seedSubscribers(api.origin, emails);
    const { page } = await visit('/admin');
    const ui = adminPage(page);
    await ui.password.fill(ADMIN_PASSWORD);
    await ui.logIn.click();
    await ui.listReady();
    expect(await ui.emails()).toEqual(expect.arrayContaining(emails));

    // DELETE needs a CORS preflight with credentials.
    await ui.deleteButton('far-2@example.com').click();
    await ui.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => ui.listNotice.textContent()).toBe('Deleted far-2@example.com.');

    // The link points at the API's origin and downloads with its session cookie.
    expect(await ui.downloadCsv.getAttribute('href')).toBe(
      `${api.origin}/api/admin/subscribers.csv`,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), ui.downloadCsv.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    // Cross-origin, `download` is ignored: the link is a navigation that the browser turns into a
    // download (Content-Disposition), recorded as an aborted request. Nothing reaches the console.
    expect(problems?.list.splice(0)).toEqual([
      `request failed: GET ${api.origin}/api/admin/subscribers.csv net::ERR_ABORTED`,
    ]);
    expect(csv).toMatch(/^email,created_at,source\r?\n/);
    expect(csv).toContain('far-1@example.com');
    expect(csv).not.toContain('far-2@example.com');

    await ui.logOut.click();
    await ui.password.waitFor();
    await page.reload();
    await ui.password.waitFor();
  });
});
