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
