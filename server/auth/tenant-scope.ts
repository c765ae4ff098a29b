// The second wall of tenant isolation: runs database work as the non-owner role `lcs_app`, under the
// row-level security policies of migrations/2026-11-21-0003-row-level-security.ts.
//
//   const org = await withTenantScope(app.db, principal, (tx) =>
//     tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst());
//
// Inside `fn`, PostgreSQL itself hides every row of another tenant, even from a query without a WHERE
// clause; keep the application's own checks (requireOrganisation/requireRound) as the first wall.
// Rules inside a scoped transaction: users.password_hash cannot be read, a new user is inserted
// without RETURNING (it has no role yet, so it is not visible), and sessions, login_attempts and
// idempotency_keys are not reachable. A table added later is unreachable (permission denied) until
// its migration grants it to lcs_app with a policy, which makes a forgotten policy loud.
// On PGlite, or a PostgreSQL where the role could not be created, fn simply runs in a transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { principalScope, type Principal } from './principal.js';

export const TENANT_ROLE = 'lcs_app';

const available = new WeakMap<Kysely<DB>, Promise<boolean>>();

/** Whether this database enforces row-level security for lcs_app (checked once per Kysely instance). */
export function rowLevelSecurityAvailable(db: Kysely<DB>): Promise<boolean> {
  let known = available.get(db);
  if (!known) {
    known = sql<{ ok: boolean }>`
      select not (version() ilike '%pglite%' or version() ilike '%emscripten%')
        and exists (select 1 from pg_roles where rolname = ${TENANT_ROLE} and pg_has_role(current_user, oid, 'MEMBER'))
        and exists (select 1 from pg_proc where proname = 'lcs_setting_uuids') as ok
    `
      .execute(db)
      .then((r) => r.rows[0]?.ok === true);
    // A failed probe (database briefly down) is not remembered.
    known.catch(() => available.delete(db));
    available.set(db, known);
  }
  return known;
}

/** The settings the policies read, for a principal. */
export function tenantSettings(p: Principal): { consultancyIds: string; organisationIds: string; userId: string } {
  const scope = principalScope(p);
  return {
    consultancyIds: scope.consultancyIds.join(','),
    organisationIds: scope.organisationIds.join(','),
    userId: p.kind === 'user' ? p.userId : '',
  };
}

/**
 * Runs fn(tx) in a transaction restricted to what the principal may see. Everything fn does must go
 * through tx; the role and settings end with the transaction, so pooled connections come back clean.
 */
export async function withTenantScope<T>(
  db: Kysely<DB>,
  principal: Principal,
  fn: (tx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  const enforce = await rowLevelSecurityAvailable(db);
  return db.transaction().execute(async (tx) => {
    if (enforce) {
      const s = tenantSettings(principal);
      // One round trip; set_config('role', ..., true) is `set local role`.
      await sql`select set_config('lcs.consultancy_ids', ${s.consultancyIds}, true), set_config('lcs.organisation_ids', ${s.organisationIds}, true), set_config('lcs.user_id', ${s.userId}, true), set_config('role', ${TENANT_ROLE}, true)`.execute(tx);
    }
    return fn(tx);
  });
}
