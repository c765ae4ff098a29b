// Invitation links: one shared link per form (optionally capped), and personal links from an uploaded
// list of email addresses. A link is `${publicUrl}/s/<token>`; the token is 32 random bytes of which
// only the SHA-256 is stored, so the plain link exists only in the answer that creates it (or a
// reissue). Who answered what is kept apart: see responses.ts.
import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB, Db, InvitationsTable } from '../db/schema.js';
import { newToken } from '../lib/crypto.js';
import { ConflictError, NotFoundError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import { AGE_BAND_VALUES, EDUCATION_VALUES, type Form } from '../../scans/index.js';
import { CsvSyntaxError, parseCsv, toCsv } from '../lib/csv.js';
import { invitationHash } from './responses.js';

export type InvitationRow = Selectable<InvitationsTable>;

export const MAX_INVITATIONS_PER_UPLOAD = 10_000;

export interface InvitationDto {
  id: string;
  roundId: string;
  kind: 'shared' | 'personal';
  form: Form;
  email: string | null;
  department: string | null;
  maxResponses: number | null;
  /** Shared link: responses started through it. Personal: 0 or 1. */
  uses: number;
  startedAt: string | null;
  submittedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toInvitationDto(r: InvitationRow): InvitationDto {
  return {
    id: r.id,
    roundId: r.round_id,
    kind: r.kind,
    form: r.form,
    email: r.email,
    department: r.department,
    maxResponses: r.max_responses,
    // Per person, staff see that someone was invited, not whether they responded: HR learns how
    // many responded (response-rates.ts), never who.
    uses: r.kind === 'personal' ? 0 : r.uses,
    startedAt: r.kind === 'personal' ? null : iso(r.started_at),
    submittedAt: r.kind === 'personal' ? null : iso(r.submitted_at),
    createdAt: r.created_at.toISOString(),
    revokedAt: iso(r.revoked_at),
  };
}

export const surveyLink = (publicUrl: string, token: string) => `${publicUrl}/s/${token}`;

function assertNotClosed(round: { status: string }) {
  if (round.status === 'closed') throw new ConflictError('round_closed', 'The round is closed; reopen it to invite more people');
}

export async function createSharedInvitation(
  db: Db,
  round: { id: string; status: string },
  input: { form: Form; maxResponses: number | null },
): Promise<{ invitation: InvitationRow; token: string }> {
  assertNotClosed(round);
  const token = newToken();
  const invitation = await db
    .insertInto('invitations')
    .values({ round_id: round.id, kind: 'shared', form: input.form, token_hash: invitationHash(token), max_responses: input.maxResponses })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { invitation, token };
}

// --- personal invitations from a list --------------------------------------------------------------

const EMAIL = /^[^\s@,;"'<>()[\]\\]+@[^\s@,;"'<>()[\]\\]+\.[^\s@,;"'<>()[\]\\]+$/;

type ListColumn = 'email' | 'department' | 'role' | 'education' | 'contract' | 'age_band' | 'form' | 'language';
const HEADERS: Record<ListColumn, readonly string[]> = {
  email: ['email', 'e-mail', 'emailadres', 'e-mailadres', 'email address', 'e-mail address', 'mail'],
  department: ['department', 'afdeling', 'team', 'segment'],
  role: ['role', 'rol', 'functie', 'leidinggevende'],
  education: ['education', 'opleiding', 'opleidingsniveau'],
  contract: ['contract', 'dienstverband'],
  age_band: ['age_band', 'age band', 'age', 'leeftijd', 'leeftijdsgroep'],
  form: ['form', 'formulier', 'vragenlijst'],
  language: ['language', 'taal', 'lang'],
};
const HEADER_OF = new Map<string, ListColumn>(Object.entries(HEADERS).flatMap(([col, names]) => names.map((n) => [n, col as ListColumn] as const)));

// Values as HR may write them (Dutch or English) -> the stored value.
const VALUE_ALIASES: Record<'role' | 'education' | 'contract' | 'age_band' | 'form' | 'language', Record<string, string>> = {
  role: { employee: 'employee', medewerker: 'employee', manager: 'manager', leidinggevende: 'manager', ja: 'manager', nee: 'employee' },
  education: Object.fromEntries(EDUCATION_VALUES.map((v) => [v, v])),
  contract: { permanent: 'permanent', vast: 'permanent', flexible: 'flexible', flexibel: 'flexible', tijdelijk: 'flexible', flex: 'flexible' },
  age_band: { ...Object.fromEntries(AGE_BAND_VALUES.map((v) => [v, v])), '<25': 'under_25', '25-34': '25_34', '35-44': '35_44', '45-54': '45_54', '55+': '55_plus' },
  form: { employee: 'employee', employees: 'employee', medewerker: 'employee', medewerkers: 'employee', management: 'management', hr: 'management', 'management/hr': 'management', 'hr/management': 'management' },
  language: { nl: 'nl', en: 'en', nederlands: 'nl', dutch: 'nl', english: 'en', engels: 'en' },
};

export interface InvitationListEntry {
  line: number;
  email: string;
  department: string | null;
  role: 'employee' | 'manager' | null;
  education: string | null;
  contract: 'permanent' | 'flexible' | null;
  age_band: string | null;
  /** From a form column; null: the form of the upload. */
  form: Form | null;
  language: 'nl' | 'en' | null;
}

/**
 * Reads an uploaded list: one address per line, with or without a header row. Without a header: the
 * address and optionally the department. With a header (email/e-mail/emailadres, ...): also role,
 * education, contract, age band (the questionnaire's values, Dutch aliases allowed), form
 * (employee/management) and language (nl/en). Every problem is reported with its line; any problem
 * rejects the whole list. Departments must be in the round's list (any case).
 */
export function parseInvitationList(text: string, departments: readonly string[], languages: readonly string[] = ['nl', 'en']): InvitationListEntry[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ValidationFailedError('The list is not valid CSV', [{ path: err.path, message: err.reason }]);
    throw err;
  }
  const errors: FieldError[] = [];
  const cols = new Map<ListColumn, number>([['email', 0]]);
  const first = rows[0];
  if (first && first.cells.some((c) => HEADER_OF.get(c.trim().toLowerCase()) === 'email')) {
    rows = rows.slice(1);
    cols.clear();
    first.cells.forEach((c, i) => {
      const h = c.trim().toLowerCase();
      const col = HEADER_OF.get(h);
      if (col && !cols.has(col)) cols.set(col, i);
      else if (col) errors.push({ path: `line ${first.line}, column ${i + 1}`, message: `Column "${c.trim()}" appears twice` });
      else if (h !== '') {
        errors.push({
          path: `line ${first.line}, column ${i + 1}`,
          message: `Unknown column "${c.trim().slice(0, 60)}" (expected email and optionally department, role, education, contract, age_band, form, language)`,
        });
      }
    });
  } else if (first && first.cells.length >= 2) {
    cols.set('department', 1);
  }
  const width = Math.max(...cols.values()) + 1;
  if (rows.length === 0) errors.push({ path: 'body', message: 'The list has no email addresses' });
  if (rows.length > MAX_INVITATIONS_PER_UPLOAD) {
    errors.push({ path: 'body', message: `At most ${MAX_INVITATIONS_PER_UPLOAD} addresses per upload (this list has ${rows.length})` });
  }
  const byLower = new Map(departments.map((d) => [d.toLocaleLowerCase('nl'), d]));
  const seen = new Map<string, number>();
  const entries: InvitationListEntry[] = [];
  for (const row of rows) {
    const at = (col: string) => `line ${row.line}, column ${col}`;
    if (row.cells.filter((c, i) => i >= width && c.trim() !== '').length > 0) {
      errors.push({ path: `line ${row.line}`, message: `Too many columns (expected ${width})` });
      continue;
    }
    const cell = (col: ListColumn) => {
      const i = cols.get(col);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const email = cell('email').toLowerCase();
    if (!email) {
      errors.push({ path: at('email'), message: 'Missing email address' });
      continue;
    }
    if (email.length > 254 || !EMAIL.test(email)) {
      errors.push({ path: at('email'), message: `Not a valid email address: ${email.slice(0, 80)}` });
      continue;
    }
    let department: string | null = null;
    const rawDept = cell('department');
    if (rawDept) {
      department = byLower.get(rawDept.toLocaleLowerCase('nl')) ?? null;
      if (!department) {
        errors.push({
          path: at('department'),
          message: departments.length
            ? `Unknown department "${rawDept.slice(0, 100)}" (the round has: ${departments.join(', ')})`
            : 'The round has no departments; leave the column empty or add departments to the round first',
        });
        continue;
      }
    }
    const values: Partial<Record<keyof typeof VALUE_ALIASES, string | null>> = {};
    let bad = false;
    for (const col of Object.keys(VALUE_ALIASES) as (keyof typeof VALUE_ALIASES)[]) {
      const raw = cell(col);
      if (!raw) {
        values[col] = null;
        continue;
      }
      const v = VALUE_ALIASES[col][raw.toLowerCase()];
      if (!v || (col === 'language' && !languages.includes(v))) {
        const allowed = col === 'language' ? languages.join(', ') : [...new Set(Object.values(VALUE_ALIASES[col]))].join(', ');
        errors.push({ path: at(col), message: `Unknown ${col.replace('_', ' ')} "${raw.slice(0, 60)}" (expected one of: ${allowed})` });
        bad = true;
        continue;
      }
      values[col] = v;
    }
    if (bad) continue;
    const key = `${values.form ?? ''}|${email}`;
    const dup = seen.get(key);
    if (dup !== undefined) {
      errors.push({ path: at('email'), message: `Duplicate: ${email} is already on line ${dup}` });
      continue;
    }
    seen.set(key, row.line);
    entries.push({
      line: row.line,
      email,
      department,
      role: (values.role ?? null) as InvitationListEntry['role'],
      education: values.education ?? null,
      contract: (values.contract ?? null) as InvitationListEntry['contract'],
      age_band: values.age_band ?? null,
      form: (values.form ?? null) as Form | null,
      language: (values.language ?? null) as InvitationListEntry['language'],
    });
  }
  if (errors.length) throw new ValidationFailedError(`The list has ${errors.length} problem(s); nothing was imported`, errors.slice(0, 200));
  return entries;
}

export interface IssuedLink {
  id: string;
  email: string;
  department: string | null;
  form: Form;
  token: string;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  form: Form;
  language: 'nl' | 'en' | null;
}

export interface PersonalUploadResult {
  form: Form;
  /** Links to hand out: only when the round's links are sent by HR (mail merge). */
  created: IssuedLink[];
  /** Every invitation made (no links). */
  invitations: CreatedInvitation[];
  /** Addresses already invited for this form in this round: not changed, no new link. */
  alreadyInvited: Array<{ line: number; email: string }>;
}

/**
 * Creates personal invitations for new addresses (all in one transaction: the caller's). With
 * `issueLinks` (HR sends the links themselves) the plain links are returned once; otherwise no one
 * gets a link now: the platform creates it when it sends the invitation mail (server/mail/jobs.ts).
 * A row in the list may name its own form; otherwise the upload's form applies.
 */
export async function createPersonalInvitations(
  tx: Transaction<DB>,
  round: { id: string; status: string; departments: string[]; languages?: string[] },
  form: Form,
  text: string,
  opts: { issueLinks: boolean } = { issueLinks: true },
): Promise<PersonalUploadResult> {
  assertNotClosed(round);
  const entries = parseInvitationList(text, round.departments, round.languages ?? ['nl', 'en']).map((e) => ({ ...e, form: e.form ?? form }));
  const existing = new Set<string>();
  for (const f of new Set(entries.map((e) => e.form))) {
    const ofForm = entries.filter((e) => e.form === f);
    for (let i = 0; i < ofForm.length; i += 1000) {
      const chunk = ofForm.slice(i, i + 1000).map((e) => e.email);
      const rows = await tx
        .selectFrom('invitations')
        .select('email')
        .where('round_id', '=', round.id)
        .where('form', '=', f)
        .where('kind', '=', 'personal')
        .where('email', 'in', chunk)
        .execute();
      for (const r of rows) existing.add(`${f}|${r.email!}`);
    }
  }
  const key = (e: { form: Form; email: string }) => `${e.form}|${e.email}`;
  const alreadyInvited = entries.filter((e) => existing.has(key(e))).map((e) => ({ line: e.line, email: e.email }));
  // Without issueLinks the token is thrown away at once: the stored hash opens nothing until the
  // mail job replaces it with the hash of the link it sends.
  const fresh = entries.filter((e) => !existing.has(key(e))).map((e) => ({ ...e, token: newToken() }));
  const created: IssuedLink[] = [];
  const invitations: CreatedInvitation[] = [];
  for (let i = 0; i < fresh.length; i += 2000) {
    const chunk = fresh.slice(i, i + 2000);
    const rows = await tx
      .insertInto('invitations')
      .values(
        chunk.map((e) => ({
          round_id: round.id,
          kind: 'personal' as const,
          form: e.form,
          token_hash: invitationHash(e.token),
          email: e.email,
          department: e.department,
          role: e.role,
          education: e.education,
          contract: e.contract,
          age_band: e.age_band,
          language: e.language,
        })),
      )
      .onConflict((oc) => oc.columns(['round_id', 'form', 'email']).where('kind', '=', 'personal').doNothing())
      .returning(['id', 'email', 'form'])
      .execute();
    const ids = new Map(rows.map((r) => [`${r.form}|${r.email!}`, r.id]));
    for (const e of chunk) {
      const id = ids.get(key(e));
      if (!id) {
        alreadyInvited.push({ line: e.line, email: e.email }); // invited by a concurrent upload
        continue;
      }
      invitations.push({ id, email: e.email, form: e.form, language: e.language });
      if (opts.issueLinks) created.push({ id, email: e.email, department: e.department, form: e.form, token: e.token });
    }
  }
  alreadyInvited.sort((a, b) => a.line - b.line);
  return { form, created, invitations, alreadyInvited };
}

/** A batch of invitation mails for new invitations; the job sends them once the round is open. */
export async function queueInvitationMails(
  tx: Db,
  round: { id: string; languages: string[] },
  invitations: CreatedInvitation[],
  createdBy: string | null,
): Promise<{ batchId: string; recipients: number } | null> {
  if (invitations.length === 0) return null;
  const batch = await tx
    .insertInto('mail_batches')
    .values({ round_id: round.id, kind: 'invitation', form: null, recipients: invitations.length, materialised_at: new Date(), created_by: createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fallback = (round.languages[0] ?? 'nl') as 'nl' | 'en';
  for (let i = 0; i < invitations.length; i += 2000) {
    await tx
      .insertInto('mail_messages')
      .values(invitations.slice(i, i + 2000).map((inv) => ({ batch_id: batch.id, round_id: round.id, invitation_id: inv.id, to_address: inv.email, language: inv.language ?? fallback })))
      .execute();
  }
  return { batchId: batch.id, recipients: invitations.length };
}

/**
 * New links for personal invitations that have not been started (for a reminder mail merge); the old
 * links stop working. Started invitations keep their link: a new one could not reach the saved answers.
 */
export async function reissuePersonalInvitations(
  tx: Transaction<DB>,
  round: { id: string; status: string },
  form: Form,
): Promise<IssuedLink[]> {
  assertNotClosed(round);
  const rows = await tx
    .selectFrom('invitations')
    .select(['id', 'email', 'department'])
    .where('round_id', '=', round.id)
    .where('form', '=', form)
    .where('kind', '=', 'personal')
    .where('started_at', 'is', null)
    .where('revoked_at', 'is', null)
    .orderBy('email')
    .forUpdate()
    .execute();
  const issued = rows.map((r) => ({ id: r.id, email: r.email!, department: r.department, form, token: newToken() }));
  for (let i = 0; i < issued.length; i += 2000) {
    const chunk = issued.slice(i, i + 2000);
    // One statement per chunk: the new hashes arrive as one JSON parameter.
    const pairs = JSON.stringify(chunk.map((c) => ({ id: c.id, hash: invitationHash(c.token) })));
    await sql`update invitations set token_hash = v.hash
      from json_to_recordset(${pairs}::json) as v(id uuid, hash text)
      where invitations.id = v.id`.execute(tx);
  }
  return issued;
}

export function linksCsv(publicUrl: string, links: IssuedLink[]): string {
  return toCsv(['email', 'department', 'form', 'link'], links.map((l) => [l.email, l.department, l.form, surveyLink(publicUrl, l.token)]));
}

export async function listInvitations(db: Db, roundId: string, filter: { kind?: 'shared' | 'personal'; form?: Form } = {}): Promise<InvitationRow[]> {
  let q = db.selectFrom('invitations').selectAll().where('round_id', '=', roundId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.form) q = q.where('form', '=', filter.form);
  return q.orderBy('kind', 'desc').orderBy('form').orderBy('email').orderBy('created_at').execute();
}

/** Withdraws a link: the token stops working at once. Revoking twice is harmless. */
export async function revokeInvitation(db: Db, roundId: string, invitationId: string, now = new Date()): Promise<InvitationRow> {
  if (!/^[0-9a-f-]{36}$/i.test(invitationId)) throw new NotFoundError('Invitation');
  const row = await db
    .updateTable('invitations')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
    .where('id', '=', invitationId)
    .where('round_id', '=', roundId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Invitation');
  return row;
}

