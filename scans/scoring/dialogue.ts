// Statistics of dialogue-model placements: where a group puts the organisation, how much its members
// agree, and the move from one time frame to another.

import { isGroupVisible } from '../anonymity.js';
import { assertPoint, getQuadrant, isValidXY, QUADRANT_IDS, quadrantOf, quadrantOfXY, type Point, type QuadrantId } from '../instruments/dialogue-model.js';
import type { PlacementGroup, TimeFrame } from '../types.js';

export interface PlacementSummary {
  n: number;
  mean: Point;
  /** Sample SD (n - 1) per axis; null when n = 1. */
  sd: { x: number | null; y: number | null };
  quadrant: QuadrantId;
  /** Mean Euclidean distance of the placements to the mean point: 0 = full agreement. */
  meanDistance: number;
}

/**
 * Points as columns: point i is (x[at[i]], y[at[i]]), or (x[i], y[i]) without `at`. A large round's
 * placements are kept this way (a few typed arrays and index lists) instead of one object per point:
 * 200,000 point objects at 100,000 respondents were a large part of the close's garbage collection.
 */
export interface PointSet {
  readonly n: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly at?: ArrayLike<number>;
}

/** A list of points as a PointSet. */
export function pointSetOf(points: readonly Point[]): PointSet {
  return { n: points.length, x: points.map((p) => p.x), y: points.map((p) => p.y) };
}

/** Summary of one group's placements for one time frame; null when there are none. */
export function summarisePlacements(points: readonly Point[] | PointSet): PlacementSummary | null {
  const set = 'n' in points ? points : pointSetOf(points);
  const { n, x, y, at } = set;
  if (n === 0) return null;
  // In loops over the columns, in the points' order (the same sums in the same order as mean() and
  // sampleSd(), so the same figures).
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const j = at ? at[i]! : i;
    const px = x[j]!;
    const py = y[j]!;
    if (!isValidXY(px, py)) assertPoint({ x: px, y: py });
    sx += px;
    sy += py;
  }
  const m: Point = { x: sx / n, y: sy / n };
  let ssx = 0;
  let ssy = 0;
  let distance = 0;
  for (let i = 0; i < n; i++) {
    const j = at ? at[i]! : i;
    const dx = x[j]! - m.x;
    const dy = y[j]! - m.y;
    ssx += dx * dx;
    ssy += dy * dy;
    distance += Math.hypot(dx, dy);
  }
  return {
    n,
    mean: m,
    sd: { x: n < 2 ? null : Math.sqrt(ssx / (n - 1)), y: n < 2 ? null : Math.sqrt(ssy / (n - 1)) },
    quadrant: quadrantOf(m),
    meanDistance: distance / n,
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

// --- the model as a conversation ------------------------------------------------------------------
//
// Rules (documented here and in the report's reading notes):
// - Border band: a placement with |x| < BORDER_BAND or |y| < BORDER_BAND lies on an axis, between two
//   quadrants; it still counts in the quadrant quadrantOf gives it, and is also counted as "on the
//   border", so the reader knows the quadrant is a close call.
// - Shared picture: a group (per time frame) has one when at least SHARED_PICTURE_SHARE percent of its
//   placements lie in one quadrant. Otherwise it has "no shared picture" and no quadrant is named for
//   it, whatever its mean point is (ten in curative and ten in offensive average to the origin, a
//   quadrant nobody chose).
// - Agreement: the mean distance of the placements to their mean point (axes -100..100), in words:
//   below 25 "much agreement", 25 to 50 "some agreement", 50 or more "little agreement".
// - Groups differ by the share of placements per quadrant: difference = half the sum of the absolute
//   differences of the four shares (0 = the same spread, 100 = no quadrant in common).
// - Disclosure: employees' figures for a frame are given only when at least k of them placed it
//   (isGroupVisible); otherwise the frame is marked suppressed, without any count. Directors, HR and
//   consultants place by name for the shared session (as elsewhere in the model), so no threshold.


export const BORDER_BAND = 10;
export const SHARED_PICTURE_SHARE = 60;
export const AGREEMENT_LEVELS = { much: 25, some: 50 } as const;
export type AgreementLevel = 'much' | 'some' | 'little';

export interface FramePicture {
  frame: TimeFrame;
  /** True when the group has fewer than k placements for this frame: no figures. */
  suppressed: boolean;
  n: number | null;
  /** Percent of placements per quadrant (sums to 100). */
  shares: Record<QuadrantId, number> | null;
  /** Percent of placements within the border band around the axes. */
  onBorder: number | null;
  /** Mean distance to the mean point. */
  spread: number | null;
  agreement: AgreementLevel | null;
  /** The quadrant holding at least SHARED_PICTURE_SHARE % of the placements, or null (no shared picture). */
  shared: QuadrantId | null;
}

export interface GroupPicture {
  group: PlacementGroup;
  frames: FramePicture[];
}

export interface GroupDifference {
  frame: TimeFrame;
  groupA: PlacementGroup;
  groupB: PlacementGroup;
  /** 0..100, see the rules above. */
  difference: number;
}

export interface DialogueConversation {
  rules: { borderBand: number; sharedPictureShare: number; agreement: { much: number; some: number } };
  groups: GroupPicture[];
  /** Every pair of visible groups per frame, largest difference first. */
  differences: GroupDifference[];
}

export function agreementLevel(spread: number): AgreementLevel {
  return spread < AGREEMENT_LEVELS.much ? 'much' : spread < AGREEMENT_LEVELS.some ? 'some' : 'little';
}

export function onBorder(p: Point): boolean {
  return onBorderXY(p.x, p.y);
}

const onBorderXY = (x: number, y: number): boolean => Math.abs(x) < BORDER_BAND || Math.abs(y) < BORDER_BAND;

/**
 * The picture of one group's placements for one frame. `k` is the disclosure threshold for anonymous
 * groups (employees); null for staff groups, whose placements are named and meant for the session.
 */
export function framePicture(frame: TimeFrame, points: readonly Point[] | PointSet, k: number | null): FramePicture {
  const set = 'n' in points ? points : pointSetOf(points);
  const { n, x, y, at } = set;
  if (n === 0) return { frame, suppressed: false, n: 0, shares: null, onBorder: null, spread: null, agreement: null, shared: null };
  if (k !== null && !isGroupVisible(n, k)) return { frame, suppressed: true, n: null, shares: null, onBorder: null, spread: null, agreement: null, shared: null };
  const s = summarisePlacements(set)!;
  const counts = Object.fromEntries(QUADRANT_IDS.map((q) => [q, 0])) as Record<QuadrantId, number>;
  let border = 0;
  // Every point was checked by summarisePlacements above.
  for (let i = 0; i < n; i++) {
    const j = at ? at[i]! : i;
    const px = x[j]!;
    const py = y[j]!;
    counts[quadrantOfXY(px, py)] += 1;
    if (onBorderXY(px, py)) border += 1;
  }
  const shares = Object.fromEntries(QUADRANT_IDS.map((q) => [q, (counts[q] / n) * 100])) as Record<QuadrantId, number>;
  const top = [...QUADRANT_IDS].sort((a, b) => shares[b] - shares[a])[0]!;
  return {
    frame,
    suppressed: false,
    n,
    shares,
    onBorder: (border / n) * 100,
    spread: s.meanDistance,
    agreement: agreementLevel(s.meanDistance),
    shared: shares[top] >= SHARED_PICTURE_SHARE ? top : null,
  };
}

export interface PlacementPoint extends Point {
  group: PlacementGroup;
  frame: TimeFrame;
}

/**
 * The conversation view of all placements of a round: per group and frame the shares per quadrant,
 * the border share, the agreement and whether there is a shared picture; and how much groups differ.
 * Frames nobody in a group placed are left out (employees place only the current and desired situation).
 */
export function dialogueConversation(points: readonly PlacementPoint[], k: number): DialogueConversation {
  // The points split by group and frame in one pass (not filtered once per group and again per frame).
  const split = new Map<PlacementGroup, Map<TimeFrame, Point[]>>();
  for (const p of points) {
    let byFrame = split.get(p.group);
    if (!byFrame) split.set(p.group, (byFrame = new Map()));
    let list = byFrame.get(p.frame);
    if (!list) byFrame.set(p.frame, (list = []));
    list.push(p);
  }
  return dialogueConversationOf((group, frame) => split.get(group)?.get(frame) ?? [], k);
}

/** dialogueConversation of the points `of` gives per group and frame (a list, or columns). */
export function dialogueConversationOf(of: (group: PlacementGroup, frame: TimeFrame) => readonly Point[] | PointSet, k: number): DialogueConversation {
  const groups: GroupPicture[] = [];
  for (const group of ['director', 'hr', 'consultant', 'employee'] as const) {
    const frames = (['past', 'current', 'desired'] as const).map((frame) => framePicture(frame, of(group, frame), group === 'employee' ? k : null)).filter((f) => f.n !== 0);
    if (frames.length === 0) continue;
    groups.push({ group, frames });
  }
  const differences: GroupDifference[] = [];
  for (const frame of ['past', 'current', 'desired'] as const) {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const a = groups[i]!.frames.find((f) => f.frame === frame)?.shares;
        const b = groups[j]!.frames.find((f) => f.frame === frame)?.shares;
        if (!a || !b) continue;
        const difference = Math.min(100, QUADRANT_IDS.reduce((sum, q) => sum + Math.abs(a[q] - b[q]), 0) / 2);
        differences.push({ frame, groupA: groups[i]!.group, groupB: groups[j]!.group, difference });
      }
    }
  }
  differences.sort((x, y) => y.difference - x.difference);
  return {
    rules: { borderBand: BORDER_BAND, sharedPictureShare: SHARED_PICTURE_SHARE, agreement: { ...AGREEMENT_LEVELS } },
    groups,
    differences,
  };
}

// --- narration -------------------------------------------------------------------------------------

const GROUP_NAMES: Record<PlacementGroup, { nl: string; en: string }> = {
  director: { nl: 'Directie', en: 'Directors' },
  hr: { nl: 'HR', en: 'HR' },
  consultant: { nl: 'Adviseur', en: 'Consultant' },
  employee: { nl: 'Medewerkers', en: 'Employees' },
};
const FRAME_WORDS: Record<TimeFrame, { nl: string; en: string }> = {
  past: { nl: 'in het verleden', en: 'in the past' },
  current: { nl: 'nu', en: 'now' },
  desired: { nl: 'gewenst', en: 'desired' },
};

export function quadrantShortName(id: QuadrantId, lang: 'nl' | 'en'): string {
  return getQuadrant(id).label[lang].split(':')[0]!.trim();
}

function pct0(v: number): string {
  return `${Math.round(v)}%`;
}

/** "Curatief 50%, Offensief 50%": the quadrants that hold placements, largest first. */
export function sharesText(shares: Record<QuadrantId, number>, lang: 'nl' | 'en'): string {
  return [...QUADRANT_IDS]
    .filter((q) => shares[q] > 0)
    .sort((a, b) => shares[b] - shares[a])
    .map((q) => `${quadrantShortName(q, lang)} ${pct0(shares[q])}`)
    .join(', ');
}

function framePhrase(f: FramePicture, lang: 'nl' | 'en'): string {
  const when = FRAME_WORDS[f.frame][lang];
  if (f.suppressed) return lang === 'nl' ? `${when} te weinig plaatsingen om te tonen` : `${when} too few placements to show`;
  if (!f.shares) return '';
  const border = f.onBorder !== null && f.onBorder >= 50 ? (lang === 'nl' ? ', veel plaatsingen op de grens' : ', many placements on the border') : '';
  if (f.shared) return `${when} ${quadrantShortName(f.shared, lang)}${f.n !== null && f.n > 1 ? ` (${pct0(f.shares[f.shared])}${border})` : border ? ` (${border.slice(2)})` : ''}`;
  return lang === 'nl' ? `${when} geen gedeeld beeld (${sharesText(f.shares, lang)})` : `${when} no shared picture (${sharesText(f.shares, lang)})`;
}

/** One group's route past -> current -> desired in words, with what the route asks. */
export function narrateGroup(g: GroupPicture, lang: 'nl' | 'en'): string {
  const parts = g.frames.map((f) => framePhrase(f, lang)).filter((p) => p.length > 0);
  const head = `${GROUP_NAMES[g.group][lang]}: ${parts.join('; ')}.`;
  const cur = g.frames.find((f) => f.frame === 'current');
  const des = g.frames.find((f) => f.frame === 'desired');
  const past = g.frames.find((f) => f.frame === 'past');
  const tail: string[] = [];
  if (past?.shared && cur?.shared)
    tail.push(
      past.shared === cur.shared
        ? lang === 'nl' ? `Sinds het verleden is de organisatie volgens hen in ${quadrantShortName(cur.shared, lang)} gebleven.` : `Since the past, they see the organisation staying in ${quadrantShortName(cur.shared, lang)}.`
        : lang === 'nl' ? `De weg tot nu: van ${quadrantShortName(past.shared, lang)} naar ${quadrantShortName(cur.shared, lang)}.` : `The route so far: from ${quadrantShortName(past.shared, lang)} to ${quadrantShortName(cur.shared, lang)}.`,
    );
  if (cur?.shared && des?.shared)
    tail.push(
      cur.shared === des.shared
        ? lang === 'nl' ? `Gewenst is een verschuiving binnen ${quadrantShortName(cur.shared, lang)}.` : `The wish is a shift within ${quadrantShortName(cur.shared, lang)}.`
        : lang === 'nl' ? `De gewenste stap: van ${quadrantShortName(cur.shared, lang)} naar ${quadrantShortName(des.shared, lang)}.` : `The desired step: from ${quadrantShortName(cur.shared, lang)} to ${quadrantShortName(des.shared, lang)}.`,
    );
  else if (cur?.shares && des?.shares && (!cur.shared || !des.shared))
    tail.push(lang === 'nl' ? 'Over de route is de groep nog niet eensgezind: bespreek eerst waarom mensen verschillend plaatsen.' : 'The group does not yet agree on the route: first discuss why people place differently.');
  if (g.group === 'employee' && !past)
    tail.push(lang === 'nl' ? 'Medewerkers plaatsten de organisatie twee keer: nu en gewenst.' : 'Employees placed the organisation twice: now and desired.');
  return [head, ...tail].join(' ');
}

/** Where groups differ most, in words; null without two visible groups in one frame. */
export function narrateDifference(c: DialogueConversation, lang: 'nl' | 'en'): string | null {
  const top = c.differences[0];
  if (!top) return null;
  const a = GROUP_NAMES[top.groupA][lang];
  const b = GROUP_NAMES[top.groupB][lang];
  const when = FRAME_WORDS[top.frame][lang];
  const fa = c.groups.find((g) => g.group === top.groupA)!.frames.find((f) => f.frame === top.frame)!;
  const fb = c.groups.find((g) => g.group === top.groupB)!.frames.find((f) => f.frame === top.frame)!;
  return lang === 'nl'
    ? `${a} en ${b} verschillen het meest over de situatie ${when === 'nu' ? 'van nu' : when === 'gewenst' ? 'die gewenst is' : 'in het verleden'}: verschil ${pct0(top.difference)} (${a}: ${sharesText(fa.shares!, lang)}; ${b}: ${sharesText(fb.shares!, lang)}).`
    : `${a} and ${b} differ most about the ${top.frame === 'current' ? 'current' : top.frame === 'desired' ? 'desired' : 'past'} situation: difference ${pct0(top.difference)} (${a}: ${sharesText(fa.shares!, lang)}; ${b}: ${sharesText(fb.shares!, lang)}).`;
}
