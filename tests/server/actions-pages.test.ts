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
