// Invitation links: one shared link per form (optionally capped), and personal links from an uploaded
// list of email addresses. A link is `${publicUrl}/s/<token>`; the token is 32 random bytes of which
// only the SHA-256 is stored, so the plain link exists only in the answer that creates it (or a
// reissue). Who answered what is kept apart: see responses.ts.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, InvitationsTable } from '../db/schema.js';
import { newToken } from '../lib/crypto.js';
import { ConflictError, NotFoundError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import type { Form } from '../../scans/index.js';
import { CsvSyntaxError, parseCsv, toCsv } from '../lib/csv.js';
import { invitationHash } from './responses.js';

type Db = Kysely<DB> | Transaction<DB>;
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
    uses: r.kind === 'personal' ? (r.started_at ? 1 : 0) : r.uses,
    startedAt: iso(r.started_at),
    submittedAt: iso(r.submitted_at),
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
const EMAIL_HEADERS = new Set(['email', 'e-mail', 'emailadres', 'e-mailadres', 'email address', 'e-mail address', 'mail']);
const DEPARTMENT_HEADERS = new Set(['department', 'afdeling', 'team', 'segment']);

export interface InvitationListEntry {
  line: number;
  email: string;
  department: string | null;
}

/**
 * Reads an uploaded list: one address per line, optionally a department column, with or without a
 * header row (email/e-mail/emailadres, department/afdeling). Every problem is reported with its line;
 * any problem rejects the whole list. Departments must be in the round's list (any case).
 */
export function parseInvitationList(text: string, departments: readonly string[]): InvitationListEntry[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ValidationFailedError('The list is not valid CSV', [{ path: err.path, message: err.reason }]);
    throw err;
  }
  const errors: FieldError[] = [];
  let emailCol = 0;
  let deptCol: number | null = null;
  const first = rows[0];
  if (first && first.cells.some((c) => EMAIL_HEADERS.has(c.trim().toLowerCase()))) {
    rows = rows.slice(1);
    deptCol = null;
    first.cells.forEach((c, i) => {
      const h = c.trim().toLowerCase();
      if (EMAIL_HEADERS.has(h)) emailCol = i;
      else if (DEPARTMENT_HEADERS.has(h)) deptCol = i;
      else if (h !== '') errors.push({ path: `line ${first.line}, column ${i + 1}`, message: `Unknown column "${c.trim()}" (expected email and optionally department)` });
    });
  } else if (first && first.cells.length >= 2) {
    deptCol = 1;
  }
  const width = Math.max(emailCol, deptCol ?? 0) + 1;
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
    const email = (row.cells[emailCol] ?? '').trim().toLowerCase();
    if (!email) {
      errors.push({ path: at('email'), message: 'Missing email address' });
      continue;
    }
    if (email.length > 254 || !EMAIL.test(email)) {
      errors.push({ path: at('email'), message: `Not a valid email address: ${email.slice(0, 80)}` });
      continue;
    }
    let department: string | null = null;
    const rawDept = deptCol !== null ? (row.cells[deptCol] ?? '').trim() : '';
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
    const dup = seen.get(email);
    if (dup !== undefined) {
      errors.push({ path: at('email'), message: `Duplicate: ${email} is already on line ${dup}` });
      continue;
    }
    seen.set(email, row.line);
    entries.push({ line: row.line, email, department });
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

export interface PersonalUploadResult {
  form: Form;
  created: IssuedLink[];
  /** Addresses already invited for this form in this round: not changed, no new link. */
  alreadyInvited: Array<{ line: number; email: string }>;
}

/** Creates personal invitations for new addresses (all in one transaction: the caller's). */
export async function createPersonalInvitations(
  tx: Transaction<DB>,
  round: { id: string; status: string; departments: string[] },
  form: Form,
  text: string,
): Promise<PersonalUploadResult> {
  assertNotClosed(round);
  const entries = parseInvitationList(text, round.departments);
  const existing = new Set<string>();
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000).map((e) => e.email);
    const rows = await tx
      .selectFrom('invitations')
      .select('email')
      .where('round_id', '=', round.id)
      .where('form', '=', form)
      .where('kind', '=', 'personal')
      .where('email', 'in', chunk)
      .execute();
    for (const r of rows) existing.add(r.email!);
  }
  const alreadyInvited = entries.filter((e) => existing.has(e.email)).map((e) => ({ line: e.line, email: e.email }));
  const fresh = entries.filter((e) => !existing.has(e.email)).map((e) => ({ ...e, token: newToken() }));
  const created: IssuedLink[] = [];
  for (let i = 0; i < fresh.length; i += 2000) {
    const chunk = fresh.slice(i, i + 2000);
    const rows = await tx
      .insertInto('invitations')
      .values(chunk.map((e) => ({ round_id: round.id, kind: 'personal' as const, form, token_hash: invitationHash(e.token), email: e.email, department: e.department })))
      .onConflict((oc) => oc.columns(['round_id', 'form', 'email']).where('kind', '=', 'personal').doNothing())
      .returning(['id', 'email'])
      .execute();
    const ids = new Map(rows.map((r) => [r.email!, r.id]));
    for (const e of chunk) {
      const id = ids.get(e.email);
      if (id) created.push({ id, email: e.email, department: e.department, form, token: e.token });
      else alreadyInvited.push({ line: e.line, email: e.email }); // invited by a concurrent upload
    }
  }
  alreadyInvited.sort((a, b) => a.line - b.line);
  return { form, created, alreadyInvited };
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

