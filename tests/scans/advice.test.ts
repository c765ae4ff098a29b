// Bands from the mean and % favourable together, never beside a contradicting comparison on the same
// page (property test over generated mechanisms), and the sentence naming weakest and strongest items.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adviseMechanisms, BAND_RULES, itemSummary, mechanismBand } from '../../scans/advice.js';
import { getCultureScan } from '../../scans/instruments/registry.js';
import type { BenchmarkComparison, MechanismItem, MechanismResult } from '../../scans/result-model.js';
import { roundTo } from '../../scans/scoring/scales.js';

const instrument = getCultureScan()!;
const hiddenRank = { shown: false as const, reason: 'too_few_organisations' as const, minimumGroupSize: 5 };

function item(id: string, favourable: number | null, publishedDelta: number | null = null, suppressed = false): MechanismItem {
  return {
    itemId: id,
    text: { nl: `Uitspraak ${id}.`, en: `Statement ${id}.` },
    reverse: false,
    suppressed,
    score: null,
    favourable: suppressed ? null : favourable,
    distribution: null,
    published: null,
    publishedDelta: suppressed ? null : publishedDelta,
    benchmarks: [],
  };
}

function bench(metric: 'mean' | 'favourable', delta: number): BenchmarkComparison {
  return { kind: 'custom', sourceId: 'c', label: { nl: 'b', en: 'b' }, metric, value: 0, own: 0, delta, source: 'X', year: 2024, population: null, n: null, figureId: null };
}

/** The quartile band holding a rank 0..100 (the shape the pool publishes). */
function quartileBand(rank: number) {
  const position = Math.min(3, Math.floor(rank / 25));
  return { shown: true as const, band: 'quartile' as const, position: position + 1, from: position * 25, to: position * 25 + 25, groupSize: 10 };
}

function mech(mean: number, favourable: number | null, items: MechanismItem[], benchmarks: BenchmarkComparison[] = [], rank: number | null = null): MechanismResult {
  return {
    mechanismId: 'leadership',
    name: { nl: 'L', en: 'L' },
    description: { nl: '', en: '' },
    suppressed: false,
    score: { n: 30, mean, sd: 1, ciLow: null, ciHigh: null },
    favourable,
    distribution: null,
    alpha: null,
    band: null,
    advice: null,
    benchmarks,
    percentiles: { overall: rank === null ? hiddenRank : quartileBand(rank), sector: hiddenRank, sizeClass: hiddenRank },
    items,
  };
}

describe('mechanismBand', () => {
  it('the issue\'s case: mean 3.12 with 28% favourable, 52 points under the national 80%, needs attention', () => {
    expect(mechanismBand(mech(3.12, 28, [item('ld1', 28, -52)]))).toBe('low');
  });

  it('uses the mean and % favourable together', () => {
    expect(mechanismBand(mech(3.5, 45, []))).toBe('low'); // fewer than half favourable
    expect(mechanismBand(mech(2.94, 60, []))).toBe('low'); // rounds to 2.9
    expect(mechanismBand(mech(2.96, 60, []))).toBe('middle'); // rounds to 3.0
    expect(mechanismBand(mech(4.2, 65, []))).toBe('middle'); // high mean, but under 70% favourable
    expect(mechanismBand(mech(4.2, 75, []))).toBe('high');
  });

  it('is never "high" beside a lower figure on the page, and never "middle" far under a national figure', () => {
    expect(mechanismBand(mech(4.2, 75, [item('ld1', 70, -10)]))).toBe('middle');
    expect(mechanismBand(mech(4.2, 75, [], [bench('mean', -0.2)]))).toBe('middle');
    expect(mechanismBand(mech(4.2, 75, [], [], 20))).toBe('middle');
    expect(mechanismBand(mech(3.6, 60, [item('ld1', 60, -20)]))).toBe('low');
    // A hidden item's comparison is not on the page and does not count.
    expect(mechanismBand(mech(4.2, 75, [item('ld1', null, -30, true)]))).toBe('high');
  });

  it('never contradicts a comparison on the same page (generated mechanisms)', () => {
    const R = BAND_RULES;
    const arbItem = fc.record({ fav: fc.integer({ min: 0, max: 100 }), delta: fc.option(fc.integer({ min: -80, max: 60 }), { nil: null }), hidden: fc.boolean() });
    const arbBench = fc.record({ metric: fc.constantFrom('mean' as const, 'favourable' as const), delta: fc.double({ min: -2, max: 2, noNaN: true }) });
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        fc.array(arbItem, { maxLength: 7 }),
        fc.array(arbBench, { maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        (mean, fav, its, benches, rank) => {
          const m = mech(mean, fav, its.map((x, i) => item(`ld${i + 1}`, x.fav, x.delta, x.hidden)), benches.map((b) => bench(b.metric, b.delta)), rank);
          const band = mechanismBand(m);
          const visibleDeltas = its.filter((x) => !x.hidden && x.delta !== null).map((x) => x.delta as number);
          const lower =
            visibleDeltas.some((d) => d <= R.belowPublishedPoints) ||
            benches.some((b) => (b.metric === 'mean' ? b.delta <= R.belowBenchmarkMeanPoints : b.delta <= R.belowBenchmarkFavourablePoints)) ||
            (rank !== null && rank < R.lowPercentile);
          const r = roundTo(mean, 1);
          if (band === 'high') {
            expect(lower).toBe(false);
            expect(r).toBeGreaterThanOrEqual(4);
            if (fav !== null) expect(fav).toBeGreaterThanOrEqual(70);
          }
          if (band !== 'low') {
            expect(r).toBeGreaterThanOrEqual(3);
            if (fav !== null) expect(fav).toBeGreaterThanOrEqual(50);
            expect(visibleDeltas.every((d) => d > R.farBelowPublishedPoints)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('itemSummary', () => {
  it('names the two weakest and two strongest visible items', () => {
    const s = itemSummary(mech(3, 50, [item('ld1', 40), item('ld2', 80), item('ld3', 20), item('ld4', 65), item('ld5', null, null, true), item('ld6', 90)]))!;
    expect(s.nl).toBe(
      'Het minst gunstig beoordeeld worden "Uitspraak ld3" (20%) en "Uitspraak ld1" (40%); het meest gunstig "Uitspraak ld6" (90%) en "Uitspraak ld2" (80%) (percentage gunstig).',
    );
    expect(s.en).toContain('Least favourably rated are "Statement ld3" (20%) and "Statement ld1" (40%)');
    expect(s.nl).not.toContain('ld5');
  });

  it('names one of each with two or three visible items, and nothing with fewer', () => {
    expect(itemSummary(mech(3, 50, [item('ld1', 40), item('ld2', 80)]))!.nl).toMatch(/wordt "Uitspraak ld1" \(40%\); het meest gunstig "Uitspraak ld2" \(80%\)/);
    expect(itemSummary(mech(3, 50, [item('ld1', 40), item('ld2', null, null, true)]))).toBeNull();
  });
});

describe('adviseMechanisms', () => {
  it('sets band and the matching advice text, and gives suppressed mechanisms none', () => {
    const scale = instrument.scales.find((s) => s.mechanism === 'leadership')!;
    const [m] = adviseMechanisms(instrument, [mech(3.12, 28, [item('ld1', 28, -52)])]);
    expect(m!.band).toBe('low');
    expect(m!.advice).toEqual(scale.advice.low);
    expect(m!.interventions!.map((i) => i.id)[0]).toBe('coaching_leadership_training');
    const [hidden] = adviseMechanisms(instrument, [{ ...mech(3, 50, []), suppressed: true, score: null }]);
    expect([hidden!.band, hidden!.advice, hidden!.itemSummary, hidden!.interventions]).toEqual([null, null, null, []]);
  });
});
