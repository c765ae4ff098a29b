// The platform pool: contribution at close (>= k employees only), percentile bands (quartiles,
// deciles from 40) among organisations of OTHER consultancies shown only from 10 of them, each
// organisation counted once, demo data kept apart, the pool mean as a benchmark, and a bisection
// attack by a consultant that creates organisations and rounds, which must fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
import { comparePool } from '../../server/results/pool.js';
import { closeRound } from '../../server/rounds/lifecycle.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { insertPoolEntry, insertRound, respond, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundId: string;

async function workContent() {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: token });
  expect(res.statusCode, res.body).toBe(200);
  return ResultModelSchema.parse(res.json()).mechanisms.find((m) => m.mechanismId === 'work_content')!;
}

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db, { sector: 'healthcare', sizeClass: 'medium' });
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
  // The same six employees as in results.test.ts: work-content mean 209/60 = 3.483333.
  roundId = await insertRound(t.db, tenant.organisationId);
  for (const p of ['5 4 4 5 1 4', '4 4 3 4 2 3', '3 2 3 3 3 2', '2 3 dk 2 4 -', '5 dk dk - 1 -', '4 5 4 4 2 5']) await respond(t.db, roundId, 'employee', p);
  const c = tenant.consultancyId;
  // Four other organisations, one entry of the organisation itself, one demo organisation.
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 3.0, sector: 'healthcare', sizeClass: 'small' });
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 3.2, sector: 'education', sizeClass: 'medium' });
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 3.4, sector: 'education', sizeClass: 'small' });
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 4.0, sector: 'healthcare', sizeClass: 'large' });
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 1.0, organisationId: tenant.organisationId });
  await insertPoolEntry(t.db, { consultancyId: c, mechanism: 'work_content', score: 1.5, isDemo: true });
});

afterAll(async () => {
  await t?.close();
});

describe('percentile bands', () => {
  let foreign: string;
  beforeAll(async () => {
    foreign = (await createTenant(t.db)).consultancyId;
  });

  it('are not shown below 10 other organisations, and organisations of the own consultancy never count', async () => {
    // The own consultancy's organisations (4 of beforeAll plus 8 here) are steerable by its consultants: left out.
    for (let i = 0; i < 8; i++) await insertPoolEntry(t.db, { consultancyId: tenant.consultancyId, mechanism: 'work_content', score: 2 + i / 4, sector: 'healthcare' });
    for (const score of [3.0, 3.2, 3.4, 4.0]) await insertPoolEntry(t.db, { consultancyId: foreign, mechanism: 'work_content', score, sector: 'education', sizeClass: 'small' });
    const wc = await workContent();
    expect(wc.percentiles.overall).toEqual({ shown: false, reason: 'too_few_organisations', minimumGroupSize: 10 });
    expect(wc.percentiles.sector.shown).toBe(false);
    expect(wc.benchmarks.filter((b) => b.kind === 'pool')).toEqual([]);
  });

  it('are quartiles from 10 other organisations, each counted once with its latest entry', async () => {
    const orgId = await insertPoolEntry(t.db, { consultancyId: foreign, mechanism: 'work_content', score: 1.0, sector: 'education', sizeClass: 'small', contributedAt: new Date('2025-01-01T00:00:00Z') });
    await insertPoolEntry(t.db, { consultancyId: foreign, organisationId: orgId, mechanism: 'work_content', score: 4.5, sector: 'education', sizeClass: 'small' });
    for (const score of [2.0, 3.9, 3.1, 3.3, 3.6]) await insertPoolEntry(t.db, { consultancyId: foreign, mechanism: 'work_content', score, sector: 'education', sizeClass: 'small' });
    const wc = await workContent();
    // Others: 3.0 3.2 3.4 4.0 4.5 2.0 3.9 3.1 3.3 3.6; ours 3.4833 -> 6 below -> rank 60 -> third quartile.
    expect(wc.percentiles.overall).toEqual({ shown: true, band: 'quartile', position: 3, from: 50, to: 75, groupSize: 10 });
    expect(wc.percentiles.overall).not.toHaveProperty('rank');
    expect(wc.percentiles.sector).toMatchObject({ shown: false, reason: 'too_few_organisations' });
    // The mean of those 10: 34.0 / 10 = 3.4.
    expect(wc.benchmarks.find((b) => b.kind === 'pool')).toMatchObject({ value: 3.4, n: 10, metric: 'mean' });
  });

  it('are deciles from 40 other organisations', async () => {
    for (let i = 0; i < 30; i++) await insertPoolEntry(t.db, { consultancyId: foreign, mechanism: 'work_content', score: 5.0, sector: 'education', sizeClass: 'small' });
    const wc = await workContent();
    // 6 of 40 below -> rank 15 -> second decile.
    expect(wc.percentiles.overall).toEqual({ shown: true, band: 'decile', position: 2, from: 10, to: 20, groupSize: 40 });
  });
});

describe('the pool mean', () => {
  it('is rounded half up to one decimal whatever order the database sums the scores in', async () => {
    // Ten organisations at 2.45: the exact mean is 2.45, shown as 2.5 like every other score. Summed as
    // floats it is 2.4499999999999997, which a plain Math.round(x * 10) / 10 turns into 2.4; where the
    // floats land on either side of .x5 depends on the order the rows are read in, so the same pool
    // showed a different mean after an update moved a row.
    const others = (await createTenant(t.db)).consultancyId;
    for (let i = 0; i < 10; i++) await insertPoolEntry(t.db, { consultancyId: others, mechanism: 'mean_rounding', score: 2.45 });
    const r = await comparePool(t.db, { organisationId: tenant.organisationId, sector: 'healthcare', sizeClass: 'medium', isDemo: false, scores: new Map([['mean_rounding', 3]]) });
    expect(r.get('mean_rounding')).toMatchObject({ mean: 2.5, others: 10 });
  });
});

describe('probing the pool', () => {
  it('a consultant who creates organisations and rounds cannot bisect another organisation\'s score', async () => {
    // The target: an organisation of another consultancy, 6th of 10 in its comparison group.
    const victims = (await createTenant(t.db)).consultancyId;
    const sector = 'logistics';
    const targetOrg = await insertPoolEntry(t.db, { consultancyId: victims, mechanism: 'self_direction', score: 3.7, sector, isDemo: true });
    const orgAt = new Map<number, string>();
    for (const score of [2.0, 2.5, 3.0, 3.5, 3.6, 4.0, 4.2, 4.4, 4.6]) orgAt.set(score, await insertPoolEntry(t.db, { consultancyId: victims, mechanism: 'self_direction', score, sector, isDemo: true }));
    // The attacker's consultancy: a viewing organisation, plus two organisations at 5.0 it creates so
    // that the target would sit exactly on the median boundary of 12 (6 below -> rank 50).
    const attacker = await createTenant(t.db, { sector, sizeClass: 'medium' });
    for (let i = 0; i < 2; i++) await insertPoolEntry(t.db, { consultancyId: attacker.consultancyId, mechanism: 'self_direction', score: 5.0, sector, isDemo: true });
    const observe = async (score: number) => {
      const r = await comparePool(t.db, { organisationId: attacker.organisationId, sector, sizeClass: 'medium', isDemo: true, scores: new Map([['self_direction', score]]) });
      return JSON.stringify(r.get('self_direction'));
    };
    // Bisect the own score between 3.55 and 4.1 for the point where the band changes: each probe is
    // a round the attacker could create with chosen answers.
    const bisect = async () => {
      const seen: string[] = [];
      let lo = 3.55;
      let hi = 4.1;
      const low = await observe(lo);
      for (let i = 0; i < 20; i++) {
        const mid = (lo + hi) / 2;
        const o = await observe(mid);
        seen.push(o);
        if (o === low) lo = mid;
        else hi = mid;
      }
      return { seen, boundary: hi };
    };
    const first = await bisect();
    // The target moves within its band (3.7 -> 3.95): everything the attacker sees stays the same.
    await t.db.updateTable('pool_entries').set({ score: 3.95 }).where('organisation_id', '=', targetOrg).execute();
    const second = await bisect();
    expect(second.seen).toEqual(first.seen);
    // Scores are compared on a grid of 0.25 (POOL_RANK_GRID): the boundary found is a grid midpoint
    // (3.625, between the points 3.5 and 3.75), not the score of any organisation (3.6, 3.7).
    expect(Math.abs(first.boundary - 3.625)).toBeLessThan(0.001);
    expect(Math.abs(first.boundary - 3.6)).toBeGreaterThan(0.02);
    // Nor can the attacker tell where in its grid cell the 5th-lowest organisation lies (3.6 -> 3.4 ->
    // 3.55: all on the point 3.5): every probe of a fine sweep answers the same.
    const sweep = async () => {
      const out: string[] = [];
      for (let s = 3.2; s <= 4.0; s += 0.01) out.push(await observe(s));
      return out;
    };
    const before = await sweep();
    for (const moved of [3.4, 3.55]) {
      await t.db.updateTable('pool_entries').set({ score: moved }).where('organisation_id', '=', orgAt.get(3.6)!).execute();
      expect(await sweep()).toEqual(before);
    }
  });
});

describe('contribution at close', () => {
  it('a closed round with >= k employees adds its organisation-level scale scores and a snapshot', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Open' });
    for (const p of ['5 4 4 5 1 4', '4 4 3 4 2 3', '3 2 3 3 3 2', '2 3 dk 2 4 -', '5 dk dk - 1 -', '4 5 4 4 2 5']) await respond(t.db, open, 'employee', p);
    await respondMany(t.db, open, 5, 'management', '1 1 1 1 5 1');
    await t.db.transaction().execute((tx) => closeRound(tx, open, t.app.roundHooks.roundClosed));
    const entries = await t.db.selectFrom('pool_entries').selectAll().where('round_id', '=', open).execute();
    // Only work content has scale scores (5 >= k); management answers are not part of it.
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ mechanism_id: 'work_content', respondents: 6, organisation_id: tenant.organisationId, sector: 'healthcare', size_class: 'medium' });
    expect(Number(entries[0]!.score)).toBeCloseTo(209 / 60, 10);
    expect(Number(entries[0]!.favourable)).toBeCloseTo(60, 10);
    const snapshot = await t.db.selectFrom('round_snapshots').select('round_id').where('round_id', '=', open).executeTakeFirst();
    expect(snapshot).toBeDefined();
  });

  it('closing through the API (a tenant-scoped transaction, row-level security on PostgreSQL) does the same', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Via API' });
    await respondMany(t.db, open, 5, 'employee', '4 4 4 4 2 4');
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${open}/close`, headers: await sessionHeaders(t.db, tenant.hr.id) });
    expect(res.statusCode, res.body).toBe(200);
    const entries = await t.db.selectFrom('pool_entries').select(['mechanism_id', 'score']).where('round_id', '=', open).execute();
    expect(entries.map((e) => [e.mechanism_id, Number(e.score)])).toEqual([['work_content', 4]]);
    const snapshot = await t.db.selectFrom('round_snapshots').select('result').where('round_id', '=', open).executeTakeFirstOrThrow();
    const model = ResultModelSchema.parse(typeof snapshot.result === 'string' ? JSON.parse(snapshot.result) : snapshot.result);
    // The snapshot sees the whole pool of other consultancies, not only the caller's tenant: 40 organisations.
    expect(model.mechanisms.find((m) => m.mechanismId === 'work_content')!.percentiles.overall).toMatchObject({ shown: true, band: 'decile', groupSize: 40 });
  });

  it('a round under k contributes nothing', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Klein' });
    await respondMany(t.db, open, 4, 'employee', '4 4 4 4 2 4');
    await t.db.transaction().execute((tx) => closeRound(tx, open, t.app.roundHooks.roundClosed));
    const entries = await t.db.selectFrom('pool_entries').selectAll().where('round_id', '=', open).execute();
    expect(entries).toEqual([]);
  });
});
