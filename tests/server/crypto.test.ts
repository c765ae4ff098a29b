// Password hashing: production strength outside tests, cheap parameters only under the test runner,
// and either kind of stored hash verifies by the parameters it carries.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_PARAMS, verifyPassword } from '../../server/lib/crypto.js';

const cost = (hash: string) => Number(hash.split('$')[1]);

describe('password hashing', () => {
  it('keeps OWASP-strength scrypt parameters for production', () => {
    expect(PASSWORD_HASH_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('hashes cheaply in tests, and a production-strength hash still verifies', async () => {
    const cheap = await hashPassword('een-lang-wachtwoord');
    expect(cost(cheap)).toBeLessThan(PASSWORD_HASH_PARAMS.N);
    const strong = await hashPassword('een-lang-wachtwoord', PASSWORD_HASH_PARAMS);
    expect(cost(strong)).toBe(2 ** 17);
    for (const stored of [cheap, strong]) {
      expect(await verifyPassword('een-lang-wachtwoord', stored)).toBe(true);
      expect(await verifyPassword('een-ander-wachtwoord', stored)).toBe(false);
    }
  });

  it('uses production parameters in a process that is not a test run, and refuses to switch there', () => {
    const script = `
      import { hashPassword, useTestPasswordHashing } from './server/lib/crypto.ts';
      const hash = await hashPassword('een-lang-wachtwoord');
      let refused = false;
      try { useTestPasswordHashing(); } catch { refused = true; }
      console.log(JSON.stringify({ cost: Number(hash.split('$')[1]), refused }));
    `;
    const env = { ...process.env, NODE_ENV: 'production' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ cost: 2 ** 17, refused: true });
  });
});
