// Creating staff users. Shared by the users routes and the CLI, so both apply the same rules:
// lower-case unique email, name, password of at least MIN_PASSWORD_LENGTH characters (scrypt).
import { randomUUID } from 'node:crypto';
import type { Db, StaffRole } from '../db/schema.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../lib/crypto.js';
import { ConflictError, ValidationFailedError } from '../lib/errors.js';
import { normaliseEmail } from './login.js';

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export function checkPassword(password: string, path = 'body.password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new ValidationFailedError('The password is too short', [{ path, message: `At least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
}

export interface NewStaffUser {
  email: string;
  name: string;
  /** Already hashed with hashPassword (hash outside transactions: scrypt takes ~100 ms). */
  passwordHash: string;
  role: StaffRole;
  consultancyId?: string;
  organisationId?: string;
}

/**
 * Inserts a user and its role. Works inside withTenantScope: the user row is inserted without
 * RETURNING (it becomes visible only once its role exists). 409 email_taken when the email exists.
 */
export async function insertStaffUser(db: Db, u: NewStaffUser): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = normaliseEmail(u.email);
  try {
    await db.insertInto('users').values({ id, email, name: u.name, password_hash: u.passwordHash }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('email_taken', 'A user with this email address already exists');
    throw err;
  }
  await db
    .insertInto('user_roles')
    .values(
      u.role === 'consultant'
        ? { user_id: id, role: 'consultant', consultancy_id: u.consultancyId! }
        : { user_id: id, role: u.role, organisation_id: u.organisationId! },
    )
    .execute();
  return { id, email };
}

export { hashPassword };
