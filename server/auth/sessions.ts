// Server-side sessions in the database, so any instance can serve any request.
// Idle timeout 30 minutes, absolute lifetime 12 hours.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { newToken, sha256Hex } from '../lib/crypto.js';
import type { Principal, RoleGrant } from './principal.js';

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
  const rows = await db
    .selectFrom('user_roles')
    .select(['role', 'consultancy_id', 'organisation_id'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ role: r.role, consultancyId: r.consultancy_id, organisationId: r.organisation_id }));
}

/** The principal behind a session token, or null when unknown, idle too long, expired or disabled. */
export async function principalFromSession(db: Kysely<DB>, token: string, now = new Date()): Promise<Principal | null> {
  const id = sha256Hex(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.name', 'users.disabled_at'])
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
  };
}

export async function principalFromApiToken(db: Kysely<DB>, token: string, now = new Date()): Promise<Principal | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'consultancy_id', 'organisation_id', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_AFTER_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { kind: 'token', tokenId: row.id, consultancyId: row.consultancy_id, organisationId: row.organisation_id };
}
