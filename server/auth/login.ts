// Password sign-in with a rate limit kept in the database (login_attempts), so every instance enforces
// the same limit: at most LOGIN_MAX_FAILURES failed tries per LOGIN_WINDOW_MS, per account and per
// client address. Unknown accounts and wrong passwords get the same answer (no account enumeration).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashPassword, verifyPassword } from '../lib/crypto.js';
import { AppError, UnauthorizedError } from '../lib/errors.js';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 60 * 1000;

export class TooManyLoginAttemptsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too_many_login_attempts', 'Too many sign-in attempts; try again later', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('Unknown email address or wrong password');
  }
}

/** Emails are stored lower-case (the users table checks it). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Verifying against a dummy hash keeps an unknown email as slow as a wrong password.
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  return dummyHash;
}

/** Seconds until fewer than LOGIN_MAX_FAILURES failures remain in the window, or 0 when not blocked. */
async function blockedFor(db: Kysely<DB>, column: 'email' | 'ip', value: string, excludeId: number, now: Date): Promise<number> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  // The LOGIN_MAX_FAILURES-th newest earlier failure: once it leaves the window, a try is allowed again.
  const row = await db
    .selectFrom('login_attempts')
    .select('attempted_at')
    .where(column, '=', value)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .where('id', '<>', excludeId)
    .orderBy('attempted_at', 'desc')
    .offset(LOGIN_MAX_FAILURES - 1)
    .limit(1)
    .executeTakeFirst();
  if (!row) return 0;
  return Math.max(1, Math.ceil((row.attempted_at.getTime() + LOGIN_WINDOW_MS - now.getTime()) / 1000));
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  now?: Date;
}

/**
 * Checks the credentials and the rate limit; returns the user id or throws 401/429.
 * The attempt is recorded (as a failure) before the password is checked, so concurrent tries cannot
 * slip past the limit between counting and recording.
 */
export async function authenticate(db: Kysely<DB>, input: LoginInput): Promise<string> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email).slice(0, 254);
  const ip = input.ip.slice(0, 100);
  const attempt = await db
    .insertInto('login_attempts')
    .values({ email, ip, succeeded: false, attempted_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const wait = Math.max(await blockedFor(db, 'email', email, attempt.id, now), await blockedFor(db, 'ip', ip, attempt.id, now));
  if (wait > 0) {
    // A refused try is not a failure of its own: it does not extend the block.
    await db.deleteFrom('login_attempts').where('id', '=', attempt.id).execute();
    throw new TooManyLoginAttemptsError(wait);
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('email', '=', email)
    .executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummy()));
  if (!user || !ok || user.disabled_at) throw new InvalidCredentialsError();
  await db.updateTable('login_attempts').set({ succeeded: true }).where('id', '=', attempt.id).execute();
  return user.id;
}

/** Housekeeping for the retention sweep: attempts older than a day say nothing any more. */
export async function deleteOldLoginAttempts(db: Kysely<DB>, now = new Date()): Promise<number> {
  const res = await db
    .deleteFrom('login_attempts')
    .where('attempted_at', '<', new Date(now.getTime() - 24 * 60 * 60 * 1000))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Removes sessions past their absolute lifetime. */
export async function deleteExpiredSessions(db: Kysely<DB>, now = new Date()): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
