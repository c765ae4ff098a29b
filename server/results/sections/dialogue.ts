// The LLO dialogue model: staff placements with names (few), employee placements only aggregated per
// time frame (and only with at least k), the moves, disagreements and the conversation prompts.
import { sql } from 'kysely';
import { quadrantOf, type Point } from '../../../scans/instruments/dialogue-model.js';
import type { DialogueResult } from '../../../scans/result-model.js';
import { describeMove, dialogueConversationOf, pointSetOf, summarisePlacements, type PointSet } from '../../../scans/scoring/dialogue.js';
import { PLACEMENT_GROUPS, TIME_FRAMES, type TimeFrame } from '../../../scans/types.js';
import type { SegmentDimension } from '../../../scans/result-model.js';
import { chunkResponses, dimensionColumns, forEachIdChunk, loadResponseIds, segmentCondition, type Db, type DbRun, type SegmentFilter } from '../aggregate.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS } from '../../../scans/result-model.js';
import type { Section } from './context.js';

/** Staff placements with names (few), and employee placements aggregated per frame in SQL. */
function loadStaffPlacements(db: Db, roundId: string) {
  return db
    .selectFrom('placements as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.participant_group', 'p.user_id', 'u.name', 'p.frame', 'p.x', 'p.y'])
    .where('p.round_id', '=', roundId)
    .where('p.participant_group', '<>', 'employee')
    .orderBy('p.participant_group')
    .orderBy('u.name')
    .orderBy('p.frame')
    .execute();
}

export async function loadPlacements(db: Db, roundId: string, filter: SegmentFilter | null) {
  const staff = await loadStaffPlacements(db, roundId);
  // Same definitions as summarisePlacements: mean point, sample SD per axis, mean distance to the mean.
  const { rows: employee } = await sql<{ frame: TimeFrame; n: number; mx: number; my: number; sx: number | null; sy: number | null; md: number }>`
    with e as materialized (
      select p.frame, p.x, p.y from placements p join responses r on r.id = p.response_id
      where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted' ${segmentCondition(filter)}
    ), s as (
      select frame, count(*)::int as n, avg(x) as mx, avg(y) as my, stddev_samp(x) as sx, stddev_samp(y) as sy from e group by frame
    )
    select s.frame, s.n, s.mx, s.my, s.sx, s.sy, avg(sqrt((e.x - s.mx) ^ 2 + (e.y - s.my) ^ 2)) as md
    from e join s on s.frame = e.frame
    group by s.frame, s.n, s.mx, s.my, s.sx, s.sy
  `.execute(db);
  // The points themselves (frame and position only, no response id) for the conversation view.
  const { rows: employeePoints } = await sql<{ frame: TimeFrame; x: number; y: number }>`
    select p.frame, p.x, p.y from placements p join responses r on r.id = p.response_id
    where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted' ${segmentCondition(filter)}
  `.execute(db);
  return {
    staff: staff.map((r) => ({ ...r, x: Number(r.x), y: Number(r.y) })),
    employeeFrames: Object.fromEntries(TIME_FRAMES.map((f) => [f, pointSetOf(employeePoints.filter((r) => r.frame === f).map((r) => ({ x: Number(r.x), y: Number(r.y) })))])) as Record<TimeFrame, PointSet>,
    employee: employee.map((r) => ({
      frame: r.frame,
      n: Number(r.n),
      mean: { x: Number(r.mx), y: Number(r.my) },
      sd: { x: r.sx === null ? null : Number(r.sx), y: r.sy === null ? null : Number(r.sy) },
      meanDistance: Number(r.md),
    })),
  };
}

export type Placements = Awaited<ReturnType<typeof loadPlacements>>;

/** The staff placements with their coordinates as numbers. */
const loadStaffPoints = async (db: Db, roundId: string) => (await loadStaffPlacements(db, roundId)).map((r) => ({ ...r, x: Number(r.x), y: Number(r.y) }));

const FRAME_CODE = new Map<string, number>(TIME_FRAMES.map((f, i) => [f, i]));

/**
 * The employee points of a round in columns, in the order they are added (response id, then frame):
 * frame, x and y per point, and the points' positions per frame for the whole round and for each group
 * of each dimension (what placementsOf needs per view), kept as they are added. No object per point:
 * 200,000 of them (with their five groups each) at 100,000 respondents were a large part of the
 * close's garbage collection, and splitting them per view and frame held the event loop.
 */
export class PointColumns {
  n = 0;
  private frames = new Uint8Array(1024);
  private xs = new Float64Array(1024);
  private ys = new Float64Array(1024);
  /** Positions per frame: of every point, and per dimension and group. */
  private readonly all: number[][] = TIME_FRAMES.map(() => []);
  private readonly groups = new Map<SegmentDimension, Map<string, number[][]>>(SEGMENT_DIMENSIONS.map((d) => [d, new Map()]));
  /** The groups of the respondent whose points are being added (their lists, looked up once per respondent). */
  private current: number[][][] = [];

  /**
   * Starts the points of a respondent with these groups (null: not stated), or with the groups an
   * earlier respondent's call returned (`known`: the same background). Returns the groups.
   */
  respondent(dims: Readonly<Record<SegmentDimension, string | null>>, known?: number[][][]): number[][][] {
    if (known) return (this.current = known);
    this.current = SEGMENT_DIMENSIONS.map((d) => {
      const groups = this.groups.get(d)!;
      const key = dims[d] ?? NOT_STATED_KEY;
      let lists = groups.get(key);
      if (!lists) groups.set(key, (lists = TIME_FRAMES.map(() => [])));
      return lists;
    });
    return this.current;
  }

  /** A point of the respondent last started. */
  point(frame: TimeFrame, x: number, y: number): void {
    const f = FRAME_CODE.get(frame);
    if (f === undefined) throw new RangeError(`unknown time frame ${frame}`);
    if (this.n === this.xs.length) {
      const size = this.n * 2;
      this.frames = grow(this.frames, new Uint8Array(size));
      this.xs = grow(this.xs, new Float64Array(size));
      this.ys = grow(this.ys, new Float64Array(size));
    }
    const i = this.n++;
    this.frames[i] = f;
    this.xs[i] = x;
    this.ys[i] = y;
    this.all[f]!.push(i);
    for (const lists of this.current) lists[f]!.push(i);
  }

  /** The points of the round (filter null) or of one group, per frame. */
  framesOf(filter: SegmentFilter | null): Record<TimeFrame, PointSet> {
    const lists = filter ? this.groups.get(filter.dimension)?.get(filter.value) : this.all;
    const of = (i: number): PointSet => ({ n: lists?.[i]!.length ?? 0, x: this.xs, y: this.ys, at: lists?.[i] ?? [] });
    return { past: of(0), current: of(1), desired: of(2) };
  }

  /** The points as a list (frame, position and groups), for comparing and printing. */
  toJSON(): Array<{ frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>> {
    const out = Array.from({ length: this.n }, (_, i) => ({ frame: TIME_FRAMES[this.frames[i]!]!, x: this.xs[i]!, y: this.ys[i]! }) as { frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>);
    for (const [d, groups] of this.groups) for (const [key, lists] of groups) for (const list of lists) for (const i of list) out[i]![d] = key;
    return out;
  }
}

function grow<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Adds the employee rows (frame, x, y and the respondent's groups; one respondent's rows together) to `points`. */
function addRows<R extends { frame: TimeFrame; x: number | string; y: number | string } & Record<SegmentDimension, string | null>>(points: PointColumns, rows: readonly R[], same: (a: R, b: R) => boolean): void {
  let last: R | undefined;
  for (const r of rows) {
    if (!last || !same(last, r)) points.respondent(r);
    last = r;
    points.point(r.frame, Number(r.x), Number(r.y));
  }
}

/**
 * Every placement of the round read once, the employee points with their respondent's background, so
 * the placements of each view of a release follow without a query per view (placementsOf).
 */
export async function loadAllPlacements(db: Db, roundId: string) {
  const staff = await loadStaffPoints(db, roundId);
  const { rows } = await sql<{ response_id: string; frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>>`
    select p.response_id, p.frame, p.x, p.y, ${dimensionColumns}
    from placements p join responses r on r.id = p.response_id
    where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted'
    order by p.response_id, p.frame
  `.execute(db);
  const points = new PointColumns();
  addRows(points, rows, (a, b) => a.response_id === b.response_id);
  return { staff, points };
}

export type AllPlacements = Awaited<ReturnType<typeof loadAllPlacements>>;

/**
 * loadAllPlacements in steps through `run`: the staff placements, then the employee points of `chunk`
 * respondents at a time (by response id, as loadAllPlacements orders them), so no step holds the
 * embedded database for long. Same result as loadAllPlacements.
 */
export async function loadAllPlacementsStaged(run: DbRun, roundId: string, chunk = 500, ids?: readonly string[]): Promise<AllPlacements> {
  const staff = await run((db) => loadStaffPoints(db, roundId));
  const points = new PointColumns();
  await forEachIdChunk(ids ?? (await loadResponseIds(run, roundId)), chunk, async (part) => {
    const rows = await run(async (db) => {
      // The chunk's placements through the (response_id, frame) key, not a scan of the round's.
      const { rows } = await sql<{ id: string; frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>>`
        select r.id, p.frame, p.x, p.y, ${sql.raw(SEGMENT_DIMENSIONS.map((x) => `r.${x}`).join(', '))}
        from ${chunkResponses(part, roundId, sql`r.id, ${dimensionColumns}`)}
        join placements p on p.response_id = r.id
        where p.response_id = any(${part}::uuid[]) and p.round_id = ${roundId} and p.participant_group = 'employee'
        order by r.id, p.frame
      `.execute(db);
      return rows;
    });
    addRows(points, rows, (a, b) => a.id === b.id);
  }, run.stepTargetMs);
  return { staff, points };
}

/**
 * The employee points of loadAllPlacements gathered from the rows of the release build's answer pass
 * (aggregateViews with withPlacements: `placed` as frame:x:y in frame order, rows in response id
 * order, as loadAllPlacements orders them); the staff placements are read at the end.
 */
export class PlacementCollector {
  private readonly points = new PointColumns();

  /** The distinct frames of the respondent last added (add's result, reused). */
  private readonly frames: TimeFrame[] = [];
  /** The points' groups by the answer pass's number for a form and background (add's backgroundIndex). */
  private readonly groupsByIndex: Array<number[][][] | undefined> = [];

  /**
   * One respondent's placements (`placed`: frame:x:y,... in frame order). `backgroundIndex`: the answer
   * pass's number for the respondent's form and background (equal numbers, equal backgrounds), so its
   * groups are looked up by it. Returns the distinct frames it placed (valid until the next add), or
   * null without any.
   */
  add(r: { placed?: string | null } & Record<SegmentDimension, string | null>, backgroundIndex?: number): readonly TimeFrame[] | null {
    const placed = r.placed;
    if (!placed) return null;
    if (backgroundIndex === undefined) this.points.respondent(r);
    else this.groupsByIndex[backgroundIndex] = this.points.respondent(r, this.groupsByIndex[backgroundIndex]);
    const frames = this.frames;
    frames.length = 0;
    // frame:x:y,frame:x:y (a few per respondent), read in place.
    for (let from = 0; from < placed.length; ) {
      const a = placed.indexOf(':', from);
      const b = placed.indexOf(':', a + 1);
      let end = placed.indexOf(',', b + 1);
      if (end < 0) end = placed.length;
      const frame = placed.slice(from, a) as TimeFrame;
      this.points.point(frame, Number(placed.slice(a + 1, b)), Number(placed.slice(b + 1, end)));
      if (!frames.includes(frame)) frames.push(frame);
      from = end + 1;
    }
    return frames;
  }

  async finish(run: DbRun, roundId: string): Promise<AllPlacements> {
    return { staff: await run((db) => loadStaffPoints(db, roundId)), points: this.points };
  }
}

/** loadPlacements(filter) from the round's placements read once (same definitions as summarisePlacements). */
export function placementsOf(all: AllPlacements, filter: SegmentFilter | null): Placements {
  const employeeFrames = all.points.framesOf(filter);
  const employee: Placements['employee'] = [];
  for (const frame of TIME_FRAMES) {
    const s = summarisePlacements(employeeFrames[frame]);
    if (s) employee.push({ frame, n: s.n, mean: s.mean, sd: s.sd, meanDistance: s.meanDistance });
  }
  return { staff: all.staff, employee, employeeFrames };
}
const NO_POINTS: PointSet = { n: 0, x: [], y: [] };
export const NO_PLACEMENTS: Placements = { staff: [], employee: [], employeeFrames: { past: NO_POINTS, current: NO_POINTS, desired: NO_POINTS } };

export function dialogueSection(included: boolean, placements: Placements, k: number): Section<DialogueResult> {
  if (!included) return { part: { included: false, groups: [], disagreements: [] }, sources: [] };
  const groups: DialogueResult['groups'] = [];
  const means = new Map<string, Point>();
  for (const group of PLACEMENT_GROUPS) {
    const staff = group !== 'employee';
    const rows = placements.staff.filter((p) => p.participant_group === group);
    if (staff ? rows.length === 0 : placements.employee.length === 0) continue;
    const frames = TIME_FRAMES.map((frame) => {
      if (!staff) {
        const e = placements.employee.find((p) => p.frame === frame);
        if (!e) return { frame, summary: null, suppressed: false };
        if (e.n < k) return { frame, summary: null, suppressed: true };
        means.set(`${group}/${frame}`, e.mean);
        return { frame, summary: { n: e.n, mean: e.mean, sd: e.sd, quadrant: quadrantOf(e.mean), agreement: e.meanDistance }, suppressed: false };
      }
      const points = rows.filter((r) => r.frame === frame).map((r) => ({ x: r.x, y: r.y }));
      if (points.length === 0) return { frame, summary: null, suppressed: false };
      const s = summarisePlacements(points)!;
      means.set(`${group}/${frame}`, s.mean);
      return { frame, summary: { n: s.n, mean: s.mean, sd: s.sd, quadrant: s.quadrant, agreement: s.meanDistance }, suppressed: false };
    });
    const current = means.get(`${group}/current`);
    const desired = means.get(`${group}/desired`);
    groups.push({
      group,
      frames,
      move: current && desired ? describeMove(current, desired) : null,
      placements: staff
        ? rows.map((r) => ({ userId: r.user_id!, name: r.name ?? '', frame: r.frame, x: r.x, y: r.y, quadrant: quadrantOf({ x: r.x, y: r.y }) }))
        : [],
    });
  }
  const disagreements: DialogueResult['disagreements'] = [];
  const present = groups.map((g) => g.group);
  for (const frame of TIME_FRAMES) {
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const a = means.get(`${present[i]}/${frame}`);
        const b = means.get(`${present[j]}/${frame}`);
        if (!a || !b) continue;
        disagreements.push({
          frame,
          groupA: present[i]!,
          groupB: present[j]!,
          distance: Math.hypot(a.x - b.x, a.y - b.y),
          sameQuadrant: quadrantOf(a) === quadrantOf(b),
        });
      }
    }
  }
  const conversation = dialogueConversationOf(
    (group, frame) => (group === 'employee' ? placements.employeeFrames[frame] : placements.staff.filter((p) => p.participant_group === group && p.frame === frame)),
    k,
  );
  return { part: { included: true, groups, disagreements, conversation }, sources: [] };
}
