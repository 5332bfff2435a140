import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, seedSubscribers } from './support/admin-page';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// The admin writes to the list (issue 26): compose in Markdown, see the mail as it will arrive,
// try it on one address (a real SMTP server receives it), send it to the confirmed subscribers
// and follow it to the end; pause, resume and cancel one that the hourly cap holds back.

const PASSWORD = 'e2e-admin-password';
const READERS = ['tabby@example.com', 'ginger@example.com', 'calico@example.com'];

let smtp: SmtpCatcher;
let browser: Browser;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

beforeAll(async () => {
  [smtp, browser] = await Promise.all([startSmtpCatcher(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  expect(problems?.list ?? []).toEqual([]);
});

/** A server with mail and confirmation on, and `emails` signed up and confirmed from their mail. */
async function serverWithReaders(
  emails: readonly string[],
  env: Record<string, string> = {},
): Promise<ApiServer> {
  const api = await startApiServer({
    adminPassword: PASSWORD,
    trustProxy: true,
    mailUrl: smtp.url,
    env,
  });
  await seedSubscribers(api.origin, emails);
  for (const email of emails) {
    const [mail] = await smtp.waitFor(email);
    const link = new URL(linkIn(mail?.text ?? '', `${api.origin}/confirm?token=`));
    const confirmed = await fetch(`${api.origin}/api/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: api.origin },
      body: JSON.stringify({ token: link.searchParams.get('token') }),
    });
    if (!confirmed.ok) throw new Error(`confirming ${email}: ${confirmed.status}`);
  }
  return api;
}

async function openAnnouncements(api: ApiServer, options?: Parameters<typeof openPage>[1]) {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  const { page } = opened;
  await page.goto(`${api.origin}/admin`);
  const ui = adminPage(page);
  await ui.password.fill(PASSWORD);
  await ui.logIn.click();
  await ui.listReady();
  await page.getByText('Announcements', { exact: true }).click();
  return page;
}

/** Writes a one-version draft and saves it. */
async function writeDraft(page: Page, subject: string, body: string) {
  await page.getByRole('button', { name: 'Write an announcement', exact: true }).click();
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Message', { exact: true }).fill(body);
  await page.getByText('Unsaved changes', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Save draft', exact: true }).click();
  await page.getByText(/^Draft saved\./).waitFor();
  expect(await page.getByText('Unsaved changes', { exact: true }).count()).toBe(0);
  // The preview has loaded: leaving while it loads would cut its request short (a failed
  // request in the browser's tools, which these tests count as a problem).
  await page
    .frameLocator(`iframe[title="The mail as sent: ${subject}"]`)
    .getByText(subject)
    .first()
    .waitFor();
}

/** The history row of `subject`: its cells' text, status to unsubscribed. */
const historyRow = (page: Page, subject: string) =>
  page
    .locator('.announcement-table tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: subject, exact: true }) })
    .locator('td')
    .allTextContents();

describe('an announcement from draft to sent', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await serverWithReaders(READERS);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('composes, previews the rendered Markdown, sends a test, sends to the list and shows the counts', async () => {
    const page = await openAnnouncements(api);
    await page.getByText('No announcements yet', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await writeDraft(page, 'Whiskers weekly', 'Hello **cats**!\n\n- naps\n- <b>treats</b>');

    // The frame shows the mail as HTML: Markdown rendered, raw HTML as text.
    const frame = page.frameLocator('iframe[title="The mail as sent: Whiskers weekly"]');
    expect(await frame.locator('strong').first().textContent()).toBe('cats');
    expect(await frame.locator('li').allTextContents()).toEqual(['naps', '<b>treats</b>']);
    await page.getByText(/^Text version/).click();
    expect(await page.locator('.announcement-text pre').textContent()).toContain('Hello');
    expect(await seriousViolations(page)).toEqual([]);

    // A test to one address, now.
    const test = page.getByLabel('Send a test to', { exact: true });
    expect(await test.inputValue()).toBe('');
    await test.fill('owner@example.com');
    await page.getByRole('button', { name: 'Send test', exact: true }).click();
    await page
      .getByText('Test sent to owner@example.com. It may take a minute to arrive.')
      .waitFor();
    const [tried] = await smtp.waitFor('owner@example.com');
    expect(tried?.html).toContain('<strong>cats</strong>');
    expect(tried?.text).toContain('Hello');

    // Sending says to how many, then follows the progress to the end.
    await page.getByRole('button', { name: 'Send to the list…', exact: true }).click();
    const dialog = page.getByRole('alertdialog', {
      name: 'Send “Whiskers weekly” to 3 subscribers?',
    });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Send now', exact: true }).click();
    await page.getByRole('progressbar', { name: '100% done' }).waitFor({ timeout: 30_000 });
    await page.getByText('Done: 3 subscribers got it.', { exact: true }).waitFor();
    expect(await page.locator('.send-progress-counts').first().textContent()).toBe(
      '3 queued · 3 sent · 0 failed · 0 skipped',
    );
    for (const reader of READERS) {
      // The confirmation first, then the announcement.
      const [, announced] = await smtp.waitFor(reader, 2);
      expect(announced?.html).toContain('<strong>cats</strong>');
    }
    // Once sent, the text is read only.
    expect(await page.getByLabel('Subject', { exact: true }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back to all announcements', exact: true }).click();
    await expect
      .poll(() => historyRow(page, 'Whiskers weekly'))
      .toEqual([
        'Sent',
        expect.stringMatching(/^Written .*Started .*Finished /),
        '3',
        '0',
        '0',
        '0',
        '',
      ]);
    // Focus went back to the announcement just closed.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Whiskers weekly');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('deletes a draft, and only after asking', async () => {
    const page = await openAnnouncements(api, { viewport: { width: 360, height: 740 } });
    await writeDraft(page, 'Never mind', 'Just a draft.');
    await page.getByRole('button', { name: 'Back to all announcements', exact: true }).click();
    const remove = page.getByRole('button', { name: 'Delete the draft “Never mind”', exact: true });
    await remove.click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: 'Cancel', exact: true })
      .click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Delete the draft “Never mind”');
    await remove.click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await page.getByText('Deleted the draft “Never mind”.', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('rowheader', { name: 'Never mind' }).count()).toBe(0);
  });
});

describe('pausing, resuming and cancelling a send', () => {
  let api: ApiServer;
  beforeAll(async () => {
    // One announcement mail an hour: the first reader gets it, the others wait in the queue,
    // so the send stays under way for as long as the test needs.
    api = await serverWithReaders(['one@example.com', 'two@example.com', 'three@example.com'], {
      ANNOUNCE_HOURLY_CAP: '1',
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('pauses, resumes, then cancels behind a confirmation; the history keeps the counts', async () => {
    const page = await openAnnouncements(api);
    await writeDraft(page, 'Held back', 'One an hour.');
    await page.getByRole('button', { name: 'Send to the list…', exact: true }).click();
    await page
      .getByRole('alertdialog', { name: 'Send “Held back” to 3 subscribers?' })
      .getByRole('button', { name: 'Send now', exact: true })
      .click();
    await expect
      .poll(() => page.locator('.send-progress-counts').first().textContent(), { timeout: 20_000 })
      .toBe('3 queued · 1 sent · 0 failed · 0 skipped');
    await page.getByRole('progressbar', { name: '33% done' }).waitFor();

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByText('Paused: nothing more leaves until you resume.').first().waitFor();
    const resume = page.getByRole('button', { name: 'Resume', exact: true });
    await expect.poll(() => resume.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Cancel the send…', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Cancel the rest of this send?' });
    await dialog.getByRole('button', { name: 'Cancel the send', exact: true }).click();
    await page.getByText('Cancelled: no more mails leave.', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Resume', exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Back to all announcements', exact: true }).click();
    // Status, dates, then sent 1 (the others were never mailed).
    await expect
      .poll(async () => {
        const [status, , sent] = await historyRow(page, 'Held back');
        return [status, sent];
      })
      .toEqual(['Cancelled', '1']);
  });
});
