// GET /api/v1/rounds/:roundId/results on small rounds recomputed by hand (arithmetic in the comments),
// the anonymity rules (small groups, complementary suppression, management below k, refused segment
// filters) and access. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { insertRound, respond, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundA: string;
let roundB: string;

async function results(roundId: string, query = '', headers = token) {
  return t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results${query}`, headers });
}

async function model(roundId: string, query = ''): Promise<ResultModel> {
  const res = await results(roundId, query);
  expect(res.statusCode, res.body).toBe(200);
  return ResultModelSchema.parse(res.json());
}

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));

  // Round A: six employees and five managers answer the work-content scale only
  // (wc1..wc6, wc5 reverse-keyed; 2/3 rule: ceil(2/3 x 6) = 4 answered items needed).
  roundA = await insertRound(t.db, tenant.organisationId, { name: 'Ronde A' });
  //                                  wc1 wc2 wc3 wc4 wc5 wc6
  await respond(t.db, roundA, 'employee', '5 4 4 5 1 4'); // R1 keyed 5 4 4 5 5 4 = 27/6 = 4.5
  await respond(t.db, roundA, 'employee', '4 4 3 4 2 3'); // R2 keyed 4 4 3 4 4 3 = 22/6 = 3.6667
  await respond(t.db, roundA, 'employee', '3 2 3 3 3 2'); // R3 keyed 3 2 3 3 3 2 = 16/6 = 2.6667
  await respond(t.db, roundA, 'employee', '2 3 dk 2 4 -'); // R4 keyed 2 3 . 2 2 . = 4 answered (exactly 4): 9/4 = 2.25
  await respond(t.db, roundA, 'employee', '5 dk dk - 1 -'); // R5 keyed 5 . . . 5 . = 2 answered < 4: no scale score
  await respond(t.db, roundA, 'employee', '4 5 4 4 2 5'); // R6 keyed 4 5 4 4 4 5 = 26/6 = 4.3333
  await respond(t.db, roundA, 'management', '5 5 4 5 1 5'); // M1 keyed 5 5 4 5 5 5 = 29/6
  await respond(t.db, roundA, 'management', '4 5 4 4 2 4'); // M2 keyed 4 5 4 4 4 4 = 25/6
  await respond(t.db, roundA, 'management', '4 4 4 4 2 4'); // M3 keyed 4 4 4 4 4 4 = 24/6
  await respond(t.db, roundA, 'management', '5 4 5 5 1 4'); // M4 keyed 5 4 5 5 5 4 = 28/6
  await respond(t.db, roundA, 'management', '3 4 3 4 3 4'); // M5 keyed 3 4 3 4 3 4 = 21/6
  // An unsubmitted response never counts.
  await t.db.insertInto('responses').values({ round_id: roundA, form: 'employee', status: 'in_progress' }).execute();

  // Round B: departments Zorg 7, Techniek 6, Staf 3 (employees), plus 3 managers (below k).
  // Role: 14 say employee, 2 say manager.
  roundB = await insertRound(t.db, tenant.organisationId, { name: 'Ronde B', departments: ['Zorg', 'Techniek', 'Staf'] });
  await respondMany(t.db, roundB, 5, 'employee', '4 4 4 4 2 4', { department: 'Zorg', role: 'employee' });
  await respondMany(t.db, roundB, 2, 'employee', '5 5 5 5 1 5', { department: 'Zorg', role: 'manager' });
  await respondMany(t.db, roundB, 6, 'employee', '2 2 2 2 4 2', { department: 'Techniek', role: 'employee' });
  await respondMany(t.db, roundB, 3, 'employee', '3 3 3 3 3 3', { department: 'Staf', role: 'employee' });
  await respondMany(t.db, roundB, 3, 'management', '1 1 1 1 5 1');
});

afterAll(async () => {
  await t?.close();
});

describe('scores recomputed by hand (round A)', () => {
  it('scale mean, SD, 95% CI and n follow reverse keying and the 2/3 rule; only submitted employee responses count', async () => {
    const m = await model(roundA);
    const wc = m.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    // Scale scores: 4.5, 11/3, 8/3, 2.25, 13/3 (R5 has none). n = 5.
    // Sum = 91/6 + 9/4 = 209/12; mean = 209/60 = 3.483333.
    expect(wc.score!.n).toBe(5);
    expect(wc.score!.mean).toBeCloseTo(209 / 60, 10);
    // Squared deviations: 1.016667^2 + 0.183333^2 + 0.816667^2 + 1.233333^2 + 0.85^2
    //   = 1.033611 + 0.033611 + 0.666944 + 1.521111 + 0.7225 = 3.977778; / 4 = 0.994444; sd = 0.997218.
    expect(wc.score!.sd).toBeCloseTo(0.997218, 5);
    // 95% CI: t(0.975, df 4) = 2.776445; se = 0.997218 / sqrt(5) = 0.445970; half width 1.238197.
    expect(wc.score!.ciLow).toBeCloseTo(3.483333 - 1.238197, 4);
    expect(wc.score!.ciHigh).toBeCloseTo(3.483333 + 1.238197, 4);
    expect(wc.band).toBe('middle');
    expect(m.response.perForm.find((f) => f.form === 'employee')!.submitted).toBe(6);
    expect(m.response.submitted).toBe(11);
  });

  it('% favourable and the keyed distribution of the scale use every valid answer (also R5)', async () => {
    const wc = (await model(roundA)).mechanisms.find((x) => x.mechanismId === 'work_content')!;
    // Valid keyed answers: R1 6 (6 fav), R2 6 (4 fav), R3 6 (0), R4 4 (0), R5 2 (2), R6 6 (6) = 30, 18 favourable.
    // Counts 1..5: ones 0; twos R3 2 + R4 3 = 5; threes R2 2 + R3 4 + R4 1 = 7;
    // fours R1 3 + R2 4 + R6 4 = 11; fives R1 3 + R5 2 + R6 2 = 7. Missing: 6 x 6 - 30 = 6.
    // But item wc3 rests on 3 valid answers (< k) and is withheld; the scale's distribution is the sum
    // of its items' distributions, so publishing it next to the five shown items would give wc3's
    // answers by subtraction (composite rule). Both the % favourable and the distribution are absent;
    // the scale mean (a mean of respondents' scale scores, not a sum of item counts) stays.
    expect(wc.favourable).toBeNull();
    expect(wc.distribution).toBeNull();
    expect(wc.score!.n).toBe(5);
  });

  it('the scale distribution is published when every item of the scale is', async () => {
    // Six employees answer every item: 3 x "4 4 4 4 2 4" (keyed all 4) and 3 x "2 2 2 2 4 2" (keyed all 2).
    const full = await insertRound(t.db, tenant.organisationId, { name: 'Volledig' });
    await respondMany(t.db, full, 3, 'employee', '4 4 4 4 2 4');
    await respondMany(t.db, full, 3, 'employee', '2 2 2 2 4 2');
    const wc = (await model(full)).mechanisms.find((x) => x.mechanismId === 'work_content')!;
    // 36 valid keyed answers: 18 fours (favourable) and 18 twos: 50% favourable; 6 respondents behind it.
    expect(wc.favourable).toBeCloseTo(50, 10);
    expect(wc.distribution).toEqual({ counts: [0, 18, 0, 18, 0], valid: 36, missing: 0, total: 36, respondents: 6 });
    // Alpha rests on 6 complete respondents (>= k): shown with its own n. Totals 24 x 3 and 12 x 3,
    // every item moves with the total: item variances 1.2 each (6 items: 7.2), total variance 43.2;
    // alpha = 6/5 x (1 - 7.2/43.2) = 1.
    // Feldt's interval collapses to 1 when alpha is 1 (1 - 0 x F), and every item correlates 1 with the
    // sum of the others (all items move together), so none is flagged.
    expect(wc.alpha).toEqual({
      value: expect.closeTo(1, 10),
      n: 6,
      interval: { lower: expect.closeTo(1, 10), upper: expect.closeTo(1, 10), level: 0.95 },
      items: ['wc1', 'wc2', 'wc3', 'wc4', 'wc5', 'wc6'].map((itemId) => ({ itemId, itemRest: expect.closeTo(1, 10), flagged: false })),
    });
  });

  it("Cronbach's alpha over the respondents who answered every item", async () => {
    const wc = (await model(roundA)).mechanisms.find((x) => x.mechanismId === 'work_content')!;
    // Complete: R1, R2, R3, R6 (n = 4). Item variances (n - 1): wc1 2/3, wc2 19/12, wc3 1/3, wc4 2/3,
    // wc5 2/3, wc6 5/3; sum 67/12. Totals 27, 22, 16, 26: variance 74.75 / 3 = 299/12.
    // alpha = 6/5 x (1 - 67/299) = 0.931104. But it rests on 4 respondents (< k = 5): alpha has its own
    // n and is shown only from k, so it is absent here (the scale mean over 5 scored respondents stays).
    expect(wc.alpha).toBeNull();
    expect(wc.score!.n).toBe(5);
  });

  it('items: mean, % favourable, published figure with source, and no figure under k valid answers', async () => {
    const wc = (await model(roundA)).mechanisms.find((x) => x.mechanismId === 'work_content')!;
    const wc1 = wc.items.find((i) => i.itemId === 'wc1')!;
    // wc1 raw 5 4 3 2 5 4: mean 23/6; favourable 4 of 6 = 66.67%; published variety 61% -> delta +5.67.
    expect(wc1.score!.mean).toBeCloseTo(23 / 6, 10);
    expect(wc1.favourable).toBeCloseTo(200 / 3, 10);
    expect(wc1.published).toMatchObject({ value: 61, year: 2023, source: expect.stringContaining('TNO') });
    expect(wc1.published!.population).toMatchObject({ en: 'Employees in the Netherlands' });
    expect(wc1.publishedDelta).toBeCloseTo(200 / 3 - 61, 10);
    // wc2 raw 4 4 2 3 dk 5: 5 valid, mean 18/5 = 3.6, favourable 3/5 = 60% vs 58% -> +2.
    const wc2 = wc.items.find((i) => i.itemId === 'wc2')!;
    expect(wc2.score).toMatchObject({ n: 5, mean: 3.6 });
    expect(wc2.benchmarks).toEqual([expect.objectContaining({ kind: 'published', value: 58, own: 60, delta: expect.closeTo(2, 10), year: 2023 })]);
    // wc3 raw 4 3 3 dk dk -: 3 valid answers < k = 5: no figure at all.
    const wc3 = wc.items.find((i) => i.itemId === 'wc3')!;
    expect(wc3).toMatchObject({ suppressed: true, score: null, favourable: null, distribution: null });
    // wc5 is reverse-keyed: raw 1 2 3 4 1 2 -> keyed 5 4 3 2 5 4: mean 23/6, keyed counts [0,1,1,2,2].
    const wc5 = wc.items.find((i) => i.itemId === 'wc5')!;
    expect(wc5.score!.mean).toBeCloseTo(23 / 6, 10);
    expect(wc5.distribution!.counts).toEqual([0, 1, 1, 2, 2]);
    // Every published source is listed with year and population.
    expect(m_sources(await model(roundA))).toContain('tno_ser2023_variety_employees');
  });

  it('employee and management perspectives side by side with the gap, never merged', async () => {
    const m = await model(roundA);
    const p = m.perspectives.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    expect(m.perspectives.available).toBe(true);
    // Management scale scores 29/6, 25/6, 24/6, 28/6, 21/6: mean 127/30 = 4.233333.
    if (p.management.suppressed || p.employee.suppressed) throw new Error('expected both sides');
    expect(p.management.score!.mean).toBeCloseTo(127 / 30, 10);
    expect(p.management.score!.n).toBe(5);
    // Employee side is the employee figure: 209/60. Gap = management - employee = 127/30 - 209/60 = 0.75.
    expect(p.employee.score!.mean).toBeCloseTo(209 / 60, 10);
    expect(p.gap.mean).toBeCloseTo(0.75, 10);
    // wc2: management raw 5 5 4 4 4 -> 100% favourable vs employers' published 31%; employees 60%.
    const wc2 = p.items.find((i) => i.itemId === 'wc2')!;
    if (wc2.management.suppressed) throw new Error('expected management wc2');
    expect(wc2.management.favourable).toBe(100);
    expect(wc2.management.published).toMatchObject({ value: 31, population: { en: 'Employers in the Netherlands' } });
    expect(wc2.management.publishedDelta).toBe(69);
    expect(wc2.gap.favourable).toBeCloseTo(40, 10);
    expect(wc2.gap.mean).toBeCloseTo(4.4 - 3.6, 10);
    // The mechanism figure stays the employees' own (n = 5 scale scores, not 10).
    expect(m.mechanisms.find((x) => x.mechanismId === 'work_content')!.score!.n).toBe(5);
  });

  it('mechanisms nobody answered carry no figure', async () => {
    const sd = (await model(roundA)).mechanisms.find((x) => x.mechanismId === 'self_direction')!;
    expect(sd).toMatchObject({ suppressed: true, score: null, favourable: null });
  });
});

function m_sources(m: ResultModel): string[] {
  return m.benchmarkSources.filter((s) => s.year !== undefined && s.population !== null).map((s) => s.id);
}

describe('anonymity (round B)', () => {
  it('a department under k is hidden, and complementary suppression hides one more', async () => {
    const m = await model(roundB);
    const dept = m.segments.find((s) => s.dimension === 'department')!;
    // Zorg 7, Techniek 6, Staf 3: Staf < 5 is hidden. Total 16 minus Zorg and Techniek would reveal
    // Staf (16 - 7 - 6 = 3), so the smallest visible group (Techniek, 6) is hidden too.
    expect(dept.groups).toEqual([
      expect.objectContaining({ key: 'Zorg', hidden: false, n: 7 }),
      { key: 'Techniek', hidden: true, suppressed: true, label: { nl: 'Techniek', en: 'Techniek' } },
      { key: 'Staf', hidden: true, suppressed: true, label: { nl: 'Staf', en: 'Staf' } },
    ]);
    // Zorg: 5 x keyed 4 4 4 4 4 4 (score 4) and 2 x 5 5 5 5 5 5 (score 5): mean 30/7.
    const zorg = dept.groups[0]!;
    if (zorg.hidden) throw new Error('Zorg should be visible');
    expect(zorg.mechanisms.find((c) => c.mechanismId === 'work_content')!.score!.mean).toBeCloseTo(30 / 7, 10);
    // Heatmap: hidden rows carry no cells; response per segment carries no counts for them.
    const rows = m.heatmap.rows.filter((r) => r.dimension === 'department');
    expect(rows.map((r) => [r.key, r.hidden, r.cells.length])).toEqual([
      ['Zorg', false, 7],
      ['Techniek', true, 0],
      ['Staf', true, 0],
    ]);
    const resp = m.response.perSegment.find((s) => s.dimension === 'department')!;
    expect(resp.groups.find((g) => g.key === 'Techniek')).toEqual({ key: 'Techniek', hidden: true, label: { nl: 'Techniek', en: 'Techniek' } });
    expect(JSON.stringify(m.segments)).not.toMatch(/"n":6\b|"n":3\b/);
  });

  it('role: 2 managers are hidden, and then the 14 employees too (their count would reveal the 2)', async () => {
    const m = await model(roundB);
    const role = m.segments.find((s) => s.dimension === 'role')!;
    expect(role.groups.every((g) => g.hidden)).toBe(true);
  });

  it('management below k: their side is hidden and their answers are not in the employee figures', async () => {
    const m = await model(roundB);
    const p = m.perspectives.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    expect(p.management).toEqual({ suppressed: true });
    expect(p.gap).toEqual({ mean: null, favourable: null });
    // Employees: 5 x 4 + 2 x 5 + 6 x 2 (keyed 2 2 2 2 2 2) + 3 x 3 = 20 + 10 + 12 + 9 = 51 over 16.
    // (With the managers' keyed 1s it would be 54 / 19 = 2.84.)
    const wc = m.mechanisms.find((x) => x.mechanismId === 'work_content')!;
    expect(wc.score!.n).toBe(16);
    expect(wc.score!.mean).toBeCloseTo(51 / 16, 10);
    expect(m.anonymity.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['management_below_threshold', 'complementary_suppression']));
  });

  it('a segment filter on a visible group narrows the model to that group', async () => {
    const m = await model(roundB, '?segment=department:Zorg');
    expect(m.meta.segmentFilter).toMatchObject({ dimension: 'department', value: 'Zorg' });
    expect(m.response.submitted).toBe(7);
    expect(m.mechanisms.find((x) => x.mechanismId === 'work_content')!.score!.mean).toBeCloseTo(30 / 7, 10);
    // No cross-tabulation and no management side under a filter.
    expect(m.segments).toEqual([]);
    expect(m.perspectives.available).toBe(false);
  });

  it('refuses hidden groups, combined filters and malformed filters', async () => {
    for (const hidden of ['department:Techniek', 'department:Staf', 'department:Onbekend', 'role:manager', 'role:employee']) {
      const res = await results(roundB, `?segment=${encodeURIComponent(hidden)}`);
      expect(res.statusCode, hidden).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('segment_hidden');
    }
    const combined = await results(roundB, '?segment=department:Zorg&segment=role:employee');
    expect(combined.statusCode).toBe(400);
    const two = await results(roundB, '?segment=department:Zorg&age=35_44');
    expect(two.statusCode).toBe(400);
    for (const bad of ['department', 'colour:blue', ':Zorg']) {
      const res = await results(roundB, `?segment=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors[0].path).toBe('querystring.segment');
    }
  });

  it('a round under k shows no figure at all', async () => {
    const small = await insertRound(t.db, tenant.organisationId, { name: 'Klein', departments: ['Zorg'] });
    await respondMany(t.db, small, 4, 'employee', '5 5 5 5 1 5', { department: 'Zorg' });
    const m = await model(small);
    expect(m.mechanisms.every((x) => x.suppressed && x.score === null && x.items.every((i) => i.suppressed))).toBe(true);
    expect(m.segments.flatMap((s) => s.groups).every((g) => g.hidden)).toBe(true);
    // Not even the count: 4 submitted is a figure about 4 people.
    expect(m.response.perForm[0]).toMatchObject({ submitted: null, belowThreshold: true });
    expect(m.response.submitted).toBeNull();
  });
});

describe('open rounds', () => {
  it('publish no results until closed (figures changing per response would reveal answers)', async () => {
    const open = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Loopt nog' });
    await respondMany(t.db, open, 6, 'employee', '4 4 4 4 2 4');
    for (const path of ['results', 'results.csv', 'raw.csv']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${open}/${path}`, headers: token });
      expect(res.statusCode, path).toBe(409);
      expect(res.json().code).toBe('round_not_closed');
    }
  });
});

describe('access', () => {
  it('HR, director and consultant of the organisation may read; another tenant gets 404', async () => {
    for (const user of [tenant.hr, tenant.director, tenant.consultant]) {
      const res = await results(roundA, '', await sessionHeaders(t.db, user.id));
      expect(res.statusCode, user.email).toBe(200);
    }
    const other = await createTenant(t.db);
    for (const headers of [await sessionHeaders(t.db, other.consultant.id), bearer(await createApiTokenFor(t.db, { organisationId: other.organisationId }))]) {
      const res = await results(roundA, '', headers);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect((await results(roundA, '', {})).statusCode).toBe(401);
    expect((await results('not-a-uuid')).statusCode).toBe(404);
  });
});

describe('factors: a respondent who rated every factor "not applicable" is not a rater', () => {
  async function withFactors(roundId: string, factors: Record<string, number | null>) {
    const { insertSubmittedResponse } = await import('../helpers/responses.js');
    await t.db.transaction().execute((tx) =>
      insertSubmittedResponse(tx, roundId, { form: 'employee', answers: { wc1: 4, wc2: 4, wc3: 4, wc4: 4 }, factors, channel: 'demo' }),
    );
  }

  it('4 raters plus one all-not-applicable respondent: hidden; a fifth rater shows 5, not 6', async () => {
    const r = await insertRound(t.db, tenant.organisationId, { name: 'Factoren', modules: ['culture_scan', 'factors'] });
    for (let i = 0; i < 4; i++) await withFactors(r, { future_dreams: 1, self_confidence: 2 });
    await withFactors(r, { future_dreams: null, self_confidence: null });
    // Four raters (the fifth respondent rated nothing): under k, so no factor figure at all.
    const before = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${r}/results`, headers: token });
    const m1 = ResultModelSchema.parse(before.json());
    expect(m1.factors).toMatchObject({ included: true, suppressed: true, respondents: null });
    expect(m1.factors.groups.flatMap((g) => g.factors).every((f) => f.suppressed && f.n === null && f.mean === null)).toBe(true);
    // A separate round with five raters and the same all-n/a respondent: 5 raters, not 6.
    const r2 = await insertRound(t.db, tenant.organisationId, { name: 'Factoren 2', modules: ['culture_scan', 'factors'] });
    for (let i = 0; i < 5; i++) await withFactors(r2, { future_dreams: 1, self_confidence: 2 });
    await withFactors(r2, { future_dreams: null, self_confidence: null });
    const m2 = await model(r2);
    expect(m2.factors.respondents).toBe(5);
    const dreams = m2.factors.groups.flatMap((g) => g.factors).find((f) => f.factorId === 'future_dreams')!;
    // future_dreams: 5 ratings of +1 (mean 1, 100% stimulating) and 1 not applicable.
    expect(dreams).toMatchObject({ suppressed: false, n: 5, mean: 1, stimulating: 100, hindering: 0, notApplicable: 1 });
  });
});
