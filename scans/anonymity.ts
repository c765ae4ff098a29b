// Anonymity rules: no figure for a group under k respondents, complementary suppression so that no
// hidden group can be derived by subtraction, and a higher threshold for free text.

/** Default minimum group size for any figure. */
export const DEFAULT_K = 5;
/** Free-text answers are shown only for groups of at least this many respondents. */
export const FREE_TEXT_MIN = 10;

/** The k a round uses: its own setting when higher than the default, never lower than DEFAULT_K. */
export function effectiveK(roundK?: number | null): number {
  if (roundK === null || roundK === undefined) return DEFAULT_K;
  if (!Number.isFinite(roundK)) throw new RangeError(`k must be a finite number, got ${roundK}`);
  return Math.max(DEFAULT_K, Math.ceil(roundK));
}

/** Whether free text may be shown for a group of n respondents (at least FREE_TEXT_MIN, and at least k). */
export function freeTextVisible(n: number, k: number = DEFAULT_K): boolean {
  return n >= Math.max(FREE_TEXT_MIN, effectiveK(k));
}

export interface GroupCount {
  key: string;
  n: number;
}

export type SuppressionReason = 'under_k' | 'complementary';

export interface SuppressedGroup {
  key: string;
  n: number;
  visible: boolean;
  /** Why the group is hidden; null when visible. */
  reason: SuppressionReason | null;
}

/**
 * Decide which groups of one partition may be shown. The groups must partition one parent (every
 * respondent of the parent in exactly one group; include a "not stated" group when there is one).
 *
 * 1. Every group with n < k is hidden (also n = 0: it has no figure).
 * 2. Complementary suppression: a reader who knows the parent total and the shown groups can derive
 *    the combined size (and mean) of the hidden groups. While that combined size is 1..k-1, also hide
 *    the smallest visible group (ties: the one listed first). Since every visible group has n >= k,
 *    one extra group is always enough.
 *
 * Afterwards the hidden groups together hold 0 or at least k respondents, or nothing is visible. When
 * the parent itself has fewer than k respondents, every group is hidden here, and the caller must also
 * hide the parent. The same rule protects means: a derived mean is then a mean over >= k people.
 */
export function suppressPartition(groups: readonly GroupCount[], k: number = DEFAULT_K): SuppressedGroup[] {
  const kk = effectiveK(k);
  const keys = new Set<string>();
  for (const g of groups) {
    if (!Number.isInteger(g.n) || g.n < 0) throw new RangeError(`group ${g.key}: n must be a non-negative integer`);
    if (keys.has(g.key)) throw new RangeError(`duplicate group key ${g.key}`);
    keys.add(g.key);
  }
  const result: SuppressedGroup[] = groups.map((g) => ({
    key: g.key,
    n: g.n,
    visible: g.n >= kk,
    reason: g.n >= kk ? null : 'under_k',
  }));
  const hiddenTotal = (): number => result.reduce((sum, g) => sum + (g.visible ? 0 : g.n), 0);
  let hidden = hiddenTotal();
  while (hidden > 0 && hidden < kk) {
    let smallest: SuppressedGroup | undefined;
    for (const g of result) if (g.visible && (smallest === undefined || g.n < smallest.n)) smallest = g;
    if (smallest === undefined) break; // nothing left to hide: the parent itself is under k
    smallest.visible = false;
    smallest.reason = 'complementary';
    hidden = hiddenTotal();
  }
  return result;
}

/**
 * Apply suppressPartition to several partitions of the same respondents (e.g. department, age band,
 * contract), each on its own. This is safe as long as no cross-tabulation of two partitions is shown;
 * a cross-table is a partition of its own (one group per cell) and must be suppressed as such.
 */
export function suppressPartitions<K extends string>(
  partitions: Readonly<Record<K, readonly GroupCount[]>>,
  k: number = DEFAULT_K,
): Record<K, SuppressedGroup[]> {
  const out = {} as Record<K, SuppressedGroup[]>;
  for (const name of Object.keys(partitions) as K[]) out[name] = suppressPartition(partitions[name], k);
  return out;
}

/** True when a single group may carry a figure (n >= k). */
export function isGroupVisible(n: number, k: number = DEFAULT_K): boolean {
  return n >= effectiveK(k);
}
