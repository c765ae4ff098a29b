// Honest differences: hand-computed fixtures for each comparison (worked out on paper; cross-checked
// with scipy.stats.t / norm quantiles to the digits given).
import { describe, expect, it } from 'vitest';
import {
  compareIndependentMeans,
  compareIndependentPercentages,
  compareMeanWithValue,
  comparePartWithWhole,
  comparePercentageWithValue,
  differenceWords,
  isFinding,
  restOf,
  wilsonInterval,
} from '../../scans/differences.js';

describe('two independent means (Welch)', () => {
  it('n 10 vs 12: a 0.6 difference is inside its interval and the groups are too small to tell', () => {
    // SE² = 0.6²/10 + 0.8²/12 = 0.036 + 0.053333 = 0.089333, SE = 0.29889
    // df = 0.089333² / (0.036²/9 + 0.053333²/11) = 0.0079804 / 0.00040259 = 19.823
    // t(0.975, 19.823) = 2.0866, half-width 0.6238: interval -0.024 .. 1.224 (contains 0, half-width > 0.5)
    const d = compareIndependentMeans({ n: 10, mean: 3.8, sd: 0.6 }, { n: 12, mean: 3.2, sd: 0.8 });
    expect(d.delta).toBeCloseTo(0.6, 10);
    expect(d.low).toBeCloseTo(-0.0238, 3);
    expect(d.high).toBeCloseTo(1.2238, 3);
    expect(d.verdict).toBe('too_small');
    expect(isFinding(d)).toBe(false);
    expect(differenceWords(d, 'nl')).toBe('De groep is te klein om te zeggen of een verschil van 0,6 punt iets betekent');
  });

  it('n 40 vs 50: a 0.4 difference is larger than its uncertainty', () => {
    // SE² = 0.36/40 + 0.49/50 = 0.009 + 0.0098 = 0.0188; df = 0.0188² / (0.009²/39 + 0.0098²/49) = 87.55
    // t = 1.9873, half 0.2725: 0.1275 .. 0.6725
    const d = compareIndependentMeans({ n: 40, mean: 3.8, sd: 0.6 }, { n: 50, mean: 3.4, sd: 0.7 });
    expect(d.low).toBeCloseTo(0.1275, 3);
    expect(d.high).toBeCloseTo(0.6725, 3);
    expect(d.verdict).toBe('higher');
    expect(differenceWords(d, 'en')).toBe('Clearly higher (0.4 points, larger than the uncertainty)');
    expect(compareIndependentMeans({ n: 50, mean: 3.4, sd: 0.7 }, { n: 40, mean: 3.8, sd: 0.6 }).verdict).toBe('lower');
  });

  it('n 60 vs 60: a 0.05 difference is no difference (narrow interval around 0)', () => {
    // SE = sqrt(2 · 0.36/60) = 0.109545, df = 118, t = 1.9803, half 0.2169
    const d = compareIndependentMeans({ n: 60, mean: 3.5, sd: 0.6 }, { n: 60, mean: 3.45, sd: 0.6 });
    expect(d.low).toBeCloseTo(-0.1669, 3);
    expect(d.high).toBeCloseTo(0.2669, 3);
    expect(d.verdict).toBe('no_difference');
    expect(differenceWords(d, 'nl')).toMatch(/^Geen duidelijk verschil/);
  });

  it('a side without SD (n 1) gives no interval and "too small"', () => {
    const d = compareIndependentMeans({ n: 1, mean: 5, sd: null }, { n: 30, mean: 3, sd: 0.5 });
    expect(d).toMatchObject({ low: null, high: null, verdict: 'too_small' });
    expect(isFinding(d)).toBe(false);
  });
});

describe('a group against the organisation it is part of', () => {
  // Group (10): 4 4 5 3 4 4 5 4 3 4 -> mean 4, SD 0.66667. Rest (15): 3 3 2 4 3 3 2 3 4 3 3 2 3 3 4 ->
  // mean 3, SD 0.65465. Organisation (25): mean 3.4, SD 0.81650.
  const part = { n: 10, mean: 4, sd: 0.6666666666666666 };
  const whole = { n: 25, mean: 3.4, sd: 0.816496580927726 };

  it('recovers the rest from the two published scores', () => {
    const rest = restOf(part, whole)!;
    expect(rest.n).toBe(15);
    expect(rest.mean).toBeCloseTo(3, 10);
    expect(rest.sd).toBeCloseTo(0.6546537, 6);
  });

  it('scales the Welch interval of group vs rest by n_rest / N', () => {
    // group - rest = 1.0; SE² = 0.44444/10 + 0.42857/15 = 0.073016, SE 0.27022, df 19.06, t 2.0925,
    // half 0.56545; times 15/25: 0.33927 around 0.6 -> 0.2609 .. 0.9391
    const d = comparePartWithWhole(part, whole);
    expect(d.delta).toBeCloseTo(0.6, 10);
    expect(d.low).toBeCloseTo(0.2609, 3);
    expect(d.high).toBeCloseTo(0.9391, 3);
    expect(d.verdict).toBe('higher');
  });

  it('treats a rest under 2 respondents as too small', () => {
    expect(comparePartWithWhole({ n: 24, mean: 3.5, sd: 0.7 }, whole).verdict).toBe('too_small');
  });
});

describe('against a fixed outside figure', () => {
  it('a mean: the benchmark inside our own t interval is no finding', () => {
    // n 8, SD 0.9: half = t(0.975, 7) · 0.9 / sqrt(8) = 2.3646 · 0.31820 = 0.7524; 0.6 ± 0.7524
    const d = compareMeanWithValue({ n: 8, mean: 3.6, sd: 0.9 }, 3.0);
    expect(d.low).toBeCloseTo(-0.1524, 3);
    expect(d.high).toBeCloseTo(1.3524, 3);
    expect(d.verdict).toBe('too_small');
  });

  it('a percentage: Wilson score interval', () => {
    // p 0.6, n 40, z 1.95996: centre (0.6 + 0.048015) / 1.096030 = 0.591238; half 0.145278 -> 44.60% .. 73.65%
    const w = wilsonInterval(60, 40)!;
    expect(w.low).toBeCloseTo(44.596, 2);
    expect(w.high).toBeCloseTo(73.652, 2);
    expect(comparePercentageWithValue({ percentage: 60, n: 40 }, 50).verdict).toBe('too_small');
    expect(comparePercentageWithValue({ percentage: 60, n: 40 }, 40).verdict).toBe('higher');
  });

  it('two percentages: Newcombe hybrid score interval', () => {
    // 60% of 40 (Wilson 44.60 .. 73.65) vs 45% of 60 (Wilson 33.11 .. 57.48): 15 - sqrt(15.40² + 12.48²) .. 15 + sqrt(13.65² + 11.89²)
    const d = compareIndependentPercentages({ percentage: 60, n: 40 }, { percentage: 45, n: 60 });
    expect(d.low).toBeCloseTo(-4.843, 2);
    expect(d.high).toBeCloseTo(33.114, 2);
    expect(d.verdict).toBe('too_small');
    expect(differenceWords(d, 'en')).toBe('The group is too small to tell whether a difference of 15 percentage points means anything');
  });
});
