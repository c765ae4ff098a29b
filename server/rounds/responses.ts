// Responses: starting, autosaving and submitting through a survey token, and inserting complete
// responses directly (demo and synthetic data).
//
// Anonymity of who answered. Responses have NO column that points at an invitation, and no query can
// join an email address to answers:
// - An invitation stores only sha256(token) (token_hash). A personal link's response is stored under
//   access_hash = sha256("response:" + token): only someone holding the token can compute both hashes,
//   the database alone cannot relate them. The invitation row only records that its holder started
//   and submitted (started_at/submitted_at), which is what response tracking needs.
// - A shared link is a door, not an identity: POST /survey/:token/start creates a fresh response with
//   a new random respondent token (returned once) and access_hash = sha256("response:" + that token),
//   and counts the start on the invitation (`uses`, atomically against max_responses). The respondent
//   continues with the respondent token; nothing records which shared link a response came through.
// - Timestamps on responses (and employee placements) are kept to the day, so that matching an
//   invitation's submitted_at against a response's timestamps cannot single a person out.
// - Idempotency records of submits are scoped by sha256("idempotency:" + token): they lead to neither
//   the invitation nor the response.
import { sql, type Kysely } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import { withSurveyTokenScope } from '../auth/tenant-scope.js';
import { newToken, sha256Hex } from '../lib/crypto.js';
import { AppError, ConflictError, GoneError, NotFoundError } from '../lib/errors.js';
import type { Form, Language, Module } from '../../scans/index.js';
import { cultureScanCoveredBy, requireCompiledScan } from './instruments.js';
import {
  BACKGROUND_FIELDS,
  EXTRA_BACKGROUND_FIELDS,
  validateResponseInput,
  type AnswerRules,
  type AnyBackgroundField,
  type BackgroundField,
  type ResponseInput,
} from './validation.js';

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const invitationHash = (token: string) => sha256Hex(token);
export const responseAccessHash = (token: string) => sha256Hex(`response:${token}`);

/**
 * Runs fn(tx) in the tenant scope of the organisation the survey token leads to (withSurveyTokenScope:
 * the token is resolved to that organisation's id only, then row-level security limits everything
 * fn does to that organisation). All of the respondent's work runs here; nothing of it in the account
 * or system scope. A token that cannot be one, or that leads nowhere, answers 404.
 */
export async function inSurveyScope<T>(db: Kysely<DB>, token: string, fn: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (!TOKEN_PATTERN.test(token)) throw new NotFoundError('Survey link');
  return withSurveyTokenScope(db, { invitationHash: invitationHash(token), accessHash: responseAccessHash(token) }, (tx, organisationId) => {
    if (!organisationId) throw new NotFoundError('Survey link');
    return fn(tx);
  });
}

const idempotencyScope = (token: string) => `survey-submit:${sha256Hex(`idempotency:${token}`)}`;

/** Midnight UTC of a moment: the precision response timestamps are stored with. */
export function dayOf(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export interface TokenRound extends AnswerRules {
  id: string;
  name: string;
  status: 'draft' | 'open' | 'closed';
  opens_at: Date | null;
  closes_at: Date | null;
  modules: Module[];
  languages: Language[];
}

/** What a survey token stands for. */
export interface ResolvedToken {
  token: string;
  /** shared: a shared link (start first); personal: a personal link; respondent: a token from a shared-link start. */
  kind: 'shared' | 'personal' | 'respondent';
  form: Form;
  round: TokenRound;
  invitation: { id: string; maxResponses: number | null; uses: number } | null;
  response: { id: string; status: 'in_progress' | 'submitted'; language: Language; submittedAt: Date | null } | null;
}

interface ResolveRow {
  src: 'invitation' | 'response';
  id: string;
  inv_kind: 'shared' | 'personal' | null;
  form: Form;
  revoked_at: Date | null;
  max_responses: number | null;
  uses: number | null;
  resp_status: 'in_progress' | 'submitted' | null;
  resp_language: Language | null;
  resp_submitted_at: Date | null;
  round_id: string;
  name: string;
  status: 'draft' | 'open' | 'closed';
  opens_at: Date | null;
  closes_at: Date | null;
  instrument_id: string;
  modules: Module[];
  languages: Language[];
  departments: string[];
  employee_placements: boolean;
}

/**
 * Resolves a token in one call of lcs_resolve_survey_token (migration 2026-11-21-0006): two index
 * lookups, as an invitation token and as the key of a response. Throws 404 for an unknown token and
 * 410 for a withdrawn link.
 */
export async function resolveToken(db: Db, token: string): Promise<ResolvedToken> {
  if (!TOKEN_PATTERN.test(token)) throw new NotFoundError('Survey link');
  const { rows } = await sql<ResolveRow>`
    select * from lcs_resolve_survey_token(${invitationHash(token)}::text, ${responseAccessHash(token)}::text)`.execute(db);
  const inv = rows.find((r) => r.src === 'invitation');
  const resp = rows.find((r) => r.src === 'response');
  const r = inv ?? resp;
  if (!r) throw new NotFoundError('Survey link');
  if (inv?.revoked_at) throw new GoneError('link_revoked', 'This survey link has been withdrawn');
  return {
    token,
    kind: inv?.inv_kind ?? 'respondent',
    form: r.form,
    round: {
      id: r.round_id,
      name: r.name,
      status: r.status,
      opens_at: r.opens_at,
      closes_at: r.closes_at,
      instrument_id: r.instrument_id,
      modules: r.modules,
      languages: r.languages,
      departments: r.departments,
      employee_placements: r.employee_placements,
    },
    invitation: inv ? { id: inv.id, maxResponses: inv.max_responses, uses: inv.uses ?? 0 } : null,
    response: resp ? { id: resp.id, status: resp.resp_status!, language: resp.resp_language!, submittedAt: resp.resp_submitted_at } : null,
  };
}

/**
 * The rules with the round's optional modules (migration 0012). Kept out of lcs_resolve_survey_token
 * (a frozen migration); read only where modules matter: building the questionnaire, and validating a
 * body that carries module answers.
 */
export async function withSurveyModules<R extends AnswerRules & { id: string }>(db: Db, round: R): Promise<R> {
  if (round.survey_modules) return round;
  const row = await db.selectFrom('rounds').select('survey_modules').where('id', '=', round.id).executeTakeFirst();
  return { ...round, survey_modules: row?.survey_modules ?? [] };
}

/** Whether a body carries anything only the general path writes (modules, tenure, contract hours). */
function hasExtras(input: ResponseInput): boolean {
  return input.modules !== undefined || EXTRA_BACKGROUND_FIELDS.some((f) => input.background?.[f] !== undefined);
}

/**
 * Writes what lcs_write_response does not know (migration 0012): tenure and contract hours, module
 * answers and open answers, for a response just written in the same transaction.
 */
export async function writeExtras(db: Db, responseId: string, input: ResponseInput): Promise<void> {
  const bg: Partial<Record<(typeof EXTRA_BACKGROUND_FIELDS)[number], string | null>> = {};
  for (const f of EXTRA_BACKGROUND_FIELDS) if (input.background?.[f] !== undefined) bg[f] = input.background[f]!;
  if (Object.keys(bg).length > 0) await db.updateTable('responses').set(bg).where('id', '=', responseId).execute();
  const m = input.modules;
  if (!m) return;
  const rows: Array<{ response_id: string; question_id: string; value: number | null; choice: string | null }> = [];
  for (const [id, value] of Object.entries(m.motivation ?? {})) rows.push({ response_id: responseId, question_id: id, value, choice: null });
  if (m.learning !== undefined) {
    if (m.learning === null) await db.deleteFrom('module_answers').where('response_id', '=', responseId).where('question_id', '=', 'learning').execute();
    else rows.push({ response_id: responseId, question_id: 'learning', value: null, choice: m.learning });
  }
  if (rows.length) {
    await db
      .insertInto('module_answers')
      .values(rows)
      .onConflict((oc) => oc.columns(['response_id', 'question_id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), choice: eb.ref('excluded.choice') })))
      .execute();
  }
  for (const [prompt, body] of Object.entries(m.open ?? {}) as Array<['helps' | 'change', string | null]>) {
    if (body === null) await db.deleteFrom('open_answers').where('response_id', '=', responseId).where('prompt_id', '=', prompt).execute();
    else {
      await db
        .insertInto('open_answers')
        .values({ response_id: responseId, prompt_id: prompt, body })
        .onConflict((oc) => oc.columns(['response_id', 'prompt_id']).doUpdateSet({ body }))
        .execute();
    }
  }
}

/** The name of the organisation a round belongs to (for the questionnaire's welcome). */
export async function organisationNameOfRound(db: Db, roundId: string): Promise<string> {
  const row = await db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .select('organisations.name')
    .where('rounds.id', '=', roundId)
    .executeTakeFirst();
  return row?.name ?? '';
}

/** Throws the problem a respondent should see when the round cannot be answered now. */
export function assertAnswerable(round: Pick<TokenRound, 'status' | 'opens_at' | 'closes_at'>, now = new Date()): void {
  if (round.status === 'closed' || (round.closes_at && round.closes_at.getTime() <= now.getTime())) {
    throw new GoneError('round_closed', 'This survey has closed');
  }
  if (round.status === 'draft') throw new ConflictError('round_not_open', 'This survey has not been opened yet');
  if (round.opens_at && round.opens_at.getTime() > now.getTime()) {
    throw new ConflictError('round_not_open', `This survey opens at ${round.opens_at.toISOString()}`);
  }
}

/**
 * A write statement wrote nothing because the round was not answerable: say why (closed, not open
 * yet, or a close under way that has not committed).
 */
async function roundNotWritable(db: Db, token: string): Promise<never> {
  const again = await resolveToken(db, token);
  assertAnswerable(again.round);
  throw new ConflictError('round_closing', 'This survey is being closed right now');
}

function alreadySubmitted(): AppError {
  return new ConflictError('already_submitted', 'This response has already been submitted and can no longer be changed');
}

// --- starting -------------------------------------------------------------------------------------

export interface StartResult {
  /** The token to continue with: a new respondent token for a shared link, the same token otherwise. */
  token: string;
  created: boolean;
  status: 'in_progress' | 'submitted';
}

/**
 * Shared link: a new response with its own respondent token, counting one use against the cap, in
 * one statement. Personal link: creates the response if it does not exist yet (idempotent).
 * Respondent token: nothing to do.
 */
export async function startResponse(db: Kysely<DB>, t: ResolvedToken, language: Language | undefined, now = new Date()): Promise<StartResult> {
  assertAnswerable(t.round, now);
  const lang = language && t.round.languages.includes(language) ? language : t.round.languages[0]!;
  const day = dayOf(now);
  if (t.kind === 'respondent') return { token: t.token, created: false, status: t.response!.status };
  if (t.kind === 'personal') {
    if (t.response) return { token: t.token, created: false, status: t.response.status };
    const res = await sql<{ response_id: string | null }>`
      with round_ok as (${roundOkSql(t.round.id)}),
      resp as (
        insert into responses (round_id, form, access_hash, channel, link_kind, language, started_at, updated_at)
        select ${t.round.id}::uuid, ${t.form}, ${responseAccessHash(t.token)}, 'link', 'personal', ${lang}, ${day}::timestamptz, ${day}::timestamptz
        from round_ok
        on conflict (access_hash) do nothing
        returning id
      ),
      inv as (
        update invitations set started_at = coalesce(started_at, now())
        where id = ${t.invitation!.id}::uuid and exists (select 1 from round_ok)
      )
      select (select id from resp) as response_id`.execute(db);
    if (!res.rows[0]?.response_id) {
      const again = await resolveToken(db, t.token);
      if (!again.response) await roundNotWritable(db, t.token);
      return { token: t.token, created: false, status: again.response!.status };
    }
    return { token: t.token, created: true, status: 'in_progress' };
  }
  // Shared link.
  const inv = t.invitation!;
  if (inv.maxResponses !== null && inv.uses >= inv.maxResponses) throw linkFull();
  const respondentToken = newToken();
  const res = await sql<{ response_id: string | null; round_open: boolean }>`
    with round_ok as (${roundOkSql(t.round.id)}),
    inv as (
      update invitations set uses = uses + 1, started_at = coalesce(started_at, now())
      where id = ${inv.id}::uuid and revoked_at is null
        and (max_responses is null or uses < max_responses)
        and exists (select 1 from round_ok)
      returning round_id, form
    ),
    resp as (
      insert into responses (round_id, form, access_hash, channel, link_kind, language, started_at, updated_at)
      select inv.round_id, inv.form, ${responseAccessHash(respondentToken)}, 'link', 'shared', ${lang}, ${day}::timestamptz, ${day}::timestamptz
      from inv
      returning id
    )
    select (select id from resp) as response_id, exists (select 1 from round_ok) as round_open`.execute(db);
  const row = res.rows[0];
  if (!row?.response_id) {
    if (!row?.round_open) await roundNotWritable(db, t.token);
    throw linkFull();
  }
  return { token: respondentToken, created: true, status: 'in_progress' };
}

function linkFull(): AppError {
  return new GoneError('link_full', 'This survey link has reached its maximum number of responses');
}

/**
 * Writes to a round and closing it exclude each other through a transaction-scoped advisory lock on
 * the round: every write statement takes it shared (without waiting), closeRound takes it exclusive.
 * A close therefore waits until the writes in flight have committed, and a write that meets a close
 * in progress (or queued) writes nothing. An advisory lock costs no WAL and no row update, unlike
 * FOR SHARE on the round row, which every concurrent submit would otherwise rewrite.
 */
export const ROUND_WRITE_LOCK_CLASS = 74210004;
export function roundLockKey(roundId: string): number {
  return Number.parseInt(roundId.replace(/-/g, '').slice(0, 8), 16) | 0;
}

/** The round, when answerable now and no close is under way (empty otherwise). */
function roundOkSql(roundId: string) {
  return sql`select id from rounds
    where id = ${roundId}::uuid and status = 'open'
      and (opens_at is null or opens_at <= now()) and (closes_at is null or closes_at > now())
      and pg_try_advisory_xact_lock_shared(${ROUND_WRITE_LOCK_CLASS}::int4, ${roundLockKey(roundId)}::int4)`;
}

// --- saving and submitting -----------------------------------------------------------------------

interface WriteParams {
  t: ResolvedToken;
  input: ResponseInput;
  submit: boolean;
  day: Date;
  idempotency?: { scope: string; key: string; requestHash: string; body: unknown };
}

/**
 * One call of lcs_write_response (migration 2026-11-21-0006): one transaction, one round trip, with
 * the plans of its statements cached per connection. It creates or updates the response while it is
 * in progress, inserts the answers, factor ratings and placements (each one multi-row insert from a
 * JSON parameter), marks a personal invitation started/submitted and records the idempotency key,
 * all under the round's write lock taken shared. Returns the response id, or null when nothing was
 * written (round not answerable, or the response already submitted).
 */
async function writeResponse(db: Kysely<DB>, p: WriteParams): Promise<{ responseId: string | null; roundOpen: boolean }> {
  if (!hasExtras(p.input)) return writeCore(db, p);
  // One transaction: the extras are written under the same round lock, or not at all (the caller's
  // scope transaction when there is one).
  const write = async (tx: Db) => {
    const r = await writeCore(tx, p);
    if (r.responseId) await writeExtras(tx, r.responseId, p.input);
    return r;
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

async function writeCore(db: Db, p: WriteParams): Promise<{ responseId: string | null; roundOpen: boolean }> {
  const { t, input, submit, day } = p;
  if (t.kind === 'shared') throw new ConflictError('start_required', 'Start a response first: POST /api/v1/survey/{token}/start');
  const background: Partial<Record<BackgroundField, string | null>> = {};
  for (const f of BACKGROUND_FIELDS) if (input.background?.[f] !== undefined) background[f] = input.background[f]!;
  // Background from the invitation list wins over (and is not asked as) the respondent's own answer.
  if (t.kind === 'personal') Object.assign(background, await invitationBackground(db, t.invitation!.id));
  const answers = input.answers && Object.keys(input.answers).length > 0 ? JSON.stringify(input.answers) : null;
  const factors = input.factors && Object.keys(input.factors).length > 0 ? JSON.stringify(input.factors) : null;
  const frames = Object.entries(input.placements ?? {});
  const placed = frames.filter(([, v]) => v !== null && v !== undefined).map(([frame, v]) => ({ frame, x: v!.x, y: v!.y }));
  const cleared = frames.filter(([, v]) => v === null).map(([frame]) => frame);
  const k = p.idempotency;
  const res = await sql<{ response_id: string | null; round_open: boolean }>`
    select response_id, round_open from lcs_write_response(
      ${t.round.id}::uuid, ${t.form}::text, ${responseAccessHash(t.token)}::text,
      ${t.kind === 'personal' ? 'personal' : 'shared'}::text, ${t.kind === 'personal' ? t.invitation!.id : null}::uuid,
      ${submit}::boolean, ${day}::timestamptz, ${input.language ?? null}::text, ${t.round.languages[0]!}::text,
      ${JSON.stringify(background)}::jsonb, ${answers}::json, ${factors}::json,
      ${placed.length ? JSON.stringify(placed) : null}::json, ${cleared.length ? cleared : null}::text[],
      ${roundLockKey(t.round.id)}::int4,
      ${k?.scope ?? null}::text, ${k?.key ?? null}::text, ${k?.requestHash ?? null}::text, ${k ? JSON.stringify(k.body) : null}::jsonb
    )`.execute(db);
  const row = res.rows[0]!;
  return { responseId: row.response_id, roundOpen: row.round_open };
}

export interface Progress {
  answered: number;
  total: number;
}

async function progressOf(db: Db, responseId: string | null, instrumentId: string, modules: readonly string[]): Promise<Progress> {
  const total = modules.includes('culture_scan') ? requireCompiledScan(instrumentId).itemIds.length : 0;
  if (!responseId || total === 0) return { answered: 0, total };
  const row = await db
    .selectFrom('answers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('response_id', '=', responseId)
    .executeTakeFirstOrThrow();
  return { answered: Number(row.n), total };
}

/** Autosave: validates, then writes in one statement. Saving the same body twice changes nothing more. */
export async function saveAnswers(db: Kysely<DB>, t: ResolvedToken, raw: ResponseInput, now = new Date()) {
  assertAnswerable(t.round, now);
  if (t.kind === 'shared') throw new ConflictError('start_required', 'Start a response first: POST /api/v1/survey/{token}/start');
  if (t.response?.status === 'submitted') throw alreadySubmitted();
  const input = validateResponseInput(raw.modules ? await withSurveyModules(db, t.round) : t.round, t.form, raw);
  const { responseId, roundOpen } = await writeResponse(db, { t, input, submit: false, day: dayOf(now) });
  if (!responseId) {
    if (!roundOpen) await roundNotWritable(db, t.token);
    throw alreadySubmitted();
  }
  return { status: 'in_progress' as const, progress: await progressOf(db, responseId, t.round.instrument_id, t.round.modules) };
}

export interface SubmitResult {
  statusCode: number;
  body: { status: 'submitted'; submittedAt: string };
  replayed: boolean;
}

/**
 * Completes the response in one statement with the final answers of the body (if any). The same
 * Idempotency-Key returns the stored result; another key after submission answers 409
 * already_submitted. Concurrent identical submits: one statement wins the response row, the others
 * wait for it and then find the key stored by the winner.
 */
export async function submitResponse(db: Kysely<DB>, t: ResolvedToken, raw: ResponseInput, key: string, requestHash: string, now = new Date()): Promise<SubmitResult> {
  const scope = idempotencyScope(t.token);
  if (t.kind === 'shared') throw new ConflictError('start_required', 'Start a response first: POST /api/v1/survey/{token}/start');
  if (t.response?.status === 'submitted') return replayOrConflict(db, scope, key, requestHash);
  assertAnswerable(t.round, now);
  const input = validateResponseInput(raw.modules ? await withSurveyModules(db, t.round) : t.round, t.form, raw);
  await assertComplete(db, t, input);
  const day = dayOf(now);
  const body = { status: 'submitted' as const, submittedAt: day.toISOString() };
  const { responseId, roundOpen } = await writeResponse(db, {
    t, input, submit: true, day, idempotency: { scope, key, requestHash, body },
  });
  if (responseId) return { statusCode: 200, body, replayed: false };
  if (!roundOpen) await roundNotWritable(db, t.token);
  return replayOrConflict(db, scope, key, requestHash);
}

/**
 * A submit by token in as few round trips as possible (inside the token's tenant scope, inSurveyScope).
 * A body that answers every statement of a culture-scan instrument goes in one call of
 * lcs_submit_fast (migrations 0007 and 0021), which resolves the token and checks what depends on the
 * round in the database; it declines a personal invitation with background from the uploaded list,
 * whose values the general path merges in. Everything else, and everything the fast call declines,
 * takes the general path: resolve, validate against the round, write (which also gives replays,
 * conflicts and exact error messages). Both paths write through lcs_write_response.
 */
export async function submitByToken(db: Kysely<DB>, token: string, raw: ResponseInput, key: string, requestHash: string, now = new Date()): Promise<SubmitResult> {
  const fast = await submitFast(db, token, raw, key, requestHash, now);
  if (fast) return fast;
  return submitResponse(db, await resolveToken(db, token), raw, key, requestHash, now);
}

const ALL_MODULES = ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'];

async function submitFast(db: Kysely<DB>, token: string, raw: ResponseInput, key: string, requestHash: string, now: Date): Promise<SubmitResult | null> {
  if (!TOKEN_PATTERN.test(token) || !raw.answers || hasExtras(raw)) return null;
  const instrumentId = cultureScanCoveredBy(raw.answers);
  if (!instrumentId) return null;
  // Check against the instrument with the round's part left open: the database checks that part.
  const department = raw.background?.department;
  let input: ResponseInput;
  try {
    input = validateResponseInput(
      {
        instrument_id: instrumentId,
        modules: ALL_MODULES,
        languages: raw.language ? [raw.language] : ['nl', 'en'],
        departments: typeof department === 'string' ? [department] : [],
        employee_placements: true,
      },
      'employee',
      raw,
    );
  } catch {
    return null;
  }
  const background: Partial<Record<BackgroundField, string | null>> = {};
  for (const f of BACKGROUND_FIELDS) if (input.background?.[f] !== undefined) background[f] = input.background[f]!;
  const factors = input.factors && Object.keys(input.factors).length > 0 ? input.factors : null;
  const placed = Object.entries(input.placements ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([frame, v]) => ({ frame, x: v!.x, y: v!.y }));
  if (Object.values(input.placements ?? {}).some((v) => v === null)) return null; // clearing frames: general path
  const day = dayOf(now);
  const body = { status: 'submitted' as const, submittedAt: day.toISOString() };
  const res = await sql<{ outcome: string }>`
    select lcs_submit_fast(
      ${invitationHash(token)}::text, ${responseAccessHash(token)}::text, ${instrumentId}::text,
      ${factors !== null}::boolean, ${placed.length > 0}::boolean, ${input.language ?? null}::text,
      ${day}::timestamptz, ${JSON.stringify(background)}::jsonb, ${JSON.stringify(input.answers)}::json,
      ${factors ? JSON.stringify(factors) : null}::json, ${placed.length ? JSON.stringify(placed) : null}::json,
      ${idempotencyScope(token)}::text, ${key}::text, ${requestHash}::text, ${JSON.stringify(body)}::jsonb
    ) as outcome`.execute(db);
  return res.rows[0]?.outcome === 'ok' ? { statusCode: 200, body, replayed: false } : null;
}

async function replayOrConflict(db: Db, scope: string, key: string, requestHash: string): Promise<SubmitResult> {
  const stored = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'body'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!stored) throw alreadySubmitted();
  if (stored.request_hash !== requestHash) {
    throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body');
  }
  return { statusCode: stored.status_code, body: stored.body as SubmitResult['body'], replayed: true };
}

/** Every culture-scan item must have an answer (a value, or null for don't know) to submit. */
async function assertComplete(db: Db, t: ResolvedToken, input: ResponseInput): Promise<void> {
  if (!t.round.modules.includes('culture_scan')) return;
  const scan = requireCompiledScan(t.round.instrument_id);
  const given = input.answers ?? {};
  let missing = scan.itemIds.filter((id) => !(id in given));
  if (missing.length === 0) return;
  if (t.response) {
    const saved = await db.selectFrom('answers').select('item_id').where('response_id', '=', t.response.id).execute();
    const savedSet = new Set(saved.map((r) => r.item_id));
    missing = missing.filter((id) => !savedSet.has(id));
  }
  if (missing.length > 0) {
    throw new AppError(
      400,
      'incomplete_response',
      `${missing.length} of ${scan.itemIds.length} statements have no answer; choose "don't know" where a statement does not apply`,
      missing.map((id) => ({ path: `body.answers.${id}`, message: 'Not answered' })),
    );
  }
}

/**
 * The background values HR gave for a personal invitation in the uploaded list (only those set). The
 * response receives them when it is written; nothing records which invitation they came from.
 */
export async function invitationBackground(db: Db, invitationId: string): Promise<Partial<Record<BackgroundField, string>>> {
  const row = await db
    .selectFrom('invitations')
    .select(['department', 'role', 'education', 'contract', 'age_band'])
    .where('id', '=', invitationId)
    .where('kind', '=', 'personal')
    .executeTakeFirst();
  const out: Partial<Record<BackgroundField, string>> = {};
  for (const f of BACKGROUND_FIELDS) if (row?.[f]) out[f] = row[f]!;
  return out;
}

// --- reading -------------------------------------------------------------------------------------

export interface SavedResponse {
  answers: Record<string, number | null>;
  background: Record<AnyBackgroundField, string | null>;
  factors: Record<string, number | null>;
  placements: Partial<Record<'current' | 'desired', { x: number; y: number }>>;
  modules: { motivation: Record<string, number | null>; learning: string | null; open: Partial<Record<'helps' | 'change', string>> };
}

export async function loadSavedResponse(db: Db, responseId: string | null): Promise<SavedResponse> {
  const empty: SavedResponse = {
    answers: {},
    background: { department: null, role: null, education: null, contract: null, age_band: null, tenure: null, contract_hours: null },
    factors: {},
    placements: {},
    modules: { motivation: {}, learning: null, open: {} },
  };
  if (!responseId) return empty;
  const [resp, answers, factors, placements, moduleRows, openRows] = await Promise.all([
    db.selectFrom('responses').select(['department', 'role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours']).where('id', '=', responseId).executeTakeFirst(),
    db.selectFrom('answers').select(['item_id', 'value']).where('response_id', '=', responseId).execute(),
    db.selectFrom('factor_answers').select(['factor_id', 'value']).where('response_id', '=', responseId).execute(),
    db.selectFrom('placements').select(['frame', 'x', 'y']).where('response_id', '=', responseId).execute(),
    db.selectFrom('module_answers').select(['question_id', 'value', 'choice']).where('response_id', '=', responseId).execute(),
    db.selectFrom('open_answers').select(['prompt_id', 'body']).where('response_id', '=', responseId).execute(),
  ]);
  if (resp) {
    empty.background = {
      department: resp.department, role: resp.role, education: resp.education, contract: resp.contract, age_band: resp.age_band,
      tenure: resp.tenure, contract_hours: resp.contract_hours,
    };
  }
  for (const r of moduleRows) {
    if (r.question_id === 'learning') empty.modules.learning = r.choice;
    else empty.modules.motivation[r.question_id] = r.value;
  }
  for (const o of openRows) empty.modules.open[o.prompt_id] = o.body;
  for (const a of answers) empty.answers[a.item_id] = a.value;
  for (const f of factors) empty.factors[f.factor_id] = f.value;
  for (const p of placements) if (p.frame === 'current' || p.frame === 'desired') empty.placements[p.frame] = { x: p.x, y: p.y };
  return empty;
}
