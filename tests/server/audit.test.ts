// The audit trail: every read of results, CSVs, raw answers and exports leaves one event with the
// account or token, readable by the consultancy and the organisation's HR, kept per retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredAuditEvents } from '../../server/audit/record.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { sessionHeaders } from '../helpers/rounds.js';
import { describeTenancy } from '../helpers/tenancy.js';
import { insertRound, respondMany } from './results-helpers.js';

describe(`audit trail (${driverName})`, () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let roundId: string;
  let as: { hr: Record<string, string>; consultant: Record<string, string>; director: Record<string, string>; otherConsultant: Record<string, string> };

  beforeAll(async () => {
    t = await setupTestApp();
    tenant = await createTenant(t.db, { label: 'audit' });
    other = await createTenant(t.db, { label: 'audit-other' });
    roundId = await insertRound(t.db, tenant.organisationId, { name: 'Gelogde ronde' });
    await respondMany(t.db, roundId, 6, 'employee', '4 4 4 4 2 4');
    as = {
      hr: await sessionHeaders(t.db, tenant.hr.id),
      consultant: await sessionHeaders(t.db, tenant.consultant.id),
      director: await sessionHeaders(t.db, tenant.director.id),
      otherConsultant: await sessionHeaders(t.db, other.consultant.id),
    };
  });
  afterAll(async () => t?.close());

  const events = async (headers: Record<string, string>, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit-events${query}`, headers });
    return res;
  };

  it('records who read results, CSVs, raw answers and exports, with account or token', async () => {
    const token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }, 'HRM koppeling'));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: as.director })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results.csv`, headers: as.consultant })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/raw.csv`, headers: token })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${tenant.organisationId}/export`, headers: as.hr })).statusCode).toBe(200);
    // A refused read leaves nothing.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results`, headers: as.otherConsultant })).statusCode).toBe(404);

    const res = await events(as.hr);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const list = res.json().events as Array<{ action: string; actor: { kind: string; label: string; userId: string | null }; roundId: string | null; roundName: string | null; ip: string }>;
    expect(list.map((e) => [e.action, e.actor.kind, e.actor.label])).toEqual([
      ['organisation.export', 'user', tenant.hr.email],
      ['raw.csv', 'token', 'token: HRM koppeling'],
      ['results.csv', 'user', tenant.consultant.email],
      ['results.view', 'user', tenant.director.email],
    ]);
    expect(list[3]).toMatchObject({ roundId, roundName: 'Gelogde ronde', actor: { userId: tenant.director.id } });
    expect(list[0]!.ip).toBeTruthy();
  });

  it('is readable by the consultancy and HR (and per round), not by directors or other tenants', async () => {
    const consultant = await events(as.consultant, `?roundId=${roundId}`);
    expect(consultant.statusCode).toBe(200);
    expect(consultant.json().events.length).toBe(3);
    expect((await events(as.director)).statusCode).toBe(403);
    expect((await events(as.director, `?organisationId=${tenant.organisationId}`)).statusCode).toBe(403);
    const foreign = await events(as.otherConsultant);
    expect(foreign.statusCode).toBe(200);
    expect(foreign.json().events).toEqual([]);
    expect((await events(as.otherConsultant, `?organisationId=${tenant.organisationId}`)).statusCode).toBe(404);
  });

  it('is shown in the web app to HR', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/app/audit', headers: { cookie: as.hr.cookie! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(tenant.director.email);
    expect(page.body).toContain('Gelogde ronde');
    const en = await t.app.inject({ method: 'GET', url: '/app/audit?lang=en', headers: { cookie: as.hr.cookie! } });
    expect(en.body).toContain('Audit trail');
  });

  it('is kept per the retention setting of the organisation', async () => {
    await t.db.updateTable('organisations').set({ retention_months: 6 }).where('id', '=', tenant.organisationId).execute();
    await t.db.updateTable('audit_events').set({ occurred_at: new Date(Date.now() - 200 * 24 * 3600 * 1000) }).where('action', '=', 'results.view').execute();
    await t.db.updateTable('audit_events').set({ occurred_at: new Date(Date.now() - 100 * 24 * 3600 * 1000) }).where('action', '=', 'results.csv').execute();
    const deleted = await deleteExpiredAuditEvents(t.db);
    expect(deleted).toBe(1);
    const left = (await t.db.selectFrom('audit_events').select('action').where('organisation_id', '=', tenant.organisationId).execute()).map((r) => r.action).sort();
    expect(left).toEqual(['organisation.export', 'raw.csv', 'results.csv']);
  });
});

describeTenancy('audit trail', [
  { name: 'audit events of another organisation', method: 'GET', url: (v) => `/api/v1/audit-events?organisationId=${v.organisationId}` },
  { name: 'audit events of another round', method: 'GET', url: (v) => `/api/v1/audit-events?roundId=${v.roundId}` },
  { name: 'own audit events', method: 'GET', url: () => '/api/v1/audit-events', list: true, statusFor: { director: 403 } },
]);
