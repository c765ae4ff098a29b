// What the report and dashboard SAY about a mechanism: its band (and so the advice text), a sentence
// naming its weakest and strongest statements, and its relevant interventions. Pure: reads the
// mechanism results and the instrument; build.ts applies it to the model's mechanisms.
//
// The band rule uses the mean and the % favourable together, and never sits beside a comparison on
// the same page that says the opposite:
//   1. base band from the mean rounded to one decimal (r) and % favourable (fav):
//        low    r < 3.0, or fav < 50 (fewer than half of the answers favourable)
//        high   r >= 4.0 and fav >= 70
//        middle otherwise
//   2. comparisons of the employees' figures on the mechanism page:
//        "below"     an item >= 10 points under its published figure; a benchmark >= 5 points
//                    favourable or >= 0.2 on the mean under us; a pool percentile rank under 25
//        "far below" an item >= 20 points under its published figure
//      high with any "below" becomes middle; middle with any "far below" becomes low.
// So 'high' never stands beside a lower benchmark or published figure, and a mechanism far under a
// national figure is never told it is in the middle.

import { rankInterventions, interventionResult, itemFiguresOf } from './interventions.js';
import type { CultureScanInstrument } from './instruments/schemas.js';
import type { Localized, MechanismResult } from './result-model.js';
import { roundTo } from './scoring/scales.js';

export type Band = 'low' | 'middle' | 'high';

export const BAND_RULES = {
  lowMean: 3.0,
  highMean: 4.0,
  lowFavourable: 50,
  highFavourable: 70,
  belowPublishedPoints: -10,
  farBelowPublishedPoints: -20,
  belowBenchmarkFavourablePoints: -5,
  belowBenchmarkMeanPoints: -0.2,
  lowPercentile: 25,
} as const;

/** What the band rule reads of a mechanism. */
export type BandInput = Pick<MechanismResult, 'score' | 'favourable' | 'items' | 'benchmarks' | 'percentiles'>;

/** The comparisons on the mechanism page that tell against the mechanism, by strength. */
export function comparisonsAgainst(m: BandInput): { below: boolean; farBelow: boolean } {
  const R = BAND_RULES;
  const itemDeltas = m.items.filter((i) => !i.suppressed && i.publishedDelta !== null).map((i) => i.publishedDelta as number);
  const benchBelow = m.benchmarks.some(
    (b) => b.delta !== null && ((b.metric === 'favourable' && b.delta <= R.belowBenchmarkFavourablePoints) || (b.metric === 'mean' && b.delta <= R.belowBenchmarkMeanPoints)),
  );
  const itemBench = m.items.some((i) =>
    i.suppressed ? false : i.benchmarks.some((b) => b.delta !== null && ((b.metric === 'favourable' && b.delta <= R.belowBenchmarkFavourablePoints) || (b.metric === 'mean' && b.delta <= R.belowBenchmarkMeanPoints))),
  );
  const rank = m.percentiles.overall;
  // Only the band is published: low means the whole band lies below the line (as in priorities.ts).
  const lowRank = rank.shown && rank.to <= R.lowPercentile;
  return {
    below: itemDeltas.some((d) => d <= R.belowPublishedPoints) || benchBelow || itemBench || lowRank,
    farBelow: itemDeltas.some((d) => d <= R.farBelowPublishedPoints),
  };
}

/** The band of a mechanism with a score (see the module comment); null without a score. */
export function mechanismBand(m: BandInput): Band | null {
  if (!m.score) return null;
  const R = BAND_RULES;
  const r = roundTo(m.score.mean, 1);
  const fav = m.favourable;
  let band: Band = r < R.lowMean || (fav !== null && fav < R.lowFavourable) ? 'low' : r >= R.highMean && (fav === null || fav >= R.highFavourable) ? 'high' : 'middle';
  const against = comparisonsAgainst(m);
  if (band === 'high' && against.below) band = 'middle';
  if (band === 'middle' && against.farBelow) band = 'low';
  return band;
}

function pct(v: number): string {
  return `${Math.round(v)}%`;
}

function list(parts: string[], lang: 'nl' | 'en'): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${lang === 'nl' ? 'en' : 'and'} ${parts[parts.length - 1]}`;
}

/**
 * "Least favourable: "A" (28%) and "B" (35%). Most favourable: "C" (82%) and "D" (76%)." over the
 * visible items of the mechanism; two of each from four visible items, one of each from two or three,
 * null below two. Ties keep the instrument's order.
 */
export function itemSummary(m: Pick<MechanismResult, 'suppressed' | 'items'>): Localized | null {
  if (m.suppressed) return null;
  const visible = m.items
    .map((it, order) => ({ it, order }))
    .filter((x) => !x.it.suppressed && x.it.favourable !== null)
    .sort((a, b) => (a.it.favourable as number) - (b.it.favourable as number) || a.order - b.order);
  if (visible.length < 2) return null;
  const each = visible.length >= 4 ? 2 : 1;
  const weakest = visible.slice(0, each);
  const strongest = visible.slice(-each).reverse();
  const fmt = (xs: typeof visible, lang: 'nl' | 'en') => list(xs.map((x) => `"${x.it.text[lang].replace(/\.$/, '')}" (${pct(x.it.favourable as number)})`), lang);
  return {
    nl: `Het minst gunstig beoordeeld ${each === 1 ? 'wordt' : 'worden'} ${fmt(weakest, 'nl')}; het meest gunstig ${fmt(strongest, 'nl')} (percentage gunstig).`,
    en: `Least favourably rated ${each === 1 ? 'is' : 'are'} ${fmt(weakest, 'en')}; most favourably ${fmt(strongest, 'en')} (percentage favourable).`,
  };
}

/**
 * The mechanisms with band, advice, item sentence and relevant interventions filled in. Suppressed
 * mechanisms get none of them. Interventions are ranked over the visible items of every mechanism,
 * because some address statements of a neighbouring mechanism (workload, learning budget).
 */
export function adviseMechanisms(instrument: Pick<CultureScanInstrument, 'scales'>, mechanisms: readonly MechanismResult[]): MechanismResult[] {
  const items = itemFiguresOf(mechanisms);
  return mechanisms.map((m) => {
    if (m.suppressed || !m.score) return { ...m, band: null, advice: null, itemSummary: null, interventions: [] };
    const band = mechanismBand(m);
    const scale = instrument.scales.find((s) => s.mechanism === m.mechanismId);
    return {
      ...m,
      band,
      advice: band && scale ? { nl: scale.advice[band].nl, en: scale.advice[band].en } : null,
      itemSummary: itemSummary(m),
      interventions: rankInterventions(m.mechanismId, items)
        .filter((r) => r.relevant)
        .map((r) => interventionResult(r, items)),
    };
  });
}
