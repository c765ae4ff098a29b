// The action-plan page without a browser: English on request, the form only for HR and consultants,
// a field-named Dutch error for an invalid form, and the plan on the results page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';
import { insertRound, respond } from './results-helpers.js';

let t: TestApp;
let a: TenantWithSessions;
let roundId: string;

const PATTERNS = ['2 2 3 2 3 2', '3 2 2 2 3 3', '2 3 2 3 2 2', '2 2 2 2 3 3', '3 3 2 2 2 2', '2 2 3 3 3 2'];

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  roundId = await insertRound(t.db, a.organisationId, { name: 'Paginaronde' });
  for (const p of PATTERNS) await respond(t.db, roundId, 'employee', p);
});
afterAll(async () => t?.close());

const page = (headers: Record<string, string>, lang?: 'en') =>
  t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/actions`, headers: lang ? { ...headers, cookie: `${headers.cookie}; lcs_lang=${lang}` } : headers });

describe('action-plan pages', () => {
  it('shows the form to HR in Dutch and in English, and not to the director', async () => {
    const nl = await page(a.as.hr);
    expect(nl.statusCode, nl.body).toBe(200);
    expect(nl.body).toContain('Actieplan: Paginaronde');
    expect(nl.body).toContain('Actie toevoegen');
    const en = await page(a.as.hr, 'en');
    expect(en.body).toContain('Action plan: Paginaronde');
    expect(en.body).toContain('Add an action');
    expect(en.body).not.toContain('Actie toevoegen');
    const director = await page(a.as.director);
    expect(director.statusCode).toBe(200);
    expect(director.body).not.toContain('form-card');
    expect(director.body).toContain('HR en de adviseur passen het aan');
  });

  it('answers an invalid form with 400 and the Dutch message at the field; a valid one lands on the dashboard plan', async () => {
    const form = (title: string) => new URLSearchParams({ _csrf: a.as.hr['x-csrf-token']!, source: 'mechanism', mechanismId: 'work_content', title, owner: 'HR', dueDate: '', notes: '' }).toString();
    const bad = await t.app.inject({ method: 'POST', url: `/app/rounds/${roundId}/actions`, headers: { ...a.as.hr, 'content-type': 'application/x-www-form-urlencoded' }, payload: form('') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="a-title-error">Beschrijf de actie (1 tot 200 tekens).');
    const ok = await t.app.inject({ method: 'POST', url: `/app/rounds/${roundId}/actions`, headers: { ...a.as.hr, 'content-type': 'application/x-www-form-urlencoded' }, payload: form('Teamoverleg') });
    expect(ok.statusCode).toBe(303);
    const results = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/results`, headers: a.as.director });
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('id="actions"');
    expect(results.body).toContain('Teamoverleg');
    expect(results.body).toContain('/results.xlsx?lang=nl');
  });
});

describe('editing an action in the browser, and the audit of action writes', () => {
  const formHeaders = (h: Record<string, string>) => ({ ...h, 'content-type': 'application/x-www-form-urlencoded' });
  const post = (url: string, h: Record<string, string>, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    body.set('_csrf', h['x-csrf-token']!);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return t.app.inject({ method: 'POST', url, headers: formHeaders(h), payload: body.toString() });
  };
  let actionId: string;

  it('HR edits what, owner, due date, status, statements and notes; errors name the field in nl and en', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${roundId}/actions`,
      headers: a.as.hr,
      payload: { source: 'mechanism', mechanismId: 'work_content', title: 'Werkoverleg', owner: 'HR', itemIds: [] },
    });
    expect(created.statusCode, created.body).toBe(201);
    actionId = created.json().id;
    const list = await page(a.as.hr);
    expect(list.body).toContain(`/app/rounds/${roundId}/actions/${actionId}/edit`);

    const edit = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/actions/${actionId}/edit`, headers: a.as.hr });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.body).toContain('Actie bewerken');
    expect(edit.body).toContain('value="Werkoverleg"');
    const items = [...edit.body.matchAll(/name="itemIds" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(items.length).toBeGreaterThan(1);

    const url = `/app/rounds/${roundId}/actions/${actionId}/edit`;
    const bad = await post(url, a.as.hr, { title: 'Werkoverleg', owner: '', dueDate: '2026-02-31', status: 'done', itemIds: items.slice(0, 1), notes: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="e-owner-error">Vul een eigenaar in (1 tot 120 tekens).');
    expect(bad.body).toContain('id="e-dueDate-error">Vul een geldige datum in.');
    // The summary names the fields by their labels, with a link to each.
    expect(bad.body).toMatch(/Controleer de gemarkeerde velden: <a href="#e-owner">Eigenaar<\/a>, <a href="#e-dueDate">Klaar op<\/a>\./);
    // What the user typed stays in the form.
    expect(bad.body).toMatch(/<option value="done" selected>/);
    const badEn = await post(url, { ...a.as.hr, cookie: `${a.as.hr.cookie}; lcs_lang=en` }, { title: '', owner: 'HR', dueDate: '', status: 'planned', notes: '' });
    expect(badEn.statusCode).toBe(400);
    expect(badEn.body).toContain('id="e-title-error">Describe the action (1 to 200 characters).');
    expect(badEn.body).toContain('Check the marked fields: <a href="#e-title">Action</a>.');
    const stale = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/actions`, headers: a.as.hr });
    expect(stale.json().actions.find((x: { id: string }) => x.id === actionId)).toMatchObject({ owner: 'HR', status: 'planned', dueDate: null });

    const ok = await post(url, a.as.hr, { title: 'Maandelijks werkoverleg', owner: 'Teamleider', dueDate: '2026-09-30', status: 'in_progress', itemIds: items.slice(0, 2), notes: 'Na de zomer' });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.headers.location).toBe(`/app/rounds/${roundId}/actions?done=updated`);
    const row = await t.db.selectFrom('action_plan_actions').selectAll().where('id', '=', actionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Maandelijks werkoverleg', owner: 'Teamleider', status: 'in_progress', item_ids: items.slice(0, 2), notes: 'Na de zomer' });
    const served = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/actions`, headers: a.as.hr });
    expect(served.json().actions.find((x: { id: string }) => x.id === actionId).dueDate).toBe('2026-09-30');
  });

  it('the director sees no edit controls, and a direct POST is refused with 403', async () => {
    const list = await page(a.as.director);
    expect(list.body).not.toContain('/edit"');
    expect(list.body).not.toContain('name="status"');
    const edit = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/actions/${actionId}/edit`, headers: a.as.director });
    expect(edit.statusCode).toBe(403);
    expect(edit.body).not.toContain('e-title');
    const direct = await post(`/app/rounds/${roundId}/actions/${actionId}/edit`, a.as.director, { title: 'Door de directeur', owner: 'Directie', dueDate: '', status: 'dropped', notes: '' });
    expect(direct.statusCode).toBe(403);
    const status = await post(`/app/actions/${actionId}/status`, a.as.director, { status: 'dropped' });
    expect(status.statusCode).toBe(403);
    const del = await post(`/app/actions/${actionId}/delete`, a.as.director, {});
    expect(del.statusCode).toBe(403);
    const row = await t.db.selectFrom('action_plan_actions').selectAll().where('id', '=', actionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Maandelijks werkoverleg', status: 'in_progress' });
  });

  it('records create, update and delete in the audit trail, shown on the audit page', async () => {
    const del = await post(`/app/actions/${actionId}/delete`, a.as.hr, { back: `/app/rounds/${roundId}/actions` });
    expect(del.statusCode).toBe(303);
    const events = await t.db.selectFrom('audit_events').select(['action', 'detail', 'round_id', 'actor_label']).where('action', 'like', 'action.%').orderBy('id').execute();
    const writes = events.filter((e) => e.detail?.includes('erkoverleg'));
    expect(writes.map((e) => e.action)).toEqual(['action.create', 'action.update', 'action.delete']);
    expect(writes.every((e) => e.round_id === roundId)).toBe(true);
    expect(writes[1]!.detail).toContain('status planned → in_progress');
    expect(writes[1]!.detail).toContain('due - → 2026-09-30');
    // The refused director writes left no line.
    expect(events.filter((e) => e.detail?.includes('Door de directeur'))).toEqual([]);
    const audit = await t.app.inject({ method: 'GET', url: '/app/audit', headers: a.as.hr });
    expect(audit.statusCode).toBe(200);
    for (const label of ['Actie toegevoegd', 'Actie gewijzigd', 'Actie verwijderd']) expect(audit.body).toContain(label);
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/audit-events?roundId=${roundId}`, headers: a.as.hr });
    expect(api.statusCode).toBe(200);
    expect(api.json().events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['action.create', 'action.update', 'action.delete']));
  });
});
