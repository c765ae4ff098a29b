// The two-role set-up on PostgreSQL as on a managed service (issue 12): a non-superuser owner with
// CREATEDB (no CREATEROLE) owns a database, an app login role is pre-created by the "operator", and
// the server migrates (as the owner, MIGRATION_DATABASE_URL), then serves through DATABASE_URL with
// no owner connection left open. It refuses to start, in one line, when the app role would bypass
// row-level security. The RLS catalog test runs here too, on the database the server migrated.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { openPostgres, type Database } from '../../server/db/database.js';
import { tenantTableStatus } from '../../server/db/roles.js';
import { testConfig } from '../helpers/app.js';
import { adminSql } from '../helpers/app-role.js';
import { createTenant, login, staffHeaders, TEST_PASSWORD } from '../helpers/auth.js';
import { TEST_DATABASE_URL } from '../helpers/database.js';
import { completeAnswers, createOpenRound, sharedLink } from '../helpers/rounds.js';

const suffix = randomBytes(4).toString('hex');
const OWNER = `lcs_owner_${suffix}`;
const APP = `lcs_web_${suffix}`;
const DB_NAME = `lcs_managed_${suffix}`;

function urlFor(user: string, database = DB_NAME): string {
  const u = new URL(TEST_DATABASE_URL!);
  u.username = user;
  u.password = '';
  u.pathname = `/${database}`;
  return u.toString();
}

const admin = adminSql;

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

async function start(env: Record<string, string>, logStream?: Writable): Promise<FastifyInstance> {
  const config = testConfig({ ...env, LOG_LEVEL: logStream ? 'info' : 'silent' });
  const app = await buildApp({ config, migrate: true, logger: logStream ? { level: 'info', stream: logStream } : false, mail: { startJobs: true } });
  await app.ready();
  return app;
}

describe.skipIf(!TEST_DATABASE_URL)('two database roles on managed-style PostgreSQL', () => {
  let superDb: Database;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    await admin([
      `create role ${OWNER} login createdb nosuperuser nocreaterole`,
      `create role ${APP} login nosuperuser nobypassrls`,
      `create database ${DB_NAME} owner ${OWNER}`,
      // As a managed service's owner would: public schema owned by the database owner (PG 15 default is pg_database_owner).
    ]);
    superDb = openPostgres({ connectionString: urlFor('postgres'), max: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  });

  afterAll(async () => {
    await app?.close();
    await superDb?.close();
    await admin([`drop database if exists ${DB_NAME} with (force)`, `drop owned by ${APP}`, `drop role if exists ${APP}`, `drop role if exists ${OWNER}`]).catch(() => undefined);
  });

  it('migrates as the non-superuser owner and serves through the app login role', async () => {
    app = await start({ DATABASE_URL: urlFor(APP), MIGRATION_DATABASE_URL: urlFor(OWNER) });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);

    const tenant = await createTenant(superDb.db, { label: 'managed' });
    const other = await createTenant(superDb.db, { label: 'managed-other' });
    const headers = staffHeaders(await login(app, tenant.consultant.email, TEST_PASSWORD));
    const orgs = await app.inject({ method: 'GET', url: '/api/v1/organisations', headers });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.body).toContain(tenant.organisationId);
    expect(orgs.body).not.toContain(other.organisationId);
    const theirs = await app.inject({ method: 'GET', url: `/api/v1/organisations/${other.organisationId}`, headers });
    expect(theirs.statusCode).toBe(404);
  });

  it("answers a survey in the token's tenant scope: the owner's token lookup works under forced row-level security", async () => {
    // lcs_survey_token_organisation runs as this non-superuser owner, to whom the forced policies
    // apply: it finds the token only through its own system-scope lookup.
    const tenant = await createTenant(superDb.db, { label: 'managed-survey' });
    const headers = staffHeaders(await login(app!, tenant.consultant.email, TEST_PASSWORD));
    const round = await createOpenRound(app!, headers, tenant.organisationId);
    const link = await sharedLink(app!, headers, round.id, { maxResponses: 1 });
    expect((await app!.inject({ method: 'GET', url: `/api/v1/survey/${link.token}` })).statusCode).toBe(200);
    const start = await app!.inject({ method: 'POST', url: `/api/v1/survey/${link.token}/start`, payload: {} });
    expect(start.statusCode).toBe(201);
    const token = start.json().token as string;
    const submit = () => app!.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': 'managed-1' }, payload: { answers: completeAnswers() } });
    expect((await submit()).statusCode).toBe(200);
    expect((await submit()).headers['idempotent-replayed']).toBe('true');
    expect((await app!.inject({ method: 'POST', url: `/api/v1/survey/${link.token}/start`, payload: {} })).json().code).toBe('link_full');
    expect((await app!.inject({ method: 'GET', url: `/api/v1/survey/${'z'.repeat(43)}` })).statusCode).toBe(404);
    const stored = await superDb.db.selectFrom('responses').select('status').where('round_id', '=', round.id).execute();
    expect(stored).toEqual([{ status: 'submitted' }]);
    const keys = await superDb.db.selectFrom('idempotency_keys').select('round_id').where('key', '=', 'managed-1').execute();
    expect(keys).toEqual([{ round_id: round.id }]);
  });

  it('keeps no owner connection open; requests and jobs log in as the app role', async () => {
    const { rows } = await sql<{ usename: string; n: number }>`
      select usename, count(*)::int as n from pg_stat_activity where datname = ${DB_NAME} and usename in (${OWNER}, ${APP}) group by usename
    `.execute(superDb.db);
    const by = Object.fromEntries(rows.map((r) => [r.usename, r.n]));
    expect(by[OWNER] ?? 0).toBe(0);
    expect(by[APP]).toBeGreaterThan(0);
    // The scheduled-work queue (pg-boss) started as the app role on the schema the owner set up.
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = ${DB_NAME} and application_name = 'leercultuurscan-jobs' and usename = ${APP}
    `.execute(superDb.db);
    expect(jobs.rows[0]!.n).toBeGreaterThan(0);
    const queues = await sql<{ name: string }>`select name from pgboss.queue`.execute(superDb.db);
    expect(queues.rows.map((q) => q.name)).toContain('scheduled-work');
  });

  it('catalog: every tenant table has RLS enabled and forced with a policy; the app role owns nothing and has no BYPASSRLS', async () => {
    const tables = await tenantTableStatus(superDb.db);
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['organisations', 'rounds', 'responses', 'answers', 'pool_entries', 'audit_events', 'result_releases']));
    for (const t of tables) expect(t, t.table).toMatchObject({ enabled: true, forced: true, policies: expect.any(Number) });
    for (const t of tables) expect(t.policies, t.table).toBeGreaterThan(0);
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select r.rolsuper, r.rolbypassrls, (select count(*)::int from pg_class c where c.relowner = r.oid) as owned from pg_roles r where r.rolname = ${APP}
    `.execute(superDb.db);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('the app role without a scope sees no tenant row, and cannot read pool entries of another tenant row by row', async () => {
    const c = new pg.Client({ connectionString: urlFor(APP) });
    await c.connect();
    try {
      expect((await c.query('select count(*)::int as n from organisations')).rows[0].n).toBe(0);
      expect((await c.query('select count(*)::int as n from users')).rows[0].n).toBe(0);
      await c.query(`set lcs.scope = 'tenant'`);
      expect((await c.query('select count(*)::int as n from pool_entries')).rows[0].n).toBe(0);
      await expect(c.query('alter table organisations disable row level security')).rejects.toThrow(/owner/);
    } finally {
      await c.end();
    }
  });

  it('refuses to start, in one line, when the app role is a superuser, has BYPASSRLS or is the owner', async () => {
    await app?.close();
    app = undefined;
    await expect(start({ DATABASE_URL: urlFor('postgres'), MIGRATION_DATABASE_URL: urlFor(OWNER) })).rejects.toThrow(/^Refusing to start: row-level security would not be in force: .*superuser[^\n]*$/);
    await expect(start({ DATABASE_URL: urlFor(OWNER), MIGRATION_DATABASE_URL: urlFor(OWNER) })).rejects.toThrow(/same role/);
    await admin([`alter role ${APP} bypassrls`]);
    try {
      await expect(start({ DATABASE_URL: urlFor(APP), MIGRATION_DATABASE_URL: urlFor(OWNER) })).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await admin([`alter role ${APP} nobypassrls`]);
    }
  });

  it('with DATABASE_URL alone it starts and says in one line that it runs without the second wall', async () => {
    const { stream, lines } = capture();
    const single = await start({ DATABASE_URL: urlFor(OWNER) }, stream);
    try {
      const warnings = lines.filter((l) => l.includes('without the second wall'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('MIGRATION_DATABASE_URL');
    } finally {
      await single.close();
    }
  });
});
