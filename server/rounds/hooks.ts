// What closing a round and purging its raw answers must also do. The composition root (server/app.ts)
// builds one RoundLifecycleHooks from the features that need it (results: pool entry and snapshot) and
// hands it to the routes and the retention sweeper; every function that closes or purges takes the
// handler as a required argument, so no entry point can close or purge without deciding what runs.
//
// roundClosed runs inside the transaction that closes the round: a handler that throws rolls the close
// back. No answer can be written for the round meanwhile (see roundOkSql in responses.ts: writes and
// the close share an advisory lock), so it sees the final responses.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

export type RoundClosedHandler = (tx: Transaction<DB>, roundId: string) => Promise<void>;

/** Runs inside the purge transaction before anything is deleted, e.g. to write the round snapshot. */
export type BeforePurge = (tx: Transaction<DB>, roundId: string) => Promise<void>;

export interface RoundLifecycleHooks {
  roundClosed: RoundClosedHandler;
  beforePurge: BeforePurge;
}
