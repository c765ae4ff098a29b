// Snapshots keep a round's published result model (the unfiltered view of its release) in
// round_snapshots, which the data export and the retention purge rely on. Saved at close and again
// right before the purge; the release itself (result_releases) is what every output reads.
import { sql } from 'kysely';
import type { ResultModel } from '../../scans/result-model.js';
import type { Db } from './aggregate.js';
import { ensureRelease, type PreparedRelease } from './build.js';
export { loadSnapshot } from './release-store.js';

/** Publishes the round's release when due (the prepared one, when given and checked by the caller) and stores its unfiltered view as the round's snapshot. */
export async function saveRoundSnapshot(tx: Db, roundId: string, now: Date = new Date(), prepared?: PreparedRelease): Promise<ResultModel> {
  const release = await ensureRelease(tx, roundId, { now, prepared });
  if (prepared?.release === release) {
    // Just stored by this transaction: copied from the release row inside the database, so the close
    // transaction does not send and parse the view again (the same text, so the same jsonb).
    await sql`
      insert into round_snapshots (round_id, result, created_at)
      select round_id, main, ${now} from result_releases where round_id = ${roundId}::uuid and seq = ${release.seq}
      on conflict (round_id) do update set result = excluded.result, created_at = excluded.created_at
    `.execute(tx);
    return release.main;
  }
  const json = JSON.stringify(release.main);
  await tx
    .insertInto('round_snapshots')
    .values({ round_id: roundId, result: json, created_at: now })
    .onConflict((oc) => oc.column('round_id').doUpdateSet({ result: json, created_at: now }))
    .execute();
  return release.main;
}
