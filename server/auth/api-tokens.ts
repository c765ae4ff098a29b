// API tokens for integrations: 32 random bytes shown once; only the SHA-256 is stored. A token is bound
// to one consultancy account or one organisation and acts with HR rights there ('integration').
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { newToken, sha256Hex } from '../lib/crypto.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Prefix that makes a leaked token recognisable to secret scanners. */
export const API_TOKEN_PREFIX = 'lcs_';

export interface NewApiToken {
  name: string;
  consultancyId?: string | null;
  organisationId?: string | null;
  createdBy?: string | null;
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
    })
    .returning(['id', 'name', 'consultancy_id', 'organisation_id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}
