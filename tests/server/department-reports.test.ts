// Department reports (issue 18 item 3) end to end on the test database (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set: then the batch runs on pg-boss). The round has four departments: two
// visible (12 and 7 employees), one under k (3) and one of 6 that complementary suppression hides
// (the organisation minus the two visible ones would otherwise be the 3). Neither hidden one may be
// obtained by any route or batch, and a visible department's PDF prints only published figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CULTURE_SCAN_V1 } from '../../scans/index.js';
import type { ResultModel } from '../../scans/result-model.js';
import { departmentComparison } from '../../report-templates/department-report.js';
import { fmtCi, fmtScore, fmtScoreDelta } from '../../report-templates/format.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, staffHeaders, type StaffSession, type Tenant } from '../helpers/auth.js';
import { pdfPageCount, pdfText, squash } from '../fixtures/pdf.js';

const ITEMS = CULTURE_SCAN_V1.scales.flatMap((s) => s.items.map((i) => i.id));
const VISIBLE = ['Verpleging Oost', 'Keuken West'];
const UNDER_K = 'Kleine Zijtak';
const BY_COMPLEMENT = 'Facilitair Zuid';
const UNKNOWN = 'Bestaat Niet';

let t: TestApp;
let tenant: Tenant;
let other: Tenant;
let hr: StaffSession;
let consultant: StaffSession;
let director: StaffSession;
let otherConsultant: StaffSession;
let roundId: string;
let openRoundId: string;

function answer(r: number, i: number, shift: number): number | null {
  if ((r * 7 + i * 3) % 31 === 0) return null;
  return Math.max(1, Math.min(5, 1 + ((r * 13 + i * 5) % 4) + shift));
}

async function insertRound(organisationId: string, status: 'open' | 'closed'): Promise<string> {
  const { id } = await t.db
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name: 'Meting najaar 2026',
      instrument_id: 'culture-scan@1',
      modules: ['culture_scan'],
      languages: ['nl', 'en'],
      departments: [...VISIBLE, UNDER_K, BY_COMPLEMENT],
      status,
      opened_at: new Date('2026-09-01T08:00:00Z'),
      closed_at: status === 'closed' ? new Date('2026-09-30T18:00:00Z') : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function seed(id: string): Promise<void> {
  // Verpleging Oost answers one point higher on most statements: a difference larger than its uncertainty.
  const people: Array<[string, number]> = [
    ...Array.from({ length: 12 }, () => [VISIBLE[0]!, 1] as [string, number]),
    ...Array.from({ length: 7 }, () => [VISIBLE[1]!, 0] as [string, number]),
    ...Array.from({ length: 6 }, () => [BY_COMPLEMENT, 0] as [string, number]),
    ...Array.from({ length: 3 }, () => [UNDER_K, 0] as [string, number]),
  ];
  await t.db.transaction().execute(async (tx) => {
    for (const [r, [department, shift]] of people.entries()) {
      await insertSubmittedResponse(tx, id, { form: 'employee', answers: Object.fromEntries(ITEMS.map((item, i) => [item, answer(r, i, shift)])), background: { department } });
    }
  });
}

beforeAll(async () => {
  t = await setupTestApp({ REPORT_WORKERS: '1', REPORT_QUEUE_LIMIT: '4' });
  tenant = await createTenant(t.db, { organisationName: 'Zorggroep Één', consultancyName: 'Adviesbureau Bloei' });
  other = await createTenant(t.db);
  roundId = await insertRound(tenant.organisationId, 'closed');
  await seed(roundId);
  openRoundId = await insertRound(tenant.organisationId, 'open');
  hr = await login(t.app, tenant.hr.email, tenant.hr.password);
  consultant = await login(t.app, tenant.consultant.email, tenant.consultant.password);
  director = await login(t.app, tenant.director.email, tenant.director.password);
  otherConsultant = await login(t.app, other.consultant.email, other.consultant.password);
});

afterAll(async () => {
  await t?.close();
});

const get = (url: string, s: StaffSession) => t.app.inject({ method: 'GET', url, headers: staffHeaders(s) });
const pdfUrl = (department: string, lang = 'nl', round = roundId) => `/api/v1/rounds/${round}/reports/department.pdf?department=${encodeURIComponent(department)}&lang=${lang}`;

async function views(department: string): Promise<{ org: ResultModel; dept: ResultModel }> {
  const org = (await get(`/api/v1/rounds/${roundId}/results`, hr)).json() as ResultModel;
  const res = await get(`/api/v1/rounds/${roundId}/results?segment=${encodeURIComponent(`department:${department}`)}`, hr);
  expect(res.statusCode).toBe(200);
  return { org, dept: res.json() as ResultModel };
}

describe('which departments are reportable', () => {
  it('the published results hide the department under k and the one derivable by complement (the premise)', async () => {
    const org = (await get(`/api/v1/rounds/${roundId}/results`, hr)).json() as ResultModel;
    const groups = org.segments.find((d) => d.dimension === 'department')!.groups;
    const hidden = groups.filter((g) => g.hidden).map((g) => g.key).sort();
    expect(hidden).toEqual([BY_COMPLEMENT, UNDER_K].sort());
    expect(groups.filter((g) => !g.hidden).map((g) => g.key).sort()).toEqual([...VISIBLE].sort());
  });

  it('lists only the visible departments', async () => {
    const res = await get(`/api/v1/rounds/${roundId}/departments`, director);
    expect(res.statusCode).toBe(200);
    const keys = (res.json() as { departments: Array<{ key: string; report: string }> }).departments.map((d) => d.key);
    expect(keys.sort()).toEqual([...VISIBLE].sort());
    expect(res.body).not.toContain(UNDER_K);
    expect(res.body).not.toContain(BY_COMPLEMENT);
    // The list is a read of the results: in the audit trail, with who read it.
    const audit = await t.db.selectFrom('audit_events').select(['action', 'detail', 'actor_kind', 'actor_label']).where('round_id', '=', roundId).where('detail', '=', 'departments').execute();
    expect(audit).toEqual([{ action: 'results.view', detail: 'departments', actor_kind: 'user', actor_label: tenant.director.email }]);
  });

  it('refuses an open round (409) and another tenant (404)', async () => {
    expect((await get(`/api/v1/rounds/${openRoundId}/departments`, hr)).statusCode).toBe(409);
    const res = await get(pdfUrl(VISIBLE[0]!, 'nl', openRoundId), hr);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('round_not_closed');
    expect((await get(pdfUrl(VISIBLE[0]!), otherConsultant)).statusCode).toBe(404);
    expect((await get(`/api/v1/rounds/${roundId}/departments`, otherConsultant)).statusCode).toBe(404);
  });
});

describe('GET department.pdf', () => {
  it('gives a hidden department exactly the answer of one that does not exist', async () => {
    const answers = await Promise.all([UNDER_K, BY_COMPLEMENT, UNKNOWN].map((d) => get(pdfUrl(d), consultant)));
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const strip = (body: string) => {
      const { instance: _i, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return rest;
    };
    expect(strip(answers[0]!.body)).toEqual(strip(answers[2]!.body));
    expect(strip(answers[1]!.body)).toEqual(strip(answers[2]!.body));
  });

  it('names a bad language as a 400 on the field', async () => {
    const res = await get(`/api/v1/rounds/${roundId}/reports/department.pdf?department=${encodeURIComponent(VISIBLE[0]!)}&lang=de`, hr);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('lang');
  });

  it('prints the department against the organisation with only published figures, in Dutch and English, and is audited', async () => {
    const { org, dept } = await views(VISIBLE[0]!);
    const cmp = departmentComparison(org, dept);
    // The data are built so that at least one mechanism differs clearly (the check below has something to test).
    expect(cmp.mechanisms.some((m) => m.difference?.verdict === 'higher')).toBe(true);
    const res = await get(pdfUrl(VISIBLE[0]!), director);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('afdeling-verpleging-oost-nl.pdf');
    const pdf = res.rawPayload;
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
    const text = squash(pdfText(pdf));
    expect(text).toContain('Afdeling Verpleging Oost');
    expect(text).toContain('Zorggroep Één');
    expect(text).toContain('Duidelijk hoger');
    expect(text).toContain('Vragen voor het teamgesprek');
    expect(text).toContain('Welch');
    // No other department, visible or hidden, is named.
    for (const name of [VISIBLE[1]!, UNDER_K, BY_COMPLEMENT]) expect(text).not.toContain(name);
    // Every decimal figure printed is a published one of the two views (means, intervals, differences).
    const allowed = new Set<string>();
    const add = (s: { mean: number; ciLow: number | null; ciHigh: number | null } | null) => {
      if (!s) return;
      allowed.add(fmtScore(s.mean, 'nl'));
      if (s.ciLow !== null && s.ciHigh !== null) for (const part of fmtCi(s.ciLow, s.ciHigh, 'nl').split('\u2013')) allowed.add(part);
    };
    for (const m of cmp.mechanisms) {
      add(m.department);
      add(m.organisation);
      if (m.difference) for (const v of [fmtScoreDelta(m.difference.delta, 'nl'), fmtScore(Math.abs(m.difference.delta), 'nl')]) allowed.add(v.replace(/^[+\u2212]/, ''));
    }
    for (const it of cmp.items) {
      add(it.department);
      add(it.organisation);
      allowed.add(fmtScore(Math.abs(it.difference.delta), 'nl'));
    }
    const printed = [...text.matchAll(/\d+,\d+/g)].map((m) => m[0]);
    expect(printed.length).toBeGreaterThan(10);
    const stray = printed.filter((p) => !allowed.has(p));
    expect(stray).toEqual([]);
    // The department's count is its published n.
    expect(text).toMatch(new RegExp(`\\b${dept.response.submitted} ${org.response.perForm.find((f) => f.form === 'employee')!.submitted} medewerkers van de afdeling`));
    if (process.env.DEPARTMENT_PDF_OUT) (await import('node:fs')).writeFileSync(process.env.DEPARTMENT_PDF_OUT, pdf);

    const en = await get(pdfUrl(VISIBLE[0]!, 'en'), hr);
    expect(en.statusCode).toBe(200);
    const enText = squash(pdfText(en.rawPayload));
    expect(enText).toContain('Department Verpleging Oost');
    expect(enText).toContain('Questions for the team conversation');

    const audit = await t.db.selectFrom('audit_events').select(['action', 'detail']).where('round_id', '=', roundId).where('action', '=', 'report.department.pdf').execute();
    expect(audit.map((a) => a.detail)).toEqual(expect.arrayContaining([`${VISIBLE[0]} nl`, `${VISIBLE[0]} en`]));
  });
});

describe('a department just at k', () => {
  it('says in words that the group is too small for its differences to mean anything', async () => {
    const { id } = await t.db
      .insertInto('rounds')
      .values({ organisation_id: tenant.organisationId, name: 'Kleine meting', instrument_id: 'culture-scan@1', modules: ['culture_scan'], languages: ['nl', 'en'], departments: ['Groot', 'Klein', 'Rest'], status: 'closed', opened_at: new Date('2026-09-01T08:00:00Z'), closed_at: new Date('2026-09-30T18:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Klein: five people who disagree widely (1s and 5s), so every interval is wide.
    await t.db.transaction().execute(async (tx) => {
      for (let r = 0; r < 26; r++) {
        const department = r < 15 ? 'Groot' : r < 20 ? 'Klein' : 'Rest';
        const answers = Object.fromEntries(ITEMS.map((item, i) => [item, department === 'Klein' ? ((r + i) % 2 === 0 ? 5 : 1) : answer(r, i, 0)]));
        await insertSubmittedResponse(tx, id, { form: 'employee', answers, background: { department } });
      }
    });
    for (const lang of ['nl', 'en'] as const) {
      const res = await get(`/api/v1/rounds/${id}/reports/department.pdf?department=Klein&lang=${lang}`, hr);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const text = squash(pdfText(res.rawPayload));
      expect(text).toContain(lang === 'nl' ? 'Te kleine groep om te duiden' : 'Group too small to tell');
      expect(text).toContain(lang === 'nl' ? 'te klein om te zeggen of een verschil iets betekent' : 'too small to tell whether a difference means anything');
      expect(text).not.toContain(lang === 'nl' ? 'Duidelijk hoger' : 'Clearly higher');
      if (process.env.DEPARTMENT_PDF_OUT) (await import('node:fs')).writeFileSync(process.env.DEPARTMENT_PDF_OUT.replace(/\.pdf$/, `-small-${lang}.pdf`), res.rawPayload);
    }
  });
});

describe('department report batches', () => {
  async function waitFor(batchId: string, s: StaffSession) {
    for (let i = 0; i < 240; i++) {
      const res = await get(`/api/v1/rounds/${roundId}/reports/department-batches/${batchId}`, s);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      if (body.finished) return body;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('batch did not finish');
  }

  it('renders every visible department and none of the hidden ones; downloads are audited', async () => {
    const create = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/reports/department-batches`, headers: staffHeaders(consultant), payload: { languages: ['nl', 'en'] } });
    expect(create.statusCode, create.body).toBe(202);
    expect(create.body).not.toContain(UNDER_K);
    expect(create.body).not.toContain(BY_COMPLEMENT);
    const batch = await waitFor(create.json().id, consultant);
    expect(batch.total).toBe(4);
    expect(batch.done).toBe(4);
    expect(batch.jobs.map((j: { department: string; lang: string }) => `${j.department}/${j.lang}`).sort()).toEqual(VISIBLE.flatMap((d) => [`${d}/en`, `${d}/nl`]).sort());
    for (const job of batch.jobs as Array<{ department: string; lang: string; download: string }>) {
      const res = await get(job.download, consultant);
      expect(res.statusCode).toBe(200);
      const text = squash(pdfText(res.rawPayload));
      expect(text).toContain(job.lang === 'nl' ? `Afdeling ${job.department}` : `Department ${job.department}`);
      for (const name of [UNDER_K, BY_COMPLEMENT]) expect(text).not.toContain(name);
    }
    const audit = await t.db.selectFrom('audit_events').select('detail').where('round_id', '=', roundId).where('action', '=', 'report.department.batch.pdf').execute();
    expect(audit).toHaveLength(4);
    // The round-report batch routes do not serve a department batch.
    expect((await get(`/api/v1/report-batches/${batch.id}`, consultant)).statusCode).toBe(404);
  }, 120_000);

  it('lets HR order one, refuses directors and other tenants', async () => {
    const asHr = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/reports/department-batches`, headers: staffHeaders(hr), payload: {} });
    expect(asHr.statusCode, asHr.body).toBe(202);
    const batch = await waitFor(asHr.json().id, hr);
    expect(batch.jobs.map((j: { department: string }) => j.department).sort()).toEqual([...VISIBLE].sort());
    const asDirector = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/reports/department-batches`, headers: staffHeaders(director), payload: {} });
    expect(asDirector.statusCode).toBe(403);
    const asOther = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/reports/department-batches`, headers: staffHeaders(otherConsultant), payload: {} });
    expect(asOther.statusCode).toBe(404);
    expect((await get(`/api/v1/rounds/${roundId}/reports/department-batches/${batch.id}`, otherConsultant)).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/reports/department-batches`, headers: staffHeaders(hr), payload: { languages: ['de'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('languages');
  }, 120_000);

  it('a department hidden after ordering fails its job instead of rendering it', async () => {
    const { processJob, insertBatch } = await import('../../server/reports/batches.js');
    const { batchId, jobIds } = await insertBatch(t.db, { consultancyId: tenant.consultancyId, requestedBy: null, kind: 'departments', jobs: [{ roundId, type: 'department', department: UNDER_K, lang: 'nl' }] });
    expect(batchId).toBeTruthy();
    let rendered = 0;
    const outcome = await processJob(t.db, async () => {
      rendered++;
      return Buffer.from('x');
    }, jobIds[0]!, { lastChance: true });
    expect(outcome).toBe('failed');
    expect(rendered).toBe(0);
    const job = await t.db.selectFrom('report_jobs').select(['status', 'error', 'pdf']).where('id', '=', jobIds[0]!).executeTakeFirstOrThrow();
    expect(job.pdf).toBeNull();
    expect(job.error).toContain('not_found');
  });
});
