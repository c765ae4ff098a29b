// The data model of the whole product. Frozen once landed: later changes go in new files.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table consultancies (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(btrim(name)) between 1 and 200),
    is_demo boolean not null default false,
    accent_color text not null default '#1f5f7a' check (accent_color ~ '^#[0-9a-fA-F]{6}$'),
    logo bytea,
    logo_mime text check (logo_mime in ('image/png', 'image/jpeg')),
    created_at timestamptz not null default now(),
    check ((logo is null) = (logo_mime is null)),
    check (logo is null or octet_length(logo) <= 1048576)
  )`,
  `create table organisations (
    id uuid primary key default gen_random_uuid(),
    consultancy_id uuid not null references consultancies(id) on delete cascade,
    name text not null check (length(btrim(name)) between 1 and 200),
    sector text not null check (sector ~ '^[a-z_]{2,40}$'),
    size_class text not null check (size_class in ('micro', 'small', 'medium', 'large')),
    retention_months integer check (retention_months between 1 and 120),
    is_demo boolean not null default false,
    created_at timestamptz not null default now()
  )`,
  `create index organisations_consultancy_idx on organisations (consultancy_id)`,
  `create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null unique check (email = lower(email) and email like '_%@_%' and length(email) <= 254),
    name text not null check (length(btrim(name)) between 1 and 200),
    password_hash text not null,
    is_demo boolean not null default false,
    created_at timestamptz not null default now(),
    disabled_at timestamptz
  )`,
  // A consultant belongs to a consultancy; HR and directors belong to one organisation.
  `create table user_roles (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    role text not null check (role in ('consultant', 'hr', 'director')),
    consultancy_id uuid references consultancies(id) on delete cascade,
    organisation_id uuid references organisations(id) on delete cascade,
    created_at timestamptz not null default now(),
    check (
      (role = 'consultant' and consultancy_id is not null and organisation_id is null)
      or (role in ('hr', 'director') and organisation_id is not null and consultancy_id is null)
    ),
    unique nulls not distinct (user_id, role, consultancy_id, organisation_id)
  )`,
  `create index user_roles_user_idx on user_roles (user_id)`,
  `create index user_roles_organisation_idx on user_roles (organisation_id)`,
  // Server-side sessions: the cookie holds a random token, the table its SHA-256.
  `create table sessions (
    id text primary key check (id ~ '^[0-9a-f]{64}$'),
    user_id uuid not null references users(id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    check (expires_at > created_at)
  )`,
  `create index sessions_user_idx on sessions (user_id)`,
  `create table api_tokens (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    consultancy_id uuid references consultancies(id) on delete cascade,
    organisation_id uuid references organisations(id) on delete cascade,
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    check ((consultancy_id is null) <> (organisation_id is null))
  )`,
  `create table login_attempts (
    id bigint generated always as identity primary key,
    email text not null,
    ip text not null,
    succeeded boolean not null,
    attempted_at timestamptz not null default now()
  )`,
  `create index login_attempts_email_idx on login_attempts (email, attempted_at)`,
  `create index login_attempts_ip_idx on login_attempts (ip, attempted_at)`,
  // A consultancy's own benchmark set (uploaded CSV); rows say what they compare against.
  `create table benchmark_sets (
    id uuid primary key default gen_random_uuid(),
    consultancy_id uuid not null references consultancies(id) on delete cascade,
    name text not null check (length(btrim(name)) between 1 and 200),
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now()
  )`,
  `create table benchmark_values (
    id uuid primary key default gen_random_uuid(),
    set_id uuid not null references benchmark_sets(id) on delete cascade,
    target_kind text not null check (target_kind in ('scale', 'item')),
    target_id text not null check (target_id ~ '^[a-z0-9_]{1,64}$'),
    metric text not null default 'favourable' check (metric in ('favourable', 'mean')),
    value double precision not null,
    n integer not null check (n > 0),
    source text not null check (length(btrim(source)) between 1 and 500),
    year integer not null check (year between 1900 and 2100),
    check ((metric = 'favourable' and value between 0 and 100) or (metric = 'mean' and value between 1 and 5)),
    unique (set_id, target_kind, target_id, metric)
  )`,
  `create table rounds (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations(id) on delete cascade,
    name text not null check (length(btrim(name)) between 1 and 200),
    instrument_id text not null check (instrument_id ~ '^[a-z0-9-]+@[0-9]+$'),
    modules text[] not null check (
      cardinality(modules) >= 1
      and modules <@ array['culture_scan', 'sme_checklist', 'dialogue_model', 'factors']::text[]
    ),
    languages text[] not null default array['nl']::text[] check (
      cardinality(languages) >= 1 and languages <@ array['nl', 'en']::text[]
    ),
    departments text[] not null default array[]::text[],
    anonymity_threshold integer not null default 5 check (anonymity_threshold between 5 and 100),
    employee_placements boolean not null default false,
    status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
    opens_at timestamptz,
    closes_at timestamptz,
    benchmark_set_id uuid references benchmark_sets(id) on delete set null,
    is_demo boolean not null default false,
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    opened_at timestamptz,
    closed_at timestamptz,
    raw_purged_at timestamptz,
    check (closes_at is null or opens_at is null or closes_at > opens_at),
    check (status <> 'closed' or closed_at is not null)
  )`,
  `create index rounds_organisation_idx on rounds (organisation_id, created_at)`,
  // Invitation links. Who responded is tracked here; what they answered lives in responses, with no
  // column that leads from one to the other.
  `create table invitations (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null references rounds(id) on delete cascade,
    kind text not null check (kind in ('shared', 'personal')),
    form text not null check (form in ('employee', 'management')),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    email text check (email is null or (email = lower(email) and email like '_%@_%')),
    department text,
    max_responses integer check (max_responses is null or max_responses > 0),
    uses integer not null default 0 check (uses >= 0),
    started_at timestamptz,
    submitted_at timestamptz,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    check ((kind = 'personal') = (email is not null)),
    check (kind = 'shared' or max_responses is null),
    check (max_responses is null or uses <= max_responses)
  )`,
  `create index invitations_round_idx on invitations (round_id)`,
  `create unique index invitations_personal_email_idx on invitations (round_id, form, email) where kind = 'personal'`,
  `create table responses (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null references rounds(id) on delete cascade,
    form text not null check (form in ('employee', 'management')),
    access_hash text unique check (access_hash ~ '^[0-9a-f]{64}$'),
    channel text not null default 'link' check (channel in ('link', 'import', 'demo')),
    language text not null default 'nl' check (language in ('nl', 'en')),
    status text not null default 'in_progress' check (status in ('in_progress', 'submitted')),
    department text check (department is null or length(department) between 1 and 200),
    role text check (role in ('employee', 'manager')),
    education text check (education ~ '^[a-z_]{1,40}$'),
    contract text check (contract in ('permanent', 'flexible')),
    age_band text check (age_band ~ '^[a-z0-9_]{1,20}$'),
    started_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    submitted_at timestamptz,
    check ((status = 'submitted') = (submitted_at is not null))
  )`,
  `create index responses_round_idx on responses (round_id, status)`,
  // One row per answered item; value null means "don't know / not applicable".
  `create table answers (
    response_id uuid not null references responses(id) on delete cascade,
    item_id text not null check (item_id ~ '^[a-z0-9_]{1,64}$'),
    value smallint check (value between 1 and 5),
    primary key (response_id, item_id)
  )`,
  `create table factor_answers (
    response_id uuid not null references responses(id) on delete cascade,
    factor_id text not null check (factor_id ~ '^[a-z0-9_]{1,64}$'),
    value smallint check (value between -2 and 2),
    primary key (response_id, factor_id)
  )`,
  `create table checklist_answers (
    round_id uuid not null references rounds(id) on delete cascade,
    practice_id text not null check (practice_id ~ '^[a-z0-9_]{1,64}$'),
    answer text not null check (answer in ('yes', 'no', 'dont_know')),
    answered_by uuid references users(id) on delete set null,
    updated_at timestamptz not null default now(),
    primary key (round_id, practice_id)
  )`,
  // Dialogue-model placements: named for staff (user_id), anonymous for employees (response_id).
  `create table placements (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null references rounds(id) on delete cascade,
    participant_group text not null check (participant_group in ('director', 'hr', 'consultant', 'employee')),
    user_id uuid references users(id) on delete cascade,
    response_id uuid references responses(id) on delete cascade,
    frame text not null check (frame in ('past', 'current', 'desired')),
    x double precision not null check (x between -100 and 100),
    y double precision not null check (y between -100 and 100),
    note text check (note is null or length(note) <= 2000),
    updated_at timestamptz not null default now(),
    check ((participant_group = 'employee') = (response_id is not null)),
    check ((user_id is null) <> (response_id is null)),
    unique (round_id, user_id, frame),
    unique (response_id, frame)
  )`,
  `create index placements_round_idx on placements (round_id)`,
  // The platform benchmark pool: organisation-level scale scores of closed rounds with >= k respondents.
  `create table pool_entries (
    round_id uuid not null references rounds(id) on delete cascade,
    mechanism_id text not null check (mechanism_id ~ '^[a-z_]{1,64}$'),
    sector text not null,
    size_class text not null,
    score double precision not null check (score between 1 and 5),
    favourable double precision check (favourable between 0 and 100),
    respondents integer not null check (respondents >= 5),
    contributed_at timestamptz not null default now(),
    primary key (round_id, mechanism_id)
  )`,
  `create index pool_entries_mechanism_idx on pool_entries (mechanism_id)`,
  // Published aggregates of a round, kept when the retention period purges the raw answers.
  `create table round_snapshots (
    round_id uuid primary key references rounds(id) on delete cascade,
    result jsonb not null,
    created_at timestamptz not null default now()
  )`,
  `create table idempotency_keys (
    scope text not null,
    key text not null check (length(key) between 1 and 200),
    request_hash text not null,
    status_code integer not null,
    body jsonb not null,
    created_at timestamptz not null default now(),
    primary key (scope, key)
  )`,
  `create table report_batches (
    id uuid primary key default gen_random_uuid(),
    consultancy_id uuid references consultancies(id) on delete cascade,
    requested_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now()
  )`,
  `create table report_jobs (
    id uuid primary key default gen_random_uuid(),
    batch_id uuid not null references report_batches(id) on delete cascade,
    round_id uuid not null references rounds(id) on delete cascade,
    report_type text not null check (report_type in ('client', 'director')),
    language text not null check (language in ('nl', 'en')),
    status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    error text,
    pdf bytea,
    started_at timestamptz,
    finished_at timestamptz,
    check (status <> 'done' or pdf is not null)
  )`,
  `create index report_jobs_batch_idx on report_jobs (batch_id)`,
];

const tables = [
  'report_jobs', 'report_batches', 'idempotency_keys', 'round_snapshots', 'pool_entries', 'placements',
  'checklist_answers', 'factor_answers', 'answers', 'responses', 'invitations', 'rounds',
  'benchmark_values', 'benchmark_sets', 'login_attempts', 'api_tokens', 'sessions', 'user_roles', 'users',
  'organisations', 'consultancies',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tables) await sql.raw(`drop table if exists ${table}`).execute(db);
}
