// Mail batches as staff see them: counts per status and failure reasons, never a link. Reminder
// batches never name their recipients (HR sees how many were reminded, not who).
import { sql } from 'kysely';
import type { Db, FormKind } from '../db/schema.js';
import { AppError, ConflictError, NotFoundError } from '../lib/errors.js';

export type BatchStatus = 'scheduled' | 'waiting_for_opening' | 'queued' | 'sending' | 'sent' | 'partly_failed' | 'failed' | 'cancelled' | 'empty';

export interface MailBatchDto {
  id: string;
  roundId: string;
  kind: 'invitation' | 'reminder';
  form: FormKind | null;
  scheduledFor: string | null;
  createdAt: string;
  status: BatchStatus;
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  /** Failure reasons with how many messages each (the part before the colon is a stable code). */
  failures: Array<{ reason: string; count: number }>;
  /** Invitation batches only: the addresses that could not be reached (HR entered them). */
  failedAddresses: string[];
}

export async function listMailBatches(db: Db, roundId: string, batchId?: string): Promise<MailBatchDto[]> {
  let q = db
    .selectFrom('mail_batches')
    .innerJoin('rounds', 'rounds.id', 'mail_batches.round_id')
    .select([
      'mail_batches.id',
      'mail_batches.kind',
      'mail_batches.form',
      'mail_batches.scheduled_for',
      'mail_batches.created_at',
      'mail_batches.materialised_at',
      'mail_batches.cancelled_at',
      'mail_batches.recipients',
      'rounds.status as round_status',
      'rounds.opens_at',
    ])
    .where('mail_batches.round_id', '=', roundId);
  if (batchId) q = q.where('mail_batches.id', '=', batchId);
  const batches = await q.orderBy('mail_batches.created_at', 'desc').execute();
  if (batches.length === 0) return [];
  const counts = await db
    .selectFrom('mail_messages')
    .select((eb) => ['batch_id', 'status', 'error', eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batches.map((b) => b.id))
    .groupBy(['batch_id', 'status', 'error'])
    .execute();
  const failedAddr = await db
    .selectFrom('mail_messages')
    .innerJoin('mail_batches', 'mail_batches.id', 'mail_messages.batch_id')
    .select(['mail_messages.batch_id', 'mail_messages.to_address'])
    .where('mail_messages.batch_id', 'in', batches.map((b) => b.id))
    .where('mail_batches.kind', '=', 'invitation')
    .where('mail_messages.status', '=', 'failed')
    .orderBy('mail_messages.to_address')
    .execute();
  const now = Date.now();
  return batches.map((b) => {
    const mine = counts.filter((c) => c.batch_id === b.id);
    const n = (st: string[]) => mine.filter((c) => st.includes(c.status)).reduce((a, c) => a + Number(c.n), 0);
    const queued = n(['queued', 'sending']);
    const sent = n(['sent']);
    const failed = n(['failed']);
    const reasons = new Map<string, number>();
    for (const c of mine.filter((c) => c.status === 'failed')) reasons.set(c.error ?? 'unknown', (reasons.get(c.error ?? 'unknown') ?? 0) + Number(c.n));
    let status: BatchStatus;
    if (b.cancelled_at) status = 'cancelled';
    else if (!b.materialised_at) status = 'scheduled';
    else if (queued > 0) {
      const waits = b.round_status === 'draft' || (b.opens_at && b.opens_at.getTime() > now);
      status = waits ? 'waiting_for_opening' : n(['sending']) > 0 || sent + failed > 0 ? 'sending' : 'queued';
    } else if (sent + failed === 0) status = 'empty';
    else if (failed === 0) status = 'sent';
    else status = sent === 0 ? 'failed' : 'partly_failed';
    return {
      id: b.id,
      roundId,
      kind: b.kind,
      form: b.form,
      scheduledFor: b.scheduled_for?.toISOString() ?? null,
      createdAt: b.created_at.toISOString(),
      status,
      recipients: b.materialised_at ? b.recipients : 0,
      queued,
      sent,
      failed,
      failures: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      failedAddresses: b.kind === 'invitation' ? failedAddr.filter((f) => f.batch_id === b.id).map((f) => f.to_address) : [],
    };
  });
}

/** A reminder now or at a moment: to everyone invited (personal) who has not submitted by then. */
export async function scheduleReminder(
  db: Db,
  round: { id: string; status: string; closes_at: Date | null },
  input: { at?: Date | null; daysBeforeClose?: number | null; form?: FormKind | null },
  createdBy: string | null,
  now = new Date(),
): Promise<{ id: string; scheduledFor: Date }> {
  if (round.status === 'closed') throw new ConflictError('round_closed', 'The round is closed; no reminders can be sent');
  let at = input.at ?? now;
  if (input.daysBeforeClose != null) {
    if (!round.closes_at) {
      throw new AppError(409, 'no_closing_date', 'The round has no closing date: set one, or choose a moment', [{ path: 'body.daysBeforeClose', message: 'The round has no closing date' }]);
    }
    at = new Date(round.closes_at.getTime() - input.daysBeforeClose * 86_400_000);
  }
  if (round.closes_at && at.getTime() >= round.closes_at.getTime()) {
    throw new AppError(400, 'validation_failed', 'The reminder would go out after the round closes', [
      { path: input.daysBeforeClose != null ? 'body.daysBeforeClose' : 'body.at', message: 'Must be before the closing date' },
    ]);
  }
  if (at.getTime() < now.getTime() - 60_000 && (input.at || input.daysBeforeClose != null)) {
    throw new AppError(400, 'validation_failed', 'The moment lies in the past', [{ path: input.daysBeforeClose != null ? 'body.daysBeforeClose' : 'body.at', message: 'Must be now or later' }]);
  }
  if (at.getTime() < now.getTime()) at = now;
  const row = await db
    .insertInto('mail_batches')
    .values({ round_id: round.id, kind: 'reminder', form: input.form ?? null, scheduled_for: at, created_by: createdBy })
    .returning(['id', 'scheduled_for'])
    .executeTakeFirstOrThrow();
  return { id: row.id, scheduledFor: row.scheduled_for! };
}

export async function cancelScheduledBatch(db: Db, roundId: string, batchId: string, now = new Date()): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(batchId)) throw new NotFoundError('Mail batch');
  const row = await db.selectFrom('mail_batches').select(['id', 'materialised_at', 'cancelled_at']).where('id', '=', batchId).where('round_id', '=', roundId).executeTakeFirst();
  if (!row) throw new NotFoundError('Mail batch');
  if (row.materialised_at) throw new ConflictError('batch_already_sent', 'This batch has already been sent or is being sent');
  await db.updateTable('mail_batches').set({ cancelled_at: sql`coalesce(cancelled_at, ${now}::timestamptz)` }).where('id', '=', batchId).execute();
}

export interface OutboxMessageDto {
  id: string;
  roundId: string;
  roundName: string;
  organisationName: string;
  kind: 'invitation' | 'reminder';
  /** Null for reminders: who was reminded is not shown. */
  to: string | null;
  language: 'nl' | 'en';
  subject: string | null;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The stored body (outbox transport only: nothing was sent). */
  viewable: boolean;
}

const outboxSelect = (db: Db) =>
  db
    .selectFrom('mail_messages')
    .innerJoin('mail_batches', 'mail_batches.id', 'mail_messages.batch_id')
    .innerJoin('rounds', 'rounds.id', 'mail_messages.round_id')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .select([
      'mail_messages.id',
      'mail_messages.round_id',
      'rounds.name as round_name',
      'organisations.name as organisation_name',
      'organisations.consultancy_id',
      'rounds.organisation_id',
      'mail_batches.kind',
      'mail_messages.to_address',
      'mail_messages.language',
      'mail_messages.subject',
      'mail_messages.status',
      'mail_messages.attempts',
      'mail_messages.error',
      'mail_messages.created_at',
      'mail_messages.sent_at',
      'mail_messages.transport',
    ]);

type OutboxRow = Awaited<ReturnType<ReturnType<typeof outboxSelect>['execute']>>[number];

export function toOutboxDto(r: OutboxRow): OutboxMessageDto {
  return {
    id: r.id,
    roundId: r.round_id,
    roundName: r.round_name,
    organisationName: r.organisation_name,
    kind: r.kind,
    to: r.kind === 'reminder' ? null : r.to_address,
    language: r.language,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    viewable: r.transport === 'outbox' && r.status === 'sent',
  };
}

export { outboxSelect };
