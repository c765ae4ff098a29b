// Named dialogue-model placements of directors, HR and consultants: entering, listing by name,
// validation, module and status checks, tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, createRound, personalLinks, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

const me = (id: string) => `/api/v1/rounds/${id}/placements/me`;
const all = (id: string) => `/api/v1/rounds/${id}/placements`;
const withModel = (extra: Record<string, unknown> = {}) => createRound(t.app, a.as.hr, a.organisationId, { modules: ['culture_scan', 'dialogue_model'], ...extra });

describe(`placements (${driverName})`, () => {
  it('lets directors, HR and consultants each place past, current and desired, listed by name and group', async () => {
    const round = await withModel();
    const d = await t.app.inject({
      method: 'PUT',
      url: me(round.id),
      headers: a.as.director,
      payload: { past: { x: -80, y: -60, note: 'Crisis 2020' }, current: { x: -30, y: 10 }, desired: { x: 50, y: 70 } },
    });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({
      userId: a.director.id,
      name: a.director.name,
      group: 'director',
      frames: {
        // x < 0 is the organisation side, y < 0 reactive: defensive; y >= 0 proactive: offensive.
        past: { x: -80, y: -60, note: 'Crisis 2020', quadrant: 'defensive' },
        current: { x: -30, y: 10, note: null, quadrant: 'offensive' },
        desired: { x: 50, y: 70, quadrant: 'preventive' },
      },
    });
    await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.hr, payload: { current: { x: 20, y: -20 } } });
    await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.consultant, payload: { desired: { x: 0, y: 0 } } });
    const list = await t.app.inject({ method: 'GET', url: all(round.id), headers: a.as.hr });
    expect(list.statusCode).toBe(200);
    const placements = list.json().placements;
    expect(placements.map((p: { name: string; group: string }) => [p.group, p.name])).toEqual([
      ['director', a.director.name],
      ['hr', a.hr.name],
      ['consultant', a.consultant.name],
    ]);
    expect(placements[1].frames).toMatchObject({ past: null, current: { x: 20, y: -20, quadrant: 'curative' }, desired: null });
    expect(placements[2].frames.desired.quadrant).toBe('preventive');
  });

  it('changes only the frames sent and removes a frame with null', async () => {
    const round = await withModel();
    await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.hr, payload: { past: { x: 1, y: 1 }, current: { x: 2, y: 2 } } });
    const res = await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.hr, payload: { current: { x: 5, y: 5, note: 'na gesprek' }, past: null } });
    expect(res.json().frames).toMatchObject({ past: null, current: { x: 5, y: 5, note: 'na gesprek' }, desired: null });
    const mine = await t.app.inject({ method: 'GET', url: me(round.id), headers: a.as.hr });
    expect(mine.json().frames.current).toMatchObject({ x: 5, y: 5 });
    const rows = await t.db.selectFrom('placements').select(['frame', 'participant_group', 'user_id', 'response_id']).where('round_id', '=', round.id).execute();
    expect(rows).toEqual([{ frame: 'current', participant_group: 'hr', user_id: a.hr.id, response_id: null }]);
  });

  it.each([
    [{ current: { x: 101, y: 0 } }, 'body.current.x'],
    [{ current: { x: 0 } }, 'body.current.y'],
    [{ now: { x: 0, y: 0 } }, 'body.now'],
    [{ current: { x: 0, y: 0, colour: 'red' } }, 'body.current.colour'],
    [{ current: { x: 0, y: 0, note: 'x'.repeat(2001) } }, 'body.current.note'],
    [{}, 'body'],
  ])('rejects %j naming %s and stores nothing', async (payload, path) => {
    const round = await withModel();
    const res = await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.director, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await t.db.selectFrom('placements').select('id').where('round_id', '=', round.id).execute()).toEqual([]);
  });

  it('does not list employees\' anonymous placements', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { modules: ['culture_scan', 'dialogue_model'], employeePlacements: true });
    const tokens = await personalLinks(t.app, a.as.hr, round.id, 'emp@example.nl\n');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/survey/${tokens.get('emp@example.nl')}/submit`,
      headers: { 'idempotency-key': 'k' },
      payload: { answers: completeAnswers(), placements: { current: { x: 10, y: 10 } } },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: all(round.id), headers: a.as.hr })).json().placements).toEqual([]);
  });

  it('needs the dialogue_model module, a user (not a token), and an unclosed round', async () => {
    const plain = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await t.app.inject({ method: 'PUT', url: me(plain.id), headers: a.as.hr, payload: { current: { x: 0, y: 0 } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('module_not_enabled');
    const round = await withModel();
    const token = bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId }));
    expect((await t.app.inject({ method: 'PUT', url: me(round.id), headers: token, payload: { current: { x: 0, y: 0 } } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: all(round.id), headers: token })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/open`, headers: a.as.hr });
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr });
    const closed = await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.director, payload: { current: { x: 0, y: 0 } } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('round_closed');
  });

  it('hides the placements of another tenant and lets nobody there place', async () => {
    const round = await withModel();
    await t.app.inject({ method: 'PUT', url: me(round.id), headers: a.as.director, payload: { current: { x: 0, y: 0 } } });
    for (const headers of [b.as.hr, b.as.consultant, b.as.director]) {
      const list = await t.app.inject({ method: 'GET', url: all(round.id), headers });
      expect(list.statusCode).toBe(404);
      expect(list.body).not.toContain(a.director.name);
      expect((await t.app.inject({ method: 'GET', url: me(round.id), headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'PUT', url: me(round.id), headers, payload: { current: { x: 9, y: 9 } } })).statusCode).toBe(404);
    }
    const rows = await t.db.selectFrom('placements').select(['user_id']).where('round_id', '=', round.id).execute();
    expect(rows).toEqual([{ user_id: a.director.id }]);
  });
});
