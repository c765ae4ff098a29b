// Mail the platform sends (invitations, reminders) and what invitations carry for it.
// - invitations: background values from the uploaded list (copied onto the response, never linked).
// - rounds.self_send_links: HR chose to send the personal links themselves (mail merge); off by default.
// - rounds.headcounts: headcount per form and department HR may enter, the base of a shared-link rate.
// - mail_batches / mail_messages: the queue and the visible status of every message. A message row
//   holds the rendered body only in outbox mode (nothing is sent; the app shows it); with SMTP the
//   body, which carries a personal link, is rendered at sending and never stored.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table invitations
     add column role text check (role in ('employee', 'manager')),
     add column education text check (education ~ '^[a-z_]{1,40}$'),
     add column contract text check (contract in ('permanent', 'flexible')),
     add column age_band text check (age_band ~ '^[a-z0-9_]{1,20}$'),
     add column language text check (language in ('nl', 'en'))`,
  `alter table rounds
     add column self_send_links boolean not null default false,
     add column headcounts jsonb not null default '{}'::jsonb`,
  `create table mail_batches (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null references rounds(id) on delete cascade,
    kind text not null check (kind in ('invitation', 'reminder')),
    form text check (form in ('employee', 'management')),
    scheduled_for timestamptz,
    materialised_at timestamptz,
    recipients integer not null default 0 check (recipients >= 0),
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    cancelled_at timestamptz
  )`,
  `create index mail_batches_round_idx on mail_batches (round_id, created_at)`,
  `create index mail_batches_due_idx on mail_batches (scheduled_for) where materialised_at is null and cancelled_at is null`,
  `create table mail_messages (
    id uuid primary key default gen_random_uuid(),
    batch_id uuid not null references mail_batches(id) on delete cascade,
    round_id uuid not null references rounds(id) on delete cascade,
    invitation_id uuid references invitations(id) on delete cascade,
    to_address text not null check (length(to_address) between 3 and 254),
    language text not null check (language in ('nl', 'en')),
    status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    error text,
    transport text check (transport in ('outbox', 'smtp')),
    subject text,
    text_body text,
    html_body text,
    created_at timestamptz not null default now(),
    sent_at timestamptz
  )`,
  `create index mail_messages_batch_idx on mail_messages (batch_id)`,
  `create index mail_messages_due_idx on mail_messages (next_attempt_at) where status in ('queued', 'sending')`,
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
  // Same wall as the other round tables (migration 0003): visible through the round's organisation.
  if (await rlsApplies(db)) {
    for (const table of ['mail_batches', 'mail_messages']) {
      await sql.raw(`grant select, insert, update, delete on ${table} to lcs_app`).execute(db);
      await sql.raw(`alter table ${table} enable row level security`).execute(db);
      await sql.raw(`create policy lcs_tenant on ${table} to lcs_app using (exists (select 1 from rounds r where r.id = ${table}.round_id))`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists mail_messages').execute(db);
  await sql.raw('drop table if exists mail_batches').execute(db);
  await sql.raw('alter table rounds drop column if exists self_send_links, drop column if exists headcounts').execute(db);
  await sql
    .raw('alter table invitations drop column if exists role, drop column if exists education, drop column if exists contract, drop column if exists age_band, drop column if exists language')
    .execute(db);
}
