// Published figures the scan compares with. Each is a share (percent) of a population for which a
// statement holds, with its source, year and population. Nothing here may be estimated or invented:
// every figure is quoted in /shared/DOMAIN.md with its source.

import { z } from 'zod';
import type { LocalizedText } from '../types.js';

export const FIGURE_KINDS = ['sme_practice', 'employee', 'employer', 'context'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

const localized = z.object({ nl: z.string().trim().min(1), en: z.string().trim().min(1) });

/** Schema of one published figure; the dataset is validated with it at load. */
export const PublishedFigureSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    value: z.number().min(0).max(100),
    description: localized,
    source: z.string().trim().min(1),
    year: z.number().int().min(1900).max(2100).nullable(),
    dataYear: z.number().int().min(1900).max(2100).optional(),
    yearNote: localized.optional(),
    population: localized,
    kind: z.enum(FIGURE_KINDS),
    approximate: z.boolean().optional(),
  })
  .refine((f) => f.year !== null || f.yearNote !== undefined, { message: 'a figure without a year needs a yearNote', path: ['yearNote'] });

export interface PublishedFigure {
  id: string;
  /** Percent 0-100. */
  value: number;
  /** The statement the share refers to, paraphrased in our own words. */
  description: LocalizedText;
  /** Source as cited, without the year (see `year`). */
  source: string;
  /**
   * Year of the source as cited (publication year). Null only when the source as available to us
   * does not state one; `yearNote` then says so.
   */
  year: number | null;
  /** Year the data refer to, when the source says it differs from `year`. */
  dataYear?: number;
  yearNote?: LocalizedText;
  population: LocalizedText;
  kind: FigureKind;
  /** True for figures the source gives as a round approximation ("about 80%"). */
  approximate?: boolean;
}

const SEOR_2021 = 'SEOR & Ockham IPS, Nulmeting MKB-ondernemingen, evaluatie SLIM-regeling';
const SME_POPULATION: LocalizedText = {
  nl: 'Mkb-ondernemingen in Nederland (nulmeting voor de evaluatie van de SLIM-regeling)',
  en: 'Dutch SMEs (baseline measurement for the evaluation of the SLIM subsidy scheme)',
};
// The publication is the SER's "Leercultuurmonitor 2023"; its year goes in `year`, so the name here
// carries no year (a citation would otherwise read "Leercultuurmonitor 2023 (2023)").
const TNO_SER_2023 = 'TNO / SER, Leercultuurmonitor';
const EMPLOYEES_NL: LocalizedText = { nl: 'Werknemers in Nederland', en: 'Employees in the Netherlands' };
const EMPLOYERS_NL: LocalizedText = { nl: 'Werkgevers in Nederland', en: 'Employers in the Netherlands' };

function sme(id: string, value: number, nl: string, en: string): PublishedFigure {
  return { id, value, description: { nl, en }, source: SEOR_2021, year: 2021, population: SME_POPULATION, kind: 'sme_practice' };
}

const FIGURES: PublishedFigure[] = [
  sme('seor2021_training_plan', 23.7, 'Heeft een vastgelegd opleidings- en ontwikkelplan', 'Has a documented training and development plan'),
  sme(
    'seor2021_strategic_workforce_planning',
    36.8,
    'Vertaalt toekomstige competentiebehoeften naar strategische personeelsplanning',
    'Translates future competence needs into strategic workforce planning',
  ),
  sme(
    'seor2021_ld_vision',
    40.1,
    'Het HR-beleid bevat een paragraaf met een visie op leren en ontwikkelen',
    'HR policy contains a section with a vision on learning and development',
  ),
  sme('seor2021_personal_development_plans', 45.0, 'Werkt met persoonlijke ontwikkelplannen', 'Works with personal development plans'),
  sme(
    'seor2021_training_budget',
    50.4,
    'Heeft een jaarlijks budget dat medewerkers kunnen gebruiken voor opleiding en ontwikkeling',
    'Has an annual budget employees can use for training and development',
  ),
  sme(
    'seor2021_ld_responsible',
    54.8,
    'Een afdeling of persoon is verantwoordelijk voor het organiseren van leren en ontwikkelen',
    'A department or person is responsible for organising learning and development',
  ),
  sme(
    'seor2021_competence_needs',
    56.3,
    'Stelt regelmatig vast welke competenties het bedrijf nodig heeft',
    "Regularly determines the company's competence needs",
  ),
  sme(
    'seor2021_learning_needs',
    65.8,
    'Stelt regelmatig de leerbehoeften van medewerkers vast',
    "Regularly determines employees' learning needs",
  ),
  sme(
    'seor2021_development_conversations',
    78.9,
    'Voert ontwikkelgesprekken met medewerkers',
    'Holds development conversations with employees',
  ),
  sme(
    'seor2021_supports_learning',
    95.6,
    'Ondersteunt leer- en ontwikkelactiviteiten van medewerkers',
    "Supports employees' learning and development activities",
  ),
  {
    id: 'tno_ser2023_variety_employees',
    value: 61,
    description: { nl: 'Ervaart veel afwisseling in het werk', en: 'Has much variety in their work' },
    source: TNO_SER_2023,
    year: 2023,
    dataYear: 2022,
    population: EMPLOYEES_NL,
    kind: 'employee',
  },
  {
    id: 'tno_ser2023_autonomy_employees',
    value: 58,
    description: { nl: 'Ervaart een grote mate van autonomie in het werk', en: 'Experiences a large degree of autonomy in their work' },
    source: TNO_SER_2023,
    year: 2023,
    dataYear: 2022,
    population: EMPLOYEES_NL,
    kind: 'employee',
  },
  {
    id: 'tno_ser2023_autonomy_employers',
    value: 31,
    description: { nl: 'Vindt dat de eigen werknemers veel autonomie hebben', en: 'Says their employees have much autonomy' },
    source: TNO_SER_2023,
    year: 2023,
    // The source gives 2022 for the three employee figures and no data year for this one.
    population: EMPLOYERS_NL,
    kind: 'employer',
  },
  {
    id: 'tno_ser2023_manager_support_employees',
    value: 80,
    description: {
      nl: 'Ervaart steun van de leidinggevende bij het ontwikkelen van kennis en vaardigheden',
      en: 'Experiences support from their manager in developing knowledge and skills',
    },
    source: TNO_SER_2023,
    year: 2023,
    dataYear: 2022,
    population: EMPLOYEES_NL,
    kind: 'employee',
  },
  {
    id: 'cbs2020_company_training',
    value: 77,
    description: { nl: 'Bood bedrijfsopleidingen aan het personeel aan', en: 'Offered company training to their staff' },
    source: 'CBS, Centraal Bureau voor de Statistiek',
    // The source names the year the data refer to ("in 2020"), not a publication year.
    year: null,
    dataYear: 2020,
    yearNote: {
      nl: 'De bron noemt het jaar waarop het cijfer betrekking heeft (2020), geen publicatiejaar.',
      en: 'The source gives the year the figure refers to (2020), not a year of publication.',
    },
    population: { nl: 'Nederlandse bedrijven met 10 of meer werknemers', en: 'Dutch companies with 10 or more employees' },
    kind: 'context',
  },
  {
    id: 'aihr2025_no_time_for_learning',
    value: 49,
    description: {
      nl: 'Geeft aan simpelweg geen tijd te hebben voor leren door de dagelijkse verantwoordelijkheden',
      en: 'Say they simply have no time for learning because of their daily responsibilities',
    },
    source: 'AIHR',
    year: 2025,
    // The source says "medewerkers" and nothing more about who was asked.
    population: { nl: 'Medewerkers', en: 'Employees' },
    kind: 'context',
  },
  {
    id: 'aes_nonlearners_no_need',
    value: 80,
    description: {
      nl: 'Wil niet leren, omdat men er de noodzaak niet van inziet en/of negatieve ervaringen heeft',
      en: 'Do not want to learn, because they see no need for it and/or have had negative experiences',
    },
    source: 'Adult Education Survey (AES)',
    year: null,
    yearNote: {
      nl: 'De bron noemt geen jaar van de AES-meting.',
      en: 'The source does not state the year of the AES wave.',
    },
    population: { nl: 'Niet-lerenden', en: 'Non-learners' },
    kind: 'context',
  },
  {
    id: 'aes_nonlearners_barriers',
    value: 20,
    description: {
      nl: 'Is bereid om te leren, maar ervaart drempels: zorg voor familie, werk, kosten (kosten met name bij lager en praktisch opgeleiden)',
      en: 'Are willing to learn but meet barriers: family care, work, cost (cost mainly for people with lower and practical education)',
    },
    source: 'Adult Education Survey (AES)',
    year: null,
    yearNote: {
      nl: 'De bron noemt geen jaar van de AES-meting.',
      en: 'The source does not state the year of the AES wave.',
    },
    population: { nl: 'Niet-lerenden', en: 'Non-learners' },
    kind: 'context',
  },
];

/** Every published figure, validated at module load and frozen. */
export const PUBLISHED_FIGURES: readonly PublishedFigure[] = Object.freeze(FIGURES.map((f) => freezeFigure(PublishedFigureSchema.parse(f))));

function freezeFigure(f: PublishedFigure): PublishedFigure {
  Object.freeze(f.description);
  Object.freeze(f.population);
  if (f.yearNote) Object.freeze(f.yearNote);
  return Object.freeze(f);
}

const byId = new Map(PUBLISHED_FIGURES.map((f) => [f.id, f]));
if (byId.size !== PUBLISHED_FIGURES.length) throw new Error('published figures: duplicate id');

/** The published figure with this id, or undefined. */
export function getPublishedFigure(id: string): PublishedFigure | undefined {
  return byId.get(id);
}

/** Like getPublishedFigure, but throws for an unknown id (for ids that come from instrument data). */
export function requirePublishedFigure(id: string): PublishedFigure {
  const f = byId.get(id);
  if (!f) throw new RangeError(`unknown published figure ${id}`);
  return f;
}

/**
 * The one citation format of the product: "Source (year; data 2022)", "Source (year not stated;
 * data 2020)". A year already part of the source name is not repeated.
 */
export function citeSource(ref: { source: string; year: number | null; dataYear?: number | null }, language: 'nl' | 'en'): string {
  const parts: string[] = [];
  if (ref.year === null) parts.push(language === 'nl' ? 'jaar niet vermeld' : 'year not stated');
  else if (!ref.source.includes(String(ref.year))) parts.push(String(ref.year));
  if (ref.dataYear !== undefined && ref.dataYear !== null) parts.push(language === 'nl' ? `gegevens ${ref.dataYear}` : `data ${ref.dataYear}`);
  const name = ref.source.replace(/\.$/, '');
  return parts.length ? `${name} (${parts.join('; ')})` : name;
}

/** "Source (year)" as a citation line, in the given language. */
export function citeFigure(figure: PublishedFigure, language: 'nl' | 'en'): string {
  return citeSource(figure, language);
}

/**
 * Said beside every comparison with a national figure: the figures come from other studies with
 * their own questions, so our % favourable and their share are not the same measurement.
 */
export const NATIONAL_COMPARISON_CAVEAT: LocalizedText = Object.freeze({
  nl: 'Het landelijke cijfer is met een eigen vraag gemeten; vergelijk met voorzichtigheid.',
  en: 'The national figure was measured with its own question; compare with care.',
});

/** Size classes for which the SME shares are a like-for-like reference (SMEs: fewer than 250 employees). */
export const SME_SIZE_CLASSES: readonly string[] = Object.freeze(['micro', 'small', 'medium']);

/** Whether the SME shares describe organisations of this size class (large = 250 or more employees). */
export function smeSharesApply(sizeClass: string): boolean {
  return SME_SIZE_CLASSES.includes(sizeClass);
}
