// Deny by default (issue 12): the app's own connections, outside withTenantScope, withSystemScope and
// withAccountScope, read no row of any tenant table and can write none. Both drivers:
// - embedded: app.db runs every statement as lcs_login (migration 0019), the opener's connection
//   (t.db, the owner) stays as it was;
// - PostgreSQL: a real two-role start: the test's owner migrates through MIGRATION_DATABASE_URL and
//   the app serves through DATABASE_URL as a fresh login role that is no superuser and has no
//   BYPASSRLS, so app.db is that role's pool.
// The wrapped paths (sign-in, the tenant API, survey answering) still work through that connection.
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredAuditEvents } from '../../server/audit/record.js';
import type { Principal } from '../../server/auth/principal.js';
import { withTenantScope } from '../../server/auth/tenant-scope.js';
import { tenantTableStatus } from '../../server/db/roles.js';
import type { DB } from '../../server/db/schema.js';
import { buildAppAsLoginRole, type AppAsLoginRole } from '../helpers/app-role.js';
import { createTenant, login, staffHeaders, TEST_PASSWORD, type Tenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';
import { completeAnswers, createOpenRound, sharedLink } from '../helpers/rounds.js';



describe(`deny by default outside a scope (${driverName})`, () => {
  let t: TestDatabase;
  let served: AppAsLoginRole | undefined;
  let app: FastifyInstance;
  let appDb: Kysely<DB>;
  let tenant: Tenant;
  let roundId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    served = await buildAppAsLoginRole(t, 'deny');
    app = served.app;
    appDb = app.db;
    const owner = t.database.db;
    tenant = await createTenant(owner, { label: 'deny' });
    const round = await owner
      .insertInto('rounds')
      .values({ organisation_id: tenant.organisationId, name: 'Ronde deny', instrument_id: 'culture-scan@1', modules: ['culture_scan'], status: 'closed', opened_at: new Date(), closed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundId = round.id;
    const response = await owner.insertInto('responses').values({ round_id: round.id, form: 'employee' }).returning('id').executeTakeFirstOrThrow();
    await owner.insertInto('answers').values({ response_id: response.id, item_id: 'sd1', value: 4 }).execute();
    await owner
      .insertInto('pool_entries')
      .values({ round_id: round.id, organisation_id: tenant.organisationId, is_demo: false, mechanism_id: 'self_direction', sector: 'healthcare', size_class: 'medium', score: 3.5, favourable: 50, respondents: 12 })
      .execute();
    await owner
      .insertInto('audit_events')
      .values({ consultancy_id: tenant.consultancyId, organisation_id: tenant.organisationId, round_id: round.id, action: 'results.view', actor_kind: 'user', actor_user_id: tenant.consultant.id, actor_label: tenant.consultant.email, ip: '127.0.0.1' })
      .execute();
  });

  afterAll(async () => {
    if (served) await served.close();
    else await t?.dispose();
  });

  it('the app connection is no superuser, has no BYPASSRLS and owns nothing', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select r.rolsuper, r.rolbypassrls, (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = current_user`.execute(appDb);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('reads zero rows of every tenant table (the owner sees them)', async () => {
    const tables = await tenantTableStatus(t.database.db);
    expect(tables.length).toBeGreaterThanOrEqual(20);
    const seen: Record<string, number> = {};
    for (const { table } of tables) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(appDb);
      seen[table] = rows[0]!.n;
    }
    expect(Object.entries(seen).filter(([, n]) => n > 0)).toEqual([]);
    for (const table of ['consultancies', 'organisations', 'users', 'user_roles', 'rounds', 'responses', 'answers', 'pool_entries', 'audit_events']) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db);
      expect(rows[0]!.n, table).toBeGreaterThan(0);
    }
  });

  it('cannot insert into tenant tables, and its updates and deletes touch nothing', async () => {
    await expect(appDb.insertInto('organisations').values({ consultancy_id: tenant.consultancyId, name: 'Ingeschoven BV', sector: 'healthcare', size_class: 'small' }).execute()).rejects.toThrow(
      /row-level security/,
    );
    await expect(
      appDb.insertInto('rounds').values({ organisation_id: tenant.organisationId, name: 'Ingeschoven', instrument_id: 'culture-scan@1', modules: ['culture_scan'] }).execute(),
    ).rejects.toThrow(/row-level security/);
    await expect(appDb.insertInto('consultancies').values({ name: 'Ingeschoven bureau' }).execute()).rejects.toThrow(/row-level security/);
    await expect(
      appDb
        .insertInto('pool_entries')
        .values({ round_id: roundId, organisation_id: tenant.organisationId, is_demo: false, mechanism_id: 'self_direction', sector: 'healthcare', size_class: 'medium', score: 5, favourable: 100, respondents: 12 })
        .execute(),
    ).rejects.toThrow(/row-level security/);
    const updated = await appDb.updateTable('organisations').set({ name: 'Overgenomen' }).where('id', '=', tenant.organisationId).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const deleted = await appDb.deleteFrom('answers').executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(0);
    const org = await t.database.db.selectFrom('organisations').select('name').where('id', '=', tenant.organisationId).executeTakeFirstOrThrow();
    expect(org.name).toBe(tenant.organisationName);
    const orgs = await t.database.db.selectFrom('organisations').select('id').where('consultancy_id', '=', tenant.consultancyId).execute();
    expect(orgs).toHaveLength(1);
  });

  it('a tenant scope reads no pool row, not even of its own round; the pool answers only as aggregates', async () => {
    const principal: Principal = { kind: 'token', tokenId: 'deny-test', consultancyId: tenant.consultancyId, organisationId: null };
    const { own, rounds, compared } = await withTenantScope(appDb, principal, async (tx) => ({
      own: (await sql<{ n: number }>`select count(*)::int as n from pool_entries`.execute(tx)).rows[0]!.n,
      rounds: (await sql<{ n: number }>`select count(*)::int as n from rounds`.execute(tx)).rows[0]!.n,
      compared: (
        await sql<{ mechanism_id: string }>`select * from lcs_pool_compare(${tenant.organisationId}::uuid, false, 'healthcare', 'medium', array['self_direction']::text[], array[3.5]::float8[], 0.25::float8)`.execute(tx)
      ).rows,
    }));
    expect(own).toBe(0);
    expect(rounds).toBe(1); // the scope itself works
    expect(compared.map((r) => r.mechanism_id)).toEqual(['self_direction']);
  });

  it('the audit retention runs through this connection in the system scope', async () => {
    const old = new Date(Date.now() - 10 * 365 * 86_400_000);
    await t.database.db
      .insertInto('audit_events')
      .values({ occurred_at: old, consultancy_id: tenant.consultancyId, organisation_id: tenant.organisationId, round_id: roundId, action: 'results.csv', actor_kind: 'user', actor_user_id: tenant.consultant.id, actor_label: tenant.consultant.email, ip: '127.0.0.1' })
      .execute();
    expect(await deleteExpiredAuditEvents(appDb)).toBe(1);
    const left = await t.database.db.selectFrom('audit_events').select('action').where('consultancy_id', '=', tenant.consultancyId).execute();
    expect(left.map((r) => r.action)).toEqual(['results.view']);
  });

  it('the wrapped paths work through this connection: sign-in, the tenant API and answering a survey', async () => {
    const session = await login(app, tenant.consultant.email, TEST_PASSWORD);
    const headers = staffHeaders(session);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().roles.map((r: { role: string }) => r.role)).toEqual(['consultant']);
    const orgs = await app.inject({ method: 'GET', url: '/api/v1/organisations', headers });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.body).toContain(tenant.organisationId);

    const round = await createOpenRound(app, headers, tenant.organisationId);
    const link = await sharedLink(app, headers, round.id);
    const questionnaire = await app.inject({ method: 'GET', url: `/api/v1/survey/${link.token}` });
    expect(questionnaire.statusCode).toBe(200);
    const start = await app.inject({ method: 'POST', url: `/api/v1/survey/${link.token}/start`, payload: {} });
    expect(start.statusCode).toBe(201);
    const respondent = start.json().token as string;
    const submit = await app.inject({
      method: 'POST',
      url: `/api/v1/survey/${respondent}/submit`,
      headers: { 'idempotency-key': 'deny-1' },
      payload: { answers: completeAnswers() },
    });
    expect(submit.statusCode).toBe(200);
    const stored = await t.database.db.selectFrom('responses').select('status').where('round_id', '=', round.id).execute();
    expect(stored).toEqual([{ status: 'submitted' }]);
    const uses = await t.database.db.selectFrom('invitations').select('uses').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(uses.uses).toBe(1);
  });
});
