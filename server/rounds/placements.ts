// Named dialogue-model placements of staff (directors, HR, consultants) for a round: past, current and
// desired, each a point in -100..100 on both axes with an optional note. Employees' anonymous
// placements come in through the survey API (responses.ts) and are not listed here.
import type { Db } from '../db/schema.js';
import type { EffectiveRole } from '../auth/access.js';
import { ConflictError, ForbiddenError } from '../lib/errors.js';
import { quadrantOf, TIME_FRAMES, type QuadrantId, type TimeFrame } from '../../scans/index.js';
import { assertModule } from './checklist.js';

export type StaffGroup = 'director' | 'hr' | 'consultant';

export interface PlacementFrame {
  x: number;
  y: number;
  note: string | null;
  quadrant: QuadrantId;
  updatedAt: string;
}

export interface NamedPlacement {
  userId: string;
  name: string;
  group: StaffGroup;
  frames: Record<TimeFrame, PlacementFrame | null>;
}

export type PlacementInput = Partial<Record<TimeFrame, { x: number; y: number; note?: string | null } | null>>;

/** The group a user places in: director before HR before consultant when someone holds several roles. */
export function placementGroup(roles: EffectiveRole[]): StaffGroup {
  for (const g of ['director', 'hr', 'consultant'] as const) if (roles.includes(g)) return g;
  throw new ForbiddenError('Placements are entered by directors, HR and consultants (not by API tokens)');
}

function assertWritable(round: { status: string; modules: string[] }) {
  assertModule(round, 'dialogue_model');
  if (round.status === 'closed') throw new ConflictError('round_closed', 'The round is closed; reopen it to change placements');
}

/** Sets (or with null removes) the frames sent; frames not sent stay as they are. */
export async function savePlacement(
  db: Db,
  round: { id: string; status: string; modules: string[] },
  userId: string,
  group: StaffGroup,
  input: PlacementInput,
  now = new Date(),
): Promise<void> {
  assertWritable(round);
  const set = TIME_FRAMES.flatMap((frame) => {
    const p = input[frame];
    return p ? [{ frame, ...p }] : [];
  });
  const cleared = TIME_FRAMES.filter((frame) => input[frame] === null);
  if (set.length) {
    await db
      .insertInto('placements')
      .values(
        set.map((p) => ({
          round_id: round.id,
          participant_group: group,
          user_id: userId,
          frame: p.frame,
          x: p.x,
          y: p.y,
          note: p.note ?? null,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['round_id', 'user_id', 'frame']).doUpdateSet((eb) => ({
          participant_group: eb.ref('excluded.participant_group'),
          x: eb.ref('excluded.x'),
          y: eb.ref('excluded.y'),
          note: eb.ref('excluded.note'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  if (cleared.length) {
    await db.deleteFrom('placements').where('round_id', '=', round.id).where('user_id', '=', userId).where('frame', 'in', cleared).execute();
  }
}

/**
 * Named placements of a round, by group (directors, HR, consultants). Names are left empty: fill them
 * with withNames, from the owner connection after the tenant-scoped transaction (under row-level
 * security an HR user cannot read the user row of the organisation's consultant).
 */
export async function listPlacements(db: Db, roundId: string, onlyUserId?: string): Promise<NamedPlacement[]> {
  let q = db
    .selectFrom('placements')
    .select(['user_id', 'participant_group', 'frame', 'x', 'y', 'note', 'updated_at'])
    .where('round_id', '=', roundId)
    .where('user_id', 'is not', null);
  if (onlyUserId) q = q.where('user_id', '=', onlyUserId);
  const rows = await q.execute();
  const byUser = new Map<string, NamedPlacement>();
  for (const r of rows) {
    let p = byUser.get(r.user_id!);
    if (!p) {
      p = { userId: r.user_id!, name: '', group: r.participant_group as StaffGroup, frames: { past: null, current: null, desired: null } };
      byUser.set(r.user_id!, p);
    }
    p.frames[r.frame] = { x: r.x, y: r.y, note: r.note, quadrant: quadrantOf({ x: r.x, y: r.y }), updatedAt: r.updated_at.toISOString() };
  }
  return [...byUser.values()];
}

/** Fills in user names and sorts by group (directors, HR, consultants), then name. */
export async function withNames(db: Db, placements: NamedPlacement[]): Promise<NamedPlacement[]> {
  const ids = placements.map((p) => p.userId);
  const rows = ids.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  const nameOf = new Map(rows.map((r) => [r.id, r.name]));
  for (const p of placements) p.name = nameOf.get(p.userId) ?? p.name;
  const order: StaffGroup[] = ['director', 'hr', 'consultant'];
  return placements.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || a.name.localeCompare(b.name, 'nl'));
}
