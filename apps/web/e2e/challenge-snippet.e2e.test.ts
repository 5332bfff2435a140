import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formSnippet } from '../src/features/admin/embed-snippet';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { freePort } from './support/ports';
import { subscriberCount } from './support/signup-page';
import { type StaticServer, startStaticServer } from './support/static-server';

// The signup challenge on, and the admin's form snippet on another site (a second origin, listed
// in EMBED_ORIGINS): the widget the API serves solves the challenge in the page, and a form sent
// without solving it (as a bot, or a browser without JavaScript, sends it) is refused.
let api: ApiServer;
let site: StaticServer;
let browser: Browser;
let siteDir: string;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;
/** Console lines a test expects (a page's own 4xx status). */
let expected: RegExp[] = [];

/**
 * A strict policy a site holding the snippet can have: catlist's origin for the widget's script,
 * its stylesheet and its challenges, `blob:` for the worker (docs/http-api.md), the honeypot's
 * inline style, and the form posting to catlist.
 */
const sitePolicy = (apiOrigin: string) =>
  [
    "default-src 'self'",
    `script-src 'self' ${apiOrigin}`,
    `style-src 'self' 'unsafe-inline' ${apiOrigin}`,
    `connect-src ${apiOrigin}`,
    'worker-src blob:',
    `form-action 'self' ${apiOrigin}`,
  ].join('; ');

beforeAll(async () => {
  const sitePort = await freePort();
  const siteOrigin = `http://127.0.0.1:${sitePort}`;
  [api, browser] = await Promise.all([
    startApiServer({
      env: {
        EMBED_ORIGINS: siteOrigin,
        SIGNUP_CHALLENGE: 'on',
        // Small, so that the test does not wait on the work; the widget does the same at any size.
        SIGNUP_CHALLENGE_DIFFICULTY: '200',
      },
    }),
    launchBrowser(),
  ]);
  siteDir = mkdtempSync(join(tmpdir(), 'catlist-site-'));
  const page = (redirect: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main>
<h1>Our shop</h1>
${formSnippet({ publicUrl: api.origin, siteName: 'Cats Everywhere', redirect, challenge: true })}
</main></body></html>`;
  writeFileSync(join(siteDir, 'index.html'), page(`${siteOrigin}/thanks.html`));
  writeFileSync(join(siteDir, 'own-page.html'), page(''));
  writeFileSync(join(siteDir, 'thanks.html'), '<!doctype html><title>Thanks</title><p>Thanks</p>');
  site = await startStaticServer(siteDir, sitePort, api.origin, sitePolicy(api.origin));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.stop(), api?.stop()]);
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

/**
 * A worker's script still loading when the widget is done: the widget starts a worker per core,
 * the first to find the key wins, the others are stopped and the form is sent at once, which
 * aborts the script they were fetching (from catlist, or the `blob:` that imports it). Harmless.
 */
const WORKER_STOPPED =
  /^request failed: GET (blob:\S+|\S+\/widget\/pbkdf2\.[\w-]+\.js) net::ERR_ABORTED$/;

afterEach(async () => {
  await context?.close();
  context = undefined;
  const unexpected = (problems?.list ?? []).filter(
    (line) => !WORKER_STOPPED.test(line) && !expected.some((pattern) => pattern.test(line)),
  );
  expected = [];
  expect(unexpected).toEqual([]);
});

async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  return opened.page;
}

describe('the form snippet with the signup challenge on', () => {
  it('is solved by the widget on the other site, and lands on its page with catlist=subscribed', async () => {
    const page = await open();
    await page.goto(`${site.origin}/`);
    const before = await subscriberCount(api);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email address').fill('snippet.cat@example.com');
    await page.getByRole('button', { name: 'Sign up for Cats Everywhere' }).click();
    // The widget holds the post, solves, and sends the form on with the solution.
    await page.waitForURL(`${site.origin}/thanks.html?catlist=subscribed`);
    expect(await subscriberCount(api)).toBe(before + 1);
  });

  it('refuses the same form sent without solving (no JavaScript, as a bot sends it)', async () => {
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${site.origin}/`);
    const before = await subscriberCount(api);
    await page.getByLabel('Email address').fill('bot.cat@example.com');
    await page.getByRole('button', { name: 'Sign up for Cats Everywhere' }).click();
    await page.waitForURL(`${site.origin}/thanks.html?catlist=invalid`);
    expect(await subscriberCount(api)).toBe(before);
  });

  it('shows catlist’s form page with the widget after a typo, and signs up from there', async () => {
    // The form page answers 400, which the browser reports on its console.
    expected = [/Failed to load resource: the server responded with a status of 400/];
    const page = await open();
    await page.goto(`${site.origin}/own-page.html`);
    const before = await subscriberCount(api);
    // An address the browser lets through and catlist does not (no dot in the domain).
    await page.getByLabel('Email address').fill('typo.cat@localhost');
    await page.getByRole('button', { name: 'Sign up for Cats Everywhere' }).click();
    // catlist's own page, under its own CSP, with the form again and the widget in it.
    await page.getByText('Please enter a valid email address.').waitFor();
    expect(new URL(page.url()).origin).toBe(api.origin);
    await page.locator('altcha-widget').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email', { exact: true }).fill('typo.cat@example.com');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page
      .getByRole('heading', { name: 'Thanks for signing up, typo.cat@example.com!' })
      .waitFor();
    expect(await subscriberCount(api)).toBe(before + 1);
  });

  it('is not offered on catlist’s own page without JavaScript, which says why', async () => {
    // With JavaScript off, the browser reports the web app's scripts as blocked.
    expected = [/request failed: GET .*\/assets\/.*\.js csp$/];
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${api.origin}/`);
    // Playwright's text matching skips what is inside <noscript>, so the element is found by class.
    const note = page.locator('.needs-script');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/^Signing up here needs JavaScript/);
    expect(await page.locator('form').count()).toBe(0);
  });
});
