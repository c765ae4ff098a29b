// A clean database per test file: in-memory PGlite, or (TEST_DATABASE_URL set) a fresh PostgreSQL
// database created for the file and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openEmbedded, openPostgres, type Database } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const driverName = TEST_DATABASE_URL ? 'postgres' : 'embedded';

export interface TestDatabase {
  database: Database;
  /** Set on PostgreSQL: the URL of this file's own database. */
  url?: string;
  dispose(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (no migrations) for this test file. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const database = await openEmbedded('memory://');
    return { database, dispose: () => database.close() };
  }
  const name = `lcs_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = openPostgres({ connectionString: url.toString(), max: 5, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const t = await createEmptyTestDatabase();
  await migrateToLatest(t.database.db);
  return t;
}
