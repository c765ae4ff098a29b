// Response tracking per form and department: personal links by the invitation's department, shared
// links by the department the respondent chose, no rate below k invitations. The expected figures
// are counted by hand from the arrangement below.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_STATISTICS, COUNT_TOTAL, discloseCounts, type TrackingCell } from '../../scans/disclosure/counts.js';
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

/** Every count of a published segment (the headcount HR entered is not a count of people). */
function counts(s: object): number[] {
  const out: number[] = [];
  const walk = (o: Record<string, unknown>, path: string) => {
    for (const [key, v] of Object.entries(o)) {
      if (key === 'headcount' || key === 'rate' || key === 'suppressed') continue;
      if (typeof v === 'number') out.push(v);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${path}${key}.`);
    }
  };
  walk(s as Record<string, unknown>, '');
  return out;
}

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
    // Every count of 1..4 is withheld (k = 5), and so is every count from which one could be derived.
    // Zorg: 6 invited, 6 started, 4 submitted (3 personal + 1 shared). Its 4 submitted are under k; its
    // invited 6 and started 6 are withheld because the employee total minus Zorg would give the 4
    // invitations (and 2 starts) of ICT and "no department" together. Its rate 3/6 is its counts again.
    expect(seg('Zorg')).toEqual({
      department: 'Zorg',
      invited: null,
      started: null,
      submitted: null,
      personal: { invited: null, started: null, submitted: null },
      shared: { started: null, submitted: null, headcount: null, rate: null },
      other: { submitted: 0 },
      rate: null,
      rateReason: 'count_suppressed',
      suppressed: ['invited', 'started', 'submitted', 'personal.invited', 'personal.started', 'personal.submitted', 'shared.started', 'shared.submitted'],
    });
    // ICT: 3 invitations, 1 submitted: no count at all, and no rate.
    expect(seg('ICT')).toMatchObject({ invited: null, started: null, submitted: null, rate: null, rateReason: 'fewer_than_k_invitations' });
    // A count of 0 describes nobody and stays.
    expect(seg('Financiën')).toMatchObject({ invited: 0, started: 0, submitted: 0, rate: null, rateReason: 'no_personal_invitations', suppressed: [] });
    expect(seg(null)).toMatchObject({ invited: null, started: null, submitted: null, personal: { invited: null, started: 0, submitted: 0 }, shared: { started: null, submitted: null }, rate: null });
    // Employee total: 10 invited, 8 started, 6 submitted are shown; its parts are not (4 personal
    // submitted is under k, so is the rate 4/10; 5 personal starts next to 8 would give the 3 shared).
    expect(employee.total).toMatchObject({ invited: 10, started: 8, submitted: 6, personal: { invited: 10, started: null, submitted: null }, rate: null, rateReason: 'count_suppressed' });
    const management = r.forms.find((f: { form: string }) => f.form === 'management');
    expect(management.total).toMatchObject({ invited: 5, started: 5, submitted: 5, rate: 100, suppressed: [] });
    // Round total: 11 submitted of which 2 through a shared link, so the 9 personal ones are withheld.
    expect(r.total).toMatchObject({ invited: 15, started: 13, submitted: 11, personal: { invited: 15, started: null, submitted: null }, shared: { started: null, submitted: null }, rate: null });
    // Nothing shown is a count of 1..4.
    const all = [r.total, ...r.forms.flatMap((f: { segments: object[]; total: object }) => [...f.segments, f.total])];
    for (const x of all) for (const n of counts(x)) expect(n === 0 || n >= 5).toBe(true);
  });

  it('the page shows the same counts, "hidden" where withheld', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/rates`, headers: a.as.hr });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('verborgen');
    expect(res.body).not.toMatch(/<td class="num">[1-4]<\/td>/);
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

describe('count disclosure (scans/disclosure/counts.ts), property-based', () => {
  const cell = fc
    .record({ inv: fc.nat(12), st: fc.nat(12), sub: fc.nat(12), sst: fc.nat(8), ssub: fc.nat(8), other: fc.nat(8) })
    .map(({ inv, st, sub, sst, ssub, other }): TrackingCell => {
      const pStarted = Math.min(inv, st);
      const sStarted = sst;
      return {
        personal: { invited: inv, started: pStarted, submitted: Math.min(pStarted, sub) },
        shared: { started: sStarted, submitted: Math.min(sStarted, ssub) },
        other: { submitted: other },
      };
    });
  const table = fc.record({ k: fc.integer({ min: 5, max: 7 }), employee: fc.array(cell, { minLength: 1, maxLength: 5 }), management: fc.array(cell, { maxLength: 2 }) });

  it('shows no count of 1..k-1, and no shown pair of nested counts differs by 1..k-1', () => {
    fc.assert(
      fc.property(table, ({ k, employee, management }) => {
        const forms = [
          { form: 'employee', segments: employee.map((c, i) => ({ key: `d${i}`, cell: c })) },
          { form: 'management', segments: management.map((c, i) => ({ key: `d${i}`, cell: c })) },
        ];
        const d = discloseCounts({ forms }, k);
        const parts = ['all', 'personal', 'shared', 'other'] as const;
        for (const statistic of COUNT_STATISTICS) {
          // Shown figures, with the (synthetic) respondents they rest on as a range check: within one
          // statistic a segment lies in its form, a form in the round, a part in its whole.
          const shown = (form: string, segment: string, part: (typeof parts)[number]) =>
            d.published({ form, segment, part, statistic }) ? d.value({ form, segment, part, statistic }) : null;
          for (const f of forms) {
            for (const part of parts) {
              const parent = shown(f.form, COUNT_TOTAL, part);
              const children = f.segments.map((s) => shown(f.form, s.key, part));
              for (const c of children) if (c !== null) expect(c === 0 || c >= k).toBe(true);
              if (parent !== null) {
                expect(parent === 0 || parent >= k).toBe(true);
                // Parent minus the shown segments: the hidden ones together are 0 or at least k.
                const rest = parent - children.reduce<number>((s, c) => s + (c ?? 0), 0);
                expect(rest === 0 || rest >= k, `${statistic} ${f.form} ${part}: ${rest}`).toBe(true);
                for (const c of children) if (c !== null && c !== 0) expect(parent - c === 0 || parent - c >= k).toBe(true);
              }
            }
            for (const s of [COUNT_TOTAL, ...f.segments.map((x) => x.key)]) {
              const whole = shown(f.form, s, 'all');
              if (whole === null) continue;
              const ps = (['personal', 'shared', 'other'] as const).map((p) => shown(f.form, s, p));
              const rest = whole - ps.reduce<number>((a, c) => a + (c ?? 0), 0);
              expect(rest === 0 || rest >= k, `${statistic} ${f.form}/${s} parts: ${rest}`).toBe(true);
            }
          }
          for (const part of parts) {
            const total = shown(COUNT_TOTAL, COUNT_TOTAL, part);
            if (total === null) continue;
            const rest = total - forms.reduce<number>((a, f) => a + (shown(f.form, COUNT_TOTAL, part) ?? 0), 0);
            expect(rest === 0 || rest >= k).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('catches a planted leak: without the rules, a form total minus its visible segments gives 1..k-1', () => {
    // The check above is not vacuous: the raw table of the arrangement (Zorg 6 of 10 invitations) has
    // such a difference, which the disclosure removes.
    const c = (inv: number): TrackingCell => ({ personal: { invited: inv, started: 0, submitted: 0 }, shared: { started: 0, submitted: 0 }, other: { submitted: 0 } });
    const d = discloseCounts({ forms: [{ form: 'employee', segments: [{ key: 'Zorg', cell: c(6) }, { key: 'ICT', cell: c(3) }, { key: 'x', cell: c(1) }] }] }, 5);
    const a = { form: 'employee', part: 'all', statistic: 'invited' } as const;
    expect(d.value({ ...a, segment: COUNT_TOTAL }) - d.value({ ...a, segment: 'Zorg' })).toBe(4);
    expect(d.published({ ...a, segment: COUNT_TOTAL })).toBe(true);
    expect(d.published({ ...a, segment: 'Zorg' })).toBe(false);
  });
});
