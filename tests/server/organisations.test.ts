import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { addOrganisation, bearer, createApiTokenFor, createTenant, login, staffHeaders, TEST_PASSWORD, type StaffSession, type Tenant, twoTenantsSignedIn } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`organisations routes (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let consultantA: StaffSession;
  let hrA: StaffSession;
  let directorA: StaffSession;
  let consultantB: StaffSession;
  let secondA: { id: string; name: string };

  beforeAll(async () => {
    t = await setupTestApp();
    ({ a, b, consultantA, hrA, directorA, consultantB } = await twoTenantsSignedIn(t.app, t.db, 'org'));
    secondA = await addOrganisation(t.db, a.consultancyId, 'Tweede klant A');
  });
  afterAll(async () => t?.close());

  const list = async (s: StaffSession) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(s) });
    expect(res.statusCode).toBe(200);
    return (res.json().organisations as Array<{ id: string; name: string; yourRoles: string[] }>);
  };
  const count = async () => (await t.db.selectFrom('organisations').select('id').execute()).length;

  it('lists every organisation of the consultant\'s account and only the own one for HR', async () => {
    const mine = await list(consultantA);
    expect(mine.map((o) => o.id).sort()).toEqual([a.organisationId, secondA.id].sort());
    expect(mine.every((o) => o.yourRoles.includes('consultant'))).toBe(true);
    const hr = await list(hrA);
    expect(hr.map((o) => o.id)).toEqual([a.organisationId]);
    expect(hr[0]!.yourRoles).toEqual(['hr']);
    expect((await list(consultantB)).map((o) => o.id)).toEqual([b.organisationId]);
  });

  it('offers the fixed sector and size lists in Dutch and English', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/sectors' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sectors).toHaveLength(14);
    expect(body.sectors[0]).toEqual({ id: 'healthcare', label: { nl: 'Zorg en welzijn', en: 'Healthcare and welfare' } });
    expect(body.sizeClasses.map((s: { id: string }) => s.id)).toEqual(['micro', 'small', 'medium', 'large']);
  });

  describe('create', () => {
    it('lets a consultant create an organisation in their account', async () => {
      const res = await t.app.inject({
        method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA),
        payload: { name: '  Bouwbedrijf De Vries  ', sector: 'construction', sizeClass: 'small', retentionMonths: 24 },
      });
      expect(res.statusCode).toBe(201);
      const org = res.json();
      expect(org).toMatchObject({ name: 'Bouwbedrijf De Vries', sector: 'construction', sizeClass: 'small', retentionMonths: 24, consultancyId: a.consultancyId, isDemo: false, yourRoles: ['consultant'] });
      expect((await list(consultantA)).map((o) => o.id)).toContain(org.id);
      expect((await list(consultantB)).map((o) => o.id)).not.toContain(org.id);
    });

    it('rejects an unknown sector, size class or field and stores nothing', async () => {
      const before = await count();
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA), payload: { name: 'X', sector: 'mining', sizeClass: 'huge', extra: 1 } });
      expect(bad.statusCode).toBe(400);
      const paths = bad.json().errors.map((e: { path: string }) => e.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['body.extra']));
      const sector = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA), payload: { name: 'X', sector: 'mining', sizeClass: 'small' } });
      expect(sector.statusCode).toBe(400);
      expect(sector.json().errors[0].path).toBe('body.sector');
      const blank = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA), payload: { name: '   ', sector: 'ict', sizeClass: 'small' } });
      expect(blank.statusCode).toBe(400);
      expect(await count()).toBe(before);
    });

    it('refuses HR, directors, missing CSRF, another account and organisation tokens', async () => {
      const before = await count();
      const payload = { name: 'Nope', sector: 'ict', sizeClass: 'micro' };
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(hrA), payload })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(directorA), payload })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: { cookie: consultantA.cookie }, payload })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA), payload: { ...payload, consultancyId: b.consultancyId } })).statusCode).toBe(404);
      const orgToken = await createApiTokenFor(t.db, { organisationId: a.organisationId });
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: bearer(orgToken), payload })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/organisations', payload })).statusCode).toBe(401);
      expect(await count()).toBe(before);
    });

    it('lets a token bound to the consultancy create one', async () => {
      const token = await createApiTokenFor(t.db, { consultancyId: a.consultancyId });
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: bearer(token), payload: { name: 'Via API', sector: 'finance', sizeClass: 'large' } });
      expect(res.statusCode).toBe(201);
      expect(res.json().consultancyId).toBe(a.consultancyId);
    });
  });

  describe('read and update', () => {
    it('reads one organisation, 404 for another tenant\'s or a malformed id', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}`, headers: staffHeaders(directorA) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: a.organisationId, name: a.organisationName, yourRoles: ['director'] });
      const other = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${b.organisationId}`, headers: staffHeaders(consultantA) });
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toContain(b.organisationName);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${secondA.id}`, headers: staffHeaders(hrA) })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/organisations/not-a-uuid', headers: staffHeaders(hrA) })).statusCode).toBe(404);
    });

    it('updates name, sector, size and retention; null clears retention', async () => {
      const res = await t.app.inject({
        method: 'PATCH', url: `/api/v1/organisations/${secondA.id}`, headers: staffHeaders(consultantA),
        payload: { name: 'Tweede klant A (hernoemd)', sector: 'ict', sizeClass: 'micro', retentionMonths: 36 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Tweede klant A (hernoemd)', sector: 'ict', sizeClass: 'micro', retentionMonths: 36 });
      const row = await t.db.selectFrom('organisations').selectAll().where('id', '=', secondA.id).executeTakeFirstOrThrow();
      expect(row.retention_months).toBe(36);
      const cleared = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${secondA.id}`, headers: staffHeaders(consultantA), payload: { retentionMonths: null } });
      expect(cleared.json().retentionMonths).toBeNull();
      secondA.name = 'Tweede klant A (hernoemd)';
    });

    it('lets HR set retention of their organisation but not a director; bad values change nothing', async () => {
      const hr = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${a.organisationId}`, headers: staffHeaders(hrA), payload: { retentionMonths: 12 } });
      expect(hr.statusCode).toBe(200);
      expect(hr.json().retentionMonths).toBe(12);
      const director = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${a.organisationId}`, headers: staffHeaders(directorA), payload: { retentionMonths: 6 } });
      expect(director.statusCode).toBe(403);
      const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${a.organisationId}`, headers: staffHeaders(hrA), payload: { retentionMonths: 0, name: 'Renamed' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'body.retentionMonths' })]);
      const row = await t.db.selectFrom('organisations').selectAll().where('id', '=', a.organisationId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ retention_months: 12, name: a.organisationName });
      const other = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${b.organisationId}`, headers: staffHeaders(consultantA), payload: { name: 'Hijacked' } });
      expect(other.statusCode).toBe(404);
      expect((await t.db.selectFrom('organisations').select('name').where('id', '=', b.organisationId).executeTakeFirstOrThrow()).name).toBe(b.organisationName);
    });
  });

  describe('delete', () => {
    it('needs the exact name, a consultant, and removes rounds, answers and its own users', async () => {
      const c = await createTenant(t.db, { label: 'org-c' });
      const s = await login(t.app, c.consultant.email, TEST_PASSWORD);
      const hr = await login(t.app, c.hr.email, TEST_PASSWORD);
      const round = await t.db.insertInto('rounds').values({ organisation_id: c.organisationId, name: 'R1', instrument_id: 'culture-scan@1', modules: ['culture_scan'] }).returning('id').executeTakeFirstOrThrow();
      const response = await t.db.insertInto('responses').values({ round_id: round.id, form: 'employee' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('answers').values({ response_id: response.id, item_id: 'sd1', value: 3 }).execute();
      const url = `/api/v1/organisations/${c.organisationId}`;

      const byHr = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(hr), payload: { confirm: c.organisationName } });
      expect(byHr.statusCode).toBe(403);
      const wrong = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(s), payload: { confirm: c.organisationName.toUpperCase() } });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().code).toBe('confirmation_mismatch');
      const missing = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(s), payload: {} });
      expect(missing.statusCode).toBe(400);
      const byOther = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(consultantA), payload: { confirm: c.organisationName } });
      expect(byOther.statusCode).toBe(404);
      expect(await t.db.selectFrom('answers').select('item_id').where('response_id', '=', response.id).execute()).toHaveLength(1);

      const ok = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(s), payload: { confirm: c.organisationName } });
      expect(ok.statusCode).toBe(204);
      expect(await t.db.selectFrom('organisations').select('id').where('id', '=', c.organisationId).execute()).toHaveLength(0);
      expect(await t.db.selectFrom('rounds').select('id').where('id', '=', round.id).execute()).toHaveLength(0);
      expect(await t.db.selectFrom('responses').select('id').where('id', '=', response.id).execute()).toHaveLength(0);
      expect(await t.db.selectFrom('answers').select('item_id').where('response_id', '=', response.id).execute()).toHaveLength(0);
      // HR and director belonged only to it; the consultant stays with the account.
      const users = await t.db.selectFrom('users').select('id').where('id', 'in', [c.hr.id, c.director.id, c.consultant.id]).execute();
      expect(users.map((u) => u.id)).toEqual([c.consultant.id]);
      // Other tenants untouched.
      expect(await t.db.selectFrom('organisations').select('id').where('id', '=', a.organisationId).execute()).toHaveLength(1);
    });
  });
});
