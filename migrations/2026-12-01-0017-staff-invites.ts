// Administration in the app: one-time invitation links for staff users, and the mail that carries them.
// - staff_invites: the SHA-256 of a one-time token (the token itself is only in the mail), valid until
//   expires_at, spent at used_at. An invited user has no password until they follow the link (their
//   password_hash is the marker 'invited', which no password verifies).
// - staff_mail: every staff mail sent. The rendered body (with the link) is kept only in outbox mode,
//   where nothing leaves the machine and the Outbox page shows it; with SMTP the body is never stored.
// Both are read and written on the owner connection only (the invitee has no session yet), so they
// get no grant for lcs_app and no row-level policy.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table staff_invites (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    token_sha256 text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    check (expires_at > created_at)
  )`,
  `create index staff_invites_user_idx on staff_invites (user_id)`,
  `create table staff_mail (
    id uuid primary key default gen_random_uuid(),
    consultancy_id uuid not null references consultancies(id) on delete cascade,
    organisation_id uuid references organisations(id) on delete cascade,
    to_address text not null check (length(to_address) between 3 and 254),
    language text not null check (language in ('nl', 'en')),
    status text not null check (status in ('sent', 'failed')),
    error text check (length(error) <= 300),
    transport text not null check (transport in ('outbox', 'smtp')),
    subject text not null,
    text_body text,
    html_body text,
    created_at timestamptz not null default now()
  )`,
  `create index staff_mail_consultancy_idx on staff_mail (consultancy_id, created_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists staff_mail').execute(db);
  await sql.raw('drop table if exists staff_invites').execute(db);
}
