import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { signupPage } from './support/signup-page';
import { type CaughtMail, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// The confirmation mail's HTML part as a mail app shows it, in Chromium: on a 360 px phone, in
// light and in dark mode, and its button opens the confirmation page (apps/api mail-layout.ts).

let smtp: SmtpCatcher;
let api: ApiServer;
let browser: Browser;
let mail: CaughtMail;
const watched: PageProblems[] = [];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  [api, browser] = await Promise.all([startApiServer({ mailUrl: smtp.url }), launchBrowser()]);
  // A long address, so that the mail has to wrap it too.
  const email = 'a.rather.long.address.for.a.small.screen@example.com';
  const opened = await openPage(browser);
  await opened.page.goto(`${api.origin}/`);
  const ui = signupPage(opened.page);
  await ui.ready();
  await ui.email.fill(email);
  await ui.signUp.click();
  [mail] = (await smtp.waitFor(email)) as [CaughtMail];
  await opened.context.close();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await smtp?.stop();
});

afterEach(() => {
  expect(watched.splice(0).flatMap((p) => p.list)).toEqual([]);
});

/** The mail's HTML part, opened as a phone's mail app would show it. */
async function showMail(colorScheme: 'light' | 'dark'): Promise<Page> {
  const opened = await openPage(browser, {
    viewport: { width: 360, height: 720 },
    colorScheme,
  });
  watched.push(opened.problems);
  await opened.page.setContent(mail.html);
  return opened.page;
}

describe('the confirmation mail in a browser', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits a 360 px screen in ${colorScheme} mode, and is accessible`, async () => {
      const page = await showMail(colorScheme);
      const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
      expect(width).toBeLessThanOrEqual(360);
      const button = page.getByRole('link', { name: 'Confirm my subscription' });
      await button.waitFor();
      // The mode's own colours: dark text on light, light text on dark.
      const card = page.getByRole('heading', { name: 'Please confirm your subscription' });
      const colour = await card.evaluate((element) => getComputedStyle(element).color);
      expect(colour).toBe(colorScheme === 'light' ? 'rgb(43, 29, 20)' : 'rgb(246, 235, 224)');
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('opens the confirmation page from its button, which confirms', async () => {
    const page = await showMail('light');
    await page.getByRole('link', { name: 'Confirm my subscription' }).click();
    await page.getByRole('heading', { name: 'You are on the list!', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/confirm');
  });
});
