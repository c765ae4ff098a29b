// Assembles the result model of a round (scans/result-model.ts) and publishes it as a release: every
// output (JSON, CSV, dashboard, PDF, snapshot) reads the round's stored release. `assemble` builds one
// candidate view (unfiltered, or one segment) from the sections in ./sections/ (one module per part of
// the model, each returning its part and the sources it cites); composeRelease builds every view a
// reader can obtain and hands them to the disclosure layer (scans/disclosure), which alone decides
// what is published. Figures of the management form are never merged with the employee form.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { effectiveK } from '../../scans/anonymity.js';
import { ResultModelSchema, SEGMENT_DIMENSIONS, type ResultModel, type SegmentDimension } from '../../scans/result-model.js';
import { AppError, GoneError, ValidationFailedError } from '../lib/errors.js';
import { AGGREGATE_CHUNK, aggregateCountedViews, countsOf, inline, loadContributionsStaged, loadCountTable, loadCountTableStaged, loadResponseIds, viewKey, type Contribution, type CountTable, type Db, type DbRun, type ExtrasRow, type FormAggregate, type RespondentCounts, type RowModules, type SegmentFilter } from './aggregate.js';
import type { FormKind } from '../db/schema.js';
import { compositesFor, ContributionTable, type CodedContribution } from '../../scans/disclosure/model.js';
import { minItemsForScore } from '../../scans/scoring/scales.js';
import type { CultureScanInstrument } from '../../scans/instruments/schemas.js';
import { DISCLOSE_IN_WORKER_FROM, discloseReleaseOffThread, startDisclosureWorker } from './disclosure-thread.js';
import {
  insertRelease,
  insertSerializedRelease,
  loadLatestRelease,
  loadLatestView,
  loadReleases,
  loadSnapshot,
  serializeReleaseInSteps,
  writeReleaseParts,
  type SerializedRelease,
  type StoredRelease,
} from './release-store.js';
import { anonymitySection } from './sections/anonymity.js';
import { loadBenchmarkSet, loadPool, refreshComparisons } from './sections/benchmarks.js';
import { checklistSection, loadChecklist } from './sections/checklist.js';
import { contextOf, cultureScanOf, iso, loadRound, mergeSources, type BuildResultOptions, type RoundRow } from './sections/context.js';
import { dialogueSection, loadAllPlacementsStaged, NO_PLACEMENTS, PlacementCollector, placementsOf, type AllPlacements } from './sections/dialogue.js';
import { FactorCounter, factorsOf, factorsSection, loadAllFactorsStaged, type AllFactors } from './sections/factors.js';
import { mechanismsSection } from './sections/mechanisms.js';
import { metaSection } from './sections/meta.js';
import { perspectivesSection } from './sections/perspectives.js';
import { prioritiesSection, withPriorities } from './sections/priorities.js';
import { responseSection, loadInvitations } from './sections/response.js';
import { partitionDimensions, segmentsSection } from './sections/segments.js';
import { findPreviousRound, NO_TREND, trendSection } from './sections/trend.js';

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
  const { suppressed: _reasons, whole: _whole, ...composed } = await composeRelease(db, roundId, options, await loadReleases(db, roundId));
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
 * against everything earlier releases published. Inside the caller's transaction.
 */
export async function composeRelease(
  db: Db,
  roundId: string,
  options: BuildResultOptions,
  earlier: readonly StoredRelease[],
): Promise<ComposedRelease> {
  return composeReleaseStaged(inline(db), roundId, options, earlier);
}

export interface ComposedRelease {
  main: ResultModel;
  segments: Record<string, ResultModel>;
  covered: string[];
  suppressed: Map<string, string>;
  /** The whole round's answer aggregates and counts (the pool contribution reads them). */
  whole: { counts: RespondentCounts; forms: Record<FormKind, FormAggregate> | null };
}

/** What every view is assembled from, read once per build (not once per view). */
interface RoundInputs {
  allCounts: RespondentCounts;
  countTable: Awaited<ReturnType<typeof loadCountTable>>;
  forms: Map<string | null, Record<FormKind, FormAggregate>> | null;
  invitations: Awaited<ReturnType<typeof loadInvitations>>;
  checklist: Awaited<ReturnType<typeof loadChecklist>>;
  benchmark: Awaited<ReturnType<typeof loadBenchmarkSet>>;
  previousRound: Awaited<ReturnType<typeof findPreviousRound>>;
  /** Every placement and factor rating read once (null when the round leaves the module out). */
  placements: AllPlacements | null;
  factors: AllFactors | null;
}

/**
 * composeRelease in steps, each through `run` (one short transaction each when run opens its own):
 * the small per-round reads, the response ids and the count table, then ONE chunked pass over the
 * respondents (one row each, from their answer packs) that aggregates every view at once
 * (aggregateViews) and gathers in the same rows each respondent's contribution, factor ratings and
 * placements; then each view's assembly (pool and trend reads for the unfiltered view). No step holds
 * the database for long, so other requests on the embedded database run in between; the disclosure
 * decision over every view runs on a worker thread for large rounds (disclosure-thread.ts), so it does
 * not hold the event loop either.
 */
export async function composeReleaseStaged(
  run: DbRun,
  roundId: string,
  options: BuildResultOptions,
  earlier: readonly StoredRelease[],
  /** The round's submitted response ids in id order (loadResponseIds), when the caller has them (read with the answers otherwise). */
  ids?: readonly string[],
  /** How many there are, when the caller knows it without the ids (the disclosure worker is then started ahead too). */
  count?: number,
): Promise<ComposedRelease> {
  // The respondents folded into classes as the answers are read, in the same pass as the figures
  // (memory grows with the classes, not the respondents).
  const earlierCovered = earlier.map((r) => new Set(r.covered));
  const covered: string[] = [];
  let table: ContributionTable | undefined;
  // A large release is disclosed on a worker thread: started now, it is ready when the views are.
  const minRespondents = options.discloseInWorkerFrom ?? DISCLOSE_IN_WORKER_FROM;
  const expected = ids?.length ?? count;
  const worker = expected !== undefined && expected >= minRespondents ? startDisclosureWorker() : undefined;
  const candidates = candidateViews(run, roundId, options, ids, (scales) => {
    const coded = scales.map((s) => ({ mechanismId: s.mechanism, itemIds: s.items.map((i) => i.id), minItems: minItemsForScore(s.items.length) }));
    const t = new ContributionTable(compositesFor(coded), earlier.length, coded);
    table = t;
    return (c) => {
      covered.push(c.responseId);
      const cover = earlierCovered.map((set) => set.has(c.responseId));
      if ('masks' in c) t.addCoded(c, cover);
      else t.add(c, cover);
    };
  });
  const { k, instrument, views, allCounts, forms } = await candidates.catch(async (err: unknown) => {
    options.extrasFeed?.fail(err);
    await worker?.terminate();
    throw err;
  });
  if (!table) {
    await worker?.terminate();
    throw new Error('no contribution table');
  }
  const disclosed = await discloseReleaseOffThread(
    { k, views, table: table.data(), earlier: earlier.map((r) => ({ views: [r.main, ...Object.values(r.segments)] })) },
    { minRespondents, ...(worker ? { worker } : {}) },
  );
  return {
    main: withPriorities(instrument, disclosed.main),
    segments: Object.fromEntries([...disclosed.segments].map(([key, m]) => [key, withPriorities(instrument, m)])),
    covered,
    suppressed: disclosed.suppressed,
    whole: { counts: allCounts, forms: forms?.get(null) ?? null },
  };
}

/**
 * Every candidate view of a round before disclosure (the unfiltered one first, then one per segment
 * group that may be shown), and what they were built from: what composeReleaseStaged hands to the
 * disclosure layer.
 */
export async function candidateViews(
  run: DbRun,
  roundId: string,
  options: BuildResultOptions,
  /**
   * The round's submitted response ids in id order, when the caller has read them; otherwise read with
   * the answers in the answer pass (a culture scan), or here before the other passes.
   */
  knownIds?: readonly string[],
  /**
   * Given the instrument's scales (none without a culture scan), a sink for every respondent's
   * contribution, in id order: coded (answer masks per scale, from the answer pass) with a culture scan.
   */
  contributions?: (scales: CultureScanInstrument['scales']) => (c: Contribution | (CodedContribution & { responseId: string })) => void,
) {
  // The small per-round reads, each its own step (none of them long on its own).
  const round = await run((db) => loadRound(db, roundId));
  const withTrend = !options.skipTrend && !!cultureScanOf(round);
  const invitations = await run((db) => loadInvitations(db, roundId));
  const checklist = await run((db) => loadChecklist(db, roundId));
  const benchmark = await run((db) => loadBenchmarkSet(db, round.benchmark_set_id));
  const previousRound = withTrend ? await run((db) => findPreviousRound(db, round)) : undefined;
  const k = effectiveK(round.anonymity_threshold);
  const instrument = cultureScanOf(round);
  // The segment views that may exist: visible groups of the whole round (assemble decides the rest),
  // from the count table (gathered in the answer pass when there is one).
  const viewsOf = (table: CountTable) => {
    const counts = countsOf(table, null);
    const views: SegmentFilter[] = [];
    if (counts.byForm.employee >= k) {
      const partitions = partitionDimensions(counts.byDimension, round.departments ?? [], k);
      for (const dim of SEGMENT_DIMENSIONS) for (const g of partitions[dim]) if (g.visible) views.push({ dimension: dim, value: g.key });
    }
    return views;
  };
  const sink = contributions?.(instrument?.scales ?? []);
  // The factor ratings and the placements are gathered in the answer pass when there is one, else
  // each in a pass of its own.
  const counter = round.modules.includes('factors') && instrument ? new FactorCounter() : null;
  const collector = round.modules.includes('dialogue_model') && instrument ? new PlacementCollector() : null;
  // What they read of a row is handed back (one object, reused), so the pass does not read the
  // factor pack and the placements again for the row's contribution.
  const read: RowModules = {};
  const onRow =
    counter || collector
      ? (r: Parameters<PlacementCollector['add']>[0] & Parameters<FactorCounter['add']>[0], backgroundIndex: number) => {
          read.factorsRated = counter?.add(r, backgroundIndex);
          read.frames = collector ? collector.add(r, backgroundIndex) : undefined;
          return read;
        }
      : undefined;
  const feed = options.extrasFeed;
  const counted = instrument
    ? await aggregateCountedViews(run, roundId, instrument, viewsOf, AGGREGATE_CHUNK, {
        ...(knownIds ? { ids: knownIds } : {}),
        ...(sink ? { onContribution: sink } : {}),
        ...(onRow ? { onRow, withPlacements: !!collector } : {}),
        ...(feed ? { onExtrasRow: (row: ExtrasRow) => feed.add(row) } : {}),
      })
    : null;
  // Without an answer pass the extras read their respondents themselves.
  if (instrument) feed?.end();
  else feed?.unavailable();
  // The submitted respondents in id order, read once: every chunked pass below walks this list.
  const ids = knownIds ?? counted?.ids ?? (await loadResponseIds(run, roundId));
  const forms = counted?.forms ?? null;
  const countTable = counted?.counts ?? (await loadCountTableStaged(run, roundId, ids));
  const allCounts = countsOf(countTable, null);
  const candidates = viewsOf(countTable);
  if (sink && !instrument) await loadContributionsStaged(run, roundId, undefined, sink, AGGREGATE_CHUNK, ids);
  const factors = counter ? counter.counts() : round.modules.includes('factors') ? await loadAllFactorsStaged(run, roundId, FACTOR_CHUNK, ids) : null;
  const placements = collector
    ? await collector.finish(run, roundId)
    : round.modules.includes('dialogue_model') ? await loadAllPlacementsStaged(run, roundId, PLACEMENT_CHUNK, ids) : null;
  const inputs: RoundInputs = { allCounts, countTable, forms, invitations, checklist, benchmark, previousRound, placements, factors };
  const main = await assemble(run, round, inputs, null, options);
  const views: ResultModel[] = [main];
  for (const filter of candidates) {
    if (!main.segments.some((d) => d.dimension === filter.dimension)) continue;
    views.push(await assemble(run, round, inputs, filter, options));
  }
  return { round, k, instrument, ids, views, allCounts, forms };
}

/**
 * The release a closed round publishes. The first close publishes release 1. After a reopen, a new
 * release is published only when at least k responses were added since the previous one; otherwise
 * the previous release stays what everybody sees. Call inside the close transaction. With `prepared`
 * (prepareRelease, checked by preparedStillValid in this transaction) the release built before the
 * transaction is stored as it is.
 */
export async function ensureRelease(db: Db, roundId: string, options: BuildResultOptions & { prepared?: PreparedRelease } = {}): Promise<StoredRelease> {
  const { prepared } = options;
  if (prepared && prepared.roundId === roundId) {
    if (!prepared.release) {
      const latest = await loadLatestRelease(db, roundId);
      if (latest) return latest;
    } else {
      // Only the staged close hands a prepared release, and it drops the copied part after its transaction (afterClose).
      await insertSerializedRelease(db, prepared.serialized!, { keepCopiedMain: true });
      return prepared.release;
    }
  }
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
  const { suppressed: _reasons, whole: _whole, ...composed } = await composeRelease(db, roundId, options, releases);
  const release: StoredRelease = {
    roundId,
    seq: (latest?.seq ?? 0) + 1,
    ...composed,
    createdAt: (options.now ?? new Date()).toISOString(),
  };
  await insertRelease(db, { ...release, createdAt: options.now ?? new Date() });
  return release;
}

/**
 * Respondents of the first step when the factor ratings are read (a step of 500 held the embedded
 * database for up to 0.9 s under load); later steps adapt to the time a step takes (forEachIdChunk).
 */
const FACTOR_CHUNK = 100;
const PLACEMENT_CHUNK = 200;

/** What a release about to be built will rest on (prepareRelease's `started`). */
export interface ReleasePlan {
  roundId: string;
  seq: number;
  /** The submitted response ids in id order: the release's covered list, unless they change meanwhile. */
  covered: readonly string[];
  earlier: StoredRelease[];
}

/** A release built before the close transaction, and what it rests on (checked again inside it). */
export interface PreparedRelease {
  roundId: string;
  /** Count and hash of the submitted response ids the build saw. */
  fingerprint: string;
  /** The latest release's seq when the build started (0: none). */
  baseSeq: number;
  /** The new release, or null when the latest one stays (fewer than k responses added). */
  release: StoredRelease | null;
  /** The new release validated and serialized, its parts already written (so the close transaction only writes its row). */
  serialized: SerializedRelease | null;
  /** The whole round's aggregates of the build (null when no new release was built). */
  whole: ComposedRelease['whole'] | null;
  /** Earlier releases (for the extras of the new one). */
  earlier: StoredRelease[];
}

/**
 * Count and sum of the 64-bit hashes of the round's submitted response ids: changes when one is added,
 * removed or replaced by another (a replacement keeping both would take two ids whose hashes sum
 * alike; the ids are random UUIDs the database made). Read from round_response_sums, which triggers on
 * responses keep (migration 0024): at most 64 rows, where the same figures computed from responses
 * read the round's whole responses heap (131-148 ms at 100,000 respondents on the embedded database,
 * twice per close, every other request waiting behind it). `responsesFingerprintFromRows` computes
 * them from the responses themselves, for the tests that hold the two equal.
 */
export async function responsesFingerprint(db: Db, roundId: string): Promise<string> {
  const { rows } = await sql<{ n: number; h: string }>`
    select coalesce(sum(n), 0)::int as n, coalesce(sum(h), 0)::text as h
    from round_response_sums where round_id = ${roundId}
  `.execute(db);
  return `${rows[0]?.n ?? 0}:${rows[0]?.h ?? ''}`;
}

/** The number of submitted responses a fingerprint (responsesFingerprint) counts. */
export function fingerprintCount(fingerprint: string): number {
  const n = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a responses fingerprint: ${fingerprint}`);
  return n;
}

/** The fingerprint from the responses themselves (what round_response_sums must always equal). */
export async function responsesFingerprintFromRows(db: Db, roundId: string): Promise<string> {
  const { rows } = await sql<{ n: number; h: string }>`
    select count(*)::int as n, coalesce(sum(uuid_hash_extended(id, 0)), 0)::text as h
    from responses where round_id = ${roundId} and status = 'submitted'
  `.execute(db);
  return `${rows[0]?.n ?? 0}:${rows[0]?.h ?? ''}`;
}

/**
 * ensureRelease's decision and build, done BEFORE the close transaction in short steps (run), while
 * answer writes are already refused: the close transaction then only checks (preparedStillValid) and
 * stores it. Throws GoneError when the raw answers were purged without a release.
 */
export async function prepareRelease(
  run: DbRun,
  roundId: string,
  options: BuildResultOptions = {},
  /**
   * Called once a new release is due, before it is built, with what it will rest on: its seq, the
   * respondents it will cover (the submitted ids in id order) and the earlier releases. The close
   * starts the extras from it, side by side with the build (they rest on the same respondents).
   */
  started?: (plan: ReleasePlan) => void,
): Promise<PreparedRelease> {
  const start = await run(async (db) => {
    const round = await loadRound(db, roundId);
    const releases = await loadReleases(db, roundId);
    const fingerprint = await responsesFingerprint(db, roundId);
    const latest = releases.at(-1);
    let added = Number.POSITIVE_INFINITY;
    if (latest) {
      const covered = new Set(latest.covered);
      const current = await db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('status', '=', 'submitted').execute();
      added = current.filter((r) => !covered.has(r.id)).length;
    }
    return { round, releases, fingerprint, latest, added };
  });
  const { round, releases, fingerprint, latest, added } = start;
  const k = effectiveK(round.anonymity_threshold);
  const base = { roundId, fingerprint, baseSeq: latest?.seq ?? 0, earlier: releases };
  if (round.raw_purged_at) {
    if (latest) return { ...base, release: null, serialized: null, whole: null };
    throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged');
  }
  if (latest && added < k) return { ...base, release: null, serialized: null, whole: null };
  // The ids first only for `started`, which needs them before the build: the answer pass reads them
  // otherwise (forEachKeysetRead), and the count for the disclosure worker's early start is the fingerprint's.
  const ids = started ? await loadResponseIds(run, roundId) : undefined;
  if (ids) started?.({ roundId, seq: base.baseSeq + 1, covered: ids, earlier: releases });
  const { suppressed: _reasons, whole, ...composed } = await composeReleaseStaged(run, roundId, options, releases, ids, fingerprintCount(fingerprint));
  const release: StoredRelease = { roundId, seq: base.baseSeq + 1, ...composed, createdAt: (options.now ?? new Date()).toISOString() };
  const serialized = await serializeReleaseInSteps(release);
  // The views and covered ids, each in a step of its own: invisible until the close transaction writes the row.
  await writeReleaseParts(run, serialized);
  return { ...base, release, serialized, whole };
}

/** Inside the close transaction: nothing the prepared release rests on changed since it was built. */
export async function preparedStillValid(db: Db, prepared: PreparedRelease): Promise<boolean> {
  const [fingerprint, latest] = await Promise.all([
    responsesFingerprint(db, prepared.roundId),
    db.selectFrom('result_releases').select(sql<number | null>`max(seq)`.as('seq')).where('round_id', '=', prepared.roundId).executeTakeFirst(),
  ]);
  const round = await db.selectFrom('rounds').select('raw_purged_at').where('id', '=', prepared.roundId).executeTakeFirst();
  return fingerprint === prepared.fingerprint && Number(latest?.seq ?? 0) === prepared.baseSeq && !!round && (!round.raw_purged_at || prepared.release === null);
}

/**
 * One candidate view of a round: every section's part, and the sources they cite in citation order.
 * The two reads (the pool comparisons, the previous round's release) are database steps of their own
 * through `run`; the sections are computed outside any step and yield to the event loop between them,
 * so a large view's work (10,000 respondents: 50-60 ms for the main view, most of it the dialogue
 * model) holds neither the embedded database nor the event loop in one piece.
 */
async function assemble(run: DbRun, round: RoundRow, inputs: RoundInputs, filter: SegmentFilter | null, options: BuildResultOptions): Promise<ResultModel> {
  const { allCounts } = inputs;
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
  const counts = filter ? countsOf(inputs.countTable, filter) : allCounts;
  const forms = instrument ? (inputs.forms?.get(viewKey(filter)) ?? null) : null;
  if (instrument && !forms) throw new RangeError(`no aggregates for view ${viewKey(filter)}`);
  const { invitations, checklist: checklistRows, benchmark } = inputs;
  const previousRound = !filter ? inputs.previousRound : undefined;
  const ctx = contextOf(round, counts, partitions, filter, options.now ?? new Date());

  const mechanisms = await mechanismsSection(ctx, forms, benchmark, (scored) => run((db) => loadPool(db, round, scored)));
  await yieldToLoop();
  const perspectives = perspectivesSection(ctx, forms, mechanisms.scored);
  const segments = segmentsSection(ctx, forms, mechanisms.scored);
  const response = responseSection(ctx, invitations);
  const checklist = checklistSection(round, checklistRows);
  await yieldToLoop();
  const placements = round.modules.includes('dialogue_model') && inputs.placements ? placementsOf(inputs.placements, filter) : NO_PLACEMENTS;
  await yieldToLoop();
  const dialogue = dialogueSection(round.modules.includes('dialogue_model'), placements, k);
  await yieldToLoop();
  const factorData = round.modules.includes('factors') && inputs.factors ? factorsOf(inputs.factors, filter) : null;
  const factors = factorsSection(factorData, k);
  const trend = previousRound
    ? await run((db) => trendSection(db, previousRound, mechanisms.scored, round.instrument_id, (d, id) => ensureRelease(d, id, { skipTrend: true })))
    : { part: NO_TREND, sources: [] };
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
