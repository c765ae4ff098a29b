// The demo step: a closed, labelled demo round whose result model shows every section, created once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { DEMO_PREVIOUS_ROUND_NAME, DEMO_ROUND_NAME } from '../../server/demo/demo-round.js';
import { seedDemo } from '../../server/demo/seed.js';
import { buildResultModel } from '../../server/results/build.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { sessionHeaders } from '../helpers/rounds.js';

let t: TestApp;
let model: ResultModel;
let roundId: string;

beforeAll(async () => {
  t = await setupTestApp();
  await seedDemo(t.db);
  const round = await t.db.selectFrom('rounds').select('id').where('name', '=', DEMO_ROUND_NAME).executeTakeFirstOrThrow();
  roundId = round.id;
  model = ResultModelSchema.parse(await buildResultModel(t.db, roundId));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('demo round', () => {
  it('is closed, labelled as demo and seeded once', async () => {
    expect(model.meta).toMatchObject({ isDemo: true, round: { status: 'closed', isDemo: true, name: DEMO_ROUND_NAME } });
    expect(model.anonymity.notes.map((n) => n.code)).toContain('demo');
    await seedDemo(t.db);
    const rounds = await t.db.selectFrom('rounds').select('name').where('name', 'in', [DEMO_ROUND_NAME, DEMO_PREVIOUS_ROUND_NAME]).execute();
    expect(rounds).toHaveLength(2);
    const orgs = await t.db.selectFrom('organisations').select(['name', 'is_demo']).execute();
    expect(orgs.every((o) => o.is_demo && o.name.includes('(DEMO)'))).toBe(true);
  });

  it('has a few hundred employees, management respondents and every section filled', () => {
    const employee = model.response.perForm.find((f) => f.form === 'employee')!;
    const management = model.response.perForm.find((f) => f.form === 'management')!;
    expect(employee.submitted).toBeGreaterThanOrEqual(250);
    expect(management.submitted).toBe(8);
    expect(model.mechanisms.every((m) => !m.suppressed && m.score !== null && m.alpha?.value !== null)).toBe(true);
    // Mechanisms differ: at least a full point between the highest and lowest mean.
    const means = model.mechanisms.map((m) => m.score!.mean);
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(0.7);
    expect(model.perspectives.available).toBe(true);
    expect(model.perspectives.mechanisms.every((p) => !p.management.suppressed && p.gap.mean !== null)).toBe(true);
    expect(model.checklist).toMatchObject({ included: true, total: 10, answered: 10 });
    expect(model.factors.included && !model.factors.suppressed).toBe(true);
    expect(model.priorities.length).toBeGreaterThan(0);
    expect(model.trend.previousRound?.name).toBe(DEMO_PREVIOUS_ROUND_NAME);
    expect(model.trend.mechanisms.every((m) => m.changeMean !== null)).toBe(true);
    expect(model.benchmarkSources.length).toBeGreaterThan(5);
  });

  it('hides ICT (3 respondents) and shows the other departments', () => {
    const dept = model.segments.find((s) => s.dimension === 'department')!;
    expect(dept.groups.find((g) => g.key === 'ICT')).toMatchObject({ hidden: true });
    for (const key of ['Zorg', 'Techniek', 'Facilitair', 'Staf']) expect(dept.groups.find((g) => g.key === key)).toMatchObject({ hidden: false });
  });

  it('shows staff placements by name, employees only as an aggregate, and percentile ranks from the demo pool', () => {
    const director = model.dialogue.groups.find((g) => g.group === 'director')!;
    expect(director.placements.map((p) => p.frame).sort()).toEqual(['current', 'desired', 'past']);
    expect(director.move).not.toBeNull();
    const employees = model.dialogue.groups.find((g) => g.group === 'employee')!;
    expect(employees.placements).toEqual([]);
    expect(employees.frames.find((f) => f.frame === 'current')!.summary!.n).toBeGreaterThanOrEqual(5);
    expect(model.dialogue.disagreements.length).toBeGreaterThan(0);
    const wc = model.mechanisms.find((m) => m.mechanismId === 'work_content')!;
    expect(wc.percentiles.overall).toMatchObject({ shown: true, band: 'quartile', groupSize: 12 });
    // Healthcare and medium-sized: 6 demo organisations each, under the 10 a comparison group needs.
    expect(wc.percentiles.sector).toMatchObject({ shown: false, reason: 'too_few_organisations', minimumGroupSize: 10 });
    expect(wc.percentiles.sizeClass).toMatchObject({ shown: false, reason: 'too_few_organisations', minimumGroupSize: 10 });
  });

  it('the demo director can read the results over the API', async () => {
    const director = await t.db.selectFrom('users').select('id').where('email', '=', 'directeur@demo.leercultuurscan.nl').executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: await sessionHeaders(t.db, director.id) });
    expect(res.statusCode).toBe(200);
  });

  it('has the conversation view: employees placed twice, staff three times, every share from the placements', () => {
    const c = model.dialogue.conversation!;
    const employees = c.groups.find((g) => g.group === 'employee')!;
    expect(employees.frames.map((f) => f.frame)).toEqual(['current', 'desired']);
    expect(c.groups.find((g) => g.group === 'director')!.frames.map((f) => f.frame)).toEqual(['past', 'current', 'desired']);
    for (const g of c.groups)
      for (const f of g.frames)
        if (f.shares) expect(Object.values(f.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
    const current = employees.frames.find((f) => f.frame === 'current')!;
    const aggregate = model.dialogue.groups.find((g) => g.group === 'employee')!.frames.find((f) => f.frame === 'current')!.summary!;
    expect(current.n).toBe(aggregate.n);
    expect(current.spread).toBeCloseTo(aggregate.agreement, 6);
  });

  it('serves the facilitator page for the session, linked from the results page', async () => {
    const director = await t.db.selectFrom('users').select('id').where('email', '=', 'directeur@demo.leercultuurscan.nl').executeTakeFirstOrThrow();
    const headers = await sessionHeaders(t.db, director.id);
    const page = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/dialogue-session`, headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Plaats ieder voor zich');
    expect(page.body).toContain('Neem de afspraken mee naar het actieplan');
    expect(page.body).toContain('twee keer: nu en gewenst');
    const results = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/results`, headers });
    expect(results.body).toContain(`/app/rounds/${roundId}/dialogue-session`);
    const canvas = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/dialogue-canvas.pdf`, headers });
    expect(canvas.statusCode).toBe(200);
    expect(canvas.headers['content-type']).toMatch(/application\/pdf/);
    expect(canvas.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
