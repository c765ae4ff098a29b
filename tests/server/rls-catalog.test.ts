// The RLS catalog (issue 12), on both drivers and in CI on PostgreSQL: every table with a tenant
// column has row-level security enabled and forced and at least one policy besides the system
// scope; pool_entries has no policy that shows every row; the tenant role lcs_app is no superuser,
// has no BYPASSRLS and owns nothing. (The app login role of the two-role set-up: rls-roles.test.ts.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('the tenant role is no superuser, has no BYPASSRLS and owns nothing', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select r.rolsuper, r.rolbypassrls, (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = 'lcs_app'
    `.execute(t.database.db);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('without a scope, a non-owner role sees no tenant row (deny by default)', async () => {
    await createTenant(t.database.db, { label: 'catalog' });
    const all = await t.database.db.selectFrom('organisations').select('id').execute();
    expect(all.length).toBeGreaterThan(0);
    const n = await t.database.db.transaction().execute(async (tx) => {
      // No scope at all (the pool's connections default to the system scope: clear it).
      await sql`select set_config('lcs.scope', '', true)`.execute(tx);
      await sql`set local role lcs_app`.execute(tx);
      return (await sql<{ n: number }>`select (select count(*) from organisations) + (select count(*) from rounds) + (select count(*) from consultancies) as n`.execute(tx)).rows[0]!.n;
    });
    expect(Number(n)).toBe(0);
  });
});
