// Honest differences: whether a difference between two published figures is larger than its
// uncertainty. Pure; every comparison the dashboard and the reports colour goes through here, so that
// noise is never shown as a finding. The method (also in the methodology, section "differences"):
//
// - Two independent groups (this round vs the previous one, employees vs management): Welch's 95%
//   interval of the difference of two means, d = m1 - m2, SE = sqrt(s1²/n1 + s2²/n2), degrees of
//   freedom after Welch-Satterthwaite, interval d ± t(0.975, df) · SE.
// - A group against the organisation it is part of (segment vs organisation): the group's respondents
//   are also in the organisation's figure, so the two are not independent. The difference with the
//   whole equals (n_rest / N) · (m_group - m_rest), where "rest" is the organisation without the
//   group (its mean and SD follow from the two published means and SDs). The interval is Welch's
//   interval of group vs rest, scaled by n_rest / N.
// - Against a fixed outside figure (benchmark): the figure has no stated uncertainty, so the
//   difference is clear when the benchmark lies outside the 95% interval of our own mean (t with
//   n - 1 df), or of our own percentage (Wilson's score interval).
// - Two independent percentages: Newcombe's hybrid score interval (method 10) from the two Wilson
//   intervals.
//
// Verdict: "higher"/"lower" when the interval excludes 0; otherwise "no_difference" when the interval
// is narrow enough that a meaningful difference would have shown (half-width at most MEANINGFUL), and
// "too_small" when it is not: the groups are too small for a difference of this size to mean anything.
import { tQuantile975 } from './scoring/stats.js';
import type { Language } from './types.js';

/** The part of a score a comparison needs (ScoreSchema has these). */
export interface ScoreLike {
  n: number;
  mean: number;
  sd: number | null;
}

export type DifferenceVerdict = 'higher' | 'lower' | 'no_difference' | 'too_small';

export interface Difference {
  /** First minus second (scale points, or percentage points for percentages). */
  delta: number;
  /** 95% interval of the difference; null when it cannot be computed (a side with n < 2 or no SD). */
  low: number | null;
  high: number | null;
  verdict: DifferenceVerdict;
  metric: 'mean' | 'percentage';
}

/**
 * The smallest difference that matters: 0.5 points on the 1-5 scale, 10 percentage points. A
 * comparison whose interval is wider than this on either side and does not exclude 0 cannot tell a
 * meaningful difference from noise.
 */
export const MEANINGFUL = { mean: 0.5, percentage: 10 } as const;

const Z975 = 1.959963984540054;

function verdictOf(delta: number, low: number | null, high: number | null, metric: 'mean' | 'percentage'): Difference {
  if (low === null || high === null || !Number.isFinite(low) || !Number.isFinite(high)) return { delta, low: null, high: null, verdict: 'too_small', metric };
  const verdict: DifferenceVerdict = low > 0 ? 'higher' : high < 0 ? 'lower' : (high - low) / 2 <= MEANINGFUL[metric] ? 'no_difference' : 'too_small';
  return { delta, low, high, verdict, metric };
}

function welch(a: ScoreLike, b: ScoreLike): { se: number; df: number } | null {
  if (a.n < 2 || b.n < 2 || a.sd === null || b.sd === null) return null;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const v = va + vb;
  if (v === 0) return { se: 0, df: a.n + b.n - 2 };
  const df = (v * v) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { se: Math.sqrt(v), df };
}

/** Two independent groups (a - b), Welch's interval. */
export function compareIndependentMeans(a: ScoreLike, b: ScoreLike): Difference {
  const delta = a.mean - b.mean;
  const w = welch(a, b);
  if (!w) return verdictOf(delta, null, null, 'mean');
  const half = w.se === 0 ? 0 : tQuantile975(w.df) * w.se;
  return verdictOf(delta, delta - half, delta + half, 'mean');
}

/**
 * The rest of a whole without one of its parts (mean and SD from the two published scores); null
 * when the rest has fewer than 2 respondents or the figures are inconsistent.
 */
export function restOf(part: ScoreLike, whole: ScoreLike): ScoreLike | null {
  const nr = whole.n - part.n;
  if (nr < 2 || part.sd === null || whole.sd === null) return null;
  const sumSq = (s: ScoreLike) => (s.n - 1) * (s.sd as number) ** 2 + s.n * s.mean ** 2;
  const mean = (whole.n * whole.mean - part.n * part.mean) / nr;
  const variance = (sumSq(whole) - sumSq(part) - nr * mean * mean) / (nr - 1);
  if (variance < -1e-9) return null;
  return { n: nr, mean, sd: Math.sqrt(Math.max(0, variance)) };
}

/** A group against the whole it belongs to (part - whole): Welch's interval of part vs rest, scaled by n_rest / N. */
export function comparePartWithWhole(part: ScoreLike, whole: ScoreLike): Difference {
  const delta = part.mean - whole.mean;
  const rest = restOf(part, whole);
  if (!rest) return verdictOf(delta, null, null, 'mean');
  const w = welch(part, rest);
  if (!w) return verdictOf(delta, null, null, 'mean');
  const scale = rest.n / whole.n;
  const half = w.se === 0 ? 0 : scale * tQuantile975(w.df) * w.se;
  return verdictOf(delta, delta - half, delta + half, 'mean');
}

/** Our mean against a fixed outside value (own - value): the t interval of our own mean, shifted. */
export function compareMeanWithValue(own: ScoreLike, value: number): Difference {
  const delta = own.mean - value;
  if (own.n < 2 || own.sd === null) return verdictOf(delta, null, null, 'mean');
  const half = tQuantile975(own.n - 1) * (own.sd / Math.sqrt(own.n));
  return verdictOf(delta, delta - half, delta + half, 'mean');
}

/** Wilson's 95% score interval of a proportion of `n`, in percent. */
export function wilsonInterval(percentage: number, n: number): { low: number; high: number } | null {
  if (n < 1) return null;
  const p = percentage / 100;
  const z2 = Z975 * Z975;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z975 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: 100 * (centre - half), high: 100 * (centre + half) };
}

/** Our percentage (of n) against a fixed outside percentage: clear when the value is outside our Wilson interval. */
export function comparePercentageWithValue(own: { percentage: number; n: number }, value: number): Difference {
  const delta = own.percentage - value;
  const w = wilsonInterval(own.percentage, own.n);
  if (!w) return verdictOf(delta, null, null, 'percentage');
  return verdictOf(delta, w.low - value, w.high - value, 'percentage');
}

/** Two independent percentages (a - b): Newcombe's hybrid score interval. */
export function compareIndependentPercentages(a: { percentage: number; n: number }, b: { percentage: number; n: number }): Difference {
  const delta = a.percentage - b.percentage;
  const wa = wilsonInterval(a.percentage, a.n);
  const wb = wilsonInterval(b.percentage, b.n);
  if (!wa || !wb) return verdictOf(delta, null, null, 'percentage');
  const low = delta - Math.sqrt((a.percentage - wa.low) ** 2 + (wb.high - b.percentage) ** 2);
  const high = delta + Math.sqrt((wa.high - a.percentage) ** 2 + (b.percentage - wb.low) ** 2);
  return verdictOf(delta, low, high, 'percentage');
}

/**
 * Our side of a benchmark comparison against the benchmark's fixed value (kind/metric as in
 * BenchmarkComparison): the mean's t interval, or the percentage's Wilson interval over our n.
 */
export function compareWithBenchmark(b: { metric: 'mean' | 'favourable'; own: number | null; value: number }, own: ScoreLike | null): Difference | null {
  if (!own || b.own === null) return null;
  return b.metric === 'mean' ? compareMeanWithValue({ ...own, mean: b.own }, b.value) : comparePercentageWithValue({ percentage: b.own, n: own.n }, b.value);
}

/** Whether a difference may be coloured as a finding. */
export const isFinding = (d: Difference | null | undefined): boolean => d?.verdict === 'higher' || d?.verdict === 'lower';

/** The verdict in words, for a title attribute, a legend or a report line. */
export function differenceWords(d: Difference, lang: Language): string {
  const fmt = (v: number) => {
    const s = Math.abs(v).toFixed(d.metric === 'mean' ? 1 : 0);
    return `${lang === 'nl' ? s.replace('.', ',') : s}${d.metric === 'percentage' ? (lang === 'nl' ? ' procentpunt' : ' percentage points') : lang === 'nl' ? ' punt' : ' points'}`;
  };
  switch (d.verdict) {
    case 'higher':
      return lang === 'nl' ? `Duidelijk hoger (${fmt(d.delta)}, groter dan de onzekerheid)` : `Clearly higher (${fmt(d.delta)}, larger than the uncertainty)`;
    case 'lower':
      return lang === 'nl' ? `Duidelijk lager (${fmt(d.delta)}, groter dan de onzekerheid)` : `Clearly lower (${fmt(d.delta)}, larger than the uncertainty)`;
    case 'no_difference':
      return lang === 'nl' ? 'Geen duidelijk verschil: het verschil valt binnen de onzekerheid' : 'No clear difference: the difference is within the uncertainty';
    case 'too_small':
      return lang === 'nl'
        ? `De groep is te klein om te zeggen of een verschil van ${fmt(d.delta)} iets betekent`
        : `The group is too small to tell whether a difference of ${fmt(d.delta)} means anything`;
  }
}
