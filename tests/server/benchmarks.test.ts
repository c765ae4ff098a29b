// Custom benchmark sets: CSV upload (bad rows with line numbers, nothing stored), list, delete, pick
// per round, and the comparison in the result model with source and year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { insertRound, respond } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let consultant: Record<string, string>;
let roundId: string;

const upload = (csv: string, name = 'Klanten 2025', headers = consultant) =>
  t.app.inject({ method: 'POST', url: `/api/v1/benchmark-sets?name=${encodeURIComponent(name)}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });

const setCount = async () => Number((await t.db.selectFrom('benchmark_sets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  consultant = await sessionHeaders(t.db, tenant.consultant.id);
  roundId = await insertRound(t.db, tenant.organisationId);
  for (const p of ['5 4 4 5 1 4', '4 4 3 4 2 3', '3 2 3 3 3 2', '2 3 dk 2 4 -', '5 dk dk - 1 -', '4 5 4 4 2 5']) await respond(t.db, roundId, 'employee', p);
});

afterAll(async () => {
  await t?.close();
});

describe('benchmark sets', () => {
  it('reports every bad row with its line number and stores nothing', async () => {
    const csv = [
      'target_kind,target_id,metric,value,n,source,year',
      'scale,work_content,favourable,55,1200,Klantenbestand,2025',
      'scale,motivation,favourable,55,1200,Klantenbestand,2025', // line 3: unknown mechanism
      'item,wc2,mean,6.5,300,Klantenbestand,2025', // line 4: mean out of range
      'item,wc1,favourable,50,0,Klantenbestand,1850', // line 5: n and year
      'scale,work_content,favourable,56,1200,Klantenbestand,2025', // line 6: duplicate of line 2
    ].join('\n');
    const res = await upload(csv);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'line 3, column target_id',
      'line 4, column value',
      'line 5, column n',
      'line 5, column year',
      'line 6',
    ]);
    expect(await setCount()).toBe(0);
  });

  it('uploads, lists, is picked for a round and shows up in the results with source and year', async () => {
    const csv = 'target_kind,target_id,metric,value,n,source,year\nscale,work_content,mean,3.9,1200,Eigen klantenbestand,2025\nitem,wc1,favourable,70,800,Eigen klantenbestand,2024\n';
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(201);
    const set = res.json();
    expect(set).toMatchObject({ name: 'Klanten 2025', valueCount: 2, consultancyId: tenant.consultancyId });

    const hr = await sessionHeaders(t.db, tenant.hr.id);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/benchmark-sets', headers: hr });
    expect(list.json().sets.map((s: { id: string }) => s.id)).toEqual([set.id]);

    const pick = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/benchmark-set`, headers: hr, payload: { benchmarkSetId: set.id } });
    expect(pick.statusCode, pick.body).toBe(200);
    expect(pick.json().benchmarkSet).toEqual({ id: set.id, name: 'Klanten 2025' });

    const results = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: hr });
    const model = ResultModelSchema.parse(results.json());
    const wc = model.mechanisms.find((m) => m.mechanismId === 'work_content')!;
    // Mean 209/60 = 3.4833 against 3.9: delta -0.4167.
    expect(wc.benchmarks.find((b) => b.kind === 'custom')).toMatchObject({
      metric: 'mean',
      value: 3.9,
      delta: expect.closeTo(209 / 60 - 3.9, 10),
      source: 'Eigen klantenbestand',
      year: 2025,
      n: 1200,
    });
    // wc1 favourable 66.67% against 70%.
    const wc1 = wc.items.find((i) => i.itemId === 'wc1')!;
    expect(wc1.benchmarks.find((b) => b.kind === 'custom')).toMatchObject({ value: 70, year: 2024, delta: expect.closeTo(200 / 3 - 70, 10) });
    expect(model.meta.benchmarkSet).toEqual({ id: set.id, name: 'Klanten 2025' });
    // The set's values give different n (1200 and 800): one n would misstate it, so the source has none
    // and each comparison keeps its own.
    expect(model.benchmarkSources.find((s) => s.kind === 'custom')).toMatchObject({ id: `custom:${set.id}`, n: null });
  });

  it('only consultants upload and delete; another consultancy cannot see or pick the set', async () => {
    const hr = await sessionHeaders(t.db, tenant.hr.id);
    expect((await upload('target_kind,target_id,value,n,source,year\nscale,leadership,50,10,X,2024\n', 'HR', hr)).statusCode).toBe(403);
    const set = (await t.app.inject({ method: 'GET', url: '/api/v1/benchmark-sets', headers: consultant })).json().sets[0];
    const other = await createTenant(t.db);
    const otherConsultant = await sessionHeaders(t.db, other.consultant.id);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/benchmark-sets', headers: otherConsultant })).json().sets).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/benchmark-sets/${set.id}`, headers: otherConsultant })).statusCode).toBe(404);
    const otherRound = await insertRound(t.db, other.organisationId);
    const pick = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${otherRound}/benchmark-set`, headers: otherConsultant, payload: { benchmarkSetId: set.id } });
    expect(pick.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/benchmark-sets/${set.id}`, headers: consultant });
    expect(del.statusCode).toBe(204);
    const round = await t.db.selectFrom('rounds').select('benchmark_set_id').where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(round.benchmark_set_id).toBeNull();
  });

  it('JSON uploads work for API tokens of a consultancy', async () => {
    const token = bearer(await createApiTokenFor(t.db, { consultancyId: tenant.consultancyId }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/benchmark-sets',
      headers: token,
      payload: { name: 'Via API', csv: 'target_kind,target_id,value,n,source,year\nscale,leadership,61.5,40,Eigen,2024\n' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().valueCount).toBe(1);
  });

  it("carries the uploaded n on the set's source when all its values give the same n", async () => {
    const res = await upload('target_kind,target_id,metric,value,n,source,year\nscale,work_content,mean,3.7,450,Branchemeting,2025\nitem,wc1,favourable,64,450,Branchemeting,2024\n', 'Branche 2025');
    expect(res.statusCode, res.body).toBe(201);
    const set = res.json();
    const hr = await sessionHeaders(t.db, tenant.hr.id);
    const pick = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/benchmark-set`, headers: hr, payload: { benchmarkSetId: set.id } });
    expect(pick.statusCode, pick.body).toBe(200);
    const model = ResultModelSchema.parse((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: hr })).json());
    expect(model.benchmarkSources.filter((s) => s.kind === 'custom')).toEqual([
      { id: `custom:${set.id}`, kind: 'custom', label: { nl: 'Branche 2025', en: 'Branche 2025' }, source: 'Branchemeting', year: 2025, dataYear: null, population: null, n: 450 },
    ]);
  });
});
