// Comparisons with published figures and with a pool of other organisations.

/**
 * Benchmark delta in percentage points: group % favourable minus the published share. Null when the
 * group has no % favourable (no valid answers).
 */
export function benchmarkDelta(favourablePct: number | null, publishedPct: number): number | null {
  if (favourablePct === null) return null;
  return favourablePct - publishedPct;
}

/**
 * Percentile rank of a value in a pool of organisation scores:
 * (count below + 0.5 x count equal) / n x 100. Null for an empty pool. Whether the pool includes the
 * organisation itself is the caller's choice (document it where the figure is shown).
 */
export function percentileRank(value: number, pool: readonly number[]): number | null {
  if (pool.length === 0) return null;
  let below = 0;
  let equal = 0;
  for (const p of pool) {
    if (p < value) below++;
    else if (p === value) equal++;
  }
  return ((below + 0.5 * equal) / pool.length) * 100;
}

export type Quartile = 1 | 2 | 3 | 4;

/** Quartile of a percentile rank: 1 below 25, 2 from 25 below 50, 3 from 50 below 75, 4 from 75. */
export function quartileOfPercentileRank(rank: number): Quartile {
  if (!(rank >= 0 && rank <= 100)) throw new RangeError(`rank must be in [0, 100], got ${rank}`);
  if (rank < 25) return 1;
  if (rank < 50) return 2;
  if (rank < 75) return 3;
  return 4;
}

/**
 * A percentile position as a band: which quarter (or tenth) of the comparison group the value falls
 * in, never the rank itself. A rank moves with every organisation that joins, so successive exact
 * ranks would give away single organisations' scores; a band changes only when the value crosses a
 * quarter (tenth) of the group.
 */
export interface PercentileBand {
  band: 'quartile' | 'decile';
  /** 1 = lowest quarter (tenth) of the group. */
  position: number;
  /** The band as percentiles: from (inclusive) to (exclusive, 100 inclusive for the top band). */
  from: number;
  to: number;
}

/** Deciles need at least this many other organisations; below that, quartiles. */
export const DECILES_FROM_OTHERS = 40;

export function percentileBand(rank: number, others: number): PercentileBand {
  if (!(rank >= 0 && rank <= 100)) throw new RangeError(`rank must be in [0, 100], got ${rank}`);
  if (others >= DECILES_FROM_OTHERS) {
    const position = Math.min(10, Math.floor(rank / 10) + 1);
    return { band: 'decile', position, from: (position - 1) * 10, to: position * 10 };
  }
  const position = quartileOfPercentileRank(rank);
  return { band: 'quartile', position, from: (position - 1) * 25, to: position * 25 };
}
