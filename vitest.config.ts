import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: database-heavy files run in forks, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
