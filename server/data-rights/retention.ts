// Retention: once a closed round is older than its organisation's retention_months (counted from
// closed_at), its raw data (responses with their answers, factor answers and anonymous placements)
// is deleted. Published aggregates stay: round_snapshots, pool_entries, checklist answers and the
// round itself, marked with raw_purged_at. A system job: it runs in the documented system scope
// (withSystemScope: across tenants, as lcs_app where the connection may switch; docs/security.md).
import { sql, type Kysely, type Transaction } from 'kysely';
import { withSystemScope } from '../auth/tenant-scope.js';
import type { DB } from '../db/schema.js';
import type { BeforePurge } from '../rounds/hooks.js';

export type { BeforePurge };

export interface PurgeOptions {
  /** Required: what must happen before a round's raw answers go (the app's: write the snapshot). */
  beforePurge: BeforePurge;
  /** At most this many rounds per call (the sweep comes back for the rest). */
  limit?: number;
}

export interface PurgeResult {
  purged: string[];
  /** Rounds whose purge threw (the transaction rolled back; nothing of that round changed). */
  failed: Array<{ roundId: string; error: string }>;
}

function expiredRounds(db: Kysely<DB> | Transaction<DB>, now: Date) {
  return db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .where('rounds.status', '=', 'closed')
    .where('rounds.raw_purged_at', 'is', null)
    .where('rounds.closed_at', 'is not', null)
    .where('organisations.retention_months', 'is not', null)
    .where(sql<boolean>`rounds.closed_at + make_interval(months => organisations.retention_months) <= ${now}`);
}

/** Purges the raw data of every expired closed round; each round in its own transaction. */
export async function purgeExpiredRounds(db: Kysely<DB>, now: Date, opts: PurgeOptions): Promise<PurgeResult> {
  const candidates = await withSystemScope(db, (tx) =>
    expiredRounds(tx, now)
      .select('rounds.id')
      .orderBy('rounds.closed_at')
      .limit(opts.limit ?? 1000)
      .execute(),
  );
  const result: PurgeResult = { purged: [], failed: [] };
  for (const { id } of candidates) {
    try {
      const done = await withSystemScope(db, async (tx) => {
        // Lock the round and check again: it may have been reopened or purged meanwhile.
        const still = await expiredRounds(tx, now).select('rounds.id').where('rounds.id', '=', id).forUpdate('rounds').executeTakeFirst();
        if (!still) return false;
        await opts.beforePurge(tx, id);
        // Answers, factor answers and employees' anonymous placements cascade from responses.
        await tx.deleteFrom('responses').where('round_id', '=', id).execute();
        await tx.updateTable('rounds').set({ raw_purged_at: now }).where('id', '=', id).execute();
        return true;
      });
      if (done) result.purged.push(id);
    } catch (err) {
      result.failed.push({ roundId: id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}
