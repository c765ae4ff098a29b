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
