// Report jobs keep the order in which they were requested, so a batch lists (and a CLI writes) its
// reports in that order.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table report_jobs add column position integer not null default 0 check (position >= 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table report_jobs drop column if exists position`.execute(db);
}
