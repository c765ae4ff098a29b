// Rounds: create, list, read, change what is safe, open/close/reopen, roles and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultRoundHooks } from '../../server/results/hooks.js';
import type { RoundClosedHandler } from '../../server/rounds/hooks.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { createOpenRound, createRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;
// Handlers a test adds after the app's own (the results hooks), in the close transaction.
const extraCloseHandlers: RoundClosedHandler[] = [];

beforeAll(async () => {
  t = await setupTestApp({}, {
    roundHooks: {
      ...resultRoundHooks,
      roundClosed: async (tx, roundId) => {
        await resultRoundHooks.roundClosed(tx, roundId);
        for (const handler of extraCloseHandlers) await handler(tx, roundId);
      },
    },
  });
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

const url = (orgId: string) => `/api/v1/organisations/${orgId}/rounds`;

describe(`rounds (${driverName})`, () => {
  it('creates a draft round with defaults', async () => {
    const res = await t.app.inject({ method: 'POST', url: url(a.organisationId), headers: a.as.hr, payload: { name: '  Scan 2026  ' } });
    expect(res.statusCode).toBe(201);
    const round = res.json();
    expect(round).toMatchObject({
      organisationId: a.organisationId,
      name: 'Scan 2026',
      // Issue 17: new rounds default to version 2 and ask no optional module unless chosen.
      instrumentId: 'culture-scan@2',
      surveyModules: [],
      modules: ['culture_scan'],
      languages: ['nl'],
      departments: [],
      anonymityThreshold: 5,
      employeePlacements: false,
      status: 'draft',
      answerable: false,
      opensAt: null,
      closesAt: null,
    });
    const stored = await t.db.selectFrom('rounds').selectAll().where('id', '=', round.id).executeTakeFirstOrThrow();
    expect(stored.created_by).toBe(a.hr.id);
  });

  it('creates a round with every field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: url(a.organisationId),
      headers: a.as.consultant,
      payload: {
        name: 'Volledige scan',
        instrumentId: 'culture-scan@1',
        modules: ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'],
        languages: ['en', 'nl'],
        departments: [' Zorg ', 'ICT', 'Facilitair'],
        anonymityThreshold: 7,
        employeePlacements: true,
        opensAt: '2026-01-01T08:00:00+01:00',
        closesAt: '2099-02-01T17:00:00Z',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      departments: ['Zorg', 'ICT', 'Facilitair'],
      languages: ['en', 'nl'],
      anonymityThreshold: 7,
      employeePlacements: true,
      opensAt: '2026-01-01T07:00:00.000Z',
      closesAt: '2099-02-01T17:00:00.000Z',
    });
  });

  it.each([
    [{ anonymityThreshold: 4 }, 'body.anonymityThreshold'],
    [{ departments: ['Zorg', 'zorg '] }, 'body.departments.1'],
    [{ departments: [] }, 'body.departments'],
    [{ departments: Array.from({ length: 51 }, (_, i) => `Afdeling ${i}`) }, 'body.departments'],
    [{ departments: ['  '] }, 'body.departments.0'],
    [{ modules: ['culture_scan', 'quiz'] }, 'body.modules.1'],
    [{ modules: [] }, 'body.modules'],
    [{ languages: ['de'] }, 'body.languages.0'],
    [{ instrumentId: 'culture-scan@9' }, 'body.instrumentId'],
    [{ instrumentId: 'sme-checklist@1' }, 'body.instrumentId'],
    [{ employeePlacements: true }, 'body.employeePlacements'],
    [{ opensAt: '2026-03-01T00:00:00Z', closesAt: '2026-02-01T00:00:00Z' }, 'body.closesAt'],
    [{ opensAt: 'next monday' }, 'body.opensAt'],
    [{ colour: 'red' }, 'body.colour'],
  ])('rejects %j naming %s, and stores nothing', async (extra, path) => {
    const before = await t.db.selectFrom('rounds').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'POST', url: url(a.organisationId), headers: a.as.hr, payload: { name: 'x', ...extra } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    const after = await t.db.selectFrom('rounds').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('lets directors read but not create or change', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const create = await t.app.inject({ method: 'POST', url: url(a.organisationId), headers: a.as.director, payload: { name: 'x' } });
    expect(create.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: url(a.organisationId), headers: a.as.director });
    expect(list.statusCode).toBe(200);
    expect(list.json().rounds.map((r: { id: string }) => r.id)).toContain(round.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}`, headers: a.as.director })).statusCode).toBe(200);
    for (const [method, path] of [
      ['PATCH', ''],
      ['POST', '/open'],
    ] as const) {
      const res = await t.app.inject({ method, url: `/api/v1/rounds/${round.id}${path}`, headers: a.as.director, payload: method === 'PATCH' ? { name: 'y' } : undefined });
      expect(res.statusCode).toBe(403);
    }
  });

  it('needs a session and, for changes, the CSRF header', async () => {
    expect((await t.app.inject({ method: 'GET', url: url(a.organisationId) })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: url(a.organisationId), headers: { cookie: a.as.hr.cookie! }, payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
  });

  it('accepts an API token bound to the organisation or its consultancy', async () => {
    const orgToken = await createApiTokenFor(t.db, { organisationId: a.organisationId });
    const res = await t.app.inject({ method: 'POST', url: url(a.organisationId), headers: bearer(orgToken), payload: { name: 'Via API' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe('Via API');
    const consultancyToken = await createApiTokenFor(t.db, { consultancyId: a.consultancyId });
    const open = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${res.json().id}/open`, headers: bearer(consultancyToken) });
    expect(open.statusCode).toBe(200);
  });

  it('hides every round route of another tenant (404, no data)', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const otherToken = bearer(await createApiTokenFor(t.db, { organisationId: b.organisationId }));
    for (const headers of [b.as.hr, b.as.consultant, b.as.director, otherToken]) {
      const attempts = [
        { method: 'GET' as const, url: url(a.organisationId) },
        { method: 'POST' as const, url: url(a.organisationId), payload: { name: 'x' } },
        { method: 'GET' as const, url: `/api/v1/rounds/${round.id}` },
        { method: 'PATCH' as const, url: `/api/v1/rounds/${round.id}`, payload: { name: 'gekaapt' } },
        { method: 'POST' as const, url: `/api/v1/rounds/${round.id}/open` },
        { method: 'POST' as const, url: `/api/v1/rounds/${round.id}/close` },
        { method: 'POST' as const, url: `/api/v1/rounds/${round.id}/reopen` },
        { method: 'GET' as const, url: `/api/v1/rounds/${round.id}/response-rates` },
      ];
      for (const attempt of attempts) {
        const res = await t.app.inject({ ...attempt, headers });
        expect(res.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
        expect(res.body).not.toContain('Leercultuurscan 2026');
      }
    }
    const stored = await t.db.selectFrom('rounds').select(['name', 'status']).where('id', '=', round.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: 'Leercultuurscan 2026', status: 'draft' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/rounds/not-a-uuid', headers: a.as.hr })).statusCode).toBe(404);
  });

  it('changes anything while draft', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId, { departments: ['A', 'B'] });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/rounds/${round.id}`,
      headers: a.as.hr,
      payload: { name: 'Nieuw', modules: ['culture_scan', 'factors'], anonymityThreshold: 8, departments: ['C'], languages: ['en'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Nieuw', modules: ['culture_scan', 'factors'], anonymityThreshold: 8, departments: ['C'], languages: ['en'] });
  });

  it('once open, refuses instrument, modules, threshold and removals, and keeps the round unchanged', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['A', 'B'], languages: ['nl'] });
    for (const [payload, path] of [
      [{ modules: ['culture_scan', 'factors'] }, 'body.modules'],
      [{ anonymityThreshold: 6 }, 'body.anonymityThreshold'],
      [{ instrumentId: 'culture-scan@1', anonymityThreshold: 10 }, 'body.anonymityThreshold'],
      [{ departments: ['A'] }, 'body.departments'],
      [{ languages: ['en'] }, 'body.languages'],
      [{ employeePlacements: true }, 'body.employeePlacements'],
    ] as const) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/rounds/${round.id}`, headers: a.as.hr, payload: { name: 'changed', ...payload } });
      expect(res.statusCode, JSON.stringify(payload)).toBe(409);
      expect(res.json().code).toBe('round_field_locked');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const stored = await t.db.selectFrom('rounds').selectAll().where('id', '=', round.id).executeTakeFirstOrThrow();
    expect(stored.name).toBe('Leercultuurscan 2026');
    // Safe changes: name, closing date, added departments and languages; repeating locked values is fine.
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/rounds/${round.id}`,
      headers: a.as.hr,
      payload: { name: 'Hernoemd', departments: ['A', 'B', 'C'], languages: ['nl', 'en'], closesAt: '2099-01-01T00:00:00Z', modules: ['culture_scan'] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Hernoemd', departments: ['A', 'B', 'C'], languages: ['nl', 'en'], status: 'open', answerable: true });
  });

  it('opens, closes and reopens with the right status checks', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const post = (action: string, payload?: unknown) =>
      t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/${action}`, headers: a.as.hr, ...(payload !== undefined ? { payload: payload as object } : {}) });

    expect((await post('close')).json().code).toBe('invalid_round_status');
    expect((await post('reopen')).statusCode).toBe(409);
    const opened = await post('open');
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ status: 'open', answerable: true });
    expect(opened.json().openedAt).not.toBeNull();
    expect((await post('open')).statusCode).toBe(409);
    const closed = await post('close');
    expect(closed.json()).toMatchObject({ status: 'closed', answerable: false });
    expect(closed.json().closedAt).not.toBeNull();
    const reopened = await post('reopen', { closesAt: '2099-06-01T00:00:00Z' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null, closesAt: '2099-06-01T00:00:00.000Z' });
  });

  it('refuses to open or reopen when the closing date has passed', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId, { closesAt: '2020-01-01T00:00:00Z' });
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/open`, headers: a.as.hr });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('closes_at_passed');
  });

  it('is not answerable before opensAt', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { opensAt: '2099-01-01T00:00:00Z' });
    expect(round).toMatchObject({ status: 'open', answerable: false });
  });

  it('runs the close handlers in the close transaction; a failing handler keeps the round open', async () => {
    const seen: string[] = [];
    const ok = async (_tx: unknown, roundId: string) => void seen.push(roundId);
    extraCloseHandlers.push(ok);
    try {
      const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr });
      expect(res.statusCode).toBe(200);
      expect(seen).toEqual([round.id]);

      const failing = async () => {
        throw new Error('handler failed');
      };
      extraCloseHandlers.push(failing);
      const round2 = await createOpenRound(t.app, a.as.hr, a.organisationId);
      const res2 = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round2.id}/close`, headers: a.as.hr });
      expect(res2.statusCode).toBe(500);
      const stored = await t.db.selectFrom('rounds').select(['status', 'closed_at']).where('id', '=', round2.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ status: 'open', closed_at: null });
    } finally {
      extraCloseHandlers.length = 0;
    }
  });
});
