import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cronbachAlpha, cronbachAlphaFromMoments, type Moments } from '../../scans/scoring/reliability.js';

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
