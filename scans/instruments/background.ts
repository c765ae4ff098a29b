// Optional background questions that define segments (department, role, education, contract, age).
// Every question may be skipped; a skipped question puts the respondent in the "not stated" group.

import { BackgroundQuestionsSchema, type BackgroundQuestion } from './schemas.js';
import type { LocalizedText } from '../types.js';

export const ROLE_VALUES = ['employee', 'manager'] as const;
export const EDUCATION_VALUES = ['basic', 'mbo', 'havo_vwo', 'hbo_wo'] as const;
export const CONTRACT_VALUES = ['permanent', 'flexible'] as const;
export const AGE_BAND_VALUES = ['under_25', '25_34', '35_44', '45_54', '55_plus'] as const;

export type Role = (typeof ROLE_VALUES)[number];
export type EducationLevel = (typeof EDUCATION_VALUES)[number];
export type ContractType = (typeof CONTRACT_VALUES)[number];
export type AgeBand = (typeof AGE_BAND_VALUES)[number];

/**
 * Key of the segment for respondents who skipped a background question. Equal to NOT_STATED_KEY in
 * result-model.ts; the leading underscore keeps it apart from any option value (those start with a
 * letter or digit).
 */
export const NOT_STATED = '_not_stated';
export const NOT_STATED_LABEL: LocalizedText = { nl: 'Niet ingevuld', en: 'Not stated' };

/**
 * Highest completed education, in four categories that map onto both common Dutch groupings:
 * CBS's low / middle / high level (laag / middelbaar / hoog opgeleid), and "practically trained"
 * (up to and including mbo-4), a group that research shows learns less. Foreign diplomas: choose the
 * nearest equivalent. Four categories rather than more, so that segments stay above the anonymity k.
 */
export const EDUCATION_CBS_LEVEL: Readonly<Record<EducationLevel, 'low' | 'middle' | 'high'>> = {
  basic: 'low',
  mbo: 'middle',
  havo_vwo: 'middle',
  hbo_wo: 'high',
};
export const EDUCATION_PRACTICALLY_TRAINED: Readonly<Record<EducationLevel, boolean>> = {
  basic: true,
  mbo: true,
  havo_vwo: false,
  hbo_wo: false,
};

const BACKGROUND_DATA: BackgroundQuestion[] = [
  {
    id: 'department',
    label: { nl: 'Op welke afdeling werkt u?', en: 'Which department do you work in?' },
    optional: true,
    optionsSource: 'round',
  },
  {
    id: 'role',
    label: { nl: 'Wat is uw rol in de organisatie?', en: 'What is your role in the organisation?' },
    optional: true,
    optionsSource: 'fixed',
    options: [
      { value: 'employee', label: { nl: 'Medewerker', en: 'Employee' } },
      { value: 'manager', label: { nl: 'Leidinggevende', en: 'Manager' } },
    ],
  },
  {
    id: 'education',
    label: { nl: 'Wat is uw hoogst afgeronde opleiding?', en: 'What is your highest completed education?' },
    optional: true,
    optionsSource: 'fixed',
    options: [
      {
        value: 'basic',
        label: {
          nl: 'Basisonderwijs, vmbo, mbo-1 of onderbouw havo/vwo',
          en: 'Primary school, pre-vocational (vmbo), MBO level 1 or the lower years of havo/vwo',
        },
      },
      { value: 'mbo', label: { nl: 'Mbo niveau 2, 3 of 4', en: 'Secondary vocational education (MBO level 2, 3 or 4)' } },
      {
        value: 'havo_vwo',
        label: { nl: 'Havo of vwo', en: 'Senior general secondary or pre-university education (havo/vwo)' },
      },
      {
        value: 'hbo_wo',
        label: { nl: 'Hbo of wo (bachelor, master of hoger)', en: 'Higher professional education or university (bachelor, master or higher)' },
      },
    ],
    note: {
      nl: 'Heeft u een diploma uit het buitenland? Kies dan het niveau dat er het meest op lijkt.',
      en: 'If your diploma is from abroad, choose the level closest to it.',
    },
  },
  {
    id: 'contract',
    label: { nl: 'Wat voor contract heeft u?', en: 'What type of contract do you have?' },
    optional: true,
    optionsSource: 'fixed',
    options: [
      { value: 'permanent', label: { nl: 'Vast contract', en: 'Permanent contract' } },
      {
        value: 'flexible',
        label: {
          nl: 'Flexibel (tijdelijk, oproep, uitzend of anders)',
          en: 'Flexible (temporary, on-call, agency or other)',
        },
      },
    ],
  },
  {
    id: 'age_band',
    label: { nl: 'Wat is uw leeftijd?', en: 'What is your age?' },
    optional: true,
    optionsSource: 'fixed',
    options: [
      { value: 'under_25', label: { nl: 'Jonger dan 25', en: 'Under 25' } },
      { value: '25_34', label: { nl: '25 tot en met 34', en: '25 to 34' } },
      { value: '35_44', label: { nl: '35 tot en met 44', en: '35 to 44' } },
      { value: '45_54', label: { nl: '45 tot en met 54', en: '45 to 54' } },
      { value: '55_plus', label: { nl: '55 of ouder', en: '55 or older' } },
    ],
  },
];

/** The background questions, validated at load. */
export const BACKGROUND_QUESTIONS: readonly BackgroundQuestion[] = BackgroundQuestionsSchema.parse(BACKGROUND_DATA);

export function getBackgroundQuestion(id: BackgroundQuestion['id']): BackgroundQuestion {
  const q = BACKGROUND_QUESTIONS.find((question) => question.id === id);
  if (!q) throw new RangeError(`unknown background question ${id}`);
  return q;
}

// --- roles on the management form, and background questions for "who learns less" -------------------
//
// Asked since migration 2026-12-01-0012 (which widened responses.role and added responses.tenure and
// responses.contract_hours): server/rounds/questionnaire.ts puts the form's role question and the two
// extra questions on the background page; results in server/results/modules/ (docs/modules-and-groups.md).

/**
 * Roles on the management form, kept apart so HR, line managers and directors can be compared (each
 * group under the anonymity rules like any other segment; with few managers per organisation, a
 * role group is often below k and then hidden with complementary suppression).
 */
export const MANAGEMENT_ROLE_VALUES = ['hr', 'line_manager', 'director'] as const;
export type ManagementRole = (typeof MANAGEMENT_ROLE_VALUES)[number];

export const MANAGEMENT_ROLE_QUESTION: BackgroundQuestion = {
  id: 'role',
  label: { nl: 'Wat is uw rol in de organisatie?', en: 'What is your role in the organisation?' },
  optional: true,
  optionsSource: 'fixed',
  options: [
    { value: 'hr', label: { nl: 'HR of personeelszaken', en: 'HR' } },
    { value: 'line_manager', label: { nl: 'Leidinggevende van een team of afdeling', en: 'Manager of a team or department' } },
    { value: 'director', label: { nl: 'Directie of managementteam', en: 'Director or management team' } },
  ],
};

/** The role options a form offers: employee / manager on the employee form, the three staff roles on the management form. */
export function roleQuestionFor(form: 'employee' | 'management'): BackgroundQuestion {
  return form === 'management' ? MANAGEMENT_ROLE_QUESTION : getBackgroundQuestion('role');
}

/**
 * Years with the organisation. Long tenure in one (small) organisation goes with learning less; four
 * bands rather than more, so that segments stay above the anonymity k.
 */
export const TENURE_VALUES = ['under_2', '2_5', '6_10', 'over_10'] as const;
export type TenureBand = (typeof TENURE_VALUES)[number];

/** Contract hours per week: part-time and small contracts reach training less often. Four bands. */
export const CONTRACT_HOURS_VALUES = ['under_16', '16_24', '25_32', 'over_32'] as const;
export type ContractHoursBand = (typeof CONTRACT_HOURS_VALUES)[number];

export interface ExtraBackgroundQuestion {
  id: 'tenure' | 'contract_hours';
  label: LocalizedText;
  optional: true;
  options: Array<{ value: string; label: LocalizedText }>;
}

export const EXTRA_BACKGROUND_QUESTIONS: readonly ExtraBackgroundQuestion[] = Object.freeze([
  {
    id: 'tenure',
    label: { nl: 'Hoe lang werkt u al bij deze organisatie?', en: 'How long have you worked for this organisation?' },
    optional: true,
    options: [
      { value: 'under_2', label: { nl: 'Korter dan 2 jaar', en: 'Less than 2 years' } },
      { value: '2_5', label: { nl: '2 tot en met 5 jaar', en: '2 to 5 years' } },
      { value: '6_10', label: { nl: '6 tot en met 10 jaar', en: '6 to 10 years' } },
      { value: 'over_10', label: { nl: 'Langer dan 10 jaar', en: 'More than 10 years' } },
    ],
  },
  {
    id: 'contract_hours',
    label: { nl: 'Hoeveel uur per week werkt u volgens uw contract?', en: 'How many hours a week does your contract say you work?' },
    optional: true,
    options: [
      { value: 'under_16', label: { nl: 'Minder dan 16 uur', en: 'Less than 16 hours' } },
      { value: '16_24', label: { nl: '16 tot en met 24 uur', en: '16 to 24 hours' } },
      { value: '25_32', label: { nl: '25 tot en met 32 uur', en: '25 to 32 hours' } },
      { value: 'over_32', label: { nl: 'Meer dan 32 uur', en: 'More than 32 hours' } },
    ],
  },
]);

/**
 * The groups the sources name as learning less that the background questions can identify, with the
 * rule that puts a respondent in each. Used to compare those groups with the rest (each comparison
 * under the anonymity rules).
 */
export const LEARNS_LESS_GROUPS = [
  { id: 'practically_trained', label: { nl: 'Praktisch opgeleid (tot en met mbo-4)', en: 'Practically trained (up to MBO level 4)' } },
  { id: 'flexible_contract', label: { nl: 'Flexibel contract', en: 'Flexible contract' } },
  { id: 'aged_55_plus', label: { nl: '55 jaar of ouder', en: 'Aged 55 or over' } },
  { id: 'long_tenure', label: { nl: 'Langer dan 10 jaar in dienst', en: 'More than 10 years with the organisation' } },
  { id: 'small_contract', label: { nl: 'Contract van minder dan 16 uur', en: 'Contract of less than 16 hours' } },
] as const;
export type LearnsLessGroupId = (typeof LEARNS_LESS_GROUPS)[number]['id'];

/** Which of the learns-less groups a respondent's background puts them in (a skipped question puts them in none). */
export function learnsLessGroupsOf(bg: Partial<Record<'education' | 'contract' | 'age_band' | 'tenure' | 'contract_hours', string | null>>): LearnsLessGroupId[] {
  const out: LearnsLessGroupId[] = [];
  if (bg.education && Object.hasOwn(EDUCATION_PRACTICALLY_TRAINED, bg.education) && EDUCATION_PRACTICALLY_TRAINED[bg.education as EducationLevel]) out.push('practically_trained');
  if (bg.contract === 'flexible') out.push('flexible_contract');
  if (bg.age_band === '55_plus') out.push('aged_55_plus');
  if (bg.tenure === 'over_10') out.push('long_tenure');
  if (bg.contract_hours === 'under_16') out.push('small_contract');
  return out;
}
