// Every published figure against a table written by hand from the source documents in
// /work/shared/seeds/ (not from the code): value, year, data year only where the source states one,
// and the population in the source's words. Where the table says `dataYear: null`, the source gives
// none, and the figure must not carry one.
//
// Sources as they read:
// - seed 002 (research presentation), slide "(6) Organisatie gericht op ontwikkeling": ten shares,
//   "SEOR & Ockham IPS (2021). Nulmeting MKB-ondernemingen, evaluatie SLIM-regeling".
// - seed 002, "En hoe staat het met de inhoud van het werk in NL?": "61% van werknemers in 2022 ...",
//   "58% van werknemers ervaart in 2022 ...", "31% van de werkgevers vindt ..." (no year for the
//   employers), all "(TNO/SER, 2023)", ser_leercultuurmonitor_2023; and "80% van de werknemers
//   ervaren in 2022 steun van hun leidinggevende ..." (TNO SER, 2023).
// - seed 002, "Wat zegt de statistiek (AES) over niet lerenden?": "80% van de niet lerenden ..." and
//   "20% is bereid om te leren, maar ervaren barrieres: zorg voor familie, werk, kosten (met name
//   lager/ praktisch opgeleiden)". No year.
// - seed 003: "Volgens gegevens van het CBS bood in 2020 77% van de Nederlandse bedrijven met 10 of
//   meer werknemers bedrijfsopleidingen aan" (a data year, no publication year), and "Bijna de helft
//   van de medewerkers (49%) geeft aan simpelweg geen tijd te hebben ... (AIHR, 2025)".
import { describe, expect, it } from 'vitest';
import { citeSource, getPublishedFigure, PUBLISHED_FIGURES } from '../../scans/benchmarks/published.js';
import { SME_CHECKLIST } from '../../scans/instruments/sme-checklist.js';

interface Expected {
  value: number;
  year: number | null;
  dataYear: number | null;
  /** Words the population must contain (lower case), as the source names it. */
  population: string;
  source: RegExp;
}

const SEOR: Omit<Expected, 'value'> = { year: 2021, dataYear: null, population: 'mkb-ondernemingen', source: /^SEOR & Ockham IPS/ };
const TABLE: Record<string, Expected> = {
  seor2021_training_plan: { ...SEOR, value: 23.7 },
  seor2021_strategic_workforce_planning: { ...SEOR, value: 36.8 },
  seor2021_ld_vision: { ...SEOR, value: 40.1 },
  seor2021_personal_development_plans: { ...SEOR, value: 45.0 },
  seor2021_training_budget: { ...SEOR, value: 50.4 },
  seor2021_ld_responsible: { ...SEOR, value: 54.8 },
  seor2021_competence_needs: { ...SEOR, value: 56.3 },
  seor2021_learning_needs: { ...SEOR, value: 65.8 },
  seor2021_development_conversations: { ...SEOR, value: 78.9 },
  seor2021_supports_learning: { ...SEOR, value: 95.6 },
  tno_ser2023_variety_employees: { value: 61, year: 2023, dataYear: 2022, population: 'werknemers', source: /^TNO \/ SER/ },
  tno_ser2023_autonomy_employees: { value: 58, year: 2023, dataYear: 2022, population: 'werknemers', source: /^TNO \/ SER/ },
  tno_ser2023_autonomy_employers: { value: 31, year: 2023, dataYear: null, population: 'werkgevers', source: /^TNO \/ SER/ },
  tno_ser2023_manager_support_employees: { value: 80, year: 2023, dataYear: 2022, population: 'werknemers', source: /^TNO \/ SER/ },
  cbs2020_company_training: { value: 77, year: null, dataYear: 2020, population: 'bedrijven met 10 of meer werknemers', source: /^CBS/ },
  aihr2025_no_time_for_learning: { value: 49, year: 2025, dataYear: null, population: 'medewerkers', source: /^AIHR$/ },
  aes_nonlearners_no_need: { value: 80, year: null, dataYear: null, population: 'niet-lerenden', source: /Adult Education Survey/ },
  aes_nonlearners_barriers: { value: 20, year: null, dataYear: null, population: 'niet-lerenden', source: /Adult Education Survey/ },
};

describe('published figures, as their sources give them', () => {
  it('holds exactly the figures of the table', () => {
    expect(PUBLISHED_FIGURES.map((f) => f.id).sort()).toEqual(Object.keys(TABLE).sort());
  });

  for (const [id, e] of Object.entries(TABLE)) {
    it(`${id}: value, year, data year, population and source`, () => {
      const f = getPublishedFigure(id)!;
      expect(f.value).toBe(e.value);
      expect(f.year).toBe(e.year);
      expect(f.dataYear ?? null).toBe(e.dataYear);
      expect(f.population.nl.toLowerCase()).toContain(e.population);
      expect(f.source).toMatch(e.source);
      // No figure is given as "about": the sources state exact shares.
      expect(f.approximate ?? false).toBe(false);
      // A year is never printed twice ("Leercultuurmonitor 2023 (2023)").
      if (f.year !== null) expect(f.source).not.toContain(String(f.year));
      if (f.year === null) expect(f.yearNote?.nl.length).toBeGreaterThan(10);
    });
  }

  it('keeps what the AES barriers figure says about cost', () => {
    const f = getPublishedFigure('aes_nonlearners_barriers')!;
    expect(f.description.nl).toMatch(/zorg voor familie, werk, kosten/);
    expect(f.description.nl).toMatch(/lager en praktisch opgeleiden/);
    expect(f.description.en).toMatch(/lower and practical education/);
  });

  it('cites once per year: "TNO / SER, Leercultuurmonitor (2023; gegevens 2022)"', () => {
    expect(citeSource(getPublishedFigure('tno_ser2023_variety_employees')!, 'nl')).toBe('TNO / SER, Leercultuurmonitor (2023; gegevens 2022)');
    expect(citeSource(getPublishedFigure('tno_ser2023_autonomy_employers')!, 'en')).toBe('TNO / SER, Leercultuurmonitor (2023)');
    expect(citeSource(getPublishedFigure('cbs2020_company_training')!, 'nl')).toBe('CBS, Centraal Bureau voor de Statistiek (jaar niet vermeld; gegevens 2020)');
    expect(citeSource(getPublishedFigure('aes_nonlearners_no_need')!, 'en')).toBe('Adult Education Survey (AES) (year not stated)');
    expect(citeSource({ source: 'Bureau X, Benchmark 2024.', year: 2024 }, 'nl')).toBe('Bureau X, Benchmark 2024');
  });
});

describe('SME checklist statements', () => {
  it('speak in one voice, about the organisation', () => {
    for (const p of SME_CHECKLIST.practices) {
      expect(p.text.nl, p.id).toMatch(/onze organisatie/i);
      expect(p.text.en, p.id).toMatch(/our organisation/i);
    }
  });

  it('ask what the source asked, no more', () => {
    const byId = new Map(SME_CHECKLIST.practices.map((p) => [p.id, p]));
    // The source: "Mijn bedrijf werkt met persoonlijke ontwikkelingsplannen voor medewerkers".
    expect(byId.get('personal_development_plans')!.text.nl).toMatch(/werkt met persoonlijke ontwikkelplannen/);
    // The source: "Mijn bedrijf ondersteunt leer- en ontwikkelingsactiviteiten van medewerkers", nothing about time or money.
    expect(byId.get('supports_learning')!.text.nl).not.toMatch(/tijd|geld|bijvoorbeeld/);
    expect(byId.get('supports_learning')!.text.en).not.toMatch(/time|money|example/);
  });
});

describe('SME comparison for large organisations', () => {
  it('gives no ahead or behind for 250 or more employees', async () => {
    const { summariseChecklist } = await import('../../scans/instruments/sme-checklist.js');
    const answers = { training_plan: 'yes', development_conversations: 'no' } as const;
    const sme = summariseChecklist(answers, SME_CHECKLIST, 'medium');
    expect([sme.smeComparable, sme.aheadOfMost, sme.behindMost]).toEqual([true, ['training_plan'], ['development_conversations']]);
    const large = summariseChecklist(answers, SME_CHECKLIST, 'large');
    expect([large.smeComparable, large.aheadOfMost, large.behindMost]).toEqual([false, [], []]);
  });
});
