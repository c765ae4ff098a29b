// Storage of result releases (what a closed round publishes) and of the older round snapshots. Only
// reading and writing rows: deciding what a release holds is build.ts and scans/disclosure.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import type { Db } from './aggregate.js';

export interface StoredRelease {
  roundId: string;
  seq: number;
  main: ResultModel;
  /** Segment views that may be served, by `dimension:value`. */
  segments: Record<string, ResultModel>;
  /** Response ids the release rests on (internal; never served). */
  covered: string[];
  createdAt: string;
}

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toRelease(row: { round_id: string; seq: number; main: unknown; segments: unknown; covered_responses: unknown; created_at: Date }): StoredRelease {
  const segments = parse(row.segments) as Record<string, unknown>;
  return {
    roundId: row.round_id,
    seq: Number(row.seq),
    main: ResultModelSchema.parse(parse(row.main)),
    segments: Object.fromEntries(Object.entries(segments).map(([key, m]) => [key, ResultModelSchema.parse(m)])),
    covered: (parse(row.covered_responses) as string[]) ?? [],
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const columns = ['round_id', 'seq', sql<unknown>`main`.as('main'), sql<unknown>`segments`.as('segments'), sql<unknown>`covered_responses`.as('covered_responses'), 'created_at'] as const;

/** Every release of a round, oldest first. */
export async function loadReleases(db: Db, roundId: string): Promise<StoredRelease[]> {
  const rows = await db.selectFrom('result_releases').select(columns).where('round_id', '=', roundId).orderBy('seq').execute();
  return rows.map(toRelease);
}

/** The release everybody sees: the latest one; undefined before the first close. */
export async function loadLatestRelease(db: Db, roundId: string): Promise<StoredRelease | undefined> {
  const row = await db.selectFrom('result_releases').select(columns).where('round_id', '=', roundId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? toRelease(row) : undefined;
}

/**
 * One view of the round's latest release, read alone: the unfiltered view (key null) or the segment
 * view `dimension:value` (undefined view when the release does not hold it). The database extracts the
 * view, so a request does not read and parse every segment view of a large round. Views are validated
 * when they are written (insertRelease), not on every read.
 */
export async function loadLatestView(
  db: Db,
  roundId: string,
  key: string | null,
): Promise<{ seq: number; view: ResultModel | undefined } | undefined> {
  const row = await db
    .selectFrom('result_releases')
    .select(['seq', key === null ? sql<string | null>`main::text`.as('view') : sql<string | null>`(segments -> ${key})::text`.as('view')])
    .where('round_id', '=', roundId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return { seq: Number(row.seq), view: row.view === null ? undefined : (JSON.parse(row.view) as ResultModel) };
}

export async function insertRelease(db: Db, release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date }): Promise<void> {
  await insertSerializedRelease(db, serializeRelease(release));
}

/** A release validated and turned into the column texts, ready to insert (done outside the close transaction). */
export interface SerializedRelease {
  roundId: string;
  seq: number;
  main: string;
  segments: string;
  covered: string;
  createdAt?: Date;
}

export function serializeRelease(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }): SerializedRelease {
  // Validated here, once: readers of a single view (loadLatestView) trust what was written.
  // What is stored is the parsed view (unknown keys stripped), so a reader may serve it as it is.
  const main = ResultModelSchema.parse(release.main);
  const segments = Object.fromEntries(Object.entries(release.segments).map(([key, view]) => [key, ResultModelSchema.parse(view)]));
  return serialized(release, main, segments);
}

function serialized(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }, main: ResultModel, segments: Record<string, ResultModel>): SerializedRelease {
  return {
    roundId: release.roundId,
    seq: release.seq,
    main: JSON.stringify(main),
    segments: JSON.stringify(segments),
    covered: JSON.stringify(release.covered),
    ...(release.createdAt ? { createdAt: new Date(release.createdAt) } : {}),
  };
}

/** serializeRelease giving the event loop back between views (a large release's views take a while to validate). */
export async function serializeReleaseInSteps(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }): Promise<SerializedRelease> {
  const main = ResultModelSchema.parse(release.main);
  const segments: Record<string, ResultModel> = {};
  for (const [key, view] of Object.entries(release.segments)) {
    await yieldToLoop();
    segments[key] = ResultModelSchema.parse(view);
  }
  return serialized(release, main, segments);
}

export async function insertSerializedRelease(db: Db, release: SerializedRelease): Promise<void> {
  await db
    .insertInto('result_releases')
    .values({
      round_id: release.roundId,
      seq: release.seq,
      main: release.main,
      segments: release.segments,
      covered_responses: release.covered,
      ...(release.createdAt ? { created_at: release.createdAt.toISOString() } : {}),
    })
    .onConflict((oc) => oc.columns(['round_id', 'seq']).doNothing())
    .execute();
}

/** The stored snapshot of a round (rounds closed before releases existed), validated; undefined when none was kept. */
export async function loadSnapshot(db: Db, roundId: string): Promise<ResultModel | undefined> {
  const row = await db.selectFrom('round_snapshots').select(sql<unknown>`result`.as('result')).where('round_id', '=', roundId).executeTakeFirst();
  if (!row) return undefined;
  return ResultModelSchema.parse(parse(row.result));
}
