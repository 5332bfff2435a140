import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { signupPage } from './support/signup-page';

let api: ApiServer;
let browser: Browser;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

beforeAll(async () => {
  [api, browser] = await Promise.all([startApiServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

afterEach(async () => {
  await context?.close();
  expect(problems?.list ?? []).toEqual([]);
});

async function visit(
  path: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ page: Page; ui: ReturnType<typeof signupPage> }> {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  await opened.page.goto(`${api.origin}${path}`);
  return { page: opened.page, ui: signupPage(opened.page) };
}

// Each visible state of the app, in light mode on a desktop and dark mode on a phone.
describe.each([
  { scheme: 'light', viewport: { width: 1280, height: 800 } },
  { scheme: 'dark', viewport: { width: 360, height: 740 } },
] as const)('axe-core, $scheme mode at $viewport.width px', ({ scheme, viewport }) => {
  const options = { colorScheme: scheme, viewport };

  it('has no serious or critical violations on the empty form', async () => {
    const { page, ui } = await visit('/', options);
    await ui.ready();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('has none with a validation error shown', async () => {
    const { page, ui } = await visit('/', options);
    await ui.ready();
    await ui.signUp.click();
    await page.getByText('Please enter your email address.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('has none on the thanks view, nor after unregistering', async () => {
    const { page, ui } = await visit('/', options);
    await ui.ready();
    await ui.email.fill(`axe-${scheme}@example.com`);
    await ui.signUp.click();
    await ui.thanks(`axe-${scheme}@example.com`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await ui.unregister.click();
    await page.getByText(`We have removed axe-${scheme}@example.com from the list!`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('has none on the not-found view', async () => {
    const { page } = await visit('/missing', options);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
