// Server-side sessions in the database, so any instance can serve any request.
// Idle timeout 30 minutes, absolute lifetime 12 hours.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { newToken, sha256Hex } from '../lib/crypto.js';
import type { Principal, RoleGrant } from './principal.js';
import { accountScoped } from './tenant-scope.js';

export const SESSION_COOKIE = 'lcs_session';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// last_seen_at is written at most once a minute per session, not on every request.
const TOUCH_AFTER_MS = 60 * 1000;

export async function createSession(db: Kysely<DB>, userId: string, now = new Date()) {
  const token = newToken();
  const csrfToken = newToken();
  await db
    .insertInto('sessions')
    .values({
      id: sha256Hex(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    })
    .execute();
  return { token, csrfToken };
}

export async function destroySession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256Hex(token)).execute();
}

export async function loadRoles(db: Kysely<DB>, userId: string): Promise<RoleGrant[]> {
  return accountScoped(db, async (db) => {
    const rows = await db
      .selectFrom('user_roles')
      .select(['role', 'consultancy_id', 'organisation_id'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ role: r.role, consultancyId: r.consultancy_id, organisationId: r.organisation_id }));
  });
}

/** The principal behind a session token, or null when unknown, idle too long, expired or disabled. */
export async function principalFromSession(db: Kysely<DB>, token: string, now = new Date()): Promise<Principal | null> {
  return accountScoped(db, async (db) => {
    const id = sha256Hex(token);
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id', 'sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.name', 'users.disabled_at'])
      .select(
        sql<boolean>`users.totp_enabled_at is null and exists (
          select 1 from user_roles ur left join organisations o on o.id = ur.organisation_id
          join consultancies c on c.id = coalesce(ur.consultancy_id, o.consultancy_id)
          where ur.user_id = users.id and c.require_mfa)`.as('mfa_setup_required'),
      )
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const idleFor = now.getTime() - row.last_seen_at.getTime();
    if (row.disabled_at || row.expires_at.getTime() <= now.getTime() || idleFor > SESSION_IDLE_MS) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
      return null;
    }
    if (idleFor > TOUCH_AFTER_MS) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
    }
    return {
      kind: 'user',
      userId: row.user_id,
      email: row.email,
      name: row.name,
      roles: await loadRoles(db, row.user_id),
      sessionId: row.id,
      csrfToken: row.csrf_token,
      ...(row.mfa_setup_required ? { mfaSetupRequired: true } : {}),
    };
  });
}

/** Ends every session of a user (after a change of their roles, password or second factor). */
export async function destroySessionsOfUser(db: Kysely<DB>, userId: string, exceptSessionId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) q = q.where('id', '<>', exceptSessionId);
  await q.execute();
}

/**
 * A new token and CSRF token for the same session row (session fixation: the old cookie value stops
 * working the moment privileges change).
 */
export async function reissueSession(db: Kysely<DB>, sessionId: string, now = new Date()) {
  const token = newToken();
  const csrfToken = newToken();
  await db
    .updateTable('sessions')
    .set({ id: sha256Hex(token), csrf_token: csrfToken, last_seen_at: now })
    .where('id', '=', sessionId)
    .execute();
  return { token, csrfToken, sessionId: sha256Hex(token) };
}

export async function principalFromApiToken(db: Kysely<DB>, token: string, now = new Date()): Promise<Principal | null> {
  return accountScoped(db, async (db) => {
    const row = await db
      .selectFrom('api_tokens as t')
      .select(['t.id', 't.consultancy_id', 't.organisation_id', 't.revoked_at', 't.last_used_at'])
      // A user-owned token works only while its creator is active and still holds the access it was
      // made with (consultant of the account or of the organisation's consultancy, or HR there).
      .select(
        sql<boolean>`t.owned_by_organisation or exists (
          select 1 from users u join user_roles ur on ur.user_id = u.id
          where u.id = t.created_by and u.disabled_at is null and (
            (ur.role = 'consultant' and ur.consultancy_id = coalesce(t.consultancy_id, (select o.consultancy_id from organisations o where o.id = t.organisation_id)))
            or (ur.role = 'hr' and ur.organisation_id = t.organisation_id)))`.as('owner_ok'),
      )
      .where('t.token_hash', '=', sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || !row.owner_ok) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_AFTER_MS) {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return { kind: 'token', tokenId: row.id, consultancyId: row.consultancy_id, organisationId: row.organisation_id };
  });
}
