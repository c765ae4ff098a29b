import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  alphaInterval,
  cronbachAlpha,
  cronbachAlphaFromMoments,
  fQuantile,
  itemRestCorrelations,
  itemRestCorrelationsFromMoments,
  ITEM_REST_FLAG_BELOW,
  regularizedBeta,
  type Moments,
} from '../../scans/scoring/reliability.js';

// Four respondents, three items (keyed values). Worked by hand:
//   item 1: 1,2,3,4  mean 2.5   sum of squared deviations (SS) 2.25+0.25+0.25+2.25 = 5
//   item 2: 2,3,3,5  mean 3.25  SS 1.5625+0.0625+0.0625+3.0625 = 4.75
//   item 3: 2,3,4,5  mean 3.5   SS 5
//   totals: 5,8,10,14  mean 9.25  SS 18.0625+1.5625+0.5625+22.5625 = 42.75
// Variances are SS / 3; the divisor cancels in the ratio:
//   alpha = 3/2 x (1 - (5 + 4.75 + 5) / 42.75) = 1.5 x (28 / 42.75) = 42 / 42.75 = 0.98245614
const MATRIX = [
  [1, 2, 2],
  [2, 3, 3],
  [3, 3, 4],
  [4, 5, 5],
];

function moments(rows: number[][]): { n: number; items: Moments[]; total: Moments } {
  const k = rows[0]?.length ?? 0;
  const items = Array.from({ length: k }, (_, j) => ({
    sum: rows.reduce((s, r) => s + r[j]!, 0),
    sumSq: rows.reduce((s, r) => s + r[j]! ** 2, 0),
  }));
  const totals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  return { n: rows.length, items, total: { sum: totals.reduce((a, b) => a + b, 0), sumSq: totals.reduce((a, b) => a + b * b, 0) } };
}

describe('cronbachAlpha', () => {
  it('matches the hand computation', () => {
    const r = cronbachAlpha(MATRIX);
    expect(r.n).toBe(4);
    expect(r.alpha).toBeCloseTo(42 / 42.75, 12);
  });

  it('from moments gives the same: item sums 10/13/14, squares 30/47/54, totals 37 and 385', () => {
    // item 2: 47 - 13^2 / 4 = 4.75 as above; totals: 385 - 37^2 / 4 = 42.75.
    const m = moments(MATRIX);
    expect(m.items).toEqual([
      { sum: 10, sumSq: 30 },
      { sum: 13, sumSq: 47 },
      { sum: 14, sumSq: 54 },
    ]);
    expect(m.total).toEqual({ sum: 37, sumSq: 385 });
    expect(cronbachAlphaFromMoments(m).alpha).toBeCloseTo(42 / 42.75, 12);
  });

  it('is null with fewer than 3 complete respondents, and reports n', () => {
    expect(cronbachAlpha([])).toEqual({ alpha: null, n: 0 });
    expect(cronbachAlpha([[1, 2, 3]])).toEqual({ alpha: null, n: 1 });
    expect(cronbachAlpha(MATRIX.slice(0, 2))).toEqual({ alpha: null, n: 2 });
    expect(cronbachAlphaFromMoments(moments(MATRIX.slice(0, 2)))).toEqual({ alpha: null, n: 2 });
  });

  it('is null at zero total variance', () => {
    // Everyone gives the same answers: all variances 0.
    expect(cronbachAlpha([[3, 3], [3, 3], [3, 3]])).toEqual({ alpha: null, n: 3 });
    // Items vary but cancel out: totals 6, 6, 6.
    expect(cronbachAlpha([[1, 5], [5, 1], [3, 3]])).toEqual({ alpha: null, n: 3 });
    expect(cronbachAlphaFromMoments(moments([[1, 5], [5, 1], [3, 3]]))).toEqual({ alpha: null, n: 3 });
  });

  it('can be negative when items contradict each other', () => {
    // item 1: 1,5,3 mean 3 SS 8; item 2: 5,1,4 mean 10/3 SS 26/3; totals 6,6,7 mean 19/3 SS 2/3.
    // alpha = 2 x (1 - (8 + 26/3) / (2/3)) = 2 x (1 - 25) = -48.
    expect(cronbachAlpha([[1, 5], [5, 1], [3, 4]]).alpha).toBeCloseTo(-48, 9);
  });

  it('is 1 when all items are identical', () => {
    expect(cronbachAlpha([[1, 1, 1], [3, 3, 3], [5, 5, 5], [2, 2, 2]]).alpha).toBeCloseTo(1, 12);
  });

  it('rejects rows of different lengths', () => {
    expect(() => cronbachAlpha([[1, 2], [1, 2, 3], [1, 2]])).toThrow(RangeError);
  });

  const matrices = fc
    .tuple(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 7 }))
    .chain(([n, k]) => fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: k, maxLength: k }), { minLength: n, maxLength: n }));

  it('is at most 1 (property)', () => {
    fc.assert(
      fc.property(matrices, (rows) => {
        const { alpha } = cronbachAlpha(rows);
        if (alpha !== null) expect(alpha).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('raw and moments-based alpha agree (property)', () => {
    fc.assert(
      fc.property(matrices, (rows) => {
        const raw = cronbachAlpha(rows);
        const mom = cronbachAlphaFromMoments(moments(rows));
        expect(mom.n).toBe(raw.n);
        expect(mom.alpha === null).toBe(raw.alpha === null);
        if (raw.alpha !== null) expect(Math.abs(mom.alpha! - raw.alpha)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(raw.alpha)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('F quantile (for the Feldt interval)', () => {
  it('matches the closed form for 2 and 2 degrees of freedom: F(p) = p / (1 - p)', () => {
    // With d1 = d2 = 2, P(F <= f) = f / (1 + f), so the quantile is p / (1 - p).
    expect(fQuantile(0.975, 2, 2)).toBeCloseTo(39, 8);
    expect(fQuantile(0.025, 2, 2)).toBeCloseTo(0.025 / 0.975, 10);
    expect(fQuantile(0.5, 2, 2)).toBeCloseTo(1, 10);
  });

  it('matches printed tables and an independent library (@stdlib/stats-base-dists-f-quantile 0.2.3)', () => {
    // Printed upper 2.5% table: F(4, 8) = 5.05, F(4, 12) = 4.12, F(9, 36) ~ 2.49.
    expect(fQuantile(0.975, 4, 8)).toBeCloseTo(5.052632217363513, 7);
    expect(fQuantile(0.975, 4, 12)).toBeCloseTo(4.121208618523441, 7);
    expect(fQuantile(0.025, 4, 12)).toBeCloseTo(0.11427057932200911, 7);
    expect(fQuantile(0.975, 9, 36)).toBeCloseTo(2.4922445088916096, 7);
    expect(fQuantile(0.025, 9, 36)).toBeCloseTo(0.28377497869569573, 7);
    expect(fQuantile(0.975, 199, 1194)).toBeCloseTo(1.2269617486448627, 6);
    expect(fQuantile(0.025, 199, 1194)).toBeCloseTo(0.8018009613680155, 6);
  });

  it('the incomplete beta is the CDF of a uniform for a = b = 1 and rejects bad input', () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.5, 3, 3)).toBeCloseTo(0.5, 12);
    expect(() => fQuantile(0, 2, 2)).toThrow(RangeError);
    expect(() => fQuantile(0.5, 0, 2)).toThrow(RangeError);
  });
});

describe('alphaInterval (Feldt, 95%)', () => {
  it('alpha .80 on 10 respondents and 5 items: df 9 and 36', () => {
    // lower = 1 - 0.2 x F.975(9, 36) = 1 - 0.2 x 2.492245 = 0.501551
    // upper = 1 - 0.2 x F.025(9, 36) = 1 - 0.2 x 0.283775 = 0.943245
    const ci = alphaInterval(0.8, 10, 5)!;
    expect(ci.level).toBe(0.95);
    expect(ci.lower).toBeCloseTo(1 - 0.2 * 2.4922445088916096, 6);
    expect(ci.upper).toBeCloseTo(1 - 0.2 * 0.28377497869569573, 6);
  });

  it('is null without alpha or below 3 respondents, and narrows as n grows', () => {
    expect(alphaInterval(null, 50, 6)).toBeNull();
    expect(alphaInterval(0.8, 2, 6)).toBeNull();
    expect(alphaInterval(0.8, 50, 1)).toBeNull();
    const small = alphaInterval(0.8, 20, 6)!;
    const large = alphaInterval(0.8, 200, 6)!;
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });

  it('always contains alpha (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 0.99, noNaN: true }), fc.integer({ min: 3, max: 2000 }), fc.integer({ min: 2, max: 8 }), (alpha, n, k) => {
        const ci = alphaInterval(alpha, n, k)!;
        return ci.lower <= alpha + 1e-9 && alpha <= ci.upper + 1e-9 && ci.upper <= 1;
      }),
      { numRuns: 200 },
    );
  });
});

describe('corrected item-rest correlations', () => {
  // Four respondents, three items, worked by hand:
  //   item 1: 1,2,3,4; rest (items 2+3) 3,5,7,9 = 2 x item 1 + 1: r = 1
  //   item 2: 2,2,4,4 (deviations -1,-1,1,1); rest 2,5,6,9 (deviations -3.5,-0.5,0.5,3.5):
  //           sum of products 8, SS 4 and 25: r = 8 / sqrt(100) = 0.8
  //   item 3: 1,3,3,5 (deviations -2,0,0,2); rest 3,4,7,8 (deviations -2.5,-1.5,1.5,2.5):
  //           sum of products 10, SS 8 and 17: r = 10 / sqrt(136) = 0.857493
  const ROWS = [
    [1, 2, 1],
    [2, 2, 3],
    [3, 4, 3],
    [4, 4, 5],
  ];

  it('matches the hand computation, from rows and from moments', () => {
    const r = itemRestCorrelations(ROWS);
    expect(r[0]).toBeCloseTo(1, 12);
    expect(r[1]).toBeCloseTo(0.8, 12);
    expect(r[2]).toBeCloseTo(10 / Math.sqrt(136), 12);
    // Moments: totals 4, 7, 10, 13 (sum 34, squares 334); item 2: sum 12, squares 40, sum of item x total 2x4+2x7+4x10+4x13 = 114.
    const m = itemRestCorrelationsFromMoments({
      n: 4,
      items: [
        { sum: 10, sumSq: 30, sumTotal: 4 + 14 + 30 + 52 },
        { sum: 12, sumSq: 40, sumTotal: 114 },
        { sum: 12, sumSq: 44, sumTotal: 4 + 21 + 30 + 65 },
      ],
      total: { sum: 34, sumSq: 334 },
    });
    expect(m[1]).toBeCloseTo(0.8, 12);
    expect(m[2]).toBeCloseTo(10 / Math.sqrt(136), 12);
  });

  it('an item unrelated to the rest has r = 0, under the .20 flag; a constant item is null', () => {
    // Item 3: 5,1,1,5 (deviations 2,-2,-2,2) against rest 2,4,6,8 (deviations -3,-1,1,3): products -6+2-2+6 = 0.
    const r = itemRestCorrelations([
      [1, 1, 5],
      [2, 2, 1],
      [3, 3, 1],
      [4, 4, 5],
    ]);
    expect(r[2]).toBeCloseTo(0, 12);
    expect(r[2]!).toBeLessThan(ITEM_REST_FLAG_BELOW);
    expect(ITEM_REST_FLAG_BELOW).toBe(0.2);
    expect(itemRestCorrelations([[3, 1], [3, 2], [3, 4]])[0]).toBeNull();
    expect(itemRestCorrelations(ROWS.slice(0, 2))).toEqual([null, null, null]);
  });
});
