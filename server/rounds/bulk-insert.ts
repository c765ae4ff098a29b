// Many submitted responses at once (demo seeding, CSV import): multi-row inserts in batches, in the
// caller's transaction. The caller has validated the rows; the tables' constraints are the last wall.
import type { Transaction } from 'kysely';
import type { DB, FormKind } from '../db/schema.js';

export interface BulkResponse {
  form: FormKind;
  language: 'nl' | 'en';
  background: {
    department: string | null;
    role: 'employee' | 'manager' | null;
    education: string | null;
    contract: 'permanent' | 'flexible' | null;
    age_band: string | null;
  };
  answers: Array<{ item_id: string; value: number | null }>;
  factors?: Array<{ factor_id: string; value: number | null }>;
  /** Anonymous employee placements. */
  placements?: Array<{ frame: 'past' | 'current' | 'desired'; x: number; y: number }>;
}

const RESPONSE_BATCH = 500;
const ROW_BATCH = 5000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROW_BATCH) await insert(rows.slice(i, i + ROW_BATCH));
}

/** Inserts submitted responses with their answers, factor ratings and placements, dated `day`. */
export async function insertSubmittedResponses(
  tx: Transaction<DB>,
  roundId: string,
  channel: 'demo' | 'import',
  day: Date,
  responses: BulkResponse[],
): Promise<void> {
  for (let start = 0; start < responses.length; start += RESPONSE_BATCH) {
    const chunk = responses.slice(start, start + RESPONSE_BATCH);
    const ids = await tx
      .insertInto('responses')
      .values(
        chunk.map((r) => ({
          round_id: roundId,
          form: r.form,
          channel,
          language: r.language,
          status: 'submitted' as const,
          ...r.background,
          started_at: day,
          updated_at: day,
          submitted_at: day,
        })),
      )
      .returning('id')
      .execute();
    if (ids.length !== chunk.length) throw new Error('bulk insert: the response insert returned a different number of rows');
    const idOf = (i: number) => ids[i]!.id;
    await insertInBatches(
      chunk.flatMap((r, i) => r.answers.map((a) => ({ response_id: idOf(i), item_id: a.item_id, value: a.value }))),
      (batch) => tx.insertInto('answers').values(batch).execute(),
    );
    await insertInBatches(
      chunk.flatMap((r, i) => (r.factors ?? []).map((f) => ({ response_id: idOf(i), factor_id: f.factor_id, value: f.value }))),
      (batch) => tx.insertInto('factor_answers').values(batch).execute(),
    );
    await insertInBatches(
      chunk.flatMap((r, i) =>
        (r.placements ?? []).map((p) => ({ round_id: roundId, participant_group: 'employee' as const, response_id: idOf(i), frame: p.frame, x: p.x, y: p.y, updated_at: day })),
      ),
      (batch) => tx.insertInto('placements').values(batch).execute(),
    );
  }
}
