// Figures of one scale or item from the SQL aggregates, shared by the mechanisms (employee form) and
// perspectives (management form) sections. Pure functions of the aggregates.
import type { CultureScanInstrument, ScanItem } from '../../../scans/instruments/schemas.js';
import type { Distribution, ItemStats } from '../../../scans/result-model.js';
import { alphaInterval, cronbachAlphaFromMoments, itemRestCorrelationsFromMoments, ITEM_REST_FLAG_BELOW } from '../../../scans/scoring/reliability.js';
import { percentFavourableFromCounts } from '../../../scans/scoring/scales.js';
import { describeFromMoments } from '../../../scans/scoring/stats.js';
import type { FormAggregate, ItemAggregate, ScaleAggregate } from '../aggregate.js';

export function keyedDistribution(item: Pick<ScanItem, 'reverse'>, agg: ItemAggregate | undefined, respondents: number): Distribution {
  const raw = agg?.raw ?? [0, 0, 0, 0, 0];
  const counts = (item.reverse ? [...raw].reverse() : [...raw]) as Distribution['counts'];
  const valid = counts.reduce((a, b) => a + b, 0);
  const total = Math.max(respondents, valid);
  return { counts, valid, missing: total - valid, total, respondents: valid };
}

export function itemStats(item: ScanItem, agg: ItemAggregate | undefined, respondents: number, k: number): ItemStats {
  const distribution = keyedDistribution(item, agg, respondents);
  if (distribution.valid < k) return { suppressed: true, score: null, favourable: null, distribution: null };
  let sum = 0;
  let sumSq = 0;
  distribution.counts.forEach((c, i) => {
    sum += c * (i + 1);
    sumSq += c * (i + 1) * (i + 1);
  });
  return {
    suppressed: false,
    score: describeFromMoments(distribution.valid, sum, sumSq),
    favourable: percentFavourableFromCounts(distribution.counts[3] + distribution.counts[4], distribution.valid),
    distribution,
  };
}

export function scaleFigures(scale: CultureScanInstrument['scales'][number], form: FormAggregate, respondents: number, k: number) {
  const agg = form.scales.get(scale.mechanism);
  const counts: Distribution['counts'] = [0, 0, 0, 0, 0];
  let missing = 0;
  for (const item of scale.items) {
    const d = keyedDistribution(item, form.items.get(item.id), respondents);
    d.counts.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + c));
    missing += d.missing;
  }
  const valid = counts.reduce((a, b) => a + b, 0);
  const distribution: Distribution = { counts, valid, missing, total: valid + missing, respondents: agg?.respondents ?? 0 };
  const scoreVisible = agg !== undefined && agg.n >= k;
  const score = scoreVisible ? describeFromMoments(agg.n, agg.sum, agg.sumSq) : null;
  const favourable = scoreVisible ? percentFavourableFromCounts(agg.favourable, agg.valid) : null;
  const totals = form.alphaTotals.get(scale.mechanism);
  // Alpha rests on the respondents who answered every item: shown only when they are at least k.
  const alpha = scoreVisible && (totals?.n ?? 0) >= k
    ? (() => {
        const n = totals?.n ?? 0;
        const items = scale.items.map((i) => {
          const c = form.items.get(i.id)?.complete;
          return { sum: c?.sum ?? 0, sumSq: c?.sumSq ?? 0, sumTotal: c?.sumTotal ?? 0 };
        });
        const total = { sum: totals?.sum ?? 0, sumSq: totals?.sumSq ?? 0 };
        const r = cronbachAlphaFromMoments({ n, items, total });
        const rest = itemRestCorrelationsFromMoments({ n, items, total });
        return {
          value: r.alpha,
          n: r.n,
          interval: alphaInterval(r.alpha, r.n, scale.items.length),
          items: scale.items.map((i, j) => ({ itemId: i.id, itemRest: rest[j] ?? null, flagged: rest[j] != null && rest[j]! < ITEM_REST_FLAG_BELOW })),
        };
      })()
    : null;
  return { score, favourable, distribution: scoreVisible ? distribution : null, alpha };
}

export function segmentScale(agg: ScaleAggregate | undefined, k: number) {
  if (!agg || agg.n < k) return { suppressed: true, score: null, favourable: null };
  return { suppressed: false, score: describeFromMoments(agg.n, agg.sum, agg.sumSq), favourable: percentFavourableFromCounts(agg.favourable, agg.valid) };
}
