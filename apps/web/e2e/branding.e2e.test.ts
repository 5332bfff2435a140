import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, type PageProblems } from './support/browser';

// The site's name and copy come from the server's environment, into the built SPA, no rebuild.
let branded: ApiServer;
let plain: ApiServer;
let browser: Browser;
const watched: PageProblems[] = [];

beforeAll(async () => {
  [branded, plain, browser] = await Promise.all([
    startApiServer({
      adminPassword: 'e2e-admin-password',
      env: {
        SITE_NAME: 'Bake & Co',
        SITE_TAGLINE: 'Fresh bread news, every Saturday.',
        PRIVACY_URL: 'https://bake.example/privacy',
      },
    }),
    startApiServer(),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([branded?.stop(), plain?.stop()]);
});
afterEach(() => {
  // A CSP violation (say, an inline script) would show here as a console error.
  expect(watched.splice(0).flatMap((p) => p.list)).toEqual([]);
});

async function visit(api: ApiServer, path: string) {
  const opened = await openPage(browser);
  watched.push(opened.problems);
  const response = await opened.page.goto(`${api.origin}${path}`);
  return { ...opened, response };
}

describe('branding from the environment', () => {
  it('shows the configured name, tagline and privacy link, titled from the first paint', async () => {
    const { context, page, response } = await visit(branded, '/');
    // The tab title is right in the HTML itself, before any script runs.
    expect(await response?.text()).toContain('<title>Bake &amp; Co</title>');
    await page.getByRole('heading', { level: 1, name: 'Bake & Co' }).waitFor();
    expect(await page.title()).toBe('Bake & Co');
    await page.getByText('Fresh bread news, every Saturday.').waitFor();
    const privacy = page.getByRole('link', { name: 'Privacy policy' });
    expect(await privacy.getAttribute('href')).toBe('https://bake.example/privacy');
    expect(await seriousViolations(page)).toEqual([]);
    // A site of its own: no cat mark, no cats in the texts.
    expect(await page.locator('.site-header svg.cat-mark').count()).toBe(0);
    expect(await page.getByText('Cats Everywhere').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/\bcats?\b/i);
    await context.close();
  });

  it('names the admin area after the site', async () => {
    const { context, page } = await visit(branded, '/admin');
    await page.getByRole('heading', { level: 1, name: 'Bake & Co admin' }).waitFor();
    expect(await page.title()).toBe('Admin · Bake & Co');
    await page.getByLabel('Password').waitFor();
    await context.close();
  });

  it('stays the cats without configuration', async () => {
    const { context, page } = await visit(plain, '/');
    await page.getByRole('heading', { level: 1, name: 'Cats Everywhere' }).waitFor();
    expect(await page.title()).toBe('Cats Everywhere');
    await page.getByText('News, photos and the occasional meow, straight to your inbox.').waitFor();
    expect(await page.locator('.site-header svg.cat-mark').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Privacy policy' }).count()).toBe(0);
    await context.close();
  });

  it('says on /admin that admin is disabled on a server without ADMIN_PASSWORD, before any login', async () => {
    const { context, page } = await visit(plain, '/admin');
    await page.getByRole('heading', { name: 'Admin is disabled on this server' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
