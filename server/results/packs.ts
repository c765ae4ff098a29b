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
  const out: string[] = [];
  forEachPacked(pack, (id, value) => {
    if (value !== null) out.push(id);
  });
  return out;
}
