// The disclosure layer as it was before it worked on classes of respondents (scans/disclosure/decide.ts
// and discloseRelease of model.ts at 1fd622e): one bit per respondent, every count a popcount, the
// respondents given one by one. Test-only: release-classes.test.ts compares the production path
// (ContributionTable, weighted classes) against it, byte for byte. Kept as long as that test is.
import { andBits, countBits, emptyBits, isSubset, orBits, setBit, type Bits } from '../../scans/disclosure/bits.js';
import { ALL_GROUP, applyDisclosure, figureSlots, groupId, STAT, viewGroup, type RespondentContribution } from '../../scans/disclosure/model.js';
import { effectiveK } from '../../scans/anonymity.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type ResultModel, type SegmentDimension } from '../../scans/result-model.js';


/** One figure that might be published: a statistic of a group, and the respondents behind it. */
interface FigureCandidate {
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
}

/** The groups `children` partition the respondents of `parent` (every respondent in exactly one). */
interface PartitionSpec {
  parent: string;
  children: readonly string[];
}

/** A statistic that is the sum of other statistics of the same group (e.g. a scale's distribution of its items'). */
interface CompositeSpec {
  statistic: string;
  parts: readonly string[];
}

type DisclosureReason = 'absent' | 'under_k' | 'gate' | 'nested_difference' | 'complementary' | 'composite';

interface DisclosureInput {
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

interface DisclosureDecision {
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
function decideDisclosure(input: DisclosureInput): DisclosureDecision {
  const k = input.k;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const byKey = new Map<string, FigureCandidate & { n: number }>();
  for (const f of input.figures) {
    if (byKey.has(f.key)) throw new RangeError(`duplicate figure key ${f.key}`);
    byKey.set(f.key, { ...f, n: countBits(f.members) });
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
          hiddenMembers = hiddenMembers ? orBits(hiddenMembers, f.members) : f.members;
        }
        if (!hiddenMembers) continue;
        const h = countBits(hiddenMembers);
        if (h > 0 && h < k) changed = suppress(whole, 'composite') || changed;
      }
    }
  }
  return { suppressed, isPublished: (key) => byKey.has(key) && !suppressed.has(key) };
}

/** Respondents behind each statistic, restricted to a group. */
function contributorIndex(respondents: readonly RespondentContribution[]) {
  const size = respondents.length;
  const stats = new Map<string, Bits>();
  const groups = new Map<string, Bits>();
  const add = (map: Map<string, Bits>, key: string, i: number) => {
    let b = map.get(key);
    if (!b) map.set(key, (b = emptyBits(size)));
    setBit(b, i);
  };
  respondents.forEach((r, i) => {
    add(groups, ALL_GROUP, i);
    if (r.form === 'employee') {
      for (const d of SEGMENT_DIMENSIONS) add(groups, groupId(d, r.background[d] ?? NOT_STATED_KEY), i);
    }
    add(stats, STAT.respondents, i);
    const mgmt = r.form === 'management';
    add(stats, mgmt ? STAT.managers : STAT.employees, i);
    for (const m of r.scored) add(stats, mgmt ? STAT.mgmtScale(m) : STAT.scale(m), i);
    for (const m of r.answeredScales) add(stats, mgmt ? STAT.mgmtScaleAnswers(m) : STAT.scaleAnswers(m), i);
    for (const it of r.items) add(stats, mgmt ? STAT.mgmtItem(it) : STAT.item(it), i);
    if (!mgmt) {
      for (const m of r.complete) add(stats, STAT.alpha(m), i);
      for (const f of r.frames ?? []) add(stats, STAT.placement(f), i);
      if ((r.factorsRated ?? []).length > 0) add(stats, STAT.factorRaters, i);
      for (const f of r.factorsRated ?? []) add(stats, STAT.factor(f), i);
    }
  });
  const empty = emptyBits(size);
  return {
    size,
    members(statistic: string, group: string): Bits {
      return andBits(stats.get(statistic) ?? empty, groups.get(group) ?? empty);
    },
    /** Group keys per dimension among employee respondents (not stated included when present). */
    groupsOf(dimension: SegmentDimension): string[] {
      const prefix = `${dimension}:`;
      return [...groups.keys()].filter((g) => g.startsWith(prefix)).map((g) => g.slice(prefix.length));
    },
  };
}

interface PublishedEarlier { views: readonly ResultModel[]; covered: readonly number[] }
interface DiscloseInput { k: number; views: readonly ResultModel[]; respondents: readonly RespondentContribution[]; earlier?: readonly PublishedEarlier[] }
const slotKey = (statistic: string, group: string) => `${statistic}@${group}`;

export function discloseReleaseBefore(input: DiscloseInput): { main: ResultModel; segments: Map<string, ResultModel>; suppressed: Map<string, DisclosureReason> } {
  const k = effectiveK(input.k);
  const index = contributorIndex(input.respondents);
  const main = input.views.find((v) => v.meta.segmentFilter === null);
  if (!main) throw new RangeError('discloseRelease needs the unfiltered view');

  const figures: FigureCandidate[] = [];
  const seen = new Set<string>();
  const statistics = new Set<string>();
  const addSlot = (statistic: string, group: string, absent: boolean) => {
    const key = slotKey(statistic, group);
    statistics.add(statistic);
    if (seen.has(key)) return;
    seen.add(key);
    figures.push({ key, statistic, group, members: index.members(statistic, group), absent });
  };
  for (const v of input.views) for (const s of figureSlots(v)) addSlot(s.statistic, s.group, false);

  // Every group of every dimension takes part in the partitions; groups without a view have no figure.
  const partitions: PartitionSpec[] = [];
  for (const d of SEGMENT_DIMENSIONS) {
    const keys = new Set(index.groupsOf(d));
    for (const seg of main.segments) if (seg.dimension === d) for (const grp of seg.groups) keys.add(grp.key);
    if (keys.size === 0) continue;
    const children = [...keys].map((key) => groupId(d, key));
    partitions.push({ parent: ALL_GROUP, children });
    for (const statistic of statistics) {
      if (statistic.startsWith('mgmt-') || statistic === STAT.managers || statistic === STAT.respondents) continue;
      for (const c of children) addSlot(statistic, c, true);
    }
  }

  const composites: CompositeSpec[] = [];
  for (const mech of main.mechanisms) {
    composites.push({ statistic: STAT.scaleAnswers(mech.mechanismId), parts: mech.items.map((i) => STAT.item(i.itemId)) });
    composites.push({ statistic: STAT.mgmtScaleAnswers(mech.mechanismId), parts: mech.items.map((i) => STAT.mgmtItem(i.itemId)) });
  }
  composites.push({ statistic: STAT.respondents, parts: [STAT.employees, STAT.managers] });

  (input.earlier ?? []).forEach((release, r) => {
    const covered = new Set(release.covered);
    const restrict = (b: Bits) => {
      const out = emptyBits(index.size);
      for (const i of covered) if (((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0) setBit(out, i);
      return out;
    };
    for (const v of release.views) {
      for (const s of figureSlots(v)) {
        if (s.n === null) continue;
        const key = `${slotKey(s.statistic, s.group)}#${r}`;
        if (seen.has(key)) continue;
        seen.add(key);
        figures.push({ key, statistic: s.statistic, group: s.group, members: restrict(index.members(s.statistic, s.group)), fixed: true });
      }
    }
  });

  const decision = decideDisclosure({
    k,
    figures,
    partitions,
    composites,
    gateOf: (statistic) => {
      if (statistic === STAT.employees || statistic === STAT.managers || statistic === STAT.respondents) return null;
      return statistic.startsWith('mgmt-') ? STAT.managers : STAT.employees;
    },
  });
  const published = (statistic: string, group: string) => decision.isPublished(slotKey(statistic, group));
  const segments = new Map<string, ResultModel>();
  for (const v of input.views) {
    if (v.meta.segmentFilter === null) continue;
    const gid = viewGroup(v);
    if (!published(STAT.employees, gid)) continue;
    segments.set(gid, applyDisclosure(v, published));
  }
  return { main: applyDisclosure(main, published), segments, suppressed: decision.suppressed };
}
