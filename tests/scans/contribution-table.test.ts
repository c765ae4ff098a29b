// ContributionTable.addCoded (answer masks per scale, the release build's answer pass) against add()
// with the contribution those masks describe: the same table, class for class and family for family.
import { describe, expect, it } from 'vitest';
import { compositesFor, ContributionTable, STAT, type CodedContribution, type CodedScale, type ContributionTableData, type RespondentContribution } from '../../scans/disclosure/model.js';
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

/** The statistics a respondent contributes to, by their names (STAT), written out here as the rules define them. */
function statisticsOf(c: RespondentContribution): Set<string> {
  const mgmt = c.form === 'management';
  const out = new Set<string>([STAT.respondents, mgmt ? STAT.managers : STAT.employees]);
  for (const m of c.scored) out.add(mgmt ? STAT.mgmtScale(m) : STAT.scale(m));
  for (const m of c.answeredScales) out.add(mgmt ? STAT.mgmtScaleAnswers(m) : STAT.scaleAnswers(m));
  for (const i of c.items) out.add(mgmt ? STAT.mgmtItem(i) : STAT.item(i));
  if (!mgmt) {
    for (const m of c.complete) out.add(STAT.alpha(m));
    for (const f of c.frames ?? []) out.add(STAT.placement(f));
    if ((c.factorsRated ?? []).length > 0) out.add(STAT.factorRaters);
    for (const f of c.factorsRated ?? []) out.add(STAT.factor(f));
  }
  return out;
}

/**
 * A table's classes as "family | kind | statistics of the family touched -> respondents", and the same
 * counted straight from the respondents (with the table's families): what the table must hold,
 * however it finds a class.
 */
function classesOf(data: ContributionTableData): Map<string, number> {
  const out = new Map<string, number>();
  data.families.forEach((fam, f) => {
    fam.counts.forEach((n, i) => {
      const kind = data.kinds[fam.kinds[i]!]!;
      const stats = fam.stats.filter((_, bit) => (fam.masks[i]! >>> bit) & 1);
      const key = `${f}|${JSON.stringify(kind)}|${stats.join(',')}`;
      out.set(key, (out.get(key) ?? 0) + n);
    });
  });
  return out;
}
function expectedClasses(data: ContributionTableData, respondents: Array<{ c: RespondentContribution; covered: boolean[]; count: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const { c, covered, count } of respondents) {
    const groups = ['all'];
    if (c.form === 'employee') for (const d of ['department', 'role', 'education', 'contract', 'age_band'] as const) groups.push(`${d}:${c.background[d] ?? '_not_stated'}`);
    const stats = statisticsOf(c);
    data.families.forEach((fam, f) => {
      const touched = fam.stats.filter((x) => stats.has(x));
      if (touched.length === 0) return;
      const key = `${f}|${JSON.stringify({ groups, covered })}|${touched.join(',')}`;
      out.set(key, (out.get(key) ?? 0) + count);
    });
  }
  return out;
}

describe('ContributionTable.addCoded', () => {
  it('builds the table add() builds from the same respondents, on random rounds', () => {
    for (let round = 0; round < 20; round++) {
      const rnd = prng(500 + round);
      const earlier = round % 3;
      const coded = new ContributionTable(compositesFor(scales), earlier, scales);
      const plain = new ContributionTable(compositesFor(scales), earlier);
      // The answer pass's numbering of form and background (finer than a kind: a null and an absent
      // dimension get different numbers, and so do managers of different backgrounds).
      const hinted = new ContributionTable(compositesFor(scales), earlier, scales);
      const numbers = new Map<string, number>();
      const added: Array<{ c: RespondentContribution; covered: boolean[]; count: number }> = [];
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
        const key = `${c.form}${JSON.stringify(c.background)}`;
        if (!numbers.has(key)) numbers.set(key, numbers.size);
        hinted.addCoded({ ...c, backgroundIndex: numbers.get(key)! }, covered, count);
        added.push({ c: expand(c), covered, count });
      }
      expect(classesOf(plain.data())).toEqual(expectedClasses(plain.data(), added));
      expect(coded.data()).toEqual(plain.data());
      expect(hinted.data()).toEqual(plain.data());
      expect(coded.size).toBeGreaterThan(0);
    }
  });

  it('counts respondents who answer alike and differently in turn into their own classes', () => {
    // The last mask per kind and family is remembered: a respondent answering as the one before, then
    // one answering otherwise, then the first way again, must land in the classes add() gives.
    const coded = new ContributionTable(compositesFor(scales), 0, scales);
    const plain = new ContributionTable(compositesFor(scales), 0);
    const full = scales.map((s) => (1 << s.itemIds.length) - 1);
    const partial = scales.map((s, i) => (i % 2 ? 1 : (1 << s.itemIds.length) - 2));
    const added: Array<{ c: RespondentContribution; covered: boolean[]; count: number }> = [];
    for (const masks of [full, full, partial, full, partial, partial, full]) {
      for (const form of ['employee', 'management'] as const) {
        const c: CodedContribution = { form, background: { department: 'Zorg' }, masks, backgroundIndex: form === 'employee' ? 0 : 1 };
        coded.addCoded(c);
        plain.add(expand(c));
        added.push({ c: expand(c), covered: [], count: 1 });
      }
    }
    expect(coded.data()).toEqual(plain.data());
    expect(classesOf(coded.data())).toEqual(expectedClasses(coded.data(), added));
    // Every employee in one class of the respondents' family; on the first scale's answers and items, the four full and three partial answers apart.
    const data = coded.data();
    const fam = data.families.findIndex((f) => f.stats.includes(STAT.respondents));
    const scale = data.families.findIndex((f) => f.stats[0] === STAT.scaleAnswers(scales[0]!.mechanismId));
    const classes = classesOf(data);
    expect(classes.get(`${fam}|${JSON.stringify(data.kinds[0])}|respondents,employees`)).toBe(7);
    expect(data.families[scale]!.counts).toEqual([4, 3]);
    expect(coded.classes).toBe(plain.classes);
  });

  it('refuses masks that do not match its scales', () => {
    const table = new ContributionTable(compositesFor(scales), 0, scales);
    expect(() => table.addCoded({ form: 'employee', background: {}, masks: [1] })).toThrow(/masks for/);
    expect(() => new ContributionTable([], 0).addCoded({ form: 'employee', background: {}, masks: [1] })).toThrow(/masks for/);
    expect(() => table.addCoded({ form: 'employee', background: {}, masks: scales.map(() => 1), backgroundIndex: -1 })).toThrow(/backgroundIndex/);
  });
});
