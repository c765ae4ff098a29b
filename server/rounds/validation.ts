// Checks a respondent's answers against the round's instrument before anything is written: unknown
// items, values out of range, departments not in the round's list, modules the round does not
// include. Every problem names its path (e.g. body.answers.sd9); one problem rejects the request.
import type { FieldError } from '../lib/errors.js';
import { ValidationFailedError } from '../lib/errors.js';
import type { Form, Language, Module } from '../../scans/index.js';
import { EMPLOYEE_FRAMES, FACTOR_IDS, requireCompiledScan } from './instruments.js';

export const BACKGROUND_FIELDS = ['department', 'role', 'education', 'contract', 'age_band'] as const;
export type BackgroundField = (typeof BACKGROUND_FIELDS)[number];

export interface Point {
  x: number;
  y: number;
}

/** What a respondent sends (autosave and submit). Absent means "leave as saved"; null clears. */
export interface ResponseInput {
  answers?: Record<string, number | null>;
  background?: Partial<Record<BackgroundField, string | null>>;
  factors?: Record<string, number | null>;
  placements?: Partial<Record<'current' | 'desired', Point | null>>;
  language?: Language;
}

/** The round settings that decide what a respondent may answer. */
export interface AnswerRules {
  instrument_id: string;
  modules: readonly string[];
  languages: readonly string[];
  departments: readonly string[];
  employee_placements: boolean;
}

export function placementsAllowed(rules: AnswerRules, form: Form): boolean {
  return rules.employee_placements && rules.modules.includes('dialogue_model') && form === 'employee';
}

/**
 * The factors are asked of employees about their own learning; the management form does not ask them
 * (a first-person list about "your learning" is not a question about the employees).
 */
export function factorsAllowed(rules: AnswerRules, form: Form): boolean {
  return rules.modules.includes('factors') && form === 'employee';
}

const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isCoord = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= -100 && v <= 100;

/**
 * Returns the input with departments in the round's spelling, or throws ValidationFailedError with
 * every problem found. Types are checked here too, so callers outside HTTP (seeding) are safe.
 */
export function validateResponseInput(rules: AnswerRules, form: Form, input: ResponseInput, prefix = 'body'): ResponseInput {
  const errors: FieldError[] = [];
  const has = (m: Module) => rules.modules.includes(m);
  const out: ResponseInput = {};

  if (input.answers !== undefined) {
    if (!has('culture_scan') && Object.keys(input.answers).length > 0) {
      errors.push({ path: `${prefix}.answers`, message: 'This round does not include the culture scan' });
    } else {
      const scan = requireCompiledScan(rules.instrument_id);
      for (const [itemId, value] of Object.entries(input.answers)) {
        if (!scan.itemSet.has(itemId)) errors.push({ path: `${prefix}.answers.${itemId}`, message: 'Unknown item' });
        else if (value !== null && !isInt(value, 1, 5)) errors.push({ path: `${prefix}.answers.${itemId}`, message: 'Expected 1..5 or null (don\'t know)' });
      }
      out.answers = input.answers;
    }
  }

  if (input.background !== undefined) {
    const scan = requireCompiledScan(rules.instrument_id);
    const bg: Partial<Record<BackgroundField, string | null>> = {};
    for (const [field, value] of Object.entries(input.background) as [string, unknown][]) {
      const path = `${prefix}.background.${field}`;
      if (!(BACKGROUND_FIELDS as readonly string[]).includes(field)) {
        errors.push({ path, message: 'Unknown background question' });
        continue;
      }
      if (value === null) {
        bg[field as BackgroundField] = null;
        continue;
      }
      if (typeof value !== 'string') {
        errors.push({ path, message: 'Expected a string or null' });
        continue;
      }
      if (field === 'department') {
        const wanted = value.trim().toLocaleLowerCase('nl');
        const match = rules.departments.find((d) => d.toLocaleLowerCase('nl') === wanted);
        if (!match) errors.push({ path, message: 'Not one of the round\'s departments' });
        else bg.department = match;
      } else if (!scan.backgroundOptions[field as Exclude<BackgroundField, 'department'>].has(value)) {
        errors.push({ path, message: 'Not one of the options' });
      } else {
        bg[field as BackgroundField] = value;
      }
    }
    out.background = bg;
  }

  if (input.factors !== undefined) {
    if (!has('factors') && Object.keys(input.factors).length > 0) {
      errors.push({ path: `${prefix}.factors`, message: 'This round does not include the factors module' });
    } else if (!factorsAllowed(rules, form) && Object.keys(input.factors).length > 0) {
      errors.push({ path: `${prefix}.factors`, message: 'The factors are asked on the employee form only' });
    } else {
      for (const [factorId, value] of Object.entries(input.factors)) {
        if (!FACTOR_IDS.has(factorId)) errors.push({ path: `${prefix}.factors.${factorId}`, message: 'Unknown factor' });
        else if (value !== null && !isInt(value, -2, 2)) errors.push({ path: `${prefix}.factors.${factorId}`, message: 'Expected -2..2 or null (not applicable)' });
      }
      out.factors = input.factors;
    }
  }

  if (input.placements !== undefined) {
    const frames = Object.keys(input.placements);
    if (!placementsAllowed(rules, form) && frames.length > 0) {
      errors.push({ path: `${prefix}.placements`, message: 'This round does not ask respondents for placements on this form' });
    } else {
      for (const [frame, point] of Object.entries(input.placements) as [string, unknown][]) {
        const path = `${prefix}.placements.${frame}`;
        if (!(EMPLOYEE_FRAMES as readonly string[]).includes(frame)) errors.push({ path, message: 'Respondents place current and desired only' });
        else if (point !== null && (typeof point !== 'object' || !isCoord((point as Point).x) || !isCoord((point as Point).y))) {
          errors.push({ path, message: 'Expected {x, y} within -100..100, or null' });
        }
      }
      out.placements = input.placements;
    }
  }

  if (input.language !== undefined) {
    if (!rules.languages.includes(input.language)) errors.push({ path: `${prefix}.language`, message: `This round is offered in ${rules.languages.join(', ')}` });
    else out.language = input.language;
  }

  if (errors.length > 0) throw new ValidationFailedError('Some answers do not fit the questionnaire; nothing was saved', errors.slice(0, 100));
  return out;
}
