// Action plans: create from a priority or a mechanism of a closed round (HR, consultant), read
// (directors too), update, delete, field-named validation, and how target statements moved in the
// next round (published figures only; a statement suppressed in either round has no figure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';
import { insertRound, respond } from './results-helpers.js';

let t: TestApp;
let a: TenantWithSessions;
let first: string;
let second: string;
let open: string;

const PATTERNS_1 = ['2 2 3 2 3 2', '3 2 2 2 3 3', '2 3 2 3 2 2', '2 2 2 2 3 3', '3 3 2 2 2 2', '2 2 3 3 3 2', '3 2 2 2 2 3', '2 2 2 3 2 3'];
const PATTERNS_2 = ['4 4 3 4 4 -', '5 4 4 4 3 -', '4 5 4 3 4 -', '4 4 4 4 4 2', '5 4 3 4 4 -', '4 4 4 3 4 -', '4 5 4 4 3 -', '4 4 5 4 4 -'];

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  first = await insertRound(t.db, a.organisationId, { name: 'Voorjaar', closedAt: new Date('2026-04-01T00:00:00Z') });
  for (const p of PATTERNS_1) await respond(t.db, first, 'employee', p);
  second = await insertRound(t.db, a.organisationId, { name: 'Najaar', closedAt: new Date('2026-10-01T00:00:00Z') });
  for (const p of PATTERNS_2) await respond(t.db, second, 'employee', p);
  open = await insertRound(t.db, a.organisationId, { name: 'Open', status: 'open' });
});
afterAll(async () => t?.close());

const post = (roundId: string, payload: unknown, headers = a.as.hr) => t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/actions`, headers, payload: payload as object });
const base = { source: 'mechanism', mechanismId: 'work_content', title: 'Werkoverleg over taken', owner: 'Teamleider zorg', dueDate: '2026-06-30', itemIds: ['wc1', 'wc2', 'wc6'], notes: 'Start in mei' };

describe(`action plans (${driverName})`, () => {
  it('HR and consultants create actions; directors read them but cannot change them', async () => {
    const res = await post(first, base);
    expect(res.statusCode, res.body).toBe(201);
    const action = res.json();
    expect(action).toMatchObject({ roundId: first, organisationId: a.organisationId, source: 'mechanism', mechanismId: 'work_content', status: 'planned', dueDate: '2026-06-30', itemIds: ['wc1', 'wc2', 'wc6'] });
    const byConsultant = await post(first, { ...base, title: 'Coaching', itemIds: [] }, a.as.consultant);
    expect(byConsultant.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/actions`, headers: a.as.director });
    expect(list.statusCode).toBe(200);
    expect(list.json().actions.map((x: { title: string }) => x.title)).toEqual(['Werkoverleg over taken', 'Coaching']);
    const perRound = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${first}/actions`, headers: a.as.director });
    expect(perRound.json().actions).toHaveLength(2);
    expect((await post(first, base, a.as.director)).statusCode).toBe(403);
    const patchByDirector = await t.app.inject({ method: 'PATCH', url: `/api/v1/actions/${action.id}`, headers: a.as.director, payload: { status: 'done' } });
    expect(patchByDirector.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/actions/${action.id}`, headers: a.as.director })).statusCode).toBe(403);
  });

  it('updates status and fields, deletes', async () => {
    const { id } = (await post(first, { ...base, title: 'Tijdelijk' })).json();
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/actions/${id}`, headers: a.as.hr, payload: { status: 'in_progress', owner: 'HR', dueDate: null, notes: 'Loopt' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_progress', owner: 'HR', dueDate: null, notes: 'Loopt', title: 'Tijdelijk' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/actions/${id}`, headers: a.as.hr })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/actions/${id}`, headers: a.as.hr, payload: { status: 'done' } })).statusCode).toBe(404);
  });

  it('rejects bad input with problem+json naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...base, title: '' }, 'title'],
      [{ ...base, status: 'finished' }, 'status'],
      [{ ...base, dueDate: '30-06-2026' }, 'dueDate'],
      [{ ...base, mechanismId: 'nope' }, 'mechanismId'],
      [{ ...base, itemIds: ['ld1'] }, 'itemIds.0'],
      [{ ...base, itemIds: ['wc1', 'wc1'] }, 'itemIds'],
      [{ ...base, extra: 1 }, 'extra'],
    ];
    for (const [payload, field] of cases) {
      const res = await post(first, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json().errors ?? res.json()), field).toContain(field);
    }
    const notPriority = await post(first, { ...base, source: 'priority', mechanismId: 'leadership' });
    expect(notPriority.statusCode).toBe(400);
    expect(JSON.stringify(notPriority.json().errors)).toContain('mechanismId');
    expect((await post(open, base)).statusCode).toBe(409);
  });

  it('creates from a priority of the round', async () => {
    const results = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${first}/results`, headers: a.as.hr })).json();
    const priority = results.priorities[0];
    expect(priority, 'the first round has a priority').toBeTruthy();
    const res = await post(first, { ...base, source: 'priority', mechanismId: priority.mechanismId, itemIds: [], title: 'Prioriteit' });
    expect(res.statusCode, res.body).toBe(201);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/actions/${res.json().id}`, headers: a.as.hr });
  });

  it('the next round shows how the target statements moved, from published figures only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${second}/actions/progress`, headers: a.as.director });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const action = body.actions.find((x: { action: { title: string } }) => x.action.title === 'Werkoverleg over taken');
    expect(action.fromRound).toEqual({ id: first, name: 'Voorjaar' });
    const [wc1, wc2, wc6] = action.items;
    const before = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${first}/results`, headers: a.as.hr })).json();
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${second}/results`, headers: a.as.hr })).json();
    const item = (m: { mechanisms: Array<{ items: Array<{ itemId: string; score: { mean: number } | null; suppressed: boolean }> }> }, id: string) => m.mechanisms.flatMap((x) => x.items).find((i) => i.itemId === id)!;
    expect(wc1.before.mean).toBe(item(before, 'wc1').score!.mean);
    expect(wc1.after.mean).toBe(item(after, 'wc1').score!.mean);
    expect(wc1.change).toBeCloseTo(item(after, 'wc1').score!.mean - item(before, 'wc1').score!.mean, 10);
    expect(wc1.difference.verdict).toBe('higher');
    expect(wc2.after.mean).toBeGreaterThan(wc2.before.mean);
    // wc6 has one valid answer in the second round: suppressed there, so no figure and no change.
    expect(item(after, 'wc6').suppressed).toBe(true);
    expect(wc6.after).toBeNull();
    expect(wc6.change).toBeNull();
    expect(wc6.difference).toBeNull();
    expect(JSON.stringify(wc6)).not.toMatch(/"n":1\b/);
    // The first round has no earlier actions to show.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${first}/actions/progress`, headers: a.as.hr })).json().actions).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${open}/actions/progress`, headers: a.as.hr })).statusCode).toBe(409);
  });
});
