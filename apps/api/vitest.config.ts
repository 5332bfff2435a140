import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@catlist/source'] },
  ssr: { resolve: { conditions: ['@catlist/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
