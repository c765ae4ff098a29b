// Sets of respondents as bit sets: respondent i of a round is bit i. Disclosure control compares the
// respondents behind figures (is one set inside another, how many differ), which is what these do.

export type Bits = Uint32Array;

export function emptyBits(size: number): Bits {
  return new Uint32Array(Math.ceil(size / 32));
}

export function bitsOf(indices: Iterable<number>, size: number): Bits {
  const b = emptyBits(size);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`respondent index ${i} outside 0..${size - 1}`);
    b[i >>> 5]! |= 1 << (i & 31);
  }
  return b;
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function hasBit(b: Bits, i: number): boolean {
  return ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function countBits(b: Bits): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) n += popcount32(b[i]!);
  return n;
}

/** The sum of weights[i] over the set bits i (bit i stands for weights[i] respondents). */
export function weightedCount(b: Bits, weights: ArrayLike<number>): number {
  let n = 0;
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const t = x & -x;
      n += weights[w * 32 + (31 - Math.clz32(t))]!;
      x ^= t;
    }
  }
  return n;
}

export function andBits(a: Bits, b: Bits): Bits {
  const len = Math.max(a.length, b.length);
  const out = new Uint32Array(len);
  for (let i = 0; i < len; i++) out[i] = (a[i] ?? 0) & (b[i] ?? 0);
  return out;
}

export function orBits(a: Bits, b: Bits): Bits {
  const len = Math.max(a.length, b.length);
  const out = new Uint32Array(len);
  for (let i = 0; i < len; i++) out[i] = (a[i] ?? 0) | (b[i] ?? 0);
  return out;
}

/** True when every respondent of a is also in b. */
export function isSubset(a: Bits, b: Bits): boolean {
  const len = Math.max(a.length, b.length);
  for (let i = 0; i < len; i++) if (((a[i] ?? 0) & ~(b[i] ?? 0)) !== 0) return false;
  return true;
}

/** Respondents in b that are not in a. */
export function countDifference(b: Bits, a: Bits): number {
  let n = 0;
  const len = Math.max(a.length, b.length);
  for (let i = 0; i < len; i++) n += popcount32((b[i] ?? 0) & ~(a[i] ?? 0));
  return n;
}

export function indicesOf(b: Bits): number[] {
  const out: number[] = [];
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const t = x & -x;
      out.push(w * 32 + (31 - Math.clz32(t)));
      x ^= t;
    }
  }
  return out;
}
