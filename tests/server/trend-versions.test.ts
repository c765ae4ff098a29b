// The trend across culture-scan versions: a round on culture-scan@2 after one on @1 compares the
// word-for-word identical items only, leaves scale means and changed items empty, and says so in
// trend.notComparable. Figures by hand in the comments. Runs on PGlite and, with TEST_DATABASE_URL,
// on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { driverName } from '../helpers/database.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { respond } from './results-helpers.js';

let t: TestApp;
let token: Record<string, string>;
let v1Round: string;
let v2Round: string;

async function insertClosedRound(organisationId: string, name: string, instrumentId: string, closedAt: string): Promise<string> {
  const row = await t.db
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name,
      instrument_id: instrumentId,
      modules: ['culture_scan'],
      languages: ['nl', 'en'],
      departments: [],
      anonymity_threshold: 5,
      status: 'closed',
      opened_at: new Date('2026-01-01T00:00:00Z'),
      closed_at: new Date(closedAt),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function model(roundId: string): Promise<ResultModel> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: token });
  expect(res.statusCode, res.body).toBe(200);
  return ResultModelSchema.parse(res.json());
}

beforeAll(async () => {
  t = await setupTestApp();
  const tenant = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
  v1Round = await insertClosedRound(tenant.organisationId, 'Meting 2025 (v1)', 'culture-scan@1', '2026-03-01T00:00:00Z');
  v2Round = await insertClosedRound(tenant.organisationId, 'Meting 2026 (v2)', 'culture-scan@2', '2026-09-01T00:00:00Z');
  // v1: five employees on wc1..wc6 (wc5 reverse): wc1 = 4 for all; scale keyed 4 4 4 4 4 4 = 4.0.
  for (let i = 0; i < 5; i++) await respond(t.db, v1Round, 'employee', '4 4 4 4 2 4', {}, ['wc1', 'wc2', 'wc3', 'wc4', 'wc5', 'wc6']);
  // v2: five employees on wc1..wc5 and the new wc7: wc1 = 5 for all; scale keyed 5 x 6 = 5.0.
  for (let i = 0; i < 5; i++) await respond(t.db, v2Round, 'employee', '5 5 5 5 1 5', {}, ['wc1', 'wc2', 'wc3', 'wc4', 'wc5', 'wc7']);
});

afterAll(async () => t.close());

describe(`trend across instrument versions (${driverName})`, () => {
  it('takes the v1 round as the previous round of a v2 round', async () => {
    const m = await model(v2Round);
    expect(m.trend.previousRound?.id).toBe(v1Round);
    expect(m.trend.notComparable?.previousInstrumentId).toBe('culture-scan@1');
  });

  it('compares identical items (wc1: 4 -> 5) and leaves revised or new items empty', async () => {
    const m = await model(v2Round);
    const wc1 = m.trend.items.find((i) => i.itemId === 'wc1')!;
    expect(wc1).toMatchObject({ previousMean: 4, currentMean: 5, changeMean: 1 });
    const wc7 = m.trend.items.find((i) => i.itemId === 'wc7')!;
    expect(wc7).toMatchObject({ previousMean: null, changeMean: null, currentMean: 5 });
    expect(m.trend.notComparable?.items).toContain('wc7');
    expect(m.trend.notComparable?.items).not.toContain('wc1');
  });

  it('does not compare scale means whose items differ, and says which', async () => {
    const m = await model(v2Round);
    const wc = m.trend.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    // Without the version check this would read 4.0 -> 5.0: a mean over other questions.
    expect(wc).toMatchObject({ previousMean: null, changeMean: null, currentMean: 5 });
    expect(m.trend.notComparable?.mechanisms).toContain('work_content');
  });

  it('a round on the same version has no notComparable note', async () => {
    const m = await model(v1Round);
    expect(m.trend.previousRound).toBeNull();
    expect(m.trend.notComparable).toBeUndefined();
  });
});
