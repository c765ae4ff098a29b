// PDF report routes and report batches, end to end on the test database (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set: then batches run on pg-boss). The figures printed are checked against the
// result model the API serves for the same round; suppressed groups must not appear anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CULTURE_SCAN_V1 } from '../../scans/index.js';
import type { ResultModel } from '../../scans/result-model.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, staffHeaders, type StaffSession, type Tenant } from '../helpers/auth.js';
import { pdfFonts, pdfPageCount, pdfText, squash } from '../fixtures/pdf.js';

const ITEMS = CULTURE_SCAN_V1.scales.flatMap((s) => s.items.map((i) => i.id));
/** Departments under the threshold (3 and 2 respondents): their names must never reach a PDF. */
const HIDDEN_DEPARTMENTS = ['Kleine Zijtak Noord', 'Piepkleine Eenheid'];

let t: TestApp;
let tenant: Tenant;
let other: Tenant;
let hr: StaffSession;
let consultant: StaffSession;
let otherConsultant: StaffSession;
let roundId: string;
let purgedRoundId: string;

/** A deterministic answer 1..5 (or don't know) for respondent r and item index i. */
function answer(r: number, i: number, shift: number): number | null {
  if ((r * 7 + i * 3) % 29 === 0) return null;
  return Math.max(1, Math.min(5, 1 + ((r * 13 + i * 5 + shift) % 5)));
}

async function createClosedRound(db: TestApp['db'], organisationId: string, name: string): Promise<string> {
  const { id } = await db
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name,
      instrument_id: 'culture-scan@1',
      modules: ['culture_scan'],
      languages: ['nl', 'en'],
      departments: ['Verpleging Oost', ...HIDDEN_DEPARTMENTS],
      status: 'closed',
      opened_at: new Date('2026-09-01T08:00:00Z'),
      closed_at: new Date('2026-09-30T18:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function seedResponses(db: TestApp['db'], id: string): Promise<void> {
  const departments = [...Array(12).fill('Verpleging Oost'), ...Array(3).fill(HIDDEN_DEPARTMENTS[0]), ...Array(2).fill(HIDDEN_DEPARTMENTS[1])];
  await db.transaction().execute(async (tx) => {
    for (const [r, department] of departments.entries()) {
      await insertSubmittedResponse(tx, id, {
        form: 'employee',
        answers: Object.fromEntries(ITEMS.map((item, i) => [item, answer(r, i, 0)])),
        background: { department },
      });
    }
    for (let r = 0; r < 6; r++) {
      await insertSubmittedResponse(tx, id, { form: 'management', answers: Object.fromEntries(ITEMS.map((item, i) => [item, answer(r + 40, i, 2)])) });
    }
  });
}

beforeAll(async () => {
  t = await setupTestApp({ REPORT_WORKERS: '1', REPORT_QUEUE_LIMIT: '4' });
  tenant = await createTenant(t.db, { organisationName: 'Zorgcoöperatie Één & Ander', consultancyName: 'Adviesbureau Bloeiën' });
  other = await createTenant(t.db);
  roundId = await createClosedRound(t.db, tenant.organisationId, 'Meting najaar 2026');
  await seedResponses(t.db, roundId);
  purgedRoundId = await createClosedRound(t.db, tenant.organisationId, 'Oude meting 2024');
  await t.db.updateTable('rounds').set({ raw_purged_at: new Date('2026-01-01T00:00:00Z') }).where('id', '=', purgedRoundId).execute();
  hr = await login(t.app, tenant.hr.email, tenant.hr.password);
  consultant = await login(t.app, tenant.consultant.email, tenant.consultant.password);
  otherConsultant = await login(t.app, other.consultant.email, other.consultant.password);
});

afterAll(async () => {
  await t?.close();
});

async function getModel(session: StaffSession): Promise<ResultModel> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: staffHeaders(session) });
  expect(res.statusCode).toBe(200);
  return res.json() as ResultModel;
}

const nlScore = (x: number) => (Math.round(x * 10 + 1e-9) / 10).toFixed(1).replace('.', ',').replace('-', '\u2212');
const nlPct = (x: number) => `${Math.round(x + 1e-9)}%`;

describe('GET /api/v1/rounds/:roundId/reports/client.pdf', () => {
  let pdf: Buffer;
  let model: ResultModel;

  beforeAll(async () => {
    model = await getModel(hr);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf`, headers: staffHeaders(hr) });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('filename="leercultuurscan-zorgcooperatie-een-ander-meting-najaar-2026-rapport-nl.pdf"');
    pdf = res.rawPayload;
  });

  it('is a PDF in Dutch with the organisation, the consultancy and Dutch characters', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(pdf));
    expect(text).toContain('Zorgcoöperatie Één & Ander');
    expect(text).toContain('Adviesbureau Bloeiën');
    expect(text).toContain('Leercultuur in beeld');
    expect(text).toContain('één');
    expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(15);
  });

  it('prints each mechanism score and % favourable exactly as the result model has them', () => {
    const lines = pdfText(pdf, { layout: true }).split('\n');
    for (const m of model.mechanisms) {
      expect(m.suppressed).toBe(false);
      const row = lines.find((l) => l.includes(m.name.nl) && l.includes('%'));
      expect(row, `overview row of ${m.name.nl}`).toBeDefined();
      expect(row).toContain(nlScore(m.score!.mean));
      expect(row).toContain(nlPct(m.favourable!));
    }
  });

  it('never names a group under the threshold', () => {
    // The model lists them as hidden (so the test data does exercise suppression) ...
    const department = model.segments.find((s) => s.dimension === 'department')!;
    expect(department.groups.filter((g) => g.hidden).map((g) => g.label.nl)).toEqual(expect.arrayContaining(HIDDEN_DEPARTMENTS));
    // ... and the PDF does not mention them at all.
    const text = squash(pdfText(pdf));
    for (const name of HIDDEN_DEPARTMENTS) expect(text).not.toContain(name);
    expect(text).toContain('Verpleging Oost');
  });

  it('embeds its fonts (Roboto)', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.name).toMatch(/Roboto/);
    }
  });
});

describe('languages, types and access', () => {
  it('renders English with lang=en', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf?lang=en`, headers: staffHeaders(consultant) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('-report-en.pdf');
    const text = squash(pdfText(res.rawPayload));
    expect(text).toContain('Learning culture in focus');
    expect(text).toContain('How to read this report');
    expect(text).not.toContain('Leeswijzer');
  });

  it('renders the director summary in two or three pages', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/director.pdf`, headers: staffHeaders(await login(t.app, tenant.director.email, tenant.director.password)) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('-directiesamenvatting-nl.pdf');
    const pages = pdfPageCount(res.rawPayload);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(3);
    expect(squash(pdfText(res.rawPayload))).toContain('Samenvatting voor de directie');
  });

  it('rejects an unknown language with 400 and a field error', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf?lang=de`, headers: staffHeaders(hr) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'querystring.lang' }] });
  });

  it('answers 404 to another tenant and 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf`, headers: staffHeaders(otherConsultant) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
    const dir = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/director.pdf`, headers: staffHeaders(otherConsultant) });
    expect(dir.statusCode).toBe(404);
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/client.pdf` });
    expect(anon.statusCode).toBe(401);
  });
});

describe('reports of a round that is not closed', () => {
  it('are refused exactly like the results API (409 round_not_closed), for both reports and every role', async () => {
    const openId = await createClosedRound(t.db, tenant.organisationId, 'Lopende meting');
    await seedResponses(t.db, openId);
    await t.db.updateTable('rounds').set({ status: 'open', closed_at: null }).where('id', '=', openId).execute();
    const results = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${openId}/results`, headers: staffHeaders(hr) });
    expect(results.statusCode).toBe(409);
    for (const session of [hr, consultant]) {
      for (const type of ['client', 'director']) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${openId}/reports/${type}.pdf`, headers: staffHeaders(session) });
        expect(res.statusCode).toBe(409);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().code).toBe(results.json().code);
        expect(res.body).not.toContain('%PDF');
      }
    }
    // A batch with one open round is refused whole, naming the job; nothing is ordered.
    const before = await t.db.selectFrom('report_jobs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/report-batches',
      headers: staffHeaders(consultant),
      payload: { jobs: [{ roundId, type: 'client', lang: 'nl' }, { roundId: openId, type: 'director', lang: 'nl' }] },
    });
    expect(batch.statusCode).toBe(409);
    expect(batch.json()).toMatchObject({ code: 'round_not_closed', errors: [{ path: 'body.jobs.1.roundId' }] });
    const after = await t.db.selectFrom('report_jobs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a batch job whose round was reopened after ordering fails instead of printing figures', async () => {
    const { loadReportInput } = await import('../../server/reports/input.js');
    const reopened = await createClosedRound(t.db, tenant.organisationId, 'Heropende meting');
    await seedResponses(t.db, reopened);
    await expect(loadReportInput(t.db, reopened, 'client', 'nl')).resolves.toMatchObject({ type: 'client' });
    await t.db.updateTable('rounds').set({ status: 'open', closed_at: null }).where('id', '=', reopened).execute();
    await expect(loadReportInput(t.db, reopened, 'client', 'nl')).rejects.toMatchObject({ status: 409, code: 'round_not_closed' });
  });
});

describe('report batches', () => {
  async function waitForBatch(id: string, session: StaffSession) {
    for (let i = 0; i < 240; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/report-batches/${id}`, headers: staffHeaders(session) });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      if (body.finished) return body;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('batch did not finish');
  }

  it('renders every report, retries a failing one three times and reports it failed with its error', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/report-batches',
      headers: staffHeaders(consultant),
      payload: {
        jobs: [
          { roundId, type: 'client', lang: 'nl' },
          { roundId: purgedRoundId, type: 'client', lang: 'nl' },
          { roundId, type: 'director', lang: 'en' },
        ],
      },
    });
    expect(create.statusCode, create.body).toBe(202);
    const created = create.json();
    expect(created.total).toBe(3);
    expect(create.headers.location).toBe(`/api/v1/report-batches/${created.id}`);

    const batch = await waitForBatch(created.id, consultant);
    expect(batch).toMatchObject({ total: 3, done: 2, failed: 1, queued: 0, running: 0 });
    const [client, failed, director] = batch.jobs;
    expect(client).toMatchObject({ roundId, type: 'client', lang: 'nl', status: 'done', attempts: 1, error: null });
    expect(director).toMatchObject({ roundId, type: 'director', lang: 'en', status: 'done' });
    expect(failed).toMatchObject({ roundId: purgedRoundId, status: 'failed', attempts: 3, download: null });
    expect(failed.error).toContain('raw_answers_purged');

    const download = await t.app.inject({ method: 'GET', url: client.download, headers: staffHeaders(consultant) });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(squash(pdfText(download.rawPayload))).toContain('Leercultuur in beeld');
    const en = await t.app.inject({ method: 'GET', url: director.download, headers: staffHeaders(consultant) });
    expect(squash(pdfText(en.rawPayload))).toContain('Summary for the board');

    const notThere = await t.app.inject({ method: 'GET', url: `/api/v1/report-batches/${created.id}/jobs/${failed.id}.pdf`, headers: staffHeaders(consultant) });
    expect(notThere.statusCode).toBe(409);
    expect(notThere.json()).toMatchObject({ code: 'report_failed' });

    // Another consultancy sees neither the batch nor its reports.
    const foreign = await t.app.inject({ method: 'GET', url: `/api/v1/report-batches/${created.id}`, headers: staffHeaders(otherConsultant) });
    expect(foreign.statusCode).toBe(404);
    const foreignPdf = await t.app.inject({ method: 'GET', url: client.download, headers: staffHeaders(otherConsultant) });
    expect(foreignPdf.statusCode).toBe(404);
  }, 120_000);

  it('is for consultants only and checks every round', async () => {
    const asHr = await t.app.inject({ method: 'POST', url: '/api/v1/report-batches', headers: staffHeaders(hr), payload: { jobs: [{ roundId, type: 'client', lang: 'nl' }] } });
    expect(asHr.statusCode).toBe(403);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/report-batches',
      headers: staffHeaders(otherConsultant),
      payload: { jobs: [{ roundId, type: 'client', lang: 'nl' }] },
    });
    expect(foreign.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/report-batches',
      headers: staffHeaders(consultant),
      payload: { jobs: [{ roundId, type: 'client', lang: 'fr' }], extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const before = await t.db.selectFrom('report_batches').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/report-batches', headers: staffHeaders(consultant), payload: { jobs: [] } });
    expect(none.statusCode).toBe(400);
    const after = await t.db.selectFrom('report_batches').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
