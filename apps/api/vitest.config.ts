import { defineConfig } from 'vitest/config';

// The route-level suites run once per backend: on SQLite always, and on PostgreSQL when
// TEST_DATABASE_URL names a server (.ci/run sets it). Backend-neutral suites run once.
const BACKEND_SUITES = [
  'src/routes/**/*.test.ts',
  'src/csv/**/*.test.ts',
  'src/stores/**/*.test.ts',
  'src/confirmation/**/*.test.ts',
  'src/announcements/**/*.test.ts',
  'src/challenge/**/*.test.ts',
  'src/session/session-middleware.test.ts',
  'src/session/admin-session.test.ts',
  'src/session/statements-per-request.test.ts',
  'src/session/koa-session-store.test.ts',
  'src/http/**/*.test.ts',
  'src/db/**/*.test.ts',
  'src/cli/**/*.test.ts',
  'src/hostile-input.test.ts',
  'src/crash-safety.test.ts',
];
const POSTGRES_ONLY = ['src/**/*.postgres.test.ts'];
// What only SQLite has (its trigram index, the file itself) runs in the sqlite project only.
const SQLITE_ONLY = ['src/**/*.sqlite.test.ts'];

const postgres = Boolean(process.env.TEST_DATABASE_URL);
if (!postgres) {
  console.warn(
    '\n[catlist] PostgreSQL suites SKIPPED: TEST_DATABASE_URL is not set ' +
      '(e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).\n',
  );
}

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  resolve: { conditions: ['@catlist/source'] },
  ssr: { resolve: { conditions: ['@catlist/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'sqlite',
          include: ['src/**/*.test.ts'],
          exclude: POSTGRES_ONLY,
          env: { CATLIST_TEST_BACKEND: 'sqlite' },
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                ...shared,
                name: 'postgres',
                include: [...BACKEND_SUITES, ...POSTGRES_ONLY],
                exclude: SQLITE_ONLY,
                env: { CATLIST_TEST_BACKEND: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
