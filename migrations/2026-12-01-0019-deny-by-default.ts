// Deny by default, everywhere (issue 12, second half):
// - pool_entries: a tenant no longer reads rows, not even its own rounds'. A tenant scope may insert
//   its own rounds' contribution (the close); the pool is read only as aggregates through
//   lcs_pool_compare() and a round's old contribution is cleared through lcs_pool_clear() (both
//   SECURITY DEFINER), so no tenant policy needs to show a row.
// - The embedded database gets `lcs_login`, the stand-in for the DATABASE_URL login role of the
//   two-role set-up (NOLOGIN; PGlite has one session, and the app's connection switches to it with
//   `set local role`, see server/db/database.ts). Like the login role it may read credentials and
//   sessions, is no superuser, has no BYPASSRLS, owns nothing, and is a member of lcs_app.
import { sql, type Kysely } from 'kysely';

const ROUND_VISIBLE = `exists (select 1 from rounds r where r.id = pool_entries.round_id)`;

export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ pglite: boolean }>`select version() ilike '%pglite%' or version() ilike '%emscripten%' as pglite`.execute(db);
  await sql.raw(`drop policy if exists lcs_tenant on pool_entries`).execute(db);
  await sql.raw(`drop policy if exists lcs_tenant_insert on pool_entries`).execute(db);
  await sql.raw(`create policy lcs_tenant_insert on pool_entries for insert with check (${ROUND_VISIBLE})`).execute(db);
  await sql
    .raw(
      `create or replace function lcs_pool_clear(p_round uuid) returns int
       language plpgsql volatile security definer set search_path = public, pg_temp as $$
       declare
         v_scope text := coalesce(current_setting('lcs.scope', true), '');
         n int;
       begin
         -- The caller's own scope decides (checked explicitly: the definer may bypass policies). A
         -- caller that bypasses row-level security itself (a superuser or BYPASSRLS role, e.g. the
         -- owner's maintenance) may clear any round; the caller is the SET ROLE role when one is set.
         if not (select r.rolsuper or r.rolbypassrls from pg_roles r
                 where r.rolname = case when current_setting('role') = 'none' then session_user else current_setting('role') end)
           and not exists (select 1 from rounds r join organisations o on o.id = r.organisation_id where r.id = p_round
             and (v_scope = 'system' or (v_scope = 'tenant' and (o.consultancy_id = any(lcs_setting_uuids('lcs.consultancy_ids'))
                                                                or o.id = any(lcs_setting_uuids('lcs.organisation_ids')))))) then
           raise exception 'round not visible' using errcode = '42501';
         end if;
         perform set_config('lcs.scope', 'system', true);
         delete from pool_entries where round_id = p_round;
         get diagnostics n = row_count;
         perform set_config('lcs.scope', v_scope, true);
         return n;
       end $$`,
    )
    .execute(db);
  if (rows[0]?.pglite) {
    await sql
      .raw(`do $$ begin if not exists (select 1 from pg_roles where rolname = 'lcs_login') then create role lcs_login nologin nosuperuser nobypassrls; end if; end $$`)
      .execute(db);
    await sql.raw(`grant lcs_app to lcs_login`).execute(db);
    await sql`select lcs_grant_app_role('lcs_login')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop function if exists lcs_pool_clear(uuid)`).execute(db);
  await sql.raw(`drop policy if exists lcs_tenant_insert on pool_entries`).execute(db);
  await sql.raw(`create policy lcs_tenant on pool_entries using (${ROUND_VISIBLE})`).execute(db);
}
