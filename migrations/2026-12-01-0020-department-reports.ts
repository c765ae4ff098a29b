// Department reports (issue 18 item 3): a report job may be the report of one department of a round.
// The job names the department (the key of the department group in the round's release); a batch of
// department reports is marked as such, so the round-report batch routes leave it alone.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table report_jobs drop constraint if exists report_jobs_report_type_check`.execute(db);
  await sql`alter table report_jobs add constraint report_jobs_report_type_check check (report_type in ('client', 'director', 'department'))`.execute(db);
  await sql`alter table report_jobs add column department text check (department is null or length(department) between 1 and 200)`.execute(db);
  await sql`alter table report_jobs add constraint report_jobs_department_kind_check check ((report_type = 'department') = (department is not null))`.execute(db);
  await sql`alter table report_batches add column kind text not null default 'rounds' check (kind in ('rounds', 'departments'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from report_jobs where report_type = 'department'`.execute(db);
  await sql`delete from report_batches where kind = 'departments'`.execute(db);
  await sql`alter table report_batches drop column if exists kind`.execute(db);
  await sql`alter table report_jobs drop constraint if exists report_jobs_department_kind_check`.execute(db);
  await sql`alter table report_jobs drop column if exists department`.execute(db);
  await sql`alter table report_jobs drop constraint if exists report_jobs_report_type_check`.execute(db);
  await sql`alter table report_jobs add constraint report_jobs_report_type_check check (report_type in ('client', 'director'))`.execute(db);
}
