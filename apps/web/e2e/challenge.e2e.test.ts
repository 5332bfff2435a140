import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { signupPage, subscriberCount } from './support/signup-page';

// The signup challenge on (SIGNUP_CHALLENGE=on): ALTCHA's widget solves it in the page, under the
// server's own Content-Security-Policy, and a signup that skips it is refused.

let api: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

beforeAll(async () => {
  [api, browser] = await Promise.all([
    // Small, so that the test does not wait on the work; the widget does the same work at any size.
    startApiServer({ env: { SIGNUP_CHALLENGE: 'on', SIGNUP_CHALLENGE_DIFFICULTY: '200' } }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

afterEach(() => {
  // No console errors or warnings (a Content-Security-Policy violation is one), no failed request.
  const problems = watched.splice(0).flatMap((p) => p.list);
  expect(problems).toEqual([]);
});

async function visit(options: Parameters<Browser['newContext']>[0] = {}) {
  const opened = await openPage(browser, options);
  watched.push(opened.problems);
  await opened.page.goto(`${api.origin}/`);
  return { ...opened, ui: signupPage(opened.page) };
}

describe('the signup challenge in the page', () => {
  it('is solved by the widget in the browser, and the signup goes through', async () => {
    const { context, page, ui } = await visit();
    await ui.ready();
    const before = await subscriberCount(api);
    const widget = page.locator('altcha-widget');
    await widget.waitFor();

    expect(await seriousViolations(page)).toEqual([]);

    await ui.email.fill('solver.cat@example.com');
    // Focusing the form started the work; the widget says when it is done.
    await page.getByText('Verified').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await ui.signUp.click();
    await ui.thanks('solver.cat@example.com').waitFor();
    expect(await subscriberCount(api)).toBe(before + 1);
    await context.close();
  });

  it('waits for the widget when the visitor submits before it is done', async () => {
    const { context, page, ui } = await visit();
    await ui.ready();
    await page.locator('altcha-widget').waitFor();
    // Straight to the button: the form asks the widget and sends once it has solved.
    await ui.email.fill('quick.cat@example.com');
    await ui.signUp.click();
    await ui.thanks('quick.cat@example.com').waitFor();
    await context.close();
  });

  it('is accessible in dark mode on a phone too', async () => {
    const { context, page, ui } = await visit({
      colorScheme: 'dark',
      viewport: { width: 360, height: 740 },
    });
    await ui.ready();
    await page.locator('altcha-widget').waitFor();
    await ui.email.fill('dark.cat@example.com');
    await page.getByText('Verified').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('refuses a bot that posts without solving, and stores nothing', async () => {
    const before = await subscriberCount(api);
    const response = await fetch(`${api.origin}/api/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: api.origin },
      body: JSON.stringify({ email: 'bot@example.com' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'challenge_failed',
    );
    expect(await subscriberCount(api)).toBe(before);
  });
});
