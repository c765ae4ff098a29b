// Two independent implementations of the answer aggregates must agree: aggregateAnswers (packed
// per-respondent rows finished in TypeScript, used by buildResultModel) and aggregateAnswersInSql
// (everything in SQL). Random rounds with don't-knows, skipped items and segments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { NOT_STATED_KEY } from '../../scans/result-model.js';
import { withSystemScope } from '../../server/auth/tenant-scope.js';
import { aggregateAnswers, aggregateCountedViews, aggregateViews, countRespondents, countsOf, loadCountTable, loadCountTableStaged, loadResponseIds, type FormAggregate, type SegmentFilter } from '../../server/results/aggregate.js';
import { aggregateAnswersInSql } from '../helpers/aggregate-sql.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant } from '../helpers/auth.js';
import { insertRound } from './results-helpers.js';
import { prng } from '../../server/lib/prng.js';

let t: TestApp;
let roundId: string;
const instrument = getCultureScan('culture-scan@1')!;

// Small deterministic PRNG (mulberry32), so a failure can be reproduced.

beforeAll(async () => {
  t = await setupTestApp();
  const tenant = await createTenant(t.db);
  roundId = await insertRound(t.db, tenant.organisationId, { departments: ['A', 'B', 'C'] });
  const rand = prng(20260521);
  const items = instrument.scales.flatMap((s) => s.items.map((i) => i.id));
  for (let r = 0; r < 90; r++) {
    const form = r % 9 === 0 ? 'management' : 'employee';
    const { id } = await t.db
      .insertInto('responses')
      .values({
        round_id: roundId,
        form,
        status: r % 17 === 0 ? 'in_progress' : 'submitted',
        submitted_at: r % 17 === 0 ? null : new Date('2026-04-01'),
        department: rand() < 0.15 ? null : ['A', 'B', 'C'][Math.floor(rand() * 3)]!,
        role: rand() < 0.3 ? null : rand() < 0.2 ? 'manager' : 'employee',
        age_band: rand() < 0.5 ? '35_44' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answers = items
      .filter(() => rand() > 0.12)
      .map((item_id) => ({ response_id: id, item_id, value: rand() < 0.06 ? null : 1 + Math.floor(rand() * 5) }));
    if (answers.length) await t.db.insertInto('answers').values(answers).execute();
  }
});

afterAll(async () => {
  await t?.close();
});

function normalise(f: FormAggregate) {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const scaleAgg = (a: { n: number; sum: number; sumSq: number; valid: number; favourable: number }) => [a.n, round(a.sum), round(a.sumSq), a.valid, a.favourable];
  return {
    scales: [...f.scales].filter(([, a]) => a.valid > 0 || a.n > 0).map(([k, a]) => [k, scaleAgg(a)]).sort(),
    items: [...f.items].map(([k, a]) => [k, a.raw, a.dontKnow, a.complete.n, a.complete.sum, a.complete.sumSq]).sort(),
    alpha: [...f.alphaTotals].map(([k, a]) => [k, a.n, a.sum, a.sumSq]).sort(),
    segments: Object.entries(f.segments).map(([d, groups]) => [
      d,
      [...groups].map(([g, byMech]) => [g, [...byMech].filter(([, a]) => a.valid > 0 || a.n > 0).map(([m, a]) => [m, scaleAgg(a)]).sort()]).sort(),
    ]),
  };
}

describe('aggregateAnswers', () => {
  it('agrees with the all-SQL implementation, for the whole round and under a segment filter', async () => {
    for (const filter of [null, { dimension: 'department' as const, value: 'B' }, { dimension: 'role' as const, value: '_not_stated' }]) {
      const fast = await aggregateAnswers(t.db, roundId, instrument, filter);
      const inSql = await aggregateAnswersInSql(t.db, roundId, instrument, filter);
      for (const form of ['employee', 'management'] as const) {
        const a = normalise(fast[form]);
        const b = normalise(inSql[form]);
        expect(a.scales.length, `${form} ${JSON.stringify(filter)}`).toBeGreaterThan(0);
        expect(a).toEqual(form === 'employee' ? b : { ...b, segments: a.segments });
      }
    }
  });
});

describe('aggregateViews (one chunked pass for every view)', () => {
  const views: SegmentFilter[] = [
    ...['A', 'B', 'C', NOT_STATED_KEY].map((value) => ({ dimension: 'department' as const, value })),
    ...['manager', 'employee', NOT_STATED_KEY].map((value) => ({ dimension: 'role' as const, value })),
    ...['35_44', NOT_STATED_KEY].map((value) => ({ dimension: 'age_band' as const, value })),
  ];

  it('gives every view the figures of aggregateAnswers under that filter, in chunks of a few respondents', async () => {
    // A chunk of 7 respondents: many short steps, each its own system-scoped transaction.
    const all = await aggregateViews((fn) => withSystemScope(t.db, fn), roundId, instrument, views, 7);
    expect(all.size).toBe(views.length + 1);
    for (const filter of [null, ...views]) {
      const key = filter ? `${filter.dimension}:${filter.value}` : null;
      const perView = await aggregateAnswers(t.db, roundId, instrument, filter);
      for (const form of ['employee', 'management'] as const) {
        const a = normalise(all.get(key)![form]);
        expect(a, `${form} ${key}`).toEqual(normalise(perView[form]));
        if (form === 'employee') expect(a.scales.length, `${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('reads the respondents by keyset without a list of ids: the same figures, counts and contributions, and the ids in order', async () => {
    const all = await loadResponseIds((fn) => withSystemScope(t.db, fn), roundId);
    expect(all.length).toBe(84);
    const pass = async (ids: readonly string[] | undefined, overlap: boolean, chunk: number) => {
      let steps = 0;
      const run = Object.assign(
        <T,>(fn: (db: typeof t.db) => Promise<T>) => {
          steps++;
          return withSystemScope(t.db, fn);
        },
        { overlap, stepTargetMs: 25 },
      );
      const seen: string[] = [];
      const masks: string[] = [];
      const counted = await aggregateCountedViews(run, roundId, instrument, () => views, chunk, {
        ...(ids ? { ids } : {}),
        onContribution: (c) => {
          seen.push(c.responseId);
          masks.push(`${c.form}:${Array.from(c.masks).join(',')}`);
        },
      });
      const forms = [...counted.forms].map(([key, f]) => [key, normalise(f.employee), normalise(f.management)]);
      const counts = counted.counts.rows.map((r) => JSON.stringify(r)).sort();
      return { forms, counts, seen, masks, ids: counted.ids, steps };
    };
    const byList = await pass(all, false, 7);
    expect(byList.ids).toEqual(all);
    // Chunks of 3 (84 ids: the last chunk is full, so one more read finds none) and of 5 (a short last chunk), on both drivers' mode.
    for (const [overlap, chunk] of [[false, 3], [true, 3], [false, 5], [true, 5]] as const) {
      const keyset = await pass(undefined, overlap, chunk);
      expect(keyset.ids, `overlap ${overlap}, chunk ${chunk}`).toEqual(all);
      expect(keyset.seen).toEqual(all);
      expect(keyset.masks).toEqual(byList.masks);
      expect(keyset.forms).toEqual(byList.forms);
      expect(keyset.counts).toEqual(byList.counts);
      expect(keyset.steps).toBeGreaterThan(3);
    }
  });

  it('reads the submitted ids in pages and the count table in chunks, with the figures of one query each', async () => {
    const all = await t.db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('status', '=', 'submitted').orderBy('id').execute();
    let steps = 0;
    const run = <T,>(fn: (db: typeof t.db) => Promise<T>) => {
      steps++;
      return withSystemScope(t.db, fn);
    };
    // Pages of 3 ids at first: the 84 submitted ids (90 less the 6 in progress) in many steps, in id order, none twice.
    const ids = await loadResponseIds(run, roundId, 3);
    expect(ids).toEqual(all.map((r) => r.id));
    expect(steps).toBeGreaterThan(3);
    // Where steps may run side by side (PostgreSQL): one query, the same ids.
    steps = 0;
    expect(await loadResponseIds(Object.assign(run, { overlap: true }), roundId, 3)).toEqual(ids);
    expect(steps).toBe(1);
    steps = 0;
    const staged = await loadCountTableStaged(run, roundId, ids);
    expect(steps).toBeGreaterThan(1);
    const whole = await loadCountTable(t.db, roundId);
    const key = (r: (typeof whole.rows)[number]) => JSON.stringify(r);
    expect(staged.rows.map(key).sort()).toEqual(whole.rows.map(key).sort());
    expect(staged.rows.reduce((n, r) => n + r.n, 0)).toBe(ids.length);
  });

  it('derives every view\'s respondent counts from one count table', async () => {
    const table = await loadCountTable(t.db, roundId);
    for (const filter of [null, ...views]) {
      const direct = await countRespondents(t.db, roundId, filter);
      const derived = countsOf(table, filter);
      expect(derived.byForm).toEqual(direct.byForm);
      for (const [dim, groups] of Object.entries(direct.byDimension)) {
        expect([...derived.byDimension[dim as keyof typeof direct.byDimension]].sort(), `${dim} ${JSON.stringify(filter)}`).toEqual([...groups].sort());
      }
    }
  });
});
