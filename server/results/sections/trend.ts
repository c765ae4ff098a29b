// Trend: the change since the organisation's previous closed round on a comparable instrument. It
// compares published releases only (the previous round's latest release, or the snapshot of a round
// closed before releases existed), never figures recomputed from its answers. A previous round
// closed without a release yet gets one through `publish` (handed in by build.ts, no import cycle).
import { trendComparabilityOf, trendComparableInstrumentIds } from '../../../scans/instruments/registry.js';
import type { MechanismResult, TrendResult } from '../../../scans/result-model.js';
import type { MechanismId } from '../../../scans/types.js';
import type { Db } from '../aggregate.js';
import { loadLatestView, loadSnapshot, type StoredRelease } from '../release-store.js';
import { iso, type RoundRow, type Section } from './context.js';

export const NO_TREND: TrendResult = { previousRound: null, mechanisms: [], items: [] };

/** Publishes (or returns) a closed round's release without a trend of its own. */
export type PublishPrevious = (db: Db, roundId: string) => Promise<StoredRelease>;

/** The organisation's previous closed round on the same instrument or a version sharing items with it, if any. */
export async function findPreviousRound(db: Db, round: RoundRow) {
  const before = round.closed_at ?? new Date();
  const instrumentIds = trendComparableInstrumentIds(round.instrument_id);
  return db
    .selectFrom('rounds')
    .select(['id', 'name', 'closed_at', 'raw_purged_at', 'instrument_id'])
    .where('organisation_id', '=', round.organisation_id)
    .where('instrument_id', 'in', instrumentIds.length > 0 ? instrumentIds : [round.instrument_id])
    .where('status', '=', 'closed')
    .where('id', '<>', round.id)
    .where('closed_at', '<', before)
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type PreviousRound = NonNullable<Awaited<ReturnType<typeof findPreviousRound>>>;

export async function trendSection(
  db: Db,
  previous: PreviousRound | undefined,
  mechanisms: readonly MechanismResult[],
  currentInstrumentId: string,
  publish: PublishPrevious,
): Promise<Section<TrendResult>> {
  if (!previous) return { part: NO_TREND, sources: [] };
  let prev: MechanismResult[];
  const release = await loadLatestView(db, previous.id, null);
  const snapshot = release ? undefined : await loadSnapshot(db, previous.id);
  if (release?.view) prev = release.view.mechanisms;
  else if (snapshot) prev = snapshot.mechanisms;
  else if (previous.raw_purged_at) return { part: NO_TREND, sources: [] };
  else prev = (await publish(db, previous.id)).main.mechanisms;
  const point = (p: { mean: number | null; fav: number | null } | undefined, c: { mean: number | null; fav: number | null }) => ({
    previousMean: p?.mean ?? null,
    currentMean: c.mean,
    changeMean: p?.mean != null && c.mean !== null ? c.mean - p.mean : null,
    previousFavourable: p?.fav ?? null,
    currentFavourable: c.fav,
    changeFavourable: p?.fav != null && c.fav !== null ? c.fav - p.fav : null,
  });
  const trend: TrendResult = {
    previousRound: { id: previous.id, name: previous.name, closedAt: iso(previous.closed_at) },
    mechanisms: [],
    items: [],
  };
  // Across instrument versions only word-for-word identical items, and scales made of them, compare.
  const cmp = previous.instrument_id !== currentInstrumentId ? trendComparabilityOf(previous.instrument_id, currentInstrumentId) : undefined;
  if (cmp) {
    trend.notComparable = {
      previousInstrumentId: previous.instrument_id,
      mechanisms: cmp.scales.filter((x) => !x.comparable).map((x) => x.mechanismId),
      items: cmp.items.filter((x) => !x.comparable).map((x) => x.itemId),
    };
  }
  const itemComparable = (id: string) => !cmp || cmp.items.some((x) => x.itemId === id && x.comparable);
  for (const m of mechanisms) {
    const p = !cmp || cmp.scales.some((x) => x.mechanismId === m.mechanismId && x.comparable) ? prev.find((x) => x.mechanismId === m.mechanismId) : undefined;
    const pItems = prev.find((x) => x.mechanismId === m.mechanismId)?.items ?? [];
    trend.mechanisms.push({
      mechanismId: m.mechanismId as MechanismId,
      ...point(p ? { mean: p.score?.mean ?? null, fav: p.favourable } : undefined, { mean: m.score?.mean ?? null, fav: m.favourable }),
    });
    for (const item of m.items) {
      const pi = itemComparable(item.itemId) ? pItems.find((x) => x.itemId === item.itemId) : undefined;
      trend.items.push({
        itemId: item.itemId,
        mechanismId: m.mechanismId as MechanismId,
        ...point(pi ? { mean: pi.score?.mean ?? null, fav: pi.favourable } : undefined, { mean: item.score?.mean ?? null, fav: item.favourable }),
      });
    }
  }
  return { part: trend, sources: [] };
}
