// TOTP secrets at rest (issue 12): AES-256-GCM (node:crypto) with the key from TOTP_ENCRYPTION_KEY,
// the user's id as associated data (a sealed secret copied to another user's row does not open).
// Stored form: `enc:v1:<iv>.<tag>.<ciphertext>` (base64url). A secret stored before encryption (bare
// base32) is still read, and sealed again the next time it is used (server/auth/mfa.ts).
//
// Without TOTP_ENCRYPTION_KEY (development and tests only; production refuses to start, see
// server/config/config.ts) a fixed development key is used: the format is the same, the secrecy is not.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const DEVELOPMENT_KEY = createHash('sha256').update('leercultuurscan development TOTP key (not secret)').digest();

let key: Buffer = DEVELOPMENT_KEY;

/** The key as configured: 64 hex characters or base64 of 32 bytes. */
export function parseTotpKey(value: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (buf.length !== 32) throw new Error('TOTP_ENCRYPTION_KEY must be 32 bytes');
  return buf;
}

/** Set once at start-up from config (server/plugins/db.ts). */
export function setTotpEncryptionKey(value: string | undefined): void {
  key = value ? parseTotpKey(value) : DEVELOPMENT_KEY;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function sealTotpSecret(secret: string, userId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(userId));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

/** The secret in the clear; throws when the value was sealed with another key or for another user. */
export function openTotpSecret(stored: string, userId: string): string {
  if (!isSealed(stored)) return stored; // stored before encryption
  const [iv, tag, ct] = stored.slice(PREFIX.length).split('.');
  if (!iv || !tag || !ct) throw new Error('malformed sealed TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
