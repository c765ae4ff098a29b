// No cross-tenant email probing when adding a consultant (issue 12): an address that exists in
// another tenant gets the same answer as a new one, and the account keeps its own password; only an
// address that is already a consultant of the caller's own account is a conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, staffHeaders, TEST_PASSWORD, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`adding a consultant reveals no other tenant's accounts (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let consultantA: StaffSession;

  beforeAll(async () => {
    t = await setupTestApp();
    a = await createTenant(t.db, { label: 'probe-a' });
    b = await createTenant(t.db, { label: 'probe-b' });
    consultantA = await login(t.app, a.consultant.email, TEST_PASSWORD);
  });
  afterAll(async () => t?.close());

  const add = (email: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/consultancy/consultants', headers: staffHeaders(consultantA), payload: { email, name: 'Nieuw', password: 'door-ons-gekozen' } });

  it('answers an address of another tenant exactly like a new one', async () => {
    const fresh = await add('nieuw-bij-a@example.nl');
    const other = await add(b.hr.email.toUpperCase());
    expect(fresh.statusCode).toBe(201);
    expect(other.statusCode).toBe(201);
    const shape = (r: typeof fresh) => {
      const { id: _id, createdAt: _c, email: _e, ...rest } = r.json();
      return rest;
    };
    expect(shape(other)).toEqual(shape(fresh));
    expect(other.json().email).toBe(b.hr.email);
    expect(other.body).not.toContain(b.hr.name);
    // The existing account keeps its password; the one chosen here does not open it.
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: b.hr.email, password: 'door-ons-gekozen' }, remoteAddress: '10.78.0.1' });
    expect(wrong.statusCode).toBe(401);
    // The account of B is untouched in B.
    const roles = await t.db.selectFrom('user_roles').select(['role', 'organisation_id', 'consultancy_id']).where('user_id', '=', b.hr.id).execute();
    expect(roles).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'hr', organisation_id: b.organisationId })]));
  });

  it('is a conflict only for a consultant of the own account', async () => {
    const own = await add(a.consultant.email);
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('email_taken');
  });
});
