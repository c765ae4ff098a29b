// The readers of answer packs (server/results/packs.ts): forEachPacked scans a pack in place, and
// PackReader recognises ids by the position they had in the last pack. Both must give exactly the
// pairs that splitting the pack gives, malformed packs included.
import { describe, expect, it } from 'vitest';
import { forEachPacked, PackReader, ratedIds, unpackRecord } from '../../server/results/packs.js';
import { prng } from '../../server/lib/prng.js';

/** The reading by split and slice: what the packs meant before the scanning readers. */
function bySplit(pack: string | null): string[] {
  if (!pack) return [];
  return pack.split(',').map((pair) => {
    const at = pair.indexOf(':');
    const value = pair.slice(at + 1);
    return `${pair.slice(0, at)}=${String(value === '' ? null : Number(value))}`;
  });
}

function packs(seed: number, n: number): string[] {
  const rnd = prng(seed);
  const ids = ['a1', 'a2', 'b', 'b10', 'c', 'x_9'];
  const out = ['', 'a:1', 'a:1,b:,c:-2', 'x', 'x,', ',', 'a:1,,b:2', 'a:12,b:3.5', 'a::1', ':', 'a:', ':5', 'a:1,b', 'q1:5,q2:,q3:x'];
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.7) {
      // Mostly the same ids in the same order, some left out, values of one or two characters or none.
      out.push(ids.filter(() => rnd() < 0.9).map((id) => `${id}:${rnd() < 0.1 ? '' : rnd() < 0.1 ? '-2' : Math.floor(rnd() * 6)}`).join(','));
    } else {
      let s = '';
      const m = Math.floor(rnd() * 8);
      for (let j = 0; j < m; j++) s += 'ab:,-19'[Math.floor(rnd() * 7)];
      out.push(s);
    }
  }
  return out;
}

describe('pack readers', () => {
  it('forEachPacked gives the pairs that splitting gives', () => {
    for (const pack of [null, ...packs(1, 5000)]) {
      const got: string[] = [];
      forEachPacked(pack, (id, value) => got.push(`${id}=${String(value)}`));
      expect(got, JSON.stringify(pack)).toEqual(bySplit(pack));
    }
    expect(unpackRecord('i1:4,i2:')).toEqual({ i1: 4, i2: null });
    expect(ratedIds('f1:-1,f2:,f3:2')).toEqual(['f1', 'f3']);
  });

  it('PackReader gives the same pairs, one slot per id, whatever order the ids come in', () => {
    const reader = new PackReader();
    for (const pack of [null, ...packs(2, 20_000)]) {
      const got: string[] = [];
      reader.forEach(pack, (slot, value) => got.push(`${reader.ids[slot]}=${String(value)}`));
      expect(got, JSON.stringify(pack)).toEqual(bySplit(pack));
    }
    expect(new Set(reader.ids).size).toBe(reader.ids.length);
    for (const [slot, id] of reader.ids.entries()) expect(reader.slotOf(id)).toBe(slot);
  });
});
