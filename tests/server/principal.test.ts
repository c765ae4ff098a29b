// The signed-in principal is resolved once per request and only where it is needed: not for static
// assets or the liveness probe, and a page's in-process API calls take over the page's principal.
import { QueryCreator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, type StaffSession, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

let t: TestApp;
let tenant: Tenant;
let consultant: StaffSession;

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  consultant = await login(t.app, tenant.consultant.email, tenant.consultant.password);
});
afterAll(async () => t?.close());

/**
 * How many times a request looks up a session (principalFromSession selects from sessions, inside the
 * account scope's transaction: so the spy sits on every Kysely instance and transaction alike).
 */
async function sessionLookups(run: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(QueryCreator.prototype, 'selectFrom');
  try {
    await run();
    return spy.mock.calls.filter(([from]) => from === 'sessions').length;
  } finally {
    spy.mockRestore();
  }
}

describe(`principal resolution (${driverName})`, () => {
  it('does not look up the session for static assets or the liveness probe', async () => {
    const headers = { cookie: consultant.cookie };
    for (const url of ['/assets/app.css', '/assets/vendor/chart.umd.min.js', '/health/live']) {
      let status = 0;
      expect(await sessionLookups(async () => void (status = (await t.app.inject({ method: 'GET', url, headers })).statusCode))).toBe(0);
      expect(status, url).toBe(200);
    }
    // An API route does.
    expect(await sessionLookups(() => t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers }))).toBe(1);
  });

  it('resolves it once for a page, however many API calls the page makes', async () => {
    let body = '';
    const lookups = await sessionLookups(async () => {
      const res = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}`, headers: { cookie: consultant.cookie } });
      expect(res.statusCode).toBe(200);
      body = res.body;
    });
    expect(body).toContain(tenant.organisationName);
    expect(lookups).toBe(1);
  });

  it('ignores a forwarded-principal header sent from outside the process', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: { 'x-lcs-forwarded-principal': 'guessed-handle' } });
    expect(res.statusCode).toBe(401);
  });
});
