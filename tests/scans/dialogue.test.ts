import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALOGUE_MODEL, drawingPosition, getQuadrant, quadrantOf } from '../../scans/instruments/dialogue-model.js';
import { describeMove, summarisePlacements } from '../../scans/scoring/dialogue.js';

describe('quadrantOf', () => {
  it('puts the four quadrants where DOMAIN.md draws them', () => {
    // x < 0 organisation, x > 0 people; y < 0 reactive, y > 0 proactive.
    expect(quadrantOf({ x: -50, y: -50 })).toBe('defensive');
    expect(quadrantOf({ x: -50, y: 50 })).toBe('offensive');
    expect(quadrantOf({ x: 50, y: -50 })).toBe('curative');
    expect(quadrantOf({ x: 50, y: 50 })).toBe('preventive');
    expect(quadrantOf({ x: -100, y: -100 })).toBe('defensive');
    expect(quadrantOf({ x: 100, y: 100 })).toBe('preventive');
  });

  it('assigns points on an axis to the positive side', () => {
    expect(quadrantOf({ x: 0, y: 0 })).toBe('preventive');
    expect(quadrantOf({ x: 0, y: -10 })).toBe('curative'); // x = 0 counts as people
    expect(quadrantOf({ x: -10, y: 0 })).toBe('offensive'); // y = 0 counts as proactive
    expect(quadrantOf({ x: 0, y: 100 })).toBe('preventive');
    expect(quadrantOf({ x: -0.001, y: -0.001 })).toBe('defensive');
  });

  it('rejects points outside the model', () => {
    expect(() => quadrantOf({ x: 101, y: 0 })).toThrow(RangeError);
    expect(() => quadrantOf({ x: 0, y: -100.5 })).toThrow(RangeError);
    expect(() => quadrantOf({ x: Number.NaN, y: 0 })).toThrow(RangeError);
  });

  it('labels match the source', () => {
    expect(getQuadrant('defensive').label.nl).toBe('Defensief: tekorten opheffen');
    expect(getQuadrant('offensive').label.en).toBe('Offensive: promote economic/ecological growth');
    expect(getQuadrant('curative').label.en).toBe('Curative: strengthen persons');
    expect(getQuadrant('preventive').label.nl).toBe('Preventief: persoonlijke groei bevorderen');
    expect(DIALOGUE_MODEL.quadrants.map((q) => `${q.id}:${q.focus}/${q.stance}`)).toEqual([
      'defensive:organisation/reactive',
      'offensive:organisation/proactive',
      'curative:people/reactive',
      'preventive:people/proactive',
    ]);
  });

  it('draws organisation left, people right, reactive top, proactive bottom', () => {
    expect(drawingPosition({ x: -100, y: -100 })).toEqual({ left: 0, top: 0 });
    expect(drawingPosition({ x: 100, y: 100 })).toEqual({ left: 1, top: 1 });
    expect(drawingPosition({ x: 0, y: 50 })).toEqual({ left: 0.5, top: 0.75 });
  });
});

describe('summarisePlacements', () => {
  it('is null without placements', () => {
    expect(summarisePlacements([])).toBeNull();
  });

  it('computes mean, SD, quadrant and agreement by hand', () => {
    // Points (-40, 20), (20, 20), (20, -40): mean x = 0 / 3 = 0, mean y = 0 / 3 = 0 -> origin -> preventive.
    // SD x: deviations -40, 20, 20 -> (1600 + 400 + 400) / 2 = 1200 -> 34.641016; SD y the same.
    // Distances to (0, 0): sqrt(2000) = 44.721360, sqrt(800) = 28.284271, sqrt(2000) = 44.721360;
    // mean = 117.726991 / 3 = 39.242330.
    const s = summarisePlacements([
      { x: -40, y: 20 },
      { x: 20, y: 20 },
      { x: 20, y: -40 },
    ])!;
    expect(s.n).toBe(3);
    expect(s.mean).toEqual({ x: 0, y: 0 });
    expect(s.sd.x).toBeCloseTo(34.641016, 6);
    expect(s.sd.y).toBeCloseTo(34.641016, 6);
    expect(s.quadrant).toBe('preventive');
    expect(s.meanDistance).toBeCloseTo(39.24233, 5);
  });

  it('one placement: no SD, full agreement', () => {
    expect(summarisePlacements([{ x: -30, y: 60 }])).toEqual({
      n: 1,
      mean: { x: -30, y: 60 },
      sd: { x: null, y: null },
      quadrant: 'offensive',
      meanDistance: 0,
    });
  });

  it('identical placements: SD 0 and agreement 0', () => {
    const s = summarisePlacements([
      { x: 10, y: -10 },
      { x: 10, y: -10 },
    ])!;
    expect(s.sd).toEqual({ x: 0, y: 0 });
    expect(s.meanDistance).toBe(0);
    expect(s.quadrant).toBe('curative');
  });

  it('the mean of valid placements is a valid point (property)', () => {
    const coord = fc.integer({ min: -100, max: 100 });
    fc.assert(
      fc.property(fc.array(fc.record({ x: coord, y: coord }), { minLength: 1, maxLength: 30 }), (points) => {
        const s = summarisePlacements(points)!;
        expect(Math.abs(s.mean.x)).toBeLessThanOrEqual(100);
        expect(Math.abs(s.mean.y)).toBeLessThanOrEqual(100);
        expect(s.meanDistance).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('describeMove', () => {
  it('describes a move across quadrants', () => {
    // (-30, -20) -> (40, 10): dx = 70, dy = 30, distance sqrt(4900 + 900) = sqrt(5800) = 76.157731.
    expect(describeMove({ x: -30, y: -20 }, { x: 40, y: 10 })).toEqual({
      dx: 70,
      dy: 30,
      distance: Math.sqrt(5800),
      fromQuadrant: 'defensive',
      toQuadrant: 'preventive',
      quadrantChanged: true,
    });
  });

  it('a move within a quadrant', () => {
    // (10, 10) -> (20, 30): dx 10, dy 20, distance sqrt(500) = 22.36.
    const m = describeMove({ x: 10, y: 10 }, { x: 20, y: 30 });
    expect(m.distance).toBeCloseTo(22.36068, 5);
    expect(m.quadrantChanged).toBe(false);
  });

  it('a move onto the axis follows the axis rule', () => {
    // (-10, -10) defensive -> (0, -10): x = 0 counts as people -> curative.
    expect(describeMove({ x: -10, y: -10 }, { x: 0, y: -10 })).toMatchObject({ toQuadrant: 'curative', quadrantChanged: true, distance: 10 });
  });
});
