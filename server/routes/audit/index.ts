// The audit trail, for the consultancy (all its client organisations) and for the organisation's HR
// (and its integration tokens). Directors do not read it. Newest first, at most `limit` events.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, requireOrganisation, requireRound } from '../../auth/access.js';
import { principalScope } from '../../auth/principal.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { AUDIT_ACTIONS } from '../../audit/record.js';
import { ForbiddenError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { auditEventSchema } from '../../contracts/audit.js';

const NONE = '00000000-0000-0000-0000-000000000000';

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/audit-events',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['audit'],
        summary: 'Who viewed, exported or downloaded results, raw answers, exports and PDFs (consultants, HR, integration tokens)',
        description:
          'Without filters: every organisation you manage (consultants: all client organisations of the account). Kept as long as the organisation keeps raw data (retention_months), 24 months without that setting.',
        querystring: z.strictObject({
          organisationId: z.uuid().optional(),
          roundId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ events: z.array(auditEventSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const q = request.query;
      const rows = await withTenantScope(app.db, p, async (tx) => {
        let query = tx
          .selectFrom('audit_events as e')
          .leftJoin('organisations as o', 'o.id', 'e.organisation_id')
          .leftJoin('rounds as r', 'r.id', 'e.round_id')
          .select(['e.id', 'e.occurred_at', 'e.action', 'e.organisation_id', 'o.name as organisation_name', 'e.round_id', 'r.name as round_name', 'e.actor_kind', 'e.actor_user_id', 'e.actor_token_id', 'e.actor_label', 'e.ip', 'e.detail']);
        if (q.roundId) {
          const { round } = await requireRound(tx, p, q.roundId, MANAGE_ROLES);
          query = query.where('e.round_id', '=', round.id);
        } else if (q.organisationId) {
          const { organisation } = await requireOrganisation(tx, p, q.organisationId, MANAGE_ROLES);
          query = query.where('e.organisation_id', '=', organisation.id);
        } else {
          const { consultancyIds } = principalScope(p);
          const hrOf =
            p.kind === 'token'
              ? p.organisationId
                ? [p.organisationId]
                : []
              : p.roles.filter((r) => r.role === 'hr' && r.organisationId).map((r) => r.organisationId!);
          if (consultancyIds.length === 0 && hrOf.length === 0) throw new ForbiddenError('The audit trail is for consultants and HR');
          const c = consultancyIds.length ? consultancyIds : [NONE];
          const o = hrOf.length ? hrOf : [NONE];
          query = query.where((eb) => eb.or([eb('e.consultancy_id', 'in', c), eb('e.organisation_id', 'in', o)]));
        }
        return query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').limit(q.limit).execute();
      });
      reply.header('cache-control', 'no-store');
      return {
        events: rows.map((r) => ({
          id: Number(r.id),
          occurredAt: r.occurred_at.toISOString(),
          action: r.action as (typeof AUDIT_ACTIONS)[number],
          organisationId: r.organisation_id,
          organisationName: r.organisation_name,
          roundId: r.round_id,
          roundName: r.round_name,
          actor: { kind: r.actor_kind, userId: r.actor_user_id, tokenId: r.actor_token_id, label: r.actor_label },
          ip: r.ip,
          detail: r.detail,
        })),
      };
    },
  );
};

export default auditRoutes;
