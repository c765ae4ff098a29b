// Answer packs (issue 15): each response carries its culture-scan answers and its factor ratings as
// one text value each, kept equal to its rows in answers and factor_answers by statement triggers on
// those tables. The release build at close then reads one row per respondent from responses instead
// of some 40 answer rows, each of which row-level security checked through responses, rounds and
// organisations: on the embedded database that chain was about 85% of the answer pass (10,000
// respondents: 17-23 s as lcs_app, 2.3-3.0 s as the owner without policies).
//
// Format: `item:value` pairs in item order, joined by commas, with an empty value for "don't know"
// (a null rating): `sd1:4,sd2:,sd3:5`. Item and factor ids match ^[a-z0-9_]{1,64}$ (the tables'
// checks), so neither separator can occur in them. A response without rows has null.
//
// The triggers are statement-level with transition tables: one update of the touched responses per
// statement (an autosave, an import batch, a purge), whoever runs it. The survey's own write
// (lcs_write_response, replaced below with the same body otherwise) sets both packs of its response
// in one update after its inserts, and the triggers leave its statements alone (the transaction-local
// setting lcs.packs_by_writer, on only inside it): per submission that is one update instead of two
// plus three trigger runs (the factor upsert fires the update trigger too). They run as the invoker, so
// they see and update only responses the writer's scope sees; the writer of an answer row can see its
// response (the answer tables' policies are "its response is visible"). A purge or erasure that
// deletes the rows clears the pack in the same statement. The packs hold raw answers: they are read
// only by the release build (server/results/aggregate.ts, sections/factors.ts, modules/store.ts),
// never selected into an output.
import { sql, type Kysely } from 'kysely';
import { WRITE } from './2026-12-01-0021-survey-tenant-scope.js';

const PACKS = [
  { table: 'answers', column: 'answer_pack', key: 'item_id' },
  { table: 'factor_answers', column: 'factor_pack', key: 'factor_id' },
] as const;

/** The pack of the response aliased `r` from its rows in `table` (null without rows). */
const packOf = (table: string, key: string) =>
  `(select string_agg(x.${key} || ':' || coalesce(x.value::text, ''), ',' order by x.${key}) from ${table} x where x.response_id = r.id)`;

/** `text` with `from` replaced by `to`, which must occur exactly once. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`migration 0023: expected one ${JSON.stringify(from.slice(0, 60))} in lcs_write_response`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** lcs_write_response of 0021 with the packs written by the function itself. */
function writeWithPacks(): string {
  let text = replaceOnce(
    WRITE,
    `  insert into responses as r (round_id,`,
    `  -- The packs of this response are set below, once, not by the answer tables' triggers.
  perform set_config('lcs.packs_by_writer', 'on', true);
  insert into responses as r (round_id,`,
  );
  text = replaceOnce(
    text,
    `  if v_id is null then
    return query select null::uuid, true;`,
    `  if v_id is null then
    perform set_config('lcs.packs_by_writer', '', true);
    return query select null::uuid, true;`,
  );
  return replaceOnce(
    text,
    `  return query select v_id, true;
end $$`,
    `  update responses r set answer_pack = ${packOf('answers', 'item_id')}, factor_pack = ${packOf('factor_answers', 'factor_id')} where r.id = v_id;
  perform set_config('lcs.packs_by_writer', '', true);
  return query select v_id, true;
end $$`,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, column, key } of PACKS) {
    await sql.raw(`alter table responses add column ${column} text`).execute(db);
    await sql
      .raw(
        `create or replace function lcs_refresh_${column}() returns trigger language plpgsql as $$
        begin
          if current_setting('lcs.packs_by_writer', true) = 'on' then return null; end if;
          update responses r set ${column} = ${packOf(table, key)}
          where r.id in (select distinct c.response_id from changed c);
          return null;
        end $$`,
      )
      .execute(db);
    for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql
        .raw(`create trigger ${table}_pack_${event} after ${event} on ${table} referencing ${transition} table as changed for each statement execute function lcs_refresh_${column}()`)
        .execute(db);
    }
  }
  await sql.raw(writeWithPacks()).execute(db);
  // Backfill every response that has rows, in the system scope (forced row-level security applies to
  // an owner that is not a superuser too); the caller's scope setting is restored afterwards.
  const { rows } = await sql<{ scope: string | null }>`select current_setting('lcs.scope', true) as scope`.execute(db);
  await sql`select set_config('lcs.scope', 'system', true)`.execute(db);
  for (const { table, column, key } of PACKS) {
    await sql.raw(`update responses r set ${column} = ${packOf(table, key)} where exists (select 1 from ${table} x where x.response_id = r.id)`).execute(db);
  }
  await sql`select set_config('lcs.scope', ${rows[0]?.scope ?? ''}, true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(WRITE).execute(db);
  for (const { table, column } of PACKS) {
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_pack_${event} on ${table}`).execute(db);
    await sql.raw(`drop function if exists lcs_refresh_${column}()`).execute(db);
    await sql.raw(`alter table responses drop column if exists ${column}`).execute(db);
  }
}
