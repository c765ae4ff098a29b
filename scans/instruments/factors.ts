// Stimulating and hindering factors (optional module): respondents rate how much each factor helps or
// hinders their development, from strongly hindering (-2) to strongly stimulating (+2), or not
// applicable (null). The list follows interviews with municipal outdoor staff (N = 24).

import { FactorsInstrumentSchema, deepFreeze, type Factor, type FactorsInstrument } from './schemas.js';

export const FACTORS_ID = 'factors@1';

export type FactorRating = -2 | -1 | 0 | 1 | 2;

const DATA: FactorsInstrument = {
  id: FACTORS_ID,
  module: 'factors',
  version: 1,
  name: { nl: 'Stimulerende en belemmerende factoren', en: 'Stimulating and hindering factors' },
  description: {
    nl: 'Geef bij elke factor aan in hoeverre die uw leren en ontwikkelen stimuleert of belemmert. Speelt een factor voor u geen rol, kies dan "Niet van toepassing".',
    en: 'For each factor, indicate how far it stimulates or hinders your learning and development. If a factor plays no part for you, choose "Not applicable".',
  },
  ratingOptions: [
    { value: -2, label: { nl: 'Belemmert sterk', en: 'Strongly hindering' } },
    { value: -1, label: { nl: 'Belemmert enigszins', en: 'Somewhat hindering' } },
    { value: 0, label: { nl: 'Neutraal', en: 'Neutral' } },
    { value: 1, label: { nl: 'Stimuleert enigszins', en: 'Somewhat stimulating' } },
    { value: 2, label: { nl: 'Stimuleert sterk', en: 'Strongly stimulating' } },
  ],
  notApplicableOption: { value: null, label: { nl: 'Niet van toepassing', en: 'Not applicable' } },
  groups: [
    {
      id: 'personal',
      label: { nl: 'Persoonlijk', en: 'Personal' },
      factors: [
        { id: 'future_dreams', label: { nl: 'Toekomstdromen', en: 'Dreams for the future' } },
        { id: 'self_confidence', label: { nl: 'Zelfvertrouwen', en: 'Self-confidence' } },
        { id: 'self_reflection', label: { nl: 'Zelfreflectie', en: 'Self-reflection' } },
        { id: 'cultural_background', label: { nl: 'Culturele achtergrond', en: 'Cultural background' } },
        { id: 'health', label: { nl: 'Gezondheid', en: 'Health' } },
        { id: 'education', label: { nl: 'Opleiding', en: 'Education' } },
      ],
    },
    {
      id: 'private_life',
      label: { nl: 'Privéleven', en: 'Private life' },
      factors: [
        { id: 'social_contacts', label: { nl: 'Sociale contacten', en: 'Social contacts' } },
        { id: 'family_situation', label: { nl: 'Gezinssituatie', en: 'Family situation' } },
        { id: 'money', label: { nl: 'Geld', en: 'Money' } },
        { id: 'life_events', label: { nl: 'Gebeurtenissen in het leven', en: 'Life events' } },
        { id: 'leisure', label: { nl: 'Vrije tijd en hobby\'s', en: 'Leisure and hobbies' } },
      ],
    },
    {
      id: 'work',
      label: { nl: 'Werk', en: 'Work' },
      factors: [
        { id: 'management', label: { nl: 'Leidinggevenden en management', en: 'Managers and management' } },
        { id: 'development_opportunities', label: { nl: 'Ontwikkelmogelijkheden op het werk', en: 'Development opportunities at work' } },
        { id: 'colleagues', label: { nl: 'Collega\'s', en: 'Colleagues' } },
        { id: 'open_dialogue', label: { nl: 'Open gesprek en communicatie op het werk', en: 'Open dialogue and communication at work' } },
        { id: 'having_a_say', label: { nl: 'Inspraak', en: 'Having a say' } },
        { id: 'work_tasks', label: { nl: 'Werktaken', en: 'Work tasks' } },
        { id: 'responsibility_independence', label: { nl: 'Verantwoordelijkheid en zelfstandig werken', en: 'Responsibility and working independently' } },
        { id: 'experimenting', label: { nl: 'Experimenteren', en: 'Experimenting' } },
      ],
    },
    {
      id: 'outside',
      label: { nl: 'Buiten het werk en de persoon', en: 'Outside work and the person' },
      factors: [
        { id: 'economy', label: { nl: 'Economie', en: 'Economy' } },
        { id: 'labour_market', label: { nl: 'Arbeidsmarkt', en: 'Labour market' } },
        { id: 'technology', label: { nl: 'Technologische ontwikkelingen', en: 'Technological developments' } },
        { id: 'current_events', label: { nl: 'Actualiteit', en: 'Current events' } },
        { id: 'government_training_funds', label: { nl: 'Overheid en opleidingsfondsen', en: 'Government and training funds' } },
      ],
    },
  ],
};

/** The factors module, validated at module load and frozen. */
export const FACTORS: FactorsInstrument = deepFreeze(FactorsInstrumentSchema.parse(DATA));

/** All factors in group order. */
export function allFactors(instrument: FactorsInstrument = FACTORS): Factor[] {
  return instrument.groups.flatMap((g) => g.factors);
}

export function isFactorRating(value: unknown): value is FactorRating {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2 && value <= 2;
}

/**
 * The factors most often rated stimulating (or hindering), ranked by the share the lists show: the
 * percentage rating the factor stimulating (> 0) resp. hindering (< 0). Ties: the stronger mean
 * first, then instrument order. Factors without a visible share, or with a share of 0, are left out.
 */
export function topFactors(
  factors: readonly { factorId: string; mean: number | null; stimulating: number | null; hindering: number | null }[],
  side: 'stimulating' | 'hindering',
  count = 5,
): string[] {
  return factors
    .map((f, order) => ({ f, order }))
    .filter(({ f }) => f[side] !== null && (f[side] as number) > 0 && f.mean !== null)
    .sort(
      (a, b) =>
        (b.f[side] as number) - (a.f[side] as number) ||
        (side === 'stimulating' ? (b.f.mean as number) - (a.f.mean as number) : (a.f.mean as number) - (b.f.mean as number)) ||
        a.order - b.order,
    )
    .slice(0, count)
    .map(({ f }) => f.factorId);
}
