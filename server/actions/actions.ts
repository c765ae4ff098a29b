// Action plans: actions an organisation takes on a priority or a mechanism of a closed round, and how
// the statements an action targets moved in a later round. Progress reads only published figures
// (the served result models of both rounds, i.e. their stored releases): a statement suppressed in
// either round stays without figures, and a movement is judged by scans/differences.ts.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { compareIndependentMeans, type Difference } from '../../scans/differences.js';
import { getCultureScan } from '../../scans/instruments/registry.js';
import type { ResultModel } from '../../scans/result-model.js';
import type { ActionPlanActionsTable, DB } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationFailedError } from '../lib/errors.js';

type Db = Kysely<DB> | Transaction<DB>;

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_SOURCES = ['priority', 'mechanism'] as const;

export interface ActionDto {
  id: string;
  organisationId: string;
  roundId: string;
  source: 'priority' | 'mechanism';
  mechanismId: string;
  title: string;
  owner: string;
  dueDate: string | null;
  status: ActionStatus;
  itemIds: string[];
  notes: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActionInput {
  source: 'priority' | 'mechanism';
  mechanismId: string;
  title: string;
  owner: string;
  dueDate?: string | null;
  status?: ActionStatus;
  itemIds?: string[];
  notes?: string;
}

type Row = Selectable<ActionPlanActionsTable>;

const iso = (d: Date | string) => new Date(d).toISOString();
const dateOnly = (d: unknown): string | null => (d === null || d === undefined ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

export function toActionDto(r: Row): ActionDto {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    roundId: r.round_id,
    source: r.source,
    mechanismId: r.mechanism_id,
    title: r.title,
    owner: r.owner,
    dueDate: dateOnly(r.due_date),
    status: r.status,
    itemIds: r.item_ids,
    notes: r.notes,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The mechanisms of an instrument with their statement ids. */
export function mechanismItems(instrumentId: string): Map<string, string[]> {
  const scan = getCultureScan(instrumentId);
  return new Map((scan?.scales ?? []).map((s) => [s.mechanism as string, s.items.map((i) => i.id)]));
}

/**
 * Checks an action against its round: the mechanism belongs to the round's instrument (and is one
 * of the round's priorities when the source is a priority), the statements belong to that mechanism.
 */
export function validateAction(input: Pick<ActionInput, 'source' | 'mechanismId' | 'itemIds'>, instrumentId: string, model: ResultModel | null, base = 'body'): void {
  const mechs = mechanismItems(instrumentId);
  const items = mechs.get(input.mechanismId);
  if (!items) throw new ValidationFailedError('Unknown mechanism', [{ path: `${base}.mechanismId`, message: `Not a mechanism of this round's instrument: ${input.mechanismId}` }]);
  if (input.source === 'priority' && model && !model.priorities.some((p) => p.mechanismId === input.mechanismId)) {
    throw new ValidationFailedError('Not a priority', [{ path: `${base}.mechanismId`, message: 'This mechanism is not among the priorities of the round' }]);
  }
  (input.itemIds ?? []).forEach((id, i) => {
    if (!items.includes(id)) throw new ValidationFailedError('Unknown statement', [{ path: `${base}.itemIds.${i}`, message: `Not a statement of this mechanism: ${id}` }]);
  });
  if (new Set(input.itemIds ?? []).size !== (input.itemIds ?? []).length) {
    throw new ValidationFailedError('Duplicate statement', [{ path: `${base}.itemIds`, message: 'Each statement once' }]);
  }
}

export async function createAction(db: Db, round: { id: string; organisation_id: string }, input: ActionInput, userId: string | null): Promise<ActionDto> {
  const row = await db
    .insertInto('action_plan_actions')
    .values({
      organisation_id: round.organisation_id,
      round_id: round.id,
      source: input.source,
      mechanism_id: input.mechanismId,
      title: input.title,
      owner: input.owner,
      due_date: input.dueDate ?? null,
      status: input.status ?? 'planned',
      item_ids: input.itemIds ?? [],
      notes: input.notes ?? '',
      created_by: userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toActionDto(row);
}

/** Actions of an organisation, oldest round first, then by creation. */
export async function listActions(db: Db, organisationId: string): Promise<ActionDto[]> {
  const rows = await db
    .selectFrom('action_plan_actions')
    .innerJoin('rounds', 'rounds.id', 'action_plan_actions.round_id')
    .selectAll('action_plan_actions')
    .where('action_plan_actions.organisation_id', '=', organisationId)
    .orderBy('rounds.closed_at', 'asc')
    .orderBy('action_plan_actions.created_at', 'asc')
    .orderBy('action_plan_actions.id', 'asc')
    .execute();
  return rows.map(toActionDto);
}

export async function getActionRow(db: Db, id: string): Promise<Row> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await db.selectFrom('action_plan_actions').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('Action');
  return row;
}

export async function updateAction(db: Db, id: string, patch: Partial<Omit<ActionInput, 'source' | 'mechanismId'>>): Promise<ActionDto> {
  const row = await db
    .updateTable('action_plan_actions')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
      ...(patch.dueDate !== undefined ? { due_date: patch.dueDate } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.itemIds !== undefined ? { item_ids: patch.itemIds } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Action');
  return toActionDto(row);
}

/** The fields an update changed (for the audit line), e.g. "status planned → done", "notes". */
export function changedFields(before: ActionDto, after: ActionDto): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push('title');
  if (before.owner !== after.owner) out.push('owner');
  if (before.dueDate !== after.dueDate) out.push(`due ${before.dueDate ?? '-'} → ${after.dueDate ?? '-'}`);
  if (before.status !== after.status) out.push(`status ${before.status} → ${after.status}`);
  if (before.itemIds.join(',') !== after.itemIds.join(',')) out.push('statements');
  if (before.notes !== after.notes) out.push('notes');
  return out;
}

export async function deleteAction(db: Db, id: string): Promise<void> {
  await db.deleteFrom('action_plan_actions').where('id', '=', id).execute();
}

export function assertClosedRound(round: { status: string }): void {
  if (round.status !== 'closed') throw new ConflictError('round_not_closed', 'Actions start from the results of a closed round');
}

// --- progress in a later round ------------------------------------------------------------------

export interface ItemMovement {
  itemId: string;
  text: { nl: string; en: string } | null;
  /** Published mean and % favourable in the action's round and in the later round; null when suppressed or absent. */
  before: { mean: number | null; favourable: number | null; n: number | null } | null;
  after: { mean: number | null; favourable: number | null; n: number | null } | null;
  change: number | null;
  /** Whether the change is larger than its uncertainty (Welch); null when either side is not published. */
  difference: Difference | null;
}

export interface ActionProgress {
  action: ActionDto;
  /** The round the action came from. */
  fromRound: { id: string; name: string };
  items: ItemMovement[];
}

function publishedItem(model: ResultModel, itemId: string) {
  for (const m of model.mechanisms) {
    const it = m.items.find((i) => i.itemId === itemId);
    if (it) return { text: it.text, item: it.suppressed || m.suppressed ? null : it };
  }
  return { text: null, item: null };
}

/**
 * How the target statements of each action moved between the action's round and `current` (a later
 * closed round's served model). Only figures both served models publish are compared.
 */
export function movements(action: ActionDto, before: ResultModel, current: ResultModel): ItemMovement[] {
  return action.itemIds.map((itemId) => {
    const b = publishedItem(before, itemId);
    const a = publishedItem(current, itemId);
    const side = (it: typeof b.item) => (it && (it.score || it.favourable !== null) ? { mean: it.score?.mean ?? null, favourable: it.favourable, n: it.score?.n ?? null } : null);
    const bs = side(b.item);
    const as = side(a.item);
    const change = bs?.mean != null && as?.mean != null ? as.mean - bs.mean : null;
    const difference = b.item?.score && a.item?.score ? compareIndependentMeans(a.item.score, b.item.score) : null;
    return { itemId, text: a.text ?? b.text, before: bs, after: as, change, difference };
  });
}
