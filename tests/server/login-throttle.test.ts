// Behind a reverse proxy (TRUST_PROXY as a hop count): the client address is the one the proxy saw,
// so a client rotating X-Forwarded-For cannot slip past the per-address limit, and a client claiming
// someone else's address cannot lock that person out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ADDRESS_MAX_FAILURES, LOGIN_MAX_FAILURES } from '../../server/auth/login.js';
import { ConfigError, parseConfig } from '../../server/config/config.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, TEST_PASSWORD, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

const PROXY = '10.0.0.2';

describe(`sign-in throttling behind a proxy (${driverName})`, () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await setupTestApp({ TRUST_PROXY: '1' });
    tenant = await createTenant(t.db, { label: 'proxy' });
  });
  afterAll(async () => t?.close());

  /** A request as the proxy forwards it: whatever the client sent, then the address the proxy saw. */
  const viaProxy = (email: string, password: string, clientSent: string | null, seenByProxy: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': clientSent ? `${clientSent}, ${seenByProxy}` : seenByProxy },
    });

  it('records the address the proxy saw, not the one the client wrote', async () => {
    await viaProxy('nobody@example.nl', 'wrong-password-123', '1.2.3.4', '203.0.113.10');
    const rows = await t.db.selectFrom('login_attempts').select('ip').where('email', '=', 'nobody@example.nl').execute();
    expect(rows.map((r) => r.ip)).toEqual(['203.0.113.10']);
  });

  it('keeps the per-address limit when the client rotates X-Forwarded-For', async () => {
    const attacker = '203.0.113.20';
    // Earlier spraying from the attacker's real address (inserted: scrypt per try is slow on a busy machine) ...
    await t.db
      .insertInto('login_attempts')
      .values(Array.from({ length: LOGIN_ADDRESS_MAX_FAILURES - 2 }, (_, i) => ({ email: `spray${i}@example.nl`, ip: attacker, succeeded: false })))
      .execute();
    // ... then two more tries through the proxy, each with a different address of the client's choosing.
    for (let i = 0; i < 2; i++) {
      expect((await viaProxy(`spray-x${i}@example.nl`, 'wrong-password-123', `198.51.100.${i}`, attacker)).statusCode).toBe(401);
    }
    const next = await viaProxy('spray-next@example.nl', 'wrong-password-123', '198.51.100.250', attacker);
    expect(next.statusCode).toBe(429);
  }, 120_000);

  it('does not lock out a real user whose address an attacker claims', async () => {
    const victimAddress = '198.51.100.77';
    for (let i = 0; i < LOGIN_MAX_FAILURES + 1; i++) {
      await viaProxy(`claim${i}@example.nl`, 'wrong-password-123', victimAddress, '203.0.113.30');
    }
    await viaProxy(tenant.hr.email, 'wrong-password-123', victimAddress, '203.0.113.30');
    const real = await viaProxy(tenant.hr.email, TEST_PASSWORD, null, victimAddress);
    expect(real.statusCode).toBe(200);
  }, 120_000);
});

describe('TRUST_PROXY', () => {
  const parse = (v: string) => parseConfig({ TRUST_PROXY: v }).TRUST_PROXY;
  it('takes false, a hop count or a list of proxy addresses', () => {
    expect(parse('false')).toBe(false);
    expect(parse('0')).toBe(false);
    expect(parse('2')).toBe(2);
    expect(parse('true')).toBe(1);
    expect(parse('10.0.0.1, 10.1.0.0/16, ::1, loopback')).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'loopback']);
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
  });
  it('refuses anything else with one line naming the variable', () => {
    for (const bad of ['maybe', '10.0.0.300', '10.0.0.0/33', '99']) {
      expect(() => parse(bad)).toThrow(ConfigError);
      expect(() => parse(bad)).toThrow(/^Invalid configuration: TRUST_PROXY: /);
    }
  });
});
