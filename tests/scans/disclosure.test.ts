// The disclosure decision (scans/disclosure/decide.ts), tested on random sets of respondents with
// fast-check, and the bit sets it works on against plain arrays.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bitsOf, countBits, countDifference, indicesOf, isSubset, orBits } from '../../scans/disclosure/bits.js';
import { decideDisclosure, type FigureCandidate } from '../../scans/disclosure/decide.js';

const SIZE = 40;

describe('bit sets', () => {
  it('agree with plain sets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(SIZE - 1)), fc.uniqueArray(fc.nat(SIZE - 1)), (a, b) => {
        const A = bitsOf(a, SIZE);
        const B = bitsOf(b, SIZE);
        expect(countBits(A)).toBe(a.length);
        expect(indicesOf(A)).toEqual([...a].sort((x, y) => x - y));
        expect(isSubset(A, B)).toBe(a.every((x) => b.includes(x)));
        expect(countDifference(B, A)).toBe(b.filter((x) => !a.includes(x)).length);
        expect(countBits(orBits(A, B))).toBe(new Set([...a, ...b]).size);
      }),
    );
  });
});

const figure = (key: string, statistic: string, group: string, members: number[], extra: Partial<FigureCandidate> = {}): FigureCandidate => ({
  key,
  statistic,
  group,
  members: bitsOf(members, SIZE),
  ...extra,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('decideDisclosure: examples', () => {
  it('a figure over fewer than k respondents is suppressed, also 0', () => {
    const d = decideDisclosure({ k: 5, figures: [figure('a', 's', 'all', range(0, 4)), figure('b', 's', 'g', []), figure('c', 't', 'all', range(0, 5))] });
    expect(d.suppressed.get('a')).toBe('under_k');
    expect(d.suppressed.get('b')).toBe('under_k');
    expect(d.isPublished('c')).toBe(true);
  });

  it('a group inside another, differing by 1..k-1, loses its figure; by 0 or k it keeps it', () => {
    const d = decideDisclosure({
      k: 5,
      figures: [
        figure('all', 's', 'all', range(0, 12)),
        figure('g9', 's', 'g', range(0, 9)), // 12 - 9 = 3 < 5: suppressed
        figure('h7', 's', 'h', range(0, 7)), // 12 - 7 = 5: fine, and 9 is gone
        figure('same', 's', 'i', range(0, 12)), // difference 0: fine
      ],
    });
    expect(d.suppressed.get('g9')).toBe('nested_difference');
    expect(d.isPublished('h7')).toBe(true);
    expect(d.isPublished('same')).toBe(true);
    expect(d.isPublished('all')).toBe(true);
  });

  it('overlapping groups that do not contain each other are not a difference', () => {
    const d = decideDisclosure({ k: 5, figures: [figure('a', 's', 'a', range(0, 8)), figure('b', 's', 'b', range(2, 10))] });
    expect(d.suppressed.size).toBe(0);
  });

  it('an earlier release is fixed: a new figure 1..k-1 away from it is suppressed instead', () => {
    const d = decideDisclosure({ k: 5, figures: [figure('r1', 's', 'all', range(0, 10), { fixed: true }), figure('r2', 's', 'all', range(0, 12))] });
    expect(d.suppressed.get('r2')).toBe('nested_difference');
    expect(d.isPublished('r1')).toBe(true);
  });

  it('complementary: the hidden children of a shown parent hold 0 or >= k respondents', () => {
    const d = decideDisclosure({
      k: 5,
      partitions: [{ parent: 'all', children: ['a', 'b', 'c'] }],
      figures: [figure('p', 's', 'all', range(0, 16)), figure('a', 's', 'a', range(0, 7)), figure('b', 's', 'b', range(7, 13)), figure('c', 's', 'c', range(13, 16))],
    });
    expect(d.suppressed.get('c')).toBe('under_k');
    expect(d.suppressed.get('b')).toBe('complementary');
    expect(d.isPublished('a')).toBe(true);
  });

  it('composite: a sum is withheld while its withheld parts rest on 1..k-1 respondents', () => {
    const d = decideDisclosure({
      k: 5,
      composites: [{ statistic: 'scale', parts: ['i1', 'i2'] }],
      figures: [figure('scale', 'scale', 'all', range(0, 10)), figure('i1', 'i1', 'all', range(0, 10)), figure('i2', 'i2', 'all', range(0, 3))],
    });
    expect(d.suppressed.get('i2')).toBe('under_k');
    expect(d.suppressed.get('scale')).toBe('composite');
  });

  it('a gate takes every figure of its group with it', () => {
    const d = decideDisclosure({
      k: 5,
      gateOf: (s) => (s === 'n' ? null : 'n'),
      figures: [figure('n', 'n', 'g', range(0, 4)), figure('x', 'x', 'g', range(0, 10))],
    });
    expect(d.suppressed.get('x')).toBe('gate');
  });
});

// Random figures: a few statistics over random groups (random subsets of 0..SIZE-1, some nested by
// construction), a partition of the whole, earlier fixed figures.
const scenario = fc.record({
  k: fc.integer({ min: 2, max: 8 }),
  statistics: fc.integer({ min: 1, max: 3 }),
  // membership: per respondent, the group of the partition (0..3) and whether they answered each statistic
  respondents: fc.array(fc.record({ part: fc.nat(3), answered: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), inExtra: fc.boolean() }), {
    minLength: 0,
    maxLength: SIZE,
  }),
  fixedFrom: fc.nat(SIZE),
});

interface Scenario {
  k: number;
  statistics: number;
  respondents: Array<{ part: number; answered: boolean[]; inExtra: boolean }>;
  fixedFrom: number;
}

function build(s: Scenario) {
  const figures: FigureCandidate[] = [];
  const children = ['p0', 'p1', 'p2', 'p3'];
  for (let st = 0; st < s.statistics; st++) {
    const who = (pred: (r: Scenario['respondents'][number], i: number) => boolean): number[] =>
      s.respondents.map((r, i) => (r.answered[st] && pred(r, i) ? i : -1)).filter((i: number) => i >= 0);
    const stat = `s${st}`;
    figures.push(figure(`${stat}@all`, stat, 'all', who(() => true)));
    children.forEach((c, ci) => figures.push(figure(`${stat}@${c}`, stat, c, who((r) => r.part === ci))));
    // An extra group that cuts across the partition, sometimes inside one of its groups.
    figures.push(figure(`${stat}@x`, stat, 'x', who((r) => r.inExtra && r.part <= 1)));
    // An earlier release: the same statistic over the first respondents only.
    figures.push(figure(`${stat}@all#0`, stat, 'all', who((_, i) => i < s.fixedFrom), { fixed: true }));
  }
  return { figures, partitions: [{ parent: 'all', children }] };
}

describe('decideDisclosure: properties', () => {
  it('no published figure rests on 1..k-1 respondents, and no nested pair differs by 1..k-1', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { figures, partitions } = build(s);
        const d = decideDisclosure({ k: s.k, figures, partitions });
        const shown = figures.filter((f) => d.isPublished(f.key));
        for (const f of shown) if (!f.fixed) expect(countBits(f.members)).toBeGreaterThanOrEqual(s.k);
        for (const a of shown) {
          for (const b of shown) {
            if (a === b || a.statistic !== b.statistic || (a.fixed && b.fixed)) continue;
            if (!isSubset(a.members, b.members)) continue;
            const diff = countDifference(b.members, a.members);
            expect(diff === 0 || diff >= s.k, `${a.key} inside ${b.key} differ by ${diff}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the hidden groups of a shown partition hold 0 or at least k respondents', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { figures, partitions } = build(s);
        const d = decideDisclosure({ k: s.k, figures, partitions });
        for (let st = 0; st < s.statistics; st++) {
          if (!d.isPublished(`s${st}@all`)) continue;
          const hidden = partitions[0]!.children
            .map((c) => figures.find((f) => f.key === `s${st}@${c}`)!)
            .filter((f) => !d.isPublished(f.key))
            .reduce((n, f) => n + countBits(f.members), 0);
          expect(hidden === 0 || hidden >= s.k).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fixed figures are never suppressed, and a figure with n >= k and no conflict stays', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { figures, partitions } = build(s);
        const d = decideDisclosure({ k: s.k, figures, partitions });
        for (const f of figures) if (f.fixed) expect(d.isPublished(f.key)).toBe(true);
        // Without partitions or other figures, a single figure is published exactly when n >= k.
        for (const f of figures.filter((x) => !x.fixed)) {
          const alone = decideDisclosure({ k: s.k, figures: [f] });
          expect(alone.isPublished(f.key)).toBe(countBits(f.members) >= s.k);
        }
      }),
      { numRuns: 100 },
    );
  });
});
