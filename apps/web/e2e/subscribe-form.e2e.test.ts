import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { freePort } from './support/ports';
import { signupPage, subscriberCount } from './support/signup-page';
import { type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';
import { type StaticServer, startStaticServer } from './support/static-server';

// POST /subscribe in a real Chromium: catlist's own page with JavaScript off, and the plain HTML
// snippet on other sites (two more origins: `listed` is in EMBED_ORIGINS, `unlisted` is not).
let api: ApiServer;
let mailApi: ApiServer | undefined;
let smtp: SmtpCatcher | undefined;
let listed: StaticServer;
let unlisted: StaticServer;
let browser: Browser;
let siteDir: string;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;
/** Console lines a test expects (a refused frame, a page's own 4xx status). */
let expected: RegExp[] = [];

/** Another site's policy: it frames and posts to catlist, and styles its honeypot inline. */
const sitePolicy = (apiOrigin: string) =>
  `default-src 'self'; style-src 'self' 'unsafe-inline'; frame-src ${apiOrigin}; form-action 'self' ${apiOrigin}`;

/** The snippet docs/http-api.md gives site owners, posting to `apiOrigin`. */
function snippet(apiOrigin: string, redirect?: string): string {
  const hidden =
    redirect === undefined ? '' : `<input type="hidden" name="redirect" value="${redirect}">\n`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main>
<h1>Our shop</h1>
<form method="post" action="${apiOrigin}/subscribe">
  <label for="catlist-email">Email</label>
  <input id="catlist-email" name="email" type="email" autocomplete="email" required>
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <input name="website" tabindex="-1" autocomplete="off">
  </div>
  ${hidden}<button type="submit">Sign up</button>
</form>
</main></body></html>`;
}

/** Writes `name` into the other sites' folder (both serve it). */
function sitePage(name: string, html: string): string {
  writeFileSync(join(siteDir, name), html);
  return `/${name}`;
}

beforeAll(async () => {
  const [listedPort, unlistedPort] = await Promise.all([freePort(), freePort()]);
  const listedOrigin = `http://127.0.0.1:${listedPort}`;
  [api, browser] = await Promise.all([
    startApiServer({ env: { EMBED_ORIGINS: listedOrigin } }),
    launchBrowser(),
  ]);
  siteDir = mkdtempSync(join(tmpdir(), 'catlist-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Shop</title><p>Shop</p>');
  [listed, unlisted] = await Promise.all([
    startStaticServer(siteDir, listedPort, api.origin, sitePolicy(api.origin)),
    startStaticServer(siteDir, unlistedPort, api.origin, sitePolicy(api.origin)),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([listed?.stop(), unlisted?.stop(), api?.stop(), mailApi?.stop(), smtp?.stop()]);
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const unexpected = (problems?.list ?? []).filter(
    (line) => !expected.some((pattern) => pattern.test(line)),
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

/** With JavaScript off, the browser reports the SPA's scripts as blocked. */
const NO_SCRIPTS = /request failed: GET .*\/assets\/.*\.js csp$/;

/** The browser's own report of a page answered with `status`, which the test asserts itself. */
const statusLine = (status: number) =>
  new RegExp(`Failed to load resource: the server responded with a status of ${status}`);

describe('the signup page with JavaScript off', () => {
  it('signs up through the HTML form and shows the thanks page', async () => {
    expected = [NO_SCRIPTS];
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${api.origin}/`);
    const before = await subscriberCount(api);
    const ui = signupPage(page);
    await ui.email.fill('  NoScript.Cat@Example.com ');
    await ui.signUp.click();
    await page
      .getByRole('heading', { name: 'Thanks for signing up, noscript.cat@example.com!' })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/subscribe');
    expect(await subscriberCount(api)).toBe(before + 1);
    // Back on the signup page, still without JavaScript, the form is there for the next one.
    await page.getByRole('link', { name: 'Back to Cats Everywhere' }).click();
    await ui.email.waitFor();
  });

  it('shows the form again with the error for an invalid address, the error tied to the input', async () => {
    expected = [NO_SCRIPTS, statusLine(400)];
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${api.origin}/`);
    const before = await subscriberCount(api);
    const ui = signupPage(page);
    await ui.email.fill('cat@');
    await ui.signUp.click();
    const error = page.getByText('Please enter a valid email address.', { exact: true });
    await error.waitFor();
    await page.getByRole('heading', { name: 'Join the list' }).waitFor();
    expect(await ui.email.inputValue()).toBe('cat@');
    expect(await ui.email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await ui.email.getAttribute('aria-describedby');
    expect(await error.getAttribute('id')).toBe(describedBy);
    expect(await subscriberCount(api)).toBe(before);
    // Corrected, the same form signs up.
    await ui.email.fill('fixed.cat@example.com');
    await ui.signUp.click();
    await ui.thanks('fixed.cat@example.com').waitFor();
  });

  it('says "check your inbox" with confirmation by email on, and the mail arrives', async () => {
    smtp = await startSmtpCatcher();
    mailApi = await startApiServer({ mailUrl: smtp.url });
    expected = [NO_SCRIPTS];
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${mailApi.origin}/`);
    const ui = signupPage(page);
    await ui.email.fill('inbox.cat@example.com');
    await ui.signUp.click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await page.getByText('We have sent a link to inbox.cat@example.com').waitFor();
    const [mail] = await smtp.waitFor('inbox.cat@example.com');
    expect(mail?.text).toContain(`${mailApi.origin}/confirm?token=`);
  });
});

describe('the form on another site', () => {
  it('posts the snippet and lands on the redirect with catlist=subscribed or invalid', async () => {
    const thanks = `${listed.origin}/thanks.html?from=shop#done`;
    const path = sitePage('join.html', snippet(api.origin, thanks));
    sitePage('thanks.html', '<!doctype html><title>Thanks</title><p>Thanks</p>');
    const page = await open();
    const before = await subscriberCount(api);

    await page.goto(`${listed.origin}${path}`);
    await page.getByLabel('Email').fill('shop.cat@example.com');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${listed.origin}/thanks.html?from=shop&catlist=subscribed#done`);
    expect(await subscriberCount(api)).toBe(before + 1);
    // The session the post started is the browser's own, at catlist's origin.
    const session = await page.request.get(`${api.origin}/api/session`);
    expect(await session.json()).toMatchObject({ email: 'shop.cat@example.com' });

    await page.goto(`${listed.origin}${path}`);
    await page.getByLabel('Email').fill('cat@example');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${listed.origin}/thanks.html?from=shop&catlist=invalid#done`);
    expect(await subscriberCount(api)).toBe(before + 1);
  });

  it('refuses a redirect to an origin that is not listed, and signs nobody up', async () => {
    expected = [statusLine(400)];
    const path = sitePage('elsewhere.html', snippet(api.origin, `${unlisted.origin}/thanks.html`));
    const page = await open();
    const before = await subscriberCount(api);
    await page.goto(`${listed.origin}${path}`);
    await page.getByLabel('Email').fill('redirect.cat@example.com');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'This form may not send you there' }).waitFor();
    expect(new URL(page.url()).origin).toBe(api.origin);
    expect(await subscriberCount(api)).toBe(before);
  });

  it('refuses a post from a site that is not listed with a 403 page', async () => {
    expected = [statusLine(403)];
    const path = sitePage('plain.html', snippet(api.origin));
    const page = await open();
    const before = await subscriberCount(api);
    await page.goto(`${unlisted.origin}${path}`);
    await page.getByLabel('Email').fill('unlisted.cat@example.com');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'This form cannot be used from that site' }).waitFor();
    expect(await subscriberCount(api)).toBe(before);
  });

  it('frames the signup page on a listed site, and the browser refuses it elsewhere', async () => {
    const path = sitePage(
      'frame.html',
      `<!doctype html><title>Frame</title><iframe src="${api.origin}/" title="Sign up"></iframe>`,
    );
    const page = await open();
    await page.goto(`${listed.origin}${path}`);
    await page.frameLocator('iframe').getByRole('heading', { name: 'Join the list' }).waitFor();

    // The browser's report of the refusal is what this part expects.
    expected = [/frame-ancestors/, /request failed: GET .*ERR_BLOCKED_BY_RESPONSE/];
    await page.goto(`${unlisted.origin}${path}`);
    const framed = () => page.frames().find((frame) => frame !== page.mainFrame());
    // Chromium shows its error page in place of a frame that frame-ancestors refuses.
    await expect.poll(() => framed()?.url()).toBe('chrome-error://chromewebdata/');
    expect(await framed()?.getByRole('heading', { name: 'Join the list' }).count()).toBe(0);
  });
});

describe.each(['light', 'dark'] as const)('the server-rendered pages (%s)', (scheme) => {
  it('have no serious or critical violations: thanks, and the form with its error', async () => {
    expected = [statusLine(400)];
    const path = sitePage('axe.html', snippet(api.origin));
    // A phone's width: the long address wraps, nothing scrolls sideways.
    const page = await open({ colorScheme: scheme, viewport: { width: 360, height: 740 } });
    await page.goto(`${listed.origin}${path}`);
    const long = `a-rather-long-address-for-a-small-screen-${scheme}@subdomain.example.com`;
    await page.getByLabel('Email').fill(long);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: `Thanks for signing up, ${long}!` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(360);

    await page.goto(`${listed.origin}${path}`);
    await page.getByLabel('Email').fill('cat@example');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Please enter a valid email address.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await width()).toBeLessThanOrEqual(360);
  });
});
