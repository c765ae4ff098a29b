// TOTP secrets encrypted at rest (issue 12): AES-256-GCM with TOTP_ENCRYPTION_KEY, bound to the user.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEnrolment, startEnrolment } from '../../server/auth/mfa.js';
import { openTotpSecret, sealTotpSecret, setTotpEncryptionKey } from '../../server/auth/totp-secret.js';
import { ConfigError, parseConfig } from '../../server/config/config.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

const KEY = 'b'.repeat(64);
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe(`TOTP secrets at rest (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await setupTestApp({ TOTP_ENCRYPTION_KEY: KEY });
    a = await createTenant(t.db, { label: 'totp-rest' });
  });
  afterAll(async () => {
    await t?.close();
    setTotpEncryptionKey(undefined);
  });

  const stored = async (id: string) => (await t.db.selectFrom('users').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow()).totp_secret;

  it('stores the secret sealed, never in the clear, and a code from it still confirms enrolment', async () => {
    const { secret } = await startEnrolment(t.db, a.consultant.id);
    const raw = await stored(a.consultant.id);
    expect(raw).toMatch(/^enc:v1:/);
    expect(raw).not.toContain(secret);
    expect(openTotpSecret(raw!, a.consultant.id)).toBe(secret);
    const now = new Date();
    const codes = await confirmEnrolment(t.db, a.consultant.id, await codeAt(secret, now.getTime()), now);
    expect(codes).toHaveLength(10);
  });

  it('a sealed secret does not open for another user nor with another key', async () => {
    const sealed = sealTotpSecret('JBSWY3DPEHPK3PXPJBSWY3DP', a.hr.id);
    expect(() => openTotpSecret(sealed, a.director.id)).toThrow();
    setTotpEncryptionKey('c'.repeat(64));
    try {
      expect(() => openTotpSecret(sealed, a.hr.id)).toThrow();
    } finally {
      setTotpEncryptionKey(KEY);
    }
    expect(openTotpSecret(sealed, a.hr.id)).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
  });

  it('a secret stored in the clear before encryption still works and is sealed on its first use', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPJBSWY3DP';
    await t.db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', a.hr.id).execute();
    const now = new Date();
    expect(await confirmEnrolment(t.db, a.hr.id, await codeAt(secret, now.getTime()), now)).toHaveLength(10);
    const raw = await stored(a.hr.id);
    expect(raw).toMatch(/^enc:v1:/);
    expect(openTotpSecret(raw!, a.hr.id)).toBe(secret);
  });

  it('production requires TOTP_ENCRYPTION_KEY (one line naming it) and rejects a key of the wrong size', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/^Invalid configuration: TOTP_ENCRYPTION_KEY: required in production/);
    expect(() => parseConfig({ TOTP_ENCRYPTION_KEY: 'abcd' })).toThrow(/TOTP_ENCRYPTION_KEY/);
    expect(parseConfig({ NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: KEY }).NODE_ENV).toBe('production');
  });
});
