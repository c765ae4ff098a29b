// Tests of the second wall: statements run as the PostgreSQL test user (the owner), and an app started
// the way production starts it, migrating as the owner and serving as a login role that owns nothing,
// is not superuser and has no BYPASSRLS. On the embedded database the app serves as lcs_login anyway.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../server/app.js';
import { testConfig } from './app.js';
import { TEST_DATABASE_URL, type TestDatabase } from './database.js';

/** Runs each statement on its own connection to the test server, as its (owner) user. */
export async function adminSql(statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

export interface AppAsLoginRole {
  app: FastifyInstance;
  /** Closes the app, disposes the test database, then drops the login role (PostgreSQL). */
  close(): Promise<void>;
}

/**
 * Builds the app on the test database: on PostgreSQL with a fresh login role (`lcs_<label>_<hex>`)
 * as DATABASE_URL and the owner as MIGRATION_DATABASE_URL; on the embedded database as usual.
 */
export async function buildAppAsLoginRole(t: TestDatabase, label: string): Promise<AppAsLoginRole> {
  const role = t.url ? `lcs_${label}_${randomBytes(4).toString('hex')}` : null;
  let app: FastifyInstance;
  if (t.url && role) {
    await adminSql([`create role ${role} login nosuperuser nobypassrls`]);
    const appUrl = new URL(t.url);
    appUrl.username = role;
    appUrl.password = '';
    app = await buildApp({ config: testConfig({ DATABASE_URL: appUrl.toString(), MIGRATION_DATABASE_URL: t.url }), migrate: true });
  } else {
    app = await buildApp({ config: testConfig(), database: t.database, migrate: false });
  }
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await t.dispose();
      // Only now: the role holds grants in the test database until that is dropped.
      if (role) await adminSql([`drop role if exists ${role}`]).catch(() => undefined);
    },
  };
}
