import { defineConfig } from 'vitest/config';

// The suites Stryker (`pnpm mutate:api`, stryker.config.json) runs against each mutant of the
// security- and data-critical modules: the ones that exercise them through the real app, on
// SQLite only, so that a full run fits on a small machine. The PostgreSQL project of
// vitest.config.ts runs the same suites in `pnpm test`.
export const MUTATION_SUITES = [
  'src/http/origin-check.test.ts',
  'src/http/rate-limit.test.ts',
  'src/csv/**/*.test.ts',
  'src/session/admin-session.test.ts',
  'src/routes/**/*.test.ts',
  'src/signup/**/*.test.ts',
  'src/stores/subscriber-*.test.ts',
  'src/stores/session-store.test.ts',
  'src/session/session-middleware.test.ts',
];

export default defineConfig({
  resolve: { conditions: ['@catlist/source'] },
  ssr: { resolve: { conditions: ['@catlist/source'] } },
  test: {
    name: 'sqlite',
    include: MUTATION_SUITES,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { CATLIST_TEST_BACKEND: 'sqlite' },
  },
});
