import { describe, expect, it } from 'vitest';
import {
  CULTURE_SCAN_V1,
  findItem,
  getScale,
  instrumentItems,
  publishedFigureIdFor,
} from '../../scans/instruments/culture-scan-v1.js';
import { BACKGROUND_QUESTIONS, EDUCATION_CBS_LEVEL, NOT_STATED } from '../../scans/instruments/background.js';
import { CULTURE_SCAN_V2 } from '../../scans/instruments/culture-scan-v2.js';
import { SME_CHECKLIST, summariseChecklist } from '../../scans/instruments/sme-checklist.js';
import { FACTORS, allFactors } from '../../scans/instruments/factors.js';
import { DIALOGUE_MODEL } from '../../scans/instruments/dialogue-model.js';
import {
  CURRENT_CULTURE_SCAN,
  getCultureScan,
  getInstrument,
  listInstruments,
  summariseInstrument,
  validateInstrument,
} from '../../scans/instruments/registry.js';
import { PUBLISHED_FIGURES, getPublishedFigure } from '../../scans/benchmarks/published.js';
import { NOT_STATED_KEY } from '../../scans/result-model.js';
import { MECHANISM_IDS } from '../../scans/types.js';
import { ANSWER_OPTIONS, DONT_KNOW_OPTION } from '../../scans/instruments/answer-options.js';

const items = instrumentItems(CULTURE_SCAN_V1);
const sentences = (s: string) => s.split(/(?<=[.!?])\s+(?=[A-Z"'(])/).filter((x) => x.trim().length > 0);

describe('culture scan v1', () => {
  it('stays registered beside version 2, which new rounds use (issue 17)', () => {
    expect(CURRENT_CULTURE_SCAN).toBe('culture-scan@2');
    expect(getInstrument('culture-scan@1')).toBe(CULTURE_SCAN_V1);
    expect(getCultureScan('culture-scan@1')).toBe(CULTURE_SCAN_V1);
    expect(getCultureScan()).toBe(CULTURE_SCAN_V2);
  });

  it('has one scale per mechanism in order, 5-7 items each, 40-45 in all', () => {
    expect(CULTURE_SCAN_V1.scales.map((s) => s.id)).toEqual([...MECHANISM_IDS]);
    for (const scale of CULTURE_SCAN_V1.scales) {
      expect(scale.items.length).toBeGreaterThanOrEqual(5);
      expect(scale.items.length).toBeLessThanOrEqual(7);
      for (const item of scale.items) expect(item.mechanism).toBe(scale.mechanism);
    }
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(items.length).toBeLessThanOrEqual(45);
  });

  it('has unique, short, lower-case item ids with the mechanism prefix', () => {
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const prefix = { self_direction: 'sd', work_content: 'wc', room_safety: 'rs', collaborative_learning: 'cl', leadership: 'ld', organisation: 'org', external_connection: 'ext' };
    for (const item of items) expect(item.id).toMatch(new RegExp(`^${prefix[item.mechanism]}[1-9][0-9]?$`));
  });

  it('has nl and en text on both forms for every item', () => {
    for (const item of items) {
      for (const form of ['employee', 'management'] as const) {
        for (const lang of ['nl', 'en'] as const) {
          expect(item.text[form][lang].trim().length, `${item.id} ${form} ${lang}`).toBeGreaterThan(10);
        }
      }
      expect(item.text.employee.nl).not.toBe(item.text.employee.en);
    }
  });

  it('speaks as "I" on the employee form and about "our employees" on the management form', () => {
    for (const item of items) {
      expect(item.text.employee.nl, item.id).toMatch(/\b(ik|mijn|me|mij)\b/i);
      expect(item.text.employee.en, item.id).toMatch(/\b(I|[Mm]y|me)\b/);
      expect(item.text.management.nl, item.id).toMatch(/onze medewerkers/i);
      expect(item.text.management.en, item.id).toMatch(/our employees/i);
    }
  });

  it('has reverse-keyed items in most scales', () => {
    const withReverse = CULTURE_SCAN_V1.scales.filter((s) => s.items.some((i) => i.reverse));
    expect(withReverse.length).toBeGreaterThan(CULTURE_SCAN_V1.scales.length / 2);
    expect(findItem(CULTURE_SCAN_V1, 'rs5')?.reverse).toBe(true);
    expect(findItem(CULTURE_SCAN_V1, 'wc1')?.reverse).toBe(false);
  });

  it('maps variety, autonomy and manager support to the published figures, per form', () => {
    const mapped = items.filter((i) => i.publishedFigureIds);
    expect(mapped.map((i) => i.id).sort()).toEqual(['ld1', 'wc1', 'wc2']);
    const autonomy = findItem(CULTURE_SCAN_V1, 'wc2')!;
    expect(getPublishedFigure(publishedFigureIdFor(autonomy, 'employee')!)?.value).toBe(58);
    expect(getPublishedFigure(publishedFigureIdFor(autonomy, 'management')!)?.value).toBe(31);
    expect(getPublishedFigure(publishedFigureIdFor(findItem(CULTURE_SCAN_V1, 'wc1')!, 'employee')!)?.value).toBe(61);
    expect(publishedFigureIdFor(findItem(CULTURE_SCAN_V1, 'wc1')!, 'management')).toBeUndefined();
    expect(getPublishedFigure(findItem(CULTURE_SCAN_V1, 'ld1')!.publishedFigureId!)?.value).toBe(80);
  });

  it('every publishedFigureId resolves, and mapped items are not reverse-keyed', () => {
    for (const item of items) {
      for (const id of [item.publishedFigureId, item.publishedFigureIds?.employee, item.publishedFigureIds?.management]) {
        if (id !== undefined) expect(getPublishedFigure(id), `${item.id} -> ${id}`).toBeDefined();
      }
      if (item.publishedFigureIds) expect(item.reverse).toBe(false);
    }
  });

  it('has name, description, advice per band (2-4 sentences) and interventions for every scale, in both languages', () => {
    for (const scale of CULTURE_SCAN_V1.scales) {
      for (const lang of ['nl', 'en'] as const) {
        expect(scale.name[lang].length).toBeGreaterThan(3);
        expect(scale.description[lang].length).toBeGreaterThan(40);
        for (const band of ['low', 'middle', 'high'] as const) {
          const n = sentences(scale.advice[band][lang]).length;
          expect(n, `${scale.id} ${band} ${lang}: ${n} sentences`).toBeGreaterThanOrEqual(2);
          expect(n, `${scale.id} ${band} ${lang}: ${n} sentences`).toBeLessThanOrEqual(4);
        }
      }
      expect(scale.interventions.length).toBeGreaterThanOrEqual(3);
      for (const x of scale.interventions) expect(x.text.nl && x.text.en).toBeTruthy();
      // The three bands say different things.
      expect(new Set([scale.advice.low.en, scale.advice.middle.en, scale.advice.high.en]).size).toBe(3);
    }
    expect(getScale(CULTURE_SCAN_V1, 'leadership').items.length).toBe(7);
  });

  it('offers answers 1-5 plus "don\'t know" stored as null', () => {
    expect(ANSWER_OPTIONS.map((o) => o.value)).toEqual([1, 2, 3, 4, 5]);
    expect(ANSWER_OPTIONS[0]!.label.en).toBe('Strongly disagree');
    expect(ANSWER_OPTIONS[4]!.label.nl).toBe('Helemaal mee eens');
    expect(DONT_KNOW_OPTION.value).toBeNull();
    expect(CULTURE_SCAN_V1.answerOptions).toEqual(ANSWER_OPTIONS);
  });

  it('is frozen, so no consumer can change it', () => {
    expect(() => {
      (CULTURE_SCAN_V1.scales[0]!.items[0] as { reverse: boolean }).reverse = true;
    }).toThrow(TypeError);
    expect(CULTURE_SCAN_V1.scales[0]!.items[0]!.reverse).toBe(false);
  });
});

describe('instrument validation', () => {
  const clone = () => structuredClone(CULTURE_SCAN_V1) as any;

  it('accepts the shipped instruments', () => {
    for (const instrument of listInstruments()) expect(validateInstrument(instrument.module, instrument).success, instrument.id).toBe(true);
  });

  it('rejects a missing translation', () => {
    const broken = clone();
    broken.scales[0].items[0].text.management.en = '';
    expect(validateInstrument('culture_scan', broken).success).toBe(false);
  });

  it('rejects duplicate item ids', () => {
    const broken = clone();
    broken.scales[0].items[1].id = broken.scales[0].items[0].id;
    expect(validateInstrument('culture_scan', broken).success).toBe(false);
  });

  it('rejects a scale with 4 items', () => {
    const broken = clone();
    broken.scales[6].items = broken.scales[6].items.slice(0, 4);
    expect(validateInstrument('culture_scan', broken).success).toBe(false);
  });

  it('rejects an item in the wrong scale or with the wrong prefix', () => {
    const wrongScale = clone();
    wrongScale.scales[0].items[0].mechanism = 'leadership';
    expect(validateInstrument('culture_scan', wrongScale).success).toBe(false);
    const wrongPrefix = clone();
    wrongPrefix.scales[0].items[0].id = 'wc99';
    expect(validateInstrument('culture_scan', wrongPrefix).success).toBe(false);
  });

  it('rejects an unknown published figure, a figure of the wrong population, and a mapped reverse item', () => {
    const unknown = clone();
    unknown.scales[1].items[0].publishedFigureIds = { employee: 'made_up' };
    unknown.scales[1].items[0].publishedFigureId = 'made_up';
    expect(validateInstrument('culture_scan', unknown).success).toBe(false);
    const wrongKind = clone();
    wrongKind.scales[1].items[1].publishedFigureIds = { employee: 'tno_ser2023_autonomy_employers' };
    wrongKind.scales[1].items[1].publishedFigureId = 'tno_ser2023_autonomy_employers';
    expect(validateInstrument('culture_scan', wrongKind).success).toBe(false);
    const reverse = clone();
    reverse.scales[1].items[0].reverse = true;
    expect(validateInstrument('culture_scan', reverse).success).toBe(false);
  });

  it('rejects answer options that are not 1..5', () => {
    const broken = clone();
    broken.answerOptions[0].value = 0;
    expect(validateInstrument('culture_scan', broken).success).toBe(false);
  });

  it('rejects a checklist with nine practices', () => {
    const broken = structuredClone(SME_CHECKLIST) as any;
    broken.practices.pop();
    expect(validateInstrument('sme_checklist', broken).success).toBe(false);
  });
});

describe('registry', () => {
  it('lists the four modules and returns undefined for an unknown id', () => {
    expect(listInstruments().map((i) => i.id)).toEqual(['culture-scan@1', 'culture-scan@2', 'sme-checklist@1', 'dialogue-model@1', 'factors@1']);
    expect(getInstrument('culture-scan@3')).toBeUndefined();
    expect(getInstrument('')).toBeUndefined();
  });

  it('summarises instruments', () => {
    expect(summariseInstrument(CULTURE_SCAN_V1)).toMatchObject({ id: 'culture-scan@1', module: 'culture_scan', version: 1, itemCount: 42, current: false });
    expect(summariseInstrument(CULTURE_SCAN_V2)).toMatchObject({ id: 'culture-scan@2', module: 'culture_scan', version: 2, itemCount: 45, current: true });
    expect(summariseInstrument(SME_CHECKLIST).itemCount).toBe(10);
  });
});

describe('background questions', () => {
  it('has the five optional questions with labels in both languages', () => {
    expect(BACKGROUND_QUESTIONS.map((q) => q.id)).toEqual(['department', 'role', 'education', 'contract', 'age_band']);
    for (const q of BACKGROUND_QUESTIONS) {
      expect(q.optional).toBe(true);
      expect(q.label.nl && q.label.en).toBeTruthy();
    }
    expect(BACKGROUND_QUESTIONS[0]!.optionsSource).toBe('round');
  });

  it('uses the agreed options', () => {
    const values = (id: string) => {
      const q = BACKGROUND_QUESTIONS.find((x) => x.id === id)!;
      return q.optionsSource === 'fixed' ? q.options.map((o) => o.value) : [];
    };
    expect(values('role')).toEqual(['employee', 'manager']);
    expect(values('contract')).toEqual(['permanent', 'flexible']);
    expect(values('age_band')).toEqual(['under_25', '25_34', '35_44', '45_54', '55_plus']);
    expect(values('education')).toEqual(Object.keys(EDUCATION_CBS_LEVEL));
  });

  it('uses the result model\'s key for "not stated"', () => {
    expect(NOT_STATED).toBe(NOT_STATED_KEY);
  });
});

describe('SME checklist', () => {
  it('has the ten practices in DOMAIN.md order with their published shares', () => {
    // DOMAIN.md: SEOR & Ockham IPS (2021), share of SMEs where the statement holds.
    expect(SME_CHECKLIST.practices.map((p) => [p.id, getPublishedFigure(p.publishedFigureId)?.value])).toEqual([
      ['training_plan', 23.7],
      ['strategic_workforce_planning', 36.8],
      ['ld_vision', 40.1],
      ['personal_development_plans', 45.0],
      ['training_budget', 50.4],
      ['ld_responsible', 54.8],
      ['competence_needs', 56.3],
      ['learning_needs', 65.8],
      ['development_conversations', 78.9],
      ['supports_learning', 95.6],
    ]);
    expect(SME_CHECKLIST.answerOptions.map((o) => o.value)).toEqual(['yes', 'no', 'dont_know']);
  });

  it('summarises answers against the shares', () => {
    // yes on training_plan (23.7% < 50: ahead of most SMEs), no on development_conversations
    // (78.9% > 50: behind most), don't know on ld_vision, the other seven unanswered.
    const s = summariseChecklist({ training_plan: 'yes', development_conversations: 'no', ld_vision: 'dont_know' });
    expect([s.yes, s.no, s.dontKnow, s.unanswered]).toEqual([1, 1, 1, 7]);
    expect(s.aheadOfMost).toEqual(['training_plan']);
    expect(s.behindMost).toEqual(['development_conversations']);
  });
});

describe('factors', () => {
  it('groups the factors from DOMAIN.md with unique ids', () => {
    expect(FACTORS.groups.map((g) => [g.id, g.factors.length])).toEqual([
      ['personal', 6],
      ['private_life', 5],
      ['work', 8],
      ['outside', 5],
    ]);
    const ids = allFactors().map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(FACTORS.ratingOptions.map((o) => o.value)).toEqual([-2, -1, 0, 1, 2]);
    expect(FACTORS.notApplicableOption.value).toBeNull();
  });
});

describe('dialogue model instrument', () => {
  it('has axes from -100 to 100 and three time frames', () => {
    expect(DIALOGUE_MODEL.axes.map((a) => [a.id, a.min, a.max])).toEqual([
      ['x', -100, 100],
      ['y', -100, 100],
    ]);
    expect(DIALOGUE_MODEL.timeFrames.map((t) => t.id)).toEqual(['past', 'current', 'desired']);
  });
});

describe('published figures', () => {
  it('has every figure from DOMAIN.md and nothing else', () => {
    // Values as listed in DOMAIN.md: ten SEOR shares, four TNO/SER, CBS 77, AIHR 49, AES about 80 / 20.
    expect(PUBLISHED_FIGURES.map((f) => f.value)).toEqual([23.7, 36.8, 40.1, 45.0, 50.4, 54.8, 56.3, 65.8, 78.9, 95.6, 61, 58, 31, 80, 77, 49, 80, 20]);
  });

  it('every figure has source, year (or a note why not) and population, and a value 0-100', () => {
    const ids = PUBLISHED_FIGURES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of PUBLISHED_FIGURES) {
      expect(f.source.length, f.id).toBeGreaterThan(2);
      expect(f.population.nl && f.population.en, f.id).toBeTruthy();
      expect(f.description.nl && f.description.en, f.id).toBeTruthy();
      expect(f.value).toBeGreaterThanOrEqual(0);
      expect(f.value).toBeLessThanOrEqual(100);
      if (f.year === null) expect(f.yearNote, f.id).toBeDefined();
      else expect(f.year).toBeGreaterThanOrEqual(2000);
    }
  });

  it('keeps years as cited', () => {
    expect(getPublishedFigure('seor2021_training_plan')).toMatchObject({ year: 2021, kind: 'sme_practice' });
    expect(getPublishedFigure('tno_ser2023_autonomy_employers')).toMatchObject({ year: 2023, kind: 'employer' });
    // The source gives no data year for the employer figure (only for the three employee figures).
    expect(getPublishedFigure('tno_ser2023_autonomy_employers')?.dataYear).toBeUndefined();
    expect(getPublishedFigure('aihr2025_no_time_for_learning')).toMatchObject({ year: 2025 });
    expect(getPublishedFigure('nope')).toBeUndefined();
  });
});

describe('topFactors', () => {
  it('ranks by the share the list shows, not by the mean', async () => {
    const { topFactors } = await import('../../scans/instruments/factors.js');
    const factors = [
      // a: mean -1.5 but only 40% hindering (a few strongly); b: mean -0.6 with 70% hindering.
      { factorId: 'a', mean: -1.5, stimulating: 0, hindering: 40 },
      { factorId: 'b', mean: -0.6, stimulating: 10, hindering: 70 },
      { factorId: 'c', mean: 0.4, stimulating: 50, hindering: 10 },
      { factorId: 'd', mean: null, stimulating: null, hindering: null },
    ];
    expect(topFactors(factors, 'hindering')).toEqual(['b', 'a', 'c']);
    expect(topFactors(factors, 'stimulating')).toEqual(['c', 'b']);
  });
});
