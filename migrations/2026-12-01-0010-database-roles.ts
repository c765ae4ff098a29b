// The database as a real second wall (issue 12): FORCE ROW LEVEL SECURITY on every tenant table,
// policies that deny by default, and an app login role that owns nothing.
//
// Roles (see docs/security.md):
// - the owner (MIGRATION_DATABASE_URL) runs the migrations and owns every table; with FORCE ROW LEVEL
//   SECURITY it is subject to the policies too (a superuser still bypasses them).
// - the app login role (DATABASE_URL; its name is handed to the migration in the session setting
//   `lcs.app_role` by server/db/migrate.ts) gets DML on the tables, never ownership. It is created by
//   the operator (or the test), never by this migration: on managed PostgreSQL the owner cannot
//   create roles nor grant role membership, and needs neither here.
// - `lcs_app` (NOLOGIN, from 0003 where it could be created; created here on the embedded database)
//   is the restricted role a tenant scope switches to with `set local role` when the connection's
//   role is a member: no password hashes, no sessions. Membership is granted here only when the owner
//   is allowed to (superuser or admin of lcs_app).
//
// Policies are TO PUBLIC, so they hold for whichever role runs (app login role, lcs_app, owner), and
// read three transaction-local settings:
//   lcs.scope              'tenant' (withTenantScope) or 'system' (withSystemScope: retention sweep,
//                          sign-in, survey answering, jobs). Unset: no policy matches, nothing visible.
//   lcs.consultancy_ids / lcs.organisation_ids / lcs.user_id   as in 0003.
// pool_entries: a tenant sees its own rounds' rows only; the platform pool of other tenants is read
// as aggregates through lcs_pool_compare() (SECURITY DEFINER), never row by row.
import { sql, type Kysely } from 'kysely';

const TENANT_ROLE = 'lcs_app';
const SYS = 'lcs_system()';
const C_IDS = `lcs_setting_uuids('lcs.consultancy_ids')`;
const O_IDS = `lcs_setting_uuids('lcs.organisation_ids')`;
const USER_ID = `nullif(current_setting('lcs.user_id', true), '')::uuid`;
const ORG_VISIBLE = (col: string) => `exists (select 1 from organisations o where o.id = ${col})`;
const ROUND_VISIBLE = (col: string) => `exists (select 1 from rounds r where r.id = ${col})`;
const RESPONSE_VISIBLE = (col: string) => `exists (select 1 from responses r where r.id = ${col})`;
/** Columns that make a table a tenant table (the RLS catalog test uses the same list). */
export const TENANT_COLUMNS = ['consultancy_id', 'organisation_id', 'round_id', 'response_id', 'set_id', 'batch_id'];
const IN_TENANT = `current_setting('lcs.scope', true) = 'tenant'`;

/** Every tenant table and its policies (besides lcs_system, which every table gets). */
export const TENANT_POLICIES: Record<string, string[]> = {
  consultancies: [
    `create policy lcs_own on consultancies using (id = any(${C_IDS}))`,
    `create policy lcs_client_read on consultancies for select using (exists (select 1 from organisations o where o.consultancy_id = consultancies.id))`,
  ],
  organisations: [`create policy lcs_tenant on organisations using (consultancy_id = any(${C_IDS}) or id = any(${O_IDS}))`],
  users: [
    `create policy lcs_known on users using (id = ${USER_ID} or exists (select 1 from user_roles ur where ur.user_id = users.id))`,
    // A new user has no role yet; inside a tenant scope it is inserted without RETURNING.
    `create policy lcs_create on users for insert with check (${IN_TENANT})`,
  ],
  user_roles: [`create policy lcs_tenant on user_roles using (consultancy_id = any(${C_IDS}) or ${ORG_VISIBLE('user_roles.organisation_id')})`],
  api_tokens: [`create policy lcs_tenant on api_tokens using (consultancy_id = any(${C_IDS}) or ${ORG_VISIBLE('api_tokens.organisation_id')})`],
  benchmark_sets: [
    `create policy lcs_own on benchmark_sets using (consultancy_id = any(${C_IDS}))`,
    `create policy lcs_client_read on benchmark_sets for select using (exists (select 1 from organisations o where o.consultancy_id = benchmark_sets.consultancy_id))`,
  ],
  benchmark_values: [
    `create policy lcs_own on benchmark_values using (exists (select 1 from benchmark_sets s where s.id = benchmark_values.set_id and s.consultancy_id = any(${C_IDS})))`,
    `create policy lcs_client_read on benchmark_values for select using (exists (select 1 from benchmark_sets s where s.id = benchmark_values.set_id))`,
  ],
  rounds: [`create policy lcs_tenant on rounds using (${ORG_VISIBLE('rounds.organisation_id')})`],
  ...Object.fromEntries(
    ['invitations', 'responses', 'checklist_answers', 'placements', 'round_snapshots', 'report_jobs', 'result_releases', 'mail_batches', 'mail_messages', 'pool_entries'].map(
      (t) => [t, [`create policy lcs_tenant on ${t} using (${ROUND_VISIBLE(`${t}.round_id`)})`]],
    ),
  ),
  ...Object.fromEntries(['answers', 'factor_answers'].map((t) => [t, [`create policy lcs_tenant on ${t} using (${RESPONSE_VISIBLE(`${t}.response_id`)})`]])),
  report_batches: [`create policy lcs_tenant on report_batches using (consultancy_id = any(${C_IDS}) or requested_by = ${USER_ID})`],
  audit_events: [`create policy lcs_tenant on audit_events using (consultancy_id = any(${C_IDS}) or organisation_id = any(${O_IDS}))`],
};

/**
 * Every table with a tenant column (or consultancies/users): RLS enabled and forced, the lcs_system
 * policy, earlier policies TO lcs_app turned into policies TO PUBLIC, a default tenant policy where a
 * table has none (by its round_id, response_id, organisation_id or consultancy_id), DML for lcs_app.
 * Idempotent; run after every migration run.
 */
const HARDEN = `create or replace function lcs_harden() returns void language plpgsql as $$
  declare
    t text;
    p text;
    tenant_role boolean := exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}');
  begin
    for t in
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p')
        and (c.relname in ('consultancies', 'users') or exists (
          select 1 from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            and a.attname in (${TENANT_COLUMNS.map((c) => `'${c}'`).join(', ')})))
    loop
      execute format('alter table %I enable row level security', t);
      execute format('alter table %I force row level security', t);
      for p in select policyname from pg_policies where schemaname = current_schema() and tablename = t and roles = array['${TENANT_ROLE}']::name[] loop
        execute format('alter policy %I on %I to public', p, t);
      end loop;
      if t = 'pool_entries' then drop policy if exists lcs_pool_read on pool_entries; end if;
      if not exists (select 1 from pg_policies where schemaname = current_schema() and tablename = t and policyname = 'lcs_system') then
        execute format('create policy lcs_system on %I using (${SYS}) with check (${SYS})', t);
      end if;
      if not exists (select 1 from pg_policies where schemaname = current_schema() and tablename = t and policyname <> 'lcs_system') then
        if exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = t and column_name = 'round_id') then
          execute format('create policy lcs_tenant on %I using (exists (select 1 from rounds r where r.id = %I.round_id))', t, t);
        elsif exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = t and column_name = 'response_id') then
          execute format('create policy lcs_tenant on %I using (exists (select 1 from responses r where r.id = %I.response_id))', t, t);
        elsif exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = t and column_name = 'organisation_id') then
          execute format('create policy lcs_tenant on %I using (exists (select 1 from organisations o where o.id = %I.organisation_id))', t, t);
        elsif exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = t and column_name = 'consultancy_id') then
          execute format('create policy lcs_tenant on %I using (consultancy_id = any(${C_IDS.replace(/'/g, "''")}))', t);
        end if;
      end if;
      if tenant_role and t <> 'users' then
        execute format('grant select, insert, update, delete on %I to ${TENANT_ROLE}', t);
      end if;
    end loop;
  end $$`;

/** The migrator's own tables: the app login role may only read them. */
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

async function one<T>(db: Kysely<any>, q: string): Promise<T> {
  return (await sql.raw<T>(q).execute(db)).rows[0]!;
}

export async function up(db: Kysely<any>): Promise<void> {
  const env = await one<{ pglite: boolean; superuser: boolean; app_role: string | null; owner: string }>(
    db,
    `select version() ilike '%pglite%' or version() ilike '%emscripten%' as pglite,
            (select rolsuper from pg_roles where rolname = current_user) as superuser,
            nullif(current_setting('lcs.app_role', true), '') as app_role,
            current_user as owner`,
  );
  // The embedded database runs as one superuser, who may create the tenant role (cluster of one).
  if (env.pglite) {
    await sql.raw(`do $$ begin if not exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}') then create role ${TENANT_ROLE} nologin; end if; end $$`).execute(db);
  }
  const tenantRole = (await one<{ ok: boolean }>(db, `select exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}') as ok`)).ok;

  await sql
    .raw(
      `create or replace function lcs_setting_uuids(setting text) returns uuid[] language sql stable as $$
        select coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::uuid[], '{}'::uuid[])
      $$`,
    )
    .execute(db);
  await sql.raw(`create or replace function lcs_system() returns boolean language sql stable as $$ select coalesce(current_setting('lcs.scope', true), '') = 'system' $$`).execute(db);

  // Replace every earlier lcs_* policy (0003, 0008, 0009: TO lcs_app, pool_entries readable by all).
  // A table a later migration creates (0011 and on: migrations run in name order) is covered by
  // lcs_harden(), which server/db/migrate.ts runs at the end of every migration run.
  for (const [table, policies] of Object.entries(TENANT_POLICIES)) {
    if (!(await one<{ ok: boolean }>(db, `select to_regclass('${table}') is not null as ok`)).ok) continue;
    const { rows } = await sql<{ policyname: string }>`select policyname from pg_policies where schemaname = current_schema() and tablename = ${table}`.execute(db);
    for (const p of rows) await sql.raw(`drop policy ${JSON.stringify(p.policyname)} on ${table}`).execute(db);
    for (const p of policies) await sql.raw(p).execute(db);
  }
  await sql.raw(HARDEN).execute(db);
  await sql.raw(`select lcs_harden()`).execute(db);
  if (tenantRole) {
    await sql.raw(`grant usage on schema public to ${TENANT_ROLE}`).execute(db);
    // 0003's column rule: a tenant scope never reads password hashes nor TOTP secrets.
    await sql.raw(`revoke select on users from ${TENANT_ROLE}`).execute(db);
    await sql.raw(`grant select (id, email, name, is_demo, created_at, disabled_at) on users to ${TENANT_ROLE}`).execute(db);
    await sql.raw(`grant insert on users to ${TENANT_ROLE}`).execute(db);
    await sql.raw(`revoke update on users from ${TENANT_ROLE}`).execute(db);
    await sql.raw(`grant update (name, email, password_hash, disabled_at) on users to ${TENANT_ROLE}`).execute(db);
  }

  // TOTP secrets are sealed at rest (server/auth/totp-secret.ts); bare base32 from before still reads.
  await sql.raw(`alter table users drop constraint if exists users_totp_secret_check`).execute(db);
  await sql
    .raw(`alter table users add constraint users_totp_secret_format check (totp_secret is null or totp_secret ~ '^[A-Z2-7]{16,128}$' or totp_secret ~ '^enc:v1:[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][A-Za-z0-9_-]+$')`)
    .execute(db);

  // The benchmark pool of other tenants, as aggregates only. Runs as the owner in the system scope,
  // after checking that the organisation asked about is visible to the caller's own scope.
  await sql
    .raw(
      `create or replace function lcs_pool_compare(p_org uuid, p_is_demo boolean, p_sector text, p_size_class text, p_mechanisms text[], p_scores float8[])
       returns table (mechanism_id text, n_all int, below_all int, eq_all int, n_sector int, below_sector int, eq_sector int, n_size int, below_size int, eq_size int, mean_all float8)
       language plpgsql stable security definer set search_path = public, pg_temp as $$
       #variable_conflict use_column
       declare
         v_consultancy uuid;
         v_scope text := coalesce(current_setting('lcs.scope', true), '');
       begin
         select o.consultancy_id into v_consultancy from organisations o where o.id = p_org
           and (v_scope = 'system' or o.consultancy_id = any(${C_IDS}) or o.id = any(${O_IDS}));
         if v_consultancy is null and not (select rolbypassrls or rolsuper from pg_roles where rolname = session_user) then
           raise exception 'organisation not visible' using errcode = '42501';
         end if;
         perform set_config('lcs.scope', 'system', true);
         return query
           with latest as (
             select distinct on (pe.organisation_id, pe.mechanism_id) pe.mechanism_id, pe.score, pe.sector, pe.size_class
             from pool_entries pe
             where pe.organisation_id <> p_org and pe.is_demo = p_is_demo
               and not exists (select 1 from organisations po where po.id = pe.organisation_id
                               and po.consultancy_id = (select o.consultancy_id from organisations o where o.id = p_org))
             order by pe.organisation_id, pe.mechanism_id, pe.contributed_at desc
           ),
           own as (select * from unnest(p_mechanisms, p_scores) as o(mechanism_id, score))
           select o.mechanism_id,
             count(l.score)::int, count(*) filter (where l.score < o.score)::int, count(*) filter (where l.score = o.score)::int,
             count(*) filter (where l.sector = p_sector)::int, count(*) filter (where l.sector = p_sector and l.score < o.score)::int,
             count(*) filter (where l.sector = p_sector and l.score = o.score)::int,
             count(*) filter (where l.size_class = p_size_class)::int, count(*) filter (where l.size_class = p_size_class and l.score < o.score)::int,
             count(*) filter (where l.size_class = p_size_class and l.score = o.score)::int,
             avg(l.score)::float8
           from own o left join latest l on l.mechanism_id = o.mechanism_id
           group by o.mechanism_id;
         perform set_config('lcs.scope', v_scope, true);
       end $$`,
    )
    .execute(db);

  await sql.raw(`create or replace function lcs_grant_app_role(p_role text) returns void language plpgsql as $$
    begin
      execute format('grant usage on schema %I to %I', current_schema(), p_role);
      execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), p_role);
      execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), p_role);
      execute format('grant execute on all functions in schema %I to %I', current_schema(), p_role);
      -- The migrator's tables: readable (a start checks that nothing is pending), never writable.
      execute format('revoke insert, update, delete, truncate on ${MIGRATOR_TABLES.join(', ')} from %I', p_role);
      -- Tables later migrations create are granted too (the catalog test checks their policies).
      execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to %I', current_schema(), p_role);
      execute format('alter default privileges in schema %I grant usage, select on sequences to %I', current_schema(), p_role);
      if exists (select 1 from pg_namespace where nspname = 'pgboss') then
        execute format('grant usage on schema pgboss to %I', p_role);
        execute format('grant select, insert, update, delete on all tables in schema pgboss to %I', p_role);
        execute format('grant usage, select on all sequences in schema pgboss to %I', p_role);
        execute format('grant execute on all functions in schema pgboss to %I', p_role);
      end if;
      -- The tenant scope switches to lcs_app; grant the membership where the owner may.
      if exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}') and not pg_has_role(p_role, '${TENANT_ROLE}', 'MEMBER') then
        begin
          execute format('grant ${TENANT_ROLE} to %I', p_role);
        exception when insufficient_privilege then
          raise notice 'cannot grant ${TENANT_ROLE} to %: tenant scopes run as % (row-level security applies either way)', p_role, p_role;
        end;
      end if;
    end $$`).execute(db);
  if (env.app_role && env.app_role !== env.owner) await sql`select lcs_grant_app_role(${env.app_role})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`alter table users drop constraint if exists users_totp_secret_format`).execute(db);
  for (const table of Object.keys(TENANT_POLICIES)) await sql.raw(`alter table ${table} no force row level security`).execute(db);
  await sql.raw(`drop function if exists lcs_pool_compare(uuid, boolean, text, text, text[], float8[])`).execute(db);
  await sql.raw(`drop function if exists lcs_grant_app_role(text)`).execute(db);
}
