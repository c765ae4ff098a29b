// The benchmark pool carries the contributing organisation and whether it is demo data, so pool
// comparisons need no join on rounds (which row-level security limits to the caller's own tenant).
// Pool rows are still only ever aggregated, never listed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table pool_entries add column organisation_id uuid references organisations(id) on delete cascade`.execute(db);
  await sql`alter table pool_entries add column is_demo boolean not null default false`.execute(db);
  await sql`update pool_entries pe set organisation_id = r.organisation_id, is_demo = r.is_demo from rounds r where r.id = pe.round_id`.execute(db);
  await sql`alter table pool_entries alter column organisation_id set not null`.execute(db);
  await sql`create index pool_entries_mechanism_org_idx on pool_entries (mechanism_id, is_demo, organisation_id, contributed_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists pool_entries_mechanism_org_idx`.execute(db);
  await sql`alter table pool_entries drop column if exists is_demo`.execute(db);
  await sql`alter table pool_entries drop column if exists organisation_id`.execute(db);
}
