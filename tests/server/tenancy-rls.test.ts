// Row-level security as the second wall: inside withTenantScope, PostgreSQL itself hides other
// tenants' rows, even from queries without a WHERE clause. The embedded database applies the same
// policies through the same role switch (issue 12), so every test here runs on both drivers.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/principal.js';
import { rowLevelSecurityAvailable, withTenantScope } from '../../server/auth/tenant-scope.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { addOrganisation, createApiTokenFor, createTenant, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

const consultantOf = (t: Tenant): Principal => ({
  kind: 'user', userId: t.consultant.id, email: t.consultant.email, name: t.consultant.name, sessionId: 'x', csrfToken: 'x',
  roles: [{ role: 'consultant', consultancyId: t.consultancyId, organisationId: null }],
});
const hrOf = (t: Tenant): Principal => ({
  kind: 'user', userId: t.hr.id, email: t.hr.email, name: t.hr.name, sessionId: 'x', csrfToken: 'x',
  roles: [{ role: 'hr', consultancyId: null, organisationId: t.organisationId }],
});

describe(`withTenantScope (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let a2: { id: string };
  const roundIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await setupTestApp();
    a = await createTenant(t.db, { label: 'rls-a' });
    b = await createTenant(t.db, { label: 'rls-b' });
    a2 = await addOrganisation(t.db, a.consultancyId, 'A second client');
    for (const [key, org] of [['a', a.organisationId], ['a2', a2.id], ['b', b.organisationId]] as const) {
      const round = await t.db
        .insertInto('rounds')
        .values({ organisation_id: org, name: `Round ${key}`, instrument_id: 'culture-scan@1', modules: sql`array['culture_scan']::text[]` as never })
        .returning('id')
        .executeTakeFirstOrThrow();
      roundIds[key] = round.id;
      const response = await t.db.insertInto('responses').values({ round_id: round.id, form: 'employee' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('answers').values({ response_id: response.id, item_id: 'sd1', value: 4 }).execute();
    }
    await createApiTokenFor(t.db, { organisationId: b.organisationId });
  });
  afterAll(async () => t?.close());

  it('is enforced on both drivers', async () => {
    expect(await rowLevelSecurityAvailable(t.db)).toBe(true);
  });

  it('runs fn in a transaction and returns its result; the owner connection still sees everything', async () => {
    const n = await withTenantScope(t.db, consultantOf(a), async (tx) => (await tx.selectFrom('organisations').select('id').execute()).length);
    expect(n).toBeGreaterThanOrEqual(2);
    const all = await t.db.selectFrom('organisations').select('id').execute();
    expect(all.length).toBe(3);
  });

  describe(`enforced (${driverName})`, () => {
    it('a raw select * from organisations without WHERE returns only the tenant\'s rows', async () => {
      const rows = await withTenantScope(t.db, consultantOf(a), async (tx) => (await sql<{ id: string }>`select * from organisations`.execute(tx)).rows);
      expect(rows.map((r) => r.id).sort()).toEqual([a.organisationId, a2.id].sort());
      const hrRows = await withTenantScope(t.db, hrOf(a), async (tx) => (await sql<{ id: string }>`select * from organisations`.execute(tx)).rows);
      expect(hrRows.map((r) => r.id)).toEqual([a.organisationId]);
    });

    it('hides child tables through their organisation: rounds, responses, answers, user_roles, api_tokens', async () => {
      const counts = await withTenantScope(t.db, hrOf(a), async (tx) => {
        const one = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tx)).rows[0]!.n);
        return { rounds: await one('rounds'), responses: await one('responses'), answers: await one('answers'), user_roles: await one('user_roles'), api_tokens: await one('api_tokens'), consultancies: await one('consultancies') };
      });
      expect(counts).toEqual({ rounds: 1, responses: 1, answers: 1, user_roles: 2, api_tokens: 0, consultancies: 1 });
    });

    it('cannot update or delete another tenant\'s rows, nor insert into another tenant', async () => {
      const updated = await withTenantScope(t.db, consultantOf(a), async (tx) =>
        (await tx.updateTable('organisations').set({ name: 'hacked' }).where('id', '=', b.organisationId).executeTakeFirst()).numUpdatedRows);
      expect(updated).toBe(0n);
      const deleted = await withTenantScope(t.db, consultantOf(a), async (tx) =>
        (await tx.deleteFrom('rounds').where('id', '=', roundIds.b!).executeTakeFirst()).numDeletedRows);
      expect(deleted).toBe(0n);
      await expect(
        withTenantScope(t.db, consultantOf(a), (tx) =>
          tx.insertInto('organisations').values({ consultancy_id: b.consultancyId, name: 'Planted', sector: 'other', size_class: 'small' }).execute()),
      ).rejects.toThrow(/row-level security/);
      const b2 = await t.db.selectFrom('organisations').select('name').where('id', '=', b.organisationId).executeTakeFirstOrThrow();
      expect(b2.name).toBe(b.organisationName);
    });

    it('cannot read password hashes or sessions at all', async () => {
      await expect(withTenantScope(t.db, consultantOf(a), (tx) => sql`select password_hash from users`.execute(tx))).rejects.toThrow(/permission denied/);
      await expect(withTenantScope(t.db, consultantOf(a), (tx) => sql`select * from sessions`.execute(tx))).rejects.toThrow(/permission denied/);
    });

    it('sees users only through a visible role', async () => {
      const emails = await withTenantScope(t.db, hrOf(b), async (tx) => (await tx.selectFrom('users').select('email').execute()).map((r) => r.email).sort());
      expect(emails).toEqual([b.director.email, b.hr.email].sort());
    });

    it('leaves the connection clean after the transaction (role and settings are local)', async () => {
      await withTenantScope(t.db, hrOf(a), async () => undefined);
      // The pool hands out its connections; none of them may still be lcs_app.
      const roles = await Promise.all(Array.from({ length: 5 }, () => sql<{ r: string; c: string | null }>`select current_user as r, current_setting('lcs.organisation_ids', true) as c`.execute(t.db)));
      for (const r of roles) {
        expect(r.rows[0]!.r).not.toBe('lcs_app');
        expect(r.rows[0]!.c ?? '').toBe('');
      }
    });

    it('an API token bound to one organisation sees only that organisation', async () => {
      const p: Principal = { kind: 'token', tokenId: 'x', consultancyId: null, organisationId: b.organisationId };
      const ids = await withTenantScope(t.db, p, async (tx) => (await sql<{ id: string }>`select id from organisations`.execute(tx)).rows.map((r) => r.id));
      expect(ids).toEqual([b.organisationId]);
    });
  });
});
