// The results work that belongs to closing a round (pool contribution, then publishing the release and
// its snapshot, and the extras; a failure rolls the close back) and to the retention purge (release
// and snapshot first). The composition root (server/app.ts) hands resultRoundHooksFor(its driver) to whatever closes
// or purges rounds.
//
// Closing in stages (closeRoundStaged): onRoundClosed.prepare builds the release and its extras in
// short steps before the close transaction; inside it, onRoundClosed stores them when the submitted
// responses and the latest release are still those the build saw, and builds them there otherwise.
import type { BeforePurge, PrepareClose, RoundClosedHandler, RoundLifecycleHooks, ScopedRun } from '../rounds/hooks.js';
import { sql } from 'kysely';
import { STEP_TARGET_MS, type Db, type DbRun } from './aggregate.js';
import { prepareRelease, preparedStillValid, type PreparedRelease } from './build.js';
import { deleteOrphanParts, dropCopiedMainPart } from './release-store.js';
import { ensureResultExtras, ExtrasFeed, prepareExtras, type PreparedExtras } from './modules/store.js';
import { contributeToPool } from './pool.js';
import { saveRoundSnapshot } from './snapshots.js';

interface PreparedClose {
  kind: 'results-close';
  release: PreparedRelease;
  extras: PreparedExtras | null;
}

// PostgreSQL's JIT compiler would spend longer compiling a large aggregate than running it (as
// aggregateAnswers notes); off in every step of the build and in the close transaction. (Measured: the
// build's queries stay below jit_above_cost up to 10,000 respondents, so this was not what made the
// PostgreSQL close slow; that was the query set run once per view, which the staged build replaced.)
const noJit = (tx: Db) => sql`set local jit = off`.execute(tx);

/**
 * The close's build, its chunked steps aimed at `stepTargetMs` each (STEP_TARGET_MS says why per
 * driver); with `overlap` (PostgreSQL) a chunked pass reads its next chunk while it uses the last one.
 */
const prepareCloseWith = (stepTargetMs: number, overlap: boolean): PrepareClose => async (run, roundId, now) => {
  const step: DbRun = Object.assign(
    <T>(fn: (db: Db) => Promise<T>) =>
      run(async (tx) => {
        await noJit(tx);
        return fn(tx);
      }),
    { stepTargetMs, overlap },
  );
  if (!overlap) {
    // The embedded database: the extras after the release, reading their respondents. Fed from the
    // answer pass beside it instead (as below), the 100,000-respondent close took as long (20.2 s
    // against 20.3 s) while other requests waited longer (/health/ready p99 81 ms against 54 ms) and
    // the peak RSS was ~90 MB higher.
    const release = await prepareRelease(step, roundId, { now });
    const extras = release.release ? await prepareExtras(step, release.release, release.earlier) : null;
    return { kind: 'results-close', release, extras } satisfies PreparedClose;
  }
  // PostgreSQL: the extras rest on the respondents the release will cover, so they are composed side
  // by side with the release (their composition on a worker thread) instead of after it: at 100,000
  // respondents they were the last ~3.4 s of the close. Their respondents are handed over from the
  // release's answer pass (ExtrasFeed) rather than read again on connections of their own: the close
  // took as long, but the main thread parsed no second copy of the rows (/health/ready from another
  // process: max 96 ms against 110-149 ms).
  const feed = new ExtrasFeed();
  let early: { covered: readonly string[]; extras: Promise<PreparedExtras> } | undefined;
  let release: PreparedRelease;
  try {
    release = await prepareRelease(step, roundId, { now, extrasFeed: feed }, (plan) => {
      const extras = prepareExtras(step, plan, plan.earlier, feed);
      extras.catch(() => undefined); // awaited below
      early = { covered: plan.covered, extras };
    });
  } catch (err) {
    feed.fail(err);
    await early?.extras.catch(() => undefined);
    throw err;
  }
  let extras: PreparedExtras | null = null;
  const built = release.release;
  if (built && early && sameList(early.covered, built.covered)) extras = await early.extras;
  else {
    // Not due, or the respondents changed under the build. The close transaction then finds the build
    // stale and builds both again; the extras here still rest on the release as built.
    await early?.extras.catch(() => undefined);
    if (built) extras = await prepareExtras(step, built, release.earlier);
  }
  return { kind: 'results-close', release, extras } satisfies PreparedClose;
};

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

const isPrepared = (p: unknown, roundId: string): p is PreparedClose =>
  typeof p === 'object' && p !== null && (p as PreparedClose).kind === 'results-close' && (p as PreparedClose).release.roundId === roundId;

/** Stores what the build prepared inside the close transaction (or builds it there when it is stale). */
const storeOnClose = async (tx: Parameters<RoundClosedHandler>[0], roundId: string, prepared?: unknown) => {
  await noJit(tx);
  const p = isPrepared(prepared, roundId) && (await preparedStillValid(tx, prepared.release)) ? prepared : undefined;
  await contributeToPool(tx, roundId, p?.release.whole);
  await saveRoundSnapshot(tx, roundId, p?.release.release ? new Date(p.release.release.createdAt) : new Date(), p?.release);
  await ensureResultExtras(tx, roundId, p?.extras); // issue 17: stored with the release it rests on
};

/** After the staged close: the part the stored release's unfiltered view was copied from (kept out of the close transaction). */
const dropPreparedMainPart = async (run: ScopedRun, roundId: string, prepared?: unknown) => {
  const s = isPrepared(prepared, roundId) ? prepared.release.serialized : null;
  if (s) await run((tx) => dropCopiedMainPart(tx, s));
};

// A function of its own per target (Object.assign on storeOnClose itself would share one prepare).
const onRoundClosedWith = (mode: keyof typeof STEP_TARGET_MS): RoundClosedHandler =>
  Object.assign((tx: Parameters<RoundClosedHandler>[0], roundId: string, prepared?: unknown) => storeOnClose(tx, roundId, prepared), {
    prepare: prepareCloseWith(STEP_TARGET_MS[mode], mode === 'postgres'),
    afterClose: dropPreparedMainPart,
  });

/** On the embedded database's step target; resultRoundHooksFor picks the driver's. */
export const onRoundClosed: RoundClosedHandler = onRoundClosedWith('embedded');

/** Before the retention sweep deletes a round's raw answers, keep its result model. */
export const beforeRawPurge: BeforePurge = async (tx, roundId) => {
  // Parts of a close that failed or crashed before its release row was written (never read).
  await deleteOrphanParts(tx, roundId);
  await saveRoundSnapshot(tx, roundId);
  await ensureResultExtras(tx, roundId);
};

export const resultRoundHooks: RoundLifecycleHooks = { roundClosed: onRoundClosed, beforePurge: beforeRawPurge };

/** The results hooks for a driver: the close's steps aimed at that driver's STEP_TARGET_MS. */
export function resultRoundHooksFor(mode: keyof typeof STEP_TARGET_MS): RoundLifecycleHooks {
  return { roundClosed: onRoundClosedWith(mode), beforePurge: beforeRawPurge };
}
