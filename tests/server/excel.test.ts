// The Excel export: the tidy CSV's rows, one worksheet per part of the result model, with the same
// suppression (hidden groups appear only as "hidden", without a value or an n).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/lib/csv.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let other: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundId: string;

const get = (path: string, headers = token) => t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/${path}`, headers });

async function readBook(body: Buffer): Promise<Map<string, Array<Record<string, unknown>>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out = new Map<string, Array<Record<string, unknown>>>();
  wb.eachSheet((ws) => {
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Array<Record<string, unknown>> = [];
    ws.eachRow((row, i) => {
      if (i === 1) return;
      const v = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((h, j) => [h, v[j] ?? null])));
    });
    out.set(ws.name, rows);
  });
  return out;
}

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  other = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
  // Zorg 7, Techniek 6, Staf 3: Staf hidden (< 5), Techniek hidden by complementary suppression.
  roundId = await insertRound(t.db, tenant.organisationId, { departments: ['Zorg', 'Techniek', 'Staf'] });
  await respondMany(t.db, roundId, 7, 'employee', '4 4 4 4 2 4', { department: 'Zorg', age_band: '35_44' });
  await respondMany(t.db, roundId, 6, 'employee', '2 2 dk 2 4 -', { department: 'Techniek', age_band: '35_44' });
  await respondMany(t.db, roundId, 3, 'employee', '3 3 3 3 3 3', { department: 'Staf', age_band: '55_plus' });
  await respondMany(t.db, roundId, 2, 'management', '5 5 5 5 1 5');
});

afterAll(async () => {
  await t?.close();
});

describe('results.xlsx', () => {
  it('has one sheet per part, the CSV figures, and nothing about hidden groups', async () => {
    const res = await get('results.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*-results\.xlsx"/);
    const book = await readBook(res.rawPayload);
    expect([...book.keys()]).toEqual(['Toelichting', 'Ronde', 'Respons', 'Mechanismen', 'Stellingen', 'Perspectieven', 'Groepen', 'Checklist', 'Dialoogmodel', 'Factoren', 'Prioriteiten', 'Trend']);
    const json = (await get('results')).json();
    const wc = json.mechanisms.find((m: { mechanismId: string }) => m.mechanismId === 'work_content');
    const mean = book.get('Mechanismen')!.filter((r) => r.Mechanisme === 'work_content' && r.Maat === 'mean');
    expect(mean).toHaveLength(1);
    expect(mean[0]!.Waarde).toBe(wc.score.mean);
    expect(mean[0]!.n).toBe(wc.score.n);
    // Every figure of the CSV is in the workbook, and no more: same row count per section.
    const [header, ...csvRows] = parseCsv((await get('results.csv')).body);
    const sectionCol = header!.cells.indexOf('section');
    const csvCount = csvRows.filter((r) => r.cells[sectionCol] === 'item').length;
    expect(book.get('Stellingen')!.length).toBe(csvCount);
    // Hidden groups only as "hidden", with no value or n.
    const groups = book.get('Groepen')!;
    for (const dept of ['Techniek', 'Staf']) {
      const rows = groups.filter((r) => r.Groep === dept);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.Maat === 'hidden' && r.Waarde === null && (r.n ?? null) === null)).toBe(true);
    }
    expect(groups.some((r) => r.Groep === 'Zorg' && r.Maat === 'respondents' && r.Waarde === 7)).toBe(true);
    // Management below k: no management figures in the perspectives sheet.
    const mgmt = book.get('Perspectieven')!.filter((r) => r.Vragenlijst === 'management');
    expect(mgmt.length).toBeGreaterThan(0);
    expect(mgmt.every((r) => r.Maat === 'suppressed')).toBe(true);
    // The first sheet states the threshold in words.
    expect(JSON.stringify(book.get('Toelichting'))).toContain('ten minste 5 mensen');
  });

  it('speaks English on request, is audited, and is refused across tenants and for open rounds', async () => {
    const en = await readBook((await get('results.xlsx?lang=en')).rawPayload);
    expect([...en.keys()].slice(0, 4)).toEqual(['About', 'Round', 'Response', 'Mechanisms']);
    expect(JSON.stringify(en.get('Statements'))).toContain('Employees in the Netherlands');
    const audit = await t.db.selectFrom('audit_events').select('action').where('round_id', '=', roundId).where('action', '=', 'results.xlsx').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    const foreign = bearer(await createApiTokenFor(t.db, { organisationId: other.organisationId }));
    expect((await get('results.xlsx', foreign)).statusCode).toBe(404);
    const bad = await get('results.xlsx?lang=de');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('lang');
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open' });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${open}/results.xlsx`, headers: token });
    expect(res.statusCode).toBe(409);
  });
});
