// Passwords (scrypt from node:crypto) and random tokens, of which only a SHA-256 is ever stored.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// OWASP's scrypt baseline: N=2^17, r=8, p=1 (128 MiB); maxmem must allow it.
export const PASSWORD_HASH_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
// ~1 ms instead of ~100 ms: for test runs only, where hundreds of sign-ins would otherwise dominate.
const TEST_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });
const KEYLEN = 32;
export const MIN_PASSWORD_LENGTH = 12;

let current: Readonly<ScryptParams> = PASSWORD_HASH_PARAMS;

/**
 * Switches new hashes to cheap parameters, for the test runner's setup file. Refuses unless
 * NODE_ENV is "test", so no server, CLI or script can end up storing weak hashes by accident.
 * Verification always uses the parameters stored in the hash, so both kinds keep verifying.
 */
export function useTestPasswordHashing(): void {
  if (process.env.NODE_ENV !== 'test') throw new Error('useTestPasswordHashing is for test runs only (NODE_ENV=test)');
  current = TEST_PARAMS;
}

export async function hashPassword(password: string, params: Readonly<ScryptParams> = current): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, { ...params, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
