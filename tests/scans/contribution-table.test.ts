// ContributionTable.addCoded (answer masks per scale, the release build's answer pass) against add()
// with the contribution those masks describe: the same table, class for class and family for family.
import { describe, expect, it } from 'vitest';
import { compositesFor, ContributionTable, type CodedContribution, type CodedScale, type RespondentContribution } from '../../scans/disclosure/model.js';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { minItemsForScore } from '../../scans/scoring/scales.js';
import { prng } from '../../server/lib/prng.js';

const scan = getCultureScan('culture-scan@1')!;
const scales: CodedScale[] = scan.scales.map((s) => ({ mechanismId: s.mechanism, itemIds: s.items.map((i) => i.id), minItems: minItemsForScore(s.items.length) }));

/** The contribution add() takes for these masks (as loadContributions builds it). */
function expand(c: CodedContribution): RespondentContribution {
  const scored: string[] = [];
  const answeredScales: string[] = [];
  const complete: string[] = [];
  const items: string[] = [];
  scales.forEach((s, i) => {
    const mask = c.masks[i]!;
    const answered = s.itemIds.filter((_, k) => (mask >>> k) & 1);
    items.push(...answered);
    if (answered.length > 0) answeredScales.push(s.mechanismId);
    if (answered.length >= s.minItems) scored.push(s.mechanismId);
    if (answered.length === s.itemIds.length) complete.push(s.mechanismId);
  });
  return { form: c.form, background: c.background, scored, answeredScales, complete, items, frames: c.frames ?? [], factorsRated: c.factorsRated ?? [] };
}

describe('ContributionTable.addCoded', () => {
  it('builds the table add() builds from the same respondents, on random rounds', () => {
    for (let round = 0; round < 20; round++) {
      const rnd = prng(500 + round);
      const earlier = round % 3;
      const coded = new ContributionTable(compositesFor(scales), earlier, scales);
      const plain = new ContributionTable(compositesFor(scales), earlier);
      const n = 1 + Math.floor(rnd() * 300);
      for (let r = 0; r < n; r++) {
        // Mostly complete answers, some don't-knows, some empty scales; a few managers.
        const masks = scales.map((s) => {
          if (rnd() < 0.05) return 0;
          let m = 0;
          for (let k = 0; k < s.itemIds.length; k++) if (rnd() > 0.15) m |= 1 << k;
          return m;
        });
        const c: CodedContribution = {
          form: rnd() < 0.1 ? 'management' : 'employee',
          background: { department: rnd() < 0.2 ? null : ['Zorg', 'Staf', 'ICT'][Math.floor(rnd() * 3)]!, role: rnd() < 0.5 ? 'employee' : null, age_band: ['25_34', '35_44'][Math.floor(rnd() * 2)]! },
          masks,
          frames: rnd() < 0.5 ? ['current', 'desired'].filter(() => rnd() < 0.7) : null,
          factorsRated: rnd() < 0.6 ? ['f1', 'f2', 'f3'].filter(() => rnd() < 0.6) : [],
        };
        const covered = Array.from({ length: earlier }, () => rnd() < 0.5);
        const count = 1 + Math.floor(rnd() * 2);
        coded.addCoded(c, covered, count);
        plain.add(expand(c), covered, count);
      }
      expect(coded.data()).toEqual(plain.data());
      expect(coded.size).toBeGreaterThan(0);
    }
  });

  it('refuses masks that do not match its scales', () => {
    const table = new ContributionTable(compositesFor(scales), 0, scales);
    expect(() => table.addCoded({ form: 'employee', background: {}, masks: [1] })).toThrow(/masks for/);
    expect(() => new ContributionTable([], 0).addCoded({ form: 'employee', background: {}, masks: [1] })).toThrow(/masks for/);
  });
});
