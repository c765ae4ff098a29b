import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { addOrganisation, bearer, createApiTokenFor, login, staffHeaders, twoTenantsSignedIn, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`users routes (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let consultantA: StaffSession;
  let hrA: StaffSession;
  let directorA: StaffSession;

  beforeAll(async () => {
    t = await setupTestApp();
    ({ a, b, consultantA, hrA, directorA } = await twoTenantsSignedIn(t.app, t.db, 'users'));
  });
  afterAll(async () => t?.close());

  const add = (s: StaffSession | Record<string, string>, orgId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/organisations/${orgId}/users`, headers: 'cookie' in s && 'csrfToken' in s ? staffHeaders(s as StaffSession) : (s as Record<string, string>), payload });
  const userCount = async () => (await t.db.selectFrom('users').select('id').execute()).length;

  it('lists the HR users and directors of an organisation without any password hash', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/users`, headers: staffHeaders(directorA) });
    expect(res.statusCode).toBe(200);
    const users = res.json().users;
    expect(users).toHaveLength(2);
    expect(users.map((u: { email: string; role: string }) => [u.email, u.role]).sort()).toEqual([[a.director.email, 'director'], [a.hr.email, 'hr']].sort());
    expect(Object.keys(users[0]).sort()).toEqual(['createdAt', 'disabled', 'email', 'id', 'name', 'pending', 'role']);
    expect(res.body).not.toMatch(/scrypt|password/i);
  });

  it('lets a consultant add an HR user who can then sign in to that organisation only', async () => {
    const second = await addOrganisation(t.db, a.consultancyId, 'Users second');
    const res = await add(consultantA, second.id, { email: 'New.HR@Example.NL', name: 'Nieuwe HR', password: 'een-lang-wachtwoord', role: 'hr' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'new.hr@example.nl', name: 'Nieuwe HR', role: 'hr', disabled: false });
    expect(res.body).not.toContain('een-lang-wachtwoord');
    const stored = await t.db.selectFrom('users').select('password_hash').where('email', '=', 'new.hr@example.nl').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    const s = await login(t.app, 'new.hr@example.nl', 'een-lang-wachtwoord');
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(s) });
    expect(orgs.json().organisations.map((o: { id: string }) => o.id)).toEqual([second.id]);
  });

  it('lets HR add a director to their own organisation, but not an HR user', async () => {
    const director = await add(hrA, a.organisationId, { email: 'dir2@example.nl', name: 'Tweede Directeur', password: 'directeur-wachtwoord', role: 'director' });
    expect(director.statusCode).toBe(201);
    const before = await userCount();
    const hr = await add(hrA, a.organisationId, { email: 'hr2@example.nl', name: 'Tweede HR', password: 'hr-wachtwoord-lang', role: 'hr' });
    expect(hr.statusCode).toBe(403);
    expect(await userCount()).toBe(before);
  });

  it('refuses directors, API tokens, other tenants, short passwords, duplicate emails and unknown fields', async () => {
    const before = await userCount();
    const ok = { email: 'x1@example.nl', name: 'X', password: 'voldoende-lang', role: 'director' };
    expect((await add(directorA, a.organisationId, ok)).statusCode).toBe(403);
    expect((await add(bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId })), a.organisationId, ok)).statusCode).toBe(403);
    expect((await add(consultantA, b.organisationId, ok)).statusCode).toBe(404);
    const short = await add(consultantA, a.organisationId, { ...ok, password: 'kort-11-tek' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([{ path: 'body.password', message: 'At least 12 characters' }]);
    const dup = await add(consultantA, a.organisationId, { ...ok, email: a.hr.email.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('email_taken');
    const unknown = await add(consultantA, a.organisationId, { ...ok, isAdmin: true });
    expect(unknown.statusCode).toBe(400);
    const badRole = await add(consultantA, a.organisationId, { ...ok, role: 'consultant' });
    expect(badRole.statusCode).toBe(400);
    const badEmail = await add(consultantA, a.organisationId, { ...ok, email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(await userCount()).toBe(before);
  });

  it('removes access: HR removes a director, only a consultant removes HR; a user left with nothing is deleted', async () => {
    const created = await add(consultantA, a.organisationId, { email: 'leaving@example.nl', name: 'Vertrekt', password: 'vertrekt-wachtwoord', role: 'director' });
    const id = created.json().id as string;
    const s = await login(t.app, 'leaving@example.nl', 'vertrekt-wachtwoord');
    const hrRemovesHr = await t.app.inject({ method: 'DELETE', url: `/api/v1/organisations/${a.organisationId}/users/${a.hr.id}`, headers: staffHeaders(hrA) });
    expect(hrRemovesHr.statusCode).toBe(403);
    const otherTenant = await t.app.inject({ method: 'DELETE', url: `/api/v1/organisations/${a.organisationId}/users/${b.hr.id}`, headers: staffHeaders(consultantA) });
    expect(otherTenant.statusCode).toBe(404);
    expect(await t.db.selectFrom('users').select('id').where('id', '=', b.hr.id).execute()).toHaveLength(1);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/organisations/${a.organisationId}/users/${id}`, headers: staffHeaders(hrA) });
    expect(res.statusCode).toBe(204);
    expect(await t.db.selectFrom('users').select('id').where('id', '=', id).execute()).toHaveLength(0);
    // Their session no longer works.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: staffHeaders(s) })).statusCode).toBe(401);
  });

  it('does not reveal that an email exists in another tenant: same answer, the account keeps its password', async () => {
    const before = await userCount();
    const fresh = await add(consultantA, a.organisationId, { email: 'brand-new@example.nl', name: 'Nieuw', password: 'door-ons-gekozen', role: 'director' });
    const other = await add(consultantA, a.organisationId, { email: b.hr.email.toUpperCase(), name: 'Nieuw', password: 'door-ons-gekozen', role: 'director' });
    expect(other.statusCode).toBe(fresh.statusCode);
    expect(other.statusCode).toBe(201);
    const shape = (r: typeof fresh) => {
      const { id: _id, createdAt: _c, email: _e, ...rest } = r.json();
      return rest;
    };
    expect(shape(other)).toEqual(shape(fresh));
    expect(other.json().email).toBe(b.hr.email);
    expect(other.body).not.toContain(b.hr.name);
    expect(await userCount()).toBe(before + 1);
    // The existing account keeps its own password; the one we chose does not open it.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: b.hr.email, password: 'door-ons-gekozen' }, remoteAddress: '10.77.0.1' })).statusCode).toBe(401);
    // Adding the same address again is a conflict now: that user is visible here.
    const again = await add(consultantA, a.organisationId, { email: b.hr.email, name: 'Nieuw', password: 'door-ons-gekozen', role: 'director' });
    expect(again.statusCode).toBe(409);
  });

  it('ends the sessions of a user whose access changes', async () => {
    const created = await add(consultantA, a.organisationId, { email: 'changing@example.nl', name: 'Wisselt', password: 'wisselt-wachtwoord', role: 'director' });
    const s = await login(t.app, 'changing@example.nl', 'wisselt-wachtwoord');
    const second = await addOrganisation(t.db, a.consultancyId, 'Users third');
    const linked = await add(consultantA, second.id, { email: 'changing@example.nl', name: 'Wisselt', password: 'wisselt-wachtwoord', role: 'hr' });
    expect(linked.statusCode).toBe(201);
    expect(linked.json().id).toBe(created.json().id);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: staffHeaders(s) })).statusCode).toBe(401);
  });

  it('answers 404 for the users of another tenant\'s organisation', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${b.organisationId}/users`, headers: staffHeaders(consultantA) });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(b.hr.email);
  });
});
