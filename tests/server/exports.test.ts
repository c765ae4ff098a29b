// CSV out: the result model as one tidy table, and anonymised raw answers (refused below k, no
// timestamps, background only where the group is visible).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/lib/csv.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundId: string;

const get = (path: string, headers = token) => t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/${path}`, headers });

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
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

describe('results.csv', () => {
  it('is one tidy table with the same figures as the JSON and nothing about hidden groups', async () => {
    const res = await get('results.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const [header, ...rows] = parseCsv(res.body);
    expect(header!.cells.slice(0, 10)).toEqual(['section', 'mechanism', 'item', 'dimension', 'group', 'form', 'frame', 'metric', 'value', 'n']);
    const col = (name: string) => header!.cells.indexOf(name);
    const find = (pred: (c: string[]) => boolean) => rows.map((r) => r.cells).filter(pred);
    const json = (await get('results')).json();
    const wc = json.mechanisms.find((m: { mechanismId: string }) => m.mechanismId === 'work_content');
    const mean = find((c) => c[col('section')] === 'mechanism' && c[col('mechanism')] === 'work_content' && c[col('metric')] === 'mean');
    expect(mean).toHaveLength(1);
    expect(Number(mean[0]![col('value')])).toBe(wc.score.mean);
    // Published figure rows carry source, year and population.
    const published = find((c) => c[col('item')] === 'wc1' && c[col('benchmark_kind')] === 'published')[0]!;
    expect(published[col('benchmark_value')]).toBe('61');
    expect(published[col('year')]).toBe('2023');
    expect(published[col('population')]).toBe('Werknemers in Nederland');
    // Hidden groups appear only as 'hidden', with no value or n.
    const techniek = find((c) => c[col('group')] === 'Techniek');
    expect(techniek.length).toBeGreaterThan(0);
    expect(techniek.every((c) => c[col('metric')] === 'hidden' && c[col('value')] === '' && c[col('n')] === '')).toBe(true);
    // English labels on request.
    const en = await get('results.csv?lang=en');
    expect(en.body).toContain('Employees in the Netherlands');
  });
});

describe('raw.csv', () => {
  it('has one row per respondent, no ids or dates, and background only for visible groups', async () => {
    const res = await get('raw.csv');
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    expect(header!.cells.slice(0, 7)).toEqual(['respondent', 'form', 'department', 'role', 'education', 'contract', 'age_band']);
    expect(header!.cells).toContain('wc1');
    expect(header!.cells.join(',')).not.toMatch(/date|submitted|_at|id$/);
    // 16 employees; the 2 managers are below k and left out.
    expect(rows).toHaveLength(16);
    const col = (name: string) => header!.cells.indexOf(name);
    const departments = rows.map((r) => r.cells[col('department')]);
    expect(departments.filter((d) => d === 'Zorg')).toHaveLength(7);
    expect(departments.filter((d) => d === 'hidden')).toHaveLength(9);
    expect(departments).not.toContain('Techniek');
    expect(departments).not.toContain('Staf');
    // Age band: 35_44 has 13, 55_plus 3 (hidden); 16 - 13 = 3 would reveal it, but 55_plus is hidden
    // and 35_44 too (complementary), so no age band is shown.
    expect(new Set(rows.map((r) => r.cells[col('age_band')]))).toEqual(new Set(['hidden']));
    // Don't know is "dk", not answered is empty.
    const techniekLike = rows.find((r) => r.cells[col('wc1')] === '2')!;
    expect(techniekLike.cells[col('wc3')]).toBe('dk');
    expect(techniekLike.cells[col('wc6')]).toBe('');
    // No timestamp-like text anywhere.
    expect(res.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('is refused below k submitted respondents, and for directors', async () => {
    const small = await insertRound(t.db, tenant.organisationId, { name: 'Klein' });
    await respondMany(t.db, small, 4, 'employee', '4 4 4 4 2 4');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${small}/raw.csv`, headers: token });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('below_threshold');
    expect((await get('raw.csv', await sessionHeaders(t.db, tenant.director.id))).statusCode).toBe(403);
    const other = await createTenant(t.db);
    expect((await get('raw.csv', bearer(await createApiTokenFor(t.db, { organisationId: other.organisationId })))).statusCode).toBe(404);
  });
});

describe('raw.csv is k-anonymous over its background fields', () => {
  it('never shows a combination of background values that fewer than k rows share', async () => {
    // Zorg 12 and Techniek 10 are both visible; age bands 6 + 6 in Zorg and 5 + 5 in Techniek, but
    // contract 'flexible' crosses them into cells of 1-3. Every row's combination must still be >= 5.
    const id = await insertRound(t.db, tenant.organisationId, { name: 'Kruising', departments: ['Zorg', 'Techniek'] });
    for (const [dept, age, contract, n] of [
      ['Zorg', '25_34', 'permanent', 5],
      ['Zorg', '25_34', 'flexible', 1],
      ['Zorg', '45_54', 'permanent', 4],
      ['Zorg', '45_54', 'flexible', 2],
      ['Techniek', '25_34', 'permanent', 3],
      ['Techniek', '25_34', 'flexible', 2],
      ['Techniek', '55_plus', 'permanent', 5],
    ] as const) {
      await respondMany(t.db, id, n, 'employee', '4 3 4 2 4 4', { department: dept, age_band: age, contract });
    }
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/raw.csv`, headers: token });
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    expect(rows).toHaveLength(22);
    const background = ['department', 'role', 'education', 'contract', 'age_band'].map((c) => header!.cells.indexOf(c));
    const combos = new Map<string, number>();
    for (const r of rows) {
      const key = background.map((i) => r.cells[i]).join('|');
      combos.set(key, (combos.get(key) ?? 0) + 1);
    }
    for (const [key, n] of combos) expect(n, key).toBeGreaterThanOrEqual(5);
    // What is safe stays: both departments are visible groups of >= 5 and are kept.
    const dept = header!.cells.indexOf('department');
    expect(rows.filter((r) => r.cells[dept] === 'Zorg')).toHaveLength(12);
    expect(rows.filter((r) => r.cells[dept] === 'Techniek')).toHaveLength(10);
    // Crossed with department, flexible contracts would be cells of 3 and 2: the contract is blanked.
    const contract = header!.cells.indexOf('contract');
    expect(new Set(rows.map((r) => r.cells[contract]))).toEqual(new Set(['hidden']));
    // Rows are numbered 1..n, and the same file comes back twice in the same order.
    expect(rows.map((r) => r.cells[0])).toEqual(rows.map((_, i) => String(i + 1)));
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}/raw.csv`, headers: token });
    expect(again.body).toBe(res.body);
  });

  it('is refused for an open round, like every other output of figures', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { name: 'Open', status: 'open' });
    await respondMany(t.db, open, 8, 'employee', '4 4 4 4 2 4');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${open}/raw.csv`, headers: token });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('round_not_closed');
  });
});

describe('CSV writer and parser', () => {
  it('round-trips quotes, separators and line breaks, and neutralises formulas but not numbers', async () => {
    const { toCsv } = await import('../../server/lib/csv.js');
    const text = toCsv(['a', 'b', 'c'], [
      ['Ik vind het "lastig"', 'x,y', 'twee\nregels'],
      ['=HYPERLINK("x")', -0.25, '@foo'],
    ]);
    const records = parseCsv(text);
    expect(records.map((r) => r.cells)).toEqual([
      ['a', 'b', 'c'],
      ['Ik vind het "lastig"', 'x,y', 'twee\nregels'],
      ["'=HYPERLINK(\"x\")", '-0.25', "'@foo"],
    ]);
    // Line numbers are physical lines: the third record starts on line 4 (the second spans two).
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });
});
