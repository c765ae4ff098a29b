import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ADDRESS_MAX_FAILURES, LOGIN_MAX_FAILURES } from '../../server/auth/login.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, SESSION_IDLE_MS } from '../../server/auth/sessions.js';
import { sha256Hex } from '../../server/lib/crypto.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, insertUser, login, staffHeaders, TEST_PASSWORD, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

describe(`auth routes (${driverName})`, () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await setupTestApp();
    tenant = await createTenant(t.db, { label: 'auth' });
  });
  afterAll(async () => t?.close());

  const sessionToken = (cookie: string) => cookie.slice(SESSION_COOKIE.length + 1);
  const loginAs = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

  it('signs in, sets an HttpOnly SameSite=Lax session cookie and returns user, roles and csrfToken', async () => {
    const res = await loginAs(tenant.hr.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toBeDefined();
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const body = res.json();
    expect(body.user).toEqual({ id: tenant.hr.id, email: tenant.hr.email, name: tenant.hr.name });
    expect(body.roles).toEqual([
      expect.objectContaining({ role: 'hr', organisationId: tenant.organisationId, organisationName: tenant.organisationName, consultancyId: tenant.consultancyId }),
    ]);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body).not.toContain('scrypt');
    // Only the token's hash is stored.
    const stored = await t.db.selectFrom('sessions').select('id').where('id', '=', sha256Hex(cookie.value)).executeTakeFirst();
    expect(stored).toBeDefined();
  });

  it('answers /me with the same user and csrf token, and 401 without a session', async () => {
    const s = await login(t.app, tenant.consultant.email, TEST_PASSWORD);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', user: { id: tenant.consultant.id }, csrfToken: s.csrfToken, roles: [{ role: 'consultant', consultancyId: tenant.consultancyId, organisationId: null }] });
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toContain('application/problem+json');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secureApp = await setupTestApp({ PUBLIC_URL: 'https://scan.example.nl' });
    try {
      const u = await insertUser(secureApp.db, 'secure@example.nl', 'Secure');
      const res = await secureApp.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)!.secure).toBe(true);
    } finally {
      await secureApp.close();
    }
  });

  it('logs out with the CSRF token only, after which the session is gone', async () => {
    const s = await login(t.app, tenant.director.email, TEST_PASSWORD);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: staffHeaders(s) });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cleared.value).toBe('');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
    expect(await t.db.selectFrom('sessions').select('id').where('id', '=', sha256Hex(sessionToken(s.cookie))).executeTakeFirst()).toBeUndefined();
  });

  it('issues a new session at sign-in and ends the one the browser held before', async () => {
    const before = await login(t.app, tenant.director.email, TEST_PASSWORD);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: tenant.director.email, password: TEST_PASSWORD }, headers: { cookie: before.cookie } });
    expect(res.statusCode).toBe(200);
    const fresh = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(`${SESSION_COOKIE}=${fresh.value}`).not.toBe(before.cookie);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: before.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${fresh.value}` } })).statusCode).toBe(200);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await loginAs('nobody@example.nl', TEST_PASSWORD, '10.0.1.1');
    const wrong = await loginAs(tenant.hr.email, 'wrong-password-123', '10.0.1.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(unknown.cookies).toHaveLength(0);
  });

  it('refuses a disabled user like a wrong password', async () => {
    const u = await insertUser(t.db, 'disabled@example.nl', 'Disabled');
    await t.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', u.id).execute();
    const res = await loginAs(u.email, TEST_PASSWORD, '10.0.1.3');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthorized');
  });

  it('rejects malformed bodies and unknown fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.nl', password: 'x'.repeat(12), remember: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'body.remember', message: 'Unknown field' }]);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.nl' } });
    expect(missing.statusCode).toBe(400);
  });

  it('changes the own password, ending other sessions; wrong current or short new password change nothing', async () => {
    const u = await insertUser(t.db, 'changer@example.nl', 'Changer');
    const s1 = await login(t.app, u.email, TEST_PASSWORD);
    const s2 = await login(t.app, u.email, TEST_PASSWORD);
    const change = (payload: Record<string, unknown>, s = s1) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: staffHeaders(s), payload, remoteAddress: '10.9.0.1' });
    const short = await change({ currentPassword: TEST_PASSWORD, newPassword: 'kort' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([{ path: 'body.newPassword', message: 'At least 12 characters' }]);
    const wrong = await change({ currentPassword: 'not-the-password', newPassword: 'nieuw-wachtwoord-2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([{ path: 'body.currentPassword', message: 'Wrong password' }]);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: s1.cookie }, payload: { currentPassword: TEST_PASSWORD, newPassword: 'nieuw-wachtwoord-2026' } })).statusCode).toBe(403);
    expect((await loginAs(u.email, TEST_PASSWORD, '10.9.0.2')).statusCode).toBe(200);
    const ok = await change({ currentPassword: TEST_PASSWORD, newPassword: 'nieuw-wachtwoord-2026' });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s1.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s2.cookie } })).statusCode).toBe(401);
    expect((await loginAs(u.email, TEST_PASSWORD, '10.9.0.3')).statusCode).toBe(401);
    expect((await loginAs(u.email, 'nieuw-wachtwoord-2026', '10.9.0.4')).statusCode).toBe(200);
  });

  describe('rate limit', () => {
    it('blocks the sixth try on one account within a minute, even with the right password, from any address', async () => {
      const u = await insertUser(t.db, 'limited@example.nl', 'Limited');
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
        const res = await loginAs(u.email, 'wrong-password-123', `10.1.0.${i}`);
        expect(res.statusCode).toBe(401);
      }
      const blocked = await loginAs(u.email, TEST_PASSWORD, '10.1.1.1');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['content-type']).toContain('application/problem+json');
      expect(blocked.json().code).toBe('too_many_login_attempts');
      const retry = Number(blocked.headers['retry-after']);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(blocked.cookies).toHaveLength(0);
      // Once the failures are older than a minute, the right password works again.
      await t.db.updateTable('login_attempts').set({ attempted_at: new Date(Date.now() - 61_000) }).where('email', '=', u.email).execute();
      const ok = await loginAs(u.email, TEST_PASSWORD, '10.1.1.1');
      expect(ok.statusCode).toBe(200);
    });

    it('blocks a client address after many failures across accounts for accounts new to it, not for its known users', async () => {
      const ip = '10.2.0.1';
      // The consultant signed in from this address before (a colleague behind the same proxy).
      expect((await loginAs(tenant.consultant.email, TEST_PASSWORD, ip)).statusCode).toBe(200);
      for (let i = 0; i < LOGIN_ADDRESS_MAX_FAILURES; i++) {
        expect((await loginAs(`ghost${i}@example.nl`, 'wrong-password-123', ip)).statusCode).toBe(401);
      }
      // A slow machine must not let the failures age out of the one-minute window mid-test.
      await t.db.updateTable('login_attempts').set({ attempted_at: new Date() }).where('ip', '=', ip).where('succeeded', '=', false).execute();
      const fresh = await loginAs(tenant.hr.email, TEST_PASSWORD, ip);
      expect(fresh.statusCode).toBe(429);
      expect(fresh.json().code).toBe('too_many_login_attempts');
      const unknown = await loginAs('ghost-next@example.nl', 'wrong-password-123', ip);
      expect(unknown.statusCode).toBe(429);
      // A known user of the address is not locked out by someone else's spraying.
      expect((await loginAs(tenant.consultant.email, TEST_PASSWORD, ip)).statusCode).toBe(200);
      // Another address is not affected.
      expect((await loginAs(tenant.hr.email, TEST_PASSWORD, '10.2.0.2')).statusCode).toBe(200);
    }, 120_000);

    it('does not let failures from elsewhere lock an account out at an address it signed in from', async () => {
      const u = await insertUser(t.db, 'targeted@example.nl', 'Targeted');
      expect((await loginAs(u.email, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(200);
      for (let i = 0; i < LOGIN_MAX_FAILURES + 2; i++) await loginAs(u.email, 'wrong-password-123', `10.4.1.${i}`);
      await t.db.updateTable('login_attempts').set({ attempted_at: new Date() }).where('email', '=', u.email).where('succeeded', '=', false).execute();
      // The attacker's addresses and new ones are blocked for this account ...
      expect((await loginAs(u.email, TEST_PASSWORD, '10.4.2.1')).statusCode).toBe(429);
      // ... its owner at the known address is not.
      expect((await loginAs(u.email, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(200);
      // Guessing from the known address is still capped per account and address.
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await loginAs(u.email, 'wrong-password-123', '10.4.0.1')).statusCode).toBe(401);
      expect((await loginAs(u.email, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(429);
    }, 120_000);

    it('lets at most five of many concurrent wrong tries through to a password check', async () => {
      const u = await insertUser(t.db, 'concurrent@example.nl', 'Concurrent');
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => loginAs(u.email, 'wrong-password-123', `10.3.0.${i}`)),
      );
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(12 - LOGIN_MAX_FAILURES);
      const failures = await t.db.selectFrom('login_attempts').select('id').where('email', '=', u.email).where('succeeded', '=', false).execute();
      expect(failures.length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    });
  });

  describe('session lifetime', () => {
    const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    const setTimes = (cookie: string, values: { created_at?: Date; last_seen_at?: Date; expires_at?: Date }) =>
      t.db.updateTable('sessions').set(values).where('id', '=', sha256Hex(sessionToken(cookie))).execute();

    it('ends a session idle for more than 30 minutes', async () => {
      const s = await login(t.app, tenant.hr.email, TEST_PASSWORD);
      await setTimes(s.cookie, { last_seen_at: new Date(Date.now() - SESSION_IDLE_MS + 60_000) });
      expect((await me(s.cookie)).statusCode).toBe(200);
      await setTimes(s.cookie, { last_seen_at: new Date(Date.now() - SESSION_IDLE_MS - 1000) });
      expect((await me(s.cookie)).statusCode).toBe(401);
      expect(await t.db.selectFrom('sessions').select('id').where('id', '=', sha256Hex(sessionToken(s.cookie))).executeTakeFirst()).toBeUndefined();
    });

    it('keeps an active session alive by touching last_seen_at', async () => {
      const s = await login(t.app, tenant.hr.email, TEST_PASSWORD);
      const old = new Date(Date.now() - 20 * 60_000);
      await setTimes(s.cookie, { last_seen_at: old });
      expect((await me(s.cookie)).statusCode).toBe(200);
      const row = await t.db.selectFrom('sessions').select('last_seen_at').where('id', '=', sha256Hex(sessionToken(s.cookie))).executeTakeFirstOrThrow();
      expect(row.last_seen_at.getTime()).toBeGreaterThan(old.getTime() + 10 * 60_000);
    });

    it('ends a session after 12 hours however active it was', async () => {
      const s = await login(t.app, tenant.hr.email, TEST_PASSWORD);
      const created = new Date(Date.now() - SESSION_ABSOLUTE_MS - 1000);
      await setTimes(s.cookie, { created_at: created, expires_at: new Date(Date.now() - 1000), last_seen_at: new Date() });
      expect((await me(s.cookie)).statusCode).toBe(401);
    });

    it('ends the sessions of a user who is disabled', async () => {
      const u = await insertUser(t.db, 'later-disabled@example.nl', 'Later Disabled');
      const s = await login(t.app, u.email, TEST_PASSWORD);
      expect((await me(s.cookie)).statusCode).toBe(200);
      await t.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', u.id).execute();
      expect((await me(s.cookie)).statusCode).toBe(401);
    });
  });
});
