import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminPage } from './support/admin-page';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from './support/smtp-catcher';

// The admin page as the list really is with confirmation by email on (a real SMTP server gets
// the mails): who waits for confirmation, who confirmed when, the filters; and the "Put it on
// your site" panel, whose snippets post to PUBLIC_URL.

const PASSWORD = 'e2e-admin-password';
const EMBEDDING_SITE = 'https://www.example.com';

let smtp: SmtpCatcher;
let api: ApiServer;
let browser: Browser;
let context: BrowserContext | undefined;
let problems: PageProblems | undefined;

/** Signs `email` up through the API, as a visitor of the signup page would. */
async function signUp(email: string, client: number): Promise<void> {
  const response = await fetch(`${api.origin}/api/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${client}` },
    body: JSON.stringify({ email }),
  });
  if (!response.ok) throw new Error(`signing up ${email}: ${response.status}`);
}

/** Imports `csv` through the admin API, as the admin page's import does. */
async function importCsv(csv: string): Promise<void> {
  const login = await fetch(`${api.origin}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const preview = await fetch(`${api.origin}/api/admin/imports`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Cookie: cookie },
    body: csv,
  });
  const { id } = (await preview.json()) as { id: string };
  const confirmed = await fetch(`${api.origin}/api/admin/imports/${id}/confirm`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  if (!confirmed.ok) throw new Error(`importing: ${confirmed.status}`);
}

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  [api, browser] = await Promise.all([
    startApiServer({
      adminPassword: PASSWORD,
      trustProxy: true,
      mailUrl: smtp.url,
      corsOrigins: [EMBEDDING_SITE],
    }),
    launchBrowser(),
  ]);
  // One confirms from the mail, one never does, one is imported (joining without a mail).
  await signUp('confirmed.cat@example.com', 1);
  await signUp('waiting.cat@example.com', 2);
  const [mail] = await smtp.waitFor('confirmed.cat@example.com');
  const token = new URL(linkIn(mail?.text ?? '', `${api.origin}/confirm?token=`)).searchParams.get(
    'token',
  );
  const confirm = await fetch(`${api.origin}/api/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!confirm.ok) throw new Error(`confirming: ${confirm.status}`);
  await importCsv('email\nimported.cat@example.com\n');
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await smtp?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  expect(problems?.list ?? []).toEqual([]);
});

async function loggedIn(options: Parameters<Browser['newContext']>[0] = {}) {
  const opened = await openPage(browser, options);
  context = opened.context;
  problems = opened.problems;
  await opened.page.goto(`${api.origin}/admin`);
  const ui = adminPage(opened.page);
  await ui.password.fill(PASSWORD);
  await ui.logIn.click();
  await ui.listReady();
  return { page: opened.page, ui };
}

/** The text of the Confirmed cell of `email`'s row. */
const confirmedCell = (page: Page, email: string) =>
  page.locator(`.subscriber-table tbody tr[data-email="${email}"] td.confirmed`).textContent();

describe('the list with confirmation by email', () => {
  it('counts who waits for confirmation, shows who confirmed when, and filters', async () => {
    const { page, ui } = await loggedIn();
    await expect.poll(() => ui.total.textContent()).toBe('2 subscribers');
    expect(await page.locator('.list-pending').textContent()).toBe('1 waiting for confirmation');
    expect(await page.getByRole('columnheader', { name: 'Confirmed' }).count()).toBe(1);
    expect(await ui.emails()).toEqual(['imported.cat@example.com', 'confirmed.cat@example.com']);
    expect(await confirmedCell(page, 'confirmed.cat@example.com')).toMatch(/^Confirmed: \w+/);
    expect(await confirmedCell(page, 'confirmed.cat@example.com')).not.toContain('not');
    expect(await confirmedCell(page, 'imported.cat@example.com')).toBe('Confirmed: not confirmed');

    const status = page.getByLabel('Status', { exact: true });
    const source = page.getByLabel('Source', { exact: true });
    await status.selectOption({ label: 'Confirmed by mail' });
    await expect.poll(() => ui.emails()).toEqual(['confirmed.cat@example.com']);
    expect(await ui.searchStatus.textContent()).toBe('1 of 2 subscribers matches');
    expect(await ui.showing.textContent()).toBe('Showing the only match');

    await status.selectOption({ label: 'All' });
    await source.selectOption({ label: 'Import' });
    await expect.poll(() => ui.emails()).toEqual(['imported.cat@example.com']);
    await source.selectOption({ label: 'Signup form' });
    await expect.poll(() => ui.emails()).toEqual(['confirmed.cat@example.com']);
    await status.selectOption({ label: 'Not confirmed by mail' });
    await page.getByText('No addresses match these filters', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Clear search and filters', exact: true }).click();
    await expect.poll(async () => (await ui.emails()).length).toBe(2);
  });
});

describe('Put it on your site', () => {
  it('gives a form that posts to PUBLIC_URL/subscribe, copies it, and previews it without sending', async () => {
    const { page } = await loggedIn();
    await context?.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.origin });
    await page.getByText('Put it on your site', { exact: true }).click();

    const form = page.getByLabel('HTML of the form', { exact: true });
    const snippet = await form.inputValue();
    expect(snippet).toContain(`<form method="post" action="${api.origin}/subscribe">`);
    expect(snippet).toContain('name="website" tabindex="-1" autocomplete="off"');
    const iframe = await page.getByLabel('HTML of the iframe', { exact: true }).inputValue();
    expect(iframe).toContain(`<iframe src="${api.origin}/"\n  title="Sign up for Cats Everywhere"`);
    expect(await page.getByText(`Listed now: ${EMBEDDING_SITE}.`).count()).toBe(1);

    await page.getByRole('button', { name: 'Copy form', exact: true }).click();
    await page.locator('.embed-snippet').first().getByRole('status').getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    // The page to return to goes into the snippet; one on a site not listed is flagged.
    const redirect = page.getByLabel('After signing up, send people to (optional)');
    await redirect.fill(`${EMBEDDING_SITE}/thanks`);
    await expect
      .poll(() => form.inputValue())
      .toContain(`<input type="hidden" name="redirect" value="${EMBEDDING_SITE}/thanks">`);
    await redirect.fill('https://elsewhere.example/thanks');
    await page
      .getByText(
        'https://elsewhere.example is not in EMBED_ORIGINS, so catlist will refuse the form with an error page.',
      )
      .waitFor();

    // The preview is a look, not a signup: it says where the address would go, sends nothing.
    const sent: string[] = [];
    page.on('request', (request) => sent.push(request.url()));
    const preview = page.locator('figure.embed-preview');
    await preview.getByLabel('Email address', { exact: true }).fill('preview.cat@example.com');
    await preview.getByRole('button', { name: 'Sign up for Cats Everywhere' }).click();
    await preview
      .getByText(
        `Preview only: nothing was sent. On your site, this sends the address to ${api.origin}/subscribe.`,
      )
      .waitFor();
    expect(sent).toEqual([]);
    expect(page.url()).toBe(`${api.origin}/admin`);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

// Last: it adds a request waiting for confirmation, which the counts above do not expect.
describe('adding one address with confirmation by email on', () => {
  it('adds one address by confirmation mail, as a signup', async () => {
    const { page } = await loggedIn();
    await page.getByText('Add one address', { exact: true }).click();
    const mail = page.getByRole('checkbox', { name: /Send a confirmation mail/ });
    expect(await mail.isChecked()).toBe(true);
    await page.getByLabel('Email address', { exact: true }).fill('mailed.cat@example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page
      .getByText('A confirmation mail goes to mailed.cat@example.com (at most 3 a day)', {
        exact: false,
      })
      .waitFor();
    const [received] = await smtp.waitFor('mailed.cat@example.com');
    expect(linkIn(received?.text ?? '', `${api.origin}/confirm?token=`)).toContain('token=');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
