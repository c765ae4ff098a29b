// Statistics of dialogue-model placements: where a group puts the organisation, how much its members
// agree, and the move from one time frame to another.

import { assertPoint, quadrantOf, type Point, type QuadrantId } from '../instruments/dialogue-model.js';
import { mean, sampleSd } from './stats.js';

export interface PlacementSummary {
  n: number;
  mean: Point;
  /** Sample SD (n - 1) per axis; null when n = 1. */
  sd: { x: number | null; y: number | null };
  quadrant: QuadrantId;
  /** Mean Euclidean distance of the placements to the mean point: 0 = full agreement. */
  meanDistance: number;
}

/** Summary of one group's placements for one time frame; null when there are none. */
export function summarisePlacements(points: readonly Point[]): PlacementSummary | null {
  if (points.length === 0) return null;
  points.forEach(assertPoint);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const m: Point = { x: mean(xs) as number, y: mean(ys) as number };
  const meanDistance = mean(points.map((p) => Math.hypot(p.x - m.x, p.y - m.y))) as number;
  return {
    n: points.length,
    mean: m,
    sd: { x: sampleSd(xs), y: sampleSd(ys) },
    quadrant: quadrantOf(m),
    meanDistance,
  };
}

export interface Move {
  dx: number;
  dy: number;
  distance: number;
  fromQuadrant: QuadrantId;
  toQuadrant: QuadrantId;
  quadrantChanged: boolean;
}

/** The move between two points (e.g. current mean -> desired mean). */
export function describeMove(from: Point, to: Point): Move {
  assertPoint(from);
  assertPoint(to);
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const fromQuadrant = quadrantOf(from);
  const toQuadrant = quadrantOf(to);
  return { dx, dy, distance: Math.hypot(dx, dy), fromQuadrant, toQuadrant, quadrantChanged: fromQuadrant !== toQuadrant };
}
