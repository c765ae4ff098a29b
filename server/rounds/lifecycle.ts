// Round status changes: draft -> open -> closed -> (reopen) open. Each takes the caller's transaction
// (e.g. from withTenantScope) and locks the round row first, so two clicks or two instances cannot
// interleave. Closing runs the caller's roundClosed handler (hooks.ts) in the same transaction.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError, ConflictError, NotFoundError } from '../lib/errors.js';
import type { RoundClosedHandler } from './hooks.js';
import { ROUND_WRITE_LOCK_CLASS, roundLockKey } from './responses.js';
import { lockRound, type RoundRow } from './rounds.js';

function wrongStatus(round: RoundRow, action: string): AppError {
  return new ConflictError('invalid_round_status', `Cannot ${action} a round that is ${round.status}`);
}

function assertClosesInFuture(closesAt: Date | null, now: Date) {
  if (closesAt && closesAt.getTime() <= now.getTime()) {
    throw new AppError(409, 'closes_at_passed', 'closesAt lies in the past: set a later closing date first', [
      { path: 'body.closesAt', message: 'Must be in the future' },
    ]);
  }
}

async function lockedRound(tx: Transaction<DB>, roundId: string): Promise<RoundRow> {
  const round = await lockRound(tx, roundId);
  if (!round) throw new NotFoundError('Round');
  return round;
}

/** draft -> open. Respondents can answer from opensAt (or now) until closesAt. */
export async function openRound(tx: Transaction<DB>, roundId: string, now = new Date()): Promise<RoundRow> {
  const round = await lockedRound(tx, roundId);
  if (round.status !== 'draft') throw wrongStatus(round, 'open');
  assertClosesInFuture(round.closes_at, now);
  return tx
    .updateTable('rounds')
    .set({ status: 'open', opened_at: now })
    .where('id', '=', roundId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * open -> closed, then onClosed (the app's RoundLifecycleHooks.roundClosed) in the same transaction. The round's write lock taken
 * exclusively waits for the answer writes in flight, and writes that come later find the round
 * closing (or closed): the handlers see the final set of responses.
 */
export async function closeRound(tx: Transaction<DB>, roundId: string, onClosed: RoundClosedHandler, now = new Date()): Promise<RoundRow> {
  const round = await lockedRound(tx, roundId);
  if (round.status !== 'open') throw wrongStatus(round, 'close');
  await sql`select pg_advisory_xact_lock(${ROUND_WRITE_LOCK_CLASS}::int4, ${roundLockKey(roundId)}::int4)`.execute(tx);
  const closed = await tx
    .updateTable('rounds')
    .set({ status: 'closed', closed_at: now })
    .where('id', '=', roundId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await onClosed(tx, roundId);
  return closed;
}

/** closed -> open, optionally with a new closing date (needed when the old one has passed). */
export async function reopenRound(tx: Transaction<DB>, roundId: string, opts: { closesAt?: Date | null } = {}, now = new Date()): Promise<RoundRow> {
  const round = await lockedRound(tx, roundId);
  if (round.status !== 'closed') throw wrongStatus(round, 'reopen');
  if (round.raw_purged_at) throw new ConflictError('round_purged', 'The raw answers of this round were purged; it cannot be reopened');
  const closesAt = opts.closesAt !== undefined ? opts.closesAt : round.closes_at;
  if (closesAt && round.opens_at && closesAt.getTime() <= round.opens_at.getTime()) {
    throw new AppError(400, 'validation_failed', 'closesAt must be after opensAt', [{ path: 'body.closesAt', message: 'Must be after opensAt' }]);
  }
  assertClosesInFuture(closesAt, now);
  return tx
    .updateTable('rounds')
    .set({ status: 'open', closed_at: null, closes_at: closesAt })
    .where('id', '=', roundId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
