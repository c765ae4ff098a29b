// Action plans: what an organisation does about a priority or a mechanism of a closed round (what,
// owner, due date, status, the statements it targets, notes). One row per action, owned by the
// organisation (tenant column organisation_id) and anchored on the round it came from. Same wall as
// the other tenant tables (migration 0003): visible through the organisation's own policy; forced,
// so the table owner is not exempt either when it runs as lcs_app.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table action_plan_actions (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations(id) on delete cascade,
    round_id uuid not null references rounds(id) on delete cascade,
    source text not null check (source in ('priority', 'mechanism')),
    mechanism_id text not null check (mechanism_id ~ '^[a-z_]{1,60}$'),
    title text not null check (length(title) between 1 and 200),
    owner text not null check (length(owner) between 1 and 120),
    due_date date,
    status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'dropped')),
    item_ids text[] not null default '{}',
    notes text not null default '' check (length(notes) <= 4000),
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index action_plan_actions_org_idx on action_plan_actions (organisation_id, created_at)`,
  `create index action_plan_actions_round_idx on action_plan_actions (round_id)`,
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
  if (await rlsApplies(db)) {
    await sql.raw('grant select, insert, update, delete on action_plan_actions to lcs_app').execute(db);
    await sql.raw('alter table action_plan_actions enable row level security').execute(db);
    await sql.raw('alter table action_plan_actions force row level security').execute(db);
    await sql
      .raw('create policy lcs_tenant on action_plan_actions to lcs_app using (exists (select 1 from organisations o where o.id = action_plan_actions.organisation_id))')
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists action_plan_actions').execute(db);
}
