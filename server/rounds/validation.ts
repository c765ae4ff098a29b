// Checks a respondent's answers against the round's instrument before anything is written: unknown
// items, values out of range, departments not in the round's list, modules the round does not
// include. Every problem names its path (e.g. body.answers.sd9); one problem rejects the request.
import type { FieldError } from '../lib/errors.js';
import { ValidationFailedError } from '../lib/errors.js';
import type { Form, Language, Module } from '../../scans/index.js';
import { EMPLOYEE_FRAMES, FACTOR_IDS, requireCompiledScan } from './instruments.js';
import { EXTRA_BACKGROUND_QUESTIONS, roleQuestionFor } from '../../scans/instruments/background.js';
import { LEARNING_WAYS, MOTIVATION_ITEM_IDS, OPEN_PROMPTS, type OpenPrompt, type SurveyModule } from '../../scans/modules/definitions.js';
import { checkOpenAnswer } from '../../scans/modules/open-answers.js';

/** Background stored on responses and invitations alike (the lcs_write_response function writes these). */
export const BACKGROUND_FIELDS = ['department', 'role', 'education', 'contract', 'age_band'] as const;
export type BackgroundField = (typeof BACKGROUND_FIELDS)[number];
/** Background asked of respondents only (migration 2026-12-01-0012; not in uploaded lists). */
export const EXTRA_BACKGROUND_FIELDS = ['tenure', 'contract_hours'] as const;
export type ExtraBackgroundField = (typeof EXTRA_BACKGROUND_FIELDS)[number];
export type AnyBackgroundField = BackgroundField | ExtraBackgroundField;
export const ALL_BACKGROUND_FIELDS: readonly AnyBackgroundField[] = [...BACKGROUND_FIELDS, ...EXTRA_BACKGROUND_FIELDS];

const EXTRA_OPTIONS: Readonly<Record<ExtraBackgroundField, ReadonlySet<string>>> = {
  tenure: new Set(EXTRA_BACKGROUND_QUESTIONS.find((q) => q.id === 'tenure')!.options.map((o) => o.value)),
  contract_hours: new Set(EXTRA_BACKGROUND_QUESTIONS.find((q) => q.id === 'contract_hours')!.options.map((o) => o.value)),
};
const ROLE_OPTIONS: Readonly<Record<Form, ReadonlySet<string>>> = {
  employee: new Set(optionValues(roleQuestionFor('employee'))),
  management: new Set(optionValues(roleQuestionFor('management'))),
};
function optionValues(q: ReturnType<typeof roleQuestionFor>): string[] {
  return q.optionsSource === 'fixed' ? q.options.map((o) => o.value) : [];
}

/** Answers to the optional modules (rounds.survey_modules; employee form only). */
export interface ModuleInput {
  motivation?: Record<string, number | null>;
  /** The way of learning chosen, or null to clear. */
  learning?: string | null;
  open?: Partial<Record<OpenPrompt, string | null>>;
}

export interface Point {
  x: number;
  y: number;
}

/** What a respondent sends (autosave and submit). Absent means "leave as saved"; null clears. */
export interface ResponseInput {
  answers?: Record<string, number | null>;
  background?: Partial<Record<AnyBackgroundField, string | null>>;
  factors?: Record<string, number | null>;
  placements?: Partial<Record<'current' | 'desired', Point | null>>;
  modules?: ModuleInput;
  language?: Language;
}

/** The round settings that decide what a respondent may answer. */
export interface AnswerRules {
  instrument_id: string;
  modules: readonly string[];
  languages: readonly string[];
  departments: readonly string[];
  employee_placements: boolean;
  /** Optional modules of the round (migration 0012); absent is none. */
  survey_modules?: readonly string[];
}

/** The optional modules are about the respondent's own learning: asked on the employee form only. */
export function surveyModuleAllowed(rules: AnswerRules, form: Form, module: SurveyModule): boolean {
  return form === 'employee' && (rules.survey_modules ?? []).includes(module);
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

const OPEN_ANSWER_API_MESSAGES = {
  only_whitespace: 'Only whitespace: type an answer, or send null to leave it empty',
  markup: 'Markup is not accepted: write plain text without HTML tags or character references',
  too_long: 'Too long: at most 2000 characters',
} as const;

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
    const bg: Partial<Record<AnyBackgroundField, string | null>> = {};
    for (const [field, value] of Object.entries(input.background) as [string, unknown][]) {
      const path = `${prefix}.background.${field}`;
      if (!(ALL_BACKGROUND_FIELDS as readonly string[]).includes(field)) {
        errors.push({ path, message: 'Unknown background question' });
        continue;
      }
      if (value === null) {
        bg[field as AnyBackgroundField] = null;
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
      } else if (field === 'role') {
        // The employee form offers employee / manager, the management form HR / line manager / director.
        if (!ROLE_OPTIONS[form].has(value)) errors.push({ path, message: `Not one of the options of the ${form} form` });
        else bg.role = value;
      } else if (field === 'tenure' || field === 'contract_hours') {
        if (!EXTRA_OPTIONS[field].has(value)) errors.push({ path, message: 'Not one of the options' });
        else bg[field] = value;
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

  if (input.modules !== undefined) {
    const mod = input.modules;
    const out2: ModuleInput = {};
    const base = `${prefix}.modules`;
    if (mod.motivation !== undefined) {
      if (!surveyModuleAllowed(rules, form, 'motivation') && Object.keys(mod.motivation).length > 0) {
        errors.push({ path: `${base}.motivation`, message: 'This round does not ask the motivation module on this form' });
      } else {
        for (const [id, value] of Object.entries(mod.motivation)) {
          if (!MOTIVATION_ITEM_IDS.has(id)) errors.push({ path: `${base}.motivation.${id}`, message: 'Unknown item' });
          else if (value !== null && !isInt(value, 1, 5)) errors.push({ path: `${base}.motivation.${id}`, message: 'Expected 1..5 or null (don\'t know)' });
        }
        out2.motivation = mod.motivation;
      }
    }
    if (mod.learning !== undefined) {
      if (!surveyModuleAllowed(rules, form, 'learning_mix')) errors.push({ path: `${base}.learning`, message: 'This round does not ask how people learn on this form' });
      else if (mod.learning !== null && !(LEARNING_WAYS as readonly string[]).includes(mod.learning)) errors.push({ path: `${base}.learning`, message: `Expected one of ${LEARNING_WAYS.join(', ')}, or null` });
      else out2.learning = mod.learning;
    }
    if (mod.open !== undefined) {
      if (!surveyModuleAllowed(rules, form, 'open_questions') && Object.keys(mod.open).length > 0) {
        errors.push({ path: `${base}.open`, message: 'This round does not ask the open questions on this form' });
      } else {
        const open: Partial<Record<OpenPrompt, string | null>> = {};
        for (const [id, value] of Object.entries(mod.open) as [string, unknown][]) {
          const path = `${base}.open.${id}`;
          if (!(OPEN_PROMPTS as readonly string[]).includes(id)) errors.push({ path, message: 'Unknown question' });
          else if (value === null) open[id as OpenPrompt] = null;
          else if (typeof value !== 'string') errors.push({ path, message: 'Expected text or null' });
          else {
            const c = checkOpenAnswer(value);
            if (!c.ok) errors.push({ path, message: OPEN_ANSWER_API_MESSAGES[c.problem] });
            else open[id as OpenPrompt] = c.text === '' ? null : c.text;
          }
        }
        out2.open = open;
      }
    }
    out.modules = out2;
  }

  if (input.language !== undefined) {
    if (!rules.languages.includes(input.language)) errors.push({ path: `${prefix}.language`, message: `This round is offered in ${rules.languages.join(', ')}` });
    else out.language = input.language;
  }

  if (errors.length > 0) throw new ValidationFailedError('Some answers do not fit the questionnaire; nothing was saved', errors.slice(0, 100));
  return out;
}
