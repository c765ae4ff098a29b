// SQL aggregation of a round's submitted answers. The database does the heavy lifting (one pass per
// respondent x scale, one per item x option); what comes back is small: counts and moments per group,
// which scans/ turns into statistics. Nothing here returns a single respondent's answers.
import { sql, type Kysely } from 'kysely';
import type { CultureScanInstrument } from '../../scans/instruments/schemas.js';
import { minItemsForScore } from '../../scans/scoring/scales.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../scans/result-model.js';
import type { DB, Db, FormKind } from '../db/schema.js';

export type { Db };

/** Restricts every aggregate to the respondents of one group of one dimension. */
export interface SegmentFilter {
  dimension: SegmentDimension;
  /** A group key; NOT_STATED_KEY selects respondents who left the dimension empty. */
  value: string;
}

/** Submitted respondents per form and per group of each dimension (not stated = NOT_STATED_KEY). */
export interface RespondentCounts {
  byForm: Record<FormKind, number>;
  /** Employee form only. */
  byDimension: Record<SegmentDimension, Map<string, number>>;
}

export interface ScaleAggregate {
  /** Respondents with a scale score (2/3 rule) and the moments of those scores. */
  n: number;
  sum: number;
  sumSq: number;
  /** Valid keyed answers on the scale's items (every respondent) and how many are 4 or 5. */
  valid: number;
  favourable: number;
  /** Respondents with at least one valid answer on the scale (the n of `valid` and `favourable`). */
  respondents: number;
}

export interface ItemAggregate {
  /** Raw answer counts per option 1..5 (index 0 = option 1) and the number of "don't know" answers. */
  raw: [number, number, number, number, number];
  dontKnow: number;
  /**
   * Keyed sum and sum of squares over respondents who answered every item of the scale (for alpha),
   * and the sum of keyed value x the respondent's scale total (for the item-rest correlation).
   */
  complete: { n: number; sum: number; sumSq: number; sumTotal: number };
}

export interface AlphaTotals {
  n: number;
  sum: number;
  sumSq: number;
}

export interface FormAggregate {
  scales: Map<string, ScaleAggregate>;
  items: Map<string, ItemAggregate>;
  alphaTotals: Map<string, AlphaTotals>;
  /** Employee form only: per dimension -> group -> mechanism. */
  segments: Record<SegmentDimension, Map<string, Map<string, ScaleAggregate>>>;
}

/** A round's counts and per-form aggregates, as the result sections read them. */
export interface RoundAggregate {
  counts: RespondentCounts;
  forms: Record<FormKind, FormAggregate>;
}

function emptySegments<T>(): Record<SegmentDimension, Map<string, T>> {
  return Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Map<string, T>()])) as Record<SegmentDimension, Map<string, T>>;
}

export function emptyForm(): FormAggregate {
  return { scales: new Map(), items: new Map(), alphaTotals: new Map(), segments: emptySegments() };
}

/** `and r.<dimension> = value` (or `is null` for not stated); the dimension is from a fixed list. */
export function segmentCondition(filter: SegmentFilter | null | undefined, alias = 'r') {
  if (!filter) return sql``;
  if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(filter.dimension)) throw new RangeError('unknown dimension');
  const column = sql.ref(`${alias}.${filter.dimension}`);
  return filter.value === NOT_STATED_KEY ? sql`and ${column} is null` : sql`and ${column} = ${filter.value}`;
}

export const dimensionColumns = sql.raw(
  SEGMENT_DIMENSIONS.map((d) => `coalesce(${d}, '${NOT_STATED_KEY}') as ${d}`).join(', '),
);

/** Submitted respondents per form and per (employee-form) group of every dimension. */
export async function countRespondents(db: Db, roundId: string, filter?: SegmentFilter | null): Promise<RespondentCounts> {
  const sets = SEGMENT_DIMENSIONS.map((d) => `(form, ${d})`).join(', ');
  const { rows } = await sql<Record<string, string | number | null>>`
    select form, ${sql.raw(SEGMENT_DIMENSIONS.join(', '))}, count(*)::int as n
    from (select form, ${dimensionColumns} from responses r
          where r.round_id = ${roundId} and r.status = 'submitted' ${segmentCondition(filter)}) s
    group by grouping sets ((form), ${sql.raw(sets)})
  `.execute(db);
  const counts: RespondentCounts = { byForm: { employee: 0, management: 0 }, byDimension: emptySegments() };
  for (const row of rows) {
    const form = row.form as FormKind;
    const n = Number(row.n);
    const dim = SEGMENT_DIMENSIONS.find((d) => row[d] !== null);
    if (!dim) counts.byForm[form] = n;
    else if (form === 'employee') counts.byDimension[dim].set(String(row[dim]), n);
  }
  return counts;
}

/**
 * Everything the mechanism, item, perspective, segment and alpha figures need. The database reduces
 * the answers to one row per respondent in one pass: per scale one integer that packs the answers in
 * base 7 (digit k is item k of the scale: 0 not answered, 1 "don't know", 2..6 answers 1..5; at most
 * 7 items per scale, so 7^7 - 1 fits). The per respondent x scale sums (2/3 rule), item x option counts
 * and alpha moments are then accumulated here in one loop. On 5,000 respondents x 42 items this is
 * several times faster than letting the database run those three aggregates itself (see
 * aggregateAnswersInSql in tests/helpers/aggregate-sql.ts, an independent cross-check), and
 * faster than shipping the answers as text.
 */
export async function aggregateAnswers(
  db: Db,
  roundId: string,
  instrument: CultureScanInstrument,
  filter?: SegmentFilter | null,
): Promise<Record<FormKind, FormAggregate>> {
  const scales = instrument.scales;
  const mapIds: string[] = [];
  const mapScale: number[] = [];
  const mapMult: number[] = [];
  scales.forEach((scale, s) => {
    if (scale.items.length > 7) throw new RangeError(`scale ${scale.mechanism} has more than 7 items: cannot pack its answers`);
    scale.items.forEach((item, k) => {
      mapIds.push(item.id);
      mapScale.push(s);
      mapMult.push(7 ** k);
    });
  });
  const packed = sql.raw(scales.map((_, s) => `sum((coalesce(a.value, 0) + 1) * m.mult) filter (where m.scale = ${s}) as c${s}`).join(', '));
  const query = sql<Record<SegmentDimension, string | null> & { form: FormKind } & Record<string, number | string | null>>`
    select r.form, ${sql.raw(SEGMENT_DIMENSIONS.map((d) => `r.${d}`).join(', '))}, ${packed}
    from responses r
    join answers a on a.response_id = r.id
    join unnest(${mapIds}::text[], ${mapScale}::int[], ${mapMult}::int[]) as m(item_id, scale, mult) on m.item_id = a.item_id
    where r.round_id = ${roundId} and r.status = 'submitted' ${segmentCondition(filter)}
    group by r.id
  `;
  // PostgreSQL's JIT compiler would spend longer compiling this (large estimated cost) than running it;
  // switch it off for this statement. Inside a caller's transaction the query runs as is.
  const { rows } = db.isTransaction
    ? await query.execute(db)
    : await (db as Kysely<DB>).transaction().execute(async (tx) => {
        await sql`set local jit = off`.execute(tx);
        return query.execute(tx);
      });

  // Item index (scale order) -> scale index, reverse flag; per scale: item count and the 2/3 minimum.
  const itemScale: number[] = [];
  const itemReverse: boolean[] = [];
  const itemIds: string[] = [];
  scales.forEach((scale, s) =>
    scale.items.forEach((item) => {
      itemIds.push(item.id);
      itemScale.push(s);
      itemReverse.push(item.reverse);
    }),
  );
  const scaleSize = scales.map((s) => s.items.length);
  const scaleMin = scales.map((s) => minItemsForScore(s.items.length));
  const nItems = itemIds.length;
  const nScales = scales.length;

  interface Acc {
    scales: ScaleAggregate[];
    segments: Record<SegmentDimension, Map<string, ScaleAggregate[]>>;
    raw: Int32Array; // nItems x 5
    dontKnow: Int32Array;
    complete: Float64Array; // nItems x 3: n, sum, sumSq of keyed values over complete respondents
    cross: Float64Array; // nItems: sum of keyed value x scale total over complete respondents
    alpha: Float64Array; // nScales x 3: n, sum, sumSq of totals
  }
  const newScaleAggs = (): ScaleAggregate[] => Array.from({ length: nScales }, () => ({ n: 0, sum: 0, sumSq: 0, valid: 0, favourable: 0, respondents: 0 }));
  const newAcc = (): Acc => ({
    scales: newScaleAggs(),
    segments: Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Map<string, ScaleAggregate[]>()])) as Acc['segments'],
    raw: new Int32Array(nItems * 5),
    dontKnow: new Int32Array(nItems),
    complete: new Float64Array(nItems * 3),
    cross: new Float64Array(nItems),
    alpha: new Float64Array(nScales * 3),
  });
  const accs: Record<FormKind, Acc> = { employee: newAcc(), management: newAcc() };

  // Per-respondent scratch space, reused.
  const keyed = new Int8Array(nItems);
  const answered = new Int32Array(nScales);
  const ksum = new Int32Array(nScales);
  const fav = new Int32Array(nScales);
  const groupAggs: ScaleAggregate[][] = [];

  const columns = scales.map((_, s) => `c${s}`);
  for (const row of rows) {
    const acc = accs[row.form];
    keyed.fill(-1);
    answered.fill(0);
    ksum.fill(0);
    fav.fill(0);
    let offset = 0;
    for (let s = 0; s < nScales; s++) {
      let code = Number(row[columns[s]!] ?? 0);
      for (let k = 0; k < scaleSize[s]!; k++, code = Math.floor(code / 7)) {
        const digit = code % 7;
        if (digit === 0) continue;
        const i = offset + k;
        if (digit === 1) {
          acc.dontKnow[i]! += 1;
          continue;
        }
        const v = digit - 1;
        acc.raw[i * 5 + v - 1]! += 1;
        const kv = itemReverse[i] ? 6 - v : v;
        keyed[i] = kv;
        answered[s]! += 1;
        ksum[s]! += kv;
        if (kv >= 4) fav[s]! += 1;
      }
      offset += scaleSize[s]!;
    }
    groupAggs.length = 0;
    if (row.form === 'employee') {
      for (const d of SEGMENT_DIMENSIONS) {
        const key = row[d] ?? NOT_STATED_KEY;
        let g = acc.segments[d].get(key);
        if (!g) acc.segments[d].set(key, (g = newScaleAggs()));
        groupAggs.push(g);
      }
    }
    const targets = [acc.scales, ...groupAggs];
    for (let s = 0; s < nScales; s++) {
      const a = answered[s]!;
      const hasScore = a >= scaleMin[s]!;
      const score = hasScore ? ksum[s]! / a : 0;
      for (const t of targets) {
        const agg = t[s]!;
        agg.valid += a;
        agg.favourable += fav[s]!;
        if (a > 0) agg.respondents += 1;
        if (hasScore) {
          agg.n += 1;
          agg.sum += score;
          agg.sumSq += score * score;
        }
      }
      if (a === scaleSize[s]) {
        acc.alpha[s * 3] = acc.alpha[s * 3]! + 1;
        acc.alpha[s * 3 + 1] = acc.alpha[s * 3 + 1]! + ksum[s]!;
        acc.alpha[s * 3 + 2] = acc.alpha[s * 3 + 2]! + ksum[s]! * ksum[s]!;
      }
    }
    for (let i = 0; i < nItems; i++) {
      const kv = keyed[i]!;
      if (kv < 0 || answered[itemScale[i]!] !== scaleSize[itemScale[i]!]) continue;
      acc.complete[i * 3] = acc.complete[i * 3]! + 1;
      acc.complete[i * 3 + 1] = acc.complete[i * 3 + 1]! + kv;
      acc.complete[i * 3 + 2] = acc.complete[i * 3 + 2]! + kv * kv;
      acc.cross[i] = acc.cross[i]! + kv * ksum[itemScale[i]!]!;
    }
  }

  const toForm = (acc: Acc): FormAggregate => {
    const f = emptyForm();
    scales.forEach((scale, s) => {
      const agg = acc.scales[s]!;
      if (agg.valid > 0 || agg.n > 0) f.scales.set(scale.mechanism, agg);
      if (acc.alpha[s * 3]! > 0) f.alphaTotals.set(scale.mechanism, { n: acc.alpha[s * 3]!, sum: acc.alpha[s * 3 + 1]!, sumSq: acc.alpha[s * 3 + 2]! });
    });
    itemIds.forEach((id, i) => {
      const raw = [0, 1, 2, 3, 4].map((o) => acc.raw[i * 5 + o]!) as ItemAggregate['raw'];
      if (raw.some((c) => c > 0) || acc.dontKnow[i]! > 0) {
        f.items.set(id, {
          raw,
          dontKnow: acc.dontKnow[i]!,
          complete: { n: acc.complete[i * 3]!, sum: acc.complete[i * 3 + 1]!, sumSq: acc.complete[i * 3 + 2]!, sumTotal: acc.cross[i]! },
        });
      }
    });
    for (const d of SEGMENT_DIMENSIONS) {
      for (const [key, aggs] of acc.segments[d]) {
        const byMech = new Map<string, ScaleAggregate>();
        scales.forEach((scale, s) => byMech.set(scale.mechanism, aggs[s]!));
        f.segments[d].set(key, byMech);
      }
    }
    return f;
  };
  return { employee: toForm(accs.employee), management: toForm(accs.management) };
}

/**
 * What each submitted respondent contributes to (background, scale scores, complete scales, answered
 * items, placed frames, rated factors), in a stable order (by response id), for disclosure control.
 * Ids stay on the server: the disclosure layer sees only positions.
 */
export async function loadContributions(db: Db, roundId: string, instrument: CultureScanInstrument | undefined) {
  const { rows } = await sql<Record<SegmentDimension, string | null> & { id: string; form: FormKind; items: string[] | null; frames: string[] | null; factors: string[] | null }>`
    select r.id, r.form, ${sql.raw(SEGMENT_DIMENSIONS.map((d) => `r.${d}`).join(', '))},
      (select array_agg(a.item_id) from answers a where a.response_id = r.id and a.value is not null) as items,
      (select array_agg(distinct p.frame) from placements p where p.response_id = r.id and p.participant_group = 'employee') as frames,
      (select array_agg(fa.factor_id) from factor_answers fa where fa.response_id = r.id and fa.value is not null) as factors
    from responses r
    where r.round_id = ${roundId} and r.status = 'submitted'
    order by r.id
  `.execute(db);
  const scales = instrument?.scales ?? [];
  return rows.map((row) => {
    const items = new Set(row.items ?? []);
    const scored: string[] = [];
    const answeredScales: string[] = [];
    const complete: string[] = [];
    for (const scale of scales) {
      const a = scale.items.filter((i) => items.has(i.id)).length;
      if (a > 0) answeredScales.push(scale.mechanism);
      if (a >= minItemsForScore(scale.items.length)) scored.push(scale.mechanism);
      if (a === scale.items.length) complete.push(scale.mechanism);
    }
    return {
      responseId: row.id,
      form: row.form,
      background: Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, row[d]])) as Record<SegmentDimension, string | null>,
      scored,
      answeredScales,
      complete,
      items: [...items],
      frames: row.frames ?? [],
      factorsRated: row.factors ?? [],
    };
  });
}
