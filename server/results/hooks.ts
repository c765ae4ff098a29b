// Registers the results work that belongs to closing a round (pool contribution, then publishing the
// release and its snapshot, inside the close transaction: a failure rolls the close back) and to the
// retention purge (release and snapshot first).
import { registerBeforePurge, type BeforePurge } from '../data-rights/retention.js';
import { roundClosedHandlers, type RoundClosedHandler } from '../rounds/hooks.js';
import { contributeToPool } from './pool.js';
import { saveRoundSnapshot } from './snapshots.js';

export const onRoundClosed: RoundClosedHandler = async (tx, roundId) => {
  await contributeToPool(tx, roundId);
  await saveRoundSnapshot(tx, roundId);
};

/** Before the retention sweep deletes a round's raw answers, keep its result model. */
export const beforeRawPurge: BeforePurge = async (tx, roundId) => {
  await saveRoundSnapshot(tx, roundId);
};

/** Idempotent: importing this module (or calling this) registers the handlers once. */
export function registerResultHooks(): void {
  if (!roundClosedHandlers.includes(onRoundClosed)) roundClosedHandlers.push(onRoundClosed);
  registerBeforePurge(beforeRawPurge);
}

registerResultHooks();
