// Cronbach's alpha per scale, from raw keyed rows or from moments (for SQL aggregates). Both give
// the same answer; alpha is reported with the n of complete respondents it was computed on.

import { sampleVariance, sampleVarianceFromMoments } from './stats.js';

export interface AlphaResult {
  /** Null when n < 3, fewer than 2 items, or the total score has zero variance. */
  alpha: number | null;
  /** Number of complete respondents used. */
  n: number;
}

export interface Moments {
  sum: number;
  sumSq: number;
}

/** Minimum number of complete respondents for alpha. */
export const ALPHA_MIN_N = 3;

/**
 * alpha = k / (k - 1) x (1 - sum of item variances / variance of the total score), variances with
 * divisor n - 1. Cauchy-Schwarz bounds alpha by 1; floating-point noise above 1 is clamped.
 */
function alphaFromVariances(k: number, itemVariances: readonly number[], totalVariance: number): number | null {
  // Treat a total variance that is rounding noise relative to the item variances as zero.
  const itemSum = itemVariances.reduce((a, b) => a + b, 0);
  if (totalVariance <= 1e-12 * Math.max(1, itemSum)) return null;
  const alpha = (k / (k - 1)) * (1 - itemSum / totalVariance);
  return Math.min(1, alpha);
}

/**
 * Cronbach's alpha over rows of keyed values, one row per respondent who answered every item.
 * Rows must all have the same length.
 */
export function cronbachAlpha(rows: readonly (readonly number[])[]): AlphaResult {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  for (const row of rows) {
    if (row.length !== k) throw new RangeError('cronbachAlpha: rows have different lengths');
    for (const v of row) if (!Number.isFinite(v)) throw new RangeError(`cronbachAlpha: not a number: ${v}`);
  }
  if (n < ALPHA_MIN_N || k < 2) return { alpha: null, n };
  const itemVariances: number[] = [];
  for (let j = 0; j < k; j++) itemVariances.push(sampleVariance(rows.map((r) => r[j] as number)) as number);
  const totals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  return { alpha: alphaFromVariances(k, itemVariances, sampleVariance(totals) as number), n };
}

/**
 * The same as cronbachAlpha(), from aggregates: per item the sum and sum of squares of keyed values,
 * and the sum and sum of squares of each respondent's total, all over the n complete respondents.
 */
export function cronbachAlphaFromMoments(input: { n: number; items: readonly Moments[]; total: Moments }): AlphaResult {
  const { n, items, total } = input;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const k = items.length;
  if (n < ALPHA_MIN_N || k < 2) return { alpha: null, n };
  const itemVariances = items.map((m) => sampleVarianceFromMoments(n, m.sum, m.sumSq) as number);
  const totalVariance = sampleVarianceFromMoments(n, total.sum, total.sumSq) as number;
  return { alpha: alphaFromVariances(k, itemVariances, totalVariance), n };
}
