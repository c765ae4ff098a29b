// Snapshots keep a round's published aggregates (the result model without a segment filter) when the
// retention period purges its raw answers. Saved at close and again right before the purge.
import { sql } from 'kysely';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import type { Db } from './aggregate.js';
import { buildResultModel } from './build.js';

/** Builds the round's result model and stores it as the round's snapshot (replacing an older one). */
export async function saveRoundSnapshot(tx: Db, roundId: string, now: Date = new Date()): Promise<ResultModel> {
  const model = await buildResultModel(tx, roundId, { now, allowSnapshot: false });
  const json = JSON.stringify(model);
  await tx
    .insertInto('round_snapshots')
    .values({ round_id: roundId, result: json, created_at: now })
    .onConflict((oc) => oc.column('round_id').doUpdateSet({ result: json, created_at: now }))
    .execute();
  return model;
}

/** The stored snapshot of a round, validated; undefined when none was kept. */
export async function loadSnapshot(db: Db, roundId: string): Promise<ResultModel | undefined> {
  const row = await db.selectFrom('round_snapshots').select(sql<unknown>`result`.as('result')).where('round_id', '=', roundId).executeTakeFirst();
  if (!row) return undefined;
  const value = typeof row.result === 'string' ? JSON.parse(row.result) : row.result;
  return ResultModelSchema.parse(value);
}
