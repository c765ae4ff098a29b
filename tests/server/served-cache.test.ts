// Issue 15: a closed round is served from its stored release. Every output (results JSON and segment
// views, results.csv, results.xlsx, client and director PDF) must read the release, not the raw
// answers: emptying the answer tables after the close changes none of them. The served cache
// (server/results/served.ts) answers repeated requests, and a change of what can change after the
// close (the pool, the chosen benchmark set, branding, the action plan) or of the language gives a new
// output; nothing is shared between rounds or tenants. Runs on PGlite and, with TEST_DATABASE_URL, on
// PostgreSQL.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { ByteLru, servedCache } from '../../server/results/served.js';
import { closeRound, reopenRound } from '../../server/rounds/lifecycle.js';
import { pdfText, squash } from '../fixtures/pdf.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant, type Tenant } from '../helpers/auth.js';
import { insertOrganisation, insertPoolEntry, insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let a: Tenant;
let b: Tenant;
let tokenA: Record<string, string>;
let tokenB: Record<string, string>;

const close = (id: string) => t.db.transaction().execute((tx) => closeRound(tx, id, t.app.roundHooks.roundClosed));
const reopen = (id: string) => t.db.transaction().execute((tx) => reopenRound(tx, id));

async function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer; text: string }> {
  const res = await t.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.rawPayload, text: res.body };
}

async function ok(url: string, headers = tokenA): Promise<Buffer> {
  const res = await get(url, headers);
  expect(res.status, `${url}: ${res.text.slice(0, 300)}`).toBe(200);
  return res.body;
}

const model = async (roundId: string, query = ''): Promise<ResultModel> => ResultModelSchema.parse(JSON.parse((await ok(`/api/v1/rounds/${roundId}/results${query}`)).toString()));
const wc = (m: ResultModel) => m.mechanisms.find((x) => x.mechanismId === 'work_content')!;

/** Every cell of every sheet (the xlsx file itself carries its creation time). */
async function workbookCells(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const cells: string[] = [ws.name];
    ws.eachRow((row) => cells.push(JSON.stringify(row.values)));
    return cells;
  });
}

/** A round of tenant `tenant` with 11 employee respondents in two departments, closed (release 1). */
async function closedRound(tenant: Tenant, name: string, zorg: string, techniek: string): Promise<string> {
  const id = await insertRound(t.db, tenant.organisationId, { status: 'open', name, departments: ['Zorg', 'Techniek'] });
  await respondMany(t.db, id, 6, 'employee', zorg, { department: 'Zorg' });
  await respondMany(t.db, id, 5, 'employee', techniek, { department: 'Techniek' });
  await close(id);
  return id;
}

beforeAll(async () => {
  t = await setupTestApp();
  a = await createTenant(t.db, { label: 'served-a' });
  b = await createTenant(t.db, { label: 'served-b' });
  tokenA = bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId }));
  tokenB = bearer(await createApiTokenFor(t.db, { organisationId: b.organisationId }));
});

afterAll(async () => {
  await t?.close();
});

// Each test renders several PDFs; on a loaded machine that takes longer than the default 30 s.
describe('a closed round is served from its stored release', { timeout: 180_000 }, () => {
  it('every output stays the same when the raw answers are gone after the close (nothing is rebuilt from them)', async () => {
    const id = await closedRound(a, 'Uit de release', '4 4 4 4 2 4', '2 2 2 2 4 2');
    const urls = {
      json: `/api/v1/rounds/${id}/results`,
      segment: `/api/v1/rounds/${id}/results?segment=department:Zorg`,
      csvNl: `/api/v1/rounds/${id}/results.csv`,
      csvEn: `/api/v1/rounds/${id}/results.csv?lang=en`,
      xlsx: `/api/v1/rounds/${id}/results.xlsx`,
      client: `/api/v1/rounds/${id}/reports/client.pdf`,
      director: `/api/v1/rounds/${id}/reports/director.pdf?lang=en`,
    };
    const before: Record<string, Buffer> = {};
    for (const [k, url] of Object.entries(urls)) before[k] = await ok(url);
    expect(wc(JSON.parse(before.json!.toString()) as ResultModel).score).toMatchObject({ n: 11, mean: expect.closeTo(34 / 11, 10) });

    // The answers a rebuild would aggregate: gone (a rebuild would now show no score at all).
    await t.db.deleteFrom('answers').where('response_id', 'in', (eb) => eb.selectFrom('responses').select('id').where('round_id', '=', id)).execute();
    const left = await t.db.selectFrom('answers').innerJoin('responses', 'responses.id', 'answers.response_id').select('answers.item_id').where('responses.round_id', '=', id).execute();
    expect(left).toHaveLength(0);

    // Served from the cache, and (the cache emptied) from the stored release: the same outputs.
    for (const pass of ['cached', 'from the release'] as const) {
      if (pass === 'from the release') servedCache(t.app.db).clear();
      for (const k of ['json', 'segment', 'csvNl', 'csvEn'] as const) expect((await ok(urls[k])).toString(), `${k} ${pass}`).toBe(before[k]!.toString());
      expect(await workbookCells(await ok(urls.xlsx)), pass).toEqual(await workbookCells(before.xlsx!));
      for (const k of ['client', 'director'] as const) expect(squash(pdfText(await ok(urls[k]))), `${k} ${pass}`).toBe(squash(pdfText(before[k]!)));
    }
  });

  it('a repeated request is a cache hit; the pool, the benchmark set, the language, branding and the action plan each give a new output', async () => {
    const id = await closedRound(a, 'Vergelijkingen', '4 4 4 4 2 4', '3 3 3 3 3 3');
    const cache = servedCache(t.app.db);
    const json = `/api/v1/rounds/${id}/results`;
    const pdf = `/api/v1/rounds/${id}/reports/client.pdf`;
    const first = await ok(json);
    const firstPdf = await ok(pdf);
    const hits = cache.hits;
    expect((await ok(json)).equals(first)).toBe(true);
    expect((await ok(pdf)).equals(firstPdf)).toBe(true); // the same bytes: the cached PDF
    expect(cache.hits).toBe(hits + 2);
    expect(wc(JSON.parse(first.toString()) as ResultModel).benchmarks.some((x) => x.kind === 'pool')).toBe(false);

    // The pool grows: 10 organisations of another consultancy contribute a work_content score.
    const other = await createTenant(t.db, { label: 'served-pool' });
    for (let i = 0; i < 10; i++) await insertPoolEntry(t.db, { consultancyId: other.consultancyId, mechanism: 'work_content', score: 2 + i * 0.2 });
    const withPool = await model(id);
    expect(wc(withPool).benchmarks.find((x) => x.kind === 'pool')).toMatchObject({ value: 2.9, n: 10 });
    const poolPdf = await ok(pdf);
    expect(poolPdf.equals(firstPdf)).toBe(false);
    expect(squash(pdfText(poolPdf))).not.toBe(squash(pdfText(firstPdf)));
    // One more organisation: the mean moves, and so does the served model.
    await insertPoolEntry(t.db, { consultancyId: other.consultancyId, mechanism: 'work_content', score: 5 });
    expect(wc(await model(id)).benchmarks.find((x) => x.kind === 'pool')).toMatchObject({ n: 11, value: expect.closeTo((29 + 5) / 11, 1) });

    // A benchmark set chosen after the close.
    const set = await t.db.insertInto('benchmark_sets').values({ consultancy_id: a.consultancyId, name: 'Branche 2025' }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('benchmark_values').values({ set_id: set.id, target_kind: 'scale', target_id: 'work_content', metric: 'mean', value: 3.1, n: 400, source: 'Brancheonderzoek', year: 2025 }).execute();
    const beforeSet = await ok(pdf);
    await t.db.updateTable('rounds').set({ benchmark_set_id: set.id }).where('id', '=', id).execute();
    expect(wc(await model(id)).benchmarks.find((x) => x.kind === 'custom')).toMatchObject({ value: 3.1, n: 400 });
    const setPdf = await ok(pdf);
    expect(squash(pdfText(setPdf))).toContain('Branche 2025');
    expect(squash(pdfText(beforeSet))).not.toContain('Branche 2025');

    // The language: another PDF and another CSV.
    const en = await ok(`${pdf}?lang=en`);
    expect(squash(pdfText(en))).not.toBe(squash(pdfText(setPdf)));
    expect((await ok(`/api/v1/rounds/${id}/results.csv?lang=en`)).toString()).not.toBe((await ok(`/api/v1/rounds/${id}/results.csv?lang=nl`)).toString());

    // Branding and the action plan are printed: a change of either is a new PDF.
    await t.db.updateTable('consultancies').set({ name: 'Hernoemd Adviesbureau' }).where('id', '=', a.consultancyId).execute();
    const renamed = await ok(pdf);
    expect(squash(pdfText(renamed))).toContain('Hernoemd Adviesbureau');
    await t.db
      .insertInto('action_plan_actions')
      .values({ organisation_id: a.organisationId, round_id: id, source: 'mechanism', mechanism_id: 'work_content', title: 'Werkoverleg over leerdoelen', owner: 'Teamleider Zorg', item_ids: [] })
      .execute();
    expect(squash(pdfText(await ok(pdf)))).toContain('Werkoverleg over leerdoelen');
  });

  it('a reopen is refused at once and a new release is served after it, never the cached one', async () => {
    const id = await closedRound(a, 'Heropend', '4 4 4 4 2 4', '2 2 2 2 4 2');
    const first = await model(id);
    await ok(`/api/v1/rounds/${id}/reports/director.pdf`);
    await reopen(id);
    for (const path of ['results', 'results.csv', 'results.xlsx', 'reports/client.pdf', 'reports/director.pdf']) {
      expect((await get(`/api/v1/rounds/${id}/${path}`, tokenA)).status, path).toBe(409);
    }
    await respondMany(t.db, id, 5, 'employee', '5 5 5 5 1 5', { department: 'Techniek' });
    await close(id);
    const second = await model(id);
    expect(wc(first).score).toMatchObject({ n: 11 });
    expect(wc(second).score).toMatchObject({ n: 16, mean: expect.closeTo((24 + 10 + 25) / 16, 10) });
  });

  it('attacker: another tenant gets nothing of a cached round, and a cached view never stands in for another view or round', async () => {
    const id = await closedRound(a, 'Geheim A', '5 5 5 5 1 5', '5 5 5 5 1 5');
    const mine = await closedRound(b, 'Eigen B', '1 1 1 1 5 1', '1 1 1 1 5 1');
    const paths = ['results', 'results?segment=department:Zorg', 'results.csv', 'results.csv?lang=en', 'results.xlsx', 'raw.csv', 'reports/client.pdf', 'reports/director.pdf', 'reports/client.pdf?lang=en'];
    const secret: Record<string, Buffer> = {};
    for (const p of paths) secret[p] = await ok(`/api/v1/rounds/${id}/${p}`); // every output of A cached
    for (const p of paths) {
      const res = await get(`/api/v1/rounds/${id}/${p}`, tokenB);
      expect(res.status, p).toBe(404);
      expect(res.body.includes(Buffer.from('Geheim A')), p).toBe(false);
    }
    // A consultant of the same consultancy's other organisation sees its own rounds only (HR of org 2).
    const org2 = await insertOrganisation(t.db, a.consultancyId, 'Zusterorganisatie');
    const org2Token = bearer(await createApiTokenFor(t.db, { organisationId: org2 }));
    expect((await get(`/api/v1/rounds/${id}/reports/client.pdf`, org2Token)).status).toBe(404);
    expect((await get(`/api/v1/rounds/${id}/results`, org2Token)).status).toBe(404);

    // B's own round, read by B after A's outputs were cached: B's figures, never A's.
    const own = ResultModelSchema.parse(JSON.parse((await ok(`/api/v1/rounds/${mine}/results`, tokenB)).toString()));
    expect(own.meta.round.id).toBe(mine);
    expect(wc(own).score).toMatchObject({ n: 11, mean: 1 });
    const ownPdf = squash(pdfText(await ok(`/api/v1/rounds/${mine}/reports/client.pdf`, tokenB)));
    expect(ownPdf).toContain('Eigen B');
    expect(ownPdf).not.toContain('Geheim A');
    // A segment view that the release does not hold stays refused while other views are cached.
    expect((await get(`/api/v1/rounds/${id}/results?segment=department:Onbekend`, tokenA)).status).toBe(403);
    const zorg = ResultModelSchema.parse(JSON.parse(secret['results?segment=department:Zorg']!.toString()));
    expect(zorg.meta.segmentFilter).toMatchObject({ dimension: 'department', value: 'Zorg' });
    const techniek = await model(id, '?segment=department:Techniek');
    expect(techniek.meta.segmentFilter).toMatchObject({ dimension: 'department', value: 'Techniek' });
    expect(wc(techniek).score).toMatchObject({ n: 5 });
  });
});

describe('ByteLru', () => {
  it('keeps within its byte budget, evicting the least recently used first', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40); // 120 > 100: b goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'H', 101); // larger than the budget: not kept, nothing evicted for it
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.size).toBe(2);
    lru.set('a', 'A2', 10); // replacing an entry frees its old bytes
    expect(lru.bytes).toBe(50);
    expect(lru.get('a')).toBe('A2');
  });
});
