// Assembles the result model of a round (scans/result-model.ts) from SQL aggregates and publishes it
// as a release: every output (JSON, CSV, dashboard, PDF, snapshot) reads the round's stored release.
// `assemble` builds one candidate view (unfiltered, or one segment); composeRelease builds every view
// a reader can obtain and hands them to the disclosure layer (scans/disclosure), which alone decides
// what is published. Figures of the management form are never merged with the employee form.
import { effectiveK, suppressPartition, type SuppressedGroup } from '../../scans/anonymity.js';
import { getPublishedFigure, type PublishedFigure } from '../../scans/benchmarks/published.js';
import { quadrantOf, type Point } from '../../scans/instruments/dialogue-model.js';
import { getCultureScan, getFactors, getSmeChecklist, trendComparabilityOf, trendComparableInstrumentIds } from '../../scans/instruments/registry.js';
import { topFactors } from '../../scans/instruments/factors.js';
import type { CultureScanInstrument, ScanItem } from '../../scans/instruments/schemas.js';
import { computePriorities } from '../../scans/priorities.js';
import { adviseMechanisms } from '../../scans/advice.js';
import {
  NOT_STATED_KEY,
  RESULT_MODEL_VERSION,
  ResultModelSchema,
  SEGMENT_DIMENSIONS,
  type BenchmarkComparison,
  type BenchmarkSource,
  type DialogueResult,
  type Distribution,
  type FactorsResult,
  type ItemStats,
  type Localized,
  type MechanismItem,
  type MechanismResult,
  type PerspectiveSide,
  type Perspectives,
  type PublishedFigureRef,
  type ResultModel,
  type ResultResponse,
  type SegmentDimension,
  type SegmentDimensionResult,
  type TrendResult,
} from '../../scans/result-model.js';
import { benchmarkDelta } from '../../scans/scoring/benchmark.js';
import { describeMove, dialogueConversation, summarisePlacements } from '../../scans/scoring/dialogue.js';
import { alphaInterval, cronbachAlphaFromMoments, itemRestCorrelationsFromMoments, ITEM_REST_FLAG_BELOW } from '../../scans/scoring/reliability.js';
import { percentFavourableFromCounts, scoreBand } from '../../scans/scoring/scales.js';
import { describeFromMoments } from '../../scans/scoring/stats.js';
import { PLACEMENT_GROUPS, TIME_FRAMES, type MechanismId, type TimeFrame } from '../../scans/types.js';
import type { FormKind } from '../db/schema.js';
import { AppError, GoneError, NotFoundError, ValidationFailedError } from '../lib/errors.js';
import { aggregateAnswers, countRespondents, segmentCondition, type Db, type FormAggregate, type ItemAggregate, type ScaleAggregate, type SegmentFilter } from './aggregate.js';
import { dimensionOptions, DIMENSION_LABELS, groupLabel } from './labels.js';
import { DECILES_FROM_OTHERS } from '../../scans/scoring/benchmark.js';
import { comparePool, hiddenPercentiles, MIN_POOL_OTHERS, MIN_POOL_OTHERS_FOR_MEAN } from './pool.js';
import { insertRelease, loadLatestRelease, loadReleases, loadSnapshot, type StoredRelease } from './release-store.js';
import { discloseRelease } from '../../scans/disclosure/model.js';
import { loadContributions } from './aggregate.js';
import { sql } from 'kysely';

export interface BuildResultOptions {
  /** Restrict the model to one visible group of one dimension. */
  segment?: SegmentFilter | null;
  /** Clock for generatedAt (tests). */
  now?: Date;
  /** Serve the stored snapshot when the raw answers were purged (default true). */
  allowSnapshot?: boolean;
  /** Skip the trend (used when building the previous round's figures for a trend). */
  skipTrend?: boolean;
  /** Compute the views now instead of reading the stored release (benchmarks; never stored). */
  live?: boolean;
}

export const POOL_SOURCE_ID = 'pool';
const POOL_LABEL: Localized = {
  nl: 'Gemiddelde van andere organisaties (Leercultuurscan-benchmark)',
  en: 'Mean of other organisations (Leercultuurscan benchmark)',
};
const POOL_SOURCE = 'Leercultuurscan platform pool';
const POOL_POPULATION: Localized = {
  nl: 'Andere organisaties met een afgeronde meting van minstens k medewerkers (meest recente meting per organisatie)',
  en: 'Other organisations with a closed round of at least k employees (most recent round per organisation)',
};

/** Parses `?segment=<dimension>:<value>`; a bad value is a 400. */
export function parseSegmentParam(raw: string | undefined): SegmentFilter | null {
  if (raw === undefined || raw === '') return null;
  const at = raw.indexOf(':');
  const dimension = at > 0 ? raw.slice(0, at) : '';
  const value = at > 0 ? raw.slice(at + 1) : '';
  if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(dimension) || value === '' || value.length > 200) {
    throw new ValidationFailedError('Invalid segment filter', [
      { path: 'querystring.segment', message: `expected <dimension>:<value> with dimension one of ${SEGMENT_DIMENSIONS.join(', ')} (one dimension only)` },
    ]);
  }
  return { dimension: dimension as SegmentDimension, value };
}

type RoundRow = Awaited<ReturnType<typeof loadRound>>;

async function loadRound(db: Db, roundId: string) {
  const row = await db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .selectAll('rounds')
    .select([
      'organisations.name as organisation_name',
      'organisations.sector',
      'organisations.size_class',
      'organisations.is_demo as organisation_is_demo',
      'organisations.consultancy_id',
    ])
    .where('rounds.id', '=', roundId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Round');
  return row;
}

const iso = (d: Date | string | null | undefined): string | null => (d === null || d === undefined ? null : new Date(d).toISOString());

function publishedRef(f: PublishedFigure): PublishedFigureRef {
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

function keyedDistribution(item: Pick<ScanItem, 'reverse'>, agg: ItemAggregate | undefined, respondents: number): Distribution {
  const raw = agg?.raw ?? [0, 0, 0, 0, 0];
  const counts = (item.reverse ? [...raw].reverse() : [...raw]) as Distribution['counts'];
  const valid = counts.reduce((a, b) => a + b, 0);
  const total = Math.max(respondents, valid);
  return { counts, valid, missing: total - valid, total, respondents: valid };
}

function itemStats(item: ScanItem, agg: ItemAggregate | undefined, respondents: number, k: number): ItemStats {
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

function scaleFigures(scale: CultureScanInstrument['scales'][number], form: FormAggregate, respondents: number, k: number) {
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

function segmentScale(agg: ScaleAggregate | undefined, k: number) {
  if (!agg || agg.n < k) return { suppressed: true, score: null, favourable: null };
  return { suppressed: false, score: describeFromMoments(agg.n, agg.sum, agg.sumSq), favourable: percentFavourableFromCounts(agg.favourable, agg.valid) };
}

/** Suppression of every dimension's partition of the employee respondents. */
export function partitionDimensions(
  byDimension: Record<SegmentDimension, Map<string, number>>,
  departments: readonly string[],
  k: number,
): Record<SegmentDimension, SuppressedGroup[]> {
  const out = {} as Record<SegmentDimension, SuppressedGroup[]>;
  for (const dim of SEGMENT_DIMENSIONS) {
    const counts = byDimension[dim];
    const keys = dimensionOptions(dim, departments);
    for (const key of counts.keys()) if (key !== NOT_STATED_KEY && !keys.includes(key)) keys.push(key);
    if ((counts.get(NOT_STATED_KEY) ?? 0) > 0) keys.push(NOT_STATED_KEY);
    out[dim] = suppressPartition(
      keys.map((key) => ({ key, n: counts.get(key) ?? 0 })),
      k,
    );
  }
  return out;
}

function customComparisons(
  values: BenchmarkValueRow[],
  set: { id: string; name: string } | null,
  targetKind: 'scale' | 'item',
  targetId: string,
  own: { favourable: number | null; mean: number | null },
): BenchmarkComparison[] {
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

function publishedComparison(ref: PublishedFigureRef, favourable: number | null): BenchmarkComparison {
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

interface BenchmarkValueRow {
  target_kind: 'scale' | 'item';
  target_id: string;
  metric: 'favourable' | 'mean';
  value: number;
  n: number;
  source: string;
  year: number;
}

async function loadBenchmarkSet(db: Db, setId: string | null) {
  if (!setId) return { set: null, values: [] as BenchmarkValueRow[] };
  const set = await db.selectFrom('benchmark_sets').select(['id', 'name']).where('id', '=', setId).executeTakeFirst();
  if (!set) return { set: null, values: [] };
  const values = await db
    .selectFrom('benchmark_values')
    .select(['target_kind', 'target_id', 'metric', 'value', 'n', 'source', 'year'])
    .where('set_id', '=', setId)
    .execute();
  return { set, values: values.map((v) => ({ ...v, value: Number(v.value) })) };
}

/**
 * Personal invitations and how many of them were submitted, per form and (employee form) department.
 * The response rate is personal submitted / personal invited: responses through a shared link have no
 * invited count, so counting them against the invitations gave rates above 100% (issue 14). A
 * withdrawn invitation counts only if its holder had started (as in rounds/response-rates.ts).
 */
async function loadInvitations(db: Db, roundId: string) {
  const rows = await db
    .selectFrom('invitations')
    .select(['form', 'department', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('submitted_at').as('submitted')])
    .where('round_id', '=', roundId)
    .where('kind', '=', 'personal')
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('started_at', 'is not', null)]))
    .groupBy(['form', 'department'])
    .execute();
  const byForm: Record<FormKind, number> = { employee: 0, management: 0 };
  const submittedByForm: Record<FormKind, number> = { employee: 0, management: 0 };
  const byDepartment = new Map<string, number>();
  const submittedByDepartment = new Map<string, number>();
  for (const r of rows) {
    byForm[r.form] += Number(r.n);
    submittedByForm[r.form] += Number(r.submitted);
    if (r.form === 'employee' && r.department) {
      byDepartment.set(r.department, (byDepartment.get(r.department) ?? 0) + Number(r.n));
      submittedByDepartment.set(r.department, (submittedByDepartment.get(r.department) ?? 0) + Number(r.submitted));
    }
  }
  return { byForm, byDepartment, submittedByForm, submittedByDepartment, any: rows.length > 0 };
}

/** Staff placements with names (few), and employee placements aggregated per frame in SQL. */
async function loadPlacements(db: Db, roundId: string, filter: SegmentFilter | null) {
  const staff = await db
    .selectFrom('placements as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.participant_group', 'p.user_id', 'u.name', 'p.frame', 'p.x', 'p.y'])
    .where('p.round_id', '=', roundId)
    .where('p.participant_group', '<>', 'employee')
    .orderBy('p.participant_group')
    .orderBy('u.name')
    .orderBy('p.frame')
    .execute();
  // Same definitions as summarisePlacements: mean point, sample SD per axis, mean distance to the mean.
  const { rows: employee } = await sql<{ frame: TimeFrame; n: number; mx: number; my: number; sx: number | null; sy: number | null; md: number }>`
    with e as materialized (
      select p.frame, p.x, p.y from placements p join responses r on r.id = p.response_id
      where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted' ${segmentCondition(filter)}
    ), s as (
      select frame, count(*)::int as n, avg(x) as mx, avg(y) as my, stddev_samp(x) as sx, stddev_samp(y) as sy from e group by frame
    )
    select s.frame, s.n, s.mx, s.my, s.sx, s.sy, avg(sqrt((e.x - s.mx) ^ 2 + (e.y - s.my) ^ 2)) as md
    from e join s on s.frame = e.frame
    group by s.frame, s.n, s.mx, s.my, s.sx, s.sy
  `.execute(db);
  // The points themselves (frame and position only, no response id) for the conversation view.
  const { rows: employeePoints } = await sql<{ frame: TimeFrame; x: number; y: number }>`
    select p.frame, p.x, p.y from placements p join responses r on r.id = p.response_id
    where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted' ${segmentCondition(filter)}
  `.execute(db);
  return {
    staff: staff.map((r) => ({ ...r, x: Number(r.x), y: Number(r.y) })),
    employeePoints: employeePoints.map((r) => ({ frame: r.frame, x: Number(r.x), y: Number(r.y) })),
    employee: employee.map((r) => ({
      frame: r.frame,
      n: Number(r.n),
      mean: { x: Number(r.mx), y: Number(r.my) },
      sd: { x: r.sx === null ? null : Number(r.sx), y: r.sy === null ? null : Number(r.sy) },
      meanDistance: Number(r.md),
    })),
  };
}

async function loadFactors(db: Db, roundId: string, filter: SegmentFilter | null) {
  const { rows } = await sql<{ factor_id: string | null; value: number | null; n: number }>`
    select fa.factor_id, fa.value, count(*)::int as n
    from factor_answers fa join responses r on r.id = fa.response_id
    where r.round_id = ${roundId} and r.status = 'submitted' and r.form = 'employee' ${segmentCondition(filter)}
    group by fa.factor_id, fa.value
    union all
    select null, null, count(*)::int from responses r
    where r.round_id = ${roundId} and r.status = 'submitted' and r.form = 'employee' ${segmentCondition(filter)}
      and exists (select 1 from factor_answers fa where fa.response_id = r.id and fa.value is not null)
  `.execute(db);
  return { rows: rows.filter((r) => r.factor_id !== null), respondents: Number(rows.find((r) => r.factor_id === null)?.n ?? 0) };
}

async function loadChecklist(db: Db, roundId: string) {
  return db.selectFrom('checklist_answers').select(['practice_id', 'answer']).where('round_id', '=', roundId).execute();
}

/**
 * The result model of a round as published. Access control is the caller's job (requireRound).
 * A closed round is served from its stored release (published at close, or on first read for rounds
 * closed before releases existed); a segment view only when the release holds it (403 otherwise).
 * Rounds that are not closed are computed and disclosed the same way but never stored (the routes do
 * not serve them). Throws NotFoundError for an unknown round, 410 when the raw answers were purged
 * and nothing was kept.
 */
export async function buildResultModel(db: Db, roundId: string, options: BuildResultOptions = {}): Promise<ResultModel> {
  const round = await loadRound(db, roundId);
  const filter = options.segment ?? null;
  if (round.raw_purged_at) {
    if (options.allowSnapshot === false) throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged');
    const release = await loadLatestRelease(db, roundId);
    if (release) return viewOf(db, release, round, filter, options);
    if (filter) throw new AppError(409, 'segment_filter_unavailable', 'Segment filters are not available after the raw answers were purged');
    const snapshot = await loadSnapshot(db, roundId);
    if (!snapshot) throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged and no snapshot was kept');
    return {
      ...snapshot,
      meta: { ...snapshot.meta, source: 'snapshot', rawPurgedAt: iso(round.raw_purged_at), round: { ...snapshot.meta.round, status: round.status } },
    };
  }
  if (round.status === 'closed' && !options.live) {
    const release = (await loadLatestRelease(db, roundId)) ?? (await ensureRelease(db, roundId, options));
    return viewOf(db, release, round, filter, options);
  }
  const { suppressed: _reasons, ...composed } = await composeRelease(db, roundId, options, await loadReleases(db, roundId));
  return viewOf(db, { ...composed, roundId, seq: 0, createdAt: '' }, round, filter, options);
}

/**
 * One view of a release as served now. Only what can change after the close is recomputed: the
 * comparison with the platform pool (other organisations close rounds later) and the consultancy's
 * benchmark set (it may be picked after the close). Both compare published figures with outside
 * figures; neither adds a figure about the round's respondents.
 */
async function viewOf(db: Db, release: StoredRelease, round: RoundRow, filter: SegmentFilter | null, options: BuildResultOptions): Promise<ResultModel> {
  const stored = filter ? release.segments[`${filter.dimension}:${filter.value}`] : release.main;
  if (!stored) throw new AppError(403, 'segment_hidden', 'This group is hidden under the anonymity rules (or does not exist)');
  const model = await refreshComparisons(db, round, stored, options);
  const purged = round.raw_purged_at !== null && round.raw_purged_at !== undefined;
  return {
    ...model,
    meta: {
      ...model.meta,
      ...(purged ? { source: 'snapshot' as const, rawPurgedAt: iso(round.raw_purged_at) } : {}),
      round: { ...model.meta.round, status: round.status, closedAt: iso(round.closed_at) ?? model.meta.round.closedAt },
    },
  };
}

/** Re-derives the pool and custom-benchmark comparisons of a published view from its published figures. */
async function refreshComparisons(db: Db, round: RoundRow, model: ResultModel, options: BuildResultOptions): Promise<ResultModel> {
  if (model.mechanisms.length === 0) return model;
  const filtered = model.meta.segmentFilter !== null;
  const now = options.now ?? new Date();
  const [benchmark, pool] = await Promise.all([
    loadBenchmarkSet(db, round.benchmark_set_id),
    filtered
      ? Promise.resolve(null)
      : comparePool(db, {
          organisationId: round.organisation_id,
          sector: round.sector,
          sizeClass: round.size_class,
          isDemo: round.is_demo || round.organisation_is_demo,
          scores: new Map(model.mechanisms.map((m) => [m.mechanismId, m.score?.mean ?? null])),
        }),
  ]);
  let poolShown = false;
  const mechanisms: MechanismResult[] = model.mechanisms.map((m) => {
    const p = pool?.get(m.mechanismId);
    const benchmarks = m.benchmarks.filter((b) => b.kind === 'published');
    benchmarks.push(...customComparisons(benchmark.values, benchmark.set, 'scale', m.mechanismId, { favourable: m.favourable, mean: m.score?.mean ?? null }));
    if (p && p.mean !== null) {
      poolShown = true;
      benchmarks.push({
        kind: 'pool',
        sourceId: POOL_SOURCE_ID,
        label: POOL_LABEL,
        metric: 'mean',
        value: p.mean,
        own: m.score?.mean ?? null,
        delta: m.score ? m.score.mean - p.mean : null,
        source: POOL_SOURCE,
        year: now.getUTCFullYear(),
        population: POOL_POPULATION,
        n: p.others,
        figureId: null,
      });
    }
    return {
      ...m,
      benchmarks,
      percentiles: filtered ? m.percentiles : p && m.score ? p.percentiles : hiddenPercentiles('no_score'),
      items: m.items.map((item) => ({
        ...item,
        benchmarks: [
          ...item.benchmarks.filter((b) => b.kind === 'published'),
          ...customComparisons(benchmark.values, benchmark.set, 'item', item.itemId, { favourable: item.favourable, mean: item.score?.mean ?? null }),
        ],
      })),
    };
  });
  const sources = model.benchmarkSources.filter((s) => s.kind === 'published');
  if (benchmark.set && benchmark.values.length > 0) {
    sources.push({
      id: `custom:${benchmark.set.id}`,
      kind: 'custom',
      label: { nl: benchmark.set.name, en: benchmark.set.name },
      source: [...new Set(benchmark.values.map((v) => v.source))].join('; '),
      year: Math.max(...benchmark.values.map((v) => v.year)),
      dataYear: null,
      population: null,
      n: null,
    });
  }
  if (poolShown || mechanisms.some((m) => m.percentiles.overall.shown)) {
    sources.push({
      id: POOL_SOURCE_ID,
      kind: 'pool',
      label: POOL_LABEL,
      source: POOL_SOURCE,
      year: now.getUTCFullYear(),
      dataYear: null,
      population: POOL_POPULATION,
      n: Math.max(0, ...[...(pool?.values() ?? [])].map((p) => p.others)),
    });
  }
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

/**
 * Builds every view of a round a reader can obtain (the unfiltered model and one per segment group
 * that has at least k respondents) and lets the disclosure layer decide what is published, checked
 * against everything earlier releases published.
 */
export async function composeRelease(
  db: Db,
  roundId: string,
  options: BuildResultOptions,
  earlier: readonly StoredRelease[],
): Promise<{ main: ResultModel; segments: Record<string, ResultModel>; covered: string[]; suppressed: Map<string, string> }> {
  const [round, allCounts] = await Promise.all([loadRound(db, roundId), countRespondents(db, roundId)]);
  const k = effectiveK(round.anonymity_threshold);
  const instrument = round.modules.includes('culture_scan') ? getCultureScan(round.instrument_id) : undefined;
  const main = await assemble(db, round, allCounts, null, options);
  const views: ResultModel[] = [main];
  if (allCounts.byForm.employee >= k) {
    const partitions = partitionDimensions(allCounts.byDimension, round.departments ?? [], k);
    for (const dim of SEGMENT_DIMENSIONS) {
      if (!main.segments.some((d) => d.dimension === dim)) continue;
      for (const g of partitions[dim]) {
        if (g.visible) views.push(await assemble(db, round, allCounts, { dimension: dim, value: g.key }, options));
      }
    }
  }
  const contributions = await loadContributions(db, roundId, instrument);
  const position = new Map(contributions.map((c, i) => [c.responseId, i]));
  const disclosed = discloseRelease({
    k,
    views,
    respondents: contributions,
    earlier: earlier.map((r) => ({
      views: [r.main, ...Object.values(r.segments)],
      covered: r.covered.map((id) => position.get(id)).filter((i): i is number => i !== undefined),
    })),
  });
  const withPriorities = (m: ResultModel): ResultModel =>
    instrument ? { ...m, priorities: computePriorities({ instrument, mechanisms: m.mechanisms, perspectives: m.perspectives, trend: m.trend }) } : m;
  return {
    main: withPriorities(disclosed.main),
    segments: Object.fromEntries([...disclosed.segments].map(([key, m]) => [key, withPriorities(m)])),
    covered: contributions.map((c) => c.responseId),
    suppressed: disclosed.suppressed,
  };
}

/**
 * The release a closed round publishes. The first close publishes release 1. After a reopen, a new
 * release is published only when at least k responses were added since the previous one; otherwise
 * the previous release stays what everybody sees. Call inside the close transaction.
 */
export async function ensureRelease(db: Db, roundId: string, options: BuildResultOptions = {}): Promise<StoredRelease> {
  const round = await loadRound(db, roundId);
  const k = effectiveK(round.anonymity_threshold);
  const releases = await loadReleases(db, roundId);
  const latest = releases.at(-1);
  if (round.raw_purged_at) {
    if (latest) return latest;
    throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged');
  }
  if (latest) {
    const covered = new Set(latest.covered);
    const current = await db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('status', '=', 'submitted').execute();
    const added = current.filter((r) => !covered.has(r.id)).length;
    if (added < k) return latest;
  }
  const { suppressed: _reasons, ...composed } = await composeRelease(db, roundId, options, releases);
  const release: StoredRelease = {
    roundId,
    seq: (latest?.seq ?? 0) + 1,
    ...composed,
    createdAt: (options.now ?? new Date()).toISOString(),
  };
  await insertRelease(db, { ...release, createdAt: options.now ?? new Date() });
  return release;
}

async function assemble(
  db: Db,
  round: RoundRow,
  allCounts: Awaited<ReturnType<typeof countRespondents>>,
  filter: SegmentFilter | null,
  options: BuildResultOptions,
): Promise<ResultModel> {
  const k = effectiveK(round.anonymity_threshold);
  const instrument = round.modules.includes('culture_scan') ? getCultureScan(round.instrument_id) : undefined;
  const departments = round.departments ?? [];

  // Suppression is decided on the whole round, so a filter can only select a group the segments show.
  const partitions = partitionDimensions(allCounts.byDimension, departments, k);
  let filterLabel: Localized | null = null;
  if (filter) {
    const group = partitions[filter.dimension].find((g) => g.key === filter.value);
    if (!group || !group.visible || allCounts.byForm.employee < k) {
      throw new AppError(403, 'segment_hidden', 'This group is hidden under the anonymity rules (or does not exist)');
    }
    filterLabel = groupLabel(filter.dimension, filter.value);
  }

  const withTrend = !filter && !options.skipTrend && !!instrument;
  const [counts, forms, invitations, checklistRows, placements, factorData, benchmark, previousRound] = await Promise.all([
    filter ? countRespondents(db, round.id, filter) : Promise.resolve(allCounts),
    instrument ? aggregateAnswers(db, round.id, instrument, filter) : Promise.resolve(null),
    loadInvitations(db, round.id),
    loadChecklist(db, round.id),
    round.modules.includes('dialogue_model') ? loadPlacements(db, round.id, filter) : Promise.resolve({ staff: [], employee: [], employeePoints: [] }),
    round.modules.includes('factors') ? loadFactors(db, round.id, filter) : Promise.resolve(null),
    loadBenchmarkSet(db, round.benchmark_set_id),
    withTrend ? findPreviousRound(db, round) : Promise.resolve(undefined),
  ]);

  const employeeN = counts.byForm.employee;
  const managementN = counts.byForm.management;
  const employeeVisible = employeeN >= k;
  const managementVisible = managementN >= k && !filter;

  // --- mechanisms (employee form) ---------------------------------------------------------------
  const sources = new Map<string, BenchmarkSource>();
  const addPublishedSource = (ref: PublishedFigureRef) =>
    sources.set(ref.figureId, {
      id: ref.figureId,
      kind: 'published',
      label: ref.description,
      source: ref.source,
      year: ref.year,
      dataYear: ref.dataYear,
      population: ref.population,
      n: null,
    });

  const mechanismsBase: Array<Omit<MechanismResult, 'percentiles' | 'benchmarks'> & { customBench: BenchmarkComparison[] }> = [];
  if (instrument && forms) {
    for (const scale of instrument.scales) {
      const figures = employeeVisible ? scaleFigures(scale, forms.employee, employeeN, k) : null;
      const items: MechanismItem[] = scale.items.map((item) => {
        const stats: ItemStats = employeeVisible
          ? itemStats(item, forms.employee.items.get(item.id), employeeN, k)
          : { suppressed: true, score: null, favourable: null, distribution: null };
        const figure = item.publishedFigureIds?.employee ? getPublishedFigure(item.publishedFigureIds.employee) : undefined;
        const published = figure ? publishedRef(figure) : null;
        if (published) addPublishedSource(published);
        const benchmarks: BenchmarkComparison[] = [];
        if (published) benchmarks.push(publishedComparison(published, stats.favourable));
        benchmarks.push(...customComparisons(benchmark.values, benchmark.set, 'item', item.id, { favourable: stats.favourable, mean: stats.score?.mean ?? null }));
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
      mechanismsBase.push({
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
        customBench: customComparisons(benchmark.values, benchmark.set, 'scale', scale.mechanism, {
          favourable: figures?.favourable ?? null,
          mean: score?.mean ?? null,
        }),
      });
    }
  }
  if (benchmark.set && benchmark.values.length > 0) {
    const years = benchmark.values.map((v) => v.year);
    sources.set(`custom:${benchmark.set.id}`, {
      id: `custom:${benchmark.set.id}`,
      kind: 'custom',
      label: { nl: benchmark.set.name, en: benchmark.set.name },
      source: [...new Set(benchmark.values.map((v) => v.source))].join('; '),
      year: Math.max(...years),
      dataYear: null,
      population: null,
      n: null,
    });
  }

  // --- pool -------------------------------------------------------------------------------------
  const pool =
    !filter && mechanismsBase.length > 0
      ? await comparePool(db, {
          organisationId: round.organisation_id,
          sector: round.sector,
          sizeClass: round.size_class,
          isDemo: round.is_demo || round.organisation_is_demo,
          scores: new Map(mechanismsBase.map((m) => [m.mechanismId, m.score?.mean ?? null])),
        })
      : null;
  let poolShown = false;
  const mechanisms: MechanismResult[] = mechanismsBase.map(({ customBench, ...m }) => {
    const p = pool?.get(m.mechanismId);
    const benchmarks: BenchmarkComparison[] = [...customBench];
    if (p && p.mean !== null) {
      poolShown = true;
      const poolMean = p.mean;
      benchmarks.push({
        kind: 'pool',
        sourceId: POOL_SOURCE_ID,
        label: POOL_LABEL,
        metric: 'mean',
        value: poolMean,
        own: m.score?.mean ?? null,
        delta: m.score ? m.score.mean - poolMean : null,
        source: POOL_SOURCE,
        year: (options.now ?? new Date()).getUTCFullYear(),
        population: POOL_POPULATION,
        n: p.others,
        figureId: null,
      });
    }
    return { ...m, benchmarks, percentiles: p ? p.percentiles : hiddenPercentiles(filter ? 'pool_unavailable' : 'no_score') };
  });
  if (poolShown || mechanisms.some((m) => m.percentiles.overall.shown)) {
    sources.set(POOL_SOURCE_ID, {
      id: POOL_SOURCE_ID,
      kind: 'pool',
      label: POOL_LABEL,
      source: POOL_SOURCE,
      year: (options.now ?? new Date()).getUTCFullYear(),
      dataYear: null,
      population: POOL_POPULATION,
      n: Math.max(0, ...[...(pool?.values() ?? [])].map((p) => p.others)),
    });
  }

  // --- perspectives ------------------------------------------------------------------------------
  const perspectives: Perspectives = { available: managementN > 0 && !filter && !!instrument, mechanisms: [] };
  if (perspectives.available && instrument && forms) {
    for (const scale of instrument.scales) {
      const mech = mechanisms.find((m) => m.mechanismId === scale.mechanism)!;
      const mgmt = managementVisible ? scaleFigures(scale, forms.management, managementN, k) : null;
      const employeeSide: PerspectiveSide = employeeVisible
        ? { suppressed: false, score: mech.score, favourable: mech.favourable, distribution: mech.distribution, published: null, publishedDelta: null }
        : { suppressed: true };
      const managementSide: PerspectiveSide = mgmt
        ? { suppressed: false, score: mgmt.score, favourable: mgmt.favourable, distribution: mgmt.distribution, published: null, publishedDelta: null }
        : { suppressed: true };
      perspectives.mechanisms.push({
        mechanismId: scale.mechanism,
        name: mech.name,
        employee: employeeSide,
        management: managementSide,
        gap: gapOf(employeeSide, managementSide),
        items: scale.items.map((item) => {
          const e = mech.items.find((i) => i.itemId === item.id)!;
          const eSide: PerspectiveSide = employeeVisible
            ? e.suppressed
              ? { suppressed: true }
              : { suppressed: false, score: e.score, favourable: e.favourable, distribution: e.distribution, published: e.published, publishedDelta: e.publishedDelta }
            : { suppressed: true };
          let mSide: PerspectiveSide = { suppressed: true };
          if (managementVisible) {
            const s = itemStats(item, forms.management.items.get(item.id), managementN, k);
            const figure = item.publishedFigureIds?.management ? getPublishedFigure(item.publishedFigureIds.management) : undefined;
            const published = figure ? publishedRef(figure) : null;
            if (published) addPublishedSource(published);
            if (!s.suppressed) {
              mSide = {
                suppressed: false,
                score: s.score,
                favourable: s.favourable,
                distribution: s.distribution,
                published,
                publishedDelta: published ? benchmarkDelta(s.favourable, published.value) : null,
              };
            }
          }
          return {
            itemId: item.id,
            text: {
              employee: { nl: item.text.employee.nl, en: item.text.employee.en },
              management: { nl: item.text.management.nl, en: item.text.management.en },
            },
            reverse: item.reverse,
            employee: eSide,
            management: mSide,
            gap: gapOf(eSide, mSide),
          };
        }),
      });
    }
  }

  // --- segments and heatmap ----------------------------------------------------------------------
  const segments: SegmentDimensionResult[] = [];
  const heatmapRows: ResultModel['heatmap']['rows'] = [];
  if (!filter) {
    for (const dim of SEGMENT_DIMENSIONS) {
      const groups = partitions[dim];
      if (!dimensionUsed(groups)) continue;
      const result: SegmentDimensionResult = { dimension: dim, label: DIMENSION_LABELS[dim], groups: [] };
      for (const g of groups) {
        const label = groupLabel(dim, g.key);
        if (!g.visible || !employeeVisible) {
          result.groups.push({ hidden: true, suppressed: true, key: g.key, label });
          heatmapRows.push({ dimension: dim, key: g.key, label, hidden: true, suppressed: true, cells: [] });
          continue;
        }
        const byMech = forms?.employee.segments[dim].get(g.key);
        const mechs = mechanisms.map((m) => ({ mechanismId: m.mechanismId, ...segmentScale(byMech?.get(m.mechanismId), k) }));
        result.groups.push({ hidden: false, suppressed: false, key: g.key, label, n: g.n, mechanisms: mechs });
        heatmapRows.push({
          dimension: dim,
          key: g.key,
          label,
          hidden: false,
          suppressed: false,
          cells: mechs.map((c) => {
            const overall = mechanisms.find((m) => m.mechanismId === c.mechanismId)?.score?.mean ?? null;
            return {
              mechanismId: c.mechanismId,
              mean: c.score?.mean ?? null,
              favourable: c.favourable,
              deltaFromOverall: c.score && overall !== null ? c.score.mean - overall : null,
            };
          }),
        });
      }
      segments.push(result);
    }
  }

  // --- response ----------------------------------------------------------------------------------
  // Rates: personal-link submissions over personal invitations only, never above 100%.
  const rate = (submitted: number, invited: number | null) => (invited ? Math.min(100, (submitted / invited) * 100) : null);
  const invitedEmployee = invitations.any ? invitations.byForm.employee : null;
  const invitedManagement = invitations.any ? invitations.byForm.management : null;
  const personalSubmitted = invitations.submittedByForm.employee + invitations.submittedByForm.management;
  const deptRate = (d: string) => rate(invitations.submittedByDepartment.get(d) ?? 0, invitations.byDepartment.get(d) ?? null);
  const response: ResultResponse = filter
    ? {
        invited: filter.dimension === 'department' ? (invitations.byDepartment.get(filter.value) ?? null) : null,
        submitted: employeeN,
        rate: filter.dimension === 'department' ? deptRate(filter.value) : null,
        perForm: [{ form: 'employee', invited: null, submitted: employeeN, rate: null, belowThreshold: !employeeVisible }],
        perSegment: [],
      }
    : {
        invited: invitations.any ? invitations.byForm.employee + invitations.byForm.management : null,
        submitted: employeeN + managementN,
        rate: invitations.any ? rate(personalSubmitted, invitations.byForm.employee + invitations.byForm.management) : null,
        perForm: [
          { form: 'employee', invited: invitedEmployee, submitted: employeeN, rate: rate(invitations.submittedByForm.employee, invitedEmployee), belowThreshold: !employeeVisible },
          { form: 'management', invited: invitedManagement, submitted: managementN, rate: rate(invitations.submittedByForm.management, invitedManagement), belowThreshold: managementN < k },
        ],
        perSegment: SEGMENT_DIMENSIONS.filter((d) => dimensionUsed(partitions[d])).map((dim) => ({
          dimension: dim,
          groups: partitions[dim].map((g) => {
            const label = groupLabel(dim, g.key);
            if (!g.visible || !employeeVisible) return { hidden: true as const, key: g.key, label };
            const invited = dim === 'department' && invitations.any ? (invitations.byDepartment.get(g.key) ?? null) : null;
            return { hidden: false as const, key: g.key, label, invited, submitted: g.n, rate: invited ? deptRate(g.key) : null };
          }),
        })),
      };

  // --- checklist ---------------------------------------------------------------------------------
  const checklistInstrument = getSmeChecklist();
  const answers = new Map(checklistRows.map((r) => [r.practice_id, r.answer]));
  const checklistIncluded = round.modules.includes('sme_checklist') && !!checklistInstrument;
  const practices = checklistIncluded
    ? checklistInstrument!.practices.map((p) => {
        const ref = publishedRef(getPublishedFigure(p.publishedFigureId)!);
        addPublishedSource(ref);
        return { practiceId: p.id, text: { nl: p.text.nl, en: p.text.en }, answer: answers.get(p.id) ?? null, published: ref };
      })
    : [];
  const checklist: ResultModel['checklist'] = {
    included: checklistIncluded,
    practices,
    inPlace: practices.filter((p) => p.answer === 'yes').length,
    answered: practices.filter((p) => p.answer !== null).length,
    total: practices.length,
  };

  // --- dialogue ----------------------------------------------------------------------------------
  const dialogue = buildDialogue(round.modules.includes('dialogue_model'), placements, k);
  if (dialogue.included)
    dialogue.conversation = dialogueConversation(
      [...placements.staff.map((p) => ({ group: p.participant_group, frame: p.frame, x: p.x, y: p.y })), ...placements.employeePoints.map((p) => ({ group: 'employee' as const, ...p }))],
      k,
    );

  // --- factors -----------------------------------------------------------------------------------
  const factors = buildFactors(factorData, k);

  // --- trend -------------------------------------------------------------------------------------
  const trend: TrendResult = previousRound ? await buildTrend(db, previousRound, mechanisms, round.instrument_id) : { previousRound: null, mechanisms: [], items: [] };

  // --- priorities --------------------------------------------------------------------------------
  const priorities = instrument ? computePriorities({ instrument, mechanisms, perspectives, trend }) : [];

  // --- anonymity notes ---------------------------------------------------------------------------
  const notes: ResultModel['anonymity']['notes'] = [
    {
      code: 'threshold',
      text: {
        nl: `Een groep met minder dan ${k} respondenten krijgt geen cijfers. Ook een vraag met minder dan ${k} geldige antwoorden toont geen cijfers.`,
        en: `A group with fewer than ${k} respondents gets no figures. A question with fewer than ${k} valid answers shows no figures either.`,
      },
    },
  ];
  const anyHidden = segments.some((s) => s.groups.some((g) => g.hidden));
  const anyComplementary = Object.values(partitions).some((gs) => gs.some((g) => g.reason === 'complementary'));
  if (anyHidden)
    notes.push({
      code: 'groups_hidden',
      text: {
        nl: 'Groepen die als "verborgen" zijn gemarkeerd, zijn te klein om te tonen; hun aantal wordt niet genoemd.',
        en: 'Groups marked "hidden" are too small to show; their size is not stated.',
      },
    });
  if (anyComplementary)
    notes.push({
      code: 'complementary_suppression',
      text: {
        nl: 'Om te voorkomen dat een kleine groep via aftrekken kan worden herleid, is ook een grotere groep verborgen.',
        en: 'To prevent a small group from being derived by subtraction, a larger group is hidden as well.',
      },
    });
  if (!employeeVisible)
    notes.push({
      code: 'employee_below_threshold',
      text: {
        nl: `Er zijn minder dan ${k} medewerkers die de vragenlijst hebben ingevuld; er worden nog geen uitkomsten getoond.`,
        en: `Fewer than ${k} employees have completed the questionnaire; no results are shown yet.`,
      },
    });
  if (managementN > 0 && managementN < k && !filter)
    notes.push({
      code: 'management_below_threshold',
      text: {
        nl: `Het perspectief van management en HR wordt niet getoond, omdat minder dan ${k} van hen de vragenlijst hebben ingevuld. Hun antwoorden tellen niet mee in de cijfers van medewerkers.`,
        en: `The management and HR perspective is not shown because fewer than ${k} of them completed the questionnaire. Their answers are not part of the employee figures.`,
      },
    });
  if (dialogue.included && placements.employee.length > 0)
    notes.push({
      code: 'employee_placements_aggregated',
      text: {
        nl: `Plaatsingen van medewerkers in het dialoogmodel worden alleen als gemiddelde getoond, en alleen bij minstens ${k} plaatsingen.`,
        en: `Employees' placements on the dialogue model are shown only as an average, and only with at least ${k} placements.`,
      },
    });
  if (filter)
    notes.push({
      code: 'segment_filter',
      text: {
        nl: 'Deze uitkomsten gelden voor één groep. Combinaties van groepen worden niet getoond.',
        en: 'These results are for one group. Combinations of groups are not shown.',
      },
    });
  if (mechanisms.length > 0 && !filter)
    notes.push({
      code: 'pool_percentiles',
      text: {
        nl: `De positie ten opzichte van andere organisaties wordt getoond als kwartiel (deciel vanaf ${DECILES_FROM_OTHERS} organisaties), alleen als de vergelijkingsgroep minstens ${MIN_POOL_OTHERS} organisaties van andere adviesbureaus bevat, elk één keer geteld; het gemiddelde van die organisaties pas vanaf ${MIN_POOL_OTHERS_FOR_MEAN} (afgerond op één decimaal). Cijfers van afzonderlijke organisaties zijn nooit zichtbaar.`,
        en: `The position among other organisations is shown as a quartile (a decile from ${DECILES_FROM_OTHERS} organisations), only when the comparison group holds at least ${MIN_POOL_OTHERS} organisations of other consultancies, each counted once; the mean of those organisations only from ${MIN_POOL_OTHERS_FOR_MEAN} (rounded to one decimal). No single organisation's figures are ever visible.`,
      },
    });
  if (round.is_demo)
    notes.push({
      code: 'demo',
      text: { nl: 'Dit zijn demonstratiegegevens (synthetisch), geen echte antwoorden.', en: 'This is demonstration data (synthetic), not real answers.' },
    });

  const model: ResultModel = {
    meta: {
      version: RESULT_MODEL_VERSION,
      round: {
        id: round.id,
        name: round.name,
        instrumentId: round.instrument_id,
        modules: round.modules as ResultModel['meta']['round']['modules'],
        languages: round.languages as ResultModel['meta']['round']['languages'],
        status: round.status,
        opensAt: iso(round.opens_at),
        closesAt: iso(round.closes_at),
        openedAt: iso(round.opened_at),
        closedAt: iso(round.closed_at),
        departments: [...departments],
        isDemo: round.is_demo,
      },
      organisation: {
        id: round.organisation_id,
        name: round.organisation_name,
        sector: round.sector,
        sizeClass: round.size_class,
        isDemo: round.organisation_is_demo,
      },
      threshold: k,
      generatedAt: (options.now ?? new Date()).toISOString(),
      isDemo: round.is_demo || round.organisation_is_demo,
      source: 'live',
      rawPurgedAt: null,
      segmentFilter: filter && filterLabel ? { dimension: filter.dimension, value: filter.value, label: filterLabel } : null,
      benchmarkSet: benchmark.set ? { id: benchmark.set.id, name: benchmark.set.name } : null,
    },
    response,
    mechanisms: instrument ? adviseMechanisms(instrument, mechanisms) : mechanisms,
    perspectives,
    segments,
    heatmap: { mechanismIds: mechanisms.map((m) => m.mechanismId), rows: heatmapRows },
    checklist,
    dialogue,
    factors,
    priorities,
    trend,
    benchmarkSources: [...sources.values()],
    anonymity: { threshold: k, notes },
  };
  return model;
}

/** A dimension is shown when at least one respondent stated it. */
function dimensionUsed(groups: readonly SuppressedGroup[]): boolean {
  return groups.some((g) => g.key !== NOT_STATED_KEY && g.n > 0);
}

function gapOf(e: PerspectiveSide, m: PerspectiveSide) {
  if (e.suppressed || m.suppressed) return { mean: null, favourable: null };
  return {
    mean: e.score && m.score ? m.score.mean - e.score.mean : null,
    favourable: e.favourable !== null && m.favourable !== null ? m.favourable - e.favourable : null,
  };
}

type Placements = Awaited<ReturnType<typeof loadPlacements>>;

function buildDialogue(included: boolean, placements: Placements, k: number): DialogueResult {
  if (!included) return { included: false, groups: [], disagreements: [] };
  const groups: DialogueResult['groups'] = [];
  const means = new Map<string, Point>();
  for (const group of PLACEMENT_GROUPS) {
    const staff = group !== 'employee';
    const rows = placements.staff.filter((p) => p.participant_group === group);
    if (staff ? rows.length === 0 : placements.employee.length === 0) continue;
    const frames = TIME_FRAMES.map((frame) => {
      if (!staff) {
        const e = placements.employee.find((p) => p.frame === frame);
        if (!e) return { frame, summary: null, suppressed: false };
        if (e.n < k) return { frame, summary: null, suppressed: true };
        means.set(`${group}/${frame}`, e.mean);
        return { frame, summary: { n: e.n, mean: e.mean, sd: e.sd, quadrant: quadrantOf(e.mean), agreement: e.meanDistance }, suppressed: false };
      }
      const points = rows.filter((r) => r.frame === frame).map((r) => ({ x: r.x, y: r.y }));
      if (points.length === 0) return { frame, summary: null, suppressed: false };
      const s = summarisePlacements(points)!;
      means.set(`${group}/${frame}`, s.mean);
      return { frame, summary: { n: s.n, mean: s.mean, sd: s.sd, quadrant: s.quadrant, agreement: s.meanDistance }, suppressed: false };
    });
    const current = means.get(`${group}/current`);
    const desired = means.get(`${group}/desired`);
    groups.push({
      group,
      frames,
      move: current && desired ? describeMove(current, desired) : null,
      placements: staff
        ? rows.map((r) => ({ userId: r.user_id!, name: r.name ?? '', frame: r.frame, x: r.x, y: r.y, quadrant: quadrantOf({ x: r.x, y: r.y }) }))
        : [],
    });
  }
  const disagreements: DialogueResult['disagreements'] = [];
  const present = groups.map((g) => g.group);
  for (const frame of TIME_FRAMES) {
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const a = means.get(`${present[i]}/${frame}`);
        const b = means.get(`${present[j]}/${frame}`);
        if (!a || !b) continue;
        disagreements.push({
          frame,
          groupA: present[i]!,
          groupB: present[j]!,
          distance: Math.hypot(a.x - b.x, a.y - b.y),
          sameQuadrant: quadrantOf(a) === quadrantOf(b),
        });
      }
    }
  }
  return { included: true, groups, disagreements };
}

function buildFactors(data: Awaited<ReturnType<typeof loadFactors>> | null, k: number): FactorsResult {
  const instrument = getFactors();
  if (!data || !instrument) return { included: false, respondents: null, suppressed: false, groups: [], topStimulating: [], topHindering: [] };
  const suppressed = data.respondents < k;
  const groups: FactorsResult['groups'] = instrument.groups.map((g) => ({
    groupId: g.id,
    label: { nl: g.label.nl, en: g.label.en },
    factors: g.factors.map((f) => {
      const rows = data.rows.filter((r) => r.factor_id === f.id);
      const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
      let notApplicable = 0;
      for (const r of rows) {
        if (r.value === null) notApplicable += Number(r.n);
        else counts[Number(r.value) + 2]! += Number(r.n);
      }
      const n = counts.reduce((a, b) => a + b, 0);
      const visible = !suppressed && n >= k;
      const sum = counts.reduce((acc, c, i) => acc + c * (i - 2), 0);
      return {
        factorId: f.id,
        label: { nl: f.label.nl, en: f.label.en },
        suppressed: !visible,
        n: visible ? n : null,
        mean: visible ? sum / n : null,
        stimulating: visible ? ((counts[3] + counts[4]) / n) * 100 : null,
        hindering: visible ? ((counts[0] + counts[1]) / n) * 100 : null,
        counts: visible ? counts : null,
        notApplicable: visible ? notApplicable : null,
      };
    }),
  }));
  const all = groups.flatMap((g) => g.factors).filter((f) => f.mean !== null);
  return {
    included: true,
    respondents: suppressed ? null : data.respondents,
    suppressed,
    groups,
    topStimulating: topFactors(all, 'stimulating'),
    topHindering: topFactors(all, 'hindering'),
  };
}

/** The organisation's previous closed round on the same instrument or a version sharing items with it, if any. */
async function findPreviousRound(db: Db, round: RoundRow) {
  const before = round.closed_at ?? new Date();
  const instrumentIds = trendComparableInstrumentIds(round.instrument_id);
  return db
    .selectFrom('rounds')
    .select(['id', 'name', 'closed_at', 'raw_purged_at', 'instrument_id'])
    .where('organisation_id', '=', round.organisation_id)
    .where('instrument_id', 'in', instrumentIds.length > 0 ? instrumentIds : [round.instrument_id])
    .where('status', '=', 'closed')
    .where('id', '<>', round.id)
    .where('closed_at', '<', before)
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Figures of the previous round: its snapshot when kept, else computed live. */
async function buildTrend(
  db: Db,
  previous: NonNullable<Awaited<ReturnType<typeof findPreviousRound>>>,
  mechanisms: MechanismResult[],
  currentInstrumentId: string,
): Promise<TrendResult> {
  // Trend compares published releases only: the previous round's latest release (or the snapshot of
  // a round closed before releases existed), never figures recomputed from its answers.
  let prev: MechanismResult[];
  const release = await loadLatestRelease(db, previous.id);
  const snapshot = release ? undefined : await loadSnapshot(db, previous.id);
  if (release) prev = release.main.mechanisms;
  else if (snapshot) prev = snapshot.mechanisms;
  else if (previous.raw_purged_at) return { previousRound: null, mechanisms: [], items: [] };
  else prev = (await ensureRelease(db, previous.id, { skipTrend: true })).main.mechanisms;
  const point = (p: { mean: number | null; fav: number | null } | undefined, c: { mean: number | null; fav: number | null }) => ({
    previousMean: p?.mean ?? null,
    currentMean: c.mean,
    changeMean: p?.mean != null && c.mean !== null ? c.mean - p.mean : null,
    previousFavourable: p?.fav ?? null,
    currentFavourable: c.fav,
    changeFavourable: p?.fav != null && c.fav !== null ? c.fav - p.fav : null,
  });
  const trend: TrendResult = {
    previousRound: { id: previous.id, name: previous.name, closedAt: iso(previous.closed_at) },
    mechanisms: [],
    items: [],
  };
  // Across instrument versions only word-for-word identical items, and scales made of them, compare.
  const cmp = previous.instrument_id !== currentInstrumentId ? trendComparabilityOf(previous.instrument_id, currentInstrumentId) : undefined;
  if (cmp) {
    trend.notComparable = {
      previousInstrumentId: previous.instrument_id,
      mechanisms: cmp.scales.filter((x) => !x.comparable).map((x) => x.mechanismId),
      items: cmp.items.filter((x) => !x.comparable).map((x) => x.itemId),
    };
  }
  const itemComparable = (id: string) => !cmp || cmp.items.some((x) => x.itemId === id && x.comparable);
  for (const m of mechanisms) {
    const p = !cmp || cmp.scales.some((x) => x.mechanismId === m.mechanismId && x.comparable) ? prev.find((x) => x.mechanismId === m.mechanismId) : undefined;
    const pItems = prev.find((x) => x.mechanismId === m.mechanismId)?.items ?? [];
    trend.mechanisms.push({
      mechanismId: m.mechanismId as MechanismId,
      ...point(p ? { mean: p.score?.mean ?? null, fav: p.favourable } : undefined, { mean: m.score?.mean ?? null, fav: m.favourable }),
    });
    for (const item of m.items) {
      const pi = itemComparable(item.itemId) ? pItems.find((x) => x.itemId === item.itemId) : undefined;
      trend.items.push({
        itemId: item.itemId,
        mechanismId: m.mechanismId as MechanismId,
        ...point(pi ? { mean: pi.score?.mean ?? null, fav: pi.favourable } : undefined, { mean: item.score?.mean ?? null, fav: item.favourable }),
      });
    }
  }
  return trend;
}

/** Validates a model against the schema (tests and snapshots); throws on a mismatch. */
export function assertResultModel(model: unknown): ResultModel {
  return ResultModelSchema.parse(model);
}
