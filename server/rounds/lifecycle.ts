// Round status changes: draft -> open -> closed -> (reopen) open. Each takes the caller's transaction
// (e.g. from withTenantScope) and locks the round row first, so two clicks or two instances cannot
// interleave. closeRound runs the caller's roundClosed handler (hooks.ts) in the same transaction;
// closeRoundStaged (what the close route and the auto-close use) does the heavy part of it before,
// in short steps, so the one embedded connection is not held for the whole release build.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError, ConflictError, NotFoundError } from '../lib/errors.js';
import type { RoundClosedHandler, ScopedRun } from './hooks.js';
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

/** Closes under way in this process, by round id (a second click waits for the first). */
const closing = new Map<string, Promise<unknown>>();

/** Whether this process is closing the round right now (the auto-close leaves it alone). */
export function closeInProgress(roundId: string): boolean {
  return closing.has(roundId);
}

/**
 * open -> closed in three stages, each database step a short transaction of its own through `run`
 * (withTenantScope for a person, withSystemScope for the auto-close):
 *
 * 1. Stop the answers: lock the round, wait for the answer writes in flight (the write lock taken
 *    exclusively), and set its closing date to now. From then on every write path refuses the round
 *    (the SQL functions and roundOkSql check `closes_at > now()`), and a respondent sees it closed.
 * 2. The handler's prepare (the release build) in short steps, yielding to the event loop between
 *    them, so other requests (health checks, autosaves of other rounds) are served meanwhile.
 * 3. Close: lock the round again, check it is still open, take the write lock, mark it closed with
 *    its own closing date back, and run the handler with what prepare returned (it checks that the
 *    responses did not change and stores the release; otherwise it builds it right there).
 *
 * A failure in 2 or 3 puts the closing date back (the round answers again, or stays due for the
 * auto-close when its date had passed), and the error is thrown. A process that dies in stage 2 leaves
 * an open round whose closing date has passed: the auto-close sweep (closeExpiredRounds) finishes it.
 */
export async function closeRoundStaged(run: ScopedRun, roundId: string, onClosed: RoundClosedHandler, now = new Date()): Promise<RoundRow> {
  const inFlight = closing.get(roundId);
  if (inFlight) {
    // After it: closed (this one then fails with invalid_round_status) or open again (this one closes).
    await inFlight.catch(() => undefined);
    return closeRoundStaged(run, roundId, onClosed, now);
  }
  const work = closeInStages(run, roundId, onClosed, now);
  closing.set(roundId, work);
  try {
    return await work;
  } finally {
    closing.delete(roundId);
  }
}

async function closeInStages(run: ScopedRun, roundId: string, onClosed: RoundClosedHandler, now: Date): Promise<RoundRow> {
  const step: ScopedRun = async (fn) => {
    await yieldToLoop();
    return run(fn);
  };
  const stop = await step(async (tx) => {
    const round = await lockedRound(tx, roundId);
    if (round.status !== 'open') throw wrongStatus(round, 'close');
    await sql`select pg_advisory_xact_lock(${ROUND_WRITE_LOCK_CLASS}::int4, ${roundLockKey(roundId)}::int4)`.execute(tx);
    const { rows } = await sql<{ closes_at: Date }>`
      update rounds set closes_at = least(${now}::timestamptz, date_trunc('milliseconds', now())) where id = ${roundId}::uuid returning closes_at`.execute(tx);
    return { original: round.closes_at, stoppedAt: rows[0]!.closes_at };
  });
  try {
    const prepared = onClosed.prepare ? await onClosed.prepare(step, roundId, now) : undefined;
    const closed = await step(async (tx) => {
      const round = await lockedRound(tx, roundId);
      if (round.status !== 'open') throw wrongStatus(round, 'close');
      await sql`select pg_advisory_xact_lock(${ROUND_WRITE_LOCK_CLASS}::int4, ${roundLockKey(roundId)}::int4)`.execute(tx);
      const sameStop = round.closes_at?.getTime() === new Date(stop.stoppedAt).getTime();
      const closed = await tx
        .updateTable('rounds')
        .set({ status: 'closed', closed_at: now, ...(sameStop ? { closes_at: stop.original } : {}) })
        .where('id', '=', roundId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await onClosed(tx, roundId, prepared);
      return closed;
    });
    // The round is closed; what is left is tidying, which must not fail the close.
    if (onClosed.afterClose) await onClosed.afterClose(step, roundId, prepared).catch(() => undefined);
    return closed;
  } catch (err) {
    // Recoverable: the closing date goes back (unless someone changed it meanwhile).
    await run((tx) =>
      tx
        .updateTable('rounds')
        .set({ closes_at: stop.original })
        .where('id', '=', roundId)
        .where('status', '=', 'open')
        .where('closes_at', '=', stop.stoppedAt)
        .execute(),
    ).catch(() => undefined);
    throw err;
  }
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
