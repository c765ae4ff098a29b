// Benchmarks: published figures (fixed with the instrument), the consultancy's own benchmark set and
// the platform pool. The last two can change after a round closes, so refreshComparisons re-derives
// them for a stored view from its published figures only.
import type { PublishedFigure } from '../../../scans/benchmarks/published.js';
import { POOL_LABEL, POOL_POPULATION, POOL_SOURCE, POOL_SOURCE_ID } from '../../../scans/benchmarks/pool-labels.js';
import { getCultureScan } from '../../../scans/instruments/registry.js';
import { computePriorities } from '../../../scans/priorities.js';
import type { BenchmarkComparison, BenchmarkSource, MechanismResult, PublishedFigureRef, ResultModel } from '../../../scans/result-model.js';
import { benchmarkDelta } from '../../../scans/scoring/benchmark.js';
import type { Db } from '../aggregate.js';
import { comparePool, hiddenPercentiles, type PoolComparison } from '../pool.js';
import type { BuildResultOptions, RoundRow } from './context.js';
import type { BenchmarkValueInput } from '../benchmark-sets.js';

export { POOL_SOURCE_ID };

export function publishedRef(f: PublishedFigure): PublishedFigureRef {
  return {
    figureId: f.id,
    value: f.value,
    description: { nl: f.description.nl, en: f.description.en },
    source: f.source,
    year: f.year,
    dataYear: f.dataYear ?? null,
    population: { nl: f.population.nl, en: f.population.en },
    approximate: f.approximate ?? false,
  };
}

export function publishedSource(ref: PublishedFigureRef): BenchmarkSource {
  return { id: ref.figureId, kind: 'published', label: ref.description, source: ref.source, year: ref.year, dataYear: ref.dataYear, population: ref.population, n: null };
}

export function publishedComparison(ref: PublishedFigureRef, favourable: number | null): BenchmarkComparison {
  return {
    kind: 'published',
    sourceId: ref.figureId,
    label: ref.description,
    metric: 'favourable',
    value: ref.value,
    own: favourable,
    delta: benchmarkDelta(favourable, ref.value),
    source: ref.source,
    year: ref.year,
    population: ref.population,
    n: null,
    figureId: ref.figureId,
  };
}

/** A stored value of an uploaded set: the row the upload validated. */
type BenchmarkValueRow = BenchmarkValueInput;

export interface BenchmarkSet {
  set: { id: string; name: string } | null;
  values: BenchmarkValueRow[];
}

export async function loadBenchmarkSet(db: Db, setId: string | null): Promise<BenchmarkSet> {
  if (!setId) return { set: null, values: [] };
  const set = await db.selectFrom('benchmark_sets').select(['id', 'name']).where('id', '=', setId).executeTakeFirst();
  if (!set) return { set: null, values: [] };
  const values = await db
    .selectFrom('benchmark_values')
    .select(['target_kind', 'target_id', 'metric', 'value', 'n', 'source', 'year'])
    .where('set_id', '=', setId)
    .execute();
  return { set, values: values.map((v) => ({ ...v, value: Number(v.value) })) };
}

export function customComparisons(
  benchmark: BenchmarkSet,
  targetKind: 'scale' | 'item',
  targetId: string,
  own: { favourable: number | null; mean: number | null },
): BenchmarkComparison[] {
  const { set, values } = benchmark;
  if (!set) return [];
  return values
    .filter((v) => v.target_kind === targetKind && v.target_id === targetId)
    .map((v) => {
      const ownValue = v.metric === 'favourable' ? own.favourable : own.mean;
      return {
        kind: 'custom' as const,
        sourceId: `custom:${set.id}`,
        label: { nl: set.name, en: set.name },
        metric: v.metric,
        value: v.value,
        own: ownValue,
        delta: ownValue === null ? null : v.metric === 'favourable' ? benchmarkDelta(ownValue, v.value) : ownValue - v.value,
        source: v.source,
        year: v.year,
        population: null,
        n: v.n,
        figureId: null,
      };
    });
}

/**
 * The benchmark set as a cited source, when it holds values. Every uploaded value gives its n (the
 * respondents behind it); the source carries that n when all values give the same one. When they
 * differ, one number would misstate the set (BenchmarkSource has a single n), so n stays null and each
 * comparison keeps its own n, from which the views print the range.
 */
export function customSources(benchmark: BenchmarkSet): BenchmarkSource[] {
  if (!benchmark.set || benchmark.values.length === 0) return [];
  const ns = new Set(benchmark.values.map((v) => v.n));
  const n = ns.size === 1 ? [...ns][0]! : null;
  return [
    {
      id: `custom:${benchmark.set.id}`,
      kind: 'custom',
      label: { nl: benchmark.set.name, en: benchmark.set.name },
      source: [...new Set(benchmark.values.map((v) => v.source))].join('; '),
      year: Math.max(...benchmark.values.map((v) => v.year)),
      dataYear: null,
      population: null,
      n,
    },
  ];
}

/** The pool comparison of the round's mechanism scores (null for a segment view: the pool holds whole rounds). */
export async function loadPool(db: Db, round: RoundRow, mechanisms: ReadonlyArray<Pick<MechanismResult, 'mechanismId' | 'score'>>): Promise<Map<string, PoolComparison>> {
  return comparePool(db, {
    organisationId: round.organisation_id,
    sector: round.sector,
    sizeClass: round.size_class,
    isDemo: round.is_demo || round.organisation_is_demo,
    scores: new Map(mechanisms.map((m) => [m.mechanismId, m.score?.mean ?? null])),
  });
}

export function poolComparison(p: PoolComparison | undefined, ownMean: number | null, now: Date): BenchmarkComparison | null {
  if (!p || p.mean === null) return null;
  const mean = p.mean;
  return {
    kind: 'pool',
    sourceId: POOL_SOURCE_ID,
    label: POOL_LABEL,
    metric: 'mean',
    value: mean,
    own: ownMean,
    delta: ownMean !== null ? ownMean - mean : null,
    source: POOL_SOURCE,
    year: now.getUTCFullYear(),
    population: POOL_POPULATION,
    n: p.others,
    figureId: null,
  };
}

/** The pool as a cited source, when a mechanism shows a pool mean or a percentile. */
export function poolSources(pool: Map<string, PoolComparison> | null, mechanisms: readonly MechanismResult[], now: Date): BenchmarkSource[] {
  const shown = mechanisms.some((m) => m.benchmarks.some((b) => b.kind === 'pool') || m.percentiles.overall.shown);
  if (!shown) return [];
  return [
    {
      id: POOL_SOURCE_ID,
      kind: 'pool',
      label: POOL_LABEL,
      source: POOL_SOURCE,
      year: now.getUTCFullYear(),
      dataYear: null,
      population: POOL_POPULATION,
      n: Math.max(0, ...[...(pool?.values() ?? [])].map((p) => p.others)),
    },
  ];
}

/** Re-derives the pool and custom-benchmark comparisons of a published view from its published figures. */
export async function refreshComparisons(db: Db, round: RoundRow, model: ResultModel, options: BuildResultOptions): Promise<ResultModel> {
  if (model.mechanisms.length === 0) return model;
  const filtered = model.meta.segmentFilter !== null;
  const now = options.now ?? new Date();
  const [benchmark, pool] = await Promise.all([loadBenchmarkSet(db, round.benchmark_set_id), filtered ? Promise.resolve(null) : loadPool(db, round, model.mechanisms)]);
  const mechanisms: MechanismResult[] = model.mechanisms.map((m) => {
    const p = pool?.get(m.mechanismId);
    const own = m.score?.mean ?? null;
    const benchmarks = m.benchmarks.filter((b) => b.kind === 'published');
    benchmarks.push(...customComparisons(benchmark, 'scale', m.mechanismId, { favourable: m.favourable, mean: own }));
    const poolBench = poolComparison(p, own, now);
    if (poolBench) benchmarks.push(poolBench);
    return {
      ...m,
      benchmarks,
      percentiles: filtered ? m.percentiles : p && m.score ? p.percentiles : hiddenPercentiles('no_score'),
      items: m.items.map((item) => ({
        ...item,
        benchmarks: [
          ...item.benchmarks.filter((b) => b.kind === 'published'),
          ...customComparisons(benchmark, 'item', item.itemId, { favourable: item.favourable, mean: item.score?.mean ?? null }),
        ],
      })),
    };
  });
  const sources = [...model.benchmarkSources.filter((s) => s.kind === 'published'), ...customSources(benchmark), ...poolSources(pool, mechanisms, now)];
  const instrument = getCultureScan(round.instrument_id);
  const refreshed: ResultModel = {
    ...model,
    meta: { ...model.meta, benchmarkSet: benchmark.set ? { id: benchmark.set.id, name: benchmark.set.name } : null },
    mechanisms,
    benchmarkSources: sources,
  };
  return instrument
    ? { ...refreshed, priorities: computePriorities({ instrument, mechanisms, perspectives: refreshed.perspectives, trend: refreshed.trend }) }
    : refreshed;
}
