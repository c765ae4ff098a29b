// The RLS catalog (issue 12), on both drivers and in CI on PostgreSQL: every table with a tenant
// column has row-level security enabled and forced and at least one policy besides the system
// scope; pool_entries has no policy that shows every row; the tenant role lcs_app is no superuser,
// has no BYPASSRLS and owns nothing; pool_entries shows rows to the system scope only (migration 0019),
// read as aggregates through SECURITY DEFINER functions. (The app login role of the two-role set-up:
// rls-roles.test.ts; outside any scope: deny-by-default.test.ts.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenantScope } from '../../server/auth/tenant-scope.js';
import { tenantTableStatus } from '../../server/db/roles.js';
import { createTenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';

describe(`RLS catalog (${driverName})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.dispose());

  it('every tenant table: RLS enabled, forced, a system policy and a tenant policy', async () => {
    const tables = await tenantTableStatus(t.database.db);
    expect(tables.length).toBeGreaterThanOrEqual(20);
    // Tables added later are found by their tenant column too (releases in parts: migration 0022).
    expect(tables.map((x) => x.table)).toEqual(expect.arrayContaining(['result_releases', 'result_release_parts']));
    const { rows: policies } = await sql<{ tablename: string; policyname: string; roles: string[] | string; qual: string | null }>`
      select tablename, policyname, roles::text[] as roles, qual from pg_policies where schemaname = current_schema()
    `.execute(t.database.db);
    for (const table of tables) {
      expect(table, table.table).toMatchObject({ enabled: true, forced: true });
      const own = policies.filter((p) => p.tablename === table.table);
      expect(own.map((p) => p.policyname), table.table).toContain('lcs_system');
      expect(own.length, `${table.table} has a tenant policy`).toBeGreaterThan(1);
      // Policies hold for every role (TO PUBLIC), so a role switch cannot step around them.
      for (const p of own) expect(String(p.roles), `${table.table}.${p.policyname}`).toMatch(/public/);
    }
    const pool = policies.filter((p) => p.tablename === 'pool_entries');
    for (const p of pool) expect(p.qual ?? '', p.policyname).not.toMatch(/^\(?true\)?$/);
  });

  it('pool_entries: no policy lets a tenant read a row (only the system scope); the close may insert its own round', async () => {
    const { rows } = await sql<{ policyname: string; cmd: string; qual: string | null; with_check: string | null }>`
      select policyname, cmd, qual, with_check from pg_policies where schemaname = current_schema() and tablename = 'pool_entries' order by policyname
    `.execute(t.database.db);
    // Every policy that can show a row (ALL, SELECT, UPDATE, DELETE) is the system scope's.
    const reading = rows.filter((r) => r.cmd !== 'INSERT');
    expect(reading.map((r) => [r.policyname, r.qual])).toEqual([['lcs_system', 'lcs_system()']]);
    const inserting = rows.filter((r) => r.cmd === 'INSERT');
    expect(inserting.map((r) => r.policyname)).toEqual(['lcs_tenant_insert']);
    expect(inserting[0]!.with_check).toMatch(/rounds/);
    // Aggregates and the clearing of a round's contribution go through definer functions.
    const fns = await sql<{ proname: string; prosecdef: boolean }>`
      select proname, prosecdef from pg_proc where proname in ('lcs_pool_compare', 'lcs_pool_clear') order by proname
    `.execute(t.database.db);
    expect(fns.rows).toEqual([
      { proname: 'lcs_pool_clear', prosecdef: true },
      { proname: 'lcs_pool_compare', prosecdef: true },
    ]);
  });

  it('survey answering: idempotency keys are a tenant table; only the token lookup is a definer function, the writes run as the caller', async () => {
    const tables = await tenantTableStatus(t.database.db);
    expect(tables.find((x) => x.table === 'idempotency_keys')).toMatchObject({ enabled: true, forced: true });
    // Every SECURITY DEFINER function of the schema is one of these three, each checked by its own test.
    const definers = await sql<{ proname: string }>`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = current_schema() and p.prosecdef order by p.proname
    `.execute(t.database.db);
    expect(definers.rows.map((r) => r.proname)).toEqual(['lcs_pool_clear', 'lcs_pool_compare', 'lcs_survey_token_organisation']);
    const survey = await sql<{ proname: string; prosecdef: boolean }>`
      select proname, prosecdef from pg_proc where proname in ('lcs_resolve_survey_token', 'lcs_write_response', 'lcs_submit_fast') order by proname
    `.execute(t.database.db);
    expect(survey.rows).toEqual([
      { proname: 'lcs_resolve_survey_token', prosecdef: false },
      { proname: 'lcs_submit_fast', prosecdef: false },
      { proname: 'lcs_write_response', prosecdef: false },
    ]);
  });

  it('lcs_pool_clear refuses a round outside the caller\'s scope', async () => {
    const a = await createTenant(t.database.db, { label: 'clear-a' });
    const b = await createTenant(t.database.db, { label: 'clear-b' });
    const round = await t.database.db
      .insertInto('rounds')
      .values({ organisation_id: b.organisationId, name: 'Ronde b', instrument_id: 'culture-scan@1', modules: ['culture_scan'], status: 'closed', opened_at: new Date(), closed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('pool_entries')
      .values({ round_id: round.id, organisation_id: b.organisationId, is_demo: false, mechanism_id: 'self_direction', sector: 'healthcare', size_class: 'medium', score: 3, favourable: 40, respondents: 12 })
      .execute();
    const asA = { kind: 'token' as const, tokenId: 'a', consultancyId: a.consultancyId, organisationId: null };
    await expect(withTenantScope(t.database.db, asA, (tx) => sql`select lcs_pool_clear(${round.id}::uuid)`.execute(tx))).rejects.toThrow(/not visible/);
    const asB = { kind: 'token' as const, tokenId: 'b', consultancyId: b.consultancyId, organisationId: null };
    const cleared = await withTenantScope(t.database.db, asB, (tx) => sql<{ n: number }>`select lcs_pool_clear(${round.id}::uuid) as n`.execute(tx));
    expect(cleared.rows[0]!.n).toBe(1);
  });

  it('the tenant role is no superuser, has no BYPASSRLS and owns nothing', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select r.rolsuper, r.rolbypassrls, (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = 'lcs_app'
    `.execute(t.database.db);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('the embedded stand-in for the app login role (lcs_login) is no superuser, has no BYPASSRLS, owns nothing and may switch to lcs_app', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number; member: boolean }>`
      select r.rolsuper, r.rolbypassrls, (select count(*)::int from pg_class c where c.relowner = r.oid) as owned,
        pg_has_role(r.oid, 'lcs_app', 'MEMBER') as member
      from pg_roles r where r.rolname = 'lcs_login'
    `.execute(t.database.db);
    if (driverName === 'postgres') {
      // On PostgreSQL the operator creates the login role (DATABASE_URL's user): rls-roles.test.ts, deny-by-default.test.ts.
      expect(rows).toEqual([]);
      return;
    }
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0, member: true });
  });

  it('without a scope, a non-owner role sees no tenant row (deny by default)', async () => {
    await createTenant(t.database.db, { label: 'catalog' });
    const all = await t.database.db.selectFrom('organisations').select('id').execute();
    expect(all.length).toBeGreaterThan(0);
    const n = await t.database.db.transaction().execute(async (tx) => {
      // No scope at all (the app's connections start without one; deny-by-default.test.ts).
      await sql`set local role lcs_app`.execute(tx);
      return (await sql<{ n: number }>`select (select count(*) from organisations) + (select count(*) from rounds) + (select count(*) from consultancies) as n`.execute(tx)).rows[0]!.n;
    });
    expect(Number(n)).toBe(0);
  });
});
