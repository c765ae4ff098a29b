// Kysely table types, kept in step with migrations/. Query results use inferred types, not these.
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface ConsultanciesTable {
  id: Generated<string>;
  name: string;
  is_demo: Generated<boolean>;
  accent_color: Generated<string>;
  logo: Buffer | null;
  logo_mime: string | null;
  created_at: Timestamp;
  /** Every user of the consultancy and of its client organisations must use two-factor sign-in. */
  require_mfa: Generated<boolean>;
}

export interface OrganisationsTable {
  id: Generated<string>;
  consultancy_id: string;
  name: string;
  sector: string;
  size_class: 'micro' | 'small' | 'medium' | 'large';
  retention_months: number | null;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
  /** Base32 TOTP secret (RFC 6238); set at enrolment, in force once totp_enabled_at is set. */
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: string | number | null;
}

export type StaffRole = 'consultant' | 'hr' | 'director';

export interface UserRolesTable {
  id: Generated<string>;
  user_id: string;
  role: StaffRole;
  consultancy_id: string | null;
  organisation_id: string | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  token_hash: string;
  name: string;
  consultancy_id: string | null;
  organisation_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** true: belongs to the organisation/consultancy and outlives its creator; false: revoked with its creator. */
  owned_by_organisation: Generated<boolean>;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface MfaChallengesTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  consultancy_id: string;
  organisation_id: string | null;
  round_id: string | null;
  action: string;
  actor_kind: 'user' | 'token';
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string;
  ip: string | null;
  detail: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Timestamp;
}

export interface BenchmarkSetsTable {
  id: Generated<string>;
  consultancy_id: string;
  name: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface BenchmarkValuesTable {
  id: Generated<string>;
  set_id: string;
  target_kind: 'scale' | 'item';
  target_id: string;
  metric: Generated<'favourable' | 'mean'>;
  value: number;
  n: number;
  source: string;
  year: number;
}

export type RoundStatus = 'draft' | 'open' | 'closed';

export interface RoundsTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  instrument_id: string;
  modules: string[];
  languages: TextArray;
  departments: TextArray;
  anonymity_threshold: Generated<number>;
  employee_placements: Generated<boolean>;
  status: Generated<RoundStatus>;
  opens_at: NullableTimestamp;
  closes_at: NullableTimestamp;
  benchmark_set_id: string | null;
  is_demo: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  opened_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  raw_purged_at: NullableTimestamp;
  /** Migration 2026-12-01-0011: HR sends the personal links themselves (mail merge). */
  self_send_links: Generated<boolean>;
  /** Migration 2026-12-01-0011: { [form]: { [department]: headcount } } entered by HR. */
  headcounts: ColumnType<Record<string, Record<string, number>>, string | undefined, string>;
  /** Migration 2026-12-01-0012: the optional modules asked in this round (issue 17). */
  survey_modules: ColumnType<string[], string[] | undefined, string[]>;
}

/** Migration 2026-12-01-0012: employee-form roles, and the three management-form roles (issue 17). */
export type ResponseRole = 'employee' | 'manager' | 'hr' | 'line_manager' | 'director';

export type FormKind = 'employee' | 'management';

export interface InvitationsTable {
  id: Generated<string>;
  round_id: string;
  kind: 'shared' | 'personal';
  form: FormKind;
  token_hash: string;
  email: string | null;
  department: string | null;
  max_responses: number | null;
  uses: Generated<number>;
  started_at: NullableTimestamp;
  submitted_at: NullableTimestamp;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  /** Migration 2026-12-01-0011: background values from the uploaded list, and the mail language. */
  role: ColumnType<ResponseRole | null, ResponseRole | null | undefined, ResponseRole | null>;
  education: ColumnType<string | null, string | null | undefined, string | null>;
  contract: ColumnType<'permanent' | 'flexible' | null, 'permanent' | 'flexible' | null | undefined, 'permanent' | 'flexible' | null>;
  age_band: ColumnType<string | null, string | null | undefined, string | null>;
  language: ColumnType<'nl' | 'en' | null, 'nl' | 'en' | null | undefined, 'nl' | 'en' | null>;
}

export interface ResponsesTable {
  id: Generated<string>;
  round_id: string;
  form: FormKind;
  access_hash: string | null;
  channel: Generated<'link' | 'import' | 'demo'>;
  /** Shared or personal link (migration 0002); null for imported and demo responses. */
  link_kind: ColumnType<'shared' | 'personal' | null, 'shared' | 'personal' | null | undefined, 'shared' | 'personal' | null>;
  language: Generated<'nl' | 'en'>;
  status: Generated<'in_progress' | 'submitted'>;
  department: string | null;
  role: ResponseRole | null;
  education: string | null;
  contract: 'permanent' | 'flexible' | null;
  age_band: string | null;
  /** Migration 2026-12-01-0012: optional background bands. */
  tenure: ColumnType<string | null, string | null | undefined, string | null>;
  contract_hours: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: NullableTimestamp;
  /**
   * Migration 2026-12-02-0023: the answers and factor ratings as `id:value,...` (value empty for a
   * null), kept equal to the answer tables by triggers; read by the release build only.
   */
  answer_pack: ColumnType<string | null, never, never>;
  factor_pack: ColumnType<string | null, never, never>;
}

/** Migration 2026-12-01-0012: module ratings (value) or a single choice (choice) per response. */
export interface ModuleAnswersTable {
  response_id: string;
  question_id: string;
  value: number | null;
  choice: string | null;
}

/** Migration 2026-12-01-0012: answers to the open prompts. */
export interface OpenAnswersTable {
  response_id: string;
  prompt_id: 'helps' | 'change';
  body: string;
}

/** Migration 2026-12-01-0012: the disclosed extra sections of a result release. */
export interface ResultExtrasTable {
  round_id: string;
  seq: number;
  body: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface AnswersTable {
  response_id: string;
  item_id: string;
  value: number | null;
}

export interface FactorAnswersTable {
  response_id: string;
  factor_id: string;
  value: number | null;
}

export interface ChecklistAnswersTable {
  round_id: string;
  practice_id: string;
  answer: 'yes' | 'no' | 'dont_know';
  answered_by: string | null;
  updated_at: Timestamp;
}

export interface PlacementsTable {
  id: Generated<string>;
  round_id: string;
  participant_group: 'director' | 'hr' | 'consultant' | 'employee';
  user_id: string | null;
  response_id: string | null;
  frame: 'past' | 'current' | 'desired';
  x: number;
  y: number;
  note: string | null;
  updated_at: Timestamp;
}

export interface PoolEntriesTable {
  round_id: string;
  mechanism_id: string;
  sector: string;
  size_class: string;
  score: number;
  favourable: number | null;
  respondents: number;
  contributed_at: Timestamp;
  /** Migration 0004: the contributing organisation and whether it is demo data. */
  organisation_id: string;
  is_demo: Generated<boolean>;
}

export interface RoundSnapshotsTable {
  round_id: string;
  result: Json;
  created_at: Timestamp;
}

export interface ResultReleasesTable {
  round_id: string;
  seq: number;
  main: Json;
  segments: Json;
  covered_responses: Json;
  /** The build whose result_release_parts hold the segment views and covered ids; null: all in this row (before migration 0022). */
  parts_build: ColumnType<string | null, string | null | undefined, never>;
  created_at: Timestamp;
}

/** One part of a release written in parts (migration 0022): a view or a chunk of covered response ids. */
export interface ResultReleasePartsTable {
  round_id: string;
  seq: number;
  build: string;
  kind: 'main' | 'segment' | 'covered';
  part_key: string;
  body: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

/** Count and hash sum of a round's submitted responses per slot, kept by triggers on responses (migration 0024). */
export interface RoundResponseSumsTable {
  round_id: string;
  slot: number;
  /** bigint, as text from the driver. */
  n: ColumnType<string, never, never>;
  /** numeric, as text from the driver. */
  h: ColumnType<string, never, never>;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  body: Json;
  created_at: Timestamp;
  /** The round of the submitted response (migration 0021); null for keys stored before. */
  round_id: string | null;
}

export interface ReportBatchesTable {
  id: Generated<string>;
  consultancy_id: string | null;
  requested_by: string | null;
  created_at: Timestamp;
  /** Migration 2026-12-01-0020: 'departments' for a batch of department reports. */
  kind: Generated<'rounds' | 'departments'>;
}

export interface ReportJobsTable {
  id: Generated<string>;
  batch_id: string;
  round_id: string;
  report_type: 'client' | 'director' | 'department';
  language: 'nl' | 'en';
  /** Migration 2026-12-01-0020: the department key of a 'department' report, else null. */
  department: Generated<string | null>;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  attempts: Generated<number>;
  error: string | null;
  pdf: Buffer | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** Order within the batch, as requested. */
  position: Generated<number>;
}

/** Migration 2026-12-01-0011: mail the platform sends. */
export interface MailBatchesTable {
  id: Generated<string>;
  round_id: string;
  kind: 'invitation' | 'reminder';
  form: FormKind | null;
  scheduled_for: NullableTimestamp;
  materialised_at: NullableTimestamp;
  recipients: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  cancelled_at: NullableTimestamp;
}

export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface MailMessagesTable {
  id: Generated<string>;
  batch_id: string;
  round_id: string;
  invitation_id: string | null;
  to_address: string;
  language: 'nl' | 'en';
  status: Generated<MailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  error: string | null;
  transport: 'outbox' | 'smtp' | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface ActionPlanActionsTable {
  id: Generated<string>;
  organisation_id: string;
  round_id: string;
  source: 'priority' | 'mechanism';
  mechanism_id: string;
  title: string;
  owner: string;
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  status: ColumnType<'planned' | 'in_progress' | 'done' | 'dropped', 'planned' | 'in_progress' | 'done' | 'dropped' | undefined, 'planned' | 'in_progress' | 'done' | 'dropped'>;
  item_ids: TextArray;
  notes: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One-time invitation links of staff users (migration 0017); owner connection only. */
export interface StaffInvitesTable {
  id: Generated<string>;
  user_id: string;
  token_sha256: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** Staff mail sent (invitations); the body only in outbox mode (migration 0017). */
export interface StaffMailTable {
  id: Generated<string>;
  consultancy_id: string;
  organisation_id: string | null;
  to_address: string;
  language: 'nl' | 'en';
  status: 'sent' | 'failed';
  error: string | null;
  transport: 'outbox' | 'smtp';
  subject: string;
  text_body: string | null;
  html_body: string | null;
  created_at: Timestamp;
}

export interface DB {
  staff_invites: StaffInvitesTable;
  staff_mail: StaffMailTable;
  action_plan_actions: ActionPlanActionsTable;
  mail_batches: MailBatchesTable;
  mail_messages: MailMessagesTable;
  consultancies: ConsultanciesTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  benchmark_sets: BenchmarkSetsTable;
  benchmark_values: BenchmarkValuesTable;
  rounds: RoundsTable;
  invitations: InvitationsTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  module_answers: ModuleAnswersTable;
  open_answers: OpenAnswersTable;
  result_extras: ResultExtrasTable;
  factor_answers: FactorAnswersTable;
  checklist_answers: ChecklistAnswersTable;
  placements: PlacementsTable;
  pool_entries: PoolEntriesTable;
  round_snapshots: RoundSnapshotsTable;
  result_releases: ResultReleasesTable;
  result_release_parts: ResultReleasePartsTable;
  round_response_sums: RoundResponseSumsTable;
  idempotency_keys: IdempotencyKeysTable;
  report_batches: ReportBatchesTable;
  report_jobs: ReportJobsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  audit_events: AuditEventsTable;
}

/** A database handle or an open transaction: what query functions take. Declared once, here. */
export type Db = Kysely<DB> | Transaction<DB>;
