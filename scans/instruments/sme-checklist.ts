// The SME policy checklist: ten practices of an organisation aimed at development, answered yes / no /
// don't know for the organisation (by HR or management), each compared with the share of Dutch SMEs
// where the practice is in place (SEOR & Ockham IPS, 2021).

import { SmeChecklistInstrumentSchema, deepFreeze, type ChecklistAnswer, type SmeChecklistInstrument } from './schemas.js';
import { requirePublishedFigure } from '../benchmarks/published.js';

export const SME_CHECKLIST_ID = 'sme-checklist@1';

const DATA: SmeChecklistInstrument = {
  id: SME_CHECKLIST_ID,
  module: 'sme_checklist',
  version: 1,
  name: { nl: 'Checklist leer- en ontwikkelbeleid', en: 'Learning and development policy checklist' },
  description: {
    nl: 'Tien onderdelen van beleid voor leren en ontwikkelen. Geef voor de organisatie als geheel aan of het onderdeel aanwezig is. Elk onderdeel wordt vergeleken met het aandeel mkb-bedrijven in Nederland waar het aanwezig is.',
    en: 'Ten elements of a policy for learning and development. Indicate for the organisation as a whole whether each element is in place. Each element is compared with the share of Dutch SMEs where it is in place.',
  },
  mechanism: 'organisation',
  answerOptions: [
    { value: 'yes', label: { nl: 'Ja', en: 'Yes' } },
    { value: 'no', label: { nl: 'Nee', en: 'No' } },
    { value: 'dont_know', label: { nl: 'Weet ik niet', en: "Don't know" } },
  ],
  practices: [
    {
      id: 'training_plan',
      text: { nl: 'Onze organisatie heeft een schriftelijk vastgelegd plan voor opleiding en ontwikkeling.', en: 'Our organisation has a written plan for training and development.' },
      publishedFigureId: 'seor2021_training_plan',
    },
    {
      id: 'strategic_workforce_planning',
      text: {
        nl: 'We vertalen de competenties die we in de toekomst nodig hebben naar een strategische personeelsplanning.',
        en: 'We translate the competences we will need in the future into strategic workforce planning.',
      },
      publishedFigureId: 'seor2021_strategic_workforce_planning',
    },
    {
      id: 'ld_vision',
      text: {
        nl: 'Ons HR-beleid bevat een uitgeschreven visie op leren en ontwikkelen.',
        en: 'Our HR policy includes a written vision on learning and development.',
      },
      publishedFigureId: 'seor2021_ld_vision',
    },
    {
      id: 'personal_development_plans',
      text: { nl: 'Medewerkers hebben een persoonlijk ontwikkelplan.', en: 'Employees have a personal development plan.' },
      publishedFigureId: 'seor2021_personal_development_plans',
    },
    {
      id: 'training_budget',
      text: {
        nl: 'Er is elk jaar een budget dat medewerkers kunnen inzetten voor opleiding en ontwikkeling.',
        en: 'There is a yearly budget that employees can use for training and development.',
      },
      publishedFigureId: 'seor2021_training_budget',
    },
    {
      id: 'ld_responsible',
      text: {
        nl: 'Een afdeling of persoon is verantwoordelijk voor het organiseren van leren en ontwikkelen.',
        en: 'A department or person is responsible for organising learning and development.',
      },
      publishedFigureId: 'seor2021_ld_responsible',
    },
    {
      id: 'competence_needs',
      text: {
        nl: 'We bepalen regelmatig welke competenties onze organisatie nodig heeft.',
        en: 'We regularly determine which competences our organisation needs.',
      },
      publishedFigureId: 'seor2021_competence_needs',
    },
    {
      id: 'learning_needs',
      text: { nl: 'We brengen regelmatig de leerbehoeften van medewerkers in kaart.', en: 'We regularly identify the learning needs of employees.' },
      publishedFigureId: 'seor2021_learning_needs',
    },
    {
      id: 'development_conversations',
      text: { nl: 'We voeren ontwikkelgesprekken met medewerkers.', en: 'We hold development conversations with employees.' },
      publishedFigureId: 'seor2021_development_conversations',
    },
    {
      id: 'supports_learning',
      text: {
        nl: 'We ondersteunen medewerkers bij hun leer- en ontwikkelactiviteiten, bijvoorbeeld met tijd of geld.',
        en: 'We support employees in their learning and development activities, for example with time or money.',
      },
      publishedFigureId: 'seor2021_supports_learning',
    },
  ],
};

/** The SME policy checklist, validated at module load and frozen. */
export const SME_CHECKLIST: SmeChecklistInstrument = deepFreeze(SmeChecklistInstrumentSchema.parse(DATA));

export type ChecklistAnswers = Readonly<Partial<Record<string, ChecklistAnswer | null>>>;

export interface ChecklistPracticeResult {
  practiceId: string;
  answer: ChecklistAnswer | null;
  publishedFigureId: string;
  /** Share of Dutch SMEs with this practice (percent). */
  publishedPct: number;
}

export interface ChecklistSummary {
  practices: ChecklistPracticeResult[];
  yes: number;
  no: number;
  dontKnow: number;
  unanswered: number;
  /**
   * Practices in place that fewer than half of SMEs have, and practices missing that more than half
   * have: a quick read of where the organisation is ahead of or behind common practice.
   */
  aheadOfMost: string[];
  behindMost: string[];
}

/** Summarise one organisation's checklist answers against the published shares. */
export function summariseChecklist(answers: ChecklistAnswers, checklist: SmeChecklistInstrument = SME_CHECKLIST): ChecklistSummary {
  const practices = checklist.practices.map((p): ChecklistPracticeResult => ({
    practiceId: p.id,
    answer: answers[p.id] ?? null,
    publishedFigureId: p.publishedFigureId,
    publishedPct: requirePublishedFigure(p.publishedFigureId).value,
  }));
  const count = (a: ChecklistAnswer | null) => practices.filter((p) => p.answer === a).length;
  return {
    practices,
    yes: count('yes'),
    no: count('no'),
    dontKnow: count('dont_know'),
    unanswered: count(null),
    aheadOfMost: practices.filter((p) => p.answer === 'yes' && p.publishedPct < 50).map((p) => p.practiceId),
    behindMost: practices.filter((p) => p.answer === 'no' && p.publishedPct > 50).map((p) => p.practiceId),
  };
}
