// Rule-based priorities, checked against weights computed by hand from the rules in scans/priorities.ts.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { computePriorities } from '../../scans/priorities.js';
import type { MechanismResult, Perspectives, TrendResult } from '../../scans/result-model.js';
import type { MechanismId } from '../../scans/types.js';

const instrument = getCultureScan()!;
const hiddenRank = { shown: false as const, reason: 'too_few_organisations' as const, minimumGroupSize: 5 };

function mechanism(id: MechanismId, mean: number | null, favourable: number | null, extra: Partial<MechanismResult> = {}): MechanismResult {
  return {
    mechanismId: id,
    name: { nl: id, en: id },
    description: { nl: '', en: '' },
    suppressed: mean === null,
    score: mean === null ? null : { n: 50, mean, sd: 0.8, ciLow: mean - 0.2, ciHigh: mean + 0.2 },
    favourable,
    distribution: null,
    alpha: null,
    band: null,
    advice: null,
    benchmarks: [],
    percentiles: { overall: hiddenRank, sector: hiddenRank, sizeClass: hiddenRank },
    items: [],
    ...extra,
  };
}

const perspectives = (gaps: Partial<Record<MechanismId, number>>): Perspectives => ({
  available: true,
  mechanisms: Object.entries(gaps).map(([id, gap]) => ({
    mechanismId: id as MechanismId,
    name: { nl: id, en: id },
    employee: { suppressed: true as const },
    management: { suppressed: true as const },
    gap: { mean: gap as number, favourable: null },
    items: [],
  })),
});

const trend = (changes: Partial<Record<MechanismId, number>>): TrendResult => ({
  previousRound: { id: 'p', name: 'Vorige', closedAt: null },
  mechanisms: Object.entries(changes).map(([id, change]) => ({
    mechanismId: id as MechanismId,
    previousMean: 3,
    currentMean: 3 + (change as number),
    changeMean: change as number,
    previousFavourable: null,
    currentFavourable: null,
    changeFavourable: null,
  })),
  items: [],
});

describe('computePriorities', () => {
  it('ranks by the rule weights, with reasons and interventions in both languages', () => {
    const result = computePriorities({
      instrument,
      mechanisms: [
        // organisation: 2.64 -> band low (2.6): weight (5 - 2.64)/4 + 2 + (3 - 2.64) = 0.59 + 2 + 0.36 = 2.95;
        // favourable 40 < 50: + (50 - 40)/25 = 0.4 -> 3.35.
        mechanism('organisation', 2.64, 40),
        // leadership: 3.5 -> 0.375; management 0.6 more positive: + 1 -> 1.375.
        mechanism('leadership', 3.5, 60),
        // work_content: 3.9 -> 0.275; dropped 0.3 since the previous round: + 1 -> 1.275.
        mechanism('work_content', 3.9, 70),
        // self_direction: 4.2, 80%: no rule fires -> not listed.
        mechanism('self_direction', 4.2, 80),
        // suppressed: never listed.
        mechanism('room_safety', null, null),
      ],
      perspectives: perspectives({ leadership: 0.6, self_direction: 0.2 }),
      trend: trend({ work_content: -0.3, self_direction: -0.1 }),
    });
    expect(result.map((p) => [p.rank, p.mechanismId])).toEqual([
      [1, 'organisation'],
      [2, 'leadership'],
      [3, 'work_content'],
    ]);
    expect(result[0]!.weight).toBeCloseTo(3.35, 10);
    expect(result[1]!.weight).toBeCloseTo(1.375, 10);
    expect(result[2]!.weight).toBeCloseTo(1.275, 10);
    expect(result[0]!.reasons.map((r) => r.code)).toEqual(['low_score', 'low_favourable']);
    expect(result[0]!.reasons[0]!.text.nl).toContain('2,6');
    expect(result[0]!.reasons[0]!.text.en).toContain('2.6');
    expect(result[1]!.reasons).toEqual([expect.objectContaining({ code: 'perspective_gap', value: 0.6 })]);
    expect(result[1]!.reasons[0]!.text.nl).toMatch(/positiever dan medewerkers/);
    expect(result[2]!.reasons[0]!.code).toBe('declined');
    // Interventions: the scale's first three from the instrument, plus the reason's own.
    const scale = instrument.scales.find((s) => s.mechanism === 'leadership')!;
    expect(result[1]!.interventions.map((i) => i.id)).toEqual([...scale.interventions.slice(0, 3).map((i) => i.id), 'perspective_dialogue']);
    expect(result[1]!.interventions.every((i) => i.text.nl.length > 0 && i.text.en.length > 0)).toBe(true);
  });

  it('names a published figure the item falls short of, with source and year', () => {
    const m = mechanism('leadership', 3.6, 62, {
      items: [
        {
          itemId: 'ld1',
          text: { nl: 'Mijn leidinggevende steunt mij', en: 'My manager supports me' },
          reverse: false,
          suppressed: false,
          score: null,
          favourable: 55,
          distribution: null,
          published: {
            figureId: 'tno_ser2023_manager_support_employees',
            value: 80,
            description: { nl: 'x', en: 'x' },
            source: 'TNO / SER (2023). Leercultuurmonitor 2023.',
            year: 2023,
            dataYear: 2022,
            population: { nl: 'Werknemers in Nederland', en: 'Employees in the Netherlands' },
            approximate: false,
          },
          publishedDelta: -25,
          benchmarks: [],
        },
      ],
    });
    const [p] = computePriorities({ instrument, mechanisms: [m] });
    expect(p!.reasons).toEqual([expect.objectContaining({ code: 'below_published', value: -25 })]);
    expect(p!.reasons[0]!.text.nl).toContain('25 procentpunt onder het landelijke cijfer van 80%');
    expect(p!.reasons[0]!.text.en).toContain('2023');
  });

  it('when no rule fires, lists the relatively lowest mechanism as a place to start', () => {
    const result = computePriorities({ instrument, mechanisms: [mechanism('self_direction', 4.3, 85), mechanism('external_connection', 4.0, 75)] });
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ rank: 1, mechanismId: 'external_connection', reasons: [expect.objectContaining({ code: 'relative_low' })] });
    expect(computePriorities({ instrument, mechanisms: [mechanism('leadership', null, null)] })).toEqual([]);
  });
});
