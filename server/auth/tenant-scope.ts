// The second wall of tenant isolation: database work inside a scope that PostgreSQL itself enforces,
// under the row-level security policies of migrations/2026-12-01-0010-database-roles.ts (FORCE
// ROW LEVEL SECURITY on every tenant table; nothing is visible without a scope).
//
//   const org = await withTenantScope(app.db, principal, (tx) =>
//     tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst());
//
// Inside `fn`, PostgreSQL hides every row of another tenant, even from a query without a WHERE
// clause; keep the application's own checks (requireOrganisation/requireRound) as the first wall.
// The transaction switches to the role lcs_app (`set local role`) wherever the connection may, on
// PostgreSQL and on the embedded database alike, so both drivers apply the same policies. Rules
// inside a tenant scope: users.password_hash and totp_secret cannot be read, a new user is inserted
// without RETURNING (it has no role yet, so it is not visible), and sessions and login_attempts are
// not reachable (idempotency_keys are, by their round: migration 0021).
//
// withSystemScope is the documented cross-tenant scope (as lcs_app): the retention sweep and the
// work that is not done for one tenant (scheduled mail and report-job bookkeeping, demo seeding).
// withAccountScope is the system scope as the login role itself, for account work (sign-in,
// sessions, MFA, invitations). withSurveyTokenScope is the tenant scope of the organisation a survey
// token leads to, for survey answering (the token resolved first, to the organisation id only).
// Outside these a connection sees no tenant row and may write none (deny by default, migration 0019).
// See docs/security.md.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { principalScope, type Principal } from './principal.js';

export const TENANT_ROLE = 'lcs_app';

export interface ScopeSupport {
  /** The policies of 0010 exist (lcs_system()). */
  policies: boolean;
  /** The connection may switch to lcs_app. */
  roleSwitch: boolean;
}

const support = new WeakMap<Kysely<DB>, Promise<ScopeSupport>>();

/** What this database offers the scopes (checked once per Kysely instance). */
export function scopeSupport(db: Kysely<DB>): Promise<ScopeSupport> {
  let known = support.get(db);
  if (!known) {
    known = sql<{ policies: boolean; role_switch: boolean }>`
      select to_regproc('lcs_system') is not null as policies,
        exists (select 1 from pg_roles where rolname = ${TENANT_ROLE} and pg_has_role(current_user, oid, 'MEMBER')) as role_switch
    `
      .execute(db)
      .then((r) => ({ policies: r.rows[0]?.policies === true, roleSwitch: r.rows[0]?.role_switch === true }));
    // A failed probe (database briefly down) is not remembered.
    known.catch(() => support.delete(db));
    support.set(db, known);
  }
  return known;
}

/** Whether row-level security is enforced inside withTenantScope (both drivers, once migrated). */
export async function rowLevelSecurityAvailable(db: Kysely<DB>): Promise<boolean> {
  const s = await scopeSupport(db);
  return s.policies;
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

/** Which scope helper opened a transaction (for the test-only observer). */
export type ScopeKind = 'tenant' | 'system' | 'account' | 'survey';
let scopeObserver: ((kind: ScopeKind) => void) | null = null;

/**
 * Test runs only: calls observer with the kind of every scope opened from now on (null stops), so a
 * test can prove which scopes a route uses.
 */
export function observeScopesForTests(observer: ((kind: ScopeKind) => void) | null): void {
  if (process.env.NODE_ENV !== 'test' && !process.env.VITEST) throw new Error('observeScopesForTests is for test runs only');
  scopeObserver = observer;
}

async function scoped<T>(
  db: Kysely<DB>,
  scope: 'tenant' | 'system',
  s: { consultancyIds: string; organisationIds: string; userId: string },
  fn: (tx: Transaction<DB>) => Promise<T>,
  asLoginRole = false,
): Promise<T> {
  scopeObserver?.(scope === 'tenant' ? 'tenant' : asLoginRole ? 'account' : 'system');
  const { roleSwitch } = await scopeSupport(db);
  return db.transaction().execute(async (tx) => {
    // One round trip; everything is transaction-local (set_config(..., true); 'role' is `set local role`),
    // so pooled connections come back clean.
    const role = roleSwitch && !asLoginRole ? TENANT_ROLE : '';
    await sql`select set_config('lcs.scope', ${scope}, true), set_config('lcs.consultancy_ids', ${s.consultancyIds}, true), set_config('lcs.organisation_ids', ${s.organisationIds}, true), set_config('lcs.user_id', ${s.userId}, true), case when ${role} <> '' then set_config('role', ${role}, true) end`.execute(tx);
    return fn(tx);
  });
}

/**
 * Runs fn(tx) in a transaction restricted to what the principal may see. Everything fn does must go
 * through tx.
 */
export function withTenantScope<T>(db: Kysely<DB>, principal: Principal, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return scoped(db, 'tenant', tenantSettings(principal), fn);
}

/** The two hashes a survey token is looked up by (server/rounds/responses.ts computes them). */
export interface SurveyTokenHashes {
  /** sha256(token): an invitation's token_hash (personal or shared link). */
  invitationHash: string;
  /** sha256("response:" + token): a response's access_hash (personal link or respondent token). */
  accessHash: string;
}

/**
 * Runs fn(tx, organisationId) in the tenant scope of the organisation whose round a survey token
 * leads to: survey answering (the respondent API). The token is resolved first, in the statement that
 * opens the scope, by lcs_survey_token_organisation (SECURITY DEFINER, migration 0021), which returns
 * the organisation id and nothing else; the rest of the statement sets lcs.scope=tenant with only that
 * organisation (no consultancy, no user) and switches to lcs_app, so everything fn does is limited to
 * that organisation's rows by row-level security. An unknown token gives organisationId null and a
 * scope in which nothing is visible.
 */
export async function withSurveyTokenScope<T>(
  db: Kysely<DB>,
  hashes: SurveyTokenHashes,
  fn: (tx: Transaction<DB>, organisationId: string | null) => Promise<T>,
): Promise<T> {
  scopeObserver?.('survey');
  const { roleSwitch } = await scopeSupport(db);
  return db.transaction().execute(async (tx) => {
    const role = roleSwitch ? TENANT_ROLE : '';
    // The CTE is materialized, so the lookup runs (as the definer, before any setting of this
    // statement) and then the settings are made from its one row, in one round trip.
    const { rows } = await sql<{ organisation_id: string | null }>`
      with t as materialized (select lcs_survey_token_organisation(${hashes.invitationHash}::text, ${hashes.accessHash}::text) as organisation_id)
      select t.organisation_id, set_config('lcs.scope', 'tenant', true), set_config('lcs.consultancy_ids', '', true),
        set_config('lcs.organisation_ids', coalesce(t.organisation_id::text, ''), true), set_config('lcs.user_id', '', true),
        case when ${role} <> '' then set_config('role', ${role}, true) end
      from t`.execute(tx);
    return fn(tx, rows[0]?.organisation_id ?? null);
  });
}

/**
 * Runs fn(tx) across tenants (lcs.scope = 'system'), e.g. the retention sweep. Still as lcs_app where
 * the connection may switch: no password hashes or sessions. Use it only for work that is not done on
 * behalf of one tenant.
 */
export function withSystemScope<T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return scoped(db, 'system', { consultancyIds: '', organisationIds: '', userId: '' }, fn);
}

/**
 * Runs fn(tx) in the account scope: the system scope (lcs.scope = 'system') as the app's login role
 * itself, without the switch to lcs_app, so credentials and sessions are reachable. Only for the work
 * of signing in and of an account's own credentials, which is not done for one tenant and must read
 * what a tenant scope may not: the sign-in lookup by email and password hash, session and API-token
 * lookup, TOTP secrets and recovery codes, the login throttle, one-time staff invitations. Nothing that
 * reads or writes a tenant's survey data belongs here; survey answering runs in withSurveyTokenScope
 * (docs/security.md).
 */
export function withAccountScope<T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return scoped(db, 'system', { consultancyIds: '', organisationIds: '', userId: '' }, fn, true);
}

/**
 * fn in the account scope, or in the caller's scope when db is already a scoped transaction. For the
 * account functions of server/auth/* (sessions, API-token lookup, MFA, sign-in).
 */
export function accountScoped<T>(db: Kysely<DB>, fn: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : withAccountScope(db, fn);
}
