// Row-level security on PostgreSQL as a second wall behind the application's own scoping.
//
// Design: a NOLOGIN role `lcs_app` that owns nothing. The app keeps connecting as the table owner
// (migrations, survey answering, demo seeding and system jobs are unaffected: the owner bypasses RLS).
// Staff request paths that adopt `withTenantScope` (server/auth/tenant-scope.ts) run in a transaction
// that does `set local role lcs_app` and sets three transaction-local settings:
//   lcs.consultancy_ids   comma-separated uuids of the consultancies the caller acts for (consultants)
//   lcs.organisation_ids  comma-separated uuids of the organisations the caller belongs to (HR, directors)
//   lcs.user_id           the signed-in user (empty for API tokens)
// Policies on organisations decide what is visible; every other tenant table reaches its organisation
// through an EXISTS on its parent (rounds -> organisations, responses -> rounds, answers -> responses),
// and those subqueries are filtered by the parent's own policy, so the scope is defined in one place.
// The platform benchmark pool (pool_entries) is readable across tenants by design (aggregates only).
// Tables not listed here (sessions, login_attempts, idempotency_keys) are not granted to lcs_app at
// all, and neither is the users.password_hash column: a scoped transaction cannot read hashes.
//
// Embedded PGlite runs as a single superuser: this migration is a no-op there. On PostgreSQL without
// the right to create roles it is skipped with a notice (withTenantScope then runs unscoped).
import { sql, type Kysely } from 'kysely';

const ROLE = 'lcs_app';

const C_IDS = `lcs_setting_uuids('lcs.consultancy_ids')`;
const O_IDS = `lcs_setting_uuids('lcs.organisation_ids')`;
const ORG_VISIBLE = (col: string) => `exists (select 1 from organisations o where o.id = ${col})`;
const ROUND_VISIBLE = (col: string) => `exists (select 1 from rounds r where r.id = ${col})`;
const RESPONSE_VISIBLE = (col: string) => `exists (select 1 from responses r where r.id = ${col})`;

interface TablePolicy {
  table: string;
  privileges: string;
  policies: string[];
}

const TABLES: TablePolicy[] = [
  {
    table: 'organisations',
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on organisations to ${ROLE} using (consultancy_id = any(${C_IDS}) or id = any(${O_IDS}))`],
  },
  {
    table: 'consultancies',
    privileges: 'select, update',
    policies: [
      `create policy lcs_own on consultancies to ${ROLE} using (id = any(${C_IDS}))`,
      `create policy lcs_client_read on consultancies for select to ${ROLE} using (exists (select 1 from organisations o where o.consultancy_id = consultancies.id))`,
    ],
  },
  {
    table: 'users',
    privileges: '',
    policies: [
      `create policy lcs_known on users to ${ROLE} using (id = nullif(current_setting('lcs.user_id', true), '')::uuid or exists (select 1 from user_roles ur where ur.user_id = users.id))`,
      // A new user has no role yet; insert it without RETURNING, then grant the role.
      `create policy lcs_create on users for insert to ${ROLE} with check (true)`,
    ],
  },
  {
    table: 'user_roles',
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on user_roles to ${ROLE} using (consultancy_id = any(${C_IDS}) or ${ORG_VISIBLE('user_roles.organisation_id')})`],
  },
  {
    table: 'api_tokens',
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on api_tokens to ${ROLE} using (consultancy_id = any(${C_IDS}) or ${ORG_VISIBLE('api_tokens.organisation_id')})`],
  },
  {
    table: 'benchmark_sets',
    privileges: 'select, insert, update, delete',
    policies: [
      `create policy lcs_own on benchmark_sets to ${ROLE} using (consultancy_id = any(${C_IDS}))`,
      `create policy lcs_client_read on benchmark_sets for select to ${ROLE} using (exists (select 1 from organisations o where o.consultancy_id = benchmark_sets.consultancy_id))`,
    ],
  },
  {
    table: 'benchmark_values',
    privileges: 'select, insert, update, delete',
    policies: [
      `create policy lcs_own on benchmark_values to ${ROLE} using (exists (select 1 from benchmark_sets s where s.id = benchmark_values.set_id and s.consultancy_id = any(${C_IDS})))`,
      `create policy lcs_client_read on benchmark_values for select to ${ROLE} using (exists (select 1 from benchmark_sets s where s.id = benchmark_values.set_id))`,
    ],
  },
  {
    table: 'rounds',
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on rounds to ${ROLE} using (${ORG_VISIBLE('rounds.organisation_id')})`],
  },
  ...['invitations', 'responses', 'checklist_answers', 'placements', 'round_snapshots', 'report_jobs'].map((table) => ({
    table,
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on ${table} to ${ROLE} using (${ROUND_VISIBLE(`${table}.round_id`)})`],
  })),
  ...['answers', 'factor_answers'].map((table) => ({
    table,
    privileges: 'select, insert, update, delete',
    policies: [`create policy lcs_tenant on ${table} to ${ROLE} using (${RESPONSE_VISIBLE(`${table}.response_id`)})`],
  })),
  {
    table: 'pool_entries',
    privileges: 'select, insert, update, delete',
    policies: [
      `create policy lcs_tenant on pool_entries to ${ROLE} using (${ROUND_VISIBLE('pool_entries.round_id')})`,
      `create policy lcs_pool_read on pool_entries for select to ${ROLE} using (true)`,
    ],
  },
  {
    table: 'report_batches',
    privileges: 'select, insert, update, delete',
    policies: [
      `create policy lcs_tenant on report_batches to ${ROLE} using (consultancy_id = any(${C_IDS}) or requested_by = nullif(current_setting('lcs.user_id', true), '')::uuid)`,
    ],
  },
];

async function rlsApplies(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ pglite: boolean; can_create: boolean; exists: boolean }>`
    select version() ilike '%pglite%' or version() ilike '%emscripten%' as pglite,
           (select rolsuper or rolcreaterole from pg_roles where rolname = current_user) as can_create,
           exists (select 1 from pg_roles where rolname = ${ROLE}) as exists
  `.execute(db);
  const r = rows[0]!;
  if (r.pglite) return false;
  return r.exists || r.can_create;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(await rlsApplies(db))) {
    await sql.raw(`do $$ begin raise notice 'row-level security skipped: embedded database or no right to create role ${ROLE}'; end $$`).execute(db);
    return;
  }
  // Roles are cluster-wide: several databases (test runs) may create it at the same moment.
  await sql
    .raw(
      `do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${ROLE}') then
          begin
            create role ${ROLE} nologin;
          exception when others then
            if not exists (select 1 from pg_roles where rolname = '${ROLE}') then raise; end if;
          end;
        end if;
        if not (select rolsuper from pg_roles where rolname = current_user) and not pg_has_role(current_user, '${ROLE}', 'MEMBER') then
          begin
            execute format('grant ${ROLE} to %I', current_user);
          exception when others then
            if not pg_has_role(current_user, '${ROLE}', 'MEMBER') then raise; end if;
          end;
        end if;
      end $$`,
    )
    .execute(db);
  await sql.raw(`grant usage on schema public to ${ROLE}`).execute(db);
  await sql
    .raw(
      `create or replace function lcs_setting_uuids(setting text) returns uuid[] language sql stable as $$
        select coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::uuid[], '{}'::uuid[])
      $$`,
    )
    .execute(db);
  for (const t of TABLES) {
    if (t.privileges) await sql.raw(`grant ${t.privileges} on ${t.table} to ${ROLE}`).execute(db);
    await sql.raw(`alter table ${t.table} enable row level security`).execute(db);
    for (const policy of t.policies) await sql.raw(policy).execute(db);
  }
  // Users: every column except the password hash may be read; hashes can be written (new users).
  await sql.raw(`grant select (id, email, name, is_demo, created_at, disabled_at) on users to ${ROLE}`).execute(db);
  await sql.raw(`grant insert on users to ${ROLE}`).execute(db);
  await sql.raw(`grant update (name, email, password_hash, disabled_at) on users to ${ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ exists: boolean }>`select exists (select 1 from pg_roles where rolname = ${ROLE}) as exists`.execute(db);
  const { rows: v } = await sql<{ pglite: boolean }>`select version() ilike '%pglite%' as pglite`.execute(db);
  if (!rows[0]?.exists || v[0]?.pglite) return;
  for (const t of TABLES) {
    const { rows: policies } = await sql<{ policyname: string }>`
      select policyname from pg_policies where schemaname = 'public' and tablename = ${t.table} and policyname like 'lcs_%'
    `.execute(db);
    for (const p of policies) await sql.raw(`drop policy if exists ${p.policyname} on ${t.table}`).execute(db);
    await sql.raw(`alter table ${t.table} disable row level security`).execute(db);
    await sql.raw(`revoke all on ${t.table} from ${ROLE}`).execute(db);
  }
  await sql.raw(`drop function if exists lcs_setting_uuids(text)`).execute(db);
  await sql.raw(`revoke usage on schema public from ${ROLE}`).execute(db);
  // The role itself stays: it is cluster-wide and other databases may use it.
}
