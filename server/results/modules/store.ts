// Loading respondent rows for the extra sections, and storing the disclosed extras per release: they
// are computed once over the respondents of a result release (the same set the release rests on) and
// then served as stored, so later changes (an erasure, a purge) cannot be compared against them.
import { sql } from 'kysely';
import { getCultureScan } from '../../../scans/instruments/registry.js';
import { chunkResponses, forEachIdChunkRead, inline, type AnswerPassFeed, type Db, type DbRun, type ExtrasRow } from '../aggregate.js';
import { ensureRelease } from '../build.js';
import { loadLatestRelease, loadReleases, type StoredRelease } from '../release-store.js';
import { composeResultExtrasStreamed } from '../disclosure-thread.js';
import { servedExtras, type PackedExtraRespondent, type ResultExtras } from './compose.js';
import type { OpenPrompt } from '../../../scans/modules/index.js';

/**
 * The covered respondents, read in chunks of ids (each chunk one step through run) and handed to
 * `sink` chunk by chunk, in the covered list's order. Each table is filtered on its own response_id
 * (the first column of its key), so a chunk is read through the index instead of a scan of the table
 * joined to the chunk (which made the reads grow with the round squared).
 */
async function loadRespondents(run: DbRun, roundId: string, covered: readonly string[], sink: (chunk: PackedExtraRespondent[]) => Promise<void>, chunk = 100): Promise<void> {
  // The chunk grows while a step stays short (forEachIdChunk), as in the release build; on PostgreSQL
  // the next chunk is read while this one is sent on (forEachIdChunkRead).
  await forEachIdChunkRead(run, covered, chunk, (db, ids) => loadRespondentChunk(db, roundId, ids), sink);
}

async function loadRespondentChunk(db: Db, roundId: string, ids: string[]): Promise<PackedExtraRespondent[]> {
  if (ids.length === 0) return [];
  // The chunk's submitted responses of this round first; the answer tables are then read by those ids
  // alone (the first column of their keys). Joined to responses on the round instead, each read took
  // 10-14 ms a step at 10,000 respondents whatever the chunk's size.
  // The culture-scan answers come from the response's answer pack (migration 0023).
  const { rows: responses } = await sql<RespondentColumns>`
    select * from ${chunkResponses(ids, roundId, sql.raw(['id', 'form', 'department', 'role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours', 'answer_pack'].map((c) => `r.${c}`).join(', ')))}
    order by r.id`.execute(db);
  if (responses.length === 0) return [];
  const own = responses.map((r) => r.id);
  // The ids as one array parameter: as an IN list, a chunk of n ids was n parameters to encode and bind, twice.
  const [modules, open] = await Promise.all([
    db.selectFrom('module_answers').select(['response_id', 'question_id', 'value', 'choice']).where(sql<boolean>`response_id = any(${own}::uuid[])`).execute(),
    db.selectFrom('open_answers').select(['response_id', 'prompt_id', 'body']).where(sql<boolean>`response_id = any(${own}::uuid[])`).execute(),
  ]);
  const byId = new Map<string, PackedExtraRespondent>();
  // Order by the release's covered list, so that the bit positions match the release's own numbering.
  // The covered list is in id order, as the rows come: sorted only if they are not in its order.
  const order = new Map(ids.map((id, i) => [id, i]));
  const inOrder = responses.every((r, i) => i === 0 || order.get(responses[i - 1]!.id)! < order.get(r.id)!);
  for (const r of inOrder ? responses : [...responses].sort((a, b) => order.get(a.id)! - order.get(b.id)!)) {
    byId.set(r.id, extraRespondentOf(r));
  }
  for (const m of modules) {
    const r = byId.get(m.response_id);
    if (r) addModuleAnswer(r, m.question_id, m.value, m.choice);
  }
  for (const o of open) {
    const r = byId.get(o.response_id);
    if (r) r.open[o.prompt_id] = o.body;
  }
  return [...byId.values()];
}

/** The response columns an extras respondent is made of (its module and open answers are added to it). */
type RespondentColumns = Pick<ExtrasRow, 'id' | 'form' | 'department' | 'role' | 'education' | 'contract' | 'age_band' | 'tenure' | 'contract_hours' | 'answer_pack'>;

/** An extras respondent from its response's columns, before its module and open answers. */
function extraRespondentOf(r: RespondentColumns): PackedExtraRespondent {
  return {
    id: r.id,
    form: r.form,
    background: { department: r.department, role: r.role, education: r.education, contract: r.contract, age_band: r.age_band, tenure: r.tenure, contract_hours: r.contract_hours },
    answerPack: r.answer_pack,
    motivation: {},
    learning: null,
    open: {},
  };
}

/** One module answer: the learning-mix choice, or a motivation rating. */
function addModuleAnswer(r: PackedExtraRespondent, question: string, value: number | null, choice: string | null): void {
  if (question === 'learning') r.learning = choice;
  else (r.motivation as Record<string, number | null>)[question] = value;
}

async function storedExtras(db: Db, roundId: string): Promise<Map<number, ResultExtras>> {
  const rows = await db.selectFrom('result_extras').select(['seq', sql<unknown>`body`.as('body')]).where('round_id', '=', roundId).execute();
  return new Map(rows.map((r) => [Number(r.seq), (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as ResultExtras]));
}

/** Composes the extras of one release (with earlier releases' extras as fixed figures). */
export async function composeExtrasForRelease(db: Db, release: StoredRelease, earlier: readonly StoredRelease[], stored: Map<number, ResultExtras>): Promise<ResultExtras> {
  return composeWith(inline(db), await extrasRound(db, release.roundId), release, earlier, stored);
}

const extrasRound = (db: Db, roundId: string) =>
  db.selectFrom('rounds').select(['instrument_id', 'modules', 'survey_modules', 'anonymity_threshold']).where('id', '=', roundId).executeTakeFirstOrThrow();

/** What the extras of a release rest on: its round, its seq and the respondents it covers. */
type ReleaseBasis = Pick<StoredRelease, 'roundId' | 'seq'> & { covered: readonly string[] };

async function composeWith(
  run: DbRun,
  round: Awaited<ReturnType<typeof extrasRound>>,
  release: ReleaseBasis,
  earlier: readonly StoredRelease[],
  stored: Map<number, ResultExtras>,
  feed?: ExtrasFeed,
): Promise<ResultExtras> {
  const instrument = round.modules.includes('culture_scan') ? getCultureScan(round.instrument_id) : undefined;
  // On a worker thread for large rounds (it would hold the event loop for about a second at 10,000),
  // the respondents sent on chunk by chunk as they are read.
  return composeResultExtrasStreamed(
    {
      k: round.anonymity_threshold,
      instrument,
      surveyModules: round.survey_modules ?? [],
      earlier: earlier.filter((r) => stored.has(r.seq)).map((r) => ({ published: stored.get(r.seq)!.published, covered: r.covered })),
    },
    release.covered.length,
    async (sink) => {
      if (!(await feed?.drain(sink))) await loadRespondents(run, release.roundId, release.covered, sink);
    },
  );
}

/**
 * The extras of the round's latest release, stored on first use. Undefined when the round has no
 * release (not closed) or its raw answers were purged before the extras were stored.
 */
export async function ensureResultExtras(db: Db, roundId: string, prepared?: PreparedExtras | null): Promise<ResultExtras | undefined> {
  if (prepared) {
    // The close transaction has just stored the release these extras were composed for: store them
    // without reading the release back.
    const latest = await db.selectFrom('result_releases').select(sql<number | null>`max(seq)`.as('seq')).where('round_id', '=', roundId).executeTakeFirst();
    if (Number(latest?.seq ?? 0) === prepared.seq) {
      await db
        .insertInto('result_extras')
        .values({ round_id: roundId, seq: prepared.seq, body: JSON.stringify(prepared.extras) })
        .onConflict((oc) => oc.columns(['round_id', 'seq']).doNothing())
        .execute();
      return (await storedExtras(db, roundId)).get(prepared.seq) ?? prepared.extras;
    }
  }
  const round = await db.selectFrom('rounds').select(['status', 'raw_purged_at']).where('id', '=', roundId).executeTakeFirst();
  if (!round) return undefined;
  let latest = await loadLatestRelease(db, roundId);
  if (!latest && round.status === 'closed' && !round.raw_purged_at) latest = await ensureRelease(db, roundId);
  if (!latest) return undefined;
  const stored = await storedExtras(db, roundId);
  const have = stored.get(latest.seq);
  if (have) return have;
  if (round.raw_purged_at) return undefined;
  const extras = await composeExtrasForRelease(db, latest, (await loadReleases(db, roundId)).filter((r) => r.seq < latest.seq), stored);
  await db
    .insertInto('result_extras')
    .values({ round_id: roundId, seq: latest.seq, body: JSON.stringify(extras) })
    .onConflict((oc) => oc.columns(['round_id', 'seq']).doNothing())
    .execute();
  return (await storedExtras(db, roundId)).get(latest.seq) ?? extras;
}

/** The extras of a release built before the close transaction (prepareRelease), composed in chunks. */
export interface PreparedExtras {
  seq: number;
  extras: ResultExtras;
}

/**
 * The extras of a release, composed in chunks through `run`: of the release built, or of one about to be
 * (ReleasePlan). With `feed`, the respondents come from the release's own answer pass as it reads them
 * (BuildResultOptions.extrasFeed), instead of being read a second time.
 */
export async function prepareExtras(run: DbRun, release: ReleaseBasis, earlier: readonly StoredRelease[], feed?: ExtrasFeed): Promise<PreparedExtras> {
  const { round, stored } = await run(async (db) => ({ round: await extrasRound(db, release.roundId), stored: await storedExtras(db, release.roundId) }));
  return { seq: release.seq, extras: await composeWith(run, round, release, earlier, stored, feed) };
}

/** Respondents handed on per message from the feed (as loadRespondents' chunks are). */
const FEED_CHUNK = 1000;

/**
 * The extras' respondents as the release build's answer pass reads them (AnswerPassFeed): each row
 * becomes a PackedExtraRespondent, queued in chunks that `drain` hands to the extras as they come.
 * The PostgreSQL close uses it (hooks.ts says why not the embedded one): the extras' own read beside
 * the release was a second pass over the responses table, parsed again on the main thread.
 */
export class ExtrasFeed implements AnswerPassFeed {
  private chunk: PackedExtraRespondent[] = [];
  private readonly queue: PackedExtraRespondent[][] = [];
  private state: 'open' | 'ended' | 'unavailable' | 'failed' = 'open';
  private error: unknown;
  private wake: (() => void) | undefined;

  add(row: ExtrasRow): void {
    if (this.state !== 'open') throw new Error(`extras feed: a row after the feed was ${this.state}`);
    const r = extraRespondentOf(row);
    for (const [question, value, choice] of row.module_rows ?? []) addModuleAnswer(r, question, value, choice);
    for (const [prompt, body] of row.open_rows ?? []) r.open[prompt as OpenPrompt] = body;
    this.chunk.push(r);
    if (this.chunk.length >= FEED_CHUNK) this.flush();
  }

  end(): void {
    this.settle('ended');
  }

  unavailable(): void {
    this.settle('unavailable');
  }

  fail(err: unknown): void {
    if (this.state === 'open') this.error = err;
    this.settle('failed');
  }

  /** Hands the rows to `sink` as they come, in the pass's order; false when the build made no answer pass (nothing was fed). */
  async drain(sink: (chunk: PackedExtraRespondent[]) => Promise<void>): Promise<boolean> {
    for (;;) {
      while (this.queue.length > 0) await sink(this.queue.shift()!);
      if (this.state === 'failed') throw this.error;
      if (this.state === 'ended') return true;
      if (this.state === 'unavailable') return false;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private flush(): void {
    if (this.chunk.length > 0) {
      this.queue.push(this.chunk);
      this.chunk = [];
    }
    this.wake?.();
  }

  private settle(state: 'ended' | 'unavailable' | 'failed'): void {
    if (this.state !== 'open') return;
    this.state = state;
    this.flush();
  }
}

export { servedExtras };
