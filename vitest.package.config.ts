import { defineConfig } from 'vitest/config';

// `npm run test:package`: the packed package installed into a fresh project (CI).
export default defineConfig({
  test: {
    include: ['test/package/**/*.package.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
