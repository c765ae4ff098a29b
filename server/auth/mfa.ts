// Two-factor sign-in for staff: TOTP (RFC 6238, otplib: SHA-1, 6 digits, 30 s, one step of clock
// drift either way) with single-use recovery codes. A code is never accepted twice: the last used
// time step is stored and later verifications only accept newer steps.
// Secrets, recovery codes and sign-in challenges are read on the owner connection only, like sessions.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { generateSecret, generateURI, verify } from 'otplib';
import { isSealed, openTotpSecret, sealTotpSecret } from './totp-secret.js';
import QRCode from 'qrcode';
import type { DB } from '../db/schema.js';
import { newToken, sha256Hex } from '../lib/crypto.js';
import { ConflictError } from '../lib/errors.js';
import { accountScoped } from './tenant-scope.js';

export const MFA_ISSUER = 'Leercultuurscan';
export const RECOVERY_CODE_COUNT = 10;
export const MFA_CHALLENGE_MS = 5 * 60 * 1000;
const PERIOD = 30;

/** Recovery codes as shown: 10 base32 characters in two groups, e.g. `K7QF2-M9XTA`. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
const hashRecoveryCode = (code: string) => sha256Hex(`lcs-recovery:${normaliseRecoveryCode(code)}`);

export interface MfaStatus {
  enabled: boolean;
  /** The user's consultancy requires two-factor sign-in of all its users. */
  required: boolean;
  recoveryCodesLeft: number;
}

/** Whether a consultancy the user works for or with requires two-factor sign-in. */
export async function mfaRequiredFor(db: Kysely<DB>, userId: string): Promise<boolean> {
  return accountScoped(db, async (db) => {
    const row = await db
      .selectFrom('user_roles as ur')
      .leftJoin('organisations as o', 'o.id', 'ur.organisation_id')
      .innerJoin('consultancies as c', (j) => j.on(sql<boolean>`c.id = coalesce(ur.consultancy_id, o.consultancy_id)`))
      .select('c.id')
      .where('ur.user_id', '=', userId)
      .where('c.require_mfa', '=', true)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  });
}

export async function mfaStatus(db: Kysely<DB>, userId: string): Promise<MfaStatus> {
  return accountScoped(db, async (db) => {
    const user = await db.selectFrom('users').select('totp_enabled_at').where('id', '=', userId).executeTakeFirstOrThrow();
    const left = await db
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { enabled: user.totp_enabled_at !== null, required: await mfaRequiredFor(db, userId), recoveryCodesLeft: Number(left.n) };
  });
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as an SVG QR code, for the set-up page. */
  qrSvg: string;
}

/** Starts (or restarts) enrolment: a new secret, not in force until confirmEnrolment. */
export async function startEnrolment(db: Kysely<DB>, userId: string): Promise<Enrolment> {
  return accountScoped(db, async (db) => {
    const user = await db.selectFrom('users').select(['email', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (user.totp_enabled_at) throw new ConflictError('mfa_already_enabled', 'Two-factor sign-in is already on; turn it off first to set up a new app');
    const secret = generateSecret({ length: 20 });
    await db.updateTable('users').set({ totp_secret: sealTotpSecret(secret, userId), totp_last_step: null }).where('id', '=', userId).execute();
    const otpauthUri = generateURI({ issuer: MFA_ISSUER, label: user.email, secret, period: PERIOD });
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, otpauthUri, qrSvg };
  });
}

/** Checks a 6-digit code against the user's secret and records its time step; false when wrong or replayed. */
async function acceptTotp(db: Kysely<DB>, userId: string, code: string, now: Date): Promise<boolean> {
  return accountScoped(db, async (db) => {
    if (!/^\d{6}$/.test(code)) return false;
    const user = await db.selectFrom('users').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (!user.totp_secret) return false;
    const last = user.totp_last_step === null ? undefined : Number(user.totp_last_step);
    const epoch = Math.floor(now.getTime() / 1000);
    const result = await verify({
      secret: openTotpSecret(user.totp_secret, userId),
      token: code,
      epoch,
      epochTolerance: PERIOD,
      ...(last === undefined ? {} : { afterTimeStep: last }),
    });
    if (!result.valid) return false;
    const step = 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : Math.floor(epoch / PERIOD) + result.delta;
    // Conditional update: of two concurrent uses of one code, only one wins.
    const res = await db
      .updateTable('users')
      // A secret stored before encryption at rest is sealed now.
      .set(isSealed(user.totp_secret) ? { totp_last_step: step } : { totp_last_step: step, totp_secret: sealTotpSecret(user.totp_secret, userId) })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  });
}

async function newRecoveryCodes(db: Kysely<DB>, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
  await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('mfa_recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashRecoveryCode(c), created_at: now })))
    .execute();
  return codes;
}

/** Confirms enrolment with a first code: turns two-factor sign-in on and returns the recovery codes (shown once). */
export async function confirmEnrolment(db: Kysely<DB>, userId: string, code: string, now = new Date()): Promise<string[] | null> {
  return accountScoped(db, async (db) => {
    const user = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (user.totp_enabled_at) throw new ConflictError('mfa_already_enabled', 'Two-factor sign-in is already on');
    if (!user.totp_secret) throw new ConflictError('mfa_setup_not_started', 'Start the set-up first (POST /api/v1/auth/mfa/setup)');
    if (!(await acceptTotp(db, userId, code, now))) return null;
    await db.updateTable('users').set({ totp_enabled_at: now }).where('id', '=', userId).execute();
    return newRecoveryCodes(db, userId, now);
  });
}

/** A TOTP code or an unused recovery code (used up by this call). */
export async function verifySecondFactor(db: Kysely<DB>, userId: string, code: string, now = new Date()): Promise<'totp' | 'recovery_code' | null> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) return (await acceptTotp(db, userId, trimmed, now)) ? 'totp' : null;
  const normalised = normaliseRecoveryCode(trimmed);
  if (normalised.length !== 10) return null;
  const res = await db
    .updateTable('mfa_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(normalised))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? 'recovery_code' : null;
}

export async function regenerateRecoveryCodes(db: Kysely<DB>, userId: string, now = new Date()): Promise<string[]> {
  return newRecoveryCodes(db, userId, now);
}

export async function disableMfa(db: Kysely<DB>, userId: string): Promise<void> {
  return accountScoped(db, async (db) => {
    // One transaction (the scope's).
    await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
    await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
  });
}

export async function mfaEnabled(db: Kysely<DB>, userId: string): Promise<boolean> {
  return accountScoped(db, async (db) => {
    const u = await db.selectFrom('users').select('totp_enabled_at').where('id', '=', userId).executeTakeFirstOrThrow();
    return u.totp_enabled_at !== null;
  });
}

/** After the password: a short-lived token for the second step (only its SHA-256 is stored). */
export async function createChallenge(db: Kysely<DB>, userId: string, now = new Date()): Promise<string> {
  const token = newToken();
  await db.deleteFrom('mfa_challenges').where('expires_at', '<=', now).execute();
  await db
    .insertInto('mfa_challenges')
    .values({ id: sha256Hex(token), user_id: userId, created_at: now, expires_at: new Date(now.getTime() + MFA_CHALLENGE_MS) })
    .execute();
  return token;
}

/** The user behind a live challenge, or null. */
export async function challengeUser(db: Kysely<DB>, token: string, now = new Date()): Promise<{ userId: string; email: string } | null> {
  return accountScoped(db, async (db) => {
    const row = await db
      .selectFrom('mfa_challenges')
      .innerJoin('users', 'users.id', 'mfa_challenges.user_id')
      .select(['users.id', 'users.email', 'users.disabled_at', 'mfa_challenges.expires_at'])
      .where('mfa_challenges.id', '=', sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.disabled_at || row.expires_at.getTime() <= now.getTime()) return null;
    return { userId: row.id, email: row.email };
  });
}

export async function consumeChallenge(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('mfa_challenges').where('id', '=', sha256Hex(token)).execute();
}
