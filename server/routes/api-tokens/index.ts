// API tokens: created by consultants (for their account or one client organisation) and by HR (for
// their organisation). The token value is in the creation answer only; lists never show it.
// Revoking takes effect on the next request: the auth hook reads revoked_at every time.
// Ownership: a token is the creator's (ownedBy 'user': it stops and is revoked when the creator is
// removed, disabled or loses that access) unless made with ownedBy 'organisation'.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireOrganisation } from '../../auth/access.js';
import { insertApiToken } from '../../auth/api-tokens.js';
import { actingConsultancy } from '../../auth/consultancy.js';
import { principalScope, type Principal } from '../../auth/principal.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import type { DB } from '../../db/schema.js';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { apiTokenCreateSchema, apiTokenSchema } from '../../contracts/api-tokens.js';

const NONE = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const apiTokensRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/v1/api-tokens',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['api-tokens'],
        summary: 'Create an API token; the answer holds the token, shown this once',
        description:
          'Without organisationId the token is bound to your consultancy account (consultants only); with it, to that organisation (consultants and HR). Send it as "Authorization: Bearer <token>".',
        body: apiTokenCreateSchema,
        response: {
          201: apiTokenSchema.extend({ token: z.string() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('API tokens are created by signed-in users');
      const b = request.body;
      const created = await withTenantScope(app.db, p, async (tx) => {
        if (b.organisationId) {
          const { organisation } = await requireOrganisation(tx, p, b.organisationId, ['consultant', 'hr']);
          return insertApiToken(tx, { name: b.name, organisationId: organisation.id, createdBy: p.userId, ownedByOrganisation: b.ownedBy === 'organisation' });
        }
        const consultancyId = actingConsultancy(p, b.consultancyId);
        return insertApiToken(tx, { name: b.name, consultancyId, createdBy: p.userId, ownedByOrganisation: b.ownedBy === 'organisation' });
      });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({
        id: created.id,
        name: created.name,
        consultancyId: created.consultancy_id,
        organisationId: created.organisation_id,
        createdAt: created.created_at.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
        ownedBy: created.owned_by_organisation ? ('organisation' as const) : ('user' as const),
        createdBy: created.created_by,
        token: created.token,
      });
    },
  );

  app.get(
    '/api/v1/api-tokens',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['api-tokens'],
        summary: 'Tokens of your account and organisations (without their values)',
        response: { 200: z.object({ tokens: z.array(apiTokenSchema) }), 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('API tokens are managed by signed-in users');
      const rows = await withTenantScope(app.db, p, async (tx) => {
        const { consultancyIds } = principalScope(p);
        const manageable = await manageableOrganisations(tx, p);
        const cIds = consultancyIds.length ? consultancyIds : [NONE];
        const oIds = manageable.length ? manageable : [NONE];
        return tx
          .selectFrom('api_tokens')
          .select(['id', 'name', 'consultancy_id', 'organisation_id', 'created_at', 'last_used_at', 'revoked_at', 'owned_by_organisation', 'created_by'])
          .where((eb) => eb.or([eb('consultancy_id', 'in', cIds), eb('organisation_id', 'in', oIds)]))
          .orderBy('created_at', 'desc')
          .execute();
      });
      return {
        tokens: rows.map((r) => ({
          id: r.id,
          name: r.name,
          consultancyId: r.consultancy_id,
          organisationId: r.organisation_id,
          createdAt: r.created_at.toISOString(),
          lastUsedAt: iso(r.last_used_at),
          revokedAt: iso(r.revoked_at),
          ownedBy: r.owned_by_organisation ? ('organisation' as const) : ('user' as const),
          createdBy: r.created_by,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/api-tokens/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke a token; it answers 401 from the next request on',
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('API tokens are managed by signed-in users');
      const id = request.params.id;
      if (!UUID.test(id)) throw new NotFoundError('API token');
      await withTenantScope(app.db, p, async (tx) => {
        const { consultancyIds } = principalScope(p);
        const manageable = await manageableOrganisations(tx, p);
        const row = await tx.selectFrom('api_tokens').select(['id', 'consultancy_id', 'organisation_id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
        const allowed =
          row && ((row.consultancy_id && consultancyIds.includes(row.consultancy_id)) || (row.organisation_id && manageable.includes(row.organisation_id)));
        if (!row || !allowed) throw new NotFoundError('API token');
        if (!row.revoked_at) await tx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      });
      return reply.code(204).send(null);
    },
  );
};

/** Organisations whose tokens the user manages: all of their consultancies' and those where they are HR. */
async function manageableOrganisations(tx: Transaction<DB>, p: Principal): Promise<string[]> {
  const { consultancyIds } = principalScope(p);
  const hrOf = p.kind === 'user' ? p.roles.filter((r) => r.role === 'hr' && r.organisationId).map((r) => r.organisationId!) : [];
  if (consultancyIds.length === 0) return hrOf;
  const rows = await tx.selectFrom('organisations').select('id').where('consultancy_id', 'in', consultancyIds).execute();
  return [...new Set([...hrOf, ...rows.map((r) => r.id)])];
}

export default apiTokensRoutes;
