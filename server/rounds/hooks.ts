// What closing a round and purging its raw answers must also do. The composition root (server/app.ts)
// builds one RoundLifecycleHooks from the features that need it (results: pool entry and snapshot) and
// hands it to the routes and the retention sweeper; every function that closes or purges takes the
// handler as a required argument, so no entry point can close or purge without deciding what runs.
//
// roundClosed runs inside the (short) transaction that marks the round closed: a handler that throws
// rolls the close back. No answer can be written for the round meanwhile (see roundOkSql in
// responses.ts: writes and the close share an advisory lock, and a round whose close has started has
// its closing date set to the start), so it sees the final responses. The heavy part may be done
// before that transaction by the handler's optional `prepare` (see closeRoundStaged in lifecycle.ts):
// it runs in short steps of its own while answers are already refused, and what it returns is handed
// to the handler, which checks inside the transaction that nothing it rests on changed.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/** Runs database work in one short transaction of its own (a tenant or system scope). */
export type ScopedRun = <T>(fn: (tx: Transaction<DB>) => Promise<T>) => Promise<T>;

/** The heavy close work, before the close transaction; its result is the handler's `prepared`. */
export type PrepareClose = (run: ScopedRun, roundId: string, now: Date) => Promise<unknown>;

export type RoundClosedHandler = ((tx: Transaction<DB>, roundId: string, prepared?: unknown) => Promise<void>) & {
  prepare?: PrepareClose;
  /** Tidying after the staged close committed (its own step; a failure leaves only what it would have removed). */
  afterClose?: (run: ScopedRun, roundId: string, prepared?: unknown) => Promise<void>;
};

/** Runs inside the purge transaction before anything is deleted, e.g. to write the round snapshot. */
export type BeforePurge = (tx: Transaction<DB>, roundId: string) => Promise<void>;

export interface RoundLifecycleHooks {
  roundClosed: RoundClosedHandler;
  beforePurge: BeforePurge;
}
