// Runs the frozen migrations in migrations/. Kysely's Migrator takes a lock, so two processes
// migrating at once apply each migration exactly once. Migrations run as the owner (see
// server/db/roles.ts); the app login role's name reaches them in the session setting lcs.app_role.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';
import { migrations } from '../../migrations/index.js';

const LEGACY_RLS = '2026-11-21-0003-row-level-security';

/**
 * True when every known migration is recorded as applied. A cheap query that lets a normal start
 * skip the Migrator, whose catalog introspection costs ~0.5 s on the embedded database.
 */
async function allApplied(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return Object.keys(migrations).every((name) => applied.has(name));
  } catch {
    return false; // no migration table yet
  }
}

/**
 * 0003 (frozen) grants the tenant role to the migrating user, which a non-superuser owner on managed
 * PostgreSQL may not do ("must have admin option on role lcs_app"). Where that grant would fail, only
 * what later migrations rely on (the settings function) is created; 2026-12-01-0010 then sets up
 * row-level security without any role grant to the owner.
 */
const legacyRls: Migration = {
  async up(db) {
    const { rows } = await sql<{ blocked: boolean }>`
      select not (version() ilike '%pglite%' or version() ilike '%emscripten%')
        and exists (select 1 from pg_roles where rolname = 'lcs_app')
        and not (select rolsuper from pg_roles where rolname = current_user)
        and not pg_has_role(current_user, 'lcs_app', 'MEMBER')
        and not exists (select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid
                        where r.rolname = 'lcs_app' and m.member = (select oid from pg_roles where rolname = current_user) and m.admin_option)
        and not (select rolcreaterole from pg_roles where rolname = current_user) as blocked
    `.execute(db);
    if (!rows[0]?.blocked) return migrations[LEGACY_RLS]!.up(db);
    await sql
      .raw(
        `create or replace function lcs_setting_uuids(setting text) returns uuid[] language sql stable as $$
          select coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::uuid[], '{}'::uuid[])
        $$`,
      )
      .execute(db);
  },
  down: migrations[LEGACY_RLS]!.down,
};

export interface MigrateOptions {
  /** The app login role (DATABASE_URL's user) that the migrations grant what it needs. */
  appRole?: string | undefined;
}

export async function migrateToLatest(db: Kysely<any>, opts: MigrateOptions = {}): Promise<string[]> {
  if (await allApplied(db)) return [];
  // One connection, so the session setting the migrations read holds for all of them.
  return db.connection().execute(async (conn) => {
    await sql`select set_config('lcs.app_role', ${opts.appRole ?? ''}, false)`.execute(conn);
    try {
      const migrator = new Migrator({
        db: conn,
        // Migrations run in name order; a branch's number may land after a later one was applied.
        allowUnorderedMigrations: true,
        provider: { getMigrations: async () => ({ ...migrations, [LEGACY_RLS]: legacyRls }) },
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r: MigrationResult) => r.status === 'Error');
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
      }
      await hardenAndGrant(conn, opts.appRole);
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`select set_config('lcs.app_role', '', false)`.execute(conn).catch(() => undefined);
    }
  });
}

/**
 * After migrating (and at every start of the two-role set-up): forced row-level security on every
 * tenant table, including tables of migrations that ran after 0010 (lcs_harden), and the app login
 * role's grants (lcs_grant_app_role). Both are idempotent and run as the owner.
 */
export async function hardenAndGrant(db: Kysely<any>, appRole?: string): Promise<void> {
  const { rows } = await sql<{ ok: boolean }>`select to_regproc('lcs_harden') is not null as ok`.execute(db);
  if (!rows[0]?.ok) return;
  await sql`select lcs_harden()`.execute(db);
  if (appRole) await sql`select lcs_grant_app_role(${appRole}) where ${appRole} <> current_user`.execute(db);
}
