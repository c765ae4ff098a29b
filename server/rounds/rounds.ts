// Repository and rules for scan rounds: create, list, read and the changes that are safe in each
// status. State changes (open, close, reopen) live in lifecycle.ts.
import type { Selectable, Transaction } from 'kysely';
import type { DB, Db, RoundsTable } from '../db/schema.js';
import { AppError, ValidationFailedError, type FieldError } from '../lib/errors.js';
import type { Language, Module } from '../../scans/index.js';
import { compiledScan } from './instruments.js';
import type { SurveyModule } from '../../scans/modules/definitions.js';
import type { RoundDto } from '../contracts/rounds.js';

export type RoundRow = Selectable<RoundsTable>;

export interface RoundInput {
  name: string;
  instrumentId: string;
  modules: Module[];
  languages: Language[];
  departments: string[];
  anonymityThreshold: number;
  employeePlacements: boolean;
  opensAt: Date | null;
  closesAt: Date | null;
  /** Optional modules asked of employees (issue 17): motivation, learning_mix, open_questions. */
  surveyModules?: SurveyModule[];
}

export type { RoundDto };

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
    organisationId: r.organisation_id,
    name: r.name,
    instrumentId: r.instrument_id,
    modules: r.modules as Module[],
    languages: r.languages as Language[],
    departments: r.departments,
    anonymityThreshold: r.anonymity_threshold,
    employeePlacements: r.employee_placements,
    surveyModules: (r.survey_modules ?? []) as SurveyModule[],
    status: r.status,
    answerable: isAnswerable(r, now),
    opensAt: iso(r.opens_at),
    closesAt: iso(r.closes_at),
    openedAt: iso(r.opened_at),
    closedAt: iso(r.closed_at),
    createdAt: r.created_at.toISOString(),
    isDemo: r.is_demo,
  };
}

/** Rules across fields that a schema of one field cannot express. Paths are request paths. */
export function checkRoundInput(input: RoundInput, prefix = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  if (!compiledScan(input.instrumentId)) {
    errors.push({ path: `${prefix}.instrumentId`, message: `Unknown culture-scan instrument ${input.instrumentId}` });
  }
  if (input.opensAt && input.closesAt && input.closesAt.getTime() <= input.opensAt.getTime()) {
    errors.push({ path: `${prefix}.closesAt`, message: 'closesAt must be after opensAt' });
  }
  if (input.employeePlacements && !input.modules.includes('dialogue_model')) {
    errors.push({ path: `${prefix}.employeePlacements`, message: 'Employee placements need the dialogue_model module' });
  }
  if ((input.surveyModules ?? []).length > 0 && !input.modules.includes('culture_scan')) {
    errors.push({ path: `${prefix}.surveyModules`, message: 'The optional modules are asked with the culture scan: include the culture_scan module' });
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
      instrument_id: input.instrumentId,
      modules: input.modules,
      languages: input.languages,
      departments: input.departments,
      anonymity_threshold: input.anonymityThreshold,
      employee_placements: input.employeePlacements,
      survey_modules: input.surveyModules ?? [],
      opens_at: input.opensAt,
      closes_at: input.closesAt,
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
const LOCKED_ONCE_OPEN = [
  ['instrumentId', 'instrument_id'],
  ['modules', 'modules'],
  ['anonymityThreshold', 'anonymity_threshold'],
  ['employeePlacements', 'employee_placements'],
  ['surveyModules', 'survey_modules'],
] as const;

/**
 * Applies a change that is safe for the round's status. Draft: anything. Open or closed: not the
 * instrument, modules, threshold or placements flag; departments and languages can only be added
 * to (respondents may already have chosen them). Call with the round locked (lockRound).
 */
export async function updateRound(db: Db, current: RoundRow, patch: RoundPatch): Promise<RoundRow> {
  const errors: FieldError[] = [];
  if (current.status !== 'draft') {
    for (const [field, column] of LOCKED_ONCE_OPEN) {
      if (patch[field] === undefined) continue;
      const same = JSON.stringify(patch[field]) === JSON.stringify(current[column]);
      if (!same) errors.push({ path: `body.${field}`, message: `Cannot change ${field} once the round has been opened` });
    }
    for (const field of ['departments', 'languages'] as const) {
      const next = patch[field] as string[] | undefined;
      if (!next) continue;
      const removed = current[field].filter((v) => !next.includes(v));
      if (removed.length) errors.push({ path: `body.${field}`, message: `Cannot remove ${removed.join(', ')} once the round has been opened` });
    }
    if (errors.length) throw new AppError(409, 'round_field_locked', 'These fields cannot change once the round has been opened', errors);
  }
  const merged: RoundInput = {
    name: patch.name ?? current.name,
    instrumentId: patch.instrumentId ?? current.instrument_id,
    modules: patch.modules ?? (current.modules as Module[]),
    languages: patch.languages ?? (current.languages as Language[]),
    departments: patch.departments ?? current.departments,
    anonymityThreshold: patch.anonymityThreshold ?? current.anonymity_threshold,
    employeePlacements: patch.employeePlacements ?? current.employee_placements,
    surveyModules: patch.surveyModules ?? ((current.survey_modules ?? []) as SurveyModule[]),
    opensAt: patch.opensAt !== undefined ? patch.opensAt : current.opens_at,
    closesAt: patch.closesAt !== undefined ? patch.closesAt : current.closes_at,
  };
  const crossErrors = checkRoundInput(merged);
  if (crossErrors.length) throw new ValidationFailedError('The round is not valid', crossErrors);
  return db
    .updateTable('rounds')
    .set({
      name: merged.name,
      instrument_id: merged.instrumentId,
      modules: merged.modules,
      languages: merged.languages,
      departments: merged.departments,
      anonymity_threshold: merged.anonymityThreshold,
      employee_placements: merged.employeePlacements,
      survey_modules: merged.surveyModules ?? [],
      opens_at: merged.opensAt,
      closes_at: merged.closesAt,
    })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The round row, locked for update until the transaction ends (status changes and edits). */
export async function lockRound(tx: Transaction<DB>, roundId: string): Promise<RoundRow | undefined> {
  return tx.selectFrom('rounds').selectAll().where('id', '=', roundId).forUpdate().executeTakeFirst();
}
