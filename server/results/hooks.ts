// The results work that belongs to closing a round (pool contribution, then publishing the release and
// its snapshot, inside the close transaction: a failure rolls the close back) and to the retention purge
// (release and snapshot first). The composition root (server/app.ts) hands resultRoundHooks to whatever
// closes or purges rounds.
import type { BeforePurge, RoundClosedHandler, RoundLifecycleHooks } from '../rounds/hooks.js';
import { contributeToPool } from './pool.js';
import { saveRoundSnapshot } from './snapshots.js';
import { ensureResultExtras } from './modules/store.js';

export const onRoundClosed: RoundClosedHandler = async (tx, roundId) => {
  await contributeToPool(tx, roundId);
  await saveRoundSnapshot(tx, roundId);
  await ensureResultExtras(tx, roundId); // issue 17: stored with the release it rests on
};

/** Before the retention sweep deletes a round's raw answers, keep its result model. */
export const beforeRawPurge: BeforePurge = async (tx, roundId) => {
  await saveRoundSnapshot(tx, roundId);
  await ensureResultExtras(tx, roundId);
};

export const resultRoundHooks: RoundLifecycleHooks = { roundClosed: onRoundClosed, beforePurge: beforeRawPurge };
