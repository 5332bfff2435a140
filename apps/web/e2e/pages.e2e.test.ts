import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { launchBrowser, openPage, type PageProblems } from './support/browser';

// How the production server answers for pages: real 404s, robots.txt, /admin kept out of search.
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
  expect(watched.splice(0).flatMap((p) => p.list)).toEqual([]);
});

describe('pages from the production server', () => {
  it('answers an unknown path with 404 and the not-found page, under the site header', async () => {
    const { context, page, problems } = await openPage(browser);
    watched.push(problems);
    const response = await page.goto(`${api.origin}/no/such/page`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.title()).toBe('Page not found · Cats Everywhere');
    const home = page.getByRole('banner').getByRole('link', { name: 'Cats Everywhere' });
    expect(await home.getAttribute('href')).toBe('/');
    await home.click();
    await page.getByLabel('Email', { exact: true }).waitFor();
    await context.close();
  });

  it('serves robots.txt keeping crawlers out of /admin and /api, and marks /admin noindex', async () => {
    const robots = await fetch(`${api.origin}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await robots.text();
    expect(text).toMatch(/^Disallow: \/admin$/m);
    expect(text).toMatch(/^Disallow: \/api$/m);

    const admin = await fetch(`${api.origin}/admin`);
    expect(admin.status).toBe(200);
    expect(admin.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  });
});
