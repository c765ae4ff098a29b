// The disclosure decision: given every figure a reader could obtain (each with the set of respondents
// behind it), which figures may be published. Pure and independent of the result model's shape; the
// rules are listed in methodology.ts for works councils to check.
import { countBits, isSubset, orBits, weightedCount, type Bits } from './bits.js';

/** One figure that might be published: a statistic of a group, and the respondents behind it. */
export interface FigureCandidate {
  /** Unique per (statistic, group, release). */
  key: string;
  statistic: string;
  group: string;
  members: Bits;
  /**
   * Already published (an earlier release a reader may have kept): it cannot be withdrawn, so a
   * conflict with it suppresses the new figure.
   */
  fixed?: boolean;
  /** No output shows this figure (e.g. a group without a view); it still counts as hidden in partitions. */
  absent?: boolean;
  /**
   * How many respondents bit i of `members` stands for (default: one each). Bits may stand for classes
   * of interchangeable respondents; figures that are compared (one statistic; a composite and its
   * parts) then share one numbering and one weights array.
   */
  weights?: ArrayLike<number>;
}

/** The groups `children` partition the respondents of `parent` (every respondent in exactly one). */
export interface PartitionSpec {
  parent: string;
  children: readonly string[];
}

/** A statistic that is the sum of other statistics of the same group (e.g. a scale's distribution of its items'). */
export interface CompositeSpec {
  statistic: string;
  parts: readonly string[];
}

export type DisclosureReason = 'absent' | 'under_k' | 'gate' | 'nested_difference' | 'complementary' | 'composite';

export interface DisclosureInput {
  k: number;
  figures: readonly FigureCandidate[];
  partitions?: readonly PartitionSpec[];
  composites?: readonly CompositeSpec[];
  /**
   * The statistic whose suppression takes every figure of the same group with it, or null. Used for
   * "a group with fewer than k respondents has no figures at all".
   */
  gateOf?: (statistic: string) => string | null;
}

export interface DisclosureDecision {
  /** Keys of suppressed figures, with the first rule that suppressed each. */
  suppressed: Map<string, DisclosureReason>;
  isPublished(key: string): boolean;
}

/**
 * Decides which figures may be published. Rules, applied until nothing changes (suppression only
 * grows, so this ends):
 * 1. under_k: a figure over fewer than k respondents is suppressed (also 0: it has no figure).
 * 2. gate: a figure is suppressed when its group's gate figure is (a group under k shows nothing).
 * 3. nested_difference: for two published figures of one statistic where the respondents of one lie
 *    within those of the other, the difference must be 0 or at least k respondents; otherwise the
 *    smaller one is suppressed (the larger one when the smaller was published earlier and is fixed).
 * 4. complementary: within a partition of a published parent figure, the suppressed children together
 *    must hold 0 or at least k respondents; otherwise the smallest published child is suppressed too.
 * 5. composite: a figure that is the sum of parts is suppressed while its suppressed parts together
 *    rest on 1..k-1 respondents (parent minus the shown parts would give them).
 * Fixed figures are never suppressed; they only constrain the others.
 */
export function decideDisclosure(input: DisclosureInput): DisclosureDecision {
  const k = input.k;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const byKey = new Map<string, FigureCandidate & { n: number }>();
  for (const f of input.figures) {
    if (byKey.has(f.key)) throw new RangeError(`duplicate figure key ${f.key}`);
    byKey.set(f.key, { ...f, n: f.weights ? weightedCount(f.members, f.weights) : countBits(f.members) });
  }
  const suppressed = new Map<string, DisclosureReason>();
  const published = (f: FigureCandidate) => !suppressed.has(f.key);
  const suppress = (f: FigureCandidate, reason: DisclosureReason): boolean => {
    if (f.fixed || suppressed.has(f.key)) return false;
    suppressed.set(f.key, reason);
    return true;
  };

  // Index: statistic -> figures; (statistic, group) -> current (non-fixed) figure.
  const byStatistic = new Map<string, Array<FigureCandidate & { n: number }>>();
  const current = new Map<string, FigureCandidate & { n: number }>();
  const byGroup = new Map<string, Array<FigureCandidate & { n: number }>>();
  for (const f of byKey.values()) {
    let list = byStatistic.get(f.statistic);
    if (!list) byStatistic.set(f.statistic, (list = []));
    list.push(f);
    if (!f.fixed) {
      current.set(`${f.statistic}\u0000${f.group}`, f);
      let g = byGroup.get(f.group);
      if (!g) byGroup.set(f.group, (g = []));
      g.push(f);
    }
  }
  for (const list of byStatistic.values()) list.sort((a, b) => a.n - b.n);

  for (const f of byKey.values()) {
    if (f.absent) suppress(f, 'absent');
    else if (f.n < k) suppress(f, 'under_k');
  }

  let changed = true;
  while (changed) {
    changed = false;
    // 2. gates
    if (input.gateOf) {
      for (const f of current.values()) {
        if (!published(f)) continue;
        const gate = input.gateOf(f.statistic);
        if (gate === null || gate === f.statistic) continue;
        const g = current.get(`${gate}\u0000${f.group}`);
        if (!g || !published(g)) changed = suppress(f, 'gate') || changed;
      }
    }
    // 3. nested differences, per statistic. The largest figures are checked first, so a conflict
    // removes the figure nearest to a larger one and a smaller figure further away can stay.
    for (const list of byStatistic.values()) {
      for (let j = list.length - 1; j >= 0; j--) {
        const b = list[j]!;
        if (!published(b)) continue;
        for (let i = j - 1; i >= 0; i--) {
          const a = list[i]!;
          if (!published(a) || (a.fixed && b.fixed)) continue;
          const d = b.n - a.n;
          if (d === 0 || d >= k) continue;
          // a.n <= b.n (sorted); a inside b when every member of a is in b.
          if (!isSubset(a.members, b.members)) continue;
          const done = a.fixed ? suppress(b, 'nested_difference') : suppress(a, 'nested_difference');
          changed = done || changed;
          if (!published(b)) break;
        }
      }
    }
    // 4. partitions, per statistic
    for (const p of input.partitions ?? []) {
      for (const statistic of byStatistic.keys()) {
        const parent = current.get(`${statistic}\u0000${p.parent}`);
        if (!parent || !published(parent)) continue;
        let hidden = 0;
        const shown: Array<FigureCandidate & { n: number }> = [];
        let missing = false;
        for (const c of p.children) {
          const child = current.get(`${statistic}\u0000${c}`);
          if (!child) {
            missing = true;
            continue;
          }
          if (published(child)) shown.push(child);
          else hidden += child.n;
        }
        // A child without a candidate figure is not published: its respondents count as hidden.
        if (missing) hidden += parent.n - shown.reduce((s, c) => s + c.n, 0) - hidden;
        if (hidden > 0 && hidden < k) {
          const smallest = shown.sort((x, y) => x.n - y.n)[0];
          if (smallest) changed = suppress(smallest, 'complementary') || changed;
          else changed = suppress(parent, 'complementary') || changed;
        }
      }
    }
    // 5. composites, per group
    for (const c of input.composites ?? []) {
      for (const figures of byGroup.values()) {
        const whole = figures.find((f) => f.statistic === c.statistic);
        if (!whole || !published(whole)) continue;
        let hiddenMembers: Bits | null = null;
        for (const part of c.parts) {
          const f = figures.find((x) => x.statistic === part);
          if (!f || published(f)) continue;
          if (f.weights !== whole.weights) throw new RangeError(`composite ${c.statistic}: part ${part} is numbered differently`);
          hiddenMembers = hiddenMembers ? orBits(hiddenMembers, f.members) : f.members;
        }
        if (!hiddenMembers) continue;
        const h = whole.weights ? weightedCount(hiddenMembers, whole.weights) : countBits(hiddenMembers);
        if (h > 0 && h < k) changed = suppress(whole, 'composite') || changed;
      }
    }
  }
  return { suppressed, isPublished: (key) => byKey.has(key) && !suppressed.has(key) };
}
