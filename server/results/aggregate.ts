// SQL aggregation of a round's submitted answers. The database does the heavy lifting (one pass per
// respondent x scale, one per item x option); what comes back is small: counts and moments per group,
// which scans/ turns into statistics. Nothing here returns a single respondent's answers.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { CultureScanInstrument } from '../../scans/instruments/schemas.js';
import { minItemsForScore } from '../../scans/scoring/scales.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../scans/result-model.js';
import type { CodedContribution, RespondentContribution } from '../../scans/disclosure/model.js';
import type { DB, Db, FormKind } from '../db/schema.js';
import { PackReader, ratedIds } from './packs.js';

export type { Db };

/** Restricts every aggregate to the respondents of one group of one dimension. */
export interface SegmentFilter {
  dimension: SegmentDimension;
  /** A group key; NOT_STATED_KEY selects respondents who left the dimension empty. */
  value: string;
}

/** Submitted respondents per form and per group of each dimension (not stated = NOT_STATED_KEY). */
export interface RespondentCounts {
  byForm: Record<FormKind, number>;
  /** Employee form only. */
  byDimension: Record<SegmentDimension, Map<string, number>>;
}

export interface ScaleAggregate {
  /** Respondents with a scale score (2/3 rule) and the moments of those scores. */
  n: number;
  sum: number;
  sumSq: number;
  /** Valid keyed answers on the scale's items (every respondent) and how many are 4 or 5. */
  valid: number;
  favourable: number;
  /** Respondents with at least one valid answer on the scale (the n of `valid` and `favourable`). */
  respondents: number;
}

export interface ItemAggregate {
  /** Raw answer counts per option 1..5 (index 0 = option 1) and the number of "don't know" answers. */
  raw: [number, number, number, number, number];
  dontKnow: number;
  /**
   * Keyed sum and sum of squares over respondents who answered every item of the scale (for alpha),
   * and the sum of keyed value x the respondent's scale total (for the item-rest correlation).
   */
  complete: { n: number; sum: number; sumSq: number; sumTotal: number };
}

export interface AlphaTotals {
  n: number;
  sum: number;
  sumSq: number;
}

export interface FormAggregate {
  scales: Map<string, ScaleAggregate>;
  items: Map<string, ItemAggregate>;
  alphaTotals: Map<string, AlphaTotals>;
  /** Employee form only: per dimension -> group -> mechanism. */
  segments: Record<SegmentDimension, Map<string, Map<string, ScaleAggregate>>>;
}

/** A round's counts and per-form aggregates, as the result sections read them. */
export interface RoundAggregate {
  counts: RespondentCounts;
  forms: Record<FormKind, FormAggregate>;
}

function emptySegments<T>(): Record<SegmentDimension, Map<string, T>> {
  return Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Map<string, T>()])) as Record<SegmentDimension, Map<string, T>>;
}

export function emptyForm(): FormAggregate {
  return { scales: new Map(), items: new Map(), alphaTotals: new Map(), segments: emptySegments() };
}

/** `and r.<dimension> = value` (or `is null` for not stated); the dimension is from a fixed list. */
export function segmentCondition(filter: SegmentFilter | null | undefined, alias = 'r') {
  if (!filter) return sql``;
  if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(filter.dimension)) throw new RangeError('unknown dimension');
  const column = sql.ref(`${alias}.${filter.dimension}`);
  return filter.value === NOT_STATED_KEY ? sql`and ${column} is null` : sql`and ${column} = ${filter.value}`;
}

export const dimensionColumns = sql.raw(
  SEGMENT_DIMENSIONS.map((d) => `coalesce(${d}, '${NOT_STATED_KEY}') as ${d}`).join(', '),
);

/**
 * The submitted responses of a round among `ids`, looked up by the ids alone: a FROM item, aliased
 * `r`, with the given columns. Written as `where id = any(ids) and round_id = ...`, the planner may
 * walk the round's index and filter on the ids, reading every response of the round for each chunk
 * (seen on the demo database: 265 of 275 rows read and dropped for a chunk of 10). Where the round is
 * a small part of the table that is the plan it picks, and the chunked passes then grow with the
 * square of the round; the fence below rules it out whatever the statistics say.
 */
export function chunkResponses(ids: readonly string[], roundId: string, columns: RawBuilder<unknown>, also: RawBuilder<unknown> = sql``) {
  // OFFSET 0 keeps the inner query apart (not merged into the outer one), so it is planned on the ids alone.
  return sql`(select ${columns} from (select * from responses where id = any(${ids}::uuid[]) offset 0) r
    where r.round_id = ${roundId} and r.status = 'submitted' ${also}) r`;
}

/** The columns of chunkResponses that the answer passes group by: id, form and every dimension (raw). */
const ID_FORM_DIMENSIONS = sql.raw(['r.id', 'r.form', ...SEGMENT_DIMENSIONS.map((d) => `r.${d}`)].join(', '));

/** Submitted respondents per form and per (employee-form) group of every dimension. */
export async function countRespondents(db: Db, roundId: string, filter?: SegmentFilter | null): Promise<RespondentCounts> {
  const sets = SEGMENT_DIMENSIONS.map((d) => `(form, ${d})`).join(', ');
  const { rows } = await sql<Record<string, string | number | null>>`
    select form, ${sql.raw(SEGMENT_DIMENSIONS.join(', '))}, count(*)::int as n
    from (select form, ${dimensionColumns} from responses r
          where r.round_id = ${roundId} and r.status = 'submitted' ${segmentCondition(filter)}) s
    group by grouping sets ((form), ${sql.raw(sets)})
  `.execute(db);
  const counts: RespondentCounts = { byForm: { employee: 0, management: 0 }, byDimension: emptySegments() };
  for (const row of rows) {
    const form = row.form as FormKind;
    const n = Number(row.n);
    const dim = SEGMENT_DIMENSIONS.find((d) => row[d] !== null);
    if (!dim) counts.byForm[form] = n;
    else if (form === 'employee') counts.byDimension[dim].set(String(row[dim]), n);
  }
  return counts;
}

/**
 * Everything the mechanism, item, perspective, segment and alpha figures need. The database reduces
 * the answers to one row per respondent in one pass: per scale one integer that packs the answers in
 * base 7 (digit k is item k of the scale: 0 not answered, 1 "don't know", 2..6 answers 1..5; at most
 * 7 items per scale, so 7^7 - 1 fits). The per respondent x scale sums (2/3 rule), item x option counts
 * and alpha moments are then accumulated here in one loop. On 5,000 respondents x 42 items this is
 * several times faster than letting the database run those three aggregates itself (see
 * aggregateAnswersInSql in tests/helpers/aggregate-sql.ts, an independent cross-check), and
 * faster than shipping the answers as text.
 */
export async function aggregateAnswers(
  db: Db,
  roundId: string,
  instrument: CultureScanInstrument,
  filter?: SegmentFilter | null,
): Promise<Record<FormKind, FormAggregate>> {
  const plan = packPlan(instrument);
  const query = sql<PackedRow>`
    select r.form, ${sql.raw(SEGMENT_DIMENSIONS.map((d) => `r.${d}`).join(', '))}, ${plan.packed}
    from responses r
    join answers a on a.response_id = r.id
    join unnest(${plan.mapIds}::text[], ${plan.mapScale}::int[], ${plan.mapMult}::int[]) as m(item_id, scale, mult) on m.item_id = a.item_id
    where r.round_id = ${roundId} and r.status = 'submitted' ${segmentCondition(filter)}
    group by r.id
  `;
  // PostgreSQL's JIT compiler would spend longer compiling this (large estimated cost) than running it;
  // switch it off for this statement (for the rest of the caller's transaction when inside one).
  const { rows } = db.isTransaction
    ? await sql`set local jit = off`.execute(db).then(() => query.execute(db))
    : await (db as Kysely<DB>).transaction().execute(async (tx) => {
        await sql`set local jit = off`.execute(tx);
        return query.execute(tx);
      });
  const acc = new AnswerAccumulator(instrument);
  const pair = acc.newPair();
  const codes = new Float64Array(plan.columns.length);
  for (const row of rows) {
    plan.columns.forEach((c, s) => (codes[s] = row[c] === null || row[c] === undefined ? -1 : Number(row[c])));
    acc.add(row, codes, pair[row.form]);
  }
  return acc.toForms(pair);
}

/** Runs database work in one short transaction of its own (a tenant or system scope), or inline in the caller's. */
export type DbRun = (<T>(fn: (db: Db) => Promise<T>) => Promise<T>) & {
  /** What a chunked step through this run aims at (forEachIdChunk); CHUNK_TARGET_MS when not set. */
  stepTargetMs?: number;
  /**
   * Steps may run side by side, each on a connection of its own (PostgreSQL): a chunked pass then reads
   * its next chunk while it works through the last one (forEachIdChunkRead). Not on the embedded
   * database, whose one connection runs on this thread.
   */
  overlap?: boolean;
};

/** Runs every step in the given database handle (the caller's transaction). */
export const inline =
  (db: Db): DbRun =>
  (fn) =>
    fn(db);

/** Respondents per chunk of the staged aggregation: far below 100 ms of embedded query time each. */
export const AGGREGATE_CHUNK = 200;

/**
 * The round's submitted response ids in id order: what every chunked pass walks through. Read in pages
 * (keyset on the id, each page its own short step through `run`, sized as forEachIdChunk sizes its
 * steps): in one query the 10,000 ids held the embedded database for 55 ms, and that grows with the round.
 */
export async function loadResponseIds(run: DbRun, roundId: string, firstPage = ID_PAGE): Promise<string[]> {
  const page = (after: string | undefined, size: number | null) =>
    run(async (db) => {
      const { rows } = await sql<{ id: string }>`select id from responses where round_id = ${roundId} and status = 'submitted' ${after ? sql`and id > ${after}::uuid` : sql``} order by id ${size === null ? sql`` : sql`limit ${size}`}`.execute(db);
      return rows.map((r) => r.id);
    });
  // Where steps run side by side (PostgreSQL, where a step blocks nobody): one query. Paged, each page's
  // LIMIT had the planner walk the (round_id, status, id) index and visit the table for every row on a
  // page not yet marked all-visible (a round just imported or answered, before autovacuum came by):
  // at 100,000 respondents 7 pages took ~0.8 s of the close, one query without a limit 86 ms in SQL
  // (a sequential scan and a sort, where the round is most of the table).
  if (run.overlap) return page(undefined, null);
  const ids: string[] = [];
  let size = firstPage;
  for (;;) {
    const t = performance.now();
    const next = await page(ids.at(-1), size);
    for (const id of next) ids.push(id);
    if (next.length < size) return ids;
    size = nextChunkSize(size, performance.now() - t, run.stepTargetMs ?? CHUNK_TARGET_MS, firstPage, MAX_CHUNK);
  }
}

/** The first page of loadResponseIds, and its floor: ids alone are cheap to read. */
const ID_PAGE = 1000;

/**
 * What a chunked step aims at, per driver. On the embedded database a step holds the one connection
 * and the event loop, so it is what another request (a health probe, a respondent's autosave) waits
 * behind: measured at 1,000 respondents (load 2), steps of 70-190 ms gave a /health/ready p99 of
 * 167-226 ms during the close, steps aimed at 25 ms 58 ms. On PostgreSQL a step blocks nobody, and
 * each one costs a transaction and a plan of its own: aimed at 25 ms, the 10,000 close took 19.6 s
 * instead of 11.6 s at 50 ms; at 200 ms it took 9.3-11.2 s against 11.9-14.2 s at 50 ms in the same
 * hour (load 1.1-1.6), with the /health/ready p99 during it 14-34 ms instead of 15-20 ms. The
 * composition root picks one (resultRoundHooksFor).
 */
export const STEP_TARGET_MS = { embedded: 25, postgres: 200 } as const;
export const CHUNK_TARGET_MS = STEP_TARGET_MS.embedded;
const MAX_CHUNK = 4000;
/** The smallest chunk the adaptation goes down to (a caller asking for less keeps its own). */
const MIN_CHUNK = 10;
/**
 * The first chunk: small, so that the first step of a pass is short before its cost is known (at 10,000
 * respondents, a first step of 50 held the embedded database for 88 ms in the answer pass).
 */
const FIRST_CHUNK = 20;

/**
 * Walks `ids` in consecutive chunks (id order kept), calling `step` once per chunk. The chunk starts at
 * `initial` ids (at most FIRST_CHUNK) and is then resized after every step in proportion to the time
 * it took against `targetMs` (at most doubled or halved per step), so a large round is read in
 * few queries on a fast database and in short ones on a slow or busy one. Each chunk is looked up by
 * its ids (primary key), so a step costs its own size, not the round's.
 */
export async function forEachIdChunk(ids: readonly string[], initial: number, step: (chunk: string[]) => Promise<void>, targetMs: number = CHUNK_TARGET_MS): Promise<void> {
  const floor = Math.max(1, Math.min(initial, MIN_CHUNK));
  let size = Math.max(floor, Math.min(initial, FIRST_CHUNK));
  for (let at = 0; at < ids.length; ) {
    const chunk = ids.slice(at, at + size);
    at += chunk.length;
    const t = performance.now();
    await step(chunk);
    size = nextChunkSize(chunk.length, performance.now() - t, targetMs, floor);
  }
}

/**
 * forEachIdChunk split in a read and its use: `read` fetches a chunk through `run`, `use` works through
 * it (in id order, one chunk after the other). Where run.overlap allows it, the next chunk is read
 * while `use` works through the last one, so the database's time and this thread's overlap (at
 * 100,000 respondents on PostgreSQL the answer pass waited ~1.7 s for its reads); the chunk size
 * follows the reads' time alone, as forEachIdChunk's follows its steps'.
 */
export async function forEachIdChunkRead<T>(
  run: DbRun,
  ids: readonly string[],
  initial: number,
  read: (db: Db, chunk: string[]) => Promise<T>,
  use: (value: T) => Promise<void> | void,
): Promise<void> {
  if (!run.overlap) {
    await forEachIdChunk(ids, initial, async (chunk) => use(await run((db) => read(db, chunk))), run.stepTargetMs);
    return;
  }
  let at = 0;
  await chunkedReads(
    run,
    initial,
    (size) => {
      if (at >= ids.length) return null;
      const chunk = ids.slice(at, at + size);
      at += chunk.length;
      return { reading: run((db) => read(db, chunk)), n: chunk.length };
    },
    use,
  );
}

/**
 * forEachIdChunkRead without a list of ids: `read` fetches the next chunk of at most `limit` rows in id
 * order after the id `after` (keyset: none for the first), so the pass needs no pass over the ids
 * before it. On the embedded database, where each step is held short, reading the 100,000 ids first
 * took 2.6 s of the close's 22 s (the index walked and the table visited for every id). Chunks are
 * sized by the reads' time, and read ahead where run.overlap allows it (chunkedReads); without the
 * overlap each read follows the last chunk's use. Returns the ids read, in order.
 */
export async function forEachKeysetRead<T extends { id: string }>(
  run: DbRun,
  initial: number,
  read: (db: Db, after: string | null, limit: number) => Promise<T[]>,
  use: (rows: T[]) => Promise<void> | void,
): Promise<string[]> {
  const ids: string[] = [];
  let asked = 0;
  await chunkedReads<T[]>(
    run,
    initial,
    (size, last) => {
      // A chunk shorter than asked for was the last one.
      if (last && last.length < asked) return null;
      asked = size;
      const after = last?.at(-1)?.id ?? null;
      return { reading: run((db) => read(db, after, size)), n: size };
    },
    (rows) => {
      for (const r of rows) ids.push(r.id);
      return use(rows);
    },
  );
  return ids;
}

/**
 * The chunked reads of forEachIdChunkRead (where steps overlap) and forEachKeysetRead: `issue(size,
 * last)` starts the read of the next chunk of `size` (null: none left; `last` is what the read before
 * returned), and the chunk size follows the reads' time (`n`: the chunk's size as issued). Where
 * run.overlap allows it, the next chunk is read while `use` works through the last one, so the
 * database's time and this thread's overlap (at 100,000 respondents on PostgreSQL the answer pass
 * waited ~1.7 s for its reads); otherwise the next read starts after the use.
 */
async function chunkedReads<T>(
  run: DbRun,
  initial: number,
  issue: (size: number, last: T | null) => { reading: Promise<T>; n: number } | null,
  use: (value: T) => Promise<void> | void,
): Promise<void> {
  const targetMs = run.stepTargetMs ?? CHUNK_TARGET_MS;
  const floor = Math.max(1, Math.min(initial, MIN_CHUNK));
  let size = Math.max(floor, Math.min(initial, FIRST_CHUNK));
  const next = (last: T | null) => {
    const t = performance.now();
    const issued = issue(size, last);
    if (!issued) return null;
    const reading = issued.reading.then((value) => ({ value, ms: performance.now() - t, n: issued.n }));
    // Awaited below; a failure while the last chunk is used is not left unhandled meanwhile.
    reading.catch(() => undefined);
    return reading;
  };
  let pending = next(null);
  while (pending) {
    const { value, ms, n } = await pending;
    size = nextChunkSize(n, ms, targetMs, floor);
    pending = run.overlap ? next(value) : null;
    try {
      await use(value);
    } catch (err) {
      // Let the read in flight finish before the error leaves (its transaction is not left behind).
      await pending?.catch(() => undefined);
      throw err;
    }
    if (!run.overlap) pending = next(value);
  }
}

/** The next step's size: in proportion to the last one's time against the target, at most doubled or halved. */
function nextChunkSize(last: number, ms: number, targetMs: number, floor: number, max = MAX_CHUNK): number {
  const factor = ms > 0 ? Math.min(2, Math.max(0.5, targetMs / ms)) : 2;
  return Math.min(max, Math.max(floor, Math.round(last * factor)));
}

/** Respondents added between two yields to the event loop in aggregateViews (~10-20 ms of work). */
const ROWS_PER_SLICE = 200;

export const viewKey = (filter: SegmentFilter | null): string | null => (filter ? `${filter.dimension}:${filter.value}` : null);

/**
 * The aggregates of several views of a round (null = the whole round, or one group of one dimension)
 * in ONE pass over the answers: the respondents are read in chunks of consecutive response ids (each
 * chunk its own short query through `run`), and every respondent is added to the whole round and to
 * each requested view it belongs to. The figures equal aggregateAnswers(filter) per view; memory holds
 * the accumulators and one chunk, not the respondents.
 */
export async function aggregateViews(
  run: DbRun,
  roundId: string,
  instrument: CultureScanInstrument,
  views: readonly SegmentFilter[],
  chunk = AGGREGATE_CHUNK,
  more: AggregateViewsMore = {},
): Promise<Map<string | null, Record<FormKind, FormAggregate>>> {
  return (await aggregateCountedViews(run, roundId, instrument, () => views, chunk, more)).forms;
}

interface AggregateViewsMore {
  /**
   * The round's submitted response ids in id order (loadResponseIds), when the caller has them; read
   * with the answers otherwise (forEachKeysetRead), and returned.
   */
  ids?: readonly string[];
  /**
   * Called with every respondent's contribution as answer masks per scale of the instrument (what
   * loadContributions gives, coded: ContributionTable.addCoded), in id order, from the same pass: the
   * answers are read once for the figures and for disclosure control. The contribution and its masks
   * are valid during the call only (one object and one array, reused), and it carries the pass's
   * number for the respondent's form and background (backgroundIndex).
   */
  onContribution?: (c: CodedContribution & { responseId: string }) => void;
  /**
   * Called with every respondent's row (form, background as stored, factor pack, and with
   * withPlacements its placements), in id order, from the same pass: the release build counts the
   * factor ratings and gathers the placements here instead of in passes of their own. With the row,
   * the pass's number for its form and background combination (equal numbers: the same form and
   * background, missing dimensions as not stated), so a consumer keyed by background need not build
   * a key of its own. What it returns (RowModules) saves the pass reading the row's factor pack and
   * placements a second time for onContribution.
   */
  onRow?: (row: PackSource & { factor_pack: string | null; placed?: string | null }, backgroundIndex: number) => RowModules | void;
  /** Each row handed to onRow carries the respondent's employee placements too (`placed`: frame:x:y,... by frame; one text, not an array to parse). */
  withPlacements?: boolean;
  /**
   * Called with every respondent's row with what the extra result sections read as well (the two
   * further background questions, the module answers and the open answers), in id order: the close
   * composes the extras from the release's own pass instead of reading the respondents again.
   */
  onExtrasRow?: (row: ExtrasRow) => void;
}

/**
 * What onRow read of a row's modules, for its onContribution: the ids of the factors it rated and the
 * distinct frames it placed (valid until the next row; null: none). Undefined (or not returned): the
 * pass reads them itself.
 */
export interface RowModules {
  factorsRated?: readonly string[] | null | undefined;
  frames?: readonly string[] | null | undefined;
}

/**
 * Where the release build hands the extras their respondents (BuildResultOptions.extrasFeed): every
 * row of its answer pass, then end(); unavailable() when it makes no answer pass (no culture scan),
 * fail() when the build fails.
 */
export interface AnswerPassFeed {
  add(row: ExtrasRow): void;
  end(): void;
  unavailable(): void;
  fail(err: unknown): void;
}

/** A row of the answer pass with the columns the extras need (onExtrasRow). */
export type ExtrasRow = PackSource & {
  tenure: string | null;
  contract_hours: string | null;
  /** [question id, value, choice] per module answer, or null without any. */
  module_rows: Array<[string, number | null, string | null]> | null;
  /** [prompt id, body] per open answer, or null without any. */
  open_rows: Array<[string, string]> | null;
};

/**
 * aggregateViews with the views decided after the pass, from the round's count table (loadCountTable's,
 * every submitted respondent counted in the same pass, answered or not; its rows in the order their
 * combination first appears by id): the release build picks its segment views from the counts without
 * a pass over the respondents of its own (at 100,000 respondents that pass was ~0.7 s on PostgreSQL).
 */
export async function aggregateCountedViews(
  run: DbRun,
  roundId: string,
  instrument: CultureScanInstrument,
  decideViews: (counts: CountTable) => readonly SegmentFilter[],
  chunk = AGGREGATE_CHUNK,
  more: AggregateViewsMore = {},
): Promise<{ forms: Map<string | null, Record<FormKind, FormAggregate>>; counts: CountTable; ids: readonly string[] }> {
  const { ids, onContribution, onRow, withPlacements, onExtrasRow } = more;
  const plan = packPlan(instrument);
  const acc = new AnswerAccumulator(instrument);
  // Each respondent is added once, to the accumulator of its form and background combination; the
  // views and their segments are sums of those at the end. Adding every respondent to the whole round,
  // to each view it belongs to and to each of those views' segments cost ~15 µs per respondent
  // (AnswerAccumulator.add, 1.4-1.7 s of the 100,000-respondent close); a round has far fewer
  // combinations than respondents once it is large.
  const combos = new Map<string, Combination>();
  const masks = new Int32Array(instrument.scales.length);
  const codes = new Float64Array(instrument.scales.length);
  const factorReader = new PackReader();
  type Row = PackSource & { factor_pack: string | null; placed?: string | null };
  /** The rows of the ids `part`, or (keyset) of the next `limit` respondents after `after`. */
  const readChunk = async (db: Db, part: string[] | { after: string | null; limit: number }) => {
    // With contributions or placements: each respondent's placements too, as frame:x:y in frame order
    // (their rated factors are in the factor pack).
    const placed =
      onContribution || withPlacements
        ? sql`, (select string_agg(p.frame || ':' || p.x::text || ':' || p.y::text, ',' order by p.frame) from placements p
                where p.response_id = r.id and p.round_id = ${roundId} and p.participant_group = 'employee') as placed`
        : sql``;
    // With the extras: their two further background columns, and the module and open answers of each
    // respondent as JSON arrays (a few each; their keys are the tables' first columns).
    const extras = onExtrasRow
      ? sql`, r.tenure, r.contract_hours,
          (select json_agg(json_build_array(m.question_id, m.value, m.choice) order by m.question_id) from module_answers m where m.response_id = r.id) as module_rows,
          (select json_agg(json_build_array(o.prompt_id, o.body) order by o.prompt_id) from open_answers o where o.response_id = r.id) as open_rows`
      : sql``;
    const inner = onExtrasRow ? sql`${ID_FORM_DIMENSIONS}, r.answer_pack, r.factor_pack, r.tenure, r.contract_hours` : sql`${ID_FORM_DIMENSIONS}, r.answer_pack, r.factor_pack`;
    // One row per respondent: the answers come from the response's answer pack (migration 0023), so
    // row-level security checks one response, not each of its answer rows.
    const from = Array.isArray(part)
      ? chunkResponses(part, roundId, inner)
      : sql`(select ${inner} from responses r where r.round_id = ${roundId} and r.status = 'submitted'
              ${part.after === null ? sql`` : sql`and r.id > ${part.after}::uuid`} order by r.id limit ${part.limit}) r`;
    const { rows } = await sql<Row>`
      select ${ID_FORM_DIMENSIONS}, r.answer_pack, r.factor_pack ${placed} ${extras}
      from ${from}
      order by r.id
    `.execute(db);
    return rows;
  };
  // One contribution object for every respondent (onContribution's argument is valid during the call only).
  const contribution: CodedContribution & { responseId: string } = { responseId: '', form: 'employee', background: {}, masks, frames: null, factorsRated: null, backgroundIndex: 0 };
  const useChunk = async (rows: Row[]) => {
    for (let i = 0; i < rows.length; i++) {
      // A large chunk's rows are added in slices, with the event loop given back between them: on
      // PostgreSQL a step reads up to 4,000 respondents, and adding them in one piece held the loop
      // long enough for a /health/ready p99 of 116-138 ms during the 10,000-respondent close.
      if (i > 0 && i % ROWS_PER_SLICE === 0) await yieldToLoop();
      const row = rows[i]!;
      // The respondent's form and background combination, looked up once for every consumer.
      let key: string = row.form;
      for (const d of SEGMENT_DIMENSIONS) key += `\u0000${row[d] ?? NOT_STATED_KEY}`;
      let combo = combos.get(key);
      if (!combo) {
        const background = Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, row[d] ?? NOT_STATED_KEY])) as Record<SegmentDimension, string>;
        combos.set(key, (combo = { form: row.form, background, n: 0, acc: null, index: combos.size }));
      }
      combo.n += 1;
      const read = onRow?.(row, combo.index);
      onExtrasRow?.(row as Row & ExtrasRow);
      const answeredAny = plan.codesOf(row, codes);
      if (onContribution) {
        plan.masksOf(codes, masks);
        contribution.responseId = row.id;
        contribution.form = row.form;
        contribution.background = row;
        contribution.backgroundIndex = combo.index;
        contribution.frames = read?.frames !== undefined ? read.frames : placedFrames(row.placed);
        contribution.factorsRated = read?.factorsRated !== undefined ? read.factorsRated : factorReader.rated(row.factor_pack);
        onContribution(contribution);
      }
      // A respondent without a single answer on the scales adds nothing (as the inner join of aggregateAnswers).
      if (!answeredAny) continue;
      acc.add(row, codes, (combo.acc ??= acc.newAcc(false)));
    }
  };
  let read: readonly string[];
  if (ids) {
    await forEachIdChunkRead(run, ids, chunk, readChunk, useChunk);
    read = ids;
  } else read = await forEachKeysetRead(run, chunk, (db, after, limit) => readChunk(db, { after, limit }), useChunk);
  const counts: CountTable = { rows: [...combos.values()].map((c) => ({ ...c.background, form: c.form, n: c.n })) };
  const views = decideViews(counts);
  const forms = new Map<string | null, Record<FormKind, FormAggregate>>();
  for (const view of [null, ...views]) {
    // Summing the combinations into ~25 views is combinations x views x ~500 numbers: given back to the
    // event loop between views.
    if (view) await yieldToLoop();
    const pair = acc.newPair();
    for (const c of combos.values()) {
      if (!c.acc || (view && c.background[view.dimension] !== view.value)) continue;
      acc.merge(pair[c.form], c.acc, c.form === 'employee' ? c.background : null);
    }
    forms.set(viewKey(view), acc.toForms(pair));
  }
  return { forms, counts, ids: read };
}

/** The respondents of one form and one background combination (every dimension, not stated as NOT_STATED_KEY). */
interface Combination {
  form: FormKind;
  background: Record<SegmentDimension, string>;
  /** Submitted respondents of the combination (the count table's n). */
  n: number;
  /** Their answers; null while none of them answered anything on the scales. */
  acc: Acc | null;
  /** The combination's number, in the order first seen (onRow's and onContribution's backgroundIndex). */
  index: number;
}

/** Submitted respondents per form and background combination: every view's RespondentCounts follows from it. */
export interface CountTable {
  rows: Array<{ form: FormKind; n: number } & Record<SegmentDimension, string>>;
}

export async function loadCountTable(db: Db, roundId: string, ids?: readonly string[]): Promise<CountTable> {
  const columns = sql`r.form, ${dimensionColumns}`;
  const { rows } = await sql<Record<string, string | number>>`
    select form, ${sql.raw(SEGMENT_DIMENSIONS.join(', '))}, count(*)::int as n
    from ${ids ? chunkResponses(ids, roundId, columns) : sql`(select ${columns} from responses r where r.round_id = ${roundId} and r.status = 'submitted') r`}
    group by form, ${sql.raw(SEGMENT_DIMENSIONS.join(', '))}
  `.execute(db);
  return { rows: rows.map((r) => ({ ...(r as Record<SegmentDimension, string>), form: r.form as FormKind, n: Number(r.n) })) };
}

/**
 * loadCountTable in chunks of `ids` (each its own short step through `run`), the chunks' counts added
 * up per combination: in one query, the 10,000-respondent count held the embedded database for 110 ms.
 */
export async function loadCountTableStaged(run: DbRun, roundId: string, ids: readonly string[]): Promise<CountTable> {
  const merged = new Map<string, CountTable['rows'][number]>();
  await forEachIdChunk(ids, AGGREGATE_CHUNK, async (part) => {
    const table = await run((db) => loadCountTable(db, roundId, part));
    for (const row of table.rows) {
      const key = [row.form, ...SEGMENT_DIMENSIONS.map((d) => row[d])].join('\u0000');
      const seen = merged.get(key);
      if (seen) seen.n += row.n;
      else merged.set(key, { ...row });
    }
  }, run.stepTargetMs);
  return { rows: [...merged.values()] };
}

/** countRespondents(filter) from the count table, without a query. */
export function countsOf(table: CountTable, filter: SegmentFilter | null): RespondentCounts {
  const counts: RespondentCounts = { byForm: { employee: 0, management: 0 }, byDimension: emptySegments() };
  for (const row of table.rows) {
    if (filter && row[filter.dimension] !== filter.value) continue;
    counts.byForm[row.form] += row.n;
    if (row.form !== 'employee') continue;
    for (const d of SEGMENT_DIMENSIONS) {
      const m = counts.byDimension[d];
      m.set(row[d], (m.get(row[d]) ?? 0) + row.n);
    }
  }
  return counts;
}

type PackedRow = Record<SegmentDimension, string | null> & { form: FormKind } & Record<string, number | string | null>;

/** What the staged passes read of a response: id, form, background and its answer pack. */
type PackSource = Record<SegmentDimension, string | null> & { id: string; form: FormKind; answer_pack: string | null };

/** The distinct frames of a respondent's placements (frame:x:y each), or null without any. */
function placedFrames(placed: string | null | undefined): string[] | null {
  if (!placed) return null;
  return [...new Set(placed.split(',').map((p) => p.slice(0, p.indexOf(':'))))];
}

function packPlan(instrument: CultureScanInstrument) {
  const scales = instrument.scales;
  const mapIds: string[] = [];
  const mapScale: number[] = [];
  const mapMult: number[] = [];
  const place = new Map<string, { scale: number; mult: number }>();
  scales.forEach((scale, s) => {
    if (scale.items.length > 7) throw new RangeError(`scale ${scale.mechanism} has more than 7 items: cannot pack its answers`);
    scale.items.forEach((item, k) => {
      mapIds.push(item.id);
      mapScale.push(s);
      mapMult.push(7 ** k);
      place.set(item.id, { scale: s, mult: 7 ** k });
    });
  });
  const packed = sql.raw(scales.map((_, s) => `sum((coalesce(a.value, 0) + 1) * m.mult) filter (where m.scale = ${s}) as c${s}`).join(', '));
  const columns = scales.map((_, s) => `c${s}`);
  // The packs read by slot (PackReader), each slot's place looked up once.
  const reader = new PackReader();
  const placeOfSlot: Array<{ scale: number; mult: number } | null> = [];
  /**
   * Into `codes`, per scale of a response's answer pack the base-7 code of its answers (as the `packed`
   * sums compute it from the answer rows), -1 for a scale without an answer (answers to items on no
   * scale of the instrument count for none). One array reused for every respondent: setting the codes
   * as properties of each driver row (c0, c1, ...) changed the rows' shapes, ~0.3 s of the 100,000 close.
   * True when any scale has an answer.
   */
  const codesOf = (row: PackSource, codes: Float64Array): boolean => {
    codes.fill(-1);
    let any = false;
    reader.forEach(row.answer_pack, (slot, value) => {
      let p = placeOfSlot[slot];
      if (p === undefined) {
        while (placeOfSlot.length < slot) placeOfSlot.push(place.get(reader.ids[placeOfSlot.length]!) ?? null);
        placeOfSlot.push((p = place.get(reader.ids[slot]!) ?? null));
      }
      if (p) {
        codes[p.scale] = Math.max(0, codes[p.scale]!) + ((value ?? 0) + 1) * p.mult;
        any = true;
      }
    });
    return any;
  };
  /** Per scale, the bit mask of its items with a valid answer (digit 2..6 of the scale's code in `codes`), into `out`. */
  const masksOf = (codes: Float64Array, out: Int32Array) => {
    scales.forEach((scale, s) => {
      let code = Math.max(0, codes[s]!);
      let mask = 0;
      for (let k = 0; k < scale.items.length; k++, code = Math.floor(code / 7)) if (code % 7 >= 2) mask |= 1 << k;
      out[s] = mask;
    });
  };
  return { mapIds, mapScale, mapMult, packed, columns, codesOf, masksOf };
}

interface Acc {
  scales: ScaleAggregate[];
  /** Per dimension and group (employee form); null in an accumulator of one background combination. */
  segments: Record<SegmentDimension, Map<string, ScaleAggregate[]>> | null;
  raw: Int32Array; // nItems x 5
  dontKnow: Int32Array;
  complete: Float64Array; // nItems x 3: n, sum, sumSq of keyed values over complete respondents
  cross: Float64Array; // nItems: sum of keyed value x scale total over complete respondents
  alpha: Float64Array; // nScales x 3: n, sum, sumSq of totals
}
type AccPair = Record<FormKind, Acc>;

/** Adds packed respondent rows to one or more views' accumulators (the same arithmetic for every path). */
class AnswerAccumulator {
  private readonly scales: CultureScanInstrument['scales'];
  private readonly itemScale: number[] = [];
  private readonly itemReverse: boolean[] = [];
  private readonly itemIds: string[] = [];
  private readonly scaleSize: number[];
  private readonly scaleMin: number[];
  private readonly nItems: number;
  private readonly nScales: number;
  // Per-respondent scratch space, reused.
  private readonly keyed: Int8Array;
  private readonly answered: Int32Array;
  private readonly ksum: Int32Array;
  private readonly fav: Int32Array;

  constructor(instrument: CultureScanInstrument) {
    this.scales = instrument.scales;
    this.scales.forEach((scale, s) =>
      scale.items.forEach((item) => {
        this.itemIds.push(item.id);
        this.itemScale.push(s);
        this.itemReverse.push(item.reverse);
      }),
    );
    this.scaleSize = this.scales.map((s) => s.items.length);
    this.scaleMin = this.scales.map((s) => minItemsForScore(s.items.length));
    this.nItems = this.itemIds.length;
    this.nScales = this.scales.length;
    this.keyed = new Int8Array(this.nItems);
    this.answered = new Int32Array(this.nScales);
    this.ksum = new Int32Array(this.nScales);
    this.fav = new Int32Array(this.nScales);
  }

  private newScaleAggs(): ScaleAggregate[] {
    return Array.from({ length: this.nScales }, () => ({ n: 0, sum: 0, sumSq: 0, valid: 0, favourable: 0, respondents: 0 }));
  }

  /** An empty accumulator; without segments for one background combination (its segments are itself). */
  newAcc(withSegments = true): Acc {
    return {
      scales: this.newScaleAggs(),
      segments: withSegments ? (Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, new Map<string, ScaleAggregate[]>()])) as NonNullable<Acc['segments']>) : null,
      raw: new Int32Array(this.nItems * 5),
      dontKnow: new Int32Array(this.nItems),
      complete: new Float64Array(this.nItems * 3),
      cross: new Float64Array(this.nItems),
      alpha: new Float64Array(this.nScales * 3),
    };
  }

  newPair(): AccPair {
    return { employee: this.newAcc(), management: this.newAcc() };
  }

  /**
   * Adds one respondent to `acc` (of the respondent's form), and to its segments where it keeps them:
   * `codes[s]` is the base-7 code of scale s (packPlan; 0 or negative: no answer on it), `row` gives
   * the form and background.
   */
  add(row: Record<SegmentDimension, string | null> & { form: FormKind }, codes: ArrayLike<number>, acc: Acc): void {
    const { keyed, answered, ksum, fav, scaleSize, itemReverse, itemScale, scaleMin, nScales, nItems } = this;
    keyed.fill(-1);
    answered.fill(0);
    ksum.fill(0);
    fav.fill(0);
    let offset = 0;
    for (let s = 0; s < nScales; s++) {
      let code = Math.max(0, codes[s]!);
      for (let k = 0; k < scaleSize[s]!; k++, code = Math.floor(code / 7)) {
        const digit = code % 7;
        if (digit === 0) continue;
        const i = offset + k;
        if (digit === 1) {
          acc.dontKnow[i]! += 1;
          continue;
        }
        const v = digit - 1;
        acc.raw[i * 5 + v - 1]! += 1;
        const kv = itemReverse[i] ? 6 - v : v;
        keyed[i] = kv;
        answered[s]! += 1;
        ksum[s]! += kv;
        if (kv >= 4) fav[s]! += 1;
      }
      offset += scaleSize[s]!;
    }
    const targets = [acc.scales];
    if (row.form === 'employee' && acc.segments) {
      for (const d of SEGMENT_DIMENSIONS) {
        const key = row[d] ?? NOT_STATED_KEY;
        let g = acc.segments[d].get(key);
        if (!g) acc.segments[d].set(key, (g = this.newScaleAggs()));
        targets.push(g);
      }
    }
    for (let s = 0; s < nScales; s++) {
      const a = answered[s]!;
      const hasScore = a >= scaleMin[s]!;
      const score = hasScore ? ksum[s]! / a : 0;
      for (const t of targets) {
        const agg = t[s]!;
        agg.valid += a;
        agg.favourable += fav[s]!;
        if (a > 0) agg.respondents += 1;
        if (hasScore) {
          agg.n += 1;
          agg.sum += score;
          agg.sumSq += score * score;
        }
      }
      if (a === scaleSize[s]) {
        acc.alpha[s * 3] = acc.alpha[s * 3]! + 1;
        acc.alpha[s * 3 + 1] = acc.alpha[s * 3 + 1]! + ksum[s]!;
        acc.alpha[s * 3 + 2] = acc.alpha[s * 3 + 2]! + ksum[s]! * ksum[s]!;
      }
    }
    for (let i = 0; i < nItems; i++) {
      const kv = keyed[i]!;
      if (kv < 0 || answered[itemScale[i]!] !== scaleSize[itemScale[i]!]) continue;
      acc.complete[i * 3] = acc.complete[i * 3]! + 1;
      acc.complete[i * 3 + 1] = acc.complete[i * 3 + 1]! + kv;
      acc.complete[i * 3 + 2] = acc.complete[i * 3 + 2]! + kv * kv;
      acc.cross[i] = acc.cross[i]! + kv * ksum[itemScale[i]!]!;
    }
  }

  /**
   * Adds the accumulator of one background combination to a view's: every figure is a sum over
   * respondents, so the view gets what adding its respondents one by one gives. With `background`
   * (employee form), the combination's scales are added to the view's segment of each of its groups too.
   */
  merge(into: Acc, from: Acc, background: Record<SegmentDimension, string> | null): void {
    const addScales = (to: ScaleAggregate[], add: ScaleAggregate[]) => {
      for (let s = 0; s < this.nScales; s++) {
        const t = to[s]!;
        const a = add[s]!;
        t.n += a.n;
        t.sum += a.sum;
        t.sumSq += a.sumSq;
        t.valid += a.valid;
        t.favourable += a.favourable;
        t.respondents += a.respondents;
      }
    };
    const addArray = (to: Int32Array | Float64Array, add: Int32Array | Float64Array) => {
      for (let i = 0; i < to.length; i++) to[i] = to[i]! + add[i]!;
    };
    addScales(into.scales, from.scales);
    addArray(into.raw, from.raw);
    addArray(into.dontKnow, from.dontKnow);
    addArray(into.complete, from.complete);
    addArray(into.cross, from.cross);
    addArray(into.alpha, from.alpha);
    if (!background || !into.segments) return;
    for (const d of SEGMENT_DIMENSIONS) {
      let g = into.segments[d].get(background[d]);
      if (!g) into.segments[d].set(background[d], (g = this.newScaleAggs()));
      addScales(g, from.scales);
    }
  }

  toForms(pair: AccPair): Record<FormKind, FormAggregate> {
    return { employee: this.toForm(pair.employee), management: this.toForm(pair.management) };
  }

  private toForm(acc: Acc): FormAggregate {
    const f = emptyForm();
    this.scales.forEach((scale, s) => {
      const agg = acc.scales[s]!;
      if (agg.valid > 0 || agg.n > 0) f.scales.set(scale.mechanism, agg);
      if (acc.alpha[s * 3]! > 0) f.alphaTotals.set(scale.mechanism, { n: acc.alpha[s * 3]!, sum: acc.alpha[s * 3 + 1]!, sumSq: acc.alpha[s * 3 + 2]! });
    });
    this.itemIds.forEach((id, i) => {
      const raw = [0, 1, 2, 3, 4].map((o) => acc.raw[i * 5 + o]!) as ItemAggregate['raw'];
      if (raw.some((c) => c > 0) || acc.dontKnow[i]! > 0) {
        f.items.set(id, {
          raw,
          dontKnow: acc.dontKnow[i]!,
          complete: { n: acc.complete[i * 3]!, sum: acc.complete[i * 3 + 1]!, sumSq: acc.complete[i * 3 + 2]!, sumTotal: acc.cross[i]! },
        });
      }
    });
    for (const d of SEGMENT_DIMENSIONS) {
      for (const [key, aggs] of acc.segments?.[d] ?? []) {
        const byMech = new Map<string, ScaleAggregate>();
        this.scales.forEach((scale, s) => byMech.set(scale.mechanism, aggs[s]!));
        f.segments[d].set(key, byMech);
      }
    }
    return f;
  }
}

/** What one submitted respondent contributes to, for disclosure control (with its response id). */
export type Contribution = RespondentContribution & { responseId: string };

/**
 * What each submitted respondent contributes to (background, scale scores, complete scales, answered
 * items, placed frames, rated factors), in a stable order (by response id), for disclosure control.
 * Ids stay on the server: the disclosure layer sees only positions.
 */
export async function loadContributions(db: Db, roundId: string, instrument: CultureScanInstrument | undefined): Promise<Contribution[]> {
  const out: Contribution[] = [];
  await loadContributionsStaged(inline(db), roundId, instrument, (c) => out.push(c));
  return out;
}

/**
 * The contributions in chunks of consecutive response ids (each chunk one step through run), handed to
 * `sink` one by one in id order as each chunk arrives: the caller keeps what it needs (the release
 * build folds them into a ContributionTable), not every respondent.
 */
export async function loadContributionsStaged(
  run: DbRun,
  roundId: string,
  instrument: CultureScanInstrument | undefined,
  sink: (c: Contribution) => void,
  chunk = 200,
  ids?: readonly string[],
): Promise<void> {
  type Row = Record<SegmentDimension, string | null> & { id: string; form: FormKind; answer_pack: string | null; factor_pack: string | null; frames: string[] | null };
  const scales = instrument?.scales ?? [];
  await forEachIdChunk(ids ?? (await loadResponseIds(run, roundId)), chunk, async (part) => {
    const got = await run(async (d) => {
      // The answered items and rated factors from the response's packs (migration 0023); the placed
      // frames in one grouped pass over the chunk's placements.
      const res = await sql<Row>`
        with r as materialized (
          select * from ${chunkResponses(part, roundId, sql`${ID_FORM_DIMENSIONS}, r.answer_pack, r.factor_pack`)}
        )
        select r.*, p.frames
        from r
        left join (select p.response_id, array_agg(distinct p.frame) as frames from placements p join r on r.id = p.response_id
                   where p.response_id = any(${part}::uuid[]) and p.participant_group = 'employee' group by p.response_id) p on p.response_id = r.id
        order by r.id
      `.execute(d);
      return res.rows.map(({ answer_pack, factor_pack, ...row }) => ({ ...row, items: ratedIds(answer_pack), factors: ratedIds(factor_pack) }));
    });
    for (const row of got) sink(contributionOf(row, scales));
  }, run.stepTargetMs);
}

/** The contribution of a respondent with these answered items, `answered[s]` of them on scale s. */
function contributionFrom(
  row: Record<SegmentDimension, string | null> & { id: string; form: FormKind; frames?: string[] | null; factors?: string[] | null },
  scales: CultureScanInstrument['scales'],
  items: string[],
  answered: readonly number[],
): Contribution {
  const scored: string[] = [];
  const answeredScales: string[] = [];
  const complete: string[] = [];
  scales.forEach((scale, s) => {
    const a = answered[s]!;
    if (a > 0) answeredScales.push(scale.mechanism);
    if (a >= minItemsForScore(scale.items.length)) scored.push(scale.mechanism);
    if (a === scale.items.length) complete.push(scale.mechanism);
  });
  return {
    responseId: row.id,
    form: row.form,
    background: Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, row[d]])) as Record<SegmentDimension, string | null>,
    scored,
    answeredScales,
    complete,
    items,
    frames: row.frames ?? [],
    factorsRated: row.factors ?? [],
  };
}

function contributionOf(
  row: Record<SegmentDimension, string | null> & { id: string; form: FormKind; items: string[] | null; frames: string[] | null; factors: string[] | null },
  scales: CultureScanInstrument['scales'],
): Contribution {
  const items = new Set(row.items ?? []);
  return contributionFrom(row, scales, [...items], scales.map((scale) => scale.items.filter((i) => items.has(i.id)).length));
}
