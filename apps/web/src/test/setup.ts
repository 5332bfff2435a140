import '@testing-library/jest-dom/vitest';
import { catalogFor } from '@catlist/contracts/texts';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { setBuiltInTexts } from '../lib/texts';

// findBy… and waitFor wait for what a user would see; on a shared, loaded machine a lazy panel can
// take longer than the library's 1 s to appear (this is patience, not a speed check).
configure({ asyncUtilTimeout: 5000 });

// Pages rendered alone (outside a SiteProvider) speak English, as the demo site does.
setBuiltInTexts({ lang: 'en', texts: catalogFor('en', true) });

// The page must run without console errors or warnings (React's act() and key warnings included).
let consoleSpies: ReturnType<typeof vi.spyOn>[] = [];

beforeEach(() => {
  consoleSpies = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
});

afterEach(() => {
  // Vitest runs without globals, so Testing Library cannot register its own cleanup.
  cleanup();
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});
