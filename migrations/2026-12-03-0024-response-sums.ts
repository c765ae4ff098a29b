// Per-round sums of the submitted responses (issue 13 item 5): the close checks, before the build and
// again inside the close transaction, that the submitted responses did not change (the fingerprint:
// their count and the sum of their ids' 64-bit hashes). Computed from responses, that statement read
// the whole responses heap of the round, since without a vacuum there is no index-only scan: 131-148
// ms at 100,000 respondents on the embedded database, twice per close, with every other request
// waiting behind it (inside the close transaction as well).
//
// round_response_sums keeps the same two figures per round in up to 64 slots, kept by triggers on
// responses (TRIGGERS below): one upsert per statement or submit that adds or removes submitted
// responses, whoever runs it. A write adds its delta to the slot of its own connection (the backend's
// pid modulo 64), so concurrent submits on different connections do not wait for each other's commit
// on one counter row; only the sum over the slots means something (a slot may go negative when one
// connection deletes what another added). The fingerprint is then a sum of at most 64 rows. The
// figures are transactional: a submit that has not committed is not in them, as it was not in the
// scan. Cost, measured with bench:submit on PostgreSQL (2 cores, 32 connections): ~0.2 ms of the
// backends' CPU per submission (3.2 against 3.0 ms), throughput 433 against 453 submissions/s.
//
// The triggers run as the invoker, under the writer's scope: a writer sees its round (the table's
// policy is "its round is visible", as for every tenant table; lcs_harden adds the system policy and
// lcs_app's DML). A cascade from a round's deletion finds no round and writes nothing (the round's
// sums go with it). Truncating responses bypasses the triggers: nothing in the product does.
import { sql, type Kysely } from 'kysely';

export const RESPONSE_SUM_SLOTS = 64;

/** The submitted rows of a transition table (or of responses itself), signed, as (round_id, id, sign). */
const signed = (table: string, sign: 1 | -1) => `select round_id, id, ${sign} as sign from ${table} where status = 'submitted'`;

/** The upsert of the per-round deltas of the rows in `source` (signed rows) into this connection's slot. */
function upsert(source: string): string {
  return `
    insert into round_response_sums as s (round_id, slot, n, h)
    select d.round_id, (pg_backend_pid() % ${RESPONSE_SUM_SLOTS})::smallint, d.n, d.h from (
      select x.round_id, sum(x.sign)::bigint as n, sum(x.sign * uuid_hash_extended(x.id, 0)::numeric) as h
      from (${source}) x group by 1
    ) d
    where (d.n <> 0 or d.h <> 0) and exists (select 1 from rounds r where r.id = d.round_id)
    order by d.round_id
    on conflict (round_id, slot) do update set n = s.n + excluded.n, h = s.h + excluded.h`;
}

/**
 * Inserts and deletes: statement triggers with transition tables (an import batch or a purge is one
 * upsert). Updates: a row trigger, on a change of status or round only, so the updates a response gets
 * while it is answered and submitted (the upsert of lcs_write_response fires the update triggers
 * too; its packs) call nothing. Measured with bench:submit, the backends' CPU per submission was 3.7
 * ms with a statement trigger for updates as well (and 16 slots by response id), 3.4 ms with this row
 * trigger, 3.2 ms with the slot of the connection, against 3.0 ms without sums.
 */
const TRIGGERS = [
  {
    event: 'insert',
    source: signed('new_rows', 1),
    create: 'after insert on responses referencing new table as new_rows for each statement',
  },
  {
    event: 'update',
    source: `select old.round_id as round_id, old.id as id, -1 as sign where old.status = 'submitted'
      union all select new.round_id, new.id, 1 where new.status = 'submitted'`,
    create: `after update of status, round_id on responses for each row
      when (old.status is distinct from new.status or old.round_id is distinct from new.round_id)`,
  },
  {
    event: 'delete',
    source: signed('old_rows', -1),
    create: 'after delete on responses referencing old table as old_rows for each statement',
  },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table round_response_sums (
      round_id uuid not null references rounds(id) on delete cascade,
      slot smallint not null check (slot between 0 and ${sql.raw(String(RESPONSE_SUM_SLOTS - 1))}),
      n bigint not null,
      h numeric not null,
      primary key (round_id, slot)
    )
  `.execute(db);
  await sql.raw(`alter table round_response_sums enable row level security`).execute(db);
  await sql.raw(`alter table round_response_sums force row level security`).execute(db);
  const { rows: env } = await sql<{ system_fn: boolean; tenant_role: boolean }>`
    select to_regproc('lcs_system') is not null as system_fn, exists (select 1 from pg_roles where rolname = 'lcs_app') as tenant_role`.execute(db);
  if (env[0]?.system_fn) {
    await sql.raw(`create policy lcs_system on round_response_sums using (lcs_system()) with check (lcs_system())`).execute(db);
  }
  if (env[0]?.tenant_role) await sql.raw(`grant select, insert, update, delete on round_response_sums to lcs_app`).execute(db);
  await sql.raw(`create policy lcs_tenant on round_response_sums using (exists (select 1 from rounds r where r.id = round_response_sums.round_id))`).execute(db);
  for (const { event, source, create } of TRIGGERS) {
    await sql
      .raw(
        `create or replace function lcs_sum_responses_${event}() returns trigger language plpgsql as $$
        begin
          ${upsert(source)};
          return null;
        end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger responses_sums_${event} ${create} execute function lcs_sum_responses_${event}()`).execute(db);
  }
  // Backfill, in the system scope (forced row-level security applies to an owner that is not a
  // superuser too); the caller's scope setting is restored afterwards.
  const { rows } = await sql<{ scope: string | null }>`select current_setting('lcs.scope', true) as scope`.execute(db);
  await sql`select set_config('lcs.scope', 'system', true)`.execute(db);
  await sql.raw(upsert(signed('responses', 1))).execute(db);
  await sql`select set_config('lcs.scope', ${rows[0]?.scope ?? ''}, true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { event } of TRIGGERS) {
    await sql.raw(`drop trigger if exists responses_sums_${event} on responses`).execute(db);
    await sql.raw(`drop function if exists lcs_sum_responses_${event}()`).execute(db);
  }
  await sql`drop table if exists round_response_sums`.execute(db);
}
