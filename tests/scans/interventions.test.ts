// The interventions catalogue and its ranking. Needs below are worked out by hand from the rule in
// scans/interventions.ts: need = weighted mean of (100 - % favourable) + max(0, published - % favourable),
// weight 1 for the primary target and 0.5 for each other target.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { INTERVENTIONS, itemFiguresOf, interventionNeed, interventionsForMechanism, rankInterventions, type ItemFigures } from '../../scans/interventions.js';
import { computePriorities } from '../../scans/priorities.js';
import type { MechanismItem, MechanismResult } from '../../scans/result-model.js';
import { MECHANISM_IDS, type MechanismId } from '../../scans/types.js';

// The catalogue is written against version 1's items; version 2 reads it through its rewrites (below).
const instrument = getCultureScan('culture-scan@1')!;
const allItems = instrument.scales.flatMap((s) => s.items);
const hiddenRank = { shown: false as const, reason: 'too_few_organisations' as const, minimumGroupSize: 5 };

function figures(fav: Record<string, number>, base = 90): Map<string, ItemFigures> {
  return new Map(allItems.map((i) => [i.id, { itemId: i.id, text: i.text.employee, favourable: fav[i.id] ?? base, published: null }]));
}

/** A mechanism result whose items have the given % favourable (default 85). */
function mechanism(id: MechanismId, mean: number, favourable: number, itemFav: Record<string, number>): MechanismResult {
  const scale = instrument.scales.find((s) => s.mechanism === id)!;
  const items: MechanismItem[] = scale.items.map((i) => ({
    itemId: i.id,
    text: i.text.employee,
    reverse: i.reverse,
    suppressed: false,
    score: null,
    favourable: itemFav[i.id] ?? 85,
    distribution: null,
    published: null,
    publishedDelta: null,
    benchmarks: [],
  }));
  return {
    mechanismId: id,
    name: { nl: id, en: id },
    description: { nl: '', en: '' },
    suppressed: false,
    score: { n: 40, mean, sd: 0.8, ciLow: mean - 0.2, ciHigh: mean + 0.2 },
    favourable,
    distribution: null,
    alpha: null,
    band: null,
    advice: null,
    benchmarks: [],
    percentiles: { overall: hiddenRank, sector: hiddenRank, sizeClass: hiddenRank },
    items,
  };
}

describe('interventions catalogue', () => {
  it('names items of the instrument, a source, a first step, an owner and a statement to watch, in both languages', () => {
    const ids = new Set(allItems.map((i) => i.id));
    for (const iv of INTERVENTIONS) {
      for (const t of iv.targets) expect(ids.has(t), `${iv.id} -> ${t}`).toBe(true);
      expect(iv.source.length, iv.id).toBeGreaterThan(5);
      expect(iv.firstStep.nl.length && iv.firstStep.en.length, iv.id).toBeGreaterThan(30);
      expect(iv.text.nl).not.toBe(iv.text.en);
      if (iv.mechanisms.length > 0) expect(iv.watchItem, iv.id).toBe(iv.targets[0]);
    }
  });

  it('offers every intervention the instrument lists, and at least four per mechanism', () => {
    const catalogue = new Set(INTERVENTIONS.map((i) => i.id));
    for (const s of instrument.scales) for (const x of s.interventions) expect(catalogue.has(x.id), x.id).toBe(true);
    for (const m of MECHANISM_IDS) expect(interventionsForMechanism(m).length, m).toBeGreaterThanOrEqual(4);
  });

  it('includes the ones the issue found unreachable: workload balance, reflection time, regular meetings, communicating opportunities', () => {
    expect(interventionsForMechanism('work_content').map((i) => i.id)).toEqual(expect.arrayContaining(['workload_balance', 'reflection_time']));
    expect(interventionsForMechanism('collaborative_learning').map((i) => i.id)).toContain('regular_meetings');
    expect(interventionsForMechanism('organisation').map((i) => i.id)).toContain('communicate_opportunities');
  });
});

describe('rankInterventions', () => {
  it('computes the need by hand: primary weight 1, others 0.5, plus the gap to a published figure', () => {
    const iv = INTERVENTIONS.find((i) => i.id === 'coaching_leadership_training')!; // targets ld1 (primary), ld4
    const items = figures({ ld1: 28, ld4: 60 });
    items.set('ld1', { ...items.get('ld1')!, published: 80 });
    // ld1: (100 - 28) + (80 - 28) = 124; ld4: 40. need = (1 x 124 + 0.5 x 40) / 1.5 = 96.
    expect(interventionNeed(iv, items)).toBeCloseTo(96, 10);
    // A hidden primary is left out: only ld4 counts, need 40.
    items.set('ld1', { ...items.get('ld1')!, favourable: null });
    expect(interventionNeed(iv, items)).toBeCloseTo(40, 10);
    items.set('ld4', { ...items.get('ld4')!, favourable: null });
    expect(interventionNeed(iv, items)).toBeNull();
  });

  it('every intervention of every mechanism can come first: when only its primary statement is weak', () => {
    for (const m of MECHANISM_IDS) {
      for (const iv of interventionsForMechanism(m)) {
        const ranked = rankInterventions(m, figures({ [iv.targets[0]!]: 10 }));
        expect(ranked[0]!.def.id, `${m}: ${iv.id}`).toBe(iv.id);
        expect(ranked[0]!.relevant).toBe(true);
      }
    }
  });

  it('every intervention is reachable in a priority\'s top three', () => {
    const reached = new Set<string>();
    for (const m of MECHANISM_IDS) {
      for (const iv of interventionsForMechanism(m)) {
        const primary = iv.targets[0]!;
        const mechanisms = MECHANISM_IDS.map((id) => mechanism(id, id === m ? 2.6 : 4.2, id === m ? 40 : 80, { [primary]: 10 }));
        const priority = computePriorities({ instrument, mechanisms }).find((p) => p.mechanismId === m)!;
        priority.interventions.slice(0, 3).forEach((x) => reached.add(`${m}:${x.id}`));
      }
    }
    for (const m of MECHANISM_IDS) for (const iv of interventionsForMechanism(m)) expect(reached.has(`${m}:${iv.id}`), `${m}:${iv.id}`).toBe(true);
  });
});

describe('interventions follow the weakest statements', () => {
  it('two rounds whose weakest statements differ get different interventions', () => {
    // Round A: leadership low on feedback (ld4) and apply-what-you-learned (ld6).
    // Round B: same mechanism scores, low on role model (ld3) and asking for ideas (ld7).
    const roundA = computePriorities({ instrument, mechanisms: [mechanism('leadership', 2.8, 38, { ld4: 20, ld6: 25 })] });
    const roundB = computePriorities({ instrument, mechanisms: [mechanism('leadership', 2.8, 38, { ld3: 20, ld7: 25 })] });
    const a = roundA[0]!.interventions.slice(0, 3).map((i) => i.id);
    const b = roundB[0]!.interventions.slice(0, 3).map((i) => i.id);
    // A: feedback_routine (ld4 primary: (80 + 0.5 x 15) / 1.5 = 58.3), transfer_conversations (ld6: (75 + 0.5 x 15)/1.5 = 55).
    expect(a.slice(0, 2)).toEqual(['feedback_routine', 'transfer_conversations']);
    // B: managers_as_role_models (ld3: 58.3), involve_in_ideas (ld7: 55).
    expect(b.slice(0, 2)).toEqual(['managers_as_role_models', 'involve_in_ideas']);
    expect(a).not.toEqual(b);
    // The reason in words names the weakest statement and its share.
    const first = roundA[0]!.interventions[0]!;
    expect(first.basis?.nl).toContain('20% gunstig');
    expect(first).toMatchObject({ owner: 'manager', watchItemId: 'ld4', relevant: true });
    expect(first.firstStep?.nl.length).toBeGreaterThan(30);
  });
});

describe('interventions on version 2', () => {
  const v2 = getCultureScan('culture-scan@2')!;
  const v2Mechanisms = v2.scales.map((s) => ({
    suppressed: false,
    items: s.items.map((i) => ({ itemId: i.id, text: i.text.employee, suppressed: false, favourable: 40, published: null })),
  }));

  it('every intervention with targets finds at least one of them in a version-2 round, under the round\'s own item ids', () => {
    const items = itemFiguresOf(v2Mechanisms);
    const v2Ids = new Set(v2.scales.flatMap((s) => s.items.map((i) => i.id)));
    for (const iv of INTERVENTIONS) {
      if (iv.targets.length === 0) continue;
      const found = iv.targets.map((t) => items.get(t)).filter((x) => x !== undefined);
      expect(found.length, iv.id).toBeGreaterThan(0);
      for (const f of found) expect(v2Ids.has(f!.itemId), `${iv.id} -> ${f!.itemId}`).toBe(true);
    }
  });

  it('ranks a mechanism of a version-2 round by its rewritten statements', () => {
    const items = itemFiguresOf(v2Mechanisms);
    for (const m of MECHANISM_IDS) {
      const ranked = rankInterventions(m, items);
      expect(ranked.some((r) => r.need !== null), m).toBe(true);
    }
  });
});
