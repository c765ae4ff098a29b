// API tokens for integrations: 32 random bytes shown once; only the SHA-256 is stored. A token is bound
// to one consultancy account or one organisation and acts with HR rights there ('integration').
// A token is owned by the user who made it (it stops working, and is revoked, when that user is
// removed, disabled or loses the access it was made with) unless it is explicitly owned by the
// organisation (or consultancy account), as tokens made with the CLI are.
import type { Db } from '../db/schema.js';
import { newToken, sha256Hex } from '../lib/crypto.js';
import { accountScoped } from './tenant-scope.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Prefix that makes a leaked token recognisable to secret scanners. */
export const API_TOKEN_PREFIX = 'lcs_';

export interface NewApiToken {
  name: string;
  consultancyId?: string | null;
  organisationId?: string | null;
  createdBy?: string | null;
  /** Default: true without a creator (CLI), false with one. */
  ownedByOrganisation?: boolean;
}

export async function insertApiToken(db: Db, t: NewApiToken) {
  const token = `${API_TOKEN_PREFIX}${newToken()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      token_hash: sha256Hex(token),
      name: t.name,
      consultancy_id: t.consultancyId ?? null,
      organisation_id: t.organisationId ?? null,
      created_by: t.createdBy ?? null,
      owned_by_organisation: t.ownedByOrganisation ?? !t.createdBy,
    })
    .returning(['id', 'name', 'consultancy_id', 'organisation_id', 'created_at', 'created_by', 'owned_by_organisation'])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

/**
 * Revokes the user-owned tokens a user made, all of them or those bound to one organisation or
 * consultancy (when the user loses access there). Returns how many were revoked.
 */
export async function revokeTokensOfUser(
  db: Db,
  userId: string,
  scope: { organisationId?: string; consultancyId?: string } = {},
  now = new Date(),
): Promise<number> {
  if (!db.isTransaction) return accountScoped(db as Kysely<DB>, (tx) => revokeTokensOfUser(tx, userId, scope, now));
  let q = db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('created_by', '=', userId)
    .where('owned_by_organisation', '=', false)
    .where('revoked_at', 'is', null);
  if (scope.organisationId) q = q.where('organisation_id', '=', scope.organisationId);
  if (scope.consultancyId) q = q.where('consultancy_id', '=', scope.consultancyId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
