// Builds the app for a test file on a clean database (see database.ts). Tests never listen.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp, type BuildAppOptions } from '../../server/app.js';
import { parseConfig, type Config } from '../../server/config/config.js';
import type { DB } from '../../server/db/schema.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  /** Direct access for arranging data and asserting on what was stored. */
  db: Kysely<DB>;
  config: Config;
  testDb: TestDatabase;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO: 'false', DATA_DIR: 'memory://', ...env });
}

export async function setupTestApp(
  env: Record<string, string | undefined> = {},
  opts: Pick<BuildAppOptions, 'roundHooks' | 'mail' | 'logger'> & {
    /** Start from the database with the demo data seeded (see createTestDatabase). */
    demo?: boolean;
  } = {},
): Promise<TestApp> {
  const { demo, ...appOpts } = opts;
  const testDb = await createTestDatabase({ demo });
  // On PostgreSQL the app goes through @fastify/postgres with its own pool, as in production.
  const config = testConfig({ ...env, DATABASE_URL: testDb.url });
  const app = await buildApp({ config, database: testDb.url ? undefined : testDb.database, migrate: false, ...appOpts });
  await app.ready();
  return {
    app,
    db: testDb.database.db,
    config,
    testDb,
    async close() {
      await app.close();
      await testDb.dispose();
    },
  };
}
