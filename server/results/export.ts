// CSV exports: the result model as one tidy table (every figure one row), and the anonymised raw
// answers of a round (only at or above the threshold, no timestamps, no ids, background only where
// that dimension's group is visible).
import { sql } from 'kysely';
import { effectiveK } from '../../scans/anonymity.js';
import { getCultureScan, getFactors } from '../../scans/instruments/registry.js';
import { HIDDEN, kAnonymise } from '../../scans/k-anonymity.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type BenchmarkComparison, type SegmentDimension, type Localized, type ResultModel, type Score } from '../../scans/result-model.js';
import { AppError, GoneError, NotFoundError } from '../lib/errors.js';
import { countRespondents, type Db } from './aggregate.js';
import { partitionDimensions } from './build.js';
import { toCsv, type CsvValue } from '../lib/csv.js';
import { rawQuasiIdentifiers, unlinkableOrder } from './unlinkable.js';
import { loadReleases } from './release-store.js';

export const RESULTS_CSV_COLUMNS = [
  'section',
  'mechanism',
  'item',
  'dimension',
  'group',
  'form',
  'frame',
  'metric',
  'value',
  'n',
  'label',
  'benchmark_kind',
  'benchmark',
  'benchmark_value',
  'delta',
  'source',
  'year',
  'population',
] as const;

export type ResultRow = Partial<Record<(typeof RESULTS_CSV_COLUMNS)[number], CsvValue>>;
type Row = ResultRow;

/** The result model as one tidy table; labels and populations in the given language. */
export function resultsToCsv(model: ResultModel, lang: 'nl' | 'en' = 'nl'): string {
  return toCsv(RESULTS_CSV_COLUMNS, resultRows(model, lang).map((row) => RESULTS_CSV_COLUMNS.map((c) => row[c])));
}

/** The rows of the tidy table (every figure of the served model one row); shared by the CSV and the workbook. */
export function resultRows(model: ResultModel, lang: 'nl' | 'en' = 'nl'): ResultRow[] {
  const rows: Row[] = [];
  const L = (t: Localized | null | undefined) => (t ? t[lang] : null);
  const score = (base: Row, s: Score | null, favourable: number | null) => {
    if (s) {
      rows.push({ ...base, metric: 'mean', value: s.mean, n: s.n });
      rows.push({ ...base, metric: 'sd', value: s.sd, n: s.n });
      rows.push({ ...base, metric: 'ci_low', value: s.ciLow, n: s.n });
      rows.push({ ...base, metric: 'ci_high', value: s.ciHigh, n: s.n });
    }
    if (favourable !== null) rows.push({ ...base, metric: 'favourable', value: favourable, n: s?.n ?? null });
  };
  const bench = (base: Row, b: BenchmarkComparison) =>
    rows.push({
      ...base,
      metric: `benchmark_${b.metric}`,
      value: b.own,
      n: b.n,
      benchmark_kind: b.kind,
      benchmark: L(b.label),
      benchmark_value: b.value,
      delta: b.delta,
      source: b.source,
      year: b.year,
      population: L(b.population),
    });

  const m = model.meta;
  for (const [metric, value] of [
    ['round', m.round.name],
    ['organisation', m.organisation.name],
    ['instrument', m.round.instrumentId],
    ['status', m.round.status],
    ['threshold_k', m.threshold],
    ['generated_at', m.generatedAt],
    ['is_demo', m.isDemo],
    ['source', m.source],
    ['segment_filter', m.segmentFilter ? `${m.segmentFilter.dimension}:${m.segmentFilter.value}` : null],
  ] as const) {
    rows.push({ section: 'meta', metric, value });
  }

  const r = model.response;
  rows.push({ section: 'response', metric: 'invited', value: r.invited }, { section: 'response', metric: 'submitted', value: r.submitted }, { section: 'response', metric: 'rate', value: r.rate });
  for (const f of r.perForm) {
    rows.push({ section: 'response', form: f.form, metric: 'invited', value: f.invited });
    rows.push({ section: 'response', form: f.form, metric: 'submitted', value: f.submitted });
    rows.push({ section: 'response', form: f.form, metric: 'rate', value: f.rate });
  }
  for (const d of r.perSegment) {
    for (const g of d.groups) {
      const base: Row = { section: 'response', dimension: d.dimension, group: g.key, label: L(g.label), form: 'employee' };
      if (g.hidden) rows.push({ ...base, metric: 'hidden' });
      else {
        rows.push({ ...base, metric: 'submitted', value: g.submitted, n: g.submitted });
        if (g.invited !== null) rows.push({ ...base, metric: 'invited', value: g.invited });
        if (g.rate !== null) rows.push({ ...base, metric: 'rate', value: g.rate });
      }
    }
  }

  for (const mech of model.mechanisms) {
    const base: Row = { section: 'mechanism', mechanism: mech.mechanismId, form: 'employee', label: L(mech.name) };
    if (mech.suppressed) rows.push({ ...base, metric: 'suppressed' });
    score(base, mech.score, mech.favourable);
    if (mech.alpha) rows.push({ ...base, metric: 'alpha', value: mech.alpha.value, n: mech.alpha.n });
    if (mech.distribution) {
      mech.distribution.counts.forEach((c, i) => rows.push({ ...base, metric: `count_${i + 1}`, value: c }));
      rows.push({ ...base, metric: 'count_missing', value: mech.distribution.missing });
    }
    for (const b of mech.benchmarks) bench(base, b);
    for (const [scope, p] of [['overall', mech.percentiles.overall], ['sector', mech.percentiles.sector], ['size_class', mech.percentiles.sizeClass]] as const) {
      if (p.shown) rows.push({ ...base, metric: `percentile_${scope}`, value: `${p.from}-${p.to}`, label: p.band, n: p.groupSize, benchmark_kind: 'pool' });
    }
    for (const item of mech.items) {
      const ib: Row = { section: 'item', mechanism: mech.mechanismId, item: item.itemId, form: 'employee', label: L(item.text) };
      if (item.suppressed) rows.push({ ...ib, metric: 'suppressed' });
      score(ib, item.score, item.favourable);
      if (item.distribution) {
        item.distribution.counts.forEach((c, i) => rows.push({ ...ib, metric: `count_${i + 1}`, value: c }));
        rows.push({ ...ib, metric: 'count_missing', value: item.distribution.missing });
      }
      for (const b of item.benchmarks) bench(ib, b);
    }
  }

  for (const p of model.perspectives.mechanisms) {
    for (const [form, side] of [['employee', p.employee], ['management', p.management]] as const) {
      const base: Row = { section: 'perspective', mechanism: p.mechanismId, form, label: L(p.name) };
      if (side.suppressed) rows.push({ ...base, metric: 'suppressed' });
      else score(base, side.score, side.favourable);
    }
    if (p.gap.mean !== null) rows.push({ section: 'perspective', mechanism: p.mechanismId, metric: 'gap_mean', value: p.gap.mean });
    if (p.gap.favourable !== null) rows.push({ section: 'perspective', mechanism: p.mechanismId, metric: 'gap_favourable', value: p.gap.favourable });
    for (const item of p.items) {
      for (const [form, side] of [['employee', item.employee], ['management', item.management]] as const) {
        const base: Row = { section: 'perspective_item', mechanism: p.mechanismId, item: item.itemId, form };
        if (side.suppressed) rows.push({ ...base, metric: 'suppressed' });
        else {
          score(base, side.score, side.favourable);
          if (side.published) {
            rows.push({
              ...base,
              metric: 'benchmark_favourable',
              value: side.favourable,
              benchmark_kind: 'published',
              benchmark: L(side.published.description),
              benchmark_value: side.published.value,
              delta: side.publishedDelta,
              source: side.published.source,
              year: side.published.year,
              population: L(side.published.population),
            });
          }
        }
      }
      if (item.gap.mean !== null) rows.push({ section: 'perspective_item', mechanism: p.mechanismId, item: item.itemId, metric: 'gap_mean', value: item.gap.mean });
    }
  }

  for (const d of model.segments) {
    for (const g of d.groups) {
      const base: Row = { section: 'segment', dimension: d.dimension, group: g.key, label: L(g.label), form: 'employee' };
      if (g.hidden) {
        rows.push({ ...base, metric: 'hidden' });
        continue;
      }
      rows.push({ ...base, metric: 'respondents', value: g.n, n: g.n });
      for (const c of g.mechanisms) {
        if (c.score) rows.push({ ...base, mechanism: c.mechanismId, metric: 'mean', value: c.score.mean, n: c.score.n });
        if (c.favourable !== null) rows.push({ ...base, mechanism: c.mechanismId, metric: 'favourable', value: c.favourable, n: c.score?.n ?? null });
      }
    }
  }

  for (const p of model.checklist.practices) {
    rows.push({
      section: 'checklist',
      item: p.practiceId,
      label: L(p.text),
      metric: 'answer',
      value: p.answer,
      benchmark_kind: 'published',
      benchmark: L(p.published.description),
      benchmark_value: p.published.value,
      source: p.published.source,
      year: p.published.year,
      population: L(p.published.population),
    });
  }
  if (model.checklist.included) rows.push({ section: 'checklist', metric: 'in_place', value: model.checklist.inPlace, n: model.checklist.total });

  for (const g of model.dialogue.groups) {
    for (const f of g.frames) {
      const base: Row = { section: 'dialogue', group: g.group, frame: f.frame };
      if (f.suppressed) rows.push({ ...base, metric: 'suppressed' });
      if (!f.summary) continue;
      const s = f.summary;
      rows.push({ ...base, metric: 'mean_x', value: s.mean.x, n: s.n }, { ...base, metric: 'mean_y', value: s.mean.y, n: s.n });
      rows.push({ ...base, metric: 'sd_x', value: s.sd.x, n: s.n }, { ...base, metric: 'sd_y', value: s.sd.y, n: s.n });
      rows.push({ ...base, metric: 'agreement', value: s.agreement, n: s.n }, { ...base, metric: 'quadrant', value: s.quadrant, n: s.n });
    }
    if (g.move) {
      const base: Row = { section: 'dialogue_move', group: g.group, frame: 'current>desired' };
      rows.push({ ...base, metric: 'dx', value: g.move.dx }, { ...base, metric: 'dy', value: g.move.dy }, { ...base, metric: 'distance', value: g.move.distance });
      rows.push({ ...base, metric: 'to_quadrant', value: g.move.toQuadrant });
    }
    for (const p of g.placements) {
      const base: Row = { section: 'dialogue_placement', group: g.group, frame: p.frame, label: p.name };
      rows.push({ ...base, metric: 'x', value: p.x }, { ...base, metric: 'y', value: p.y });
    }
  }
  for (const d of model.dialogue.disagreements) {
    rows.push({ section: 'dialogue_disagreement', group: `${d.groupA}|${d.groupB}`, frame: d.frame, metric: 'distance', value: d.distance });
  }

  for (const g of model.factors.groups) {
    for (const f of g.factors) {
      const base: Row = { section: 'factor', dimension: g.groupId, item: f.factorId, label: L(f.label) };
      if (f.mean === null) {
        rows.push({ ...base, metric: 'suppressed' });
        continue;
      }
      rows.push({ ...base, metric: 'mean', value: f.mean, n: f.n });
      rows.push({ ...base, metric: 'stimulating', value: f.stimulating, n: f.n }, { ...base, metric: 'hindering', value: f.hindering, n: f.n });
    }
  }

  for (const p of model.priorities) {
    rows.push({ section: 'priority', mechanism: p.mechanismId, label: L(p.name), metric: 'rank', value: p.rank });
    for (const reason of p.reasons) rows.push({ section: 'priority_reason', mechanism: p.mechanismId, metric: reason.code, value: reason.value, label: L(reason.text) });
    for (const i of p.interventions) rows.push({ section: 'priority_intervention', mechanism: p.mechanismId, item: i.id, metric: 'intervention', label: L(i.text) });
  }

  for (const t of model.trend.mechanisms) {
    const base: Row = { section: 'trend', mechanism: t.mechanismId };
    if (t.changeMean !== null) rows.push({ ...base, metric: 'change_mean', value: t.changeMean });
    if (t.changeFavourable !== null) rows.push({ ...base, metric: 'change_favourable', value: t.changeFavourable });
  }
  for (const t of model.trend.items) {
    const base: Row = { section: 'trend_item', mechanism: t.mechanismId, item: t.itemId };
    if (t.changeMean !== null) rows.push({ ...base, metric: 'change_mean', value: t.changeMean });
    if (t.changeFavourable !== null) rows.push({ ...base, metric: 'change_favourable', value: t.changeFavourable });
  }

  return rows;
}

export interface AnonymousResponseRow {
  form: 'employee' | 'management';
  /** Language only where asked for (the data export); "hidden" when it would narrow a row down. */
  language?: string | null;
  /** Each field a value, null (not stated) or "hidden"; age and education possibly in coarser bands. */
  background: Record<SegmentDimension, string | null>;
  answers: Record<string, number | null>;
  factors: Record<string, number | null>;
  placements: Array<{ frame: string; x: number; y: number }>;
}

export type RawWithheld = 'below_threshold';

/**
 * The submitted responses of a round as rows nobody can link to a person or an invitation: employee
 * rows only from k employee respondents, management rows only from k management respondents; the
 * background restricted to the groups the results show and then k-anonymous over its crossing; no
 * ids, no timestamps; in an order keyed on a hash of the (never exported) response id, employees
 * first. Only the responses of the round's published release (when it has one). The caller decides whether the round may be shown at all (closed rounds only).
 */
export async function anonymousResponseRows(
  db: Db,
  round: { id: string; departments: string[]; anonymity_threshold: number | null },
  opts: { language?: boolean } = {},
): Promise<{ rows: AnonymousResponseRow[]; withheld: RawWithheld | null; k: number }> {
  const roundId = round.id;
  const k = effectiveK(round.anonymity_threshold);
  // Raw answers are served as of the published releases, per form: the rows of a form are those of
  // the first release, and move on to a later release's only when that adds at least k rows of the
  // form (otherwise two downloads would differ by the rows of 1..k-1 people, which full answers make
  // easy to match). Background groups are those that release shows. Rounds closed before releases
  // existed have none and use every submitted response.
  const releases = await loadReleases(db, roundId);
  let visible: Record<string, Set<string>>;
  let employees: number;
  let managers: number;
  let rowSets: { employee: Set<string>; management: Set<string> } | null = null;
  /** Employee rows the previously served file already had (those of the release before the one served). */
  let previousEmployees: Set<string> | null = null;
  if (releases.length > 0) {
    const submitted = await db.selectFrom('responses').select(['id', 'form']).where('round_id', '=', roundId).where('status', '=', 'submitted').execute();
    const formOf = new Map(submitted.map((r) => [r.id, r.form]));
    const chain = (form: 'employee' | 'management') => {
      let current: Set<string> | null = null;
      let previous: Set<string> | null = null;
      let release = releases[0]!;
      const earlier: Set<string>[] = [];
      const added = (set: Set<string>, than: Set<string>) => [...set].filter((id) => !than.has(id)).length;
      for (const r of releases) {
        const set = new Set(r.covered.filter((id) => formOf.get(id) === form));
        if (current === null) current = set;
        // A later release's rows only when they add at least k rows of the form to EVERY earlier
        // release, not only to the rows served so far: an earlier release's published figures about the
        // form (its managers' count and scores, say) minus the rows served would otherwise be the
        // figures of the 1..k-1 people added since (the differencing attacker found 8 management rows
        // served beside a release that had published 6 managers).
        else if (earlier.every((e) => added(set, e) >= k)) {
          previous = current;
          current = set;
          release = r;
        }
        earlier.push(set);
      }
      return { rows: current ?? new Set<string>(), previous, release };
    };
    const emp = chain('employee');
    const mgmt = chain('management');
    rowSets = { employee: emp.rows, management: mgmt.rows };
    previousEmployees = emp.previous;
    employees = emp.rows.size;
    managers = mgmt.rows.size;
    visible = Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Set<string>()]));
    for (const seg of emp.release.main.segments) for (const g of seg.groups) if (!g.hidden) visible[seg.dimension]!.add(g.key);
  } else {
    const counts = await countRespondents(db, roundId);
    employees = counts.byForm.employee;
    managers = counts.byForm.management;
    const partitions = partitionDimensions(counts.byDimension, round.departments, k);
    visible = Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Set(partitions[d].filter((g) => g.visible).map((g) => g.key))]));
  }
  const covered = rowSets ? [...rowSets.employee, ...rowSets.management] : null;
  if (employees < k) return { rows: [], withheld: 'below_threshold', k };
  const forms = ['employee', ...(managers >= k ? ['management'] : [])];

  type Json = Record<string, number | null> | string | null;
  const { rows: unordered } = await sql<{
    id: string;
    form: 'employee' | 'management';
    language: string;
    department: string | null;
    role: string | null;
    education: string | null;
    contract: string | null;
    age_band: string | null;
    answers: Json;
    factors: Json;
    placements: Array<{ frame: string; x: number; y: number }> | string | null;
  }>`
    select r.id, r.form, r.language, r.department, r.role, r.education, r.contract, r.age_band,
      (select json_object_agg(a.item_id, a.value) from answers a where a.response_id = r.id) as answers,
      (select json_object_agg(f.factor_id, f.value) from factor_answers f where f.response_id = r.id) as factors,
      (select json_agg(json_build_object('frame', p.frame, 'x', p.x, 'y', p.y) order by p.frame) from placements p where p.response_id = r.id) as placements
    from responses r
    where r.round_id = ${roundId} and r.status = 'submitted' and r.form = any(${forms}::text[])
      ${covered ? sql`and r.id::text = any(${covered}::text[])` : sql``}
  `.execute(db);
  const parse = <T>(v: T | string | null, empty: T): T => (v === null ? empty : typeof v === 'string' ? (JSON.parse(v) as T) : v);

  // Background first restricted to the groups the results show, then k-anonymous over the crossing
  // of all fields (and the language, when it is in the file). Management rows carry no background:
  // their groups are not part of the published partitions.
  const shown = unordered.map((row) => {
    const background: Record<string, string | null> = Object.fromEntries(
      SEGMENT_DIMENSIONS.map((d) => [d, row.form !== 'employee' || !visible[d]!.has(row[d] ?? NOT_STATED_KEY) ? HIDDEN : (row[d] ?? null)]),
    );
    if (opts.language) background.language = row.language;
    return { row, background };
  });
  for (const form of ['employee', 'management'] as const) {
    const group = shown.filter((s) => s.row.form === form);
    const anonymised = kAnonymise(group.map((s) => s.background), rawQuasiIdentifiers(opts.language ? ['language'] : []), k).rows;
    // The rows added since the file served before can be told apart (by their answers): among them,
    // too, every combination of shown background values must occur 0 or at least k times; otherwise
    // the background of this form is blanked.
    const previous = form === 'employee' ? previousEmployees : null;
    if (previous) {
      const combos = new Map<string, number>();
      group.forEach((s, i) => {
        if (previous.has(s.row.id)) return;
        const key = JSON.stringify(anonymised[i]);
        combos.set(key, (combos.get(key) ?? 0) + 1);
      });
      if ([...combos.values()].some((n) => n < k)) for (const row of anonymised) for (const key of Object.keys(row)) row[key] = HIDDEN;
    }
    group.forEach((s, i) => (s.background = anonymised[i] as Record<string, string | null>));
  }
  const ordered = unlinkableOrder(shown, (s) => s.row.id, roundId);
  ordered.sort((a, b) => (a.row.form === b.row.form ? 0 : a.row.form === 'employee' ? -1 : 1));
  const rows = ordered.map(({ row, background }) => {
    const { language, ...rest } = background;
    return {
      form: row.form,
      ...(opts.language ? { language: language ?? null } : {}),
      background: rest as Record<SegmentDimension, string | null>,
      answers: parse<Record<string, number | null>>(row.answers, {}),
      factors: parse<Record<string, number | null>>(row.factors, {}),
      placements: parse<Array<{ frame: string; x: number; y: number }>>(row.placements, []).map((p) => ({ frame: p.frame, x: Number(p.x), y: Number(p.y) })),
    };
  });
  return { rows, withheld: null, k };
}

/**
 * Anonymised raw answers of a closed round: one row per submitted respondent (anonymousResponseRows),
 * numbered 1..n; no ids, no timestamps, no language. Item cells: 1-5, dk or empty.
 */
export async function rawAnswersCsv(db: Db, roundId: string): Promise<string> {
  const round = await db
    .selectFrom('rounds')
    .select(['id', 'instrument_id', 'modules', 'departments', 'anonymity_threshold', 'raw_purged_at'])
    .where('id', '=', roundId)
    .executeTakeFirst();
  if (!round) throw new NotFoundError('Round');
  if (round.raw_purged_at) throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged');
  const { rows, withheld, k } = await anonymousResponseRows(db, round);
  if (withheld) throw new AppError(403, 'below_threshold', `Raw answers are available from ${k} submitted employee respondents`);
  const instrument = getCultureScan(round.instrument_id);
  const itemIds = instrument && round.modules.includes('culture_scan') ? instrument.scales.flatMap((s) => s.items.map((i) => i.id)) : [];
  const factorIds = round.modules.includes('factors') ? (getFactors()?.groups.flatMap((g) => g.factors.map((f) => f.id)) ?? []) : [];
  const header = ['respondent', 'form', ...SEGMENT_DIMENSIONS, ...itemIds, ...factorIds.map((f) => `factor_${f}`)];
  const cell = (v: number | null | undefined) => (v === undefined ? '' : v === null ? 'dk' : v);
  const out: CsvValue[][] = rows.map((row, i) => [
    i + 1,
    row.form,
    ...SEGMENT_DIMENSIONS.map((d) => row.background[d] ?? ''),
    ...itemIds.map((id) => cell(row.answers[id])),
    ...factorIds.map((id) => cell(row.factors[id])),
  ]);
  return toCsv(header, out);
}
