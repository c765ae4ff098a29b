import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/lib/crypto.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { addOrganisation, bearer, login, staffHeaders, twoTenantsSignedIn, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`API tokens (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let consultantA: StaffSession;
  let hrA: StaffSession;
  let directorA: StaffSession;
  let consultantB: StaffSession;
  let secondA: { id: string };

  beforeAll(async () => {
    t = await setupTestApp();
    ({ a, b, consultantA, hrA, directorA, consultantB } = await twoTenantsSignedIn(t.app, t.db, 'tok'));
    secondA = await addOrganisation(t.db, a.consultancyId);
  });
  afterAll(async () => t?.close());

  const create = (s: StaffSession, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: staffHeaders(s), payload });
  const listIds = async (s: StaffSession) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: staffHeaders(s) });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/lcs_[A-Za-z0-9_-]{43}/);
    return (res.json().tokens as Array<{ id: string }>).map((x) => x.id).sort();
  };

  it('creates an account token shown once; only its SHA-256 is stored; it works as Bearer', async () => {
    const res = await create(consultantA, { name: 'Koppeling HRM' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'Koppeling HRM', consultancyId: a.consultancyId, organisationId: null, revokedAt: null });
    expect(body.token).toMatch(/^lcs_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token);
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(body.token) });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().organisations.map((o: { id: string }) => o.id).sort()).toEqual([a.organisationId, secondA.id].sort());
    // A Bearer request needs no CSRF token for unsafe methods.
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${secondA.id}`, headers: bearer(body.token), payload: { retentionMonths: 6 } });
    expect(patch.statusCode).toBe(200);
  });

  it('binds an organisation token to that organisation only', async () => {
    const res = await create(hrA, { name: 'Org token', organisationId: a.organisationId });
    expect(res.statusCode).toBe(201);
    const { token, organisationId, consultancyId } = res.json();
    expect({ organisationId, consultancyId }).toEqual({ organisationId: a.organisationId, consultancyId: null });
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(token) });
    expect(orgs.json().organisations.map((o: { id: string }) => o.id)).toEqual([a.organisationId]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${secondA.id}`, headers: bearer(token) })).statusCode).toBe(404);
  });

  it('refuses account tokens for HR, tokens for directors, for another tenant, and token-made tokens', async () => {
    const before = (await t.db.selectFrom('api_tokens').select('id').execute()).length;
    expect((await create(hrA, { name: 'x' })).statusCode).toBe(403);
    expect((await create(directorA, { name: 'x', organisationId: a.organisationId })).statusCode).toBe(403);
    expect((await create(consultantA, { name: 'x', organisationId: b.organisationId })).statusCode).toBe(404);
    expect((await create(consultantA, { name: 'x', consultancyId: b.consultancyId })).statusCode).toBe(404);
    expect((await create(consultantA, { name: '' })).statusCode).toBe(400);
    expect((await create(consultantA, { name: 'x', scope: 'all' })).statusCode).toBe(400);
    const tok = (await create(consultantA, { name: 'maker' })).json().token as string;
    const viaToken = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: bearer(tok), payload: { name: 'child' } });
    expect(viaToken.statusCode).toBe(403);
    expect((await t.db.selectFrom('api_tokens').select('id').execute()).length).toBe(before + 1);
  });

  it('lists tokens per scope without values: consultant sees the account\'s, HR their organisation\'s', async () => {
    const rows = await t.db.selectFrom('api_tokens').select(['id', 'consultancy_id', 'organisation_id']).execute();
    const ofA = rows.filter((r) => r.consultancy_id === a.consultancyId || r.organisation_id === a.organisationId || r.organisation_id === secondA.id).map((r) => r.id).sort();
    const ofHrA = rows.filter((r) => r.organisation_id === a.organisationId).map((r) => r.id).sort();
    expect(ofA.length).toBeGreaterThan(ofHrA.length);
    expect(await listIds(consultantA)).toEqual(ofA);
    expect(await listIds(hrA)).toEqual(ofHrA);
    expect(await listIds(consultantB)).toEqual([]);
  });

  it('revokes: the token answers 401 on its very next request; other tenants get 404', async () => {
    const { id, token } = (await create(consultantA, { name: 'to revoke' })).json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(token) })).statusCode).toBe(200);
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: staffHeaders(consultantB) });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(token) })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: staffHeaders(consultantA) });
    expect(res.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: staffHeaders(consultantA) })).json().tokens.find((x: { id: string }) => x.id === id);
    expect(listed.revokedAt).not.toBeNull();
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/api-tokens/nope', headers: staffHeaders(consultantA) })).statusCode).toBe(404);
  });

  it('HR cannot revoke an account token of their consultant', async () => {
    const { id } = (await create(consultantA, { name: 'account' })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: staffHeaders(hrA) })).statusCode).toBe(404);
  });

  describe('ownership', () => {
    const works = async (token: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer(token) })).statusCode;
    const addUser = async (email: string, role: 'hr' | 'director') => {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${a.organisationId}/users`, headers: staffHeaders(consultantA), payload: { email, name: email, password: 'een-lang-wachtwoord', role } });
      expect(res.statusCode).toBe(201);
      return { id: res.json().id as string, session: await login(t.app, email, 'een-lang-wachtwoord') };
    };

    it('revokes the tokens a user made when the user is removed; organisation-owned tokens stay, shown as such', async () => {
      const hr = await addUser('token-maker@example.nl', 'hr');
      const own = (await create(hr.session, { name: 'mine', organisationId: a.organisationId })).json();
      const org = (await create(hr.session, { name: 'koppeling', organisationId: a.organisationId, ownedBy: 'organisation' })).json();
      expect(own).toMatchObject({ ownedBy: 'user', createdBy: hr.id });
      expect(org).toMatchObject({ ownedBy: 'organisation', createdBy: hr.id });
      expect(await works(own.token)).toBe(200);
      expect(await works(org.token)).toBe(200);
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/organisations/${a.organisationId}/users/${hr.id}`, headers: staffHeaders(consultantA) });
      expect(del.statusCode).toBe(204);
      expect(await works(own.token)).toBe(401);
      expect(await works(org.token)).toBe(200);
      const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: staffHeaders(hrA) })).json().tokens as Array<{ id: string; revokedAt: string | null; ownedBy: string }>;
      expect(listed.find((x) => x.id === own.id)?.revokedAt).not.toBeNull();
      expect(listed.find((x) => x.id === org.id)).toMatchObject({ revokedAt: null, ownedBy: 'organisation' });
    });

    it('stops a user-owned token when its creator is disabled, even without a revoke', async () => {
      const hr = await addUser('token-disabled@example.nl', 'hr');
      const own = (await create(hr.session, { name: 'mine', organisationId: a.organisationId })).json();
      expect(await works(own.token)).toBe(200);
      await t.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', hr.id).execute();
      expect(await works(own.token)).toBe(401);
    });

    it('stops a token when its creator loses the access it was made with, but not for a role elsewhere', async () => {
      const hr = await addUser('token-moved@example.nl', 'hr');
      const own = (await create(hr.session, { name: 'mine', organisationId: a.organisationId })).json();
      // Access lost by a change behind the route's back (e.g. a database edit): the token checks its creator each time.
      await t.db.updateTable('user_roles').set({ role: 'director' }).where('user_id', '=', hr.id).execute();
      expect(await works(own.token)).toBe(401);
    });
  });

  it('answers 401 for an unknown Bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: bearer('lcs_unknown') });
    expect(res.statusCode).toBe(401);
  });
});
