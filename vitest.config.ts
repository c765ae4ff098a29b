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
    // Two cores: files run in forks, two at a time. Not in worker threads: canvas (the charts) is a
    // native module that crashes when several threads load it.
    pool: 'forks',
    maxWorkers: 2,
    // The two forks are reused from file to file instead of a fresh process per file: a fresh one
    // spent 2-5 s per file importing the app (fastify, zod schemas, kysely, pdfmake) and compiling
    // PGlite's WebAssembly, about half the suite's wall time. Files share no state through it: each
    // builds its own app and database and closes them, nothing in tests/ mocks modules or changes
    // process.env, and the few test-only switches (cheap hashing, the tenant-filter switch) are set
    // per file or reset in afterAll. Set VITEST_ISOLATE=1 to run every file in a fresh process.
    isolate: process.env.VITEST_ISOLATE === '1',
  },
});
