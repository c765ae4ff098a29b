// What a closed round serves, cached in memory: the results JSON, results.csv, results.xlsx and the
// report PDFs of a round are derived from its stored release (written at close, never changed), plus
// the few inputs that can change after the close. A cache entry is keyed by all of those inputs, read
// fresh from the database on every request, so a change of any of them is a different key:
//   - the release (round id and sequence number; a reopen and close may publish a new one);
//   - the round's state as served (status, closed_at, raw_purged_at) and its chosen benchmark set
//     (benchmark sets are immutable: an upload is a new set id, so the id is its version);
//   - the calendar year (the pool comparison cites it) and, for PDFs, the report date (its day);
//   - the platform pool: its comparison is recomputed on every request (one aggregate call of the
//     SECURITY DEFINER function over the stored scale scores) and its result is part of the entry;
//   - for variants: the language, the report type, branding and action plan (hashed).
// Access is never cached: the caller checks it (requireRound inside withTenantScope) before asking,
// and a key always starts with the round id, so nothing is shared between rounds or tenants.
// The code version (templates, serializers) is the process: a deploy starts with an empty cache.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ResultModel } from '../../scans/result-model.js';
import type { Db } from './aggregate.js';
import type { ResultExtras } from './modules/compose.js';
import { ensureResultExtras } from './modules/store.js';
import { comparePool, hiddenPercentiles, type PoolComparison } from './pool.js';

/** A memory cache with a byte budget, least recently used out first. */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One served output of a release, with what its pool comparison rested on. */
export interface ServedEntry {
  body: string | Buffer;
  /** Mechanism scores of the unfiltered view (the pool's input); null for segment views (no pool). */
  scores: Array<[string, number | null]> | null;
  /** The pool comparison the body shows (see poolSignature). */
  pool: string | null;
}

/** Default budget of the cache of one app instance (results views are 0.2-3 MB, PDFs 0.3-1 MB). */
export const SERVED_CACHE_BYTES = 64 * 1024 * 1024;

const caches = new WeakMap<object, ByteLru<ServedEntry>>();

/** The cache of one app instance, by its database object; tests read its counters and may clear it. */
export function servedCache(db: object): ByteLru<ServedEntry> {
  let c = caches.get(db);
  if (!c) {
    c = new ByteLru<ServedEntry>(SERVED_CACHE_BYTES);
    caches.set(db, c);
  }
  return c;
}

/** The round as requireRound returns it (rounds.* and the organisation's sector and size class). */
export interface ServedRound {
  id: string;
  organisation_id: string;
  status: string;
  closed_at: Date | string | null;
  raw_purged_at: Date | string | null;
  benchmark_set_id: string | null;
  is_demo: boolean;
  sector: string;
  size_class: string;
}

const iso = (d: Date | string | null) => (d === null ? '' : new Date(d).toISOString());

/** The state of the round's release the served outputs depend on; null before a release exists. */
async function releaseState(db: Db, round: ServedRound): Promise<{ seq: number; organisationIsDemo: boolean } | null> {
  const { rows } = await sql<{ seq: number | null; organisation_is_demo: boolean | null }>`
    select (select max(seq) from result_releases where round_id = ${round.id}) as seq,
           (select is_demo from organisations where id = ${round.organisation_id}) as organisation_is_demo
  `.execute(db);
  const row = rows[0];
  if (!row || row.seq === null) return null;
  return { seq: Number(row.seq), organisationIsDemo: row.organisation_is_demo === true };
}

function scoresOf(model: ResultModel): Array<[string, number | null]> {
  return model.mechanisms.map((m) => [m.mechanismId, m.score?.mean ?? null]);
}

const signature = (pool: Map<string, PoolComparison>): string => JSON.stringify([...pool].sort(([a], [b]) => (a < b ? -1 : 1)));

async function poolSignature(db: Db, round: ServedRound, organisationIsDemo: boolean, scores: Array<[string, number | null]>): Promise<{ sig: string; pool: Map<string, PoolComparison> }> {
  if (scores.length === 0) return { sig: '[]', pool: new Map() };
  const pool = await comparePool(db, {
    organisationId: round.organisation_id,
    sector: round.sector,
    sizeClass: round.size_class,
    isDemo: round.is_demo || organisationIsDemo,
    scores: new Map(scores),
  });
  return { sig: signature(pool), pool };
}

/**
 * Whether a freshly built unfiltered view shows exactly the pool comparison `pool` (the percentiles
 * and the pool mean of every mechanism). It may not when the pool changed between the build's own
 * comparison and ours; such a body is served but not cached.
 */
function showsPool(model: ResultModel, pool: Map<string, PoolComparison>): boolean {
  return model.mechanisms.every((m) => {
    const p = pool.get(m.mechanismId);
    const expected = p && m.score ? p.percentiles : hiddenPercentiles('no_score');
    const bench = m.benchmarks.find((b) => b.kind === 'pool');
    const mean = p && p.mean !== null ? p.mean : null;
    return JSON.stringify(m.percentiles) === JSON.stringify(expected) && (bench?.value ?? null) === mean && (bench ? bench.n === p?.others : true);
  });
}

export interface ServeRequest<B extends string | Buffer> {
  round: ServedRound;
  /** The view: null for the unfiltered model, `dimension:value` for a segment view. */
  segment: string | null;
  /** What is produced from the model, with every input that is not the model (e.g. `csv|en`, a PDF's options and a hash of its branding). */
  variant: string;
  /** The served model (buildResultModel: the stored release plus refreshed comparisons). */
  model: () => Promise<ResultModel>;
  /** The output of that model. */
  produce: (model: ResultModel) => Promise<B>;
  now?: Date;
}

/** A lookup: the cached body, or what is needed to store one (null key: the round has no release yet). */
export interface ServedLookup<B> {
  hit: B | undefined;
  key: string | null;
  organisationIsDemo: boolean;
}

/** Looks up the output `variant` of a closed round's view. Call after the access check. */
export async function lookupClosed<B extends string | Buffer>(
  db: Db,
  cache: ByteLru<ServedEntry>,
  req: Pick<ServeRequest<B>, 'round' | 'segment' | 'variant' | 'now'>,
): Promise<ServedLookup<B>> {
  const state = await releaseState(db, req.round);
  if (!state) return { hit: undefined, key: null, organisationIsDemo: false };
  const now = req.now ?? new Date();
  const r = req.round;
  const key = [r.id, state.seq, req.segment ?? '', r.status, iso(r.closed_at), iso(r.raw_purged_at), r.benchmark_set_id ?? '', now.getUTCFullYear(), req.variant].join('|');
  const hit = cache.get(key);
  if (hit) {
    if (hit.scores === null) return { hit: hit.body as B, key, organisationIsDemo: state.organisationIsDemo };
    const { sig } = await poolSignature(db, r, state.organisationIsDemo, hit.scores);
    if (sig === hit.pool) return { hit: hit.body as B, key, organisationIsDemo: state.organisationIsDemo };
    cache.delete(key);
  }
  return { hit: undefined, key, organisationIsDemo: state.organisationIsDemo };
}

/**
 * What a body built from `model` may be cached with, or null when it may not (it shows another pool
 * comparison than the pool's current one). Call in the same scope as the build, before the body is
 * produced (which may happen later, e.g. a PDF rendered after the transaction).
 */
export async function admissionOf(db: Db, round: ServedRound, lookup: ServedLookup<unknown>, model: ResultModel): Promise<Omit<ServedEntry, 'body'> | null> {
  if (lookup.key === null) return null;
  const filtered = model.meta.segmentFilter !== null && model.meta.segmentFilter !== undefined;
  if (filtered || model.mechanisms.length === 0) return { scores: null, pool: null };
  const scores = scoresOf(model);
  const { sig, pool } = await poolSignature(db, round, lookup.organisationIsDemo, scores);
  return showsPool(model, pool) ? { scores, pool: sig } : null;
}

export function storeServed(cache: ByteLru<ServedEntry>, lookup: ServedLookup<unknown>, admission: Omit<ServedEntry, 'body'> | null, body: string | Buffer): void {
  if (lookup.key !== null && admission) cache.set(lookup.key, { ...admission, body }, sizeOf(body));
}

/**
 * The output `variant` of a closed round's view: from the cache when every input is unchanged,
 * otherwise built (req.model, req.produce) and cached. Call after the access check, with the caller's
 * (tenant-scoped) transaction and the app's cache (servedCache(app.db)). Rounds without a release yet
 * are built and not cached.
 */
export async function serveClosed<B extends string | Buffer>(db: Db, cache: ByteLru<ServedEntry>, req: ServeRequest<B>): Promise<{ body: B; cached: boolean }> {
  const lookup = await lookupClosed<B>(db, cache, req);
  if (lookup.hit !== undefined) return { body: lookup.hit, cached: true };
  const model = await req.model();
  const admission = await admissionOf(db, req.round, lookup, model);
  const body = await req.produce(model);
  storeServed(cache, lookup, admission, body);
  return { body, cached: false };
}

const sizeOf = (body: string | Buffer) => (typeof body === 'string' ? body.length * 2 : body.byteLength) + 512;

/** A short hash of the inputs of a variant (branding, logo bytes, an action plan). */
export function variantHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)))
    .digest('base64url')
    .slice(0, 22);
}

/**
 * The extras (issue 17) stored with the round's latest release (written at close), read alone;
 * otherwise ensureResultExtras, which reads and validates every release of the round and composes
 * the extras when they are missing (rounds closed before extras were stored).
 */
export async function loadLatestExtras(db: Db, roundId: string): Promise<ResultExtras | undefined> {
  const row = await db
    .selectFrom('result_extras')
    .select(sql<unknown>`body`.as('body'))
    .where('round_id', '=', roundId)
    .where('seq', '=', (eb) => eb.selectFrom('result_releases').select(eb.fn.max('seq').as('seq')).where('round_id', '=', roundId))
    .executeTakeFirst();
  if (row) return (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as ResultExtras;
  return ensureResultExtras(db, roundId);
}
