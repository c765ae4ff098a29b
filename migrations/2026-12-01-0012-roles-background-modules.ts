// Issue 17: roles on the management form, two more background questions, and the optional modules.
// - responses.role (and invitations.role, from uploaded lists) widen from employee/manager to the three
//   management roles hr / line_manager / director. Old rows keep their values ('manager' stays
//   readable as "manager, role not specified").
// - responses.tenure and responses.contract_hours: optional background bands ("who learns less").
// - rounds.survey_modules: the optional modules a round asks (motivation, learning_mix, open_questions).
// - module_answers: ratings (motivation) and a single choice (learning mix) per response.
// - open_answers: the two open prompts; stored with the response (own-data download, erasure) but never
//   shown with it: results list the texts without order or attribution.
// - result_extras: the disclosed extra result sections per release (see server/results/modules/).
import { sql, type Kysely } from 'kysely';

const ROLES = `('employee', 'manager', 'hr', 'line_manager', 'director')`;

const statements = [
  `alter table responses drop constraint if exists responses_role_check`,
  `alter table responses add constraint responses_role_check check (role in ${ROLES})`,
  `alter table invitations drop constraint if exists invitations_role_check`,
  `alter table invitations add constraint invitations_role_check check (role in ${ROLES})`,
  `alter table responses
     add column tenure text check (tenure in ('under_2', '2_5', '6_10', 'over_10')),
     add column contract_hours text check (contract_hours in ('under_16', '16_24', '25_32', 'over_32'))`,
  `alter table rounds
     add column survey_modules text[] not null default array[]::text[]
       check (survey_modules <@ array['motivation', 'learning_mix', 'open_questions']::text[])`,
  `create table module_answers (
    response_id uuid not null references responses(id) on delete cascade,
    question_id text not null check (question_id ~ '^[a-z][a-z0-9_]{0,40}$'),
    value smallint check (value between 1 and 5),
    choice text check (choice ~ '^[a-z][a-z0-9_]{0,40}$'),
    primary key (response_id, question_id)
  )`,
  `create table open_answers (
    response_id uuid not null references responses(id) on delete cascade,
    prompt_id text not null check (prompt_id in ('helps', 'change')),
    body text not null check (length(body) between 1 and 2000),
    primary key (response_id, prompt_id)
  )`,
  // The disclosed extra sections (roles, who learns less, modules) of each result release, computed once
  // over the release's respondents and then served as stored, like the release itself.
  `create table result_extras (
    round_id uuid not null references rounds(id) on delete cascade,
    seq integer not null,
    body jsonb not null,
    created_at timestamptz not null default now(),
    primary key (round_id, seq)
  )`,
];

async function rlsApplies(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select not (version() ilike '%pglite%' or version() ilike '%emscripten%')
       and exists (select 1 from pg_roles where rolname = 'lcs_app')
       and exists (select 1 from pg_proc where proname = 'lcs_setting_uuids') as ok`.execute(db);
  return rows[0]?.ok === true;
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
  // Same wall as answers (migration 0003): visible through the response's round's organisation.
  if (await rlsApplies(db)) {
    for (const table of ['module_answers', 'open_answers']) {
      await sql.raw(`grant select, insert, update, delete on ${table} to lcs_app`).execute(db);
      await sql.raw(`alter table ${table} enable row level security`).execute(db);
      await sql.raw(`create policy lcs_tenant on ${table} to lcs_app using (exists (select 1 from responses r where r.id = ${table}.response_id))`).execute(db);
    }
    await sql.raw(`grant select, insert, update, delete on result_extras to lcs_app`).execute(db);
    await sql.raw(`alter table result_extras enable row level security`).execute(db);
    await sql.raw(`create policy lcs_tenant on result_extras to lcs_app using (exists (select 1 from rounds r where r.id = result_extras.round_id))`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists result_extras').execute(db);
  await sql.raw('drop table if exists open_answers').execute(db);
  await sql.raw('drop table if exists module_answers').execute(db);
  await sql.raw('alter table rounds drop column if exists survey_modules').execute(db);
  await sql.raw('alter table responses drop column if exists tenure, drop column if exists contract_hours').execute(db);
  // Narrowing back would reject rows with the new roles: map them onto 'manager' first.
  await sql.raw(`update responses set role = 'manager' where role in ('hr', 'line_manager', 'director')`).execute(db);
  await sql.raw(`update invitations set role = 'manager' where role in ('hr', 'line_manager', 'director')`).execute(db);
  await sql.raw(`alter table responses drop constraint if exists responses_role_check`).execute(db);
  await sql.raw(`alter table responses add constraint responses_role_check check (role in ('employee', 'manager'))`).execute(db);
  await sql.raw(`alter table invitations drop constraint if exists invitations_role_check`).execute(db);
  await sql.raw(`alter table invitations add constraint invitations_role_check check (role in ('employee', 'manager'))`).execute(db);
}
