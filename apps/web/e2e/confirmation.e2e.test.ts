import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { signupPage } from './support/signup-page';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// Confirmation by email in Chromium against the production server, with a real SMTP server
// receiving the mails: the links come from the received mails.

let smtp: SmtpCatcher;
let api: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  [api, browser] = await Promise.all([startApiServer({ mailUrl: smtp.url }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await smtp?.stop();
});

afterEach(() => {
  const problems = watched.splice(0).flatMap((p) => p.list);
  // The expired-link case answers 400 on purpose; the browser logs that as a failed resource.
  expect(problems.filter((problem) => !problem.includes('400 (Bad Request)'))).toEqual([]);
});

async function visit(url: string, options: Parameters<Browser['newContext']>[0] = {}) {
  const opened = await openPage(browser, options);
  watched.push(opened.problems);
  await opened.page.goto(url.startsWith('http') ? url : `${api.origin}${url}`);
  return opened;
}

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

describe('confirmation by email', () => {
  it('signs up, confirms from the mail in a second browser, which then owns the address', async () => {
    const first = await visit('/');
    const ui = signupPage(first.page);
    await ui.ready();
    await ui.email.fill('flow.cat@example.com');
    await ui.signUp.click();
    await heading(first.page, 'Check your inbox').waitFor();
    expect(await first.page.getByText('flow.cat@example.com').isVisible()).toBe(true);

    const [mail] = await smtp.waitFor('flow.cat@example.com');
    const link = linkIn(mail?.text ?? '', `${api.origin}/confirm?token=`);
    // A phone, say: another browser with no cookie of the first.
    const second = await visit(link, { viewport: { width: 360, height: 740 } });
    await heading(second.page, 'You are on the list!').waitFor();
    // The tab says what happened, as the heading does (not "Confirm your subscription").
    expect(await second.page.title()).toBe('You are on the list! · Cats Everywhere');
    expect(await seriousViolations(second.page)).toEqual([]);

    await second.page.goto(`${api.origin}/`);
    await signupPage(second.page).thanks('flow.cat@example.com').waitFor();
    // The browser that asked did not open the link: it keeps waiting, and learns nothing more.
    await first.page.reload();
    await heading(first.page, 'Check your inbox').waitFor();
    expect(((await api.getJson('/api/stats')) as { subscribers: number }).subscribers).toBe(1);
  });

  it('unsubscribes from the link in the mail, after asking', async () => {
    const first = await visit('/');
    const ui = signupPage(first.page);
    await ui.ready();
    await ui.email.fill('leaving.cat@example.com');
    await ui.signUp.click();
    const [mail] = await smtp.waitFor('leaving.cat@example.com');
    await first.page.goto(linkIn(mail?.text ?? '', `${api.origin}/confirm?token=`));
    await heading(first.page, 'You are on the list!').waitFor();

    const page = (
      await visit(linkIn(mail?.text ?? '', `${api.origin}/unsubscribe?token=`), {
        viewport: { width: 360, height: 740 },
      })
    ).page;
    await heading(page, 'Leave the list?').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Unsubscribe', exact: true }).press('Enter');
    await heading(page, 'You are unsubscribed').waitFor();
    expect(await page.title()).toBe('You are unsubscribed · Cats Everywhere');
    // Not a dead end: the way back to signing up.
    await page.getByRole('link', { name: 'Sign up again', exact: true }).click();
    await signupPage(page).ready();
    expect(new URL(page.url()).pathname).toBe('/');
    await first.page.goto(`${api.origin}/`);
    await ui.ready();
    expect(await ui.email.inputValue()).toBe('leaving.cat@example.com');
  });

  it('says a cancelled pending signup will not be added, not that it was removed', async () => {
    const { page } = await visit('/');
    const ui = signupPage(page);
    await ui.ready();
    await ui.email.fill('unsure.cat@example.com');
    await ui.signUp.click();
    await heading(page, 'Check your inbox').waitFor();
    await page.getByRole('button', { name: 'Cancel my signup', exact: true }).click();
    await page
      .getByText(
        'We won’t add unsure.cat@example.com to the list: the link in the mail we sent no longer works.',
        { exact: true },
      )
      .waitFor();
    expect(await page.getByText(/removed/).count()).toBe(0);
    // And indeed it does not: the link from the mail is refused.
    const [mail] = await smtp.waitFor('unsure.cat@example.com');
    const later = await visit(linkIn(mail?.text ?? '', `${api.origin}/confirm?token=`));
    await heading(later.page, 'This link does not work').waitFor();
    expect(await later.page.title()).toBe('This link does not work · Cats Everywhere');
  });

  it('explains an expired or broken link and offers to sign up again', async () => {
    const { page } = await visit('/confirm?token=expired-or-never-issued');
    await heading(page, 'This link does not work').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Sign up again' }).click();
    await signupPage(page).ready();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
