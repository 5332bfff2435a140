import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { signupPage, subscriberCount } from './support/signup-page';

let api: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

beforeAll(async () => {
  [api, browser] = await Promise.all([startApiServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

afterEach(() => {
  // Every page in this file must run without console errors, warnings or failed requests.
  const problems = watched.splice(0).flatMap((p) => p.list);
  expect(problems).toEqual([]);
});

async function visit(path = '/', options: Parameters<Browser['newContext']>[0] = {}) {
  const opened = await openPage(browser, options);
  watched.push(opened.problems);
  const response = await opened.page.goto(`${api.origin}${path}`);
  return { ...opened, response, ui: signupPage(opened.page) };
}

describe('signup page against the production server', () => {
  it('signs up, survives a reload, unregisters and shows the form again', async () => {
    const { context, page, ui } = await visit();
    await ui.ready();
    const before = await subscriberCount(api);

    await ui.email.fill('  Flow.Cat@Example.com ');
    await ui.signUp.click();
    await ui.thanks('flow.cat@example.com').waitFor();
    expect(await subscriberCount(api)).toBe(before + 1);
    await expect.poll(() => ui.count.textContent()).toContain(String(before + 1));

    await page.reload();
    await ui.thanks('flow.cat@example.com').waitFor();
    expect(await ui.unregister.isEnabled()).toBe(true);

    await ui.unregister.click();
    await expect
      .poll(() => ui.notice.textContent())
      .toBe('We have removed flow.cat@example.com from the list!');
    expect(await ui.email.isVisible()).toBe(true);
    expect(await ui.signUp.isEnabled()).toBe(true);
    expect(await subscriberCount(api)).toBe(before);

    // The session forgot the address: a reload shows the plain form.
    await page.reload();
    await ui.ready();
    expect(await ui.email.inputValue()).toBe('');
    await context.close();
  });

  it('shows the message for an invalid address and stores nothing', async () => {
    const { context, page, ui } = await visit();
    await ui.ready();
    const before = await subscriberCount(api);

    await ui.email.fill('not-an-address');
    await ui.signUp.click();
    await expect
      .poll(() => page.locator('.field-error').first().textContent())
      .toBe('Please enter a valid email address.');
    expect(await ui.email.getAttribute('aria-invalid')).toBe('true');

    expect(await subscriberCount(api)).toBe(before);
    await page.reload();
    await ui.ready();
    expect(await ui.email.isVisible()).toBe(true);
    await context.close();
  });

  it('keeps separate sessions for two browser contexts', async () => {
    const first = await visit();
    const second = await visit();
    await Promise.all([first.ui.ready(), second.ui.ready()]);

    await first.ui.email.fill('first-context@example.com');
    await first.ui.signUp.click();
    await first.ui.thanks('first-context@example.com').waitFor();

    await second.page.reload();
    await second.ui.ready();
    expect(await second.ui.email.isVisible()).toBe(true);
    expect(await second.ui.unregister.count()).toBe(0);

    await first.page.reload();
    await first.ui.thanks('first-context@example.com').waitFor();
    await Promise.all([first.context.close(), second.context.close()]);
  });

  it('works with the keyboard alone, moving focus at each step', async () => {
    const { context, page, ui } = await visit();
    await ui.ready();

    await page.keyboard.press('Tab');
    expect(await ui.email.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('keys@example.com');
    await page.keyboard.press('Enter');

    const thanks = ui.thanks('keys@example.com');
    await thanks.waitFor();
    await expect.poll(() => thanks.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.press('Tab');
    expect(await ui.unregister.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');

    await ui.email.waitFor();
    await expect.poll(() => ui.email.evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const { context, page, ui } = await visit('/', { viewport: { width: 360, height: 740 } });
    await ui.ready();
    await ui.email.fill(
      `${'a-rather-long-local-part'.repeat(2)}@an-even-longer-domain.example.com`,
    );
    await ui.signUp.click();
    await page.getByRole('heading', { name: /Thanks for signing up/ }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await context.close();
  });

  it('at 360 px shows the validation message under the field, above the button', async () => {
    const { context, page, ui } = await visit('/', { viewport: { width: 360, height: 740 } });
    await ui.ready();
    await ui.email.fill('not-an-address');
    await ui.signUp.click();
    const message = page.locator('.signup-form .field-error');
    await expect.poll(() => message.textContent()).toBe('Please enter a valid email address.');
    const [input, error, button] = await Promise.all([
      ui.email.boundingBox(),
      message.boundingBox(),
      ui.signUp.boundingBox(),
    ]);
    if (!input || !error || !button) throw new Error('not laid out');
    expect(error.y).toBeGreaterThanOrEqual(input.y + input.height);
    expect(error.y + error.height).toBeLessThanOrEqual(button.y);
    await context.close();
  });

  it('at 360 px breaks a long address in the thanks heading after @ and dots, not at hyphens', async () => {
    const { context, page, ui } = await visit('/', { viewport: { width: 360, height: 740 } });
    await ui.ready();
    const email = 'first-name.last-name@very-long-company-name.example.org';
    await ui.email.fill(email);
    await ui.signUp.click();
    await ui.thanks(email).waitFor();
    const parts = page.locator('.thanks-title .address-part');
    expect(await parts.allTextContents()).toEqual([
      'first-name.',
      'last-name@',
      'very-long-company-name.',
      'example.',
      'org',
    ]);
    // Each part sits on one line (no break at its hyphens), and the address does wrap.
    const lines = await parts.evaluateAll((elements) =>
      elements.map((element) => element.getClientRects().length),
    );
    expect(lines).toEqual([1, 1, 1, 1, 1]);
    const tops = await parts.evaluateAll((elements) =>
      elements.map((element) => Math.round(element.getBoundingClientRect().top)),
    );
    expect(new Set(tops).size).toBeGreaterThan(1);
    await context.close();
  });

  it('is served with a policy that forbids inline scripts and styles', async () => {
    const { context, response, ui } = await visit();
    await ui.ready();
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).toMatch(/style-src 'self'(;|$)/);
    // Any violation would have been a console error, which afterEach checks.
    await context.close();
  });
});
