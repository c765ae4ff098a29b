// Data rights: export everything of an organisation, delete a round with all its answers, and the
// periodic retention sweep (started here so it lives and dies with the app; off when
// RETENTION_SWEEP_MINUTES=0 and in tests).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordOrganisationAccess } from '../../audit/record.js';
import { z } from 'zod';
import { requireOrganisation, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { organisationExportSchema } from '../../contracts/data-rights.js';
import { exportOrganisation } from '../../data-rights/export.js';
import { startRetentionSweeper } from '../../data-rights/sweeper.js';
import { ConflictError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';

const dataRightsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/organisations/:id/export',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['data-rights'],
        summary: 'Everything of the organisation as JSON (consultants and HR)',
        description:
          'Answers only as anonymous rows of closed rounds (see `responses`); invitations without per-person status. A respondent asks for their own answers from their own link, in their browser session (/survey/data).',
        params: z.object({ id: z.string() }),
        response: { 200: organisationExportSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const data = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.id, ['consultant', 'hr', 'integration']);
        await recordOrganisationAccess(tx, request, 'organisation.export', organisation);
        return exportOrganisation(tx, organisation.id);
      });
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="organisation-${data.organisation.id}.json"`);
      return data;
    },
  );

  app.delete(
    '/api/v1/rounds/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['data-rights'],
        summary: 'Delete a round with all its invitations, responses, answers and results (consultants and HR)',
        description: 'The body repeats the exact name of the round: {"confirm": "<name>"}; another name answers 409 and deletes nothing.',
        params: z.object({ id: z.string() }),
        body: z.strictObject({ confirm: z.string().max(200) }),
        response: { 204: z.null(), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.id, ['consultant', 'hr']);
        if (request.body.confirm !== round.name) {
          throw new ConflictError('confirmation_mismatch', 'To delete, send the exact name of the round as "confirm"');
        }
        await tx.deleteFrom('rounds').where('id', '=', round.id).execute();
      });
      return reply.code(204).send(null);
    },
  );

  const minutes = app.config.NODE_ENV === 'test' ? 0 : app.config.RETENTION_SWEEP_MINUTES;
  if (minutes > 0) {
    let sweeper: ReturnType<typeof startRetentionSweeper> | undefined;
    app.addHook('onReady', async () => {
      sweeper = startRetentionSweeper(app.db, { ...app.roundHooks, intervalMs: minutes * 60_000, log: app.log });
    });
    app.addHook('onClose', async () => {
      await sweeper?.stop();
    });
  }
};

export default dataRightsRoutes;
