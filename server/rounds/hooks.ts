// Extension points of the round lifecycle. closeRound (lifecycle.ts) runs every handler registered
// here, in order, inside the transaction that closes the round: a handler that throws rolls the
// close back, so the round stays open and the caller gets the error.
//
// The results engineer registers the work that belongs to closing (snapshots, benchmark pool
// entries) by pushing onto roundClosedHandlers at module load, e.g.
//   roundClosedHandlers.push(async (tx, roundId) => { await snapshotRound(tx, roundId); });
// No answer can be written for the round while the close transaction runs (see roundOkSql in
// responses.ts: writes and the close share an advisory lock), so handlers see the final responses.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

export type RoundClosedHandler = (tx: Transaction<DB>, roundId: string) => Promise<void>;

/** Runs after a round's status is set to closed, in the same transaction. Empty by default. */
export const roundClosedHandlers: RoundClosedHandler[] = [];

export async function afterRoundClosed(tx: Transaction<DB>, roundId: string): Promise<void> {
  for (const handler of roundClosedHandlers) await handler(tx, roundId);
}
