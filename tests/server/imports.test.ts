// POST /api/v1/rounds/:roundId/imports: responses from another survey tool as CSV. Strict validation
// with line and column in every error, all or nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
import { buildResultModel } from '../../server/results/build.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { insertRound } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundId: string;

const post = (payload: string | object, query = '', headers: Record<string, string> = token) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/rounds/${roundId}/imports${query}`,
    headers: typeof payload === 'string' ? { ...headers, 'content-type': 'text/csv' } : headers,
    payload,
  });

const count = async () => Number((await t.db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('round_id', '=', roundId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
  roundId = await insertRound(t.db, tenant.organisationId, { status: 'open', departments: ['Zorg', 'Techniek'] });
});

afterAll(async () => {
  await t?.close();
});

describe('import', () => {
  it('rejects the whole file with line and column for every bad cell, and stores nothing', async () => {
    const csv = [
      'respondent_id,department,role,wc1,wc2,wc3,wc4,wc5,wc6',
      'r1,Zorg,employee,4,4,4,4,2,4', // fine
      'r2,Keuken,employee,4,4,4,4,2,4', // line 3: unknown department
      'r3,Zorg,boss,6,4,x,4,2,4', // line 4: role and wc1
      'r4,Zorg,employee,,,,,,', // line 5: nothing answered
      'r5,Zorg,employee,4,4', // line 6: too few fields
    ].join('\n');
    const res = await post(csv);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual([
      'line 3, column department',
      'line 4, column role',
      'line 4, column wc1',
      'line 5',
      'line 6',
    ]);
    expect(await count()).toBe(0);
  });

  it('rejects unknown and duplicate columns in the header', async () => {
    const res = await post('wc1,wc1,colour\n4,4,red\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'line 1, column wc1', message: 'duplicate column' },
      expect.objectContaining({ path: 'line 1, column 3' }),
    ]);
    const quote = await post('wc1,wc2\n"4,4\n');
    expect(quote.statusCode).toBe(400);
    expect(quote.json().errors[0].path).toBe('line 2, column 1');
    expect(await count()).toBe(0);
  });

  it('imports a valid file in one go (don\'t know, skipped items, background) and the results show it', async () => {
    const rows = ['department,age_band,wc1,wc2,wc3,wc4,wc5,wc6'];
    for (let i = 0; i < 6; i++) rows.push(`Zorg,35_44,5,4,dk,4,1,${i < 3 ? '' : '5'}`);
    const res = await post(rows.join('\r\n') + '\r\n');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ roundId, imported: 6, byForm: { employee: 6, management: 0 } });
    expect(await count()).toBe(6);
    const stored = await t.db.selectFrom('responses').select(['channel', 'status', 'department', 'age_band', 'submitted_at']).where('round_id', '=', roundId).execute();
    expect(stored.every((r) => r.channel === 'import' && r.status === 'submitted' && r.department === 'Zorg' && r.age_band === '35_44')).toBe(true);
    // Stored to the day only.
    expect(stored.every((r) => new Date(r.submitted_at!).getUTCHours() === 0 && new Date(r.submitted_at!).getUTCMinutes() === 0)).toBe(true);
    const dk = await t.db.selectFrom('answers').select('value').where('item_id', '=', 'wc3').execute();
    expect(dk.map((a) => a.value)).toEqual([null, null, null, null, null, null]);
    // Keyed answers 5 4 . 4 5 (wc3 don't know, wc5 reverse 1 -> 5): three respondents answered 4 items
    // (18/4 = 4.5, exactly the 2/3 minimum of 4), three also wc6 = 5 (23/5 = 4.6): mean 4.55.
    // Results are published once the round is closed.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: token })).statusCode).toBe(409);
    const wc = ResultModelSchema.parse(await buildResultModel(t.db, roundId)).mechanisms.find((m) => m.mechanismId === 'work_content')!;
    expect(wc.score!.n).toBe(6);
    expect(wc.score!.mean).toBeCloseTo((3 * 4.5 + 3 * 4.6) / 6, 10);
  });

  it('JSON bodies work too, with the management form', async () => {
    const res = await post({ csv: 'wc1,wc2\n3,3\n', form: 'management' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().byForm).toEqual({ employee: 0, management: 1 });
  });

  it('needs a managing role; directors and other tenants are refused; closed rounds answer 409', async () => {
    expect((await post('wc1\n4\n', '', await sessionHeaders(t.db, tenant.director.id))).statusCode).toBe(403);
    const other = await createTenant(t.db);
    expect((await post('wc1\n4\n', '', bearer(await createApiTokenFor(t.db, { organisationId: other.organisationId })))).statusCode).toBe(404);
    const before = await count();
    await t.db.updateTable('rounds').set({ status: 'closed', closed_at: new Date() }).where('id', '=', roundId).execute();
    const res = await post('wc1\n4\n');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('round_closed');
    expect(await count()).toBe(before);
  });
});
