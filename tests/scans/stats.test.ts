import { describe as suite, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  describe,
  describeFromMoments,
  mean,
  sampleSd,
  tCdf,
  tQuantile,
  tQuantile975,
} from '../../scans/scoring/stats.js';

suite('mean and sampleSd', () => {
  it('mean of nothing is null', () => {
    expect(mean([])).toBeNull();
  });

  it('mean of 2, 4, 9 is 15 / 3 = 5', () => {
    expect(mean([2, 4, 9])).toBe(5);
  });

  it('sample SD divides by n - 1', () => {
    // 2,4,4,4,5,5,7,9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
    // variance 32 / 7 = 4.5714...; SD = sqrt(4.5714) = 2.13809 (the population SD would be 2).
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
  });

  it('sample SD of one value is null, of equal values 0', () => {
    expect(sampleSd([3])).toBeNull();
    expect(sampleSd([3, 3, 3])).toBe(0);
  });
});

suite('t distribution', () => {
  it('matches the 97.5% quantiles of a printed t table', () => {
    // Standard two-sided 95% t table values.
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [10, 2.228],
      [20, 2.086],
      [30, 2.042],
      [60, 2.0],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(tQuantile975(df)).toBeCloseTo(t, 3);
  });

  it('matches closed forms to many digits', () => {
    // df = 1 is the Cauchy distribution: q = tan(pi x (p - 0.5)) = tan(0.475 pi) = 12.7062047362.
    expect(tQuantile975(1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 9);
    // df = 2: q = (2p - 1) / sqrt(2p(1 - p)) = 0.95 / sqrt(0.04875) = 4.3026527297.
    expect(tQuantile975(2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 9);
    // df = 1: CDF(1) = 1/2 + atan(1)/pi = 0.75. df = 2: CDF(2) = 1/2 + 2 / (2 sqrt(6)) = 0.9082483.
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(tCdf(2, 2)).toBeCloseTo(0.5 + 1 / Math.sqrt(6), 12);
    expect(tCdf(-2, 2)).toBeCloseTo(0.5 - 1 / Math.sqrt(6), 12);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it('approaches the normal quantile 1.95996 for large df', () => {
    expect(tQuantile975(100_000)).toBeCloseTo(1.95996, 4);
  });

  it('works for other probabilities and non-integer df', () => {
    // t table: one-sided 95% (p = 0.95) with df = 10 is 1.812.
    expect(tQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    // Between df 2 (4.303) and 3 (3.182).
    const q = tQuantile975(2.5);
    expect(q).toBeLessThan(4.303);
    expect(q).toBeGreaterThan(3.182);
  });

  it('rejects impossible degrees of freedom', () => {
    expect(() => tQuantile975(0)).toThrow(RangeError);
    expect(() => tQuantile975(-1)).toThrow(RangeError);
    expect(() => tQuantile975(Number.NaN)).toThrow(RangeError);
    expect(() => tQuantile975(Infinity)).toThrow(RangeError);
  });

  it('quantile inverts the CDF (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (p, df) => {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 8);
      }),
    );
  });
});

suite('describe', () => {
  it('returns null when there are no values (all answers missing)', () => {
    expect(describe([])).toBeNull();
    expect(describeFromMoments(0, 0, 0)).toBeNull();
  });

  it('gives mean only for one respondent', () => {
    expect(describe([3.5])).toEqual({ n: 1, mean: 3.5, sd: null, ciLow: null, ciHigh: null });
    expect(describeFromMoments(1, 3.5, 12.25)).toEqual({ n: 1, mean: 3.5, sd: null, ciLow: null, ciHigh: null });
  });

  it('gives a zero-width interval at zero variance', () => {
    expect(describe([4, 4, 4])).toEqual({ n: 3, mean: 4, sd: 0, ciLow: 4, ciHigh: 4 });
  });

  it('computes a t interval by hand for 1, 2, 3, 4', () => {
    // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; variance 5/3; SD = 1.290994;
    // standard error = SD / sqrt(4) = 0.645497; t(0.975; 3) = 3.182446; half width = 2.054260;
    // CI = 2.5 -/+ 2.054260 = [0.445740, 4.554260].
    const d = describe([1, 2, 3, 4])!;
    expect(d.n).toBe(4);
    expect(d.mean).toBe(2.5);
    expect(d.sd).toBeCloseTo(1.290994, 6);
    expect(d.ciLow).toBeCloseTo(0.44574, 5);
    expect(d.ciHigh).toBeCloseTo(4.55426, 5);
  });

  it('from moments: n = 4, sum = 10, sum of squares = 1 + 4 + 9 + 16 = 30 gives the same', () => {
    // variance = (30 - 10^2 / 4) / 3 = 5 / 3, as above.
    const d = describeFromMoments(4, 10, 30)!;
    expect(d.mean).toBe(2.5);
    expect(d.sd).toBeCloseTo(1.290994, 6);
    expect(d.ciLow).toBeCloseTo(0.44574, 5);
  });

  it('two respondents: t with 1 df makes the interval wide', () => {
    // 2 and 4: mean 3, SD = sqrt(2) = 1.414214, SE = 1, half width = 12.706205.
    const d = describe([2, 4])!;
    expect(d.ciLow).toBeCloseTo(3 - 12.706205, 5);
    expect(d.ciHigh).toBeCloseTo(3 + 12.706205, 5);
  });

  it('rejects non-finite values', () => {
    expect(() => describe([1, Number.NaN])).toThrow(RangeError);
  });

  it('agrees with describeFromMoments (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const raw = describe(values)!;
        const sum = values.reduce((a, b) => a + b, 0);
        const sumSq = values.reduce((a, b) => a + b * b, 0);
        const mom = describeFromMoments(values.length, sum, sumSq)!;
        expect(mom.n).toBe(raw.n);
        expect(mom.mean).toBeCloseTo(raw.mean, 9);
        if (raw.sd === null) {
          expect(mom.sd).toBeNull();
        } else {
          // sqrt amplifies rounding near zero variance; compare variances instead.
          expect(mom.sd! ** 2).toBeCloseTo(raw.sd ** 2, 9);
          expect(mom.ciLow!).toBeCloseTo(raw.ciLow!, 5);
          expect(mom.ciHigh!).toBeCloseTo(raw.ciHigh!, 5);
        }
      }),
    );
  });

  it('the interval contains the mean (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 40 }), (values) => {
        const d = describe(values)!;
        expect(d.ciLow!).toBeLessThanOrEqual(d.mean);
        expect(d.ciHigh!).toBeGreaterThanOrEqual(d.mean);
      }),
    );
  });
});
