// Staff account security: API tokens owned by their creator or explicitly by the organisation,
// TOTP two-factor authentication with recovery codes (a consultancy can require it), sign-in
// challenges for the second step, and the audit trail of who read which results.
//
// MFA secrets, recovery codes and challenges are like sessions: only the owner connection reads
// them (not granted to lcs_app). audit_events is a tenant table: where lcs_app exists (see 0003),
// it is granted select/insert with row-level security on its organisation or consultancy.
import { sql, type Kysely } from 'kysely';

const ROLE = 'lcs_app';

const statements = [
  // Tokens made through the CLI have no creator: they belong to the organisation/consultancy.
  `alter table api_tokens add column owned_by_organisation boolean not null default false`,
  `update api_tokens set owned_by_organisation = true where created_by is null`,
  `create index api_tokens_created_by_idx on api_tokens (created_by)`,
  // A token inserted without a creator (CLI, seeds, integrations set up by an operator) can only be
  // the organisation's: nobody could revoke it by leaving.
  `create function lcs_api_token_owner() returns trigger language plpgsql as $$
    begin
      if new.created_by is null then new.owned_by_organisation := true; end if;
      return new;
    end $$`,
  `create trigger api_tokens_owner before insert on api_tokens for each row execute function lcs_api_token_owner()`,

  `alter table consultancies add column require_mfa boolean not null default false`,
  `alter table users add column totp_secret text check (totp_secret is null or totp_secret ~ '^[A-Z2-7]{16,128}$')`,
  `alter table users add column totp_enabled_at timestamptz`,
  // The last accepted time step: a code is never accepted twice (RFC 6238 section 5.2).
  `alter table users add column totp_last_step bigint`,
  `alter table users add constraint users_totp_enabled_has_secret check (totp_enabled_at is null or totp_secret is not null)`,
  `create table mfa_recovery_codes (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null default now(),
    used_at timestamptz,
    unique (user_id, code_hash)
  )`,
  // Password accepted, second step pending: the client holds a random token, the table its SHA-256.
  `create table mfa_challenges (
    id text primary key check (id ~ '^[0-9a-f]{64}$'),
    user_id uuid not null references users(id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    check (expires_at > created_at)
  )`,
  `create index mfa_challenges_user_idx on mfa_challenges (user_id)`,

  `create table audit_events (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    consultancy_id uuid not null references consultancies(id) on delete cascade,
    organisation_id uuid references organisations(id) on delete cascade,
    round_id uuid,
    action text not null check (action ~ '^[a-z_.]{3,60}$'),
    actor_kind text not null check (actor_kind in ('user', 'token')),
    actor_user_id uuid,
    actor_token_id uuid,
    actor_label text not null check (length(actor_label) between 1 and 320),
    ip text check (length(ip) <= 100),
    detail text check (length(detail) <= 500),
    check ((actor_kind = 'user') = (actor_user_id is not null)),
    check ((actor_kind = 'token') = (actor_token_id is not null))
  )`,
  `create index audit_events_organisation_idx on audit_events (organisation_id, occurred_at desc)`,
  `create index audit_events_consultancy_idx on audit_events (consultancy_id, occurred_at desc)`,
  `create index audit_events_round_idx on audit_events (round_id)`,
];

async function tenantRoleApplies(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select not (version() ilike '%pglite%' or version() ilike '%emscripten%')
      and exists (select 1 from pg_roles where rolname = ${ROLE}) as ok
  `.execute(db);
  return rows[0]?.ok === true;
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
  if (await tenantRoleApplies(db)) {
    await sql.raw(`grant select, insert on audit_events to ${ROLE}`).execute(db);
    await sql.raw(`alter table audit_events enable row level security`).execute(db);
    await sql
      .raw(
        `create policy lcs_tenant on audit_events to ${ROLE} using (consultancy_id = any(lcs_setting_uuids('lcs.consultancy_ids')) or organisation_id = any(lcs_setting_uuids('lcs.organisation_ids')))`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table if exists audit_events`).execute(db);
  await sql.raw(`drop table if exists mfa_challenges`).execute(db);
  await sql.raw(`drop table if exists mfa_recovery_codes`).execute(db);
  await sql.raw(`alter table users drop constraint if exists users_totp_enabled_has_secret`).execute(db);
  await sql.raw(`alter table users drop column if exists totp_last_step, drop column if exists totp_enabled_at, drop column if exists totp_secret`).execute(db);
  await sql.raw(`alter table consultancies drop column if exists require_mfa`).execute(db);
  await sql.raw(`drop trigger if exists api_tokens_owner on api_tokens`).execute(db);
  await sql.raw(`drop function if exists lcs_api_token_owner()`).execute(db);
  await sql.raw(`drop index if exists api_tokens_created_by_idx`).execute(db);
  await sql.raw(`alter table api_tokens drop column if exists owned_by_organisation`).execute(db);
}
