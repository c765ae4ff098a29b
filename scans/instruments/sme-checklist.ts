// The SME policy checklist: ten practices of an organisation aimed at development, answered yes / no /
// don't know for the organisation (by HR or management), each compared with the share of Dutch SMEs
// where the practice is in place (SEOR & Ockham IPS, 2021). Every statement is in one voice ("Onze
// organisatie ...") and asks what the source asked, no more and no less.

import { SmeChecklistInstrumentSchema, deepFreeze, type ChecklistAnswer, type SmeChecklistInstrument } from './schemas.js';
import { requirePublishedFigure, smeSharesApply } from '../benchmarks/published.js';

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
      text: { nl: 'Onze organisatie heeft een vastgelegd plan voor scholing en ontwikkeling.', en: 'Our organisation has a documented plan for training and development.' },
      publishedFigureId: 'seor2021_training_plan',
    },
    {
      id: 'strategic_workforce_planning',
      text: {
        nl: 'Onze organisatie vertaalt de competenties die zij in de toekomst nodig heeft naar een strategische personeelsplanning.',
        en: 'Our organisation translates the competences it will need in the future into strategic workforce planning.',
      },
      publishedFigureId: 'seor2021_strategic_workforce_planning',
    },
    {
      id: 'ld_vision',
      text: {
        nl: 'Het HR-beleid van onze organisatie bevat een paragraaf met een visie op leren en ontwikkelen.',
        en: 'The HR policy of our organisation contains a section with a vision on learning and development.',
      },
      publishedFigureId: 'seor2021_ld_vision',
    },
    {
      id: 'personal_development_plans',
      text: { nl: 'Onze organisatie werkt met persoonlijke ontwikkelplannen voor medewerkers.', en: 'Our organisation works with personal development plans for employees.' },
      publishedFigureId: 'seor2021_personal_development_plans',
    },
    {
      id: 'training_budget',
      text: {
        nl: 'Onze organisatie heeft een jaarlijks budget dat medewerkers kunnen gebruiken voor scholing en ontwikkeling.',
        en: 'Our organisation has a yearly budget that employees can use for training and development.',
      },
      publishedFigureId: 'seor2021_training_budget',
    },
    {
      id: 'ld_responsible',
      text: {
        nl: 'In onze organisatie is een afdeling of persoon verantwoordelijk voor het organiseren van leer- en ontwikkelactiviteiten.',
        en: 'In our organisation a department or person is responsible for organising learning and development activities.',
      },
      publishedFigureId: 'seor2021_ld_responsible',
    },
    {
      id: 'competence_needs',
      text: {
        nl: 'Onze organisatie stelt regelmatig vast welke competenties zij nodig heeft.',
        en: 'Our organisation regularly determines which competences it needs.',
      },
      publishedFigureId: 'seor2021_competence_needs',
    },
    {
      id: 'learning_needs',
      text: { nl: 'Onze organisatie stelt regelmatig de leerbehoeften van medewerkers vast.', en: 'Our organisation regularly determines the learning needs of employees.' },
      publishedFigureId: 'seor2021_learning_needs',
    },
    {
      id: 'development_conversations',
      text: { nl: 'Onze organisatie voert ontwikkelgesprekken met medewerkers.', en: 'Our organisation holds development conversations with employees.' },
      publishedFigureId: 'seor2021_development_conversations',
    },
    {
      id: 'supports_learning',
      text: {
        nl: 'Onze organisatie ondersteunt leer- en ontwikkelactiviteiten van medewerkers.',
        en: "Our organisation supports employees' learning and development activities.",
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
   * have: a quick read of where the organisation stands against common SME practice. Both are empty
   * when `smeComparable` is false: the SME shares do not describe an organisation of 250 or more.
   */
  aheadOfMost: string[];
  behindMost: string[];
  /** False for large organisations (250+), for which the SME shares are context only. */
  smeComparable: boolean;
}

/** Summarise one organisation's checklist answers against the published shares. */
export function summariseChecklist(
  answers: ChecklistAnswers,
  checklist: SmeChecklistInstrument = SME_CHECKLIST,
  sizeClass?: string,
): ChecklistSummary {
  const smeComparable = sizeClass === undefined || smeSharesApply(sizeClass);
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
    aheadOfMost: smeComparable ? practices.filter((p) => p.answer === 'yes' && p.publishedPct < 50).map((p) => p.practiceId) : [],
    behindMost: smeComparable ? practices.filter((p) => p.answer === 'no' && p.publishedPct > 50).map((p) => p.practiceId) : [],
    smeComparable,
  };
}
