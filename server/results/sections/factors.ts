// Stimulating and hindering factors: counts per factor on the -2..+2 scale (employee form), each
// factor shown only with at least k answers, the whole part only with at least k respondents.
import { sql } from 'kysely';
import { topFactors } from '../../../scans/instruments/factors.js';
import { getFactors } from '../../../scans/instruments/registry.js';
import type { FactorsResult } from '../../../scans/result-model.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../../scans/result-model.js';
import { chunkResponses, forEachIdChunk, inline, loadResponseIds, segmentCondition, type Db, type DbRun, type SegmentFilter } from '../aggregate.js';
import { PackReader } from '../packs.js';
import type { Section } from './context.js';

export async function loadFactors(db: Db, roundId: string, filter: SegmentFilter | null) {
  const { rows } = await sql<{ factor_id: string | null; value: number | null; n: number }>`
    select fa.factor_id, fa.value, count(*)::int as n
    from factor_answers fa join responses r on r.id = fa.response_id
    where r.round_id = ${roundId} and r.status = 'submitted' and r.form = 'employee' ${segmentCondition(filter)}
    group by fa.factor_id, fa.value
    union all
    select null, null, count(*)::int from responses r
    where r.round_id = ${roundId} and r.status = 'submitted' and r.form = 'employee' ${segmentCondition(filter)}
      and exists (select 1 from factor_answers fa where fa.response_id = r.id and fa.value is not null)
  `.execute(db);
  return { rows: rows.filter((r) => r.factor_id !== null), respondents: Number(rows.find((r) => r.factor_id === null)?.n ?? 0) };
}

export type FactorData = Awaited<ReturnType<typeof loadFactors>>;

/** loadAllFactorsStaged in one step (tests, and callers with a database handle). */
export function loadAllFactors(db: Db, roundId: string) {
  return loadAllFactorsStaged(inline(db), roundId);
}

/** Counts of one (factor, value), or (factor_id null) the respondents who rated any factor, of the round (dim null) or of one group. */
export interface FactorCount {
  factor_id: string | null;
  value: number | null;
  n: number;
  dim: SegmentDimension | null;
  key: string | null;
}

/**
 * Counts factor ratings for the whole round and per group of each dimension, one respondent (their
 * factor pack, migration 0023) at a time, for factorsOf: the counts loadFactors gives per filter, for
 * every filter at once.
 */
export class FactorCounter {
  /** The factors by slot in the order first seen (the packs read by slot: PackReader). */
  private readonly reader = new PackReader();
  /**
   * Per background (the respondent's group in every dimension): the count per factor and rating
   * (slot factor * 6 + rating + 3, 0 for no rating) and the respondents who rated any factor. A
   * respondent costs one lookup of its background and one increment per factor; the counts per group
   * are summed from the backgrounds at the end (string keys per factor, rating and group cost 4.8 s of
   * the 100,000-respondent close).
   */
  private readonly backgrounds = new Map<string, { keys: string[]; counts: number[]; raters: number }>();

  /** The backgrounds by the answer pass's number for a form and background (aggregateViews' onRow), when it gives one. */
  private readonly byIndex: Array<{ keys: string[]; counts: number[]; raters: number } | undefined> = [];
  /** The ids of the factors the respondent last added rated (add's result, reused). */
  private readonly rated: string[] = [];

  /**
   * One submitted respondent: only the employee form's ratings count (a null background is not
   * stated). `backgroundIndex`: the answer pass's number for the respondent's form and background
   * (equal numbers, equal backgrounds), so the background is looked up by it, not by a key built
   * per respondent. Returns the ids of the factors the respondent rated, in the pack's order (valid
   * until the next add), or undefined for a respondent it does not count (not the employee form).
   */
  add(r: { form: string; factor_pack: string | null } & Record<SegmentDimension, string | null>, backgroundIndex?: number): readonly string[] | undefined {
    if (r.form !== 'employee') return undefined;
    const rated = this.rated;
    rated.length = 0;
    if (!r.factor_pack) return rated;
    let bg = backgroundIndex === undefined ? undefined : this.byIndex[backgroundIndex];
    if (!bg) {
      let backgroundKey = '';
      for (const dim of SEGMENT_DIMENSIONS) backgroundKey += `${r[dim] ?? NOT_STATED_KEY}\u0000`;
      bg = this.backgrounds.get(backgroundKey);
      if (!bg) this.backgrounds.set(backgroundKey, (bg = { keys: SEGMENT_DIMENSIONS.map((dim) => r[dim] ?? NOT_STATED_KEY), counts: [], raters: 0 }));
      if (backgroundIndex !== undefined) this.byIndex[backgroundIndex] = bg;
    }
    const counts = bg.counts;
    const ids = this.reader.ids;
    this.reader.forEach(r.factor_pack, (f, value) => {
      if (value !== null && !(value >= -2 && value <= 2 && Number.isInteger(value))) throw new RangeError(`factor rating ${value} outside -2..2`);
      if (value !== null) rated.push(ids[f]!);
      const slot = f * RATING_SLOTS + (value === null ? 0 : value + 3);
      counts[slot] = (counts[slot] ?? 0) + 1;
    });
    if (rated.length > 0) bg.raters += 1;
    return rated;
  }

  counts(): FactorCount[] {
    // Per group (the whole round, or one group of one dimension): the backgrounds' slots added up, with
    // one map lookup per background and group (string keys per slot and group held the event loop for
    // ~0.5 s at 100,000 respondents).
    type Group = { dim: SegmentDimension | null; key: string | null; counts: number[]; raters: number };
    const whole: Group = { dim: null, key: null, counts: [], raters: 0 };
    const byDim = SEGMENT_DIMENSIONS.map(() => new Map<string, Group>());
    const addTo = (g: Group, bg: { counts: number[]; raters: number }) => {
      bg.counts.forEach((n, slot) => {
        if (n) g.counts[slot] = (g.counts[slot] ?? 0) + n;
      });
      g.raters += bg.raters;
    };
    for (const bg of this.backgrounds.values()) {
      addTo(whole, bg);
      SEGMENT_DIMENSIONS.forEach((dim, d) => {
        const key = bg.keys[d]!;
        let g = byDim[d]!.get(key);
        if (!g) byDim[d]!.set(key, (g = { dim, key, counts: [], raters: 0 }));
        addTo(g, bg);
      });
    }
    const out: FactorCount[] = [];
    for (const g of [whole, ...byDim.flatMap((m) => [...m.values()])]) {
      g.counts.forEach((n, slot) => {
        if (!n) return;
        const r = slot % RATING_SLOTS;
        out.push({ factor_id: this.reader.ids[Math.floor(slot / RATING_SLOTS)]!, value: r === 0 ? null : r - 3, n, dim: g.dim, key: g.key });
      });
      // The respondents who rated any factor (factor_id null): once each, overall and in their groups.
      if (g.raters > 0) out.push({ factor_id: null, value: null, n: g.raters, dim: g.dim, key: g.key });
    }
    return out;
  }
}

/** Slots per factor in FactorCounter: no rating, then -2..+2. */
const RATING_SLOTS = 6;

/**
 * Every factor rating of the round counted (FactorCounter) in chunks of consecutive response ids, each
 * one short query through run giving one row per respondent. The release build of a round with a
 * culture scan counts them in its answer pass instead (aggregateViews' onRow). The counts were
 * grouping sets in the database before, which gave ~1,600 rows per chunk whatever its size: on the
 * embedded database that fixed cost kept every step at the smallest chunk (10,000 respondents: ~600
 * steps of ~26 ms).
 */
export async function loadAllFactorsStaged(run: DbRun, roundId: string, chunk = 500, ids?: readonly string[]): Promise<FactorCount[]> {
  const counter = new FactorCounter();
  await forEachIdChunk(ids ?? (await loadResponseIds(run, roundId)), chunk, async (part) => {
    const rows = await run(async (d) => {
      const { rows } = await sql<{ form: string; factor_pack: string | null } & Record<SegmentDimension, string | null>>`
        select r.form, ${sql.raw(SEGMENT_DIMENSIONS.map((x) => `r.${x}`).join(', '))}, r.factor_pack
        from ${chunkResponses(part, roundId, sql.raw(['r.form', 'r.factor_pack', ...SEGMENT_DIMENSIONS.map((x) => `r.${x}`)].join(', ')), sql`and r.form = 'employee' and r.factor_pack is not null`)}
      `.execute(d);
      return rows;
    });
    for (const r of rows) counter.add(r);
  }, run.stepTargetMs);
  return counter.counts();
}

export type AllFactors = Awaited<ReturnType<typeof loadAllFactorsStaged>>;

/** loadFactors(filter) from the counts read once (exact: sums of counts). */
export function factorsOf(all: AllFactors, filter: SegmentFilter | null): FactorData {
  const counts = new Map<string, { factor_id: string; value: number | null; n: number }>();
  let respondents = 0;
  for (const r of all) {
    if (filter ? r.dim !== filter.dimension || r.key !== filter.value : r.dim !== null) continue;
    if (r.factor_id === null) {
      respondents += r.n;
      continue;
    }
    const key = `${r.factor_id}\u0000${r.value}`;
    const c = counts.get(key);
    if (c) c.n += r.n;
    else counts.set(key, { factor_id: r.factor_id, value: r.value, n: r.n });
  }
  return { rows: [...counts.values()], respondents };
}

export function factorsSection(data: FactorData | null, k: number): Section<FactorsResult> {
  const instrument = getFactors();
  if (!data || !instrument) return { part: { included: false, respondents: null, suppressed: false, groups: [], topStimulating: [], topHindering: [] }, sources: [] };
  const suppressed = data.respondents < k;
  const groups: FactorsResult['groups'] = instrument.groups.map((g) => ({
    groupId: g.id,
    label: { nl: g.label.nl, en: g.label.en },
    factors: g.factors.map((f) => {
      const rows = data.rows.filter((r) => r.factor_id === f.id);
      const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
      let notApplicable = 0;
      for (const r of rows) {
        if (r.value === null) notApplicable += Number(r.n);
        else counts[Number(r.value) + 2]! += Number(r.n);
      }
      const n = counts.reduce((a, b) => a + b, 0);
      const visible = !suppressed && n >= k;
      const sum = counts.reduce((acc, c, i) => acc + c * (i - 2), 0);
      return {
        factorId: f.id,
        label: { nl: f.label.nl, en: f.label.en },
        suppressed: !visible,
        n: visible ? n : null,
        mean: visible ? sum / n : null,
        stimulating: visible ? ((counts[3] + counts[4]) / n) * 100 : null,
        hindering: visible ? ((counts[0] + counts[1]) / n) * 100 : null,
        counts: visible ? counts : null,
        notApplicable: visible ? notApplicable : null,
      };
    }),
  }));
  const all = groups.flatMap((g) => g.factors).filter((f) => f.mean !== null);
  return {
    part: {
      included: true,
      respondents: suppressed ? null : data.respondents,
      suppressed,
      groups,
      topStimulating: topFactors(all, 'stimulating'),
      topHindering: topFactors(all, 'hindering'),
    },
    sources: [],
  };
}
