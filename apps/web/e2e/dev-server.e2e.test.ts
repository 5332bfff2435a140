import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server';
import { launchBrowser, openPage } from './support/browser';
import { type DevServer, startDevServer } from './support/dev-server';
import { freePort } from './support/ports';

// `pnpm dev` as a developer meets it: the API's PORT and the web WEB_PORT from the environment,
// the proxy following PORT, a taken port refused, a stopped API told plainly on the page.
let browser: Browser;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function devServer(env: Record<string, string>): Promise<DevServer> {
  const server = await startDevServer(env);
  stops.push(() => server.stop());
  return server;
}

describe('the web dev server', () => {
  it('listens on WEB_PORT and proxies /api and /subscribe to the PORT the API uses; a stopped API reads plainly', async () => {
    const api: ApiServer = await startApiServer();
    stops.push(() => api.stop());
    const webPort = await freePort();
    const dev = await devServer({ PORT: String(api.port), WEB_PORT: String(webPort) });
    expect(dev.origin).toBe(`http://127.0.0.1:${webPort}`);

    const health = await fetch(`${dev.origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The HTML form's posts (its pages' own form posts to /subscribe) reach the API too.
    const form = await fetch(`${dev.origin}/subscribe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=dev.cat%40example.com',
    });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Thanks for signing up');

    await api.stop();
    const { context, page } = await openPage(browser);
    stops.push(() => context.close());
    await page.goto(dev.origin);
    await page.getByText('The API is not reachable right now.').first().waitFor();
  });

  it('refuses a taken WEB_PORT with a clear line instead of moving to another port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => taken.close(resolve)));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const dev = await devServer({ WEB_PORT: String(port) });
    expect(await dev.exited).not.toBe(0);
    expect(dev.output()).toContain(`Port ${port} is already in use`);
  });
});
