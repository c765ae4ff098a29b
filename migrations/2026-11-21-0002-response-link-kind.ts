// Which kind of link a response came through (shared or personal), for response tracking per
// department. It says nothing about WHICH invitation: responses still have no column that leads to an
// invitation or an email address.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table responses add column link_kind text check (link_kind in ('shared', 'personal'))`.execute(db);
  await sql`create index responses_round_link_idx on responses (round_id, form, link_kind)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists responses_round_link_idx`.execute(db);
  await sql`alter table responses drop column if exists link_kind`.execute(db);
}
