// The answer packs of migration 0023 (`id:value,...` in id order, an empty value for null), read
// without a database: pure, so the disclosure worker can import it too.

/** The pairs of a pack, handed to `each` as (id, value or null). Null or empty: none. */
export function forEachPacked(pack: string | null, each: (id: string, value: number | null) => void): void {
  if (!pack) return;
  for (const pair of pack.split(',')) {
    const at = pair.indexOf(':');
    const value = pair.slice(at + 1);
    each(pair.slice(0, at), value === '' ? null : Number(value));
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
