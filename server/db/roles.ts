// The two database roles (issue 12; docs/security.md):
// - MIGRATION_DATABASE_URL: the owner. Migrations, lcs_harden/lcs_grant_app_role and pg-boss's
//   schema set-up run on a short-lived owner connection at start-up, closed before the server serves.
// - DATABASE_URL: the app login role (owns nothing, not superuser, no BYPASSRLS). Every request and
//   job connection logs in as this role.
// With DATABASE_URL alone (development), everything runs on one role and the server says so in one
// line at start-up. In the two-role set-up the server refuses to start when row-level security would
// not be in force.
import { sql, type Kysely } from 'kysely';
import { TENANT_COLUMNS } from '../../migrations/2026-12-01-0010-database-roles.js';
import type { DB } from './schema.js';

/** The role DATABASE_URL logs in as (its user name; libpq's default is the OS user). */
export function loginRoleOf(url: string): string {
  const u = new URL(url);
  return decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres';
}

/** The refusal, one line. */
export class RowLevelSecurityNotInForceError extends Error {
  constructor(reason: string) {
    super(`Refusing to start: row-level security would not be in force: ${reason} (see docs/security.md)`);
    this.name = 'RowLevelSecurityNotInForceError';
  }
}

/** Tenant tables (a tenant column, or consultancies/users) and whether RLS is enabled, forced and has policies. */
export async function tenantTableStatus(db: Kysely<any>): Promise<{ table: string; enabled: boolean; forced: boolean; policies: number }[]> {
  const { rows } = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }>`
    select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
      (select count(*)::int from pg_policies p where p.schemaname = n.nspname and p.tablename = c.relname) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p')
      and (c.relname in ('consultancies', 'users') or exists (
        select 1 from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attname = any(${TENANT_COLUMNS}::text[])))
    order by 1
  `.execute(db);
  return rows;
}

/** What is wrong with the app role for the second wall; empty when row-level security is in force. */
export async function appRoleProblems(db: Kysely<any>, appRole: string): Promise<string[]> {
  const { rows } = await sql<{ exists: boolean; superuser: boolean; bypass: boolean; owns: string | null; is_owner: boolean }>`
    select r.oid is not null as exists, coalesce(r.rolsuper, false) as superuser, coalesce(r.rolbypassrls, false) as bypass,
      (select string_agg(c.relname, ', ' order by c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relowner = r.oid and n.nspname = current_schema() and c.relkind in ('r', 'p')) as owns,
      ${appRole} = current_user as is_owner
    from (select 1) x left join pg_roles r on r.rolname = ${appRole}
  `.execute(db);
  const r = rows[0]!;
  const problems: string[] = [];
  if (!r.exists) problems.push(`the DATABASE_URL role "${appRole}" does not exist`);
  if (r.is_owner) problems.push(`DATABASE_URL and MIGRATION_DATABASE_URL log in as the same role "${appRole}"`);
  if (r.superuser) problems.push(`the DATABASE_URL role "${appRole}" is a superuser`);
  if (r.bypass) problems.push(`the DATABASE_URL role "${appRole}" has BYPASSRLS`);
  if (r.owns) problems.push(`the DATABASE_URL role "${appRole}" owns tables (${r.owns})`);
  const tables = await tenantTableStatus(db);
  const off = tables.filter((t) => !t.enabled || !t.forced || t.policies === 0).map((t) => t.table);
  if (tables.length === 0 || off.length > 0) problems.push(`tables without forced row-level security: ${off.join(', ') || 'none found'}`);
  return problems;
}

/** Throws the one-line refusal when the app role would bypass the policies. */
export async function assertSecondWall(db: Kysely<any>, appRole: string): Promise<void> {
  const problems = await appRoleProblems(db, appRole);
  if (problems.length > 0) throw new RowLevelSecurityNotInForceError(problems.join('; '));
}

/** One line for a single-role start (development): what it runs without. */
export async function singleRoleWarning(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ role: string; superuser: boolean; bypass: boolean }>`
    select current_user as role, rolsuper as superuser, rolbypassrls as bypass from pg_roles where rolname = current_user
  `.execute(db);
  const r = rows[0];
  const why = r?.superuser ? 'a superuser' : r?.bypass ? 'a BYPASSRLS role' : 'the owner of the tables';
  return `running without the second wall: MIGRATION_DATABASE_URL is not set, so requests and jobs connect as ${why} ("${r?.role ?? '?'}") and row-level security holds only inside tenant scopes (development only; see docs/security.md)`;
}

/** pg-boss's schema set-up and queues, as the owner (the app role then only uses them). */
export async function prepareJobSchema(ownerUrl: string, queues: { name: string; options?: Record<string, unknown> }[]): Promise<void> {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: ownerUrl, max: 1, schema: 'pgboss', supervise: false, schedule: false, application_name: 'leercultuurscan-migrate' });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    for (const q of queues) await boss.createQueue(q.name, q.options as never);
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
}
