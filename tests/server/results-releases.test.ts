// Releases: closing a round publishes its result model once; every output reads the stored release; a
// reopen + close publishes a new release only when at least k responses were added; trend compares
// published releases only. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { loadReleases } from '../../server/results/release-store.js';
import { closeRound, reopenRound } from '../../server/rounds/lifecycle.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;

async function model(roundId: string, query = ''): Promise<ResultModel> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results${query}`, headers: token });
  expect(res.statusCode, res.body).toBe(200);
  return ResultModelSchema.parse(res.json());
}
const wc = (m: ResultModel) => m.mechanisms.find((x) => x.mechanismId === 'work_content')!;
const close = (id: string) => t.db.transaction().execute((tx) => closeRound(tx, id, t.app.roundHooks.roundClosed));
const reopen = (id: string) => t.db.transaction().execute((tx) => reopenRound(tx, id));

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
});

afterAll(async () => {
  await t?.close();
});

describe('releases', () => {
  it('close publishes release 1; reopen + 1 response + close keeps it; k more publish release 2', async () => {
    const id = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Herhaald', departments: ['Zorg', 'Techniek'] });
    await respondMany(t.db, id, 6, 'employee', '4 4 4 4 2 4', { department: 'Zorg' }); // keyed all 4
    await respondMany(t.db, id, 5, 'employee', '2 2 2 2 4 2', { department: 'Techniek' }); // keyed all 2
    await close(id);
    const first = await model(id);
    // (6 x 4 + 5 x 2) / 11 = 34/11.
    expect(wc(first).score).toMatchObject({ n: 11, mean: expect.closeTo(34 / 11, 10) });
    expect(await loadReleases(t.db, id)).toHaveLength(1);
    const raw = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/raw.csv`, headers: token });
      expect(res.statusCode, res.body).toBe(200);
      return res.body;
    };
    const raw1 = await raw();
    expect(raw1.trim().split('\n')).toHaveLength(1 + 11);

    // One more response (keyed all 5) would show one person's score as 12 x new mean - 11 x old mean.
    await reopen(id);
    await respondMany(t.db, id, 1, 'employee', '5 5 5 5 1 5', { department: 'Zorg' });
    await close(id);
    const second = await model(id);
    expect(wc(second).score).toEqual(wc(first).score);
    expect(second.meta.generatedAt).toBe(first.meta.generatedAt);
    expect(await loadReleases(t.db, id)).toHaveLength(1);
    // raw.csv is tied to the release too: the same file, not one row more (which would be that person's answers).
    expect(await raw()).toBe(raw1);
    // The CSV and the segment views read the same release.
    const zorg = await model(id, '?segment=department:Zorg');
    expect(wc(zorg).score).toMatchObject({ n: 6, mean: 4 });
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/results.csv`, headers: token });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toMatch(/^mechanism,work_content,,,,employee,,mean,[^,]+,11,/m);

    // Four more (five added since release 1): a new release over all 16.
    await reopen(id);
    await respondMany(t.db, id, 4, 'employee', '5 5 5 5 1 5', { department: 'Techniek' });
    await close(id);
    const third = await model(id);
    // 6 x 4 + 1 x 5 + 5 x 2 + 4 x 5 = 24 + 5 + 10 + 20 = 59 over 16.
    expect(wc(third).score).toMatchObject({ n: 16, mean: expect.closeTo(59 / 16, 10) });
    expect(await loadReleases(t.db, id)).toHaveLength(2);
    expect((await raw()).trim().split('\n')).toHaveLength(1 + 16);
    // Zorg went from 6 to 7 between the releases: a difference of 1 person, so Zorg's view of release 2
    // must not show a figure 1 respondent away from release 1's (the disclosure layer keeps release 1
    // fixed). Techniek went from 5 to 9: also a difference under k.
    const zorg2 = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/results?segment=department:Zorg`, headers: token });
    if (zorg2.statusCode === 200) expect(wc(ResultModelSchema.parse(zorg2.json())).score).toBeNull();
    else expect(zorg2.statusCode).toBe(403);
  });

  it('raw.csv moves on to a later release only when it adds k rows of a form to every earlier release, not only to the rows it served', async () => {
    // Found by the differencing attacker: release 2 published 6 managers, release 3 covered 8, and
    // raw.csv served the 8 management rows because they were 5 more than release 1's 3 (which it had
    // not served: fewer than k). Release 2's managers' figures minus 6 of those rows are the 2 others.
    const id = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Rauw per vorm' });
    const rows = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/raw.csv`, headers: token });
      expect(res.statusCode, res.body).toBe(200);
      const [header, ...lines] = res.body.trim().split('\n');
      const form = header!.split(',').indexOf('form');
      const of = (f: string) => lines.filter((l) => l.split(',')[form] === f).length;
      return { employee: of('employee'), management: of('management') };
    };
    const managers = async () => (await model(id)).response.perForm.find((p) => p.form === 'management')?.submitted ?? null;
    await respondMany(t.db, id, 5, 'employee', '4 4 4 4 2 4');
    await respondMany(t.db, id, 3, 'management', '3 3 3 3 3 3', { role: 'hr' });
    await close(id);
    expect(await rows()).toEqual({ employee: 5, management: 0 });
    // Five more (two employees, three managers): release 2, which shows 6 managers.
    await reopen(id);
    await respondMany(t.db, id, 2, 'employee', '4 4 4 4 2 4');
    await respondMany(t.db, id, 3, 'management', '2 2 2 2 4 2', { role: 'hr' });
    await close(id);
    expect(await loadReleases(t.db, id)).toHaveLength(2);
    expect(await managers()).toBe(6);
    // Five more again (three employees, two managers): release 3, 8 managers, 2 more than release 2.
    await reopen(id);
    await respondMany(t.db, id, 3, 'employee', '5 5 5 5 1 5');
    await respondMany(t.db, id, 2, 'management', '5 5 5 5 1 5', { role: 'hr' });
    await close(id);
    expect(await loadReleases(t.db, id)).toHaveLength(3);
    // Neither form adds k rows to release 2 (3 employees, 2 managers): raw.csv stays at release 1's rows.
    expect(await rows()).toEqual({ employee: 5, management: 0 });
  });

  it('trend compares with the previous round\'s published release, not a recomputation', async () => {
    const other = await createTenant(t.db);
    const otherToken = bearer(await createApiTokenFor(t.db, { organisationId: other.organisationId }));
    const prev = await insertRound(t.db, other.organisationId, { status: 'open', name: 'Vorige' });
    await respondMany(t.db, prev, 5, 'employee', '3 3 3 3 3 3');
    await t.db.transaction().execute((tx) => closeRound(tx, prev, t.app.roundHooks.roundClosed, new Date('2026-02-01T00:00:00Z')));
    // An answer added to the closed earlier round afterwards (as an import could) changes nothing published.
    await respondMany(t.db, prev, 1, 'employee', '5 5 5 5 1 5');
    const cur = await insertRound(t.db, other.organisationId, { status: 'open', name: 'Huidige' });
    await respondMany(t.db, cur, 5, 'employee', '4 4 4 4 2 4');
    await close(cur);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${cur}/results`, headers: otherToken });
    expect(res.statusCode, res.body).toBe(200);
    const m = ResultModelSchema.parse(res.json());
    expect(m.trend.previousRound?.id).toBe(prev);
    const point = m.trend.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    expect(point).toMatchObject({ previousMean: 3, currentMean: 4, changeMean: 1 });
  });

  it('an open round gets no release, and the results route refuses it', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Open' });
    await respondMany(t.db, open, 6, 'employee', '4 4 4 4 2 4');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${open}/results`, headers: token });
    expect(res.statusCode).toBe(409);
    expect(await loadReleases(t.db, open)).toHaveLength(0);
  });
});
