import { beforeAll, describe, expect, it } from 'vitest';
import { measureBundle, OTHER_JS_BUDGET_GZIP } from '../scripts/bundle-size.mjs';
import { assertBuilt } from './support/paths';

// Sizes of the production build are deterministic, so the goal from issue 7 can be a test.
describe('the production bundle', () => {
  let report: ReturnType<typeof measureBundle>;

  beforeAll(() => {
    assertBuilt();
    report = measureBundle();
  });

  it('keeps React + ReactDOM in a chunk of their own', () => {
    expect(report.reactJs.raw).toBeGreaterThan(0);
    expect(report.otherJs.raw).toBeGreaterThan(0);
  });

  it('loads under 15 KiB gzip of JS besides React + ReactDOM', () => {
    expect(report.otherJs.gzip).toBeLessThan(OTHER_JS_BUDGET_GZIP);
  });
});
