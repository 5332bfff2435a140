// Time from navigation to an interactive signup form, in Chromium, on the production build
// (`pnpm build` first). Prints medians over fresh browser contexts (cold cache), unthrottled and
// with a phone-like CPU and network. A measurement, not a test: it asserts nothing about time.
// Usage: pnpm --filter @catlist/web tti [runs]
import type { Page } from 'playwright-core';
import { startApiServer } from '../e2e/support/api-server';
import { launchBrowser } from '../e2e/support/browser';

const RUNS = Number(process.argv[2] ?? 15);

// Throttled profile: 4x slower CPU and a "fast 3G"-like link (Chrome DevTools presets).
const SLOW = {
  cpuRate: 4,
  network: {
    offline: false,
    latency: 150,
    downloadThroughput: 1.6e6 / 8,
    uploadThroughput: 750e3 / 8,
  },
};

// Runs before any page script: notes when the form's submit button first exists and is enabled,
// which happens in the same React commit that attaches its handlers. A string, so that no
// compiler helper ends up in code that runs in the page.
const RECORD_FORM_READY = `
  new MutationObserver((_, observer) => {
    const button = document.querySelector('form.signup-form button[type="submit"]');
    if (button && !button.disabled) {
      window.__formReady = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
`;

interface Sample {
  formReady: number;
  domContentLoaded: number;
}

async function sample(page: Page, url: string): Promise<Sample> {
  await page.goto(url);
  await page.waitForFunction(() => '__formReady' in window);
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return {
      formReady: (window as unknown as { __formReady: number }).__formReady,
      domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const api = await startApiServer();
const browser = await launchBrowser();
try {
  for (const profile of ['unthrottled', 'slow (4x CPU, fast 3G)'] as const) {
    const samples: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(RECORD_FORM_READY);
      if (profile !== 'unthrottled') {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW.cpuRate });
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', SLOW.network);
      }
      samples.push(await sample(page, `${api.origin}/`));
      await context.close();
    }
    const ready = samples.map((s) => s.formReady);
    console.log(
      `${profile.padEnd(24)} navigation → interactive form: median ${median(ready).toFixed(0)} ms ` +
        `(min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)}); ` +
        `DOMContentLoaded median ${median(samples.map((s) => s.domContentLoaded)).toFixed(0)} ms; ${RUNS} cold runs`,
    );
  }
} finally {
  await browser.close();
  await api.stop();
}
