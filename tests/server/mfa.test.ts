// Two-factor sign-in: set-up with a QR code, the second sign-in step, recovery codes, replay, the
// consultancy's policy, session re-issue, and the cross-tenant table for the new routes.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/auth/sessions.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, insertUser, login, staffHeaders, TEST_PASSWORD, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { describeTenancy } from '../helpers/tenancy.js';

/** The code an authenticator app shows at a moment (RFC 6238, 30 s steps). */
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe(`two-factor sign-in (${driverName})`, () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await setupTestApp();
    tenant = await createTenant(t.db, { label: 'mfa' });
  });
  afterAll(async () => t?.close());

  const post = (url: string, s: StaffSession | null, payload?: Record<string, unknown>, ip = '10.50.0.1') =>
    t.app.inject({ method: 'POST', url, headers: s ? staffHeaders(s) : {}, payload, remoteAddress: ip });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
  const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) => `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;

  async function enrol(email: string): Promise<{ secret: string; recoveryCodes: string[]; session: StaffSession }> {
    const s = await login(t.app, email, TEST_PASSWORD);
    const setup = await post('/api/v1/auth/mfa/setup', s);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = setup.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Leercultuurscan:/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Three steps back: the code of a minute and a half ago is refused (only one step of drift either
    // way). A six-digit code can equal one of the valid ones by chance (about 3 in a million); a stale
    // code equal to a code of the steps around now would be accepted rightly, so step further back.
    const now = Date.now();
    const around = new Set(await Promise.all([-2, -1, 0, 1, 2].map((k) => codeAt(secret, now + k * 30_000))));
    let back = 90_000;
    while (around.has(await codeAt(secret, now - back))) back += 30_000;
    const stale = await post('/api/v1/auth/mfa/enable', s, { code: await codeAt(secret, now - back) });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().errors[0].path).toBe('body.code');
    const enable = await post('/api/v1/auth/mfa/enable', s, { code: await codeAt(secret, Date.now()) });
    expect(enable.statusCode).toBe(200);
    const { recoveryCodes, csrfToken } = enable.json();
    expect(recoveryCodes).toHaveLength(10);
    // The session was re-issued: the old cookie is gone, the new one works.
    expect((await me(s.cookie)).statusCode).toBe(401);
    const session = { cookie: cookieOf(enable), csrfToken };
    expect((await me(session.cookie)).statusCode).toBe(200);
    return { secret, recoveryCodes, session };
  }

  it('sets up with a QR code, then asks for a code at sign-in; a code is accepted once', async () => {
    const u = await insertUser(t.db, 'mfa-user@example.nl', 'MFA');
    const { secret } = await enrol(u.email);
    const stored = await t.db.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', u.id).execute();
    expect(stored).toHaveLength(10);

    const first = await post('/api/v1/auth/login', null, { email: u.email, password: TEST_PASSWORD });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'mfa_required', methods: ['totp', 'recovery_code'] });
    expect(first.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    const { challenge } = first.json();

    const wrong = await post('/api/v1/auth/login/mfa', null, { challenge, code: '000000' });
    expect(wrong.statusCode).toBe(400);
    // The code used for enabling was recorded: the same code cannot sign in again (replay).
    const code = await codeAt(secret, Date.now() + 30_000);
    const ok = await post('/api/v1/auth/login/mfa', null, { challenge, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ kind: 'user', user: { email: u.email } });
    expect((await me(cookieOf(ok))).statusCode).toBe(200);
    // The challenge is used up; the same code again is a replay.
    const again = await post('/api/v1/auth/login', null, { email: u.email, password: TEST_PASSWORD });
    const replay = await post('/api/v1/auth/login/mfa', null, { challenge: again.json().challenge, code });
    expect(replay.statusCode).toBe(400);
    expect((await post('/api/v1/auth/login/mfa', null, { challenge, code })).statusCode).toBe(401);
  });

  it('signs in with a recovery code once; codes are stored only as hashes', async () => {
    const u = await insertUser(t.db, 'mfa-recovery@example.nl', 'Recovery');
    const { recoveryCodes } = await enrol(u.email);
    const hashes = (await t.db.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', u.id).execute()).map((r) => r.code_hash);
    for (const c of recoveryCodes) expect(hashes.join()).not.toContain(c.replace('-', ''));
    const step = async () => (await post('/api/v1/auth/login', null, { email: u.email, password: TEST_PASSWORD }, '10.50.1.1')).json().challenge as string;
    const ok = await post('/api/v1/auth/login/mfa', null, { challenge: await step(), code: recoveryCodes[0]!.toLowerCase() }, '10.50.1.1');
    expect(ok.statusCode).toBe(200);
    const reused = await post('/api/v1/auth/login/mfa', null, { challenge: await step(), code: recoveryCodes[0] }, '10.50.1.1');
    expect(reused.statusCode).toBe(400);
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/auth/mfa', headers: { cookie: cookieOf(ok) } });
    expect(status.json()).toEqual({ enabled: true, required: false, recoveryCodesLeft: 9 });
  });

  it('throttles wrong codes like wrong passwords', async () => {
    const u = await insertUser(t.db, 'mfa-throttle@example.nl', 'Throttle');
    await enrol(u.email);
    const challenge = (await post('/api/v1/auth/login', null, { email: u.email, password: TEST_PASSWORD }, '10.50.2.1')).json().challenge;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await post('/api/v1/auth/login/mfa', null, { challenge, code: String(100000 + i) }, '10.50.2.1')).statusCode);
    expect(codes.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(codes[5]).toBe(429);
  });

  it('turns off only with a current code, and re-issues the session', async () => {
    const u = await insertUser(t.db, 'mfa-off@example.nl', 'Off');
    const { secret, session } = await enrol(u.email);
    expect((await post('/api/v1/auth/mfa/disable', session, { code: '123456' })).statusCode).toBe(400);
    const off = await post('/api/v1/auth/mfa/disable', session, { code: await codeAt(secret, Date.now() + 30_000) });
    expect(off.statusCode).toBe(200);
    expect((await me(session.cookie)).statusCode).toBe(401);
    const signIn = await post('/api/v1/auth/login', null, { email: u.email, password: TEST_PASSWORD });
    expect(signIn.json().kind).toBe('user');
  });

  it('works in the web app: code step after the password, set-up page with QR code and recovery codes once', async () => {
    const u = await insertUser(t.db, 'mfa-web@example.nl', 'Web');
    const s = await login(t.app, u.email, TEST_PASSWORD);
    const page = await t.app.inject({ method: 'GET', url: '/account/security', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tweestapsverificatie staat uit');
    const form = (payload: Record<string, string>, cookie: string) =>
      t.app.inject({ method: 'POST', url: '/account/security/setup', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(payload).toString() });
    const setup = await form({ _csrf: s.csrfToken }, s.cookie);
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toMatch(/<svg[^>]*>/);
    const secret = /<code>([A-Z2-7]{16,})<\/code>/.exec(setup.body)![1]!;
    const enable = await t.app.inject({
      method: 'POST',
      url: '/account/security/enable?lang=en',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: s.csrfToken, code: await codeAt(secret, Date.now()) }).toString(),
    });
    expect(enable.statusCode).toBe(200);
    expect(enable.body).toContain('Your recovery codes');
    expect(enable.body.match(/<li><code>[A-Z0-9]{5}-[A-Z0-9]{5}<\/code><\/li>/g)).toHaveLength(10);
    expect(enable.body).toContain('Two-step verification is on');

    // Sign in through the web form: password, then the code step.
    const front = await t.app.inject({ method: 'GET', url: '/' });
    const csrfCookie = front.cookies.find((c) => c.name === 'lcs_login_csrf')!.value;
    const pw = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: `lcs_login_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfCookie, email: u.email, password: TEST_PASSWORD, next: '/app' }).toString(),
    });
    expect(pw.statusCode).toBe(200);
    expect(pw.body).toContain('Tweestapsverificatie');
    expect(pw.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    const challenge = /name="challenge" value="([^"]+)"/.exec(pw.body)![1]!;
    const step = await t.app.inject({
      method: 'POST',
      url: '/login/mfa',
      headers: { cookie: `lcs_login_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfCookie, challenge, code: await codeAt(secret, Date.now() + 30_000), next: '/app' }).toString(),
    });
    expect(step.statusCode).toBe(303);
    expect(step.headers.location).toBe('/app');
    expect(step.cookies.find((c) => c.name === SESSION_COOKIE)).toBeDefined();
  });

  it('lets a consultancy require it: users without it can only set it up', async () => {
    const consultant = await login(t.app, tenant.consultant.email, TEST_PASSWORD);
    const refused = await t.app.inject({ method: 'PUT', url: '/api/v1/consultancy/mfa-policy', headers: staffHeaders(consultant), payload: { requireMfa: true } });
    expect(refused.statusCode).toBe(409);
    const { session } = await enrol(tenant.consultant.email);
    const on = await t.app.inject({ method: 'PUT', url: '/api/v1/consultancy/mfa-policy', headers: staffHeaders(session), payload: { requireMfa: true } });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toEqual({ consultancyId: tenant.consultancyId, requireMfa: true });
    const hrOnly = await t.app.inject({ method: 'PUT', url: '/api/v1/consultancy/mfa-policy', headers: staffHeaders(await login(t.app, tenant.director.email, TEST_PASSWORD)), payload: { requireMfa: false } });
    expect(hrOnly.statusCode).toBe(403);

    // HR of a client organisation: signed in, but nothing works until the set-up is done.
    const hrRes = await post('/api/v1/auth/login', null, { email: tenant.hr.email, password: TEST_PASSWORD });
    expect(hrRes.json()).toMatchObject({ kind: 'user', mfaSetupRequired: true });
    const hr = { cookie: cookieOf(hrRes), csrfToken: hrRes.json().csrfToken };
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(hr) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('mfa_setup_required');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/mfa', headers: staffHeaders(hr) })).json()).toMatchObject({ enabled: false, required: true });
    const setup = await post('/api/v1/auth/mfa/setup', hr);
    const enable = await post('/api/v1/auth/mfa/enable', hr, { code: await codeAt(setup.json().secret, Date.now()) });
    expect(enable.statusCode).toBe(200);
    const after = { cookie: cookieOf(enable), csrfToken: enable.json().csrfToken };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(after) })).statusCode).toBe(200);
    // Required: it cannot be turned off.
    const off = await post('/api/v1/auth/mfa/disable', after, { code: await codeAt(setup.json().secret, Date.now() + 30_000) });
    expect(off.statusCode).toBe(409);
    expect(off.json().code).toBe('mfa_required');
  });
});

describeTenancy('two-factor sign-in', [
  { name: 'read the sign-in policy of another consultancy', method: 'GET', url: (v) => `/api/v1/consultancy/mfa-policy?consultancyId=${v.consultancyId}`, statusFor: { hr: 403, director: 403, organisationToken: 403, consultancyToken: 403 } },
  { name: 'change the sign-in policy of another consultancy', method: 'PUT', url: () => '/api/v1/consultancy/mfa-policy', payload: (v) => ({ requireMfa: false, consultancyId: v.consultancyId }), statusFor: { hr: 403, director: 403, organisationToken: 403, consultancyToken: 403 } },
  { name: 'own MFA status (tokens have none)', method: 'GET', url: () => '/api/v1/auth/mfa', statusFor: { consultant: 200, hr: 200, director: 200, organisationToken: 403, consultancyToken: 403 } },
]);
