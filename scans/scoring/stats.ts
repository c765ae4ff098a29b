// Descriptive statistics for group scores: mean, sample SD, and a 95% confidence interval from the
// Student t distribution. Raw-value and moment-based (n, sum, sum of squares) versions agree, so a
// figure aggregated in SQL equals the same figure computed in memory.

export interface Description {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n - 1); null when n = 1. */
  sd: number | null;
  /** Lower bound of the 95% confidence interval of the mean (t distribution); null when n = 1. */
  ciLow: number | null;
  /** Upper bound of the 95% confidence interval of the mean; null when n = 1. */
  ciHigh: number | null;
}

/** Arithmetic mean; null for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance with divisor n - 1 (two-pass, for accuracy); null when n < 2. */
export function sampleVariance(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values) as number;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}

/** Sample standard deviation with divisor n - 1; null when n < 2. */
export function sampleSd(values: readonly number[]): number | null {
  const v = sampleVariance(values);
  return v === null ? null : Math.sqrt(v);
}

/**
 * Sample variance from moments: (sumSq - sum^2 / n) / (n - 1). Rounding can leave a tiny negative
 * number when all values are equal; that is clamped to 0.
 */
export function sampleVarianceFromMoments(n: number, sum: number, sumSq: number): number | null {
  assertCount(n);
  if (n < 2) return null;
  const ss = sumSq - (sum * sum) / n;
  return Math.max(0, ss) / (n - 1);
}

// ---------------------------------------------------------------------------------------------
// Student t distribution. The quantile is found by bisection on the exact CDF, which is written with
// the regularised incomplete beta function (continued fraction, modified Lentz). Accurate to about
// 1e-10, for any finite df > 0 including non-integer df.

/** ln Gamma(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error < 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) {
    // Reflection formula keeps the approximation accurate for small x.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (Numerical Recipes, betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const maxIterations = 1000;
  const eps = 1e-15;
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < eps) break;
  }
  return h;
}

/** Regularised incomplete beta function I_x(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be in [0, 1], got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  return incompleteBeta(a, b, x, 1 - x, Math.log(x), Math.log1p(-x));
}

/**
 * I_x(a, b) given x, y = 1 - x and their logarithms separately, so callers can pass y accurately when
 * x is close to 1 (computing 1 - x there would lose all digits).
 */
function incompleteBeta(a: number, b: number, x: number, y: number, lnX: number, lnY: number): number {
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * lnX + b * lnY);
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Cumulative distribution function of Student's t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) throw new RangeError('t must be a number');
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t^2) and 1 - x = t^2 / (df + t^2).
  const r = (t * t) / df;
  const x = 1 / (1 + r);
  const y = r / (1 + r);
  const lnX = -Math.log1p(r);
  const lnY = Math.log(r) - Math.log1p(r);
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, x, y, lnX, lnY);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t: the value q with P(T <= q) = p, for 0.5 <= p < 1 (the upper half is all a
 * two-sided interval needs). Found by bisection on tCdf to 1e-12.
 */
export function tQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p >= 0.5 && p < 1)) throw new RangeError(`p must be in [0.5, 1), got ${p}`);
  if (p === 0.5) return 0;
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const quantile975Cache = new Map<number, number>();

/** The 97.5% quantile of Student's t (the multiplier of a two-sided 95% confidence interval). */
export function tQuantile975(df: number): number {
  const cached = quantile975Cache.get(df);
  if (cached !== undefined) return cached;
  const q = tQuantile(0.975, df);
  if (quantile975Cache.size < 10_000) quantile975Cache.set(df, q);
  return q;
}

// ---------------------------------------------------------------------------------------------

/** n, mean, sample SD and 95% CI of the mean; null for no values; SD and CI null for one value. */
export function describe(values: readonly number[]): Description | null {
  const n = values.length;
  if (n === 0) return null;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`describe: value is not a finite number: ${v}`);
  }
  return fromMeanAndVariance(n, mean(values) as number, sampleVariance(values));
}

/**
 * The same as describe(), from aggregates a database can return: count, sum and sum of squares.
 * Use this when the data are aggregated in SQL (`count(x), sum(x), sum(x * x)`).
 */
export function describeFromMoments(n: number, sum: number, sumSq: number): Description | null {
  assertCount(n);
  if (n === 0) return null;
  return fromMeanAndVariance(n, sum / n, sampleVarianceFromMoments(n, sum, sumSq));
}

function fromMeanAndVariance(n: number, m: number, variance: number | null): Description {
  if (variance === null) return { n, mean: m, sd: null, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(variance);
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, sd, ciLow: m - half, ciHigh: m + half };
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
}

function assertDf(df: number): void {
  if (!(df > 0 && Number.isFinite(df))) {
    throw new RangeError(`degrees of freedom must be a finite number > 0, got ${df}`);
  }
}
