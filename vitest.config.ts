import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Once per run: the migrated database every test file starts from (see the file).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Once per test file: cheap password hashing (see the file).
    setupFiles: ['tests/helpers/setup.ts'],
    // Two cores: database-heavy files run in forks, two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
