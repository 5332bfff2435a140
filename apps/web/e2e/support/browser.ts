import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browsers cannot be fetched. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless and quiet: no first-run UI, no background traffic leaving 127.0.0.1.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium; Playwright gives it a fresh temporary profile (`--user-data-dir`) each time. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Console errors and warnings, uncaught exceptions and failed requests seen by a page. */
export interface PageProblems {
  readonly list: string[];
}

/** Records everything on `page` that would show up as a problem in the developer tools. */
export function watchPage(page: Page): PageProblems {
  const list: string[] = [];
  page.on('console', (message) => {
    // The page's own 404 (an unknown path gets the not-found page with that status): the test
    // checks the status itself, and the browser reports it as a console error.
    const ownStatus =
      message
        .text()
        .startsWith('Failed to load resource: the server responded with a status of 404') &&
      message.location().url === page.url();
    if (ownStatus) return;
    if (message.type() === 'error' || message.type() === 'warning') {
      list.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => list.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The tab's icon, still loading when a form post navigates the page away: the browser drops
    // it (ERR_ABORTED) and fetches it again for the next page. Not a problem of the page.
    const iconDropped =
      request.resourceType() !== 'document' &&
      new URL(request.url()).pathname === '/favicon.svg' &&
      request.failure()?.errorText === 'net::ERR_ABORTED';
    if (iconDropped) return;
    list.push(
      `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`,
    );
  });
  return { list };
}

/** A fresh context (its own cookie jar) and page, watched for console problems. */
export async function openPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext(options);
  // Everything here is local and quick; fail in seconds rather than Playwright's default 30.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page, problems: watchPage(page) };
}
