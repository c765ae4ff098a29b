// The platform pool: contribution at close (>= k employees only), percentile ranks among OTHER
// organisations shown only from 5 of them (overall, sector, size class), each organisation counted
// once, demo data kept apart, and the pool median as a benchmark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
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

describe('percentile ranks', () => {
  it('are not shown while fewer than 5 other organisations are in a comparison group', async () => {
    const wc = await workContent();
    // Others (own organisation and demo data excluded): 3.0, 3.2, 3.4, 4.0 -> 4 < 5.
    expect(wc.percentiles.overall).toEqual({ shown: false, reason: 'too_few_organisations', minimumGroupSize: 5 });
    expect(wc.percentiles.sector.shown).toBe(false);
    expect(wc.percentiles.sizeClass.shown).toBe(false);
    expect(wc.benchmarks.filter((b) => b.kind === 'pool')).toEqual([]);
  });

  it('are shown from 5 other organisations, each counted once with its latest entry', async () => {
    // A fifth organisation: an old entry 1.0 and a newer one 4.5; only 4.5 counts.
    const orgId = await insertPoolEntry(t.db, {
      consultancyId: tenant.consultancyId,
      mechanism: 'work_content',
      score: 1.0,
      sector: 'healthcare',
      sizeClass: 'medium',
      contributedAt: new Date('2025-01-01T00:00:00Z'),
    });
    await insertPoolEntry(t.db, { consultancyId: tenant.consultancyId, organisationId: orgId, mechanism: 'work_content', score: 4.5, sector: 'healthcare', sizeClass: 'medium' });
    const wc = await workContent();
    // Others: 3.0, 3.2, 3.4, 4.0, 4.5; ours 3.4833: below 3, equal 0 -> (3 + 0) / 5 x 100 = 60.
    expect(wc.percentiles.overall).toEqual({ shown: true, rank: 60, quartile: 3, groupSize: 5 });
    // Sector healthcare: 3.0, 4.0, 4.5 (3 others); size class medium: 3.2, 4.5 (2 others).
    expect(wc.percentiles.sector).toMatchObject({ shown: false, reason: 'too_few_organisations' });
    expect(wc.percentiles.sizeClass).toMatchObject({ shown: false, reason: 'too_few_organisations' });
    // No pool mean below 10 others (a median of 5 would be one organisation's own score).
    expect(wc.benchmarks.filter((b) => b.kind === 'pool')).toEqual([]);
  });

  it('sector ranks appear once the sector holds 5 others', async () => {
    for (const score of [2.0, 3.9]) {
      await insertPoolEntry(t.db, { consultancyId: tenant.consultancyId, mechanism: 'work_content', score, sector: 'healthcare', sizeClass: 'large' });
    }
    const wc = await workContent();
    // Healthcare others: 3.0, 4.0, 4.5, 2.0, 3.9 -> below 2 (2.0, 3.0) -> 40.
    expect(wc.percentiles.sector).toEqual({ shown: true, rank: 40, quartile: 2, groupSize: 5 });
    // Overall: 7 others, below 4 (3.0, 3.2, 3.4, 2.0) -> 4 / 7 x 100 = 57.14.
    expect(wc.percentiles.overall).toMatchObject({ shown: true, groupSize: 7, rank: expect.closeTo(400 / 7, 10) });
  });

  it('the mean of other organisations is a benchmark from 10 of them, rounded to one decimal', async () => {
    for (const score of [3.1, 3.3, 3.6]) {
      await insertPoolEntry(t.db, { consultancyId: tenant.consultancyId, mechanism: 'work_content', score, sector: 'education', sizeClass: 'small' });
    }
    const wc = await workContent();
    // Others: 3.0 + 3.2 + 3.4 + 4.0 + 4.5 + 2.0 + 3.9 + 3.1 + 3.3 + 3.6 = 34.0 over 10 -> 3.4.
    expect(wc.benchmarks.find((b) => b.kind === 'pool')).toMatchObject({ value: 3.4, n: 10, metric: 'mean', delta: expect.closeTo(209 / 60 - 3.4, 10) });
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
    // The snapshot sees the whole pool, not only the caller's tenant: 10 other organisations.
    expect(model.mechanisms.find((m) => m.mechanismId === 'work_content')!.percentiles.overall).toMatchObject({ shown: true, groupSize: 10 });
  });

  it('a round under k contributes nothing', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Klein' });
    await respondMany(t.db, open, 4, 'employee', '4 4 4 4 2 4');
    await t.db.transaction().execute((tx) => closeRound(tx, open, t.app.roundHooks.roundClosed));
    const entries = await t.db.selectFrom('pool_entries').selectAll().where('round_id', '=', open).execute();
    expect(entries).toEqual([]);
  });
});
