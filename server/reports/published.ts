// Reports show results, and results exist only for closed rounds: the same refusal, with the same
// problem code, as the results API (409 round_not_closed), for the download routes, batches and the
// CLI alike. Figures of an open round change with every response, so two reports a day apart would
// show what one person answered.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError, ConflictError, NotFoundError, type FieldError } from '../lib/errors.js';

export const ROUND_NOT_CLOSED = 'round_not_closed';
const DETAIL = 'Results are available once the round is closed';

export function roundNotClosed(errors?: FieldError[]): AppError {
  return errors ? new AppError(409, ROUND_NOT_CLOSED, DETAIL, errors) : new ConflictError(ROUND_NOT_CLOSED, DETAIL);
}

export function assertClosedStatus(status: string, errors?: FieldError[]): void {
  if (status !== 'closed') throw roundNotClosed(errors);
}

/** Throws 404 for an unknown round and 409 round_not_closed for a round that is not closed. */
export async function assertRoundClosed(db: Kysely<DB> | Transaction<DB>, roundId: string): Promise<void> {
  const row = await db.selectFrom('rounds').select('status').where('id', '=', roundId).executeTakeFirst();
  if (!row) throw new NotFoundError('Round');
  assertClosedStatus(row.status);
}
