// Cronbach's alpha per scale, from raw keyed rows or from moments (for SQL aggregates). Both give
// the same answer; alpha is reported with the n of complete respondents it was computed on.

import { regularizedIncompleteBeta, sampleVariance, sampleVarianceFromMoments } from './stats.js';

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

// --- interval for alpha (Feldt) and corrected item-rest correlations -------------------------------

/** Items whose corrected item-rest correlation is below this are flagged for review. */
export const ITEM_REST_FLAG_BELOW = 0.2;

/** The regularised incomplete beta function I_x(a, b): the one in stats.ts (also behind the t distribution). */
export const regularizedBeta = regularizedIncompleteBeta;

/**
 * Quantile of the F distribution with d1 and d2 degrees of freedom. Written here rather than taken
 * from a library: the candidate (@stdlib/stats-base-dists-f-quantile) pulls in some 850 packages;
 * this is a few lines on stats.ts's incomplete beta, checked in the tests against values of that library and of printed F tables.
 * P(F <= f) = I_{d1 f / (d1 f + d2)}(d1 / 2, d2 / 2); the inverse is found by bisection.
 */
export function fQuantile(p: number, d1: number, d2: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`fQuantile: p must be in (0, 1), got ${p}`);
  if (!(d1 > 0 && d2 > 0)) throw new RangeError('fQuantile: degrees of freedom must be positive');
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedBeta(mid, d1 / 2, d2 / 2) < p) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  return (d2 * x) / (d1 * (1 - x));
}

export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/**
 * Feldt's (1965) interval for Cronbach's alpha of n respondents on k items: (1 - alpha) / (1 - rho)
 * follows F with n - 1 and (n - 1)(k - 1) degrees of freedom, so
 * lower = 1 - (1 - alpha) F(1 - g/2), upper = 1 - (1 - alpha) F(g/2), with g = 1 - level.
 * Null when alpha is null, n < 3 or k < 2.
 */
export function alphaInterval(alpha: number | null, n: number, k: number, level = 0.95): Interval | null {
  if (alpha === null || n < ALPHA_MIN_N || k < 2) return null;
  if (!(level > 0 && level < 1)) throw new RangeError(`alphaInterval: level must be in (0, 1), got ${level}`);
  const g = 1 - level;
  const d1 = n - 1;
  const d2 = (n - 1) * (k - 1);
  return { lower: 1 - (1 - alpha) * fQuantile(1 - g / 2, d1, d2), upper: Math.min(1, 1 - (1 - alpha) * fQuantile(g / 2, d1, d2)), level };
}

export interface ItemMoments extends Moments {
  /** Sum over respondents of (keyed item value x the respondent's scale total). */
  sumTotal: number;
}

/**
 * Corrected item-rest correlations: each item with the sum of the other items of the scale, over
 * respondents who answered every item. From aggregates: cov(x, T) = (sum xT - sum x sum T / n) / (n - 1),
 * rest = T - x, so cov(x, rest) = cov(x, T) - var(x) and var(rest) = var(T) - 2 cov(x, T) + var(x).
 * Null for an item (or all) when n < 3, fewer than 2 items, or a variance is zero.
 */
export function itemRestCorrelationsFromMoments(input: { n: number; items: readonly ItemMoments[]; total: Moments }): (number | null)[] {
  const { n, items, total } = input;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n < ALPHA_MIN_N || items.length < 2) return items.map(() => null);
  const varT = sampleVarianceFromMoments(n, total.sum, total.sumSq) as number;
  return items.map((m) => {
    const varX = sampleVarianceFromMoments(n, m.sum, m.sumSq) as number;
    const covXT = (m.sumTotal - (m.sum * total.sum) / n) / (n - 1);
    const covXR = covXT - varX;
    const varR = varT - 2 * covXT + varX;
    const scale = Math.max(1, varT);
    if (varX <= 1e-12 * scale || varR <= 1e-12 * scale) return null;
    return Math.max(-1, Math.min(1, covXR / Math.sqrt(varX * varR)));
  });
}

/** The same as itemRestCorrelationsFromMoments(), from rows of keyed values of complete respondents. */
export function itemRestCorrelations(rows: readonly (readonly number[])[]): (number | null)[] {
  const k = rows[0]?.length ?? 0;
  for (const row of rows) if (row.length !== k) throw new RangeError('itemRestCorrelations: rows have different lengths');
  const totals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const items: ItemMoments[] = [];
  for (let j = 0; j < k; j++) {
    let sum = 0;
    let sumSq = 0;
    let sumTotal = 0;
    rows.forEach((r, i) => {
      const v = r[j] as number;
      sum += v;
      sumSq += v * v;
      sumTotal += v * totals[i]!;
    });
    items.push({ sum, sumSq, sumTotal });
  }
  return itemRestCorrelationsFromMoments({ n: rows.length, items, total: { sum: totals.reduce((a, b) => a + b, 0), sumSq: totals.reduce((a, b) => a + b * b, 0) } });
}
