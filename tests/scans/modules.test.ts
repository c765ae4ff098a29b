// Scoring of the optional modules with hand-computed fixtures, open-answer checks and theme counts.
import { describe, expect, it } from 'vitest';
import { roundTo } from '../../scans/scoring/scales.js';
import {
  MOTIVATION_ITEMS,
  OPEN_ANSWER_MAX,
  checkOpenAnswer,
  countThemes,
  learningMix,
  motivationFacetScore,
  motivationProfile,
  motivationProfileOf,
  motivationScoresOf,
  unorderedList,
  weakestNeed,
  LEARNS_LESS_ADVICE,
  LEARNS_LESS_GROUPS,
} from '../../scans/modules/index.js';

describe('motivation scoring', () => {
  it('a facet score is the mean of its valid answers; "don\'t know" and out-of-range values are left out', () => {
    expect(motivationFacetScore('autonomy', { mo_aut1: 4, mo_aut2: 2 })).toBe(3);
    expect(motivationFacetScore('autonomy', { mo_aut1: 5, mo_aut2: null })).toBe(5);
    expect(motivationFacetScore('autonomy', { mo_aut1: 7, mo_aut2: null })).toBeNull();
  });

  it('the group profile, computed by hand', () => {
    // r1: aut (4+2)/2=3, com 5, rel (3+3)/2=3, int (5+4)/2=4.5, must (1+2)/2=1.5 -> want > must
    // r2: aut 1, com (2+3)/2=2.5, rel -, int 2, must (4+4)/2=4 -> must > want
    // r3: nothing valid -> not counted
    const profile = motivationProfile([
      { mo_aut1: 4, mo_aut2: 2, mo_com1: 5, mo_com2: null, mo_rel1: 3, mo_rel2: 3, mo_int1: 5, mo_int2: 4, mo_mst1: 1, mo_mst2: 2 },
      { mo_aut1: 1, mo_com1: 2, mo_com2: 3, mo_int1: 2, mo_mst1: 4, mo_mst2: 4 },
      { mo_aut1: null },
    ]);
    expect(profile.n).toBe(2);
    const by = Object.fromEntries(profile.facets.map((f) => [f.facet, f]));
    expect(by.autonomy).toEqual({ facet: 'autonomy', n: 2, mean: 2 }); // (3 + 1) / 2
    expect(by.competence).toEqual({ facet: 'competence', n: 2, mean: 3.75 }); // (5 + 2.5) / 2
    expect(by.relatedness).toEqual({ facet: 'relatedness', n: 1, mean: 3 });
    expect(by.intrinsic).toEqual({ facet: 'intrinsic', n: 2, mean: 3.25 }); // (4.5 + 2) / 2
    expect(by.must).toEqual({ facet: 'must', n: 2, mean: 2.75 }); // (1.5 + 4) / 2
    expect(profile.wantOverMust).toEqual({ n: 2, percent: 50 });
    expect(weakestNeed(profile)).toBe('autonomy');
  });

  it('a profile of members from scores worked out once equals the profile of their answers, for any subset', () => {
    // The profile as defined, answer by answer (what motivationProfile computed before the scores).
    const reference = (answers: Array<Record<string, unknown>>) => {
      const valid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;
      const facet = (f: string, a: Record<string, unknown>) => {
        const vs = MOTIVATION_ITEMS.filter((i) => i.facet === f).map((i) => a[i.id]).filter(valid);
        return vs.length ? vs.reduce((x, y) => x + y, 0) / vs.length : null;
      };
      const answered = answers.filter((a) => MOTIVATION_ITEMS.some((i) => valid(a[i.id])));
      const facets = ['autonomy', 'competence', 'relatedness', 'intrinsic', 'must'].map((f) => {
        const scores = answered.map((a) => facet(f, a)).filter((s): s is number => s !== null);
        const m = scores.length ? scores.reduce((x, y) => x + y, 0) / scores.length : null;
        return { facet: f, n: scores.length, mean: m === null ? null : roundTo(m, 2) };
      });
      const pairs = answered.map((a) => [facet('intrinsic', a), facet('must', a)] as const).filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
      const want = pairs.filter(([i, m]) => i > m).length;
      return { n: answered.length, facets, wantOverMust: { n: pairs.length, percent: pairs.length ? roundTo((100 * want) / pairs.length, 0) : null } };
    };
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = [1, 2, 3, 4, 5, null, undefined, 0, 6, 2.5];
    const answers = Array.from({ length: 400 }, () => Object.fromEntries(MOTIVATION_ITEMS.filter(() => rand() < 0.8).map((i) => [i.id, values[Math.floor(rand() * values.length)]])));
    const scores = motivationScoresOf(answers as never);
    for (let round = 0; round < 20; round++) {
      const members = answers.map((_, i) => i).filter(() => rand() < (round + 1) / 20);
      expect(motivationProfileOf(scores, members)).toEqual(reference(members.map((i) => answers[i]!)));
    }
    expect(motivationProfile(answers as never)).toEqual(reference(answers));
  });

  it('every facet has two items, every item one short sentence', () => {
    for (const f of ['autonomy', 'competence', 'relatedness', 'intrinsic', 'must']) expect(MOTIVATION_ITEMS.filter((i) => i.facet === f)).toHaveLength(2);
    for (const i of MOTIVATION_ITEMS) for (const t of [i.text.nl, i.text.en]) expect(t.split(/\s+/).length).toBeLessThanOrEqual(15);
  });
});

describe('learning mix', () => {
  it('shares per way and folded onto 70-20-10, computed by hand', () => {
    // 8 choices: doing 3, colleagues 2, searching 1, feedback 0, courses 2; one invalid, one null
    const mix = learningMix(['doing', 'doing', 'doing', 'colleagues', 'colleagues', 'searching', 'courses', 'courses', 'gossip', null])!;
    expect(mix.n).toBe(8);
    expect(mix.ways.map((w) => [w.way, w.count, w.percent])).toEqual([
      ['doing', 3, 37.5],
      ['colleagues', 2, 25],
      ['searching', 1, 12.5],
      ['feedback', 0, 0],
      ['courses', 2, 25],
    ]);
    // experience = doing + searching = 4/8, others = colleagues + feedback = 2/8, formal = 2/8
    expect(mix.model).toEqual([
      { part: 'experience', percent: 50, modelPercent: 70 },
      { part: 'others', percent: 25, modelPercent: 20 },
      { part: 'formal', percent: 25, modelPercent: 10 },
    ]);
    expect(learningMix([null, undefined])).toBeNull();
  });
});

describe('open answers', () => {
  it('rejects markup, whitespace only and over-long text with a named problem', () => {
    expect(checkOpenAnswer('   \n\t ')).toEqual({ ok: false, problem: 'only_whitespace' });
    expect(checkOpenAnswer('<script>alert(1)</script>')).toEqual({ ok: false, problem: 'markup' });
    expect(checkOpenAnswer('meer <b>tijd</b>')).toEqual({ ok: false, problem: 'markup' });
    expect(checkOpenAnswer('x'.repeat(100 * 1024))).toEqual({ ok: false, problem: 'too_long' });
    expect(checkOpenAnswer('a'.repeat(OPEN_ANSWER_MAX + 1))).toEqual({ ok: false, problem: 'too_long' });
    expect(checkOpenAnswer('a'.repeat(OPEN_ANSWER_MAX))).toEqual({ ok: true, text: 'a'.repeat(OPEN_ANSWER_MAX) });
  });

  it('keeps plain text with comparison signs and trims it', () => {
    expect(checkOpenAnswer('  1 < 2 en 3 > 2  ')).toEqual({ ok: true, text: '1 < 2 en 3 > 2' });
    expect(checkOpenAnswer('')).toEqual({ ok: true, text: '' });
  });

  it('counts each theme once per answer, by word start', () => {
    const counts = Object.fromEntries(
      countThemes(['Meer tijd en tijd om samen met collega\u2019s te leren', 'Een cursus', 'Time with my colleague', 'werktijd']).map((t) => [t.id, t.count]),
    );
    expect(counts.time).toBe(2); // "werktijd" is not a word start
    expect(counts.colleagues).toBe(2);
    expect(counts.training).toBe(1);
    expect(counts.budget).toBe(0);
    // The expressions are made once and kept: counting again (other texts first) gives the same.
    countThemes(['tijd tijd', 'budget', 'Training']);
    const again = Object.fromEntries(countThemes(['Meer tijd en tijd om samen met collega\u2019s te leren', 'Een cursus', 'Time with my colleague', 'werktijd']).map((t) => [t.id, t.count]));
    expect(again).toEqual(counts);
  });

  it('lists answers in an order that does not follow input order', () => {
    expect(unorderedList(['b', 'c', 'a'])).toEqual(['a', 'b', 'c']);
  });
});

describe('who learns less', () => {
  it('has advice in both languages for every group', () => {
    for (const g of LEARNS_LESS_GROUPS) {
      expect(LEARNS_LESS_ADVICE[g.id].length).toBeGreaterThan(0);
      for (const a of LEARNS_LESS_ADVICE[g.id]) expect(a.nl.length > 10 && a.en.length > 10).toBe(true);
    }
  });
});
