// The LLO dialogue model: staff placements with names (few), employee placements only aggregated per
// time frame (and only with at least k), the moves, disagreements and the conversation prompts.
import { sql } from 'kysely';
import { quadrantOf, type Point } from '../../../scans/instruments/dialogue-model.js';
import type { DialogueResult } from '../../../scans/result-model.js';
import { describeMove, dialogueConversation, summarisePlacements, type PlacementPoint } from '../../../scans/scoring/dialogue.js';
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
    employeePoints: employeePoints.map((r): PlacementPoint => ({ group: 'employee', frame: r.frame, x: Number(r.x), y: Number(r.y) })),
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

/**
 * Every placement of the round read once, the employee points with their respondent's background, so
 * the placements of each view of a release follow without a query per view (placementsOf).
 */
export async function loadAllPlacements(db: Db, roundId: string) {
  const staff = await loadStaffPoints(db, roundId);
  const { rows } = await sql<{ frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>>`
    select p.frame, p.x, p.y, ${dimensionColumns}
    from placements p join responses r on r.id = p.response_id
    where p.round_id = ${roundId} and p.participant_group = 'employee' and r.status = 'submitted'
    order by p.response_id, p.frame
  `.execute(db);
  return { staff, points: rows.map((r) => ({ ...r, group: 'employee' as const, x: Number(r.x), y: Number(r.y) })) };
}

export type AllPlacements = Awaited<ReturnType<typeof loadAllPlacements>>;

/**
 * loadAllPlacements in steps through `run`: the staff placements, then the employee points of `chunk`
 * respondents at a time (by response id, as loadAllPlacements orders them), so no step holds the
 * embedded database for long. Same result as loadAllPlacements.
 */
export async function loadAllPlacementsStaged(run: DbRun, roundId: string, chunk = 500, ids?: readonly string[]): Promise<AllPlacements> {
  const staff = await run((db) => loadStaffPoints(db, roundId));
  const points: AllPlacements['points'] = [];
  await forEachIdChunk(ids ?? (await loadResponseIds(run, roundId)), chunk, async (part) => {
    const rows = await run(async (db) => {
      // The chunk's placements through the (response_id, frame) key, not a scan of the round's.
      const { rows } = await sql<{ frame: TimeFrame; x: number; y: number } & Record<SegmentDimension, string>>`
        select p.frame, p.x, p.y, ${sql.raw(SEGMENT_DIMENSIONS.map((x) => `r.${x}`).join(', '))}
        from ${chunkResponses(part, roundId, sql`r.id, ${dimensionColumns}`)}
        join placements p on p.response_id = r.id
        where p.response_id = any(${part}::uuid[]) and p.round_id = ${roundId} and p.participant_group = 'employee'
        order by r.id, p.frame
      `.execute(db);
      return rows;
    });
    for (const p of rows) points.push({ ...p, group: 'employee', x: Number(p.x), y: Number(p.y) });
  }, run.stepTargetMs);
  return { staff, points };
}

/**
 * The employee points of loadAllPlacements gathered from the rows of the release build's answer pass
 * (aggregateViews with withPlacements: `placed` as frame:x:y in frame order, rows in response id
 * order, as loadAllPlacements orders them); the staff placements are read at the end.
 */
export class PlacementCollector {
  private readonly points: AllPlacements['points'] = [];
  /** The points by dimension and group as they are gathered (pointsOfGroup's index, built in the pass instead of in one piece after it). */
  private readonly index = newGroupIndex();

  add(r: { placed?: string | null } & Record<SegmentDimension, string | null>): void {
    if (!r.placed) return;
    const dims = Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, r[d] ?? NOT_STATED_KEY])) as Record<SegmentDimension, string>;
    for (const p of r.placed.split(',')) {
      const [frame, x, y] = p.split(':');
      const point = { group: 'employee' as const, frame: frame as TimeFrame, x: Number(x), y: Number(y), ...dims };
      this.points.push(point);
      indexPoint(this.index, point);
    }
  }

  async finish(run: DbRun, roundId: string): Promise<AllPlacements> {
    const all = { staff: await run((db) => loadStaffPoints(db, roundId)), points: this.points };
    groupIndex.set(all, this.index);
    return all;
  }
}

type GroupIndex = Map<SegmentDimension, Map<string, AllPlacements['points']>>;
const groupIndex = new WeakMap<AllPlacements, GroupIndex>();
const newGroupIndex = (): GroupIndex => new Map(SEGMENT_DIMENSIONS.map((d) => [d, new Map()]));

/** Adds a point to the list of its group in every dimension. */
function indexPoint(index: GroupIndex, p: AllPlacements['points'][number]): void {
  for (const d of SEGMENT_DIMENSIONS) {
    const groups = index.get(d)!;
    let list = groups.get(p[d]);
    if (!list) groups.set(p[d], (list = []));
    list.push(p);
  }
}

/**
 * The points of one group, from an index of the round's points by dimension and group built on first
 * use: a release has ~25 views, and filtering the 300,000 points of a 100,000-respondent round for each
 * of them was 0.7 s of its build.
 */
function pointsOfGroup(all: AllPlacements, filter: SegmentFilter): AllPlacements['points'] {
  let index = groupIndex.get(all);
  if (!index) {
    index = newGroupIndex();
    for (const p of all.points) indexPoint(index, p);
    groupIndex.set(all, index);
  }
  return index.get(filter.dimension)?.get(filter.value) ?? [];
}

/** loadPlacements(filter) from the round's placements read once (same definitions as summarisePlacements). */
export function placementsOf(all: AllPlacements, filter: SegmentFilter | null): Placements {
  // One pass over the view's points (in the round's order), split by frame.
  const byFrame = new Map<TimeFrame, Point[]>(TIME_FRAMES.map((f) => [f, []]));
  // The round's point objects themselves (each is a PlacementPoint with its background), not copies:
  // 300,000 new objects for the unfiltered view of a 100,000-respondent round held the event loop.
  const employeePoints: Placements['employeePoints'] = [];
  for (const p of filter ? pointsOfGroup(all, filter) : all.points) {
    byFrame.get(p.frame)?.push(p);
    employeePoints.push(p);
  }
  const employee: Placements['employee'] = [];
  for (const frame of TIME_FRAMES) {
    const s = summarisePlacements(byFrame.get(frame)!);
    if (s) employee.push({ frame, n: s.n, mean: s.mean, sd: s.sd, meanDistance: s.meanDistance });
  }
  return { staff: all.staff, employee, employeePoints };
}
export const NO_PLACEMENTS: Placements = { staff: [], employee: [], employeePoints: [] };

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
  const conversation = dialogueConversation(
    [...placements.staff.map((p): PlacementPoint => ({ group: p.participant_group, frame: p.frame, x: p.x, y: p.y })), ...placements.employeePoints],
    k,
  );
  return { part: { included: true, groups, disagreements, conversation }, sources: [] };
}
