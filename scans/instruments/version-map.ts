// Which items and scales of two culture-scan versions may be compared in a trend. An item is
// comparable only when it is word for word the same question: same id, same scale, same keying and
// the same text on both forms in both languages. A scale score is comparable only when the two
// versions' scales hold exactly the same comparable items; otherwise the scale's mean is a mean over
// different questions and a change would be an artefact of the rewrite. Pure: no I/O.

import { V2_ITEM_ORIGINS, type ItemOrigin } from './culture-scan-v2.js';
import type { CultureScanInstrument, ScanItem } from './schemas.js';
import { FORMS, LANGUAGES, type MechanismId } from '../types.js';

export type ItemTrendStatus =
  /** The same question in both versions: the trend compares it. */
  | 'identical'
  /** A rewrite of a previous item (same facet, other words): not compared. */
  | 'revised'
  /** A facet the previous version did not ask: nothing to compare with. */
  | 'new';

export interface ItemComparability {
  itemId: string;
  mechanismId: MechanismId;
  status: ItemTrendStatus;
  comparable: boolean;
  /** The previous version's item this one is identical to or revised from, if any. */
  previousItemId: string | null;
}

export interface ScaleComparability {
  mechanismId: MechanismId;
  /** True only when both versions' scales consist of the same identical items. */
  comparable: boolean;
  /** Items of the scale the trend can still compare one by one. */
  comparableItemIds: string[];
}

export interface TrendComparability {
  previousInstrumentId: string;
  currentInstrumentId: string;
  items: ItemComparability[];
  scales: ScaleComparability[];
  /** Items of the previous version that the current one no longer asks (in any wording). */
  droppedItemIds: string[];
}

function sameItem(a: ScanItem, b: ScanItem): boolean {
  if (a.id !== b.id || a.mechanism !== b.mechanism || a.reverse !== b.reverse) return false;
  return FORMS.every((f) => LANGUAGES.every((l) => a.text[f][l] === b.text[f][l]));
}

/** Documented origins of an instrument's items relative to its predecessor, where we have them. */
function documentedOrigins(previous: CultureScanInstrument, current: CultureScanInstrument): Readonly<Record<string, ItemOrigin>> | null {
  if (previous.id === 'culture-scan@1' && current.id === 'culture-scan@2') return V2_ITEM_ORIGINS;
  return null;
}

/**
 * What a trend from a round on `previous` to a round on `current` may compare. Works in both
 * directions and for the same instrument (then everything is comparable). Identity is decided on the
 * texts themselves, not on the documented map, so a wrong map entry cannot make a trend compare two
 * different questions; the map only supplies which previous item a revised one replaces.
 */
export function trendComparability(previous: CultureScanInstrument, current: CultureScanInstrument): TrendComparability {
  const prevItems = new Map(previous.scales.flatMap((s) => s.items.map((i) => [i.id, i] as const)));
  const forward = documentedOrigins(previous, current);
  const backward = forward ? null : documentedOrigins(current, previous);
  // Reverse direction (a v1 round after a v2 round): a v1 item is "revised" when a v2 item was revised from it.
  const revisedInto = new Map<string, string>();
  if (backward) for (const [id, o] of Object.entries(backward)) if (o.kind === 'revised') revisedInto.set(o.v1, id);

  const items: ItemComparability[] = [];
  const used = new Set<string>();
  for (const scale of current.scales) {
    for (const item of scale.items) {
      const prev = prevItems.get(item.id);
      if (prev && sameItem(prev, item)) {
        used.add(item.id);
        items.push({ itemId: item.id, mechanismId: scale.mechanism, status: 'identical', comparable: true, previousItemId: item.id });
        continue;
      }
      const origin = forward?.[item.id];
      const from = origin && origin.kind !== 'new' ? origin.v1 : revisedInto.get(item.id);
      if (from !== undefined && prevItems.has(from)) {
        used.add(from);
        items.push({ itemId: item.id, mechanismId: scale.mechanism, status: 'revised', comparable: false, previousItemId: from });
      } else {
        items.push({ itemId: item.id, mechanismId: scale.mechanism, status: 'new', comparable: false, previousItemId: null });
      }
    }
  }

  const scales: ScaleComparability[] = current.scales.map((scale) => {
    const prevScale = previous.scales.find((s) => s.mechanism === scale.mechanism);
    const comparableItemIds = items.filter((i) => i.mechanismId === scale.mechanism && i.comparable).map((i) => i.itemId);
    const comparable =
      prevScale !== undefined &&
      prevScale.items.length === scale.items.length &&
      comparableItemIds.length === scale.items.length;
    return { mechanismId: scale.mechanism, comparable, comparableItemIds };
  });

  const droppedItemIds = [...prevItems.keys()].filter((id) => !used.has(id));
  return { previousInstrumentId: previous.id, currentInstrumentId: current.id, items, scales, droppedItemIds };
}

/** True when a trend between these two versions can compare at least one item. */
export function hasComparableItems(previous: CultureScanInstrument, current: CultureScanInstrument): boolean {
  return trendComparability(previous, current).items.some((i) => i.comparable);
}
