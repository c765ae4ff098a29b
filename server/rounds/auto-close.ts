// Rounds whose closing date has passed stop taking answers at once (assertAnswerable), but closing
// them also contributes to the benchmark pool and writes the snapshot (the roundClosed handler). The
// periodic sweep calls this so a round with a closing date is closed without anyone clicking.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import type { RoundClosedHandler } from './hooks.js';
import { closeRound } from './lifecycle.js';

export interface AutoCloseResult {
  closed: string[];
  failed: Array<{ roundId: string; error: string }>;
}

export async function closeExpiredRounds(db: Kysely<DB>, onClosed: RoundClosedHandler, now = new Date(), limit = 50): Promise<AutoCloseResult> {
  const due = await db
    .selectFrom('rounds')
    .select('id')
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .limit(limit)
    .execute();
  const result: AutoCloseResult = { closed: [], failed: [] };
  for (const { id } of due) {
    try {
      // Each round in its own transaction: one failing handler does not hold back the others.
      await db.transaction().execute((tx) => closeRound(tx, id, onClosed, now));
      result.closed.push(id);
    } catch (err) {
      // Another instance or a person closed it meanwhile: nothing to do.
      if (err instanceof AppError && err.code === 'invalid_round_status') continue;
      result.failed.push({ roundId: id, error: (err as Error).message });
    }
  }
  return result;
}
