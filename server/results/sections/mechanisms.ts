// Mechanisms: the employee form's scale and item figures, with their published, custom and pool
// benchmarks. Returns the scored mechanisms (which the other sections compare with) and the part as
// published (with advice and interventions).
import { getPublishedFigure } from '../../../scans/benchmarks/published.js';
import { adviseMechanisms } from '../../../scans/advice.js';
import type { BenchmarkComparison, BenchmarkSource, ItemStats, MechanismItem, MechanismResult } from '../../../scans/result-model.js';
import { benchmarkDelta } from '../../../scans/scoring/benchmark.js';
import { scoreBand } from '../../../scans/scoring/scales.js';
import type { RoundAggregate } from '../aggregate.js';
import { hiddenPercentiles, type PoolComparison } from '../pool.js';
import { customComparisons, customSources, poolComparison, poolSources, publishedComparison, publishedRef, publishedSource, type BenchmarkSet } from './benchmarks.js';
import { mergeSources, type Section, type SectionContext } from './context.js';
import { itemStats, scaleFigures } from './figures.js';

export interface MechanismsSection extends Section<MechanismResult[]> {
  /** The mechanisms before advice: what perspectives, segments, trend and priorities compare with. */
  scored: MechanismResult[];
}

/** Reads the pool comparisons of the scored mechanisms (loadPool, in a database step of the caller's). */
export type PoolReader = (mechanisms: ReadonlyArray<Pick<MechanismResult, 'mechanismId' | 'score'>>) => Promise<Map<string, PoolComparison>>;

export async function mechanismsSection(ctx: SectionContext, forms: RoundAggregate['forms'] | null, benchmark: BenchmarkSet, readPool: PoolReader): Promise<MechanismsSection> {
  const { instrument, k, employeeVisible, filter } = ctx;
  if (!instrument || !forms) return { part: [], scored: [], sources: mergeSources(customSources(benchmark)) };
  const employeeN = ctx.counts.byForm.employee;
  const itemSources: BenchmarkSource[] = [];
  const base: Array<Omit<MechanismResult, 'percentiles' | 'benchmarks'> & { customBench: BenchmarkComparison[] }> = [];
  for (const scale of instrument.scales) {
    const figures = employeeVisible ? scaleFigures(scale, forms.employee, employeeN, k) : null;
    const items: MechanismItem[] = scale.items.map((item) => {
      const stats: ItemStats = employeeVisible
        ? itemStats(item, forms.employee.items.get(item.id), employeeN, k)
        : { suppressed: true, score: null, favourable: null, distribution: null };
      const figure = item.publishedFigureIds?.employee ? getPublishedFigure(item.publishedFigureIds.employee) : undefined;
      const published = figure ? publishedRef(figure) : null;
      if (published) itemSources.push(publishedSource(published));
      const benchmarks: BenchmarkComparison[] = [];
      if (published) benchmarks.push(publishedComparison(published, stats.favourable));
      benchmarks.push(...customComparisons(benchmark, 'item', item.id, { favourable: stats.favourable, mean: stats.score?.mean ?? null }));
      return {
        itemId: item.id,
        text: { nl: item.text.employee.nl, en: item.text.employee.en },
        reverse: item.reverse,
        ...stats,
        published,
        publishedDelta: published ? benchmarkDelta(stats.favourable, published.value) : null,
        benchmarks,
      };
    });
    const score = figures?.score ?? null;
    base.push({
      mechanismId: scale.mechanism,
      name: { nl: scale.name.nl, en: scale.name.en },
      description: { nl: scale.description.nl, en: scale.description.en },
      suppressed: !employeeVisible || score === null,
      score,
      favourable: figures?.favourable ?? null,
      distribution: figures?.distribution ?? null,
      alpha: figures?.alpha ?? null,
      band: score ? scoreBand(score.mean) : null,
      advice: score ? { ...scale.advice[scoreBand(score.mean)] } : null,
      items,
      customBench: customComparisons(benchmark, 'scale', scale.mechanism, { favourable: figures?.favourable ?? null, mean: score?.mean ?? null }),
    });
  }
  // The pool holds whole rounds: a segment view is never compared with it.
  const pool = !filter && base.length > 0 ? await readPool(base) : null;
  const scored: MechanismResult[] = base.map(({ customBench, ...m }) => {
    const p = pool?.get(m.mechanismId);
    const benchmarks: BenchmarkComparison[] = [...customBench];
    const poolBench = poolComparison(p, m.score?.mean ?? null, ctx.now);
    if (poolBench) benchmarks.push(poolBench);
    return { ...m, benchmarks, percentiles: p ? p.percentiles : hiddenPercentiles(filter ? 'pool_unavailable' : 'no_score') };
  });
  return {
    part: adviseMechanisms(instrument, scored),
    scored,
    sources: mergeSources(itemSources, customSources(benchmark), poolSources(pool, scored, ctx.now)),
  };
}
