import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_K,
  FREE_TEXT_MIN,
  effectiveK,
  freeTextVisible,
  isGroupVisible,
  suppressPartition,
  suppressPartitions,
  type SuppressedGroup,
} from '../../scans/anonymity.js';

const visibleKeys = (r: SuppressedGroup[]) => r.filter((g) => g.visible).map((g) => g.key);

describe('thresholds', () => {
  it('k is 5 by default and never lower', () => {
    expect(DEFAULT_K).toBe(5);
    expect(effectiveK()).toBe(5);
    expect(effectiveK(null)).toBe(5);
    expect(effectiveK(3)).toBe(5);
    expect(effectiveK(5)).toBe(5);
    expect(effectiveK(8)).toBe(8);
  });

  it('free text needs 10, or k when a round sets more', () => {
    expect(FREE_TEXT_MIN).toBe(10);
    expect(freeTextVisible(9)).toBe(false);
    expect(freeTextVisible(10)).toBe(true);
    expect(freeTextVisible(11, 12)).toBe(false);
  });

  it('a single group needs n >= k', () => {
    expect(isGroupVisible(4)).toBe(false);
    expect(isGroupVisible(5)).toBe(true);
    expect(isGroupVisible(6, 7)).toBe(false);
  });
});

describe('suppressPartition', () => {
  it('hides a small group and the smallest visible sibling that would reveal it', () => {
    // k = 5. A = 12, B = 8, C = 3 (parent 23). C < 5 is hidden; then parent - A - B = 3 would reveal C,
    // so the smallest visible group, B, is hidden too: hidden total 8 + 3 = 11 >= 5.
    expect(suppressPartition([{ key: 'A', n: 12 }, { key: 'B', n: 8 }, { key: 'C', n: 3 }])).toEqual([
      { key: 'A', n: 12, visible: true, reason: null },
      { key: 'B', n: 8, visible: false, reason: 'complementary' },
      { key: 'C', n: 3, visible: false, reason: 'under_k' },
    ]);
  });

  it('needs no complementary suppression when the hidden groups already hold k together', () => {
    // C = 3 and D = 2 hidden: together 5 >= 5, and 23 + 2 - 12 - 8 = 5 cannot be split into C and D.
    const r = suppressPartition([{ key: 'A', n: 12 }, { key: 'B', n: 8 }, { key: 'C', n: 3 }, { key: 'D', n: 2 }]);
    expect(visibleKeys(r)).toEqual(['A', 'B']);
    expect(r.filter((g) => g.reason === 'complementary')).toEqual([]);
  });

  it('shows everything when every group has at least k', () => {
    expect(visibleKeys(suppressPartition([{ key: 'A', n: 5 }, { key: 'B', n: 6 }]))).toEqual(['A', 'B']);
  });

  it('an empty group is hidden but reveals nobody', () => {
    // B = 0 is hidden (no figure); hidden total 0, so A and C stay visible.
    const r = suppressPartition([{ key: 'A', n: 10 }, { key: 'B', n: 0 }, { key: 'C', n: 6 }]);
    expect(visibleKeys(r)).toEqual(['A', 'C']);
  });

  it('breaks ties for the smallest visible group by list order', () => {
    const r = suppressPartition([{ key: 'A', n: 6 }, { key: 'B', n: 6 }, { key: 'C', n: 1 }]);
    expect(r.map((g) => g.reason)).toEqual(['complementary', null, 'under_k']);
  });

  it('uses a higher round k', () => {
    // k = 10: A = 9 hidden; hidden total 9 < 10, so B (12, smaller than C = 15) is hidden as well.
    expect(visibleKeys(suppressPartition([{ key: 'A', n: 9 }, { key: 'B', n: 12 }, { key: 'C', n: 15 }], 10))).toEqual(['C']);
  });

  it('never uses a k below 5', () => {
    // Asked for k = 3, uses 5: A = 4 hidden, then B hidden to protect it.
    expect(visibleKeys(suppressPartition([{ key: 'A', n: 4 }, { key: 'B', n: 10 }, { key: 'C', n: 11 }], 3))).toEqual(['C']);
  });

  it('hides everything when the parent is under k', () => {
    expect(visibleKeys(suppressPartition([{ key: 'A', n: 3 }, { key: 'B', n: 1 }]))).toEqual([]);
  });

  it('includes the "not stated" group like any other', () => {
    // 2 people skipped the question: hidden, and the smallest department (7) is hidden with them.
    const r = suppressPartition([{ key: 'sales', n: 7 }, { key: 'care', n: 20 }, { key: '_not_stated', n: 2 }]);
    expect(visibleKeys(r)).toEqual(['care']);
  });

  it('rejects bad input', () => {
    expect(() => suppressPartition([{ key: 'A', n: -1 }])).toThrow(RangeError);
    expect(() => suppressPartition([{ key: 'A', n: 1.5 }])).toThrow(RangeError);
    expect(() => suppressPartition([{ key: 'A', n: 1 }, { key: 'A', n: 2 }])).toThrow(RangeError);
  });

  it('suppresses several partitions of the same respondents independently', () => {
    const r = suppressPartitions({
      department: [{ key: 'A', n: 12 }, { key: 'B', n: 8 }, { key: 'C', n: 3 }],
      contract: [{ key: 'permanent', n: 18 }, { key: 'flexible', n: 5 }],
    });
    expect(visibleKeys(r.department)).toEqual(['A']);
    expect(visibleKeys(r.contract)).toEqual(['permanent', 'flexible']);
  });

  it('no outcome lets a group under k be derived by subtraction (property)', () => {
    const groups = fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), n: fc.integer({ min: 0, max: 30 }) }), {
      selector: (g) => g.key,
      minLength: 1,
      maxLength: 10,
    });
    fc.assert(
      fc.property(groups, fc.integer({ min: 0, max: 12 }), (input, askedK) => {
        const k = Math.max(5, askedK);
        const out = suppressPartition(input, askedK);
        const parent = input.reduce((s, g) => s + g.n, 0);
        const visible = out.filter((g) => g.visible);
        const hidden = out.filter((g) => !g.visible);
        // Same groups, same order, same counts.
        expect(out.map((g) => [g.key, g.n])).toEqual(input.map((g) => [g.key, g.n]));
        // No visible group under k.
        for (const g of visible) expect(g.n).toBeGreaterThanOrEqual(k);
        // Every group under k is hidden.
        for (const g of out) if (g.n < k) expect(g.visible).toBe(false);
        // What a reader can derive: parent total minus the shown groups = the hidden groups together.
        const derivable = parent - visible.reduce((s, g) => s + g.n, 0);
        if (visible.length > 0) expect(derivable === 0 || derivable >= k).toBe(true);
        else expect(parent).toBe(derivable); // nothing shown: the caller must treat the parent itself
        // A single hidden group would be derived exactly: it must then be empty or have >= k.
        if (hidden.length === 1 && visible.length > 0) expect(hidden[0]!.n === 0 || hidden[0]!.n >= k).toBe(true);
        // Complementary suppression hides at most one extra group, and only when needed.
        const complementary = out.filter((g) => g.reason === 'complementary');
        expect(complementary.length).toBeLessThanOrEqual(1);
        const underK = out.filter((g) => g.reason === 'under_k').reduce((s, g) => s + g.n, 0);
        expect(complementary.length === 1).toBe(underK > 0 && underK < k && input.some((g) => g.n >= k));
      }),
      { numRuns: 500 },
    );
  });
});
