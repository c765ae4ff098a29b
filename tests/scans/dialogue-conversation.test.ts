// The dialogue model as a conversation: shares per quadrant, shared picture or not, border band,
// agreement in words, the difference between groups, and the disclosure threshold for employees.
// Expected values are worked out by hand from the rules in scans/scoring/dialogue.ts.
import { describe, expect, it } from 'vitest';
import { dialogueConversation, dialogueConversationOf, framePicture, narrateDifference, narrateGroup, summarisePlacements, type PlacementPoint } from '../../scans/scoring/dialogue.js';

const rep = (n: number, p: Omit<PlacementPoint, never>): PlacementPoint[] => Array.from({ length: n }, () => ({ ...p }));

describe('framePicture', () => {
  it('a split group has no shared picture, although its mean lies in "preventive"', () => {
    // Ten in curative (60, -60) and ten in offensive (-60, 60): the mean is (0, 0), in preventive.
    const points = [...Array.from({ length: 10 }, () => ({ x: 60, y: -60 })), ...Array.from({ length: 10 }, () => ({ x: -60, y: 60 }))];
    const f = framePicture('current', points, 5);
    expect(f.shared).toBeNull();
    expect(f.shares).toEqual({ defensive: 0, offensive: 50, curative: 50, preventive: 0 });
    // Every point is hypot(60, 60) = 84.85 from the mean: little agreement.
    expect(f.spread).toBeCloseTo(84.8528, 3);
    expect(f.agreement).toBe('little');
    const text = narrateGroup({ group: 'employee', frames: [f] }, 'nl');
    expect(text).toContain('geen gedeeld beeld');
    expect(text).not.toMatch(/Preventief/);
  });

  it('names the quadrant from 60% of the placements, and counts points near the axes as on the border', () => {
    // 3 of 5 in preventive (60%); (5, 40) lies within 10 of the y axis.
    const f = framePicture('desired', [{ x: 50, y: 50 }, { x: 40, y: 60 }, { x: 5, y: 40 }, { x: -50, y: -50 }, { x: 50, y: -50 }], null);
    expect(f.shared).toBe('preventive');
    expect(f.onBorder).toBeCloseTo(20, 10);
    // Two of five (40%) is not enough.
    expect(framePicture('desired', [{ x: 50, y: 50 }, { x: 40, y: 60 }, { x: -50, y: -50 }, { x: 50, y: -50 }, { x: -50, y: 50 }], null).shared).toBeNull();
  });

  it('gives no figure and no count for fewer than k employee placements', () => {
    const f = framePicture('current', [{ x: 1, y: 1 }, { x: 2, y: 2 }, { x: 3, y: 3 }, { x: 4, y: 4 }], 5);
    expect(f).toMatchObject({ suppressed: true, n: null, shares: null, spread: null, shared: null });
  });
});

describe('dialogueConversation', () => {
  it('compares groups by their shares per quadrant and names where they differ most', () => {
    const points: PlacementPoint[] = [
      // Directors (2): current both defensive; desired both offensive.
      ...rep(2, { group: 'director', frame: 'current', x: -50, y: -50 }),
      ...rep(2, { group: 'director', frame: 'desired', x: -50, y: 50 }),
      // Employees (6): current 4 defensive, 2 curative; desired 6 preventive.
      ...rep(4, { group: 'employee', frame: 'current', x: -40, y: -40 }),
      ...rep(2, { group: 'employee', frame: 'current', x: 40, y: -40 }),
      ...rep(6, { group: 'employee', frame: 'desired', x: 50, y: 50 }),
    ];
    const c = dialogueConversation(points, 5);
    expect(c.groups.map((g) => [g.group, g.frames.map((f) => f.frame)])).toEqual([
      ['director', ['current', 'desired']],
      ['employee', ['current', 'desired']],
    ]);
    // Desired: directors 100% offensive, employees 100% preventive -> (100 + 100) / 2 = 100.
    // Current: defensive 100 vs 66.7, curative 0 vs 33.3 -> (33.3 + 33.3) / 2 = 33.3.
    expect(c.differences.map((d) => [d.frame, Math.round(d.difference)])).toEqual([
      ['desired', 100],
      ['current', 33],
    ]);
    expect(narrateDifference(c, 'nl')).toBe('Directie en Medewerkers verschillen het meest over de situatie die gewenst is: verschil 100% (Directie: Offensief 100%; Medewerkers: Preventief 100%).');
    const employees = narrateGroup(c.groups[1]!, 'nl');
    expect(employees).toContain('nu Defensief (67%)');
    expect(employees).toContain('De gewenste stap: van Defensief naar Preventief.');
    expect(employees).toContain('twee keer: nu en gewenst');
  });

  it('narrates the route from the past for staff groups', () => {
    const c = dialogueConversation(
      [
        { group: 'hr', frame: 'past', x: -50, y: -50 },
        { group: 'hr', frame: 'current', x: 50, y: -50 },
        { group: 'hr', frame: 'desired', x: 50, y: 50 },
      ],
      5,
    );
    expect(narrateGroup(c.groups[0]!, 'en')).toBe(
      'HR: in the past Defensive; now Curative; desired Preventive. The route so far: from Defensive to Curative. The desired step: from Curative to Preventive.',
    );
  });
});

describe('placements as columns (PointSet)', () => {
  // Points of two frames scattered through shared columns, as a large round's are kept: each frame
  // reads its own positions (`at`), in an order that is not the columns' order.
  const rnd = (() => {
    let s = 7;
    return () => ((s = (s * 16807) % 2147483647) / 2147483647) * 200 - 100;
  })();
  const x = Float64Array.from({ length: 400 }, rnd);
  const y = Float64Array.from({ length: 400 }, rnd);
  // Some on the axes' border band and some on an axis itself.
  for (let i = 0; i < 400; i += 37) x[i] = 0;
  for (let i = 5; i < 400; i += 41) y[i] = 4.5;
  const current = Array.from({ length: 150 }, (_, i) => (i * 7) % 400);
  const desired = Array.from({ length: 90 }, (_, i) => 399 - ((i * 11) % 400));
  const listOf = (at: number[]) => at.map((i) => ({ x: x[i]!, y: y[i]! }));

  it('summarises and pictures a frame exactly as the list of its points', () => {
    for (const at of [current, desired]) {
      expect(summarisePlacements({ n: at.length, x, y, at })).toEqual(summarisePlacements(listOf(at)));
      expect(framePicture('current', { n: at.length, x, y, at }, 5)).toEqual(framePicture('current', listOf(at), 5));
    }
    // Without `at`, point i is (x[i], y[i]).
    expect(summarisePlacements({ n: 400, x, y })).toEqual(summarisePlacements(listOf(Array.from({ length: 400 }, (_, i) => i))));
    // Below k employees: suppressed, no count, from columns as from a list.
    expect(framePicture('desired', { n: 4, x, y, at: desired.slice(0, 4) }, 5)).toEqual(framePicture('desired', listOf(desired.slice(0, 4)), 5));
    expect(framePicture('desired', { n: 4, x, y, at: desired.slice(0, 4) }, 5).suppressed).toBe(true);
  });

  it('gives the conversation of the same points as a list', () => {
    const staff: PlacementPoint[] = [
      { group: 'director', frame: 'current', x: -50, y: -50 },
      { group: 'director', frame: 'desired', x: 60, y: 40 },
    ];
    const employees: PlacementPoint[] = [...listOf(current).map((p) => ({ ...p, group: 'employee' as const, frame: 'current' as const })), ...listOf(desired).map((p) => ({ ...p, group: 'employee' as const, frame: 'desired' as const }))];
    const sets = { current: { n: current.length, x, y, at: current }, desired: { n: desired.length, x, y, at: desired }, past: { n: 0, x: [], y: [] } };
    const fromColumns = dialogueConversationOf((group, frame) => (group === 'employee' ? sets[frame] : staff.filter((p) => p.group === group && p.frame === frame)), 5);
    expect(fromColumns).toEqual(dialogueConversation([...staff, ...employees], 5));
    expect(fromColumns.groups.map((g) => g.group)).toEqual(['director', 'employee']);
  });

  it('refuses a point outside the axes in the columns, as in a list', () => {
    const bad = { n: 2, x: [10, 120], y: [10, 10] };
    expect(() => summarisePlacements(bad)).toThrow(RangeError);
    expect(() => framePicture('current', bad, null)).toThrow(RangeError);
  });
});
