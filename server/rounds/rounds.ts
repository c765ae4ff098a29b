// Repository and rules for scan rounds: create, list, read and the changes that are safe in each
// status. State changes (open, close, reopen) live in lifecycle.ts.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, RoundsTable } from '../db/schema.js';
import { AppError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import type { Language, Module } from '../../scans/index.js';
import { compiledScan } from './instruments.js';

type Db = Kysely<DB> | Transaction<DB>;
export type RoundRow = Selectable<RoundsTable>;

export interface RoundInput {
  name: string;
  instrument_id: string;
  modules: Module[];
  languages: Language[];
  departments: string[];
  anonymity_threshold: number;
  employee_placements: boolean;
  opens_at: Date | null;
  closes_at: Date | null;
}

/** What a client sees of a round. */
export interface RoundDto {
  id: string;
  organisation_id: string;
  name: string;
  instrument_id: string;
  modules: Module[];
  languages: Language[];
  departments: string[];
  anonymity_threshold: number;
  employee_placements: boolean;
  status: 'draft' | 'open' | 'closed';
  /** Respondents can answer now: open, and now within opens_at..closes_at where set. */
  answerable: boolean;
  opens_at: string | null;
  closes_at: string | null;
  opened_at: string | null;
  closed_at: string | null;
  created_at: string;
  is_demo: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Open, and now within opens_at..closes_at where those are set. */
export function isAnswerable(round: Pick<RoundRow, 'status' | 'opens_at' | 'closes_at'>, now = new Date()): boolean {
  if (round.status !== 'open') return false;
  if (round.opens_at && round.opens_at.getTime() > now.getTime()) return false;
  if (round.closes_at && round.closes_at.getTime() <= now.getTime()) return false;
  return true;
}

export function toRoundDto(r: RoundRow, now = new Date()): RoundDto {
  return {
    id: r.id,
    organisation_id: r.organisation_id,
    name: r.name,
    instrument_id: r.instrument_id,
    modules: r.modules as Module[],
    languages: r.languages as Language[],
    departments: r.departments,
    anonymity_threshold: r.anonymity_threshold,
    employee_placements: r.employee_placements,
    status: r.status,
    answerable: isAnswerable(r, now),
    opens_at: iso(r.opens_at),
    closes_at: iso(r.closes_at),
    opened_at: iso(r.opened_at),
    closed_at: iso(r.closed_at),
    created_at: r.created_at.toISOString(),
    is_demo: r.is_demo,
  };
}

/** Rules across fields that a schema of one field cannot express. Paths are request paths. */
export function checkRoundInput(input: RoundInput, prefix = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  if (!compiledScan(input.instrument_id)) {
    errors.push({ path: `${prefix}.instrument_id`, message: `Unknown culture-scan instrument ${input.instrument_id}` });
  }
  if (input.opens_at && input.closes_at && input.closes_at.getTime() <= input.opens_at.getTime()) {
    errors.push({ path: `${prefix}.closes_at`, message: 'closes_at must be after opens_at' });
  }
  if (input.employee_placements && !input.modules.includes('dialogue_model')) {
    errors.push({ path: `${prefix}.employee_placements`, message: 'Employee placements need the dialogue_model module' });
  }
  return errors;
}

export async function insertRound(db: Db, organisationId: string, input: RoundInput, createdBy: string | null): Promise<RoundRow> {
  const errors = checkRoundInput(input);
  if (errors.length) throw new ValidationFailedError('The round is not valid', errors);
  return db
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name: input.name,
      instrument_id: input.instrument_id,
      modules: input.modules,
      languages: input.languages,
      departments: input.departments,
      anonymity_threshold: input.anonymity_threshold,
      employee_placements: input.employee_placements,
      opens_at: input.opens_at,
      closes_at: input.closes_at,
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listRounds(db: Db, organisationId: string): Promise<RoundRow[]> {
  return db
    .selectFrom('rounds')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export type RoundPatch = Partial<RoundInput>;

/** Fields a round keeps once it has been opened: answers already refer to them. */
const LOCKED_ONCE_OPEN = ['instrument_id', 'modules', 'anonymity_threshold', 'employee_placements'] as const;

/**
 * Applies a change that is safe for the round's status. Draft: anything. Open or closed: not the
 * instrument, modules, threshold or placements flag; departments and languages can only be added
 * to (respondents may already have chosen them).
 */
export async function updateRound(db: Db, current: RoundRow, patch: RoundPatch): Promise<RoundRow> {
  const errors: FieldError[] = [];
  if (current.status !== 'draft') {
    for (const field of LOCKED_ONCE_OPEN) {
      if (patch[field] === undefined) continue;
      const same = JSON.stringify(patch[field]) === JSON.stringify(current[field]);
      if (!same) errors.push({ path: `body.${field}`, message: `Cannot change ${field} once the round has been opened` });
    }
    const kept = (field: 'departments' | 'languages') => {
      const next = patch[field] as string[] | undefined;
      if (!next) return;
      const removed = current[field].filter((v) => !next.includes(v));
      if (removed.length) errors.push({ path: `body.${field}`, message: `Cannot remove ${removed.join(', ')} once the round has been opened` });
    };
    kept('departments');
    kept('languages');
    if (errors.length) throw new AppError(409, 'round_field_locked', 'These fields cannot change once the round has been opened', errors);
  }
  const merged: RoundInput = {
    name: patch.name ?? current.name,
    instrument_id: patch.instrument_id ?? current.instrument_id,
    modules: patch.modules ?? (current.modules as Module[]),
    languages: patch.languages ?? (current.languages as Language[]),
    departments: patch.departments ?? current.departments,
    anonymity_threshold: patch.anonymity_threshold ?? current.anonymity_threshold,
    employee_placements: patch.employee_placements ?? current.employee_placements,
    opens_at: patch.opens_at !== undefined ? patch.opens_at : current.opens_at,
    closes_at: patch.closes_at !== undefined ? patch.closes_at : current.closes_at,
  };
  const crossErrors = checkRoundInput(merged);
  if (crossErrors.length) throw new ValidationFailedError('The round is not valid', crossErrors);
  return db
    .updateTable('rounds')
    .set({
      name: merged.name,
      instrument_id: merged.instrument_id,
      modules: merged.modules,
      languages: merged.languages,
      departments: merged.departments,
      anonymity_threshold: merged.anonymity_threshold,
      employee_placements: merged.employee_placements,
      opens_at: merged.opens_at,
      closes_at: merged.closes_at,
    })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The round row, locked for update until the transaction ends (status changes and edits). */
export async function lockRound(tx: Transaction<DB>, roundId: string): Promise<RoundRow | undefined> {
  return tx.selectFrom('rounds').selectAll().where('id', '=', roundId).forUpdate().executeTakeFirst();
}
