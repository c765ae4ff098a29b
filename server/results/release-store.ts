// Storage of result releases (what a closed round publishes) and of the older round snapshots. Only
// reading and writing rows: deciding what a release holds is build.ts and scans/disclosure.
//
// Layout (migration 0022): a release is its result_releases row (the unfiltered view `main`) and, in
// result_release_parts under the row's build id (parts_build), one row per segment view and the
// covered response ids in chunks. The parts are written first, each in a short transaction of its own
// (writeReleaseParts, before the close transaction), and the row last: the release is visible only
// once its row is, so a reader sees the previous release or none, never half of one. Releases stored
// before migration 0022 have parts_build null and keep their segment views and covered ids in the row.
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { inline, type Db, type DbRun } from './aggregate.js';

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

/** Covered response ids per part (~75 KB of JSON): one part is one short insert. */
export const COVERED_PART_IDS = 2000;

interface ReleaseRow {
  round_id: string;
  seq: number;
  main: unknown;
  segments: unknown;
  covered_responses: unknown;
  parts_build: string | null;
  created_at: Date;
}

type PartKind = 'main' | 'segment' | 'covered';

interface PartRow {
  seq: number;
  kind: PartKind;
  part_key: string;
  body: unknown;
}

/** Object keys in jsonb's order (shorter first, then bytewise): the order the one-row layout read back. */
function jsonbKeyOrder(a: string, b: string): number {
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function toRelease(row: ReleaseRow, parts: readonly PartRow[]): StoredRelease {
  let segments: Record<string, unknown>;
  let covered: string[];
  if (row.parts_build === null) {
    segments = (parse(row.segments) as Record<string, unknown>) ?? {};
    covered = (parse(row.covered_responses) as string[]) ?? [];
  } else {
    const views = parts.filter((p) => p.kind === 'segment').sort((a, b) => jsonbKeyOrder(a.part_key, b.part_key));
    segments = Object.fromEntries(views.map((p) => [p.part_key, parse(p.body)]));
    covered = parts
      .filter((p) => p.kind === 'covered')
      .sort((a, b) => Number(a.part_key) - Number(b.part_key))
      .flatMap((p) => parse(p.body) as string[]);
  }
  return {
    roundId: row.round_id,
    seq: Number(row.seq),
    main: ResultModelSchema.parse(parse(row.main)),
    segments: Object.fromEntries(Object.entries(segments).map(([key, m]) => [key, ResultModelSchema.parse(m)])),
    covered,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const columns = [
  'round_id',
  'seq',
  sql<unknown>`main`.as('main'),
  sql<unknown>`segments`.as('segments'),
  sql<unknown>`covered_responses`.as('covered_responses'),
  'parts_build',
  'created_at',
] as const;

/** The rows of `rows` with their parts (one query for all of them). */
async function withParts(db: Db, roundId: string, rows: readonly ReleaseRow[]): Promise<StoredRelease[]> {
  const builds = rows.map((r) => r.parts_build).filter((b): b is string => b !== null);
  const parts =
    builds.length === 0
      ? []
      : await db
          .selectFrom('result_release_parts as p')
          .innerJoin('result_releases as r', (j) => j.onRef('r.round_id', '=', 'p.round_id').onRef('r.seq', '=', 'p.seq').onRef('r.parts_build', '=', 'p.build'))
          .select(['p.seq', 'p.kind', 'p.part_key', sql<unknown>`p.body`.as('body')])
          .where('p.round_id', '=', roundId)
          .where('p.build', 'in', builds)
          .where('p.kind', 'in', ['segment', 'covered'])
          .execute();
  return rows.map((row) => toRelease(row, parts.filter((p) => Number(p.seq) === Number(row.seq))));
}

/** Every release of a round, oldest first. */
export async function loadReleases(db: Db, roundId: string): Promise<StoredRelease[]> {
  const rows = await db.selectFrom('result_releases').select(columns).where('round_id', '=', roundId).orderBy('seq').execute();
  return withParts(db, roundId, rows);
}

/** The release everybody sees: the latest one; undefined before the first close. */
export async function loadLatestRelease(db: Db, roundId: string): Promise<StoredRelease | undefined> {
  const row = await db.selectFrom('result_releases').select(columns).where('round_id', '=', roundId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? (await withParts(db, roundId, [row]))[0] : undefined;
}

/**
 * One view of the round's latest release, read alone: the unfiltered view (key null) or the segment
 * view `dimension:value` (undefined view when the release does not hold it). The database extracts the
 * view, so a request does not read and parse every segment view of a large round. Views are validated
 * when they are written (serializeRelease), not on every read. One statement, so the view is the
 * latest release's whatever is written meanwhile.
 */
export async function loadLatestView(
  db: Db,
  roundId: string,
  key: string | null,
): Promise<{ seq: number; view: ResultModel | undefined } | undefined> {
  const view =
    key === null
      ? sql<string | null>`r.main::text`
      : sql<string | null>`coalesce(
          (select p.body::text from result_release_parts p
           where p.round_id = r.round_id and p.seq = r.seq and p.build = r.parts_build and p.kind = 'segment' and p.part_key = ${key}),
          (r.segments -> ${key})::text)`;
  const row = await db
    .selectFrom('result_releases as r')
    .select(['r.seq', view.as('view')])
    .where('r.round_id', '=', roundId)
    .orderBy('r.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return { seq: Number(row.seq), view: row.view === null ? undefined : (JSON.parse(row.view) as ResultModel) };
}

/** Stores a release in one go (its parts, then its row) in the caller's transaction. */
export async function insertRelease(db: Db, release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date }): Promise<void> {
  const serialized = serializeRelease(release);
  await writeReleaseParts(inline(db), serialized);
  await insertSerializedRelease(db, serialized);
}

/** A release validated and turned into the texts of its parts, ready to write (done outside the close transaction). */
export interface SerializedRelease {
  roundId: string;
  seq: number;
  /** The id its parts are written under (result_release_parts.build, result_releases.parts_build). */
  build: string;
  main: string;
  /** Segment views by key, as JSON texts. */
  segments: Array<[string, string]>;
  /** The covered response ids in parts of COVERED_PART_IDS, as JSON texts. */
  covered: string[];
  createdAt?: Date;
}

export function serializeRelease(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }): SerializedRelease {
  // Validated here, once: readers of a single view (loadLatestView) trust what was written.
  // What is stored is the parsed view (unknown keys stripped), so a reader may serve it as it is.
  const out = start(release, JSON.stringify(ResultModelSchema.parse(release.main)));
  for (const [key, view] of Object.entries(release.segments)) out.segments.push([key, JSON.stringify(ResultModelSchema.parse(view))]);
  return out;
}

function start(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }, main: string): SerializedRelease {
  const covered: string[] = [];
  for (let i = 0; i < release.covered.length; i += COVERED_PART_IDS) covered.push(JSON.stringify(release.covered.slice(i, i + COVERED_PART_IDS)));
  return {
    roundId: release.roundId,
    seq: release.seq,
    build: randomUUID(),
    main,
    segments: [],
    covered,
    ...(release.createdAt ? { createdAt: new Date(release.createdAt) } : {}),
  };
}

/** serializeRelease giving the event loop back between views (a large release's views take a while to validate). */
export async function serializeReleaseInSteps(release: Omit<StoredRelease, 'createdAt'> & { createdAt?: Date | string }): Promise<SerializedRelease> {
  const out = start(release, JSON.stringify(ResultModelSchema.parse(release.main)));
  for (const [key, view] of Object.entries(release.segments)) {
    await yieldToLoop();
    out.segments.push([key, JSON.stringify(ResultModelSchema.parse(view))]);
  }
  return out;
}

const partCount = (s: SerializedRelease) => 1 + s.segments.length + s.covered.length;

/**
 * Writes the parts of a release, each part one step through `run` (a short transaction of its own when
 * run opens one), giving the event loop back between them. Invisible to readers until the release's
 * row is written (insertSerializedRelease), so their order does not matter: where steps run on
 * connections of their own (`run.overlap`, PostgreSQL) two are written at a time. The database
 * parses each part into jsonb: at 100,000 respondents the ~75 inserts took 440 ms in all, written in
 * 330 ms two at a time (406-453 ms one after the other).
 */
export async function writeReleaseParts(run: DbRun, s: SerializedRelease): Promise<void> {
  const parts: Array<[PartKind, string, string]> = [
    ['main', 'main', s.main],
    ...s.segments.map(([key, body]): [PartKind, string, string] => ['segment', key, body]),
    ...s.covered.map((body, i): [PartKind, string, string] => ['covered', String(i), body]),
  ];
  let next = 0;
  let failed = false;
  const lane = async () => {
    for (;;) {
      await yieldToLoop();
      if (failed || next >= parts.length) return;
      const [kind, key, body] = parts[next++]!;
      try {
        await run((db) =>
          db
            .insertInto('result_release_parts')
            .values({ round_id: s.roundId, seq: s.seq, build: s.build, kind, part_key: key, body })
            .onConflict((oc) => oc.doNothing())
            .execute(),
        );
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  // Every lane has stopped before this returns or throws (no write runs on after a failure).
  const lanes = await Promise.allSettled(Array.from({ length: run.overlap ? PART_WRITERS : 1 }, lane));
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Parts written at a time where steps overlap (writeReleaseParts). */
const PART_WRITERS = 2;

/**
 * Makes a release visible: writes its row, which names the build of its parts (written before by
 * writeReleaseParts; any that are missing, e.g. deleted by a concurrent close of the round, are
 * written here). The row's unfiltered view is copied from its part inside the database (and the part
 * dropped), so this transaction does not parse the view again. Parts of builds no release names (a failed or crashed
 * close of this round) are deleted. A release whose seq is already stored is left as it is.
 */
export async function insertSerializedRelease(
  db: Db,
  s: SerializedRelease,
  /**
   * Leave the unfiltered view's part for dropCopiedMainPart after the transaction: the staged close
   * does, because deleting that part (its large body) was the slowest statement of the close
   * transaction (26 ms of 104 at 10,000 respondents on the embedded database).
   */
  opts: { keepCopiedMain?: boolean } = {},
): Promise<void> {
  const have = await db
    .selectFrom('result_release_parts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('round_id', '=', s.roundId)
    .where('seq', '=', s.seq)
    .where('build', '=', s.build)
    .executeTakeFirst();
  if (Number(have?.n ?? 0) !== partCount(s)) await writeReleaseParts(inline(db), s);
  await sql`
    insert into result_releases (round_id, seq, main, segments, covered_responses, parts_build, created_at)
    select p.round_id, p.seq, p.body, '{}'::jsonb, '[]'::jsonb, p.build, coalesce(${s.createdAt?.toISOString() ?? null}::timestamptz, now())
    from result_release_parts p
    where p.round_id = ${s.roundId}::uuid and p.seq = ${s.seq} and p.build = ${s.build}::uuid and p.kind = 'main' and p.part_key = 'main'
    on conflict (round_id, seq) do nothing
  `.execute(db);
  // The row holds the unfiltered view now; its part was only the source of the copy.
  if (!opts.keepCopiedMain) await dropCopiedMainPart(db, s);
  await deleteOrphanParts(db, s.roundId);
}

/**
 * Deletes the part a release's unfiltered view was copied from (insertSerializedRelease). Readers never
 * read it (the row has the view), so until this runs it only takes space.
 */
export async function dropCopiedMainPart(db: Db, s: Pick<SerializedRelease, 'roundId' | 'seq' | 'build'>): Promise<void> {
  await sql`delete from result_release_parts where round_id = ${s.roundId}::uuid and seq = ${s.seq} and build = ${s.build}::uuid and kind = 'main'`.execute(db);
}

/**
 * Deletes the parts of the round's builds that no release names. Call only where no other build of the
 * round can still become a release: in the transaction that stores a release of the round (it holds
 * the round's lock: a concurrent close of it finds the round closed) or that purges it (closed).
 */
export async function deleteOrphanParts(db: Db, roundId: string): Promise<void> {
  await sql`
    delete from result_release_parts p
    where p.round_id = ${roundId}::uuid
      and not exists (select 1 from result_releases r where r.round_id = p.round_id and r.seq = p.seq and r.parts_build = p.build)
  `.execute(db);
}

/** The stored snapshot of a round (rounds closed before releases existed), validated; undefined when none was kept. */
export async function loadSnapshot(db: Db, roundId: string): Promise<ResultModel | undefined> {
  const row = await db.selectFrom('round_snapshots').select(sql<unknown>`result`.as('result')).where('round_id', '=', roundId).executeTakeFirst();
  if (!row) return undefined;
  return ResultModelSchema.parse(parse(row.result));
}
