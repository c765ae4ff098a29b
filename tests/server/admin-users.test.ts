// Administration in the app (issue 18 item 2): inviting HR users and directors by mail with a one-time
// link, changing roles, disabling users (sessions and API tokens stop), HR managing its own directors,
// creating organisations, and the audit events of all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/lib/crypto.js';
import { maskTokens } from '../../server/app.js';
import { INVITED_PASSWORD } from '../../server/routes/users/invites.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { addOrganisation, login, staffHeaders, twoTenantsSignedIn, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`user administration (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let consultantA: StaffSession;
  let hrA: StaffSession;
  let directorA: StaffSession;

  beforeAll(async () => {
    t = await setupTestApp();
    ({ a, consultantA, hrA, directorA } = await twoTenantsSignedIn(t.app, t.db, 'admin'));
  });
  afterAll(async () => t?.close());

  const invite = (s: StaffSession, orgId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/organisations/${orgId}/users`, headers: staffHeaders(s), payload });
  const patch = (s: StaffSession, orgId: string, userId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${orgId}/users/${userId}`, headers: staffHeaders(s), payload });
  /** The link in the newest outbox mail to an address (outbox transport in tests). */
  async function linkFor(email: string) {
    const mail = await t.db.selectFrom('staff_mail').selectAll().where('to_address', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const m = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail.text_body ?? '');
    if (!m) throw new Error('no link in the mail');
    return { mail, token: m[1]! };
  }
  const accept = (token: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/invitations/staff/accept', payload: { token, password } });

  it('invites an HR user by mail; the one-time link sets the password, then the user signs in', async () => {
    const org = await addOrganisation(t.db, a.consultancyId, 'Admin invite BV');
    const res = await invite(consultantA, org.id, { email: 'Uitgenodigd@Example.NL', name: 'Uitgenodigde HR', role: 'hr', language: 'en' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'uitgenodigd@example.nl', role: 'hr', pending: true, disabled: false });
    const { mail, token } = await linkFor('uitgenodigd@example.nl');
    expect(mail).toMatchObject({ status: 'sent', transport: 'outbox', language: 'en', organisation_id: org.id });
    expect(mail.subject).toContain('Admin invite BV');
    expect(mail.text_body).toContain('Uitgenodigde HR');
    // Only the hash of the token is stored; the link path is masked in request logs.
    const stored = await t.db.selectFrom('staff_invites').select('token_sha256').execute();
    expect(stored.map((r) => r.token_sha256)).toContain(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(maskTokens(`/invite/${token}`)).toBe('/invite/***');
    // Before following the link nobody can sign in to the account, not even with the marker.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'uitgenodigd@example.nl', password: INVITED_PASSWORD }, remoteAddress: '10.88.0.1' })).statusCode).toBe(401);
    const look = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/staff/lookup', payload: { token } });
    expect(look.json()).toEqual({ name: 'Uitgenodigde HR', email: 'uitgenodigd@example.nl' });
    const short = await accept(token, 'kort');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('body.password');
    expect((await accept(token, 'mijn-eigen-wachtwoord')).statusCode).toBe(204);
    const s = await login(t.app, 'uitgenodigd@example.nl', 'mijn-eigen-wachtwoord');
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(s) });
    expect(orgs.json().organisations.map((o: { id: string }) => o.id)).toEqual([org.id]);
    // The link works once.
    expect((await accept(token, 'nog-een-wachtwoord')).statusCode).toBe(410);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/invitations/staff/lookup', payload: { token } })).statusCode).toBe(410);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${org.id}/users`, headers: staffHeaders(consultantA) });
    expect(list.json().users.find((u: { email: string }) => u.email === 'uitgenodigd@example.nl').pending).toBe(false);
  });

  it('a new invitation replaces the earlier link; an expired link does not work', async () => {
    const res = await invite(hrA, a.organisationId, { email: 'dir-invite@example.nl', name: 'Directeur', role: 'director' });
    expect(res.statusCode).toBe(201);
    const first = (await linkFor('dir-invite@example.nl')).token;
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${a.organisationId}/users/${res.json().id}/invitation`, headers: staffHeaders(hrA), payload: {} });
    expect(again.statusCode).toBe(202);
    const second = (await linkFor('dir-invite@example.nl')).token;
    expect(second).not.toBe(first);
    expect((await accept(first, 'een-goed-wachtwoord')).statusCode).toBe(410);
    await t.db.updateTable('staff_invites').set({ expires_at: new Date(Date.now() - 1000), created_at: new Date(Date.now() - 2000) }).where('token_sha256', '=', sha256Hex(second)).execute();
    expect((await accept(second, 'een-goed-wachtwoord')).statusCode).toBe(410);
    expect((await accept('x'.repeat(43), 'een-goed-wachtwoord')).statusCode).toBe(410);
  });

  it('lets a consultant change a role; HR and directors may not, nobody changes their own account', async () => {
    const res = await invite(consultantA, a.organisationId, { email: 'rol@example.nl', name: 'Rol', role: 'director', password: 'rol-wachtwoord-12' });
    const id = res.json().id as string;
    const s = await login(t.app, 'rol@example.nl', 'rol-wachtwoord-12');
    expect((await patch(hrA, a.organisationId, id, { role: 'hr' })).statusCode).toBe(403);
    expect((await patch(directorA, a.organisationId, id, { role: 'hr' })).statusCode).toBe(403);
    const ok = await patch(consultantA, a.organisationId, id, { role: 'hr' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, role: 'hr' });
    // New privileges: the old session is gone.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: staffHeaders(s) })).statusCode).toBe(401);
    const bad = await patch(consultantA, a.organisationId, id, { role: 'consultant' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('body.role');
  });

  it('disabling ends sessions and stops API tokens; enabling lets the user sign in again', async () => {
    const res = await invite(consultantA, a.organisationId, { email: 'uit@example.nl', name: 'Uitgezet', role: 'hr', password: 'uitgezet-wachtwoord' });
    const id = res.json().id as string;
    const s = await login(t.app, 'uit@example.nl', 'uitgezet-wachtwoord');
    const tok = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: staffHeaders(s), payload: { name: 'eigen', organisationId: a.organisationId } });
    expect(tok.statusCode).toBe(201);
    const tokenHeaders = { authorization: `Bearer ${tok.json().token}` };
    // HR may not disable an HR user (nor itself); a consultant may.
    expect((await patch(hrA, a.organisationId, a.hr.id, { disabled: true })).statusCode).toBe(403);
    expect((await patch(hrA, a.organisationId, id, { disabled: true })).statusCode).toBe(403);
    expect((await patch(consultantA, a.organisationId, id, { disabled: 'ja' })).json().errors[0].path).toBe('body.disabled');
    const off = await patch(consultantA, a.organisationId, id, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json().disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: staffHeaders(s) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: tokenHeaders })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'uit@example.nl', password: 'uitgezet-wachtwoord' }, remoteAddress: '10.88.0.2' })).statusCode).toBe(401);
    expect((await patch(consultantA, a.organisationId, id, { disabled: false })).json().disabled).toBe(false);
    await login(t.app, 'uit@example.nl', 'uitgezet-wachtwoord');
  });

  it('lets HR disable a director of its own organisation', async () => {
    const res = await invite(hrA, a.organisationId, { email: 'dir-uit@example.nl', name: 'Directeur uit', role: 'director', password: 'directeur-uit-12' });
    const off = await patch(hrA, a.organisationId, res.json().id, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json().disabled).toBe(true);
  });

  it('does not disable an account that also has access elsewhere (it would lock it out there)', async () => {
    const other = await addOrganisation(t.db, a.consultancyId, 'Admin gedeeld');
    const res = await invite(consultantA, a.organisationId, { email: 'gedeeld@example.nl', name: 'Gedeeld', role: 'director', password: 'gedeeld-wachtwoord' });
    await invite(consultantA, other.id, { email: 'gedeeld@example.nl', name: 'Gedeeld', role: 'director', password: 'gedeeld-wachtwoord' });
    const r = await patch(consultantA, a.organisationId, res.json().id, { disabled: true });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('user_shared');
  });

  it('records audit events of created organisations and every user change', async () => {
    const org = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: staffHeaders(consultantA), payload: { name: 'Audit BV', sector: 'other', sizeClass: 'micro' } });
    expect(org.statusCode).toBe(201);
    const events = await t.db.selectFrom('audit_events').select(['action', 'detail', 'actor_label']).where('consultancy_id', '=', a.consultancyId).execute();
    const actions = new Set(events.map((e) => e.action));
    for (const a of ['organisation.create', 'user.invite', 'user.update']) expect(actions).toContain(a);
    expect(events.find((e) => e.action === 'user.update' && e.detail?.includes('uit@example.nl: disabled'))).toBeTruthy();
    // No event carries a link token.
    expect(JSON.stringify(events)).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});
