// The periodic retention sweep. A PostgreSQL advisory lock (session-level, on one pinned connection)
// makes sure only one instance sweeps at a time; the others skip that turn.
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { deleteExpiredSessions, deleteOldLoginAttempts } from '../auth/login.js';
import { deleteExpiredAuditEvents } from '../audit/record.js';
import type { DB } from '../db/schema.js';
import { closeExpiredRounds, type AutoCloseResult } from '../rounds/auto-close.js';
import type { RoundLifecycleHooks } from '../rounds/hooks.js';
import { purgeExpiredRounds, type PurgeResult } from './retention.js';

export const RETENTION_LOCK_KEY = 74210002;

export type SweepResult =
  | { ran: false }
  | ({ ran: true; sessionsDeleted: number; loginAttemptsDeleted: number; autoClosed: AutoCloseResult } & PurgeResult);

/** The app's close and purge handlers (required: a sweep closes and purges rounds), and the clock. */
export interface SweepOptions extends RoundLifecycleHooks {
  now?: Date;
}

/**
 * One sweep, unless another instance is sweeping: purge raw answers past their retention, delete old
 * sessions and login attempts, then close rounds whose closing date has passed (and finish closes a
 * process left unfinished).
 */
export async function runRetentionSweep(db: Kysely<DB>, opts: SweepOptions): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const swept = await db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${RETENTION_LOCK_KEY}) as locked`.execute(conn);
    if (!rows[0]?.locked) return { ran: false } as const;
    try {
      const purge = await purgeExpiredRounds(conn, now, { beforePurge: opts.beforePurge });
      const sessionsDeleted = await deleteExpiredSessions(conn, now);
      const loginAttemptsDeleted = await deleteOldLoginAttempts(conn, now);
      await deleteExpiredAuditEvents(conn, now);
      return { ran: true as const, sessionsDeleted, loginAttemptsDeleted, ...purge };
    } finally {
      await sql`select pg_advisory_unlock(${RETENTION_LOCK_KEY})`.execute(conn);
    }
  });
  if (!swept.ran) return swept;
  // The auto-close after the pinned connection is given back: it runs in short system-scoped steps
  // (closeRoundStaged), so on the embedded database (one connection) other requests go on meanwhile.
  // Rounds due at `now` and not purged are closed here; the purge only touches closed rounds, so it
  // picks up the rounds closed now at the next turn, as it did before.
  const autoClosed = await closeExpiredRounds(db, opts.roundClosed, now);
  return { ...swept, autoClosed };
}

export interface RetentionSweeper {
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

export interface SweeperOptions extends RoundLifecycleHooks {
  intervalMs: number;
  /** Delay before the first sweep (default: one minute, so start-up stays light). */
  firstDelayMs?: number;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  onSweep?: (result: SweepResult) => void;
}

/** Sweeps every intervalMs with a self-rescheduling, unref'd timer; runs never overlap. */
export function startRetentionSweeper(db: Kysely<DB>, opts: SweeperOptions): RetentionSweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const tick = () => {
    running = (async () => {
      try {
        const result = await runRetentionSweep(db, { roundClosed: opts.roundClosed, beforePurge: opts.beforePurge });
        if (result.ran && (result.autoClosed.closed.length > 0 || result.autoClosed.failed.length > 0)) {
          opts.log?.info({ closed: result.autoClosed.closed.length, failed: result.autoClosed.failed }, 'rounds past their closing date closed');
        }
        if (result.ran && (result.purged.length > 0 || result.failed.length > 0)) {
          opts.log?.info({ purged: result.purged.length, failed: result.failed }, 'retention sweep purged raw answers');
        }
        opts.onSweep?.(result);
      } catch (err) {
        opts.log?.warn({ err: { message: (err as Error).message } }, 'retention sweep failed; next turn retries');
      }
    })();
    void running.finally(() => {
      running = undefined;
      if (!stopped) schedule(opts.intervalMs);
    });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  schedule(opts.firstDelayMs ?? Math.min(60_000, opts.intervalMs));

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
