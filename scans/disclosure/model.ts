// Disclosure control applied to result models: names every figure of a view (statistic, group), finds
// the respondents behind it, lets decideDisclosure rule, and removes what may not be published. This
// is the one place where anything is suppressed for publication; the server builds candidate views
// and stores what comes out of here as the round's release.
import { effectiveK } from '../anonymity.js';
import {
  NOT_STATED_KEY,
  SEGMENT_DIMENSIONS,
  type MechanismResult,
  type PerspectiveSide,
  type ResultModel,
  type SegmentDimension,
} from '../result-model.js';
import { emptyBits, hasBit, setBit, type Bits } from './bits.js';
import { decideDisclosure, type CompositeSpec, type DisclosureReason, type FigureCandidate, type PartitionSpec } from './decide.js';

export const ALL_GROUP = 'all';

/** What one submitted respondent contributes to; ids of mechanisms, items, frames and factors. */
export interface RespondentContribution {
  form: 'employee' | 'management';
  /** Background per dimension; a missing or null value is "not stated". */
  background: Partial<Record<SegmentDimension, string | null>>;
  /** Mechanisms on which the respondent has a scale score (enough items answered). */
  scored: readonly string[];
  /** Mechanisms with at least one valid (1..5) answer. */
  answeredScales: readonly string[];
  /** Mechanisms with every item answered (the respondents behind alpha). */
  complete: readonly string[];
  /** Items with a valid answer. */
  items: readonly string[];
  /** Dialogue-model frames the respondent placed (employees). */
  frames?: readonly string[];
  /** Factors rated -2..2 (not "not applicable"). */
  factorsRated?: readonly string[];
}

/**
 * A respondent's contribution as the release build's answer pass reads it, for a table that knows the
 * instrument's scales (ContributionTable's `scales`): per scale, in the instrument's order, a bit mask
 * of its items with a valid answer (bit k: item k of the scale). The rest follows from the masks:
 * scored (at least minItems bits), answered (any bit), complete (every bit).
 */
export interface CodedContribution {
  form: RespondentContribution['form'];
  background: RespondentContribution['background'];
  masks: ArrayLike<number>;
  frames?: readonly string[] | null;
  factorsRated?: readonly string[] | null;
  /**
   * The caller's number for the respondent's form and background, when it has one (the answer pass
   * numbers its combinations): equal numbers must mean the same form and the same background (with a
   * missing dimension as not stated); different numbers may still be the same kind. The table then
   * finds the respondent's kind by this number instead of a key built per respondent, when it tells
   * no earlier releases apart.
   */
  backgroundIndex?: number;
}

/** A scale as ContributionTable.addCoded reads its masks: its mechanism, its items in order and the items a score needs. */
export interface CodedScale {
  mechanismId: string;
  itemIds: readonly string[];
  minItems: number;
}

// --- statistic names ------------------------------------------------------------------------------

export const STAT = {
  employees: 'employees',
  managers: 'managers',
  respondents: 'respondents',
  scale: (m: string) => `scale:${m}`,
  scaleAnswers: (m: string) => `scale-answers:${m}`,
  alpha: (m: string) => `alpha:${m}`,
  item: (i: string) => `item:${i}`,
  mgmtScale: (m: string) => `mgmt-scale:${m}`,
  mgmtScaleAnswers: (m: string) => `mgmt-scale-answers:${m}`,
  mgmtItem: (i: string) => `mgmt-item:${i}`,
  placement: (frame: string) => `placement:${frame}`,
  factorRaters: 'factor-raters',
  factor: (f: string) => `factor:${f}`,
} as const;

export const groupId = (dimension: SegmentDimension, value: string): string => `${dimension}:${value}`;

export function viewGroup(model: ResultModel): string {
  const f = model.meta.segmentFilter;
  return f ? groupId(f.dimension, f.value) : ALL_GROUP;
}

/** Kinds of statistic with an id, and how each is named (STAT). */
const KINDS = [STAT.scale, STAT.scaleAnswers, STAT.item, STAT.mgmtScale, STAT.mgmtScaleAnswers, STAT.mgmtItem, STAT.alpha, STAT.placement, STAT.factor] as const;
const [SCALE, SCALE_ANSWERS, ITEM, MGMT_SCALE, MGMT_SCALE_ANSWERS, MGMT_ITEM, ALPHA, PLACEMENT, FACTOR] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

/** The groups a respondent belongs to: the whole round, and (employees) one group per dimension. */
function groupsOfRespondent(form: RespondentContribution['form'], background: RespondentContribution['background']): string[] {
  const out = [ALL_GROUP];
  if (form === 'employee') for (const d of SEGMENT_DIMENSIONS) out.push(groupId(d, background[d] ?? NOT_STATED_KEY));
  return out;
}

/**
 * The statistics whose figures are compared by their respondents: a composite and its parts (a scale's
 * distribution and its items', the respondents and the two forms). Every other statistic stands alone:
 * the rules only compare figures of one statistic (nested differences) or a composite with its parts.
 */
export function compositesOf(main: ResultModel): CompositeSpec[] {
  return compositesFor(main.mechanisms.map((m) => ({ mechanismId: m.mechanismId, itemIds: m.items.map((i) => i.itemId) })));
}

/** compositesOf for the mechanisms a view will show (an instrument's scales, before the view is built). */
export function compositesFor(mechanisms: ReadonlyArray<{ mechanismId: string; itemIds: readonly string[] }>): CompositeSpec[] {
  const composites: CompositeSpec[] = [];
  for (const mech of mechanisms) {
    composites.push({ statistic: STAT.scaleAnswers(mech.mechanismId), parts: mech.itemIds.map((i) => STAT.item(i)) });
    composites.push({ statistic: STAT.mgmtScaleAnswers(mech.mechanismId), parts: mech.itemIds.map((i) => STAT.mgmtItem(i)) });
  }
  composites.push({ statistic: STAT.respondents, parts: [STAT.employees, STAT.managers] });
  return composites;
}

/** Families of at most this many statistics are looked up by one small integer per family and mask (ContributionTable). */
const MASK_BITS = 8;

/** At most this many statistics compared together (a scale of at most 7 items and its distribution fit easily). */
const MAX_FAMILY = 30;

/** What a ContributionTable holds, as plain data (it crosses to a worker thread by structured clone). */
export interface ContributionTableData {
  /** The composites the table was numbered for (compositesOf of the unfiltered view). */
  composites: CompositeSpec[];
  /** Earlier releases whose covered respondents the table tells apart. */
  earlier: number;
  /** Respondents folded in. */
  size: number;
  /** Per kind of respondent (form, background, which earlier releases covered them): its groups and cover. */
  kinds: Array<{ groups: string[]; covered: boolean[] }>;
  /** Per family of statistics: the statistics, and each class (kind, which of them, how many respondents). */
  families: Array<{ stats: string[]; kinds: number[]; masks: number[]; counts: number[] }>;
}

/**
 * The respondents of a round folded into classes, for disclosure control. Two respondents are
 * interchangeable for a family of statistics (one statistic, or a composite with its parts) when they
 * are in the same groups, were covered by the same earlier releases, and contribute to the same
 * statistics of the family: every figure of the family rests on a union of whole classes, so a
 * decision taken on the classes, each weighted by its number of respondents, is the decision taken on
 * the respondents (same counts, same subsets, same unions). The table holds classes, not respondents:
 * its size stops growing once every combination present has been seen.
 */
export class ContributionTable {
  private readonly kindIndex = new Map<string, number>();
  private readonly kinds: ContributionTableData['kinds'] = [];
  private readonly familyOf = new Map<string, { f: number; bit: number }>();
  private readonly families: Array<ContributionTableData['families'][number]> = [];
  /**
   * Per kind, the class of each (family, mask) seen: one map per kind keyed by family x 2^MASK_BITS +
   * mask (a small integer; every family of the culture scan has at most 8 statistics), with a map per
   * family for a wider one. Per family a sparse array indexed by kind (most families were first
   * touched by a later kind) made the lookups ~1 s of the 100,000-respondent close.
   */
  private readonly classIndex: Array<{
    narrow: Map<number, number>;
    wide: Map<number, Map<number, number>>;
    /**
     * Per family, the mask and class of the last respondent of the kind that touched it (-1: none yet):
     * most respondents of a kind answer alike, and the map lookup per family and respondent was ~0.9 s
     * of the 100,000-respondent close.
     */
    lastMask: number[];
    lastClass: number[];
  }> = [];
  /** Per backgroundIndex (CodedContribution), its kind, with no earlier releases to tell apart. */
  private readonly kindOfBackground: number[] = [];
  /** Per kind (KINDS), id -> slot: the statistic's name is built once, not per respondent. */
  private readonly byKind = KINDS.map(() => new Map<string, { f: number; bit: number }>());
  private readonly touched: number[] = [];
  private readonly pending: number[] = [];
  /** Respondents added. */
  size = 0;
  /** addCoded's slots per kind of statistic and scale (scale statistics) or item (position over all scales), resolved on first use. */
  private readonly scaleSlots = KINDS.map(() => [] as Array<{ f: number; bit: number } | undefined>);
  private readonly itemOffsets: number[] = [];

  constructor(
    readonly composites: CompositeSpec[],
    readonly earlier: number,
    /** The instrument's scales, for addCoded (in the order of a CodedContribution's masks). */
    readonly scales: readonly CodedScale[] = [],
  ) {
    let offset = 0;
    for (const scale of scales) {
      if (scale.itemIds.length > 31) throw new RangeError(`scale ${scale.mechanismId} has more than 31 items: no mask for it`);
      this.itemOffsets.push(offset);
      offset += scale.itemIds.length;
    }
    for (const c of composites) {
      const stats = [c.statistic, ...c.parts];
      const known = stats.map((x) => this.familyOf.get(x)?.f).find((f) => f !== undefined);
      const f = known ?? this.newFamily();
      for (const x of stats) if (!this.familyOf.has(x)) this.join(f, x);
    }
  }

  private newFamily(): number {
    this.families.push({ stats: [], kinds: [], masks: [], counts: [] });
    this.pending.push(0);
    return this.families.length - 1;
  }

  private join(f: number, statistic: string) {
    const fam = this.families[f]!;
    if (fam.stats.length >= MAX_FAMILY) throw new RangeError(`more than ${MAX_FAMILY} statistics compared together (${statistic})`);
    this.familyOf.set(statistic, { f, bit: fam.stats.length });
    fam.stats.push(statistic);
  }

  private slot(statistic: string): { f: number; bit: number } {
    let s = this.familyOf.get(statistic);
    if (!s) {
      this.join(this.newFamily(), statistic);
      s = this.familyOf.get(statistic)!;
    }
    return s;
  }

  private slotOf(kind: number, id: string): { f: number; bit: number } {
    const cache = this.byKind[kind]!;
    let s = cache.get(id);
    if (!s) cache.set(id, (s = this.slot(KINDS[kind]!(id))));
    return s;
  }

  /** Marks the statistic's bit in its family for the respondent being added. */
  private mark(s: { f: number; bit: number }): void {
    const { pending } = this;
    if (pending[s.f] === 0) this.touched.push(s.f);
    pending[s.f] = pending[s.f]! | (1 << s.bit);
  }

  /** The kind of a respondent: its form, background and cover (its groups follow from those: a manager is in the whole round only). */
  private kindOf(form: RespondentContribution['form'], background: RespondentContribution['background'], covered: readonly boolean[]): number {
    if (covered.length > this.earlier) throw new RangeError('covered by more earlier releases than the table knows');
    let kindKey = form === 'employee' ? 'e' : 'm';
    if (form === 'employee') for (const d of SEGMENT_DIMENSIONS) kindKey += `\u0001${background[d] ?? NOT_STATED_KEY}`;
    kindKey += '\u0002';
    for (let i = 0; i < this.earlier; i++) kindKey += covered[i] === true ? '1' : '0';
    let kind = this.kindIndex.get(kindKey);
    if (kind === undefined) {
      // The groups are built for a new kind alone.
      kind = this.kinds.length;
      this.kindIndex.set(kindKey, kind);
      this.kinds.push({ groups: groupsOfRespondent(form, background), covered: Array.from({ length: this.earlier }, (_, i) => covered[i] === true) });
      this.classIndex.push({ narrow: new Map(), wide: new Map(), lastMask: [], lastClass: [] });
    }
    return kind;
  }

  /** Adds `count` respondents with this contribution; `covered[r]`: earlier release r covered them. */
  add(r: RespondentContribution, covered: readonly boolean[] = [], count = 1): void {
    const kind = this.kindOf(r.form, r.background, covered);
    this.touched.length = 0;
    // The statistics the respondent contributes to (those a figure about them may rest on).
    const mgmt = r.form === 'management';
    this.mark(this.slot(STAT.respondents));
    this.mark(this.slot(mgmt ? STAT.managers : STAT.employees));
    for (const m of r.scored) this.mark(this.slotOf(mgmt ? MGMT_SCALE : SCALE, m));
    for (const m of r.answeredScales) this.mark(this.slotOf(mgmt ? MGMT_SCALE_ANSWERS : SCALE_ANSWERS, m));
    for (const it of r.items) this.mark(this.slotOf(mgmt ? MGMT_ITEM : ITEM, it));
    if (!mgmt) {
      for (const m of r.complete) this.mark(this.slotOf(ALPHA, m));
      this.markModules(r.frames, r.factorsRated);
    }
    this.commit(kind, count);
  }

  /**
   * add() for a respondent given by its answer masks (CodedContribution): the same statistics marked in
   * the same order, so the table is the one add() builds from the contribution the masks describe,
   * without the lists of ids (at 100,000 respondents, add() and the contributions built for it were
   * ~2 s of the close).
   */
  addCoded(r: CodedContribution, covered: readonly boolean[] = [], count = 1): void {
    const { scales } = this;
    const { masks } = r;
    if (masks.length !== scales.length) throw new RangeError(`${masks.length} masks for ${scales.length} scales`);
    const kind = this.kindOfCoded(r, covered);
    this.touched.length = 0;
    const mgmt = r.form === 'management';
    this.mark(this.slot(STAT.respondents));
    this.mark(this.slot(mgmt ? STAT.managers : STAT.employees));
    const scaleKind = mgmt ? MGMT_SCALE : SCALE;
    for (let s = 0; s < scales.length; s++) if (bitCount(masks[s]!) >= scales[s]!.minItems) this.mark(this.scaleSlot(scaleKind, s));
    const answersKind = mgmt ? MGMT_SCALE_ANSWERS : SCALE_ANSWERS;
    for (let s = 0; s < scales.length; s++) if (masks[s]! !== 0) this.mark(this.scaleSlot(answersKind, s));
    const itemKind = mgmt ? MGMT_ITEM : ITEM;
    for (let s = 0; s < scales.length; s++) {
      const mask = masks[s]!;
      if (mask === 0) continue;
      const items = scales[s]!.itemIds;
      for (let k = 0; k < items.length; k++) if ((mask >>> k) & 1) this.mark(this.itemSlot(itemKind, s, k));
    }
    if (!mgmt) {
      for (let s = 0; s < scales.length; s++) if (bitCount(masks[s]!) === scales[s]!.itemIds.length) this.mark(this.scaleSlot(ALPHA, s));
      this.markModules(r.frames, r.factorsRated);
    }
    this.commit(kind, count);
  }

  /** kindOf, by the caller's backgroundIndex when it gives one and the table tells no earlier releases apart. */
  private kindOfCoded(r: CodedContribution, covered: readonly boolean[]): number {
    const b = r.backgroundIndex;
    if (b === undefined || this.earlier > 0 || covered.length > 0) return this.kindOf(r.form, r.background, covered);
    if (!Number.isInteger(b) || b < 0) throw new RangeError(`backgroundIndex ${b} is not a non-negative integer`);
    return (this.kindOfBackground[b] ??= this.kindOf(r.form, r.background, covered));
  }

  private scaleSlot(kind: number, s: number): { f: number; bit: number } {
    const cache = this.scaleSlots[kind]!;
    return (cache[s] ??= this.slotOf(kind, this.scales[s]!.mechanismId));
  }

  private itemSlot(kind: number, s: number, k: number): { f: number; bit: number } {
    const cache = this.scaleSlots[kind]!;
    const at = this.itemOffsets[s]! + k;
    return (cache[at] ??= this.slotOf(kind, this.scales[s]!.itemIds[k]!));
  }

  /** The dialogue-model frames and the factor ratings of an employee. */
  private markModules(frames: readonly string[] | null | undefined, factorsRated: readonly string[] | null | undefined): void {
    for (const f of frames ?? []) this.mark(this.slotOf(PLACEMENT, f));
    if ((factorsRated ?? []).length > 0) this.mark(this.slot(STAT.factorRaters));
    for (const f of factorsRated ?? []) this.mark(this.slotOf(FACTOR, f));
  }

  /** The respondent's class in every family it touched (the marks since touched was emptied), counted `count` times. */
  private commit(kind: number, count: number): void {
    const { touched, pending, families } = this;
    const index = this.classIndex[kind]!;
    const { lastMask, lastClass } = index;
    for (const f of touched) {
      const mask = pending[f]!;
      pending[f] = 0;
      let c: number;
      if (lastMask[f] === mask) c = lastClass[f]!;
      else {
        c = this.classOf(kind, f, mask);
        while (lastMask.length <= f) {
          lastMask.push(-1);
          lastClass.push(0);
        }
        lastMask[f] = mask;
        lastClass[f] = c;
      }
      const counts = families[f]!.counts;
      counts[c] = counts[c]! + count;
    }
    this.size += count;
  }

  /** The class of (kind, family, mask): looked up, or a new one with no respondents yet. */
  private classOf(kind: number, f: number, mask: number): number {
    const fam = this.families[f]!;
    const index = this.classIndex[kind]!;
    let c: number | undefined;
    let wide: Map<number, number> | undefined;
    if (fam.stats.length <= MASK_BITS) c = index.narrow.get(f * (1 << MASK_BITS) + mask);
    else {
      wide = index.wide.get(f);
      if (!wide) index.wide.set(f, (wide = new Map()));
      c = wide.get(mask);
    }
    if (c === undefined) {
      c = fam.counts.length;
      if (wide) wide.set(mask, c);
      else index.narrow.set(f * (1 << MASK_BITS) + mask, c);
      fam.kinds.push(kind);
      fam.masks.push(mask);
      fam.counts.push(0);
    }
    return c;
  }

  /** Classes over all families (what the disclosure decision works on). */
  get classes(): number {
    return this.families.reduce((n, f) => n + f.counts.length, 0);
  }

  data(): ContributionTableData {
    return {
      composites: this.composites,
      earlier: this.earlier,
      size: this.size,
      kinds: this.kinds,
      families: this.families.map(({ stats, kinds, masks, counts }) => ({ stats, kinds, masks, counts })),
    };
  }

  /** Respondents one by one (bit i = respondent i), as the disclosure layer once took them. */
  static ofRespondents(composites: CompositeSpec[], respondents: readonly RespondentContribution[], earlier: readonly (readonly number[])[] = []): ContributionTable {
    const table = new ContributionTable(composites, earlier.length);
    const covered = earlier.map((list) => new Set(list));
    respondents.forEach((r, i) => table.add(r, covered.map((c) => c.has(i))));
    return table;
  }
}

/** Set bits of a 32-bit mask. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const sameComposites = (a: readonly CompositeSpec[], b: readonly CompositeSpec[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The classes behind each statistic, restricted to a group: members are bit sets over the classes of
 * the statistic's family, with the family's class sizes as weights.
 */
export function contributorIndex(table: ContributionTableData) {
  const familyOf = new Map<string, { f: number; bit: number }>();
  table.families.forEach((fam, f) => fam.stats.forEach((x, bit) => familyOf.set(x, { f, bit })));
  const weights = table.families.map((fam) => Float64Array.from(fam.counts));
  const kindGroups = table.kinds.map((k) => new Set(k.groups));
  const none = new Float64Array(0);
  const emptyFor = new Map<string, Bits>();
  return {
    members(statistic: string, group: string): { members: Bits; weights: Float64Array } {
      const s = familyOf.get(statistic);
      if (!s) return { members: emptyFor.get(statistic) ?? emptyBits(0), weights: none };
      const fam = table.families[s.f]!;
      const b = emptyBits(fam.counts.length);
      const bit = 1 << s.bit;
      for (let c = 0; c < fam.counts.length; c++) if ((fam.masks[c]! & bit) !== 0 && kindGroups[fam.kinds[c]!]!.has(group)) setBit(b, c);
      return { members: b, weights: weights[s.f]! };
    },
    /** members restricted to the respondents earlier release r covered. */
    restrict(statistic: string, members: Bits, release: number): Bits {
      const s = familyOf.get(statistic);
      if (!s) return members;
      const fam = table.families[s.f]!;
      const out = emptyBits(fam.counts.length);
      for (let c = 0; c < fam.counts.length; c++) if (hasBit(members, c) && table.kinds[fam.kinds[c]!]!.covered[release]) setBit(out, c);
      return out;
    },
    /** Group keys per dimension among employee respondents (not stated included when present). */
    groupsOf(dimension: SegmentDimension): string[] {
      const prefix = `${dimension}:`;
      const seen = new Set<string>();
      for (const k of table.kinds) for (const g of k.groups) if (g.startsWith(prefix)) seen.add(g.slice(prefix.length));
      return [...seen];
    },
  };
}
export type ContributorIndex = ReturnType<typeof contributorIndex>;

// --- the figures of a view ------------------------------------------------------------------------

export interface FigureSlot {
  statistic: string;
  group: string;
  /** The n the view states for this figure, or null when it shows no figure there. */
  n: number | null;
}

/**
 * Every figure slot of a view: each place where the model states a number about respondents, with the
 * statistic and group it describes. Derived numbers (deltas, gaps, bands, moves, priorities) are not
 * slots: they follow their base figures.
 */
export function figureSlots(model: ResultModel): FigureSlot[] {
  const g = viewGroup(model);
  const out: FigureSlot[] = [];
  const push = (statistic: string, group: string, n: number | null) => out.push({ statistic, group, n });
  const r = model.response;
  if (g === ALL_GROUP) {
    push(STAT.respondents, g, r.submitted);
    for (const f of r.perForm) push(f.form === 'employee' ? STAT.employees : STAT.managers, g, f.submitted);
    for (const d of r.perSegment) for (const grp of d.groups) push(STAT.employees, groupId(d.dimension, grp.key), grp.hidden ? null : grp.submitted);
  } else {
    push(STAT.employees, g, r.submitted);
  }
  for (const m of model.mechanisms) {
    push(STAT.scale(m.mechanismId), g, m.score?.n ?? null);
    push(STAT.scaleAnswers(m.mechanismId), g, m.distribution?.respondents ?? null);
    push(STAT.alpha(m.mechanismId), g, m.alpha?.n ?? null);
    for (const it of m.items) push(STAT.item(it.itemId), g, it.score?.n ?? null);
  }
  for (const p of model.perspectives.mechanisms) {
    push(STAT.mgmtScale(p.mechanismId), g, p.management.suppressed ? null : (p.management.score?.n ?? null));
    push(STAT.mgmtScaleAnswers(p.mechanismId), g, p.management.suppressed ? null : (p.management.distribution?.respondents ?? null));
    for (const it of p.items) push(STAT.mgmtItem(it.itemId), g, it.management.suppressed ? null : (it.management.score?.n ?? null));
  }
  for (const d of model.segments) {
    for (const grp of d.groups) {
      const gid = groupId(d.dimension, grp.key);
      push(STAT.employees, gid, grp.hidden ? null : grp.n);
      const mechanisms = grp.hidden ? model.mechanisms.map((m) => ({ mechanismId: m.mechanismId, score: null })) : grp.mechanisms;
      for (const c of mechanisms) {
        push(STAT.scale(c.mechanismId), gid, c.score?.n ?? null);
        // The segments state no separate n for the favourable share; it rests on the group's answerers.
        push(STAT.scaleAnswers(c.mechanismId), gid, 'favourable' in c && c.favourable !== null ? (c.score?.n ?? 0) : null);
      }
    }
  }
  for (const grp of model.dialogue.groups) {
    if (grp.group !== 'employee') continue;
    for (const f of grp.frames) push(STAT.placement(f.frame), g, f.summary?.n ?? null);
  }
  if (model.factors.included) {
    push(STAT.factorRaters, g, model.factors.respondents);
    for (const fg of model.factors.groups) for (const f of fg.factors) push(STAT.factor(f.factorId), g, f.n);
  }
  return out;
}

// --- removing what may not be published -----------------------------------------------------------

/** Removes every figure `published(statistic, group)` refuses, and the numbers derived from it. */
export function applyDisclosure(model: ResultModel, published: (statistic: string, group: string) => boolean): ResultModel {
  const m: ResultModel = structuredClone(model);
  const g = viewGroup(m);
  const ok = (s: string, grp = g) => published(s, grp);

  // response
  const r = m.response;
  // A count of 0 describes nobody, so it stays (it tells "no management respondents" from "too few").
  if (g === ALL_GROUP) {
    if (r.submitted !== 0 && !ok(STAT.respondents)) {
      r.submitted = null;
      r.rate = null;
    }
    for (const f of r.perForm) {
      if (f.submitted !== 0 && !ok(f.form === 'employee' ? STAT.employees : STAT.managers)) {
        f.submitted = null;
        f.rate = null;
        f.belowThreshold = true;
      }
    }
    r.perSegment = r.perSegment.map((d) => ({
      ...d,
      groups: d.groups.map((grp) =>
        !grp.hidden && !ok(STAT.employees, groupId(d.dimension, grp.key)) ? { hidden: true as const, key: grp.key, label: grp.label } : grp,
      ),
    }));
  } else if (!ok(STAT.employees)) {
    r.submitted = null;
    r.rate = null;
    for (const f of r.perForm) {
      f.submitted = null;
      f.rate = null;
      f.belowThreshold = true;
    }
  }
  limitInvited(r, effectiveK(m.meta.threshold));

  // mechanisms and items
  for (const mech of m.mechanisms) {
    const id = mech.mechanismId;
    const scoreOk = mech.score !== null && ok(STAT.scale(id));
    const answersOk = mech.distribution !== null && ok(STAT.scaleAnswers(id));
    if (!scoreOk) {
      mech.score = null;
      mech.band = null;
      mech.advice = null;
      mech.suppressed = true;
      mech.percentiles = hiddenPercentiles(mech.percentiles);
    }
    if (!answersOk || !scoreOk) {
      mech.favourable = null;
      mech.distribution = null;
    }
    if (mech.alpha !== null && (!ok(STAT.alpha(id)) || !scoreOk)) mech.alpha = null;
    mech.benchmarks = mech.benchmarks.map((b) => {
      const own = b.metric === 'mean' ? (mech.score?.mean ?? null) : mech.favourable;
      return own === null ? { ...b, own: null, delta: null } : b;
    });
    for (const item of mech.items) {
      if (item.suppressed || ok(STAT.item(item.itemId))) continue;
      item.suppressed = true;
      item.score = null;
      item.favourable = null;
      item.distribution = null;
      item.publishedDelta = null;
      item.benchmarks = item.benchmarks.map((b) => ({ ...b, own: null, delta: null }));
    }
  }

  // perspectives
  const mechById = new Map(m.mechanisms.map((x) => [x.mechanismId, x]));
  for (const p of m.perspectives.mechanisms) {
    const mech = mechById.get(p.mechanismId);
    p.employee = employeeSide(p.employee, mech);
    p.management = limitSide(p.management, ok(STAT.mgmtScale(p.mechanismId)), ok(STAT.mgmtScaleAnswers(p.mechanismId)));
    p.gap = gapOf(p.employee, p.management);
    for (const it of p.items) {
      const e = mech?.items.find((x) => x.itemId === it.itemId);
      if (!e || e.suppressed) it.employee = { suppressed: true };
      if (!it.management.suppressed && !ok(STAT.mgmtItem(it.itemId))) it.management = { suppressed: true };
      it.gap = gapOf(it.employee, it.management);
    }
  }

  // segments and heatmap
  for (const d of m.segments) {
    d.groups = d.groups.map((grp) => {
      const gid = groupId(d.dimension, grp.key);
      if (grp.hidden) return grp;
      if (!ok(STAT.employees, gid)) return { hidden: true as const, suppressed: true as const, key: grp.key, label: grp.label };
      return {
        ...grp,
        mechanisms: grp.mechanisms.map((c) => {
          const scoreOk = c.score !== null && ok(STAT.scale(c.mechanismId), gid);
          const favOk = scoreOk && c.favourable !== null && ok(STAT.scaleAnswers(c.mechanismId), gid);
          return { ...c, suppressed: !scoreOk, score: scoreOk ? c.score : null, favourable: favOk ? c.favourable : null };
        }),
      };
    });
  }
  const overall = new Map(m.mechanisms.map((x) => [x.mechanismId, x.score?.mean ?? null]));
  m.heatmap.rows = m.heatmap.rows.map((row) => {
    const seg = m.segments.find((d) => d.dimension === row.dimension)?.groups.find((x) => x.key === row.key);
    if (!seg || seg.hidden) return { ...row, hidden: true, suppressed: true, cells: [] };
    return {
      ...row,
      cells: seg.mechanisms.map((c) => {
        const o = overall.get(c.mechanismId) ?? null;
        return {
          mechanismId: c.mechanismId,
          mean: c.score?.mean ?? null,
          favourable: c.favourable,
          deltaFromOverall: c.score && o !== null ? c.score.mean - o : null,
        };
      }),
    };
  });

  // dialogue (employee means only; staff placements are named by design)
  for (const grp of m.dialogue.groups) {
    if (grp.group !== 'employee') continue;
    grp.frames = grp.frames.map((f) => (f.summary && !ok(STAT.placement(f.frame)) ? { frame: f.frame, summary: null, suppressed: true } : f));
    const cur = grp.frames.find((f) => f.frame === 'current')?.summary;
    const des = grp.frames.find((f) => f.frame === 'desired')?.summary;
    if (!cur || !des) grp.move = null;
  }
  const shownMean = new Set<string>();
  for (const grp of m.dialogue.groups) for (const f of grp.frames) if (f.summary) shownMean.add(`${grp.group}/${f.frame}`);
  m.dialogue.disagreements = m.dialogue.disagreements.filter((d) => shownMean.has(`${d.groupA}/${d.frame}`) && shownMean.has(`${d.groupB}/${d.frame}`));

  // factors
  if (m.factors.included) {
    const ratersOk = m.factors.respondents !== null && ok(STAT.factorRaters);
    if (!ratersOk) {
      m.factors.respondents = null;
      m.factors.suppressed = true;
    }
    for (const fg of m.factors.groups) {
      fg.factors = fg.factors.map((f) => {
        if (ratersOk && f.mean !== null && ok(STAT.factor(f.factorId))) return f;
        return { ...f, suppressed: true, n: null, mean: null, stimulating: null, hindering: null, counts: null, notApplicable: null };
      });
    }
    const all = m.factors.groups.flatMap((fg) => fg.factors).filter((f) => f.mean !== null);
    const visible = new Set(all.map((f) => f.factorId));
    m.factors.topStimulating = m.factors.topStimulating.filter((id) => visible.has(id));
    m.factors.topHindering = m.factors.topHindering.filter((id) => visible.has(id));
  }

  // trend: the current side follows the published figures
  for (const t of m.trend.mechanisms) {
    const mech = mechById.get(t.mechanismId);
    t.currentMean = mech?.score?.mean ?? null;
    t.currentFavourable = mech?.favourable ?? null;
    t.changeMean = t.previousMean !== null && t.currentMean !== null ? t.currentMean - t.previousMean : null;
    t.changeFavourable = t.previousFavourable !== null && t.currentFavourable !== null ? t.currentFavourable - t.previousFavourable : null;
  }
  for (const t of m.trend.items) {
    const item = mechById.get(t.mechanismId)?.items.find((x) => x.itemId === t.itemId);
    t.currentMean = item?.score?.mean ?? null;
    t.currentFavourable = item?.favourable ?? null;
    t.changeMean = t.previousMean !== null && t.currentMean !== null ? t.currentMean - t.previousMean : null;
    t.changeFavourable = t.previousFavourable !== null && t.currentFavourable !== null ? t.currentFavourable - t.previousFavourable : null;
  }
  return m;
}

/**
 * Invitation counts are counts of people too: a count of 1..k-1 is withheld (null, and the rate made
 * of it), and so is one that gives a withheld one by subtraction (the round's invitations minus one
 * form's; the employee form's minus the departments shown). A count of 0 stays.
 */
function limitInvited(r: ResultModel['response'], k: number): void {
  const small = (n: number | null) => n !== null && n > 0 && n < k;
  // A rate is personal submitted / invited: it gives the personal-link count (and, next to the
  // submitted count, the rest through shared links or imports). Either of 1..k-1 withholds the rate.
  const limitRate = (x: { invited: number | null; submitted: number | null; rate: number | null }) => {
    if (x.rate === null || x.invited === null) return;
    const personal = Math.round((x.rate * x.invited) / 100);
    if (small(personal) || (x.submitted !== null && small(x.submitted - personal))) x.rate = null;
  };
  for (const f of r.perForm) {
    if (small(f.invited)) {
      f.invited = null;
      f.rate = null;
    }
  }
  const hiddenForms = r.perForm.filter((f) => f.invited === null).length;
  if (small(r.invited) || (hiddenForms > 0 && r.perForm.some((f) => f.invited !== null))) {
    r.invited = null;
    r.rate = null;
  }
  for (const f of r.perForm) limitRate(f);
  limitRate(r);
  const employee = r.perForm.find((f) => f.form === 'employee');
  for (const d of r.perSegment) {
    if (d.dimension !== 'department') continue;
    const shown = d.groups.filter((g): g is Extract<typeof g, { hidden: false }> => !g.hidden);
    for (const g of shown) {
      if (small(g.invited)) {
        g.invited = null;
        g.rate = null;
      }
    }
    // Employee invitations minus the departments shown: the rest must be 0 or at least k.
    const total = employee?.invited ?? null;
    if (total === null) continue;
    const visible = () => shown.filter((g) => g.invited !== null && g.invited > 0);
    for (;;) {
      const rest = total - visible().reduce((s, g) => s + (g.invited ?? 0), 0);
      if (rest === 0 || rest >= k) break;
      const smallest = visible().sort((a, b) => (a.invited ?? 0) - (b.invited ?? 0))[0];
      if (!smallest) break;
      smallest.invited = null;
      smallest.rate = null;
    }
    for (const g of shown) limitRate(g);
  }
}

function hiddenPercentiles(p: MechanismResult['percentiles']): MechanismResult['percentiles'] {
  const hide = (x: MechanismResult['percentiles']['overall']) =>
    x.shown ? { shown: false as const, reason: 'no_score' as const, minimumGroupSize: 0 } : x;
  return { overall: hide(p.overall), sector: hide(p.sector), sizeClass: hide(p.sizeClass) };
}

function employeeSide(side: PerspectiveSide, mech: MechanismResult | undefined): PerspectiveSide {
  if (side.suppressed || !mech || mech.score === null) return { suppressed: true };
  return { ...side, score: mech.score, favourable: mech.favourable, distribution: mech.distribution };
}

function limitSide(side: PerspectiveSide, scoreOk: boolean, answersOk: boolean): PerspectiveSide {
  if (side.suppressed) return side;
  if (!scoreOk || side.score === null) return { suppressed: true };
  if (!answersOk) return { ...side, favourable: null, distribution: null, publishedDelta: null };
  return side;
}

function gapOf(e: PerspectiveSide, mg: PerspectiveSide) {
  if (e.suppressed || mg.suppressed) return { mean: null, favourable: null };
  return {
    mean: e.score && mg.score ? mg.score.mean - e.score.mean : null,
    favourable: e.favourable !== null && mg.favourable !== null ? mg.favourable - e.favourable : null,
  };
}

// --- the whole release ----------------------------------------------------------------------------

export interface PublishedEarlier {
  /** Views of an earlier release a reader may have kept. */
  views: readonly ResultModel[];
  /**
   * Index of the respondents that release covered (the same numbering as `respondents`). Only with
   * `respondents`: a ContributionTable knows who each earlier release covered.
   */
  covered?: readonly number[];
}

export interface DiscloseInput {
  k: number;
  /** Candidate views: the unfiltered model and one per segment group (meta.segmentFilter set). */
  views: readonly ResultModel[];
  /** The round's respondents in classes (ContributionTable over compositesOf(unfiltered view)). */
  table?: ContributionTableData;
  /** Or the respondents one by one (folded into a table here). */
  respondents?: readonly RespondentContribution[];
  earlier?: readonly PublishedEarlier[];
}

export interface DiscloseResult {
  /** The unfiltered view, disclosed. */
  main: ResultModel;
  /** Filtered views that may be served, by group id `dimension:value`. */
  segments: Map<string, ResultModel>;
  /** Suppressed (statistic@group) with the rule that suppressed it: for methodology figures and tests. */
  suppressed: Map<string, DisclosureReason>;
}

const slotKey = (statistic: string, group: string) => `${statistic}@${group}`;

/** Runs the disclosure rules over every view of a release (and earlier releases) and applies them. */
export function discloseRelease(input: DiscloseInput): DiscloseResult {
  const k = effectiveK(input.k);
  const main = input.views.find((v) => v.meta.segmentFilter === null);
  if (!main) throw new RangeError('discloseRelease needs the unfiltered view');
  const composites = compositesOf(main);
  const earlier = input.earlier ?? [];
  let table = input.table;
  if (!table) {
    table = ContributionTable.ofRespondents(composites, input.respondents ?? [], earlier.map((e) => e.covered ?? [])).data();
  } else if (!sameComposites(table.composites, composites) || table.earlier !== earlier.length) {
    throw new RangeError('the contribution table was built for other views or other earlier releases');
  }
  const index = contributorIndex(table);

  const figures: FigureCandidate[] = [];
  const seen = new Set<string>();
  const statistics = new Set<string>();
  const addSlot = (statistic: string, group: string, absent: boolean) => {
    const key = slotKey(statistic, group);
    statistics.add(statistic);
    if (seen.has(key)) return;
    seen.add(key);
    figures.push({ key, statistic, group, ...index.members(statistic, group), absent });
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

  earlier.forEach((release, r) => {
    for (const v of release.views) {
      for (const s of figureSlots(v)) {
        if (s.n === null) continue;
        const key = `${slotKey(s.statistic, s.group)}#${r}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { members, weights } = index.members(s.statistic, s.group);
        figures.push({ key, statistic: s.statistic, group: s.group, members: index.restrict(s.statistic, members, r), weights, fixed: true });
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
