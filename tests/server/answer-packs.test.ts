// Answer packs (migration 0023): each response's answers and factor ratings as one text value each,
// which the release build reads instead of the answer rows. They must equal the rows after every way
// the rows are written: the survey API as the app's login role in the respondent's tenant scope
// (autosave, a changed answer, "don't know", submit), direct inserts in batches, updates, deletes,
// a response deleted with its rows, and the migration's backfill of rows written before it. The
// figures built from the packs must equal those built from the rows, after the rows changed.
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS } from '../../scans/result-model.js';
import { withSystemScope } from '../../server/auth/tenant-scope.js';
import type { DB } from '../../server/db/schema.js';
import { prng } from '../../server/lib/prng.js';
import { aggregateAnswers, aggregateCountedViews, aggregateViews, loadContributions, loadCountTable, type CountTable, type FormAggregate, type SegmentFilter } from '../../server/results/aggregate.js';
import { ratedIds, unpackRecord as unpack } from '../../server/results/packs.js';
import { FactorCounter, factorsOf, loadAllFactors, loadFactors } from '../../server/results/sections/factors.js';
import { down as packsDown, up as packsUp } from '../../migrations/2026-12-02-0023-answer-packs.js';
import { createTenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';
import { completeAnswers, itemIds } from '../helpers/rounds.js';
import { sharedLinkRound, type SharedLinkRound } from '../helpers/shared-link-round.js';
import { insertRound } from './results-helpers.js';
import { loadAllPlacements, PlacementCollector, placementsOf } from '../../server/results/sections/dialogue.js';

const instrument = getCultureScan('culture-scan@1')!;

/** Every response of the round whose packs differ from its rows (as the owner reads both). */
async function mismatches(owner: Kysely<DB>, roundId: string): Promise<string[]> {
  const responses = await owner.selectFrom('responses').select(['id', 'answer_pack', 'factor_pack']).where('round_id', '=', roundId).execute();
  const bad: string[] = [];
  for (const r of responses) {
    const answers = await owner.selectFrom('answers').select(['item_id', 'value']).where('response_id', '=', r.id).execute();
    const factors = await owner.selectFrom('factor_answers').select(['factor_id', 'value']).where('response_id', '=', r.id).execute();
    const want = {
      answers: answers.length ? Object.fromEntries(answers.map((a) => [a.item_id, a.value])) : null,
      factors: factors.length ? Object.fromEntries(factors.map((f) => [f.factor_id, f.value])) : null,
    };
    const got = { answers: r.answer_pack === null ? null : unpack(r.answer_pack), factors: r.factor_pack === null ? null : unpack(r.factor_pack) };
    if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(want))) bad.push(`${r.id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  }
  return bad;
}

const sortKeys = (x: { answers: Record<string, unknown> | null; factors: Record<string, unknown> | null }) => ({
  answers: x.answers && Object.fromEntries(Object.entries(x.answers).sort(([a], [b]) => a.localeCompare(b))),
  factors: x.factors && Object.fromEntries(Object.entries(x.factors).sort(([a], [b]) => a.localeCompare(b))),
});

describe(`answer packs through the survey API, as the app's login role (${driverName})`, () => {
  let r: SharedLinkRound | undefined;
  let app: FastifyInstance;
  let owner: Kysely<DB>;
  let roundId: string;

  beforeAll(async () => {
    r = await sharedLinkRound('packs', { modules: ['culture_scan', 'factors'], maxResponses: 10 });
    ({ app, owner, roundId } = r);
  });

  afterAll(async () => {
    await r?.close();
  });

  const start = () => r!.start();
  const save = async (token: string, payload: object) => {
    const res = await app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('follow autosaves, a changed answer, a "don\'t know", changed ratings and the submit', async () => {
    const first = await start();
    await save(first, { answers: { sd1: 3, sd2: 4 }, factors: { health: 1 } });
    expect(await mismatches(owner, roundId)).toEqual([]);
    const row = await owner.selectFrom('responses').select(['answer_pack', 'factor_pack']).where('round_id', '=', roundId).executeTakeFirstOrThrow();
    expect(unpack(row.answer_pack)).toEqual({ sd1: 3, sd2: 4 });
    expect(row.factor_pack).toBe('health:1');
    // A changed answer and a "don't know" (null).
    await save(first, { answers: { sd1: 5, sd2: null }, factors: { health: -2, colleagues: 2 } });
    expect(await mismatches(owner, roundId)).toEqual([]);
    const changed = await owner.selectFrom('responses').select(['answer_pack', 'factor_pack']).where('round_id', '=', roundId).executeTakeFirstOrThrow();
    expect(unpack(changed.answer_pack)).toEqual({ sd1: 5, sd2: null });
    expect(unpack(changed.factor_pack)).toEqual({ health: -2, colleagues: 2 });
    // The submit with every answer (the general path, and the fast one for a second respondent).
    const submitted = await app.inject({ method: 'POST', url: `/api/v1/survey/${first}/submit`, headers: { 'idempotency-key': 'packs-1' }, payload: { answers: completeAnswers(2) } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const second = await start();
    const fast = await app.inject({ method: 'POST', url: `/api/v1/survey/${second}/submit`, headers: { 'idempotency-key': 'packs-2' }, payload: { answers: completeAnswers(3), factors: { colleagues: 0 } } });
    expect(fast.statusCode, fast.body).toBe(200);
    expect(await mismatches(owner, roundId)).toEqual([]);
    const packs = await owner.selectFrom('responses').select(['answer_pack']).where('round_id', '=', roundId).where('status', '=', 'submitted').execute();
    expect(packs).toHaveLength(2);
    for (const p of packs) expect(Object.keys(unpack(p.answer_pack)).sort()).toEqual([...itemIds()].sort());
  });
});

describe(`answer packs under direct writes, and the figures built from them (${driverName})`, () => {
  let t: TestDatabase;
  let owner: Kysely<DB>;
  let roundId: string;
  const views: SegmentFilter[] = [
    ...['A', 'B', NOT_STATED_KEY].map((value) => ({ dimension: 'department' as const, value })),
    ...['manager', NOT_STATED_KEY].map((value) => ({ dimension: 'role' as const, value })),
  ];

  beforeAll(async () => {
    t = await createTestDatabase();
    owner = t.database.db;
    const tenant = await createTenant(owner, { label: 'packs-direct' });
    roundId = await insertRound(owner, tenant.organisationId, { departments: ['A', 'B'], modules: ['culture_scan', 'factors', 'dialogue_model'] });
    const rand = prng(20261202);
    const items = instrument.scales.flatMap((s) => s.items.map((i) => i.id));
    const responses = await owner
      .insertInto('responses')
      .values(
        Array.from({ length: 40 }, (_, r) => ({
          round_id: roundId,
          form: r % 8 === 0 ? ('management' as const) : ('employee' as const),
          status: 'submitted' as const,
          submitted_at: new Date('2026-04-01'),
          department: rand() < 0.2 ? null : rand() < 0.5 ? 'A' : 'B',
          role: rand() < 0.3 ? null : rand() < 0.3 ? ('manager' as const) : ('employee' as const),
        })),
      )
      .returning('id')
      .execute();
    // Answers and ratings in two batches each (two statements touching overlapping responses).
    const answers = responses.flatMap(({ id }) => items.filter(() => rand() > 0.15).map((item_id) => ({ response_id: id, item_id, value: rand() < 0.07 ? null : 1 + Math.floor(rand() * 5) })));
    const half = Math.floor(answers.length / 2);
    await owner.insertInto('answers').values(answers.slice(0, half)).execute();
    await owner.insertInto('answers').values(answers.slice(half)).execute();
    const factors = responses.flatMap(({ id }) => ['health', 'colleagues', 'workload'].filter(() => rand() > 0.3).map((factor_id) => ({ response_id: id, factor_id, value: rand() < 0.1 ? null : Math.floor(rand() * 5) - 2 })));
    await owner.insertInto('factor_answers').values(factors).execute();
    // Employee placements on some respondents (fractional coordinates too), not every frame each.
    const frames = ['past', 'current', 'desired'] as const;
    const placements = responses.flatMap(({ id }, r) =>
      frames.filter((_, f) => (r + f) % 3 !== 0 && r % 5 !== 0).map((frame) => ({ round_id: roundId, participant_group: 'employee' as const, response_id: id, frame, x: Math.round((rand() * 200 - 100) * 8) / 8, y: rand() * 200 - 100 })),
    );
    await owner.insertInto('placements').values(placements).execute();
    // Two submitted respondents without a single answer: counted, but in no figure.
    await owner
      .insertInto('responses')
      .values(['A', null].map((department) => ({ round_id: roundId, form: 'employee' as const, status: 'submitted' as const, submitted_at: new Date('2026-04-01'), department })))
      .execute();
  });

  afterAll(async () => {
    await t?.dispose();
  });

  async function expectFiguresFromRows() {
    const all = await aggregateViews((fn) => withSystemScope(owner, fn), roundId, instrument, views, 6);
    for (const filter of [null, ...views]) {
      const fromRows = await aggregateAnswers(owner, roundId, instrument, filter);
      const key = filter ? `${filter.dimension}:${filter.value}` : null;
      for (const form of ['employee', 'management'] as const) expect(normalise(all.get(key)![form]), `${form} ${key}`).toEqual(normalise(fromRows[form]));
    }
    const counts = await loadAllFactors(owner, roundId);
    // The release build counts them in its answer pass: the same counts.
    // With the pass's number for each background and without it; what each respondent rated is handed back.
    const counter = new FactorCounter();
    const byKey = new FactorCounter();
    const ratedBy = new Map<string, readonly string[] | undefined>();
    await aggregateViews((fn) => withSystemScope(owner, fn), roundId, instrument, [], 9, {
      onRow: (r, b) => {
        const rated = counter.add(r, b);
        ratedBy.set(r.id, rated && [...rated]);
        byKey.add(r);
      },
    });
    const countKey = (r: { factor_id: string | null; value: number | null; n: number; dim: string | null; key: string | null }) => JSON.stringify([r.factor_id, r.value, r.n, r.dim, r.key]);
    expect(counter.counts().map(countKey).sort()).toEqual(counts.map(countKey).sort());
    expect(byKey.counts().map(countKey).sort()).toEqual(counts.map(countKey).sort());
    expect(counts.length).toBeGreaterThan(20);
    for (const filter of [null, ...views]) {
      const direct = await loadFactors(owner, roundId, filter);
      const derived = factorsOf(counts, filter);
      expect(derived.respondents, JSON.stringify(filter)).toBe(direct.respondents);
      const key = (r: { factor_id: string | null; value: number | null; n: number }) => `${r.factor_id}|${r.value}|${r.n}`;
      expect(derived.rows.map(key).sort()).toEqual(direct.rows.map(key).sort());
    }
    // The count table gathered in the answer pass equals the one read on its own, respondents
    // without an answer on the scales included.
    let decidedOn: CountTable | undefined;
    const counted = await aggregateCountedViews((fn) => withSystemScope(owner, fn), roundId, instrument, (table) => ((decidedOn = table), views), 11);
    const countRow = (r: CountTable['rows'][number]) => JSON.stringify([r.form, ...SEGMENT_DIMENSIONS.map((d) => r[d]), r.n]);
    const direct = await loadCountTable(owner, roundId);
    expect(counted.counts.rows.map(countRow).sort()).toEqual(direct.rows.map(countRow).sort());
    expect(decidedOn).toBe(counted.counts);
    expect([...counted.forms.keys()]).toEqual([null, ...views.map((v) => `${v.dimension}:${v.value}`)]);
    // The placements gathered in the answer pass equal those read on their own.
    const collector = new PlacementCollector();
    const byGroups = new PlacementCollector();
    const framesBy = new Map<string, readonly string[] | null>();
    await aggregateViews((fn) => withSystemScope(owner, fn), roundId, instrument, [], 7, {
      onRow: (r, b) => {
        const frames = collector.add(r, b);
        framesBy.set(r.id, frames && [...frames]);
        byGroups.add(r);
      },
      withPlacements: true,
    });
    const gathered = await collector.finish((fn) => withSystemScope(owner, fn), roundId);
    const read = await loadAllPlacements(owner, roundId);
    expect(read.points.n).toBeGreaterThan(30);
    expect(gathered).toEqual(read);
    expect(await byGroups.finish((fn) => withSystemScope(owner, fn), roundId)).toEqual(read);
    // Per group, from the index the collector built as it went and the one built from the points read.
    for (const filter of [null, ...views]) expect(placementsOf(gathered, filter), JSON.stringify(filter)).toEqual(placementsOf(read, filter));
    // The contributions' answered items and rated factors equal the rows with a value.
    for (const c of await loadContributions(owner, roundId, instrument)) {
      const items = await owner.selectFrom('answers').select('item_id').where('response_id', '=', c.responseId).where('value', 'is not', null).execute();
      const rated = await owner.selectFrom('factor_answers').select('factor_id').where('response_id', '=', c.responseId).where('value', 'is not', null).execute();
      expect([...c.items].sort()).toEqual(items.map((i) => i.item_id).sort());
      expect([...(c.factorsRated ?? [])].sort()).toEqual(rated.map((f) => f.factor_id).sort());
      // What the answer pass's counter and collector handed back for the respondent: the same factors, in the same order, and frames.
      if (c.form === 'employee') expect(ratedBy.get(c.responseId), c.responseId).toEqual(c.factorsRated ?? []);
      else expect(ratedBy.get(c.responseId)).toBeUndefined();
      expect(framesBy.get(c.responseId) ?? [], c.responseId).toEqual(c.frames ?? []);
      const placed = await owner.selectFrom('placements').select('frame').distinct().where('response_id', '=', c.responseId).execute();
      expect([...(c.frames ?? [])].sort()).toEqual(placed.map((p) => p.frame).sort());
    }
  }

  it('equal the rows after batched inserts, and give the figures of the rows', async () => {
    expect(await mismatches(owner, roundId)).toEqual([]);
    await expectFiguresFromRows();
  });

  it('follow updates, deletes and a response deleted with its rows', async () => {
    const ids = (await owner.selectFrom('responses').select('id').where('round_id', '=', roundId).orderBy('id').execute()).map((r) => r.id);
    await owner.updateTable('answers').set({ value: null }).where('item_id', '=', 'sd1').where('response_id', 'in', ids.slice(0, 10)).execute();
    await owner.updateTable('answers').set({ value: 1 }).where('item_id', 'in', ['sd2', 'wc3']).execute();
    await owner.updateTable('factor_answers').set({ value: 2 }).where('factor_id', '=', 'health').execute();
    await owner.deleteFrom('answers').where('response_id', 'in', ids.slice(10, 14)).where('item_id', 'like', 's%').execute();
    // Every row of two responses: their packs go back to null.
    await owner.deleteFrom('answers').where('response_id', 'in', ids.slice(14, 16)).execute();
    await owner.deleteFrom('factor_answers').where('response_id', 'in', ids.slice(14, 16)).execute();
    await owner.deleteFrom('responses').where('id', '=', ids[16]!).execute();
    expect(await mismatches(owner, roundId)).toEqual([]);
    const cleared = await owner.selectFrom('responses').select(['answer_pack', 'factor_pack']).where('id', 'in', ids.slice(14, 16)).execute();
    expect(cleared).toEqual([{ answer_pack: null, factor_pack: null }, { answer_pack: null, factor_pack: null }]);
    await expectFiguresFromRows();
  });

  it('are backfilled by the migration for rows written before it', async () => {
    await packsDown(owner);
    const before = await owner.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n)).toBeGreaterThan(100);
    // Written while no trigger keeps the packs: the backfill reads the rows as they are now.
    await owner.updateTable('answers').set({ value: 3 }).where('item_id', '=', 'wc1').execute();
    await packsUp(owner);
    expect(await mismatches(owner, roundId)).toEqual([]);
    const wc1 = await owner.selectFrom('responses').select('answer_pack').where('round_id', '=', roundId).where('answer_pack', 'like', '%wc1:%').execute();
    expect(wc1.length).toBeGreaterThan(5);
    for (const r of wc1) expect(unpack(r.answer_pack).wc1).toBe(3);
    // The triggers are back as well.
    await owner.updateTable('answers').set({ value: 4 }).where('item_id', '=', 'sd3').execute();
    expect(await mismatches(owner, roundId)).toEqual([]);
    await expectFiguresFromRows();
  });

  it('are never null for a response with rows, and keep ids and values apart', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from responses r where r.round_id = ${roundId} and r.answer_pack is null and exists (select 1 from answers a where a.response_id = r.id)`.execute(owner);
    expect(rows[0]!.n).toBe(0);
    expect(ratedIds('sd1:4,sd2:,wc1:1')).toEqual(['sd1', 'wc1']);
    expect(unpack('health:-2,colleagues:')).toEqual({ health: -2, colleagues: null });
    expect(unpack(null)).toEqual({});
  });
});

function normalise(f: FormAggregate) {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const scaleAgg = (a: { n: number; sum: number; sumSq: number; valid: number; favourable: number; respondents: number }) => [a.n, round(a.sum), round(a.sumSq), a.valid, a.favourable, a.respondents];
  return {
    scales: [...f.scales].map(([k, a]) => [k, scaleAgg(a)]).sort(),
    items: [...f.items].map(([k, a]) => [k, a.raw, a.dontKnow, a.complete.n, a.complete.sum, a.complete.sumSq, round(a.complete.sumTotal)]).sort(),
    alpha: [...f.alphaTotals].map(([k, a]) => [k, a.n, a.sum, a.sumSq]).sort(),
    segments: Object.entries(f.segments).map(([d, groups]) => [d, [...groups].map(([g, byMech]) => [g, [...byMech].map(([m, a]) => [m, scaleAgg(a)]).sort()]).sort()]),
  };
}
