import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  completeKeyedRows,
  describeGroupScale,
  distribution,
  itemPercentFavourable,
  keyedValue,
  minItemsForScore,
  percentFavourable,
  percentFavourableFromCounts,
  scaleDistribution,
  scalePercentFavourable,
  scoreBand,
  scoreRespondentScale,
  type AnswersByItemId,
} from '../../scans/scoring/scales.js';

const forward = { id: 'a', reverse: false };
const reversed = { id: 'r', reverse: true };

// A six-item scale, the last item reverse-keyed: ceil(2/3 x 6) = ceil(4) = 4 items needed.
const six = {
  items: [
    { id: 'a', reverse: false },
    { id: 'b', reverse: false },
    { id: 'c', reverse: false },
    { id: 'd', reverse: false },
    { id: 'e', reverse: false },
    { id: 'f', reverse: true },
  ],
};
const itemsOf = (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ id: `i${i}`, reverse: i % 3 === 2 })) });

describe('keyedValue', () => {
  it('turns reverse-keyed answers around as 6 - value', () => {
    expect([1, 2, 3, 4, 5].map((v) => keyedValue(reversed, v))).toEqual([5, 4, 3, 2, 1]);
    expect([1, 2, 3, 4, 5].map((v) => keyedValue(forward, v))).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats "don\'t know" (null) and unanswered as missing', () => {
    expect(keyedValue(reversed, null)).toBeNull();
    expect(keyedValue(forward, undefined)).toBeNull();
  });

  it('rejects values outside 1..5', () => {
    for (const bad of [0, 6, 2.5, -1, Number.NaN]) expect(() => keyedValue(forward, bad)).toThrow(RangeError);
  });

  it('reverse keying twice is the identity (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.boolean(), (v, reverse) => {
        const item = { reverse };
        expect(keyedValue(item, keyedValue(item, v))).toBe(v);
      }),
    );
  });
});

describe('minItemsForScore', () => {
  it('is ceil(2/3 x items)', () => {
    // 5 -> 10/3 = 3.33 -> 4; 6 -> 12/3 = 4 exactly -> 4 (not 5 through float noise); 7 -> 14/3 = 4.67 -> 5;
    // 3 -> 2; 1 -> ceil(0.67) = 1.
    expect(minItemsForScore(5)).toBe(4);
    expect(minItemsForScore(6)).toBe(4);
    expect(minItemsForScore(7)).toBe(5);
    expect(minItemsForScore(3)).toBe(2);
    expect(minItemsForScore(1)).toBe(1);
    expect(minItemsForScore(9)).toBe(6);
  });

  it('rejects empty scales', () => {
    expect(() => minItemsForScore(0)).toThrow(RangeError);
  });
});

describe('scoreRespondentScale', () => {
  it('is missing when every answer is missing', () => {
    expect(scoreRespondentScale(six, {})).toBeNull();
    expect(scoreRespondentScale(six, { a: null, b: null, c: null, d: null, e: null, f: null })).toBeNull();
  });

  it('scores with exactly ceil(2/3) = 4 of 6 answered, after reverse keying', () => {
    // a = 5, b = 4, c = don't know, d = skipped, e = 2, f = 1 (reverse -> 5): (5 + 4 + 2 + 5) / 4 = 16 / 4 = 4.
    expect(scoreRespondentScale(six, { a: 5, b: 4, c: null, e: 2, f: 1 })).toBe(4);
  });

  it('is missing with one answer fewer than ceil(2/3)', () => {
    // 3 of 6 answered < 4.
    expect(scoreRespondentScale(six, { a: 5, b: 4, e: 2 })).toBeNull();
  });

  it('averages all six when all are answered', () => {
    // 1 + 2 + 3 + 4 + 5 + (6 - 5 = 1) = 16; 16 / 6 = 2.6667.
    expect(scoreRespondentScale(six, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 5 })).toBeCloseTo(16 / 6, 12);
  });

  it('needs 5 of 7 and 4 of 5', () => {
    const seven = itemsOf(7); // reverse: i2, i5
    // 5 answered: i0 = 4, i1 = 4, i2 = 2 (-> 4), i3 = 4, i4 = 4 -> 20 / 5 = 4.
    expect(scoreRespondentScale(seven, { i0: 4, i1: 4, i2: 2, i3: 4, i4: 4 })).toBe(4);
    expect(scoreRespondentScale(seven, { i0: 4, i1: 4, i2: 2, i3: 4 })).toBeNull();
    const five = itemsOf(5); // reverse: i2
    // i0 = 3, i1 = 5, i2 = 5 (-> 1), i3 = 3 -> 12 / 4 = 3.
    expect(scoreRespondentScale(five, { i0: 3, i1: 5, i2: 5, i3: 3 })).toBe(3);
    expect(scoreRespondentScale(five, { i0: 3, i1: 5, i2: 5 })).toBeNull();
  });

  it('ignores answers to items outside the scale', () => {
    expect(scoreRespondentScale(six, { a: 5, b: 5, c: 5, zz: 1, yy: 1 })).toBeNull();
  });

  it('stays within [1, 5] (property)', () => {
    const answer = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(answer, { minLength: 9, maxLength: 9 }), (size, answers) => {
        const scale = itemsOf(size);
        const byId: Record<string, number | null> = {};
        scale.items.forEach((item, i) => (byId[item.id] = answers[i] ?? null));
        const s = scoreRespondentScale(scale, byId);
        if (s !== null) {
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(5);
        }
        const answered = answers.slice(0, size).filter((a) => a !== null).length;
        expect(s === null).toBe(answered < Math.ceil((2 * size) / 3));
      }),
    );
  });
});

describe('group scale score', () => {
  it('describes the respondents who have a scale score', () => {
    const respondents: AnswersByItemId[] = [
      { a: 5, b: 4, e: 2, f: 1 }, // (5 + 4 + 2 + 5) / 4 = 4
      { a: 2, b: 2, c: 2, d: 2 }, // 2
      { a: 5 }, // too few answers: left out
    ];
    // Scores 4 and 2: n = 2, mean 3, SD sqrt(((4-3)^2 + (2-3)^2) / 1) = sqrt(2) = 1.414214.
    const d = describeGroupScale(six, respondents)!;
    expect(d.n).toBe(2);
    expect(d.mean).toBe(3);
    expect(d.sd).toBeCloseTo(Math.SQRT2, 12);
  });

  it('is null when no respondent has a score', () => {
    expect(describeGroupScale(six, [{ a: 1 }, {}])).toBeNull();
  });
});

describe('distribution and % favourable', () => {
  it('counts per option plus missing', () => {
    expect(distribution([1, 2, 2, 5, null, undefined, 4])).toEqual({ counts: [1, 2, 0, 1, 1], missing: 2, valid: 5, total: 7 });
    expect(distribution([])).toEqual({ counts: [0, 0, 0, 0, 0], missing: 0, valid: 0, total: 0 });
  });

  it('% favourable is the share of valid keyed answers that are 4 or 5', () => {
    // 4, 5 favourable; 3, 2 not; null left out: 2 / 4 = 50%.
    expect(percentFavourable([4, 5, 3, null, 2])).toBe(50);
    // 1 of 3 = 33.33%.
    expect(percentFavourable([5, 1, 3])).toBeCloseTo(100 / 3, 12);
  });

  it('% favourable is null without valid answers', () => {
    expect(percentFavourable([])).toBeNull();
    expect(percentFavourable([null, undefined])).toBeNull();
    expect(percentFavourableFromCounts(0, 0)).toBeNull();
  });

  it('reverse-keys an item before counting', () => {
    // Raw 1, 2, 4, 5 on a reverse item -> keyed 5, 4, 2, 1: 2 of 4 favourable = 50%.
    expect(itemPercentFavourable(reversed, [1, 2, 4, 5, null])).toBe(50);
    // Raw 1, 1, 3 -> keyed 5, 5, 3: 2 of 3 = 66.67%.
    expect(itemPercentFavourable(reversed, [1, 1, 3])).toBeCloseTo(200 / 3, 12);
    // The same answers on a forward item: 0 of 3.
    expect(itemPercentFavourable(forward, [1, 1, 3])).toBe(0);
  });

  it('scale % favourable counts every valid answer, also without a scale score', () => {
    const scale = { items: [{ id: 'a', reverse: false }, { id: 'b', reverse: false }, { id: 'c', reverse: true }] };
    const respondents: AnswersByItemId[] = [
      { a: 5, b: 3, c: 1 }, // keyed 5, 3, 5 -> 2 favourable of 3
      { a: 2, b: null, c: 4 }, // keyed 2, -, 2 -> 0 of 2
      { a: 4 }, // 1 answer: no scale score (needs 2), but its answer counts here -> 1 of 1
    ];
    // (2 + 0 + 1) / (3 + 2 + 1) = 3 / 6 = 50%.
    expect(scalePercentFavourable(scale, respondents)).toBe(50);
    expect(scaleDistribution(scale, respondents)).toEqual({ counts: [0, 2, 1, 1, 2], missing: 3, valid: 6, total: 9 });
  });

  it('rejects invalid counts', () => {
    expect(() => percentFavourableFromCounts(3, 2)).toThrow(RangeError);
  });
});

describe('completeKeyedRows', () => {
  it('keeps only respondents who answered every item, keyed', () => {
    const scale = { items: [{ id: 'a', reverse: false }, { id: 'b', reverse: true }] };
    expect(completeKeyedRows(scale, [{ a: 1, b: 1 }, { a: 2, b: null }, { a: 3, b: 5 }])).toEqual([
      [1, 5],
      [3, 1],
    ]);
  });
});

describe('scoreBand', () => {
  it('uses the score rounded to one decimal: low < 3.0, middle 3.0-3.9, high >= 4.0', () => {
    expect(scoreBand(1)).toBe('low');
    expect(scoreBand(2.94)).toBe('low'); // shown as 2.9
    expect(scoreBand(2.95)).toBe('middle'); // shown as 3.0
    expect(scoreBand(3)).toBe('middle');
    expect(scoreBand(3.949)).toBe('middle'); // shown as 3.9
    expect(scoreBand(3.95)).toBe('high'); // shown as 4.0
    expect(scoreBand(4)).toBe('high');
    expect(scoreBand(5)).toBe('high');
  });
});
