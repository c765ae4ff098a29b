// Password sign-in with a rate limit kept in the database (login_attempts), so every instance enforces
// the same limit. Three counters over LOGIN_WINDOW_MS, all of failed tries:
//   - per account and address: LOGIN_MAX_FAILURES, always enforced;
//   - per account from any address: LOGIN_MAX_FAILURES;
//   - per address across accounts: LOGIN_ADDRESS_MAX_FAILURES (password spraying).
// The last two do not apply to an account trying from an address where it signed in successfully
// within KNOWN_ADDRESS_DAYS, so neither someone failing on purpose for a victim's account nor a
// sprayer behind the same reverse proxy locks out the proxy's real users (the per-pair limit still
// caps guessing there). The address is request.ip, which honours only the proxy hops TRUST_PROXY
// names: a client cannot choose it with X-Forwarded-For. Unknown accounts and wrong passwords get
// the same answer (no account enumeration).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashPassword, verifyPassword } from '../lib/crypto.js';
import { AppError, UnauthorizedError } from '../lib/errors.js';
import { accountScoped } from './tenant-scope.js';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_ADDRESS_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 60 * 1000;
export const KNOWN_ADDRESS_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

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

type Counter = { email?: string; ip?: string; max: number };

/** Seconds until fewer than `max` failures remain in the window for the counter, or 0 when not blocked. */
async function blockedFor(db: Kysely<DB>, c: Counter, excludeId: number, now: Date): Promise<number> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  let q = db
    .selectFrom('login_attempts')
    .select('attempted_at')
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .where('id', '<>', excludeId);
  if (c.email !== undefined) q = q.where('email', '=', c.email);
  if (c.ip !== undefined) q = q.where('ip', '=', c.ip);
  // The max-th newest earlier failure: once it leaves the window, a try is allowed again.
  const row = await q.orderBy('attempted_at', 'desc').offset(c.max - 1).limit(1).executeTakeFirst();
  if (!row) return 0;
  return Math.max(1, Math.ceil((row.attempted_at.getTime() + LOGIN_WINDOW_MS - now.getTime()) / 1000));
}

/** Whether the account signed in successfully from this address recently. */
async function knownAddress(db: Kysely<DB>, email: string, ip: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('login_attempts')
    .select('id')
    .where('email', '=', email)
    .where('ip', '=', ip)
    .where('succeeded', '=', true)
    .where('attempted_at', '>', new Date(now.getTime() - KNOWN_ADDRESS_DAYS * DAY_MS))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Seconds this try must wait, or 0 (see the rules at the top of the module). */
async function waitFor(db: Kysely<DB>, email: string, ip: string, excludeId: number, now: Date): Promise<number> {
  const pair = await blockedFor(db, { email, ip, max: LOGIN_MAX_FAILURES }, excludeId, now);
  if (pair > 0) return pair;
  const [account, address] = await Promise.all([
    blockedFor(db, { email, max: LOGIN_MAX_FAILURES }, excludeId, now),
    blockedFor(db, { ip, max: LOGIN_ADDRESS_MAX_FAILURES }, excludeId, now),
  ]);
  if (account === 0 && address === 0) return 0;
  return (await knownAddress(db, email, ip, now)) ? 0 : Math.max(account, address);
}

/** Records a failed second step (TOTP or recovery code) against the same counters as a wrong password. */
export async function recordFailedAttempt(db: Kysely<DB>, email: string, ip: string, now = new Date()): Promise<void> {
  await db.insertInto('login_attempts').values({ email: normaliseEmail(email).slice(0, 254), ip: ip.slice(0, 100), succeeded: false, attempted_at: now }).execute();
}

/** 429 when the counters of this account and address are exhausted (checked before a second step). */
export async function assertNotThrottled(db: Kysely<DB>, email: string, ip: string, now = new Date()): Promise<void> {
  const wait = await waitFor(db, normaliseEmail(email).slice(0, 254), ip.slice(0, 100), -1, now);
  if (wait > 0) throw new TooManyLoginAttemptsError(wait);
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
  const wait = await waitFor(db, email, ip, attempt.id, now);
  if (wait > 0) {
    // A refused try is not a failure of its own: it does not extend the block.
    await db.deleteFrom('login_attempts').where('id', '=', attempt.id).execute();
    throw new TooManyLoginAttemptsError(wait);
  }
  // The attempt above commits on its own (login_attempts is no tenant table); the lookup by email and
  // password hash is account work (withAccountScope).
  const user = await accountScoped(db, (tx) => tx.selectFrom('users').select(['id', 'password_hash', 'disabled_at']).where('email', '=', email).executeTakeFirst());
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummy()));
  if (!user || !ok || user.disabled_at) throw new InvalidCredentialsError();
  await db.updateTable('login_attempts').set({ succeeded: true }).where('id', '=', attempt.id).execute();
  return user.id;
}

/**
 * Housekeeping for the retention sweep: failures older than a day say nothing any more; successes are
 * kept KNOWN_ADDRESS_DAYS (they mark the addresses an account is known at).
 */
export async function deleteOldLoginAttempts(db: Kysely<DB>, now = new Date()): Promise<number> {
  const res = await db
    .deleteFrom('login_attempts')
    .where((eb) =>
      eb.or([
        eb.and([eb('succeeded', '=', false), eb('attempted_at', '<', new Date(now.getTime() - DAY_MS))]),
        eb('attempted_at', '<', new Date(now.getTime() - KNOWN_ADDRESS_DAYS * DAY_MS)),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Removes sessions past their absolute lifetime. */
export async function deleteExpiredSessions(db: Kysely<DB>, now = new Date()): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
