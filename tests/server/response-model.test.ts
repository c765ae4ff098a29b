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

describe(`one response model in every output (${driverName})`, () => {
  it('the closed round gives the same response figures in the API, the CSV, both PDFs and the tracking; no rate above 100%, no count under k', async () => {
    const { fmtCount, fmtPct } = await import('../../report-templates/format.js');
    const { pdfText, squash } = await import('../fixtures/pdf.js');
    const close = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/close`, headers: a.as.hr });
    expect(close.statusCode, close.body).toBe(200);
    const model = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: a.as.hr })).json();
    const emp = model.response.perForm.find((f: { form: string }) => f.form === 'employee');
    expect(emp).toMatchObject({ invited: 6, submitted: 13 });
    expect(emp.rate).toBeCloseTo((5 / 6) * 100, 6);

    // CSV: the same numbers, parsed from the file.
    const { parse } = await import('csv-parse/sync');
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results.csv`, headers: a.as.hr });
    expect(csv.statusCode).toBe(200);
    const rows = parse(csv.body, { columns: true }) as Array<Record<string, string>>;
    const csvValue = (form: string, metric: string) => Number(rows.find((r) => r.section === 'response' && r.form === form && !r.dimension && r.metric === metric)!.value);
    expect(csvValue('employee', 'invited')).toBe(emp.invited);
    expect(csvValue('employee', 'submitted')).toBe(emp.submitted);
    expect(csvValue('employee', 'rate')).toBeCloseTo(emp.rate, 6);
    const zorgCsv = rows.filter((r) => r.section === 'response' && r.dimension === 'department' && r.group === 'Zorg');
    expect(Number(zorgCsv.find((r) => r.metric === 'submitted')!.value)).toBe(13);
    for (const r of rows.filter((x) => x.section === 'response' && x.metric === 'rate' && x.value !== '')) expect(Number(r.value)).toBeLessThanOrEqual(100);
    for (const r of rows.filter((x) => x.section === 'response' && (x.metric === 'invited' || x.metric === 'submitted') && x.value !== '')) {
      const n = Number(r.value);
      expect(n === 0 || n >= 5, `${r.form} ${r.metric} ${n}`).toBe(true);
    }

    // Both PDFs: the client report's count table and key figures, the director summary's key figures.
    const client = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf`, headers: a.as.hr });
    expect(client.statusCode, client.body.slice(0, 200)).toBe(200);
    const lines = pdfText(client.rawPayload, { layout: true }).split('\n');
    const row = lines.find((l) => /^\s*Medewerkers\s+\d/.test(l));
    expect(row, 'count table row of the employee form').toBeDefined();
    expect(row!.trim().split(/\s{2,}/)).toEqual(['Medewerkers', fmtCount(6, 'nl'), fmtCount(13, 'nl'), fmtPct(emp.rate, 'nl')]);
    const clientText = squash(pdfText(client.rawPayload));
    // The employee tile: the rate and the invitations it is a rate of (never "13 of 6 invited").
    expect(clientText).toContain(`${fmtPct(emp.rate, 'nl')} respons, van ${fmtCount(6, 'nl')} uitgenodigd`);
    expect(clientText).not.toContain(`${fmtCount(13, 'nl')} van ${fmtCount(6, 'nl')}`);
    const over = clientText.match(/.{0,60}\b(10[1-9]|1[1-9][0-9]|[2-9][0-9]{2})%.{0,20}/g);
    expect(over, 'no rate above 100%').toBeNull();
    const director = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/director.pdf`, headers: a.as.hr });
    expect(director.statusCode).toBe(200);
    const directorText = squash(pdfText(director.rawPayload));
    expect(directorText).toContain(fmtPct(model.response.rate, 'nl'));
    expect(directorText).toContain(fmtCount(13, 'nl'));

    // Tracking: the same submitted count and rate for the employee form.
    const rates = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/response-rates`, headers: a.as.hr })).json();
    const tracked = rates.forms.find((f: { form: string }) => f.form === 'employee').total;
    expect(tracked.submitted).toBe(emp.submitted);
    expect(tracked.invited).toBe(emp.invited);
    expect(tracked.rate).toBeCloseTo(emp.rate, 6);
  }, 120_000);
});
