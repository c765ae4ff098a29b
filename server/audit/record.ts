// The audit trail of reads of results (and of the writes that change who may read, or the action plan): who viewed, exported or downloaded which round's results, raw
// answers, exports and PDFs, when, from which account or token and address. Result, export and report
// routes call recordRoundAccess / recordOrganisationAccess once, after the access check passed.
// Kept as long as the organisation's retention setting (deleteExpiredAuditEvents, system scope of
// the retention sweep); without a retention setting, AUDIT_DEFAULT_RETENTION_MONTHS.
import type { FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { withSystemScope, withTenantScope } from '../auth/tenant-scope.js';
import type { DB, Db } from '../db/schema.js';

export const AUDIT_ACTIONS = [
  'results.view',
  'results.csv',
  'results.xlsx',
  'raw.csv',
  'report.client.pdf',
  'report.director.pdf',
  'report.batch.pdf',
  'report.department.pdf',
  'report.department.batch.pdf',
  'organisation.export',
  'organisation.create',
  'user.invite',
  'user.update',
  'user.remove',
  'action.create',
  'action.update',
  'action.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_DEFAULT_RETENTION_MONTHS = 24;

interface Target {
  consultancyId: string;
  organisationId: string;
  roundId: string | null;
}

async function actorLabel(db: Db, request: FastifyRequest): Promise<{ kind: 'user' | 'token'; userId: string | null; tokenId: string | null; label: string } | null> {
  const p = request.principal;
  if (!p) return null;
  if (p.kind === 'user') return { kind: 'user', userId: p.userId, tokenId: null, label: p.email };
  const t = await db.selectFrom('api_tokens').select('name').where('id', '=', p.tokenId).executeTakeFirst();
  return { kind: 'token', userId: null, tokenId: p.tokenId, label: `token: ${t?.name ?? p.tokenId}`.slice(0, 320) };
}

async function record(db: Db, request: FastifyRequest, action: AuditAction, target: Target, detail?: string): Promise<void> {
  // Outside a scope the database accepts no row (deny by default): the line is written in the
  // caller's own tenant scope, which the audit_events policy checks against the target.
  const p = request.principal;
  if (!db.isTransaction && p) return withTenantScope(db as Kysely<DB>, p, (tx) => record(tx, request, action, target, detail));
  const actor = await actorLabel(db, request);
  if (!actor) return;
  await db
    .insertInto('audit_events')
    .values({
      consultancy_id: target.consultancyId,
      organisation_id: target.organisationId,
      round_id: target.roundId,
      action,
      actor_kind: actor.kind,
      actor_user_id: actor.userId,
      actor_token_id: actor.tokenId,
      actor_label: actor.label,
      ip: request.ip.slice(0, 100),
      detail: detail ? detail.slice(0, 500) : null,
    })
    .execute();
}

/** One line in a round route, with the row requireRound returned. */
export function recordRoundAccess(
  db: Db,
  request: FastifyRequest,
  action: AuditAction,
  round: { id: string; organisation_id: string; consultancy_id: string },
  detail?: string,
): Promise<void> {
  return record(db, request, action, { consultancyId: round.consultancy_id, organisationId: round.organisation_id, roundId: round.id }, detail);
}

/** One line in an organisation route, with the row requireOrganisation returned. */
export function recordOrganisationAccess(
  db: Db,
  request: FastifyRequest,
  action: AuditAction,
  organisation: { id: string; consultancy_id: string },
  detail?: string,
): Promise<void> {
  return record(db, request, action, { consultancyId: organisation.consultancy_id, organisationId: organisation.id, roundId: null }, detail);
}

/** Retention sweep (system scope): events older than their organisation's retention period. */
export async function deleteExpiredAuditEvents(db: Db, now = new Date()): Promise<number> {
  // Across tenants (the retention sweep): the system scope, unless the caller is already in one.
  if (!db.isTransaction) return withSystemScope(db as Kysely<DB>, (tx) => deleteExpiredAuditEvents(tx, now));
  const res = await db
    .deleteFrom('audit_events')
    .where(
      sql<boolean>`occurred_at < ${now}::timestamptz - make_interval(months => coalesce(
        (select o.retention_months from organisations o where o.id = audit_events.organisation_id), ${AUDIT_DEFAULT_RETENTION_MONTHS}))`,
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
