// One response model for rounds that mix personal invitations and a shared link: the rate is personal
// submissions over personal invitations (shared-link respondents have no invited count), never above
// 100%, and the round page's tracking (response-rates) and the result model (JSON, which the CSV and
// PDFs read) agree. Figures counted by hand from the arrangement:
//   employee form: 6 personal invitations (Zorg), 5 submitted; 8 more submit through a shared link
//   (Zorg). The old computation gave (5 + 8) / 6 = 217%; the right one is 5 / 6 = 83.3%.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResultModel } from '../../server/results/build.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, personalLinks, sharedLink, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let roundId: string;

const submit = (token: string, seed: number, dept = 'Zorg') =>
  t.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': `k${seed}` }, payload: { answers: completeAnswers(seed), background: { department: dept } } });

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg', 'ICT'], anonymityThreshold: 5 });
  roundId = round.id;
  const tokens = [...(await personalLinks(t.app, a.as.hr, roundId, Array.from({ length: 6 }, (_, i) => `p${i}@example.nl,Zorg`).join('\n'))).values()];
  for (const [i, tok] of tokens.slice(0, 5).entries()) expect((await submit(tok, i)).statusCode).toBe(200);
  const shared = await sharedLink(t.app, a.as.hr, roundId);
  for (let i = 0; i < 8; i++) {
    const own = (await t.app.inject({ method: 'POST', url: `/api/v1/survey/${shared.token}/start`, payload: {} })).json().token as string;
    expect((await submit(own, 10 + i)).statusCode).toBe(200);
  }
}, 120_000);
afterAll(async () => t?.close());

describe(`response model for mixed rounds (${driverName})`, () => {
  it('tracking: personal invited/submitted/rate and shared started/submitted, apart', async () => {
    const rates = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/response-rates`, headers: a.as.hr })).json();
    const emp = rates.forms.find((f: { form: string }) => f.form === 'employee').total;
    expect(emp.personal).toEqual({ invited: 6, started: 5, submitted: 5 });
    expect(emp.shared).toEqual({ started: 8, submitted: 8, headcount: null, rate: null });
    expect(emp.rate).toBeCloseTo((5 / 6) * 100, 6);
  });

  it('a shared link gets a rate only against a headcount HR entered, never above 100%', async () => {
    const get = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/response-rates`, headers: a.as.hr })).json().forms[0].segments.find((x: { department: string }) => x.department === 'Zorg');
    expect((await get()).shared).toMatchObject({ headcount: null, rate: null });
    const bad = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers: a.as.hr, payload: { headcounts: { employee: { Onbekend: 10 } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.headcounts.employee.Onbekend');
    const ok = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers: a.as.hr, payload: { headcounts: { employee: { Zorg: 10 } } } });
    expect(ok.statusCode).toBe(200);
    expect((await get()).shared).toEqual({ started: 8, submitted: 8, headcount: 10, rate: 80 });
    // A headcount below the shared submissions (HR's estimate was low) still gives no rate above 100%.
    await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers: a.as.hr, payload: { headcounts: { employee: { Zorg: 6 } } } });
    expect((await get()).shared.rate).toBe(100);
  });

  it('the result model gives the same rate, never above 100%, overall, per form and per department', async () => {
    const model = await buildResultModel(t.db, roundId);
    const emp = model.response.perForm.find((f) => f.form === 'employee')!;
    expect(emp).toMatchObject({ invited: 6, submitted: 13 });
    expect(emp.rate).toBeCloseTo((5 / 6) * 100, 6);
    expect(model.response.rate).toBeCloseTo((5 / 6) * 100, 6);
    const zorg = model.response.perSegment.find((s) => s.dimension === 'department')!.groups.find((g) => g.key === 'Zorg')!;
    expect(zorg).toMatchObject({ hidden: false, invited: 6, submitted: 13 });
    expect(zorg.hidden === false && zorg.rate).toBeCloseTo((5 / 6) * 100, 6);
    const all = [model.response.rate, ...model.response.perForm.map((f) => f.rate), ...model.response.perSegment.flatMap((s) => s.groups.map((g) => (g.hidden ? null : g.rate)))];
    for (const r of all) if (r !== null) expect(r).toBeLessThanOrEqual(100);
  });
});
