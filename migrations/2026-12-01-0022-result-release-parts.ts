// Result releases in parts (issue 13 item 5): a large round's release (the unfiltered view, ~24
// segment views and the covered response ids; ~6 MB at 1,000 respondents) was one row written in the
// close transaction, which on the embedded database blocked the event loop for 230-380 ms. The views
// and the covered ids are now rows of their own in result_release_parts, each written in a short
// transaction of its own before the close transaction, under the build id of that close. A release
// becomes visible only when its result_releases row names that build (parts_build), written in the
// close transaction: a reader sees the previous release or none until then, and parts of a build that
// never got its row (a failed or crashed close) are never read (and are deleted by the next close or
// purge of the round). Releases stored before this migration keep everything in their row
// (parts_build null) and are read as before.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table result_release_parts (
      round_id uuid not null references rounds(id) on delete cascade,
      seq integer not null check (seq >= 1),
      build uuid not null,
      kind text not null check (kind in ('main', 'segment', 'covered')),
      part_key text not null check (length(part_key) between 1 and 420),
      body jsonb not null,
      created_at timestamptz not null default now(),
      primary key (round_id, seq, build, kind, part_key)
    )
  `.execute(db);
  await sql`alter table result_releases add column parts_build uuid`.execute(db);
  // The staged build reads a round's submitted responses in chunks of consecutive ids (`round_id = $1
  // and status = 'submitted' and id > $2 order by id limit $3`). With (round_id, status) alone a
  // chunk may be found by reading and sorting every response of the round, so smaller chunks cost
  // more in total; with the id in the index each chunk is a range scan of its own rows. It replaces
  // the (round_id, status) index, which is a prefix of it.
  await sql`create index responses_round_status_id_idx on responses (round_id, status, id)`.execute(db);
  await sql`drop index if exists responses_round_idx`.execute(db);
  // Tenant table: the same wall as result_releases (migrations 0010/0019), explicit here; lcs_harden()
  // (run after every migration run) finds it the same.
  await sql.raw(`alter table result_release_parts enable row level security`).execute(db);
  await sql.raw(`alter table result_release_parts force row level security`).execute(db);
  const { rows } = await sql<{ system_fn: boolean; tenant_role: boolean }>`
    select to_regproc('lcs_system') is not null as system_fn, exists (select 1 from pg_roles where rolname = 'lcs_app') as tenant_role`.execute(db);
  if (rows[0]?.system_fn) {
    await sql.raw(`create policy lcs_system on result_release_parts using (lcs_system()) with check (lcs_system())`).execute(db);
  }
  await sql.raw(`create policy lcs_tenant on result_release_parts using (exists (select 1 from rounds r where r.id = result_release_parts.round_id))`).execute(db);
  if (rows[0]?.tenant_role) await sql.raw(`grant select, insert, update, delete on result_release_parts to lcs_app`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Releases written in parts cannot be read by the code before this migration: fold them back.
  await sql`
    update result_releases r set
      segments = coalesce((select jsonb_object_agg(p.part_key, p.body) from result_release_parts p
                           where p.round_id = r.round_id and p.seq = r.seq and p.build = r.parts_build and p.kind = 'segment'), '{}'::jsonb),
      covered_responses = coalesce((select jsonb_agg(e order by p.part_key::int, o) from result_release_parts p, jsonb_array_elements(p.body) with ordinality as x(e, o)
                                    where p.round_id = r.round_id and p.seq = r.seq and p.build = r.parts_build and p.kind = 'covered'), '[]'::jsonb)
    where r.parts_build is not null
  `.execute(db);
  await sql`create index if not exists responses_round_idx on responses (round_id, status)`.execute(db);
  await sql`drop index if exists responses_round_status_id_idx`.execute(db);
  await sql`alter table result_releases drop column if exists parts_build`.execute(db);
  await sql`drop table if exists result_release_parts`.execute(db);
}
