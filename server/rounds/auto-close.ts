// Rounds whose closing date has passed stop taking answers at once (assertAnswerable), but closing
// them also contributes to the benchmark pool and writes the snapshot (the roundClosed handler). The
// periodic sweep calls this so a round with a closing date is closed without anyone clicking. It also
// finishes a close that a process started and did not complete (closeRoundStaged sets the closing
// date to the start of the close, so such a round is open with its date passed). Cross-tenant work:
// every step runs in withSystemScope (docs/security.md).
import type { Kysely } from 'kysely';
import { withSystemScope } from '../auth/tenant-scope.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import type { RoundClosedHandler, ScopedRun } from './hooks.js';
import { closeInProgress, closeRoundStaged } from './lifecycle.js';

export interface AutoCloseResult {
  closed: string[];
  failed: Array<{ roundId: string; error: string }>;
}

export async function closeExpiredRounds(db: Kysely<DB>, onClosed: RoundClosedHandler, now = new Date(), limit = 50): Promise<AutoCloseResult> {
  const run: ScopedRun = (fn) => withSystemScope(db, fn);
  const due = await run((tx) =>
    tx.selectFrom('rounds').select('id').where('status', '=', 'open').where('closes_at', '<=', now).orderBy('closes_at').limit(limit).execute(),
  );
  const result: AutoCloseResult = { closed: [], failed: [] };
  for (const { id } of due) {
    // A close this process is running (a person clicked close): it finishes on its own.
    if (closeInProgress(id)) continue;
    try {
      // Each round on its own: one failing handler does not hold back the others.
      await closeRoundStaged(run, id, onClosed, now);
      result.closed.push(id);
    } catch (err) {
      // Another instance or a person closed it meanwhile: nothing to do.
      if (err instanceof AppError && err.code === 'invalid_round_status') continue;
      result.failed.push({ roundId: id, error: (err as Error).message });
    }
  }
  return result;
}
