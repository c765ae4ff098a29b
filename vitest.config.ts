import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The longest files, longest first (measured, tests/… durations of `npx vitest run --reporter=json`).
 * Two workers take files from one queue, so the run ends when the file started last ends: a long file
 * started late (the default order with no results cache, as on CI's fresh clone, is the glob's) made
 * one worker run alone for over a minute at the end. Started first, the long files overlap and the
 * short ones fill in behind them. A file missing here only runs later; keep the list to the slow ones.
 */
const SLOW_FIRST = [
  // Measured (full run at load 4-12: 8.7 min, 1,007 s of file time); the process tests wait for
  // dist/ (built in the background by global-setup.ts), so they come after the two longest.
  'tests/web/browser.test.ts',
  'tests/web/layout.test.ts',
  'tests/web/survey-resume.test.ts',
  'tests/web/actions.test.ts',
  'tests/server/reports-cli.test.ts',
  'tests/report-templates/layout.test.ts',
  'tests/server/process.test.ts',
  'tests/server/served-cache.test.ts',
  'tests/server/reports.test.ts',
  'tests/web/invitations.test.ts',
  'tests/server/demo.test.ts',
  'tests/server/attacker.test.ts',
  'tests/web/department.test.ts',
  'tests/web/admin.test.ts',
  'tests/web/survey-modules.test.ts',
  'tests/server/data-dir-lock.test.ts',
  'tests/web/survey-plain.test.ts',
  'tests/report-templates/reports.test.ts',
  'tests/server/reports-layout.test.ts',
  'tests/server/response-model.test.ts',
  'tests/server/cli.test.ts',
  'tests/server/reports-pool.test.ts',
  'tests/server/startup-memory.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // The rest as vitest orders them (failed first, then longest by its results cache, then largest).
    const rest = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return rest.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Once per run: the migrated database every test file starts from, the one with the demo data,
    // and the compiled server for the process tests (see the file).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Once per test file: cheap password hashing (see the file).
    setupFiles: ['tests/helpers/setup.ts'],
    sequence: { sequencer: SlowFirstSequencer },
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
