// The answer packs of migration 0023 (`id:value,...` in id order, an empty value for null), read
// without a database: pure, so the disclosure worker can import it too.

/** The pairs of a pack, handed to `each` as (id, value or null). Null or empty: none. */
export function forEachPacked(pack: string | null, each: (id: string, value: number | null) => void): void {
  if (!pack) return;
  // Scanned in place: split(',') and two slices per pair were ~0.7 s of allocation in the
  // 100,000-respondent close (three packs read per respondent). A one-digit value (every answer and
  // rating but a negative one) is read from its character code.
  const length = pack.length;
  for (let start = 0; start <= length; ) {
    let end = pack.indexOf(',', start);
    if (end < 0) end = length;
    let at = pack.indexOf(':', start);
    if (at > end) at = -1;
    // A pair without ':' reads as split and slice did: the id without its last character, the whole pair as value.
    const id = at < 0 ? pack.slice(start, Math.max(start, end - 1)) : pack.slice(start, at);
    const from = at < 0 ? start : at + 1;
    let value: number | null;
    if (from === end) value = null;
    else if (from + 1 === end && pack.charCodeAt(from) >= 48 && pack.charCodeAt(from) <= 57) value = pack.charCodeAt(from) - 48;
    else value = Number(pack.slice(from, end));
    each(id, value);
    start = end + 1;
  }
}

/** A pack as {id: value}. */
export function unpackRecord(pack: string | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  forEachPacked(pack, (id, value) => (out[id] = value));
  return out;
}

/** The ids in a pack whose value is not null, in the pack's (id) order. */
export function ratedIds(pack: string | null): string[] {
  return new PackReader().rated(pack);
}

/**
 * Reads many packs whose ids mostly come in the same order (every respondent of a round answers the
 * same items, rates the same factors): each id gets a slot number on first sight, and a pair whose id
 * is the one the last pack had at that position is recognised in place (startsWith), without cutting
 * the id out and looking it up. At 100,000 respondents the cut ids and their map lookups were ~0.5 s
 * of the close, most of it garbage. Same pairs, same order as forEachPacked.
 */
export class PackReader {
  /** Ids by slot, in the order first seen. */
  readonly ids: string[] = [];
  private readonly slots = new Map<string, number>();
  /** The slot at each position of the last pack read. */
  private readonly last: number[] = [];

  /** The slot of `id` (a new one on first sight). */
  slotOf(id: string): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    return slot;
  }

  /** ratedIds: the ids of the pack whose value is not null, in the pack's order. */
  rated(pack: string | null): string[] {
    const out: string[] = [];
    this.forEach(pack, (slot, value) => {
      if (value !== null) out.push(this.ids[slot]!);
    });
    return out;
  }

  /** The pairs of a pack as (slot, value or null), as forEachPacked gives them; the slot's id is ids[slot]. */
  forEach(pack: string | null, each: (slot: number, value: number | null) => void): void {
    if (!pack) return;
    const length = pack.length;
    for (let start = 0, position = 0; start <= length; position++) {
      let end = pack.indexOf(',', start);
      if (end < 0) end = length;
      let slot = this.last[position];
      let from: number;
      const expected = slot === undefined ? undefined : this.ids[slot]!;
      if (expected !== undefined && start + expected.length < end && pack.charCodeAt(start + expected.length) === 58 && pack.startsWith(expected, start)) {
        from = start + expected.length + 1;
      } else {
        let at = pack.indexOf(':', start);
        if (at > end) at = -1;
        // As forEachPacked reads a pair without ':'.
        slot = this.slotOf(at < 0 ? pack.slice(start, Math.max(start, end - 1)) : pack.slice(start, at));
        from = at < 0 ? start : at + 1;
        this.last[position] = slot;
      }
      let value: number | null;
      if (from === end) value = null;
      else if (from + 1 === end && pack.charCodeAt(from) >= 48 && pack.charCodeAt(from) <= 57) value = pack.charCodeAt(from) - 48;
      // A negative one-digit value (a factor rating -2 or -1) from its character codes too.
      else if (from + 2 === end && pack.charCodeAt(from) === 45 && pack.charCodeAt(from + 1) >= 48 && pack.charCodeAt(from + 1) <= 57) value = -(pack.charCodeAt(from + 1) - 48);
      else value = Number(pack.slice(from, end));
      each(slot!, value);
      start = end + 1;
    }
  }
}
