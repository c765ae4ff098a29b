// Response tracking per form and department: personal links by the invitation's department, shared
// links by the department the respondent chose, no rate below k invitations. The expected figures
// are counted by hand from the arrangement below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, personalLinks, sharedLink, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;
let roundId: string;

const save = (token: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload });
const submit = (token: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': 'k' }, payload: { answers: completeAnswers(), ...payload } });

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
  const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg', 'ICT', 'Financiën'], anonymityThreshold: 5 });
  roundId = round.id;
  // Employee form, personal: Zorg 6 (+1 revoked, never started), ICT 3, no department 1.
  const csv = [
    ...Array.from({ length: 6 }, (_, i) => `z${i}@example.nl,Zorg`),
    'revoked@example.nl,Zorg',
    ...Array.from({ length: 3 }, (_, i) => `i${i}@example.nl,ICT`),
    'nodept@example.nl,',
  ].join('\n');
  const tokens = await personalLinks(t.app, a.as.hr, roundId, csv);
  // Zorg: 3 submitted, 1 more started. ICT: 1 submitted. The one without department: nothing.
  for (const email of ['z0@example.nl', 'z1@example.nl', 'z2@example.nl']) expect((await submit(tokens.get(email)!)).statusCode).toBe(200);
  expect((await save(tokens.get('z3@example.nl')!, { answers: { sd1: 3 } })).statusCode).toBe(200);
  expect((await submit(tokens.get('i0@example.nl')!)).statusCode).toBe(200);
  const revoked = await t.db.selectFrom('invitations').select('id').where('email', '=', 'revoked@example.nl').executeTakeFirstOrThrow();
  await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/invitations/${revoked.id}/revoke`, headers: a.as.hr });
  // Employee form, shared link: one chooses Zorg and submits, one chooses Zorg and stops, one skips the
  // department and submits.
  const shared = await sharedLink(t.app, a.as.hr, roundId);
  const starts = [];
  for (let i = 0; i < 3; i++) starts.push((await t.app.inject({ method: 'POST', url: `/api/v1/survey/${shared.token}/start`, payload: {} })).json().token as string);
  expect((await submit(starts[0]!, { background: { department: 'Zorg' } })).statusCode).toBe(200);
  expect((await save(starts[1]!, { background: { department: 'Zorg' } })).statusCode).toBe(200);
  expect((await submit(starts[2]!)).statusCode).toBe(200);
  // Management form: 5 personal invitations without department, all submitted.
  const mgmt = await personalLinks(t.app, a.as.hr, roundId, Array.from({ length: 5 }, (_, i) => `m${i}@example.nl`).join('\n'), 'management');
  for (const token of mgmt.values()) expect((await submit(token)).statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe(`response rates (${driverName})`, () => {
  it('counts per form and department, with the rule stated in basis', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/response-rates`, headers: a.as.hr });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.anonymityThreshold).toBe(5);
    expect(r.basis.code).toBe('personal_by_invitation_shared_by_self_report');
    const employee = r.forms.find((f: { form: string }) => f.form === 'employee');
    const seg = (d: string | null) => employee.segments.find((s: { department: string | null }) => s.department === d);
    expect(employee.segments.map((s: { department: string | null }) => s.department)).toEqual(['Zorg', 'ICT', 'Financiën', null]);
    // Zorg: 6 invited (the revoked one never started), 4 started + 2 via the shared link, 3 + 1 submitted; rate 3/6.
    expect(seg('Zorg')).toEqual({
      department: 'Zorg',
      invited: 6,
      started: 6,
      submitted: 4,
      personal: { invited: 6, started: 4, submitted: 3 },
      shared: { started: 2, submitted: 1, headcount: null, rate: null },
      other: { submitted: 0 },
      rate: 50,
      rateReason: null,
    });
    // ICT: 3 invitations is fewer than k = 5: counts, but no rate.
    expect(seg('ICT')).toMatchObject({ invited: 3, started: 1, submitted: 1, rate: null, rateReason: 'fewer_than_k_invitations' });
    expect(seg('Financiën')).toMatchObject({ invited: 0, started: 0, submitted: 0, rate: null, rateReason: 'no_personal_invitations' });
    // No department: the invitation without one, and the shared-link respondent who skipped the question.
    expect(seg(null)).toMatchObject({ invited: 1, started: 1, submitted: 1, personal: { invited: 1, started: 0, submitted: 0 }, shared: { started: 1, submitted: 1 }, rate: null });
    // Employee total: 10 invited, 4 personal submitted: 40%.
    expect(employee.total).toMatchObject({ invited: 10, started: 8, submitted: 6, rate: 40 });
    const management = r.forms.find((f: { form: string }) => f.form === 'management');
    expect(management.total).toMatchObject({ invited: 5, started: 5, submitted: 5, rate: 100 });
    expect(r.total).toMatchObject({ invited: 15, started: 13, submitted: 11, personal: { invited: 15, started: 10, submitted: 9 }, rate: 60 });
  });

  it('is readable by directors and API tokens, not by another tenant', async () => {
    const url = `/api/v1/rounds/${roundId}/response-rates`;
    expect((await t.app.inject({ method: 'GET', url, headers: a.as.director })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId })) })).statusCode).toBe(200);
    for (const headers of [b.as.hr, b.as.consultant, bearer(await createApiTokenFor(t.db, { organisationId: b.organisationId }))]) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Zorg');
    }
  });
});
