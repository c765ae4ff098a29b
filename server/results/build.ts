// Assembles the result model of a round (scans/result-model.ts) and publishes it as a release: every
// output (JSON, CSV, dashboard, PDF, snapshot) reads the round's stored release. `assemble` builds one
// candidate view (unfiltered, or one segment) from the sections in ./sections/ (one module per part of
// the model, each returning its part and the sources it cites); composeRelease builds every view a
// reader can obtain and hands them to the disclosure layer (scans/disclosure), which alone decides
// what is published. Figures of the management form are never merged with the employee form.
import { effectiveK } from '../../scans/anonymity.js';
import { discloseRelease } from '../../scans/disclosure/model.js';
import { ResultModelSchema, SEGMENT_DIMENSIONS, type ResultModel, type SegmentDimension } from '../../scans/result-model.js';
import { AppError, GoneError, ValidationFailedError } from '../lib/errors.js';
import { aggregateAnswers, countRespondents, loadContributions, type Db, type RespondentCounts, type SegmentFilter } from './aggregate.js';
import { insertRelease, loadLatestView, loadReleases, loadSnapshot, type StoredRelease } from './release-store.js';
import { anonymitySection } from './sections/anonymity.js';
import { loadBenchmarkSet, refreshComparisons } from './sections/benchmarks.js';
import { checklistSection, loadChecklist } from './sections/checklist.js';
import { contextOf, cultureScanOf, iso, loadRound, mergeSources, type BuildResultOptions, type RoundRow } from './sections/context.js';
import { dialogueSection, loadPlacements, NO_PLACEMENTS } from './sections/dialogue.js';
import { factorsSection, loadFactors } from './sections/factors.js';
import { mechanismsSection } from './sections/mechanisms.js';
import { metaSection } from './sections/meta.js';
import { perspectivesSection } from './sections/perspectives.js';
import { prioritiesSection, withPriorities } from './sections/priorities.js';
import { responseSection, loadInvitations } from './sections/response.js';
import { partitionDimensions, segmentsSection } from './sections/segments.js';
import { findPreviousRound, trendSection } from './sections/trend.js';

export type { BuildResultOptions } from './sections/context.js';
export { POOL_SOURCE_ID } from './sections/benchmarks.js';
export { partitionDimensions } from './sections/segments.js';

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
    const latest = await loadLatestView(db, roundId, filter ? `${filter.dimension}:${filter.value}` : null);
    if (latest) return viewOf(db, latest.view, round, options);
    if (filter) throw new AppError(409, 'segment_filter_unavailable', 'Segment filters are not available after the raw answers were purged');
    const snapshot = await loadSnapshot(db, roundId);
    if (!snapshot) throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged and no snapshot was kept');
    return {
      ...snapshot,
      meta: { ...snapshot.meta, source: 'snapshot', rawPurgedAt: iso(round.raw_purged_at), round: { ...snapshot.meta.round, status: round.status } },
    };
  }
  if (round.status === 'closed' && !options.live) {
    const key = filter ? `${filter.dimension}:${filter.value}` : null;
    const latest = await loadLatestView(db, roundId, key);
    if (latest) return viewOf(db, latest.view, round, options);
    return viewOf(db, pickView(await ensureRelease(db, roundId, options), key), round, options);
  }
  const { suppressed: _reasons, ...composed } = await composeRelease(db, roundId, options, await loadReleases(db, roundId));
  return viewOf(db, pickView(composed, filter ? `${filter.dimension}:${filter.value}` : null), round, options);
}

const pickView = (release: Pick<StoredRelease, 'main' | 'segments'>, key: string | null): ResultModel | undefined => (key === null ? release.main : release.segments[key]);

/**
 * One view of a release as served now. Only what can change after the close is recomputed: the
 * comparison with the platform pool (other organisations close rounds later) and the consultancy's
 * benchmark set (it may be picked after the close). Both compare published figures with outside
 * figures; neither adds a figure about the round's respondents.
 */
async function viewOf(db: Db, stored: ResultModel | undefined, round: RoundRow, options: BuildResultOptions): Promise<ResultModel> {
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
  const instrument = cultureScanOf(round);
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
  return {
    main: withPriorities(instrument, disclosed.main),
    segments: Object.fromEntries([...disclosed.segments].map(([key, m]) => [key, withPriorities(instrument, m)])),
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

/** One candidate view of a round: every section's part, and the sources they cite in citation order. */
async function assemble(db: Db, round: RoundRow, allCounts: RespondentCounts, filter: SegmentFilter | null, options: BuildResultOptions): Promise<ResultModel> {
  const k = effectiveK(round.anonymity_threshold);
  const instrument = cultureScanOf(round);
  // Suppression is decided on the whole round, so a filter can only select a group the segments show.
  const partitions = partitionDimensions(allCounts.byDimension, round.departments ?? [], k);
  if (filter) {
    const group = partitions[filter.dimension].find((g) => g.key === filter.value);
    if (!group || !group.visible || allCounts.byForm.employee < k) {
      throw new AppError(403, 'segment_hidden', 'This group is hidden under the anonymity rules (or does not exist)');
    }
  }
  const withTrend = !filter && !options.skipTrend && !!instrument;
  const [counts, forms, invitations, checklistRows, placements, factorData, benchmark, previousRound] = await Promise.all([
    filter ? countRespondents(db, round.id, filter) : Promise.resolve(allCounts),
    instrument ? aggregateAnswers(db, round.id, instrument, filter) : Promise.resolve(null),
    loadInvitations(db, round.id),
    loadChecklist(db, round.id),
    round.modules.includes('dialogue_model') ? loadPlacements(db, round.id, filter) : Promise.resolve(NO_PLACEMENTS),
    round.modules.includes('factors') ? loadFactors(db, round.id, filter) : Promise.resolve(null),
    loadBenchmarkSet(db, round.benchmark_set_id),
    withTrend ? findPreviousRound(db, round) : Promise.resolve(undefined),
  ]);
  const ctx = contextOf(db, round, counts, partitions, filter, options.now ?? new Date());

  const mechanisms = await mechanismsSection(ctx, forms, benchmark);
  const perspectives = perspectivesSection(ctx, forms, mechanisms.scored);
  const segments = segmentsSection(ctx, forms, mechanisms.scored);
  const response = responseSection(ctx, invitations);
  const checklist = checklistSection(round, checklistRows);
  const dialogue = dialogueSection(round.modules.includes('dialogue_model'), placements, k);
  const factors = factorsSection(factorData, k);
  const trend = await trendSection(db, previousRound, mechanisms.scored, round.instrument_id, (d, id) => ensureRelease(d, id, { skipTrend: true }));
  const priorities = prioritiesSection(instrument, { mechanisms: mechanisms.scored, perspectives: perspectives.part, trend: trend.part });
  const anonymity = anonymitySection(ctx, { segments: segments.part.segments, dialogue: dialogue.part, placements, mechanismCount: mechanisms.scored.length });
  const meta = metaSection(ctx, benchmark);
  const parts = [meta, mechanisms, perspectives, segments, response, checklist, dialogue, factors, trend, priorities, anonymity];

  return {
    meta: meta.part,
    response: response.part,
    mechanisms: mechanisms.part,
    perspectives: perspectives.part,
    segments: segments.part.segments,
    heatmap: segments.part.heatmap,
    checklist: checklist.part,
    dialogue: dialogue.part,
    factors: factors.part,
    priorities: priorities.part,
    trend: trend.part,
    benchmarkSources: mergeSources(...parts.map((p) => p.sources)),
    anonymity: anonymity.part,
  };
}

/** Validates a model against the schema (tests and snapshots); throws on a mismatch. */
export function assertResultModel(model: unknown): ResultModel {
  return ResultModelSchema.parse(model);
}
