// What every section of the results build receives: the round, its threshold and instrument, the
// whole-round respondent counts and partitions (suppression is always decided on the whole round),
// and the optional segment filter. Sections read it and return their part with the sources they
// cite; none of them writes to anything shared.
import { effectiveK, type SuppressedGroup } from '../../../scans/anonymity.js';
import { getCultureScan } from '../../../scans/instruments/registry.js';
import type { CultureScanInstrument } from '../../../scans/instruments/schemas.js';
import type { BenchmarkSource, SegmentDimension } from '../../../scans/result-model.js';
import { NotFoundError } from '../../lib/errors.js';
import type { AnswerPassFeed, Db, RespondentCounts, SegmentFilter } from '../aggregate.js';

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
  /** From how many respondents the disclosure runs on a worker thread (default DISCLOSE_IN_WORKER_FROM; tests). */
  discloseInWorkerFrom?: number;
  /** The close: the extras' respondents are handed over from the release's answer pass (modules/store.ts, ExtrasFeed). */
  extrasFeed?: AnswerPassFeed;
}

export type RoundRow = Awaited<ReturnType<typeof loadRound>>;

export async function loadRound(db: Db, roundId: string) {
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

/** The round's culture-scan instrument when the round includes that module. */
export function cultureScanOf(round: RoundRow): CultureScanInstrument | undefined {
  return round.modules.includes('culture_scan') ? getCultureScan(round.instrument_id) : undefined;
}

export const iso = (d: Date | string | null | undefined): string | null => (d === null || d === undefined ? null : new Date(d).toISOString());

/** One view's build context (read-only). */
export interface SectionContext {
  round: RoundRow;
  k: number;
  instrument: CultureScanInstrument | undefined;
  filter: SegmentFilter | null;
  /** Respondents of this view (the filtered counts when a filter is set). */
  counts: RespondentCounts;
  /** Whole-round partition of the employee respondents per dimension. */
  partitions: Record<SegmentDimension, SuppressedGroup[]>;
  employeeVisible: boolean;
  now: Date;
}

export function contextOf(
  round: RoundRow,
  counts: RespondentCounts,
  partitions: SectionContext['partitions'],
  filter: SegmentFilter | null,
  now: Date,
): SectionContext {
  const k = effectiveK(round.anonymity_threshold);
  return { round, k, instrument: cultureScanOf(round), filter, counts, partitions, employeeVisible: counts.byForm.employee >= k, now };
}

/** A section's part of the result model and the benchmark sources it cites. */
export interface Section<T> {
  part: T;
  sources: BenchmarkSource[];
}

/** The sources of several sections in citation order, each once (the first citation wins). */
export function mergeSources(...lists: ReadonlyArray<readonly BenchmarkSource[]>): BenchmarkSource[] {
  const out = new Map<string, BenchmarkSource>();
  for (const list of lists) for (const s of list) if (!out.has(s.id)) out.set(s.id, s);
  return [...out.values()];
}
