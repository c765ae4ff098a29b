// The SME checklist of a round: the ten practices with published shares, answering, validation,
// roles, module and status checks, tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SME_CHECKLIST } from '../../scans/index.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { createRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

const url = (id: string) => `/api/v1/rounds/${id}/checklist`;
const withChecklist = () => createRound(t.app, a.as.hr, a.organisationId, { modules: ['culture_scan', 'sme_checklist'] });
const stored = async (roundId: string) =>
  t.db.selectFrom('checklist_answers').select(['practice_id', 'answer', 'answered_by']).where('round_id', '=', roundId).orderBy('practice_id').execute();

describe(`checklist (${driverName})`, () => {
  it('shows the ten practices with their published share, source, year and population', async () => {
    const round = await withChecklist();
    const res = await t.app.inject({ method: 'GET', url: url(round.id), headers: a.as.director });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.practices).toHaveLength(10);
    expect(c.practices.map((p: { id: string }) => p.id)).toEqual(SME_CHECKLIST.practices.map((p) => p.id));
    const plan = c.practices.find((p: { id: string }) => p.id === 'training_plan');
    // 23.7% of Dutch SMEs have a documented training plan (SEOR & Ockham IPS, 2021).
    expect(plan.published).toMatchObject({ value: 23.7, year: 2021 });
    expect(plan.published.source).toContain('SEOR');
    expect(plan.published.population.nl).toContain('Mkb');
    expect(plan.answer).toBeNull();
    expect(c.summary).toEqual({ yes: 0, no: 0, dontKnow: 0, unanswered: 10 });
    expect(c.answerOptions.map((o: { value: string }) => o.value)).toEqual(['yes', 'no', 'dont_know']);
  });

  it('saves answers, keeps what is not sent, and removes with null', async () => {
    const round = await withChecklist();
    const first = await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.hr, payload: { answers: { training_plan: 'yes', ld_vision: 'no' } } });
    expect(first.statusCode).toBe(200);
    expect(first.json().summary).toEqual({ yes: 1, no: 1, dontKnow: 0, unanswered: 8 });
    const second = await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.consultant, payload: { answers: { ld_vision: 'dont_know', training_plan: null } } });
    expect(second.json().summary).toEqual({ yes: 0, no: 0, dontKnow: 1, unanswered: 9 });
    expect(await stored(round.id)).toEqual([{ practice_id: 'ld_vision', answer: 'dont_know', answered_by: a.consultant.id }]);
  });

  it.each([
    [{ answers: { training_plan: 'maybe' } }, 'body.answers.training_plan'],
    [{ answers: { training_plan: 'yes', free_lunch: 'yes' } }, 'body.answers.free_lunch'],
    [{ answers: {}, note: 'x' }, 'body.note'],
  ])('rejects %j naming %s and stores nothing', async (payload, path) => {
    const round = await withChecklist();
    await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.hr, payload: { answers: { ld_vision: 'no' } } });
    const res = await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.hr, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await stored(round.id)).toEqual([{ practice_id: 'ld_vision', answer: 'no', answered_by: a.hr.id }]);
  });

  it('accepts an API token and refuses directors', async () => {
    const round = await withChecklist();
    const token = bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId }));
    expect((await t.app.inject({ method: 'PUT', url: url(round.id), headers: token, payload: { answers: { training_plan: 'yes' } } })).statusCode).toBe(200);
    expect((await stored(round.id))[0]!.answered_by).toBeNull();
    expect((await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.director, payload: { answers: { training_plan: 'no' } } })).statusCode).toBe(403);
  });

  it('needs the sme_checklist module, and refuses changes once closed', async () => {
    const plain = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await t.app.inject({ method: 'GET', url: url(plain.id), headers: a.as.hr });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('module_not_enabled');
    const round = await withChecklist();
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/open`, headers: a.as.hr });
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr });
    const closed = await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.hr, payload: { answers: { training_plan: 'yes' } } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('round_closed');
    expect(await stored(round.id)).toEqual([]);
  });

  it('hides the checklist of another tenant', async () => {
    const round = await withChecklist();
    await t.app.inject({ method: 'PUT', url: url(round.id), headers: a.as.hr, payload: { answers: { training_plan: 'yes' } } });
    for (const headers of [b.as.hr, b.as.consultant, b.as.director, bearer(await createApiTokenFor(t.db, { consultancyId: b.consultancyId }))]) {
      expect((await t.app.inject({ method: 'GET', url: url(round.id), headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'PUT', url: url(round.id), headers, payload: { answers: { training_plan: 'no' } } })).statusCode).toBe(404);
    }
    expect(await stored(round.id)).toEqual([{ practice_id: 'training_plan', answer: 'yes', answered_by: a.hr.id }]);
  });
});
