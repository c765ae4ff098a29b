// The extra result sections of issue 17, composed from respondent rows and disclosed: management roles
// as separate perspectives, who learns less (the source's groups against the rest), and the optional
// modules (motivation profile, learning mix beside 70-20-10, open answers). Pure: the rows come from
// load.ts. Every figure goes through decideDisclosure (scans/disclosure/decide.ts) with the groups'
// partitions, and with the main release's figures of the same groups as fixed figures, so that no
// group below k can be read by subtracting one shown figure from another (also across sections and
// across releases). Open answers use the free-text threshold (at least 10, or k when higher).
import { FREE_TEXT_MIN, effectiveK } from '../../../scans/anonymity.js';
import { ALL_GROUP, andBits, bitsOf, countBits, decideDisclosure, emptyBits, setBit, type Bits, type CompositeSpec, type FigureCandidate, type PartitionSpec } from '../../../scans/disclosure/index.js';
import { BACKGROUND_QUESTIONS, EXTRA_BACKGROUND_QUESTIONS, MANAGEMENT_ROLE_QUESTION, NOT_STATED, NOT_STATED_LABEL } from '../../../scans/instruments/background.js';
import type { CultureScanInstrument } from '../../../scans/instruments/schemas.js';
import {
  LEARNS_LESS_ADVICE,
  LEARNS_LESS_BASIS,
  LEARNS_LESS_GROUPS,
  MODEL_70_20_10,
  MOTIVATION_FACETS,
  MOTIVATION_MOVES,
  OPEN_PROMPTS,
  countThemes,
  learnsLessGroupsOf,
  learningMix,
  motivationProfileOf,
  motivationScoresOf,
  unorderedList,
  weakestNeed,
  type LearnsLessGroupId,
  type LearningMix,
  type MotivationFacet,
  type MotivationProfile,
  type OpenPrompt,
} from '../../../scans/modules/index.js';
import { keyedValue, minItemsForScore, roundTo, scoreRespondentScale, type AnswersByItemId } from '../../../scans/scoring/scales.js';
import { mean } from '../../../scans/scoring/stats.js';
import type { LocalizedText, MechanismId } from '../../../scans/types.js';
import { PackReader } from '../packs.js';

export const EXTRA_DIMENSIONS = ['department', 'role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours'] as const;
export type ExtraDimension = (typeof EXTRA_DIMENSIONS)[number];
/** Dimensions the main release also shows (its figures of these groups are fixed here). */
const MAIN_DIMENSIONS: readonly ExtraDimension[] = ['department', 'role', 'education', 'contract', 'age_band'];

export interface ExtraRespondent {
  id: string;
  form: 'employee' | 'management';
  background: Partial<Record<ExtraDimension, string | null>>;
  /** Culture-scan answers by item id (1..5 or null). */
  answers: Readonly<Record<string, number | null>>;
  motivation: Readonly<Record<string, number | null>>;
  learning: string | null;
  open: Partial<Record<OpenPrompt, string>>;
}

/**
 * An ExtraRespondent as it is read and sent to the worker thread: the culture-scan answers still as the
 * response's answer pack (migration 0023), one string instead of an object of ~40 keys per respondent.
 */
export type PackedExtraRespondent = Omit<ExtraRespondent, 'answers'> & { answerPack: string | null };

/**
 * A packed respondent as the collector keeps it: a class, so each one is an object of fixed shape, not
 * a copy with an accessor and a closure of its own. Its answers are not kept: the collector scored them
 * on arrival (the answer pack was ~300 of the 674 bytes a respondent held on the extras' worker).
 */
class ScoredOnArrival implements ExtraRespondent {
  readonly id: string;
  readonly form: ExtraRespondent['form'];
  readonly background: ExtraRespondent['background'];
  readonly motivation: ExtraRespondent['motivation'];
  readonly learning: string | null;
  readonly open: ExtraRespondent['open'];
  constructor(r: PackedExtraRespondent, strings: StringPool) {
    this.id = r.id;
    this.form = strings.one(r.form);
    this.background = strings.background(r.background);
    this.motivation = isEmpty(r.motivation) ? NONE : r.motivation;
    this.learning = strings.one(r.learning);
    this.open = isEmpty(r.open) ? NONE : r.open;
  }
  get answers(): never {
    throw new Error('the culture-scan answers of a collected respondent were scored on arrival and not kept');
  }
}

/** The one empty record every respondent without motivation or open answers shares. */
const NONE: Readonly<Record<string, never>> = Object.freeze({});

function isEmpty(record: object): boolean {
  for (const _ in record) return false;
  return true;
}

/**
 * One instance of each string value: a respondent that reaches the worker thread is a structured
 * clone, which copies every string of it, so 100,000 respondents held 700,000 copies of a few dozen
 * background values. Interned, each is a pointer to one string (the values are the round's answer
 * options and department names, so the pool stays small).
 */
class StringPool {
  private readonly pool = new Map<string, string>();
  private readonly backgrounds = new Map<string, ExtraRespondent['background']>();
  one<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.pool.get(value);
    if (known !== undefined) return known as T;
    this.pool.set(value, value);
    return value;
  }

  /**
   * One frozen background object per combination of values (and of dimensions present): a round has
   * far fewer combinations than respondents, and an object of its own per respondent was ~95 bytes
   * each (9.5 MB of the extras worker's 68 MB at 100,000 respondents, in a heap snapshot).
   */
  background(b: ExtraRespondent['background']): ExtraRespondent['background'] {
    // JSON: any value (a department name is free text) is its own key; 0 marks a dimension not present.
    const key = JSON.stringify(EXTRA_DIMENSIONS.map((d) => (d in b ? (b[d] ?? null) : 0)));
    const known = this.backgrounds.get(key);
    if (known) return known;
    const background: ExtraRespondent['background'] = {};
    for (const d of EXTRA_DIMENSIONS) if (d in b) background[d] = this.one(b[d] ?? null);
    Object.freeze(background);
    this.backgrounds.set(key, background);
    return background;
  }
}

type ScaleOf = CultureScanInstrument['scales'][number];

/**
 * Collects the respondents of composeResultExtras as they arrive (read from the database, or chunk by
 * chunk on the worker thread), packed or not, and scores each one's culture-scan scales on arrival into
 * one column per mechanism: the scores composeResultExtras would work out from the answers, so a packed
 * respondent's answers need not be kept. A packed respondent becomes a ScoredOnArrival whose strings are
 * shared with the earlier ones and whose empty records are one shared object; an unpacked one is kept
 * as it is.
 */
export class ExtraRespondentCollector {
  readonly respondents: ExtraRespondent[] = [];
  private readonly strings = new StringPool();
  private readonly scales: readonly ScaleOf[];
  private columns: Float64Array[];

  /** A packed respondent's answers read by slot (PackReader), each slot's place on the scales looked up once. */
  private readonly reader = new PackReader();
  /** Per slot: the (scale, reverse-keyed) places of its item, null for an item on no scale; undefined until first seen. */
  private readonly places: Array<ReadonlyArray<{ scale: number; reverse: boolean }> | null | undefined> = [];
  private readonly placesOfItem = new Map<string, Array<{ scale: number; reverse: boolean }>>();
  private readonly minItems: number[];
  /** Per scale, the keyed sum and number of valid answers of the respondent being scored. */
  private readonly sums: Float64Array;
  private readonly counts: Int32Array;

  constructor(instrument: CultureScanInstrument | undefined) {
    this.scales = instrument?.scales ?? [];
    this.columns = this.scales.map(() => new Float64Array(1024));
    this.scales.forEach((scale, j) =>
      scale.items.forEach((item) => {
        const at = this.placesOfItem.get(item.id) ?? [];
        at.push({ scale: j, reverse: item.reverse });
        this.placesOfItem.set(item.id, at);
      }),
    );
    this.minItems = this.scales.map((s) => minItemsForScore(s.items.length));
    this.sums = new Float64Array(this.scales.length);
    this.counts = new Int32Array(this.scales.length);
  }

  add(r: ExtraRespondent | PackedExtraRespondent): void {
    const i = this.respondents.length;
    if (i === this.columns[0]?.length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(c.length * 2);
        grown.set(c);
        return grown;
      });
    }
    const packed = 'answerPack' in r;
    if (packed) this.scorePack(r.answerPack, i);
    else scoreRow(this.scales, r.answers, this.columns, i);
    this.respondents.push(packed ? new ScoredOnArrival(r, this.strings) : r);
  }

  /**
   * scoreRow for an answer pack, read in place: the keyed sum and count per scale, the score their
   * mean with enough answers (scoreRespondentScale's; the sums are of small integers, so exact in any
   * order). Unpacking each pack into an object of ~45 keys first was ~0.8 s of the extras worker's
   * 1.9 s at the 100,000-respondent close, most of it in building those objects and collecting them.
   */
  private scorePack(pack: string | null, i: number): void {
    const { sums, counts, places, reader } = this;
    sums.fill(0);
    counts.fill(0);
    reader.forEach(pack, (slot, value) => {
      let at = places[slot];
      if (at === undefined) places[slot] = at = this.placesOfItem.get(reader.ids[slot]!) ?? null;
      if (at === null) return;
      for (const p of at) {
        const keyed = keyedValue(p, value);
        if (keyed === null) continue;
        sums[p.scale] = sums[p.scale]! + keyed;
        counts[p.scale] = counts[p.scale]! + 1;
      }
    });
    for (let j = 0; j < this.scales.length; j++) this.columns[j]![i] = counts[j]! >= this.minItems[j]! ? sums[j]! / counts[j]! : Number.NaN;
  }

  /** The extras' input with the respondents collected and their scale scores. */
  input(rest: Omit<ExtrasInput, 'respondents' | 'scaleScores'>): ExtrasInput {
    const n = this.respondents.length;
    const mechanisms = (scales: readonly ScaleOf[] | undefined) => (scales ?? []).map((s) => s.mechanism).join();
    if (mechanisms(rest.instrument?.scales) !== mechanisms(this.scales)) throw new Error('the extras input has another instrument than the respondents were scored with');
    return { ...rest, respondents: this.respondents, scaleScores: new Map(this.scales.map((s, j) => [s.mechanism, this.columns[j]!.subarray(0, n)])) };
  }
}

export interface ExtrasInput {
  k: number;
  instrument: CultureScanInstrument | undefined;
  surveyModules: readonly string[];
  respondents: readonly ExtraRespondent[];
  /**
   * The respondents' scale scores per mechanism (NaN: no score), in the respondents' order, as
   * ExtraRespondentCollector works them out on arrival; without it they are worked out from the answers.
   */
  scaleScores?: ReadonlyMap<MechanismId, Float64Array>;
  /** Earlier releases' extras (published slot keys) with the respondents they covered: fixed figures. */
  earlier?: ReadonlyArray<{ published: readonly string[]; covered: readonly string[] }>;
}

type MechanismFigure = { mechanismId: MechanismId; mean: number | null; n: number | null };
export interface GroupRef {
  group: string;
  dimension: ExtraDimension | null;
  key: string;
  label: LocalizedText;
  hidden: boolean;
}

export interface ResultExtras {
  k: number;
  roles: { groups: Array<GroupRef & { n: number | null; mechanisms: MechanismFigure[] }> };
  learnsLess: {
    groups: Array<{
      id: LearnsLessGroupId;
      label: LocalizedText;
      basis: string;
      hidden: boolean;
      group: { n: number | null; mechanisms: MechanismFigure[] };
      rest: { n: number | null; mechanisms: MechanismFigure[] };
      advice: LocalizedText[];
    }>;
  };
  motivation: {
    included: boolean;
    groups: Array<GroupRef & { profile: MotivationProfile | null; weakest: MotivationFacet | null; move: LocalizedText | null }>;
  };
  learningMix: { included: boolean; model: typeof MODEL_70_20_10; groups: Array<GroupRef & { mix: LearningMix | null }> };
  open: {
    included: boolean;
    minimum: number;
    groups: Array<GroupRef & { prompts: Array<{ prompt: OpenPrompt; n: number; answers: string[]; themes: Array<{ id: string; label: LocalizedText; count: number }> }> | null }>;
  };
  /** Internal: published slot keys (never served; used as fixed figures by a later release). */
  published: string[];
}

const ROLE_LABELS: Record<string, LocalizedText> = {
  ...Object.fromEntries(MANAGEMENT_ROLE_QUESTION.optionsSource === 'fixed' ? MANAGEMENT_ROLE_QUESTION.options.map((o) => [o.value, o.label]) : []),
  manager: { nl: 'Leidinggevende (rol niet nader bepaald)', en: 'Manager (role not specified)' },
  employee: { nl: 'Medewerker', en: 'Employee' },
};

function optionLabel(dimension: ExtraDimension, key: string): LocalizedText {
  if (key === NOT_STATED) return NOT_STATED_LABEL;
  if (dimension === 'department') return { nl: key, en: key };
  const q = [...BACKGROUND_QUESTIONS, ...EXTRA_BACKGROUND_QUESTIONS.map((x) => ({ ...x, optionsSource: 'fixed' as const }))].find((x) => x.id === dimension);
  const found = q && q.optionsSource === 'fixed' ? q.options.find((o) => o.value === key) : undefined;
  return found?.label ?? { nl: key, en: key };
}

const valueOf = (r: ExtraRespondent, d: ExtraDimension) => r.background[d] ?? NOT_STATED;

/** One respondent's score on each scale into that scale's column, at row `i` (NaN: no score). */
function scoreRow(scales: readonly ScaleOf[], answers: AnswersByItemId, columns: readonly Float64Array[], i: number): void {
  for (let j = 0; j < scales.length; j++) columns[j]![i] = scoreRespondentScale(scales[j]!, answers) ?? Number.NaN;
}

/** The scale scores of respondents given with their answers (what ExtraRespondentCollector works out on arrival). */
function scaleScoreColumns(scales: readonly ScaleOf[], rs: readonly ExtraRespondent[]): Map<MechanismId, Float64Array> {
  const columns = scales.map(() => new Float64Array(rs.length));
  rs.forEach((r, i) => scoreRow(scales, r.answers, columns, i));
  return new Map(scales.map((s, j) => [s.mechanism, columns[j]!]));
}

/** Composes and discloses the extra sections. */
export function composeResultExtras(input: ExtrasInput): ResultExtras {
  const k = effectiveK(input.k);
  const openK = Math.max(FREE_TEXT_MIN, k);
  const rs = input.respondents;
  const size = rs.length;
  const scales = input.instrument?.scales ?? [];
  // Per mechanism the respondents' scale scores in one array (NaN: no score), as collected or worked
  // out here. A map per respondent, looked up for every group and mechanism below, cost ~1.3 s of the
  // 100,000-respondent close.
  const scoreOf = input.scaleScores ?? scaleScoreColumns(scales, rs);
  for (const [m, of] of scoreOf) if (of.length !== size) throw new Error(`${of.length} scale scores of ${m} for ${size} respondents`);
  const NO_SCORES = new Float64Array(0);
  const employees = rs.map((_, i) => i).filter((i) => rs[i]!.form === 'employee');
  const managers = rs.map((_, i) => i).filter((i) => rs[i]!.form === 'management');
  const has = (m: string) => input.surveyModules.includes(m);

  const figures: FigureCandidate[] = [];
  const partitions: PartitionSpec[] = [];
  const composites: CompositeSpec[] = [];
  /** The figures of this release by key (the first one of a key: later ones are skipped). */
  const byKey = new Map<string, FigureCandidate>();
  /** A figure's respondents, as indices or as a bit set already. */
  type Members = number[] | Bits;
  const countOf = (members: Members) => (Array.isArray(members) ? members.length : countBits(members));
  const add = (statistic: string, group: string, members: Members, extra: Partial<FigureCandidate> = {}) => {
    const key = `${statistic}@${group}`;
    if (byKey.has(key)) return;
    const figure: FigureCandidate = { key, statistic, group, members: Array.isArray(members) ? bitsOf(members, size) : members, ...extra };
    byKey.set(key, figure);
    figures.push(figure);
  };
  const scored = (idx: number[], m: MechanismId) => {
    const of = scoreOf.get(m) ?? NO_SCORES;
    return idx.filter((i) => i < of.length && !Number.isNaN(of[i]!));
  };
  // The respondents of a group with a score on a mechanism, as a bit set: the group's bits (made once
  // per group) and the mechanism's scored bits (once per mechanism), word by word. Filtering every
  // group's indices per mechanism (scored) was ~0.5 s of the extras at 100,000 respondents.
  const groupBits = new Map<number[], Bits>();
  const bitsOfGroup = (idx: number[]) => {
    let b = groupBits.get(idx);
    if (!b) groupBits.set(idx, (b = bitsOf(idx, size)));
    return b;
  };
  const scoredAll = new Map<MechanismId, Bits>();
  const scoredBits = (idx: number[], m: MechanismId): Bits => {
    let all = scoredAll.get(m);
    if (!all) {
      const of = scoreOf.get(m) ?? NO_SCORES;
      all = emptyBits(size);
      for (let i = 0; i < of.length && i < size; i++) if (!Number.isNaN(of[i]!)) setBit(all, i);
      scoredAll.set(m, all);
    }
    return andBits(bitsOfGroup(idx), all);
  };
  const meanOf = (idx: number[], m: MechanismId) => {
    const of = scoreOf.get(m) ?? NO_SCORES;
    const v = mean(scored(idx, m).map((i) => of[i]!));
    return v === null ? null : roundTo(v, 2);
  };

  // Groups of employees per dimension (the main release's and the two new ones).
  const groupsOf = (pool: number[], d: ExtraDimension) => {
    const by = new Map<string, number[]>();
    for (const i of pool) {
      const v = valueOf(rs[i]!, d);
      const list = by.get(v);
      if (list) list.push(i);
      else by.set(v, [i]);
    }
    return by;
  };
  const empGroups = new Map(EXTRA_DIMENSIONS.map((d) => [d, groupsOf(employees, d)] as const));

  // --- main-release figures of the same groups, fixed (published there) when at least k --------------
  const mechStats = scales.map((s) => s.mechanism);
  const mainFixed = (statistic: string, group: string, members: Members) =>
    add(statistic, group, members, countOf(members) >= k ? { fixed: true } : { absent: true });
  // Parents of partitions stay ordinary figures: the partition rule reads only non-fixed parents, and
  // suppresses children before it would suppress the parent (which this section never shows anyway).
  const parent = (statistic: string, group: string, members: Members) => add(statistic, group, members, countOf(members) >= k ? {} : { absent: true });
  parent('employees', ALL_GROUP, employees);
  for (const d of MAIN_DIMENSIONS) for (const [v, idx] of empGroups.get(d)!) mainFixed('employees', `${d}:${v}`, idx);
  if (input.instrument) {
    for (const m of mechStats) {
      parent(`scale:${m}`, ALL_GROUP, scoredBits(employees, m));
      parent(`mgmt-scale:${m}`, 'mgmt:all', scoredBits(managers, m));
      for (const d of MAIN_DIMENSIONS) for (const [v, idx] of empGroups.get(d)!) mainFixed(`scale:${m}`, `${d}:${v}`, scoredBits(idx, m));
    }
  }

  // --- roles on the management form ------------------------------------------------------------------
  const roleGroups = groupsOf(managers, 'role');
  if (input.instrument && managers.length > 0) {
    partitions.push({ parent: 'mgmt:all', children: [...roleGroups.keys()].map((v) => `mgmt-role:${v}`) });
    parent('mgmt-n', 'mgmt:all', managers);
    for (const [v, idx] of roleGroups) {
      add('mgmt-n', `mgmt-role:${v}`, idx);
      for (const m of mechStats) add(`mgmt-scale:${m}`, `mgmt-role:${v}`, scoredBits(idx, m));
    }
  }

  // --- who learns less: each group against the rest of the employees --------------------------------
  const llMembers = new Map<LearnsLessGroupId, { in: number[]; rest: number[]; basis: string }>();
  if (input.instrument) {
    for (const g of LEARNS_LESS_GROUPS) {
      const inside = employees.filter((i) => learnsLessGroupsOf(rs[i]!.background).includes(g.id));
      const isInside = new Set(inside);
      const rest = employees.filter((i) => !isInside.has(i));
      llMembers.set(g.id, { in: inside, rest, basis: LEARNS_LESS_BASIS[g.id] });
      partitions.push({ parent: ALL_GROUP, children: [`ll:${g.id}`, `ll-rest:${g.id}`] });
      for (const m of mechStats) {
        add(`scale:${m}`, `ll:${g.id}`, scoredBits(inside, m));
        add(`scale:${m}`, `ll-rest:${g.id}`, scoredBits(rest, m));
      }
      add('employees', `ll:${g.id}`, inside);
      add('employees', `ll-rest:${g.id}`, rest);
    }
  }
  // The employee partitions per dimension (the main release's groups and tenure, contract hours).
  const dimensionPartitions: PartitionSpec[] = EXTRA_DIMENSIONS.map((d) => ({ parent: ALL_GROUP, children: [...empGroups.get(d)!.keys()].map((v) => `${d}:${v}`) })).filter((p) => p.children.length > 0);
  partitions.push(...dimensionPartitions);

  // --- modules: per group of every dimension ---------------------------------------------------------
  const moduleGroups: Array<{ group: string; dimension: ExtraDimension | null; key: string; idx: number[] }> = [
    { group: ALL_GROUP, dimension: null, key: ALL_GROUP, idx: employees },
    ...EXTRA_DIMENSIONS.flatMap((d) => [...empGroups.get(d)!].map(([v, idx]) => ({ group: `${d}:${v}`, dimension: d, key: v, idx }))),
  ];
  // Each respondent's motivation scores, worked out once, not once per group they are in.
  const motivation = has('motivation') ? motivationScoresOf(rs.map((r) => r.motivation)) : null;
  for (const g of moduleGroups) {
    if (motivation) {
      const facets = MOTIVATION_FACETS.map((f) => motivation.facets.get(f)!);
      add('mot', g.group, g.idx.filter((i) => facets.some((of) => !Number.isNaN(of[i]!))));
      MOTIVATION_FACETS.forEach((f, j) => add(`mot:${f}`, g.group, g.idx.filter((i) => !Number.isNaN(facets[j]![i]!))));
    }
    if (has('learning_mix')) add('mix', g.group, g.idx.filter((i) => rs[i]!.learning !== null));
  }
  const gateOf = (statistic: string) => {
    if (statistic.startsWith('mot:')) return 'mot';
    if (statistic.startsWith('mgmt-scale:')) return 'mgmt-n';
    if (statistic.startsWith('scale:')) return 'employees';
    return null;
  };

  // Earlier releases: what they published stays published, restricted to the respondents they covered.
  const position = new Map(rs.map((r, i) => [r.id, i]));
  (input.earlier ?? []).forEach((e, n) => {
    const covered = new Set(e.covered.map((id) => position.get(id)).filter((i): i is number => i !== undefined));
    for (const key of e.published) {
      const f = byKey.get(key);
      if (!f) continue;
      const members = [...covered].filter((i) => ((f.members[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0);
      figures.push({ key: `${key}#${n}`, statistic: f.statistic, group: f.group, members: bitsOf(members, size), fixed: true });
    }
  });

  const decision = decideDisclosure({ k, figures, partitions, composites, gateOf });
  const ok = (statistic: string, group: string) => decision.isPublished(`${statistic}@${group}`) && !byKey.get(`${statistic}@${group}`)?.absent;
  const n = (statistic: string, group: string) => countBits(byKey.get(`${statistic}@${group}`)!.members);

  // Open answers: their own decision with the free-text threshold, on the same partitions.
  const openFigures: FigureCandidate[] = [];
  if (has('open_questions')) {
    for (const g of moduleGroups) {
      for (const p of OPEN_PROMPTS) {
        openFigures.push({ key: `open:${p}@${g.group}`, statistic: `open:${p}`, group: g.group, members: bitsOf(g.idx.filter((i) => !!rs[i]!.open[p]), size) });
      }
    }
  }
  const openDecision = decideDisclosure({ k: openK, figures: openFigures, partitions: dimensionPartitions });

  const published = figures.filter((f) => !f.fixed && !f.absent && decision.isPublished(f.key)).map((f) => f.key);
  published.push(...openFigures.filter((f) => openDecision.isPublished(f.key)).map((f) => f.key));

  const mechanismsOf = (group: string, idx: number[], stat = (m: string) => `scale:${m}`): MechanismFigure[] =>
    mechStats.map((m) => (ok(stat(m), group) ? { mechanismId: m, mean: meanOf(idx, m), n: scored(idx, m).length } : { mechanismId: m, mean: null, n: null }));

  const ref = (g: { group: string; dimension: ExtraDimension | null; key: string }, hidden: boolean): GroupRef => ({
    group: g.group,
    dimension: g.dimension,
    key: g.key,
    label: g.dimension ? optionLabel(g.dimension, g.key) : { nl: 'Alle medewerkers', en: 'All employees' },
    hidden,
  });

  return {
    k,
    roles: {
      groups: [...roleGroups].map(([v, idx]) => {
        const group = `mgmt-role:${v}`;
        const shown = ok('mgmt-n', group);
        return {
          group,
          dimension: 'role' as const,
          key: v,
          label: v === NOT_STATED ? NOT_STATED_LABEL : (ROLE_LABELS[v] ?? { nl: v, en: v }),
          hidden: !shown,
          n: shown ? idx.length : null,
          mechanisms: shown ? mechanismsOf(group, idx, (m) => `mgmt-scale:${m}`) : [],
        };
      }),
    },
    learnsLess: {
      groups: [...llMembers].map(([id, g]) => {
        const shown = ok('employees', `ll:${id}`) && ok('employees', `ll-rest:${id}`);
        return {
          id,
          label: LEARNS_LESS_GROUPS.find((x) => x.id === id)!.label,
          basis: g.basis,
          hidden: !shown,
          group: shown ? { n: g.in.length, mechanisms: mechanismsOf(`ll:${id}`, g.in) } : { n: null, mechanisms: [] },
          rest: shown ? { n: g.rest.length, mechanisms: mechanismsOf(`ll-rest:${id}`, g.rest) } : { n: null, mechanisms: [] },
          advice: LEARNS_LESS_ADVICE[id],
        };
      }),
    },
    motivation: {
      included: has('motivation'),
      groups: has('motivation')
        ? moduleGroups.map((g) => {
            const shown = ok('mot', g.group) && n('mot', g.group) > 0;
            if (!shown) return { ...ref(g, true), profile: null, weakest: null, move: null };
            const p = motivationProfileOf(motivation!, g.idx);
            const profile: MotivationProfile = {
              ...p,
              facets: p.facets.map((f) => (ok(`mot:${f.facet}`, g.group) ? f : { facet: f.facet, n: 0, mean: null })),
              wantOverMust: ok('mot:intrinsic', g.group) && ok('mot:must', g.group) ? p.wantOverMust : { n: 0, percent: null },
            };
            const weakest = weakestNeed(profile);
            return { ...ref(g, false), profile, weakest, move: weakest ? MOTIVATION_MOVES[weakest] : null };
          })
        : [],
    },
    learningMix: {
      included: has('learning_mix'),
      model: MODEL_70_20_10,
      groups: has('learning_mix')
        ? moduleGroups.map((g) => {
            const shown = ok('mix', g.group) && n('mix', g.group) > 0;
            return { ...ref(g, !shown), mix: shown ? learningMix(g.idx.map((i) => rs[i]!.learning)) : null };
          })
        : [],
    },
    open: {
      included: has('open_questions'),
      minimum: openK,
      groups: has('open_questions')
        ? moduleGroups.map((g) => {
            const prompts = OPEN_PROMPTS.map((p) => ({ p, key: `open:${p}@${g.group}` }));
            const shown = prompts.filter((x) => openDecision.isPublished(x.key) && countBits(openFigures.find((f) => f.key === x.key)!.members) > 0);
            if (shown.length === 0) return { ...ref(g, true), prompts: null };
            return {
              ...ref(g, false),
              prompts: shown.map(({ p }) => {
                const texts = g.idx.map((i) => rs[i]!.open[p]).filter((t): t is string => !!t);
                return { prompt: p, n: texts.length, answers: unorderedList(texts), themes: countThemes(texts) };
              }),
            };
          })
        : [],
    },
    published,
  };
}

/** The extras as served: without the internal list of published slots. */
export function servedExtras(e: ResultExtras): Omit<ResultExtras, 'published'> {
  const { published: _internal, ...rest } = e;
  return rest;
}
