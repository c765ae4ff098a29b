import { describe, expect, it } from 'vitest';
import { benchmarkDelta, DECILES_FROM_OTHERS, percentileBand, percentileRank, quartileOfPercentileRank } from '../../scans/scoring/benchmark.js';

describe('benchmarkDelta', () => {
  it('is group % favourable minus the published share, in percentage points', () => {
    expect(benchmarkDelta(70, 61)).toBe(9);
    expect(benchmarkDelta(50, 58)).toBe(-8);
    expect(benchmarkDelta(31, 31)).toBe(0);
  });

  it('is null when the group has no % favourable', () => {
    expect(benchmarkDelta(null, 80)).toBeNull();
  });
});

describe('percentileRank', () => {
  it('counts ties for half', () => {
    // Pool 3.0, 3.5, 3.5, 4.0, 2.0; value 3.5: below = 2 (3.0, 2.0), equal = 2 -> (2 + 0.5 x 2) / 5 x 100 = 60.
    expect(percentileRank(3.5, [3.0, 3.5, 3.5, 4.0, 2.0])).toBe(60);
  });

  it('is 0 below everyone, 100 above everyone, 50 when all are equal', () => {
    expect(percentileRank(1, [2, 3, 4])).toBe(0);
    expect(percentileRank(5, [2, 3, 4])).toBe(100);
    expect(percentileRank(3, [3, 3, 3, 3])).toBe(50);
    // Only pool member equals the value: (0 + 0.5) / 1 x 100 = 50.
    expect(percentileRank(3, [3])).toBe(50);
  });

  it('a value between pool members: 2 of 4 below -> 50', () => {
    expect(percentileRank(3.2, [2.1, 3.1, 3.3, 4.5])).toBe(50);
  });

  it('is null for an empty pool', () => {
    expect(percentileRank(3, [])).toBeNull();
  });
});

describe('quartileOfPercentileRank', () => {
  it('splits at 25, 50 and 75 (lower bound inclusive)', () => {
    expect(quartileOfPercentileRank(0)).toBe(1);
    expect(quartileOfPercentileRank(24.99)).toBe(1);
    expect(quartileOfPercentileRank(25)).toBe(2);
    expect(quartileOfPercentileRank(50)).toBe(3);
    expect(quartileOfPercentileRank(74.9)).toBe(3);
    expect(quartileOfPercentileRank(75)).toBe(4);
    expect(quartileOfPercentileRank(100)).toBe(4);
    expect(() => quartileOfPercentileRank(101)).toThrow(RangeError);
  });
});

describe('percentileBand', () => {
  it('gives quartiles below 40 other organisations and deciles from 40, never the rank', () => {
    expect(DECILES_FROM_OTHERS).toBe(40);
    expect(percentileBand(60, 10)).toEqual({ band: 'quartile', position: 3, from: 50, to: 75 });
    expect(percentileBand(24.99, 39)).toEqual({ band: 'quartile', position: 1, from: 0, to: 25 });
    expect(percentileBand(100, 12)).toEqual({ band: 'quartile', position: 4, from: 75, to: 100 });
    expect(percentileBand(15, 40)).toEqual({ band: 'decile', position: 2, from: 10, to: 20 });
    expect(percentileBand(0, 80)).toEqual({ band: 'decile', position: 1, from: 0, to: 10 });
    expect(percentileBand(100, 80)).toEqual({ band: 'decile', position: 10, from: 90, to: 100 });
    expect(() => percentileBand(101, 10)).toThrow(RangeError);
  });
});
