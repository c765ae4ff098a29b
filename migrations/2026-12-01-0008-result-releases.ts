// Result releases: closing a round stores the published result model (the unfiltered view and every
// segment view that may be served) as a release; every output reads the latest release. A reopened
// round gets a new release only when at least k responses were added, so two releases never differ by
// fewer than k people. `covered_responses` lists the responses a release rests on (internal: never
// served), so a later release can be checked against what was published before.
import { sql, type Kysely } from 'kysely';

const ROLE = 'lcs_app';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table result_releases (
      round_id uuid not null references rounds(id) on delete cascade,
      seq integer not null check (seq >= 1),
      main jsonb not null,
      segments jsonb not null default '{}'::jsonb,
      covered_responses jsonb not null default '[]'::jsonb,
      created_at timestamptz not null default now(),
      primary key (round_id, seq)
    )
  `.execute(db);
  // Row-level security as for round_snapshots, where the tenant role exists (PostgreSQL, not PGlite).
  const { rows } = await sql<{ exists: boolean }>`select exists (select 1 from pg_roles where rolname = ${ROLE}) as exists`.execute(db);
  const { rows: v } = await sql<{ pglite: boolean }>`select version() ilike '%pglite%' as pglite`.execute(db);
  if (!rows[0]?.exists || v[0]?.pglite) return;
  await sql.raw(`grant select, insert, update, delete on result_releases to ${ROLE}`).execute(db);
  await sql.raw(`alter table result_releases enable row level security`).execute(db);
  await sql
    .raw(`create policy lcs_tenant on result_releases to ${ROLE} using (exists (select 1 from rounds r where r.id = result_releases.round_id))`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists result_releases`.execute(db);
}
