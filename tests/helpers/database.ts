// A clean database per test file: in-memory PGlite, or (TEST_DATABASE_URL set) a fresh PostgreSQL
// database created for the file and dropped afterwards. A migrated one starts from the template
// global-setup.ts made for this run (a PGlite dump, or a PostgreSQL template database); with
// `{ demo: true }`, the one with the demo data seeded on it as well.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openEmbedded, openPostgres, type Database, type EmbeddedOptions } from '../../server/db/database.js';
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
export function createEmptyTestDatabase(): Promise<TestDatabase> {
  return create(undefined);
}

/** The dumps read so far in this worker, by path (files share the worker: isolate is off). */
const dumps = new Map<string, Promise<Blob>>();
function dump(path: string): Promise<Blob> {
  let d = dumps.get(path);
  if (!d) dumps.set(path, (d = readFile(path).then((buf) => new Blob([buf]))));
  return d;
}

async function create(template: { dumpPath?: string; database?: string } | undefined): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const loadDataDir = template?.dumpPath ? await dump(template.dumpPath) : undefined;
    const database = await openEmbedded('memory://', { loadDataDir });
    return { database, dispose: () => database.close() };
  }
  const name = `lcs_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(template?.database ? `create database ${name} template ${template.database}` : `create database ${name}`));
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

/**
 * A migrated database for this test file. With `demo`, the demo data is on it already, exactly as
 * `seedDemo` leaves it (made once per run by global-setup.ts; calling seedDemo again is a no-op that
 * returns the summary). Tests of the seeding itself start from a database without it.
 */
export async function createTestDatabase(opts: { demo?: boolean } = {}): Promise<TestDatabase> {
  const t = await create(
    opts.demo
      ? { dumpPath: inject('embeddedDemoTemplatePath'), database: inject('postgresDemoTemplate') }
      : { dumpPath: inject('embeddedTemplatePath'), database: inject('postgresTemplate') },
  );
  // A no-op when the template is current (one query); migrates from scratch without a template.
  await migrateToLatest(t.database.db);
  return t;
}

/**
 * Fills the (new or empty) directory `dir` with the migrated template, as an embedded DATA_DIR for a
 * server process or a CLI: what their first start would have made (initdb, migrations), in ~1 s.
 * For tests whose subject is not that first start.
 */
export async function prepareDataDir(dir: string): Promise<void> {
  const path = inject('embeddedTemplatePath');
  if (!path) throw new Error('prepareDataDir: no embedded template in this run (global-setup.ts)');
  const database = await openEmbedded(dir, { loadDataDir: await dump(path) });
  await database.close();
}

/**
 * An embedded in-memory database from the migrated template, whatever the driver of this run (for
 * files that need one embedded database and no PostgreSQL one): what `openEmbedded('memory://')`
 * and the migrations make, without running initdb and the migrations again.
 */
export async function openEmbeddedTestDatabase(opts: Omit<EmbeddedOptions, 'loadDataDir'> = {}): Promise<Database> {
  const path = inject('embeddedTemplatePath');
  return openEmbedded('memory://', { ...opts, loadDataDir: path ? await dump(path) : undefined });
}
