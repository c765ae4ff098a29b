// An independent implementation of aggregateAnswers (server/results/aggregate.ts), computed entirely
// by the database, that the tests compare it with. Test-only: moved out of the production module.
import { sql } from 'kysely';
import type { CultureScanInstrument } from '../../scans/instruments/schemas.js';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../../scans/result-model.js';
import type { FormKind } from '../../server/db/schema.js';
import { minItemsForScore } from '../../scans/scoring/scales.js';
import { dimensionColumns, emptyForm, segmentCondition, type Db, type FormAggregate, type ScaleAggregate, type SegmentFilter } from '../../server/results/aggregate.js';

interface ItemMap {
  ids: string[];
  mechanisms: string[];
  reverse: boolean[];
  minItems: number[];
  nItems: number[];
}

function itemMap(instrument: CultureScanInstrument): ItemMap {
  const m: ItemMap = { ids: [], mechanisms: [], reverse: [], minItems: [], nItems: [] };
  for (const scale of instrument.scales) {
    for (const item of scale.items) {
      m.ids.push(item.id);
      m.mechanisms.push(scale.mechanism);
      m.reverse.push(item.reverse);
      m.minItems.push(minItemsForScore(scale.items.length));
      m.nItems.push(scale.items.length);
    }
  }
  return m;
}

/**
 * The same figures as aggregateAnswers, computed entirely by the database: `p` holds one row per
 * respondent x scale (answered count, keyed sum, favourable count), and three aggregates are read
 * from it. Kept as an independent implementation that the tests compare with aggregateAnswers.
 */
export async function aggregateAnswersInSql(
  db: Db,
  roundId: string,
  instrument: CultureScanInstrument,
  filter?: SegmentFilter | null,
): Promise<Record<FormKind, FormAggregate>> {
  const m = itemMap(instrument);
  const sets = sql.raw(SEGMENT_DIMENSIONS.map((d) => `(r.form, r.${d}, p.mechanism)`).join(', '));
  const grp = sql.raw(`coalesce(${SEGMENT_DIMENSIONS.map((d) => `r.${d}`).join(', ')})`);
  const dimName = sql.raw(
    `case ${SEGMENT_DIMENSIONS.map((d) => `when grouping(r.${d}) = 0 then '${d}'`).join(' ')} end`,
  );
  const { rows } = await sql<{
    kind: 'scale' | 'item' | 'alpha';
    form: FormKind;
    dim: string | null;
    grp: string | null;
    mechanism: string | null;
    item_id: string | null;
    value: number | null;
    complete: boolean | null;
    n: number;
    s1: number | null;
    s2: number | null;
    valid: number | null;
    fav: number | null;
    respondents: number | null;
  }>`
    with m as materialized (
      select * from unnest(${m.ids}::text[], ${m.mechanisms}::text[], ${m.reverse}::bool[], ${m.minItems}::int[], ${m.nItems}::int[])
        as t(item_id, mechanism, reverse, min_items, n_items)
    ),
    r as materialized (
      select id, form, ${dimensionColumns} from responses r
      where r.round_id = ${roundId} and r.status = 'submitted' ${segmentCondition(filter)}
    ),
    k as (
      select a.response_id, m.mechanism, a.item_id, a.value,
             case when m.reverse then 6 - a.value else a.value end as kv,
             m.min_items, m.n_items
      from answers a
      join r on r.id = a.response_id
      join m on m.item_id = a.item_id
    ),
    p as materialized (
      select response_id, mechanism, count(kv)::int as answered, coalesce(sum(kv), 0)::int as ksum,
             count(*) filter (where kv >= 4)::int as fav, min(min_items) as min_items, min(n_items) as n_items
      from k group by response_id, mechanism
    )
    select 'scale' as kind, r.form, ${dimName} as dim, ${grp} as grp, p.mechanism,
           null::text as item_id, null::int as value, null::bool as complete,
           count(*) filter (where p.answered >= p.min_items)::int as n,
           sum(p.ksum::float8 / nullif(p.answered, 0)) filter (where p.answered >= p.min_items) as s1,
           sum((p.ksum::float8 / nullif(p.answered, 0)) ^ 2) filter (where p.answered >= p.min_items) as s2,
           sum(p.answered)::int as valid, sum(p.fav)::int as fav,
           count(*) filter (where p.answered > 0)::int as respondents
    from p join r on r.id = p.response_id
    group by grouping sets ((r.form, p.mechanism), ${sets})
    union all
    select 'item', r.form, null, null, null, k.item_id, k.value, (p.answered = p.n_items), count(*)::int, sum(p.ksum)::float8, null, null, null, null
    from k join r on r.id = k.response_id join p on p.response_id = k.response_id and p.mechanism = k.mechanism
    group by r.form, k.item_id, k.value, (p.answered = p.n_items)
    union all
    select 'alpha', r.form, null, null, p.mechanism, null, null, null, count(*)::int,
           sum(p.ksum)::float8, sum(p.ksum::float8 * p.ksum), null, null, null
    from p join r on r.id = p.response_id
    where p.answered = p.n_items
    group by r.form, p.mechanism
  `.execute(db);

  const reverseById = new Map(m.ids.map((id, i) => [id, m.reverse[i] as boolean]));
  const forms: Record<FormKind, FormAggregate> = { employee: emptyForm(), management: emptyForm() };
  for (const row of rows) {
    const f = forms[row.form];
    if (row.kind === 'scale') {
      const agg: ScaleAggregate = {
        n: Number(row.n),
        sum: Number(row.s1 ?? 0),
        sumSq: Number(row.s2 ?? 0),
        valid: Number(row.valid ?? 0),
        favourable: Number(row.fav ?? 0),
        respondents: Number(row.respondents ?? 0),
      };
      if (row.dim === null) f.scales.set(row.mechanism!, agg);
      else {
        const byGroup = f.segments[row.dim as SegmentDimension];
        let g = byGroup.get(row.grp!);
        if (!g) byGroup.set(row.grp!, (g = new Map()));
        g.set(row.mechanism!, agg);
      }
    } else if (row.kind === 'item') {
      const id = row.item_id!;
      let it = f.items.get(id);
      if (!it) f.items.set(id, (it = { raw: [0, 0, 0, 0, 0], dontKnow: 0, complete: { n: 0, sum: 0, sumSq: 0, sumTotal: 0 } }));
      const c = Number(row.n);
      if (row.value === null) it.dontKnow += c;
      else {
        const v = Number(row.value);
        it.raw[v - 1] = (it.raw[v - 1] ?? 0) + c;
        if (row.complete) {
          const kv = reverseById.get(id) ? 6 - v : v;
          it.complete.n += c;
          it.complete.sum += kv * c;
          it.complete.sumSq += kv * kv * c;
          it.complete.sumTotal += kv * Number(row.s1 ?? 0);
        }
      }
    } else {
      f.alphaTotals.set(row.mechanism!, { n: Number(row.n), sum: Number(row.s1 ?? 0), sumSq: Number(row.s2 ?? 0) });
    }
  }
  return forms;
}
