// The platform benchmark pool: organisation-level scale scores of closed rounds with >= k employee
// respondents. Only counts leave this module (below / equal / group size per comparison group and a
// median over at least MIN_POOL_OTHERS organisations); pool rows are never listed.
import { sql } from 'kysely';
import { effectiveK } from '../../scans/anonymity.js';
import { getCultureScan } from '../../scans/instruments/registry.js';
import type { PercentileRank, Percentiles } from '../../scans/result-model.js';
import { percentileBand, percentileRank } from '../../scans/scoring/benchmark.js';
import { percentFavourableFromCounts, roundScore } from '../../scans/scoring/scales.js';
import { describeFromMoments } from '../../scans/scoring/stats.js';
import type { FormKind } from '../db/schema.js';
import { aggregateAnswers, countRespondents, type Db, type FormAggregate, type RespondentCounts } from './aggregate.js';

/** A comparison group must hold at least this many OTHER organisations before a band is shown. */
export const MIN_POOL_OTHERS = 10;
/**
 * The pool mean is shown as a benchmark only from this many other organisations, rounded to one
 * decimal: an order statistic (a median of 5 is one organisation's score) is never shown, and
 * rounding keeps a newcomer's score from being derived from two successive means.
 */
export const MIN_POOL_OTHERS_FOR_MEAN = 10;
/**
 * Scores are compared with the pool on a grid of this step (1.00, 1.25, ... 5.00), own and pool scores
 * alike. A consultant can set its own score at will (a round with chosen answers) and look for the
 * score where its band changes; that point is another organisation's score. On the grid it finds only
 * the quarter point nearest to it, never the score itself.
 */
export const POOL_RANK_GRID = 0.25;

export interface ContributeResult {
  contributed: boolean;
  reason?: 'below_threshold' | 'no_culture_scan' | 'not_closed';
  mechanisms: number;
}

/**
 * Adds (or refreshes) a closed round's organisation-level employee scale scores in the pool, when the
 * round has at least k submitted employee respondents; mechanisms with fewer than k scale scores are
 * left out. Run inside the close transaction.
 */
export async function contributeToPool(
  tx: Db,
  roundId: string,
  whole?: { counts: RespondentCounts; forms: Record<FormKind, FormAggregate> | null } | null,
): Promise<ContributeResult> {
  const round = await tx
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .select([
      'rounds.status',
      'rounds.instrument_id',
      'rounds.modules',
      'rounds.anonymity_threshold',
      'rounds.organisation_id',
      'rounds.is_demo',
      'organisations.is_demo as organisation_is_demo',
      'organisations.sector',
      'organisations.size_class',
    ])
    .where('rounds.id', '=', roundId)
    .executeTakeFirstOrThrow();
  if (round.status !== 'closed') return { contributed: false, reason: 'not_closed', mechanisms: 0 };
  const instrument = getCultureScan(round.instrument_id);
  if (!instrument || !round.modules.includes('culture_scan')) return { contributed: false, reason: 'no_culture_scan', mechanisms: 0 };
  const k = effectiveK(round.anonymity_threshold);
  // The whole round's figures of a release built before the close transaction (same responses, checked there), or computed now.
  const counts = whole?.counts ?? (await countRespondents(tx, roundId));
  const employees = counts.byForm.employee;
  if (employees < k) return { contributed: false, reason: 'below_threshold', mechanisms: 0 };
  const forms = whole?.forms ?? (await aggregateAnswers(tx, roundId, instrument));
  const rows = [];
  for (const scale of instrument.scales) {
    const agg = forms.employee.scales.get(scale.mechanism);
    if (!agg || agg.n < k) continue;
    const d = describeFromMoments(agg.n, agg.sum, agg.sumSq);
    if (!d) continue;
    rows.push({
      round_id: roundId,
      organisation_id: round.organisation_id,
      is_demo: round.is_demo || round.organisation_is_demo,
      mechanism_id: scale.mechanism,
      sector: round.sector,
      size_class: round.size_class,
      score: Math.min(5, Math.max(1, d.mean)),
      favourable: percentFavourableFromCounts(agg.favourable, agg.valid),
      respondents: employees,
    });
  }
  // No tenant reads pool rows (migration 0019): the old contribution is cleared by a definer function.
  await sql`select lcs_pool_clear(${roundId}::uuid)`.execute(tx);
  if (rows.length > 0) await tx.insertInto('pool_entries').values(rows).execute();
  return { contributed: rows.length > 0, reason: rows.length > 0 ? undefined : 'below_threshold', mechanisms: rows.length };
}

export interface PoolComparison {
  percentiles: Percentiles;
  /** Mean score of the other organisations in the whole pool, rounded to one decimal; null below MIN_POOL_OTHERS_FOR_MEAN. */
  mean: number | null;
  /** Number of other organisations in the whole pool. */
  others: number;
}

const hidden = (reason: 'too_few_organisations' | 'no_score' | 'pool_unavailable'): PercentileRank => ({
  shown: false,
  reason,
  minimumGroupSize: MIN_POOL_OTHERS,
});

export function hiddenPercentiles(reason: 'too_few_organisations' | 'no_score' | 'pool_unavailable'): Percentiles {
  return { overall: hidden(reason), sector: hidden(reason), sizeClass: hidden(reason) };
}

function rankOf(value: number, below: number, equal: number, size: number): PercentileRank {
  if (size < MIN_POOL_OTHERS) return hidden('too_few_organisations');
  // The pool is represented only by its counts; percentileRank() applies the one definition of the rule.
  const synthetic: number[] = [];
  for (let i = 0; i < below; i++) synthetic.push(value - 1);
  for (let i = 0; i < equal; i++) synthetic.push(value);
  for (let i = below + equal; i < size; i++) synthetic.push(value + 1);
  const rank = percentileRank(value, synthetic) as number;
  return { shown: true, ...percentileBand(rank, size), groupSize: size };
}

/**
 * Percentile bands of an organisation's mechanism scores among the OTHER organisations in the pool
 * (each organisation counted once, with its most recently contributed round): overall, same sector,
 * same size class. Demo rounds are compared only with demo entries and real rounds only with real ones.
 *
 * Probing: a consultant controls every organisation of its own consultancy (it creates them and their
 * rounds). Were those in the comparison group, it could arrange their scores around another
 * organisation's and bisect that score from its own bands. So the group holds only organisations of
 * OTHER consultancies, which nobody viewing these figures can steer; against a group it cannot steer,
 * moving its own score only tells where the quarter (tenth) boundaries of that group lie.
 */
export async function comparePool(
  db: Db,
  input: { organisationId: string; sector: string; sizeClass: string; isDemo: boolean; scores: Map<string, number | null> },
): Promise<Map<string, PoolComparison>> {
  const mechanisms = [...input.scores.keys()];
  const values = mechanisms.map((m) => input.scores.get(m) ?? null);
  const { rows } = await sql<{
    mechanism_id: string;
    n_all: number;
    below_all: number;
    eq_all: number;
    n_sector: number;
    below_sector: number;
    eq_sector: number;
    n_size: number;
    below_size: number;
    eq_size: number;
    mean_all: number | null;
  }>`
    -- Aggregates only (migrations 0010 and 0018): the function leaves out the organisations of the own
    -- consultancy, ranks own and pool scores on the same grid (POOL_RANK_GRID), and never returns pool rows.
    select * from lcs_pool_compare(${input.organisationId}::uuid, ${input.isDemo}, ${input.sector}, ${input.sizeClass}, ${mechanisms}::text[], ${values}::float8[], ${POOL_RANK_GRID}::float8)
  `.execute(db);
  const out = new Map<string, PoolComparison>();
  for (const row of rows) {
    const own = input.scores.get(row.mechanism_id) ?? null;
    const others = Number(row.n_all);
    // roundScore, not Math.round(x * 10) / 10: the database's float sum depends on the order it reads the
    // rows in, so a mean of exactly 3.55 comes back as 3.5499999999999998 or 3.5500000000000003, and the
    // same pool would show 3.5 one day and 3.6 the next (after an update moved a row).
    const mean = others >= MIN_POOL_OTHERS_FOR_MEAN && row.mean_all !== null ? roundScore(Number(row.mean_all)) : null;
    if (own === null) {
      out.set(row.mechanism_id, { percentiles: hiddenPercentiles('no_score'), mean, others });
      continue;
    }
    out.set(row.mechanism_id, {
      percentiles: {
        overall: rankOf(own, Number(row.below_all), Number(row.eq_all), others),
        sector: rankOf(own, Number(row.below_sector), Number(row.eq_sector), Number(row.n_sector)),
        sizeClass: rankOf(own, Number(row.below_size), Number(row.eq_size), Number(row.n_size)),
      },
      mean,
      others,
    });
  }
  return out;
}
