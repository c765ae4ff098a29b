// The five-point agreement scale of the culture scan, plus "don't know / not applicable" (stored as null).

import type { AnswerOption } from './schemas.js';
import type { LocalizedText } from '../types.js';

export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  { value: 1, label: { nl: 'Helemaal mee oneens', en: 'Strongly disagree' } },
  { value: 2, label: { nl: 'Mee oneens', en: 'Disagree' } },
  { value: 3, label: { nl: 'Niet eens, niet oneens', en: 'Neither agree nor disagree' } },
  { value: 4, label: { nl: 'Mee eens', en: 'Agree' } },
  { value: 5, label: { nl: 'Helemaal mee eens', en: 'Strongly agree' } },
];

export const DONT_KNOW_OPTION: { value: null; label: LocalizedText } = {
  value: null,
  label: { nl: 'Weet ik niet / niet van toepassing', en: "Don't know / not applicable" },
};
