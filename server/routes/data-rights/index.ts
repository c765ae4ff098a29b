// Data rights: export everything of an organisation, delete a round with all its answers, and the
// periodic retention sweep (started here so it lives and dies with the app; off when
// RETENTION_SWEEP_MINUTES=0 and in tests).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordOrganisationAccess } from '../../audit/record.js';
import { z } from 'zod';
import { requireOrganisation, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { EXPORT_FORMAT, exportOrganisation } from '../../data-rights/export.js';
import { startRetentionSweeper } from '../../data-rights/sweeper.js';
import { ConflictError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';

const iso = z.iso.datetime();
const value = z.number().nullable();

const exportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    exportedAt: iso,
    organisation: z.object({
      id: z.uuid(),
      consultancyId: z.uuid(),
      name: z.string(),
      sector: z.string(),
      sizeClass: z.string(),
      retentionMonths: z.number().int().nullable(),
      createdAt: iso,
    }),
    users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: z.string(), createdAt: iso, disabled: z.boolean() })),
    rounds: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        instrumentId: z.string(),
        modules: z.array(z.string()),
        languages: z.array(z.string()),
        departments: z.array(z.string()),
        anonymityThreshold: z.number().int(),
        status: z.string(),
        opensAt: iso.nullable(),
        closesAt: iso.nullable(),
        openedAt: iso.nullable(),
        closedAt: iso.nullable(),
        rawPurgedAt: iso.nullable(),
        createdAt: iso,
        invitations: z.array(
          z.object({
            id: z.uuid(),
            kind: z.string(),
            form: z.string(),
            email: z.string().nullable(),
            department: z.string().nullable(),
            maxResponses: z.number().int().nullable(),
            createdAt: iso,
            revokedAt: iso.nullable(),
          }),
        ).describe('Who was invited; no per-person status (started, submitted), so nobody can be lined up with answers'),
        responsesWithheld: z
          .enum(['round_not_closed', 'below_threshold', 'raw_purged'])
          .nullable()
          .describe('Why `responses` is empty: answers are exported only for closed rounds with at least k submitted employee respondents'),
        responses: z
          .array(
            z.object({
              number: z.number().int(),
              form: z.string(),
              language: z.string().nullable().describe('"hidden" when it would narrow a row down to fewer than k'),
              background: z.object({
                department: z.string().nullable(),
                role: z.string().nullable(),
                education: z.string().nullable(),
                contract: z.string().nullable(),
                ageBand: z.string().nullable(),
              }),
              answers: z.record(z.string(), value),
              factors: z.record(z.string(), value),
              placements: z.array(z.object({ frame: z.string(), x: z.number(), y: z.number() })),
            }),
          )
          .describe(
            'Submitted responses of a closed round, the same anonymous rows as raw.csv: no ids, no timestamps, no link to invitations, in an order keyed on nothing a reader sees; ' +
              'background and language k-anonymous over their crossing (every combination occurs at least k times; coarser age/education bands or "hidden" otherwise).',
          ),
        checklist: z.array(z.object({ practiceId: z.string(), answer: z.string(), answeredBy: z.uuid().nullable(), updatedAt: iso })),
        placements: z.array(
          z.object({
            participantGroup: z.string(),
            userId: z.uuid().nullable(),
            frame: z.string(),
            x: z.number(),
            y: z.number(),
            note: z.string().nullable(),
            updatedAt: iso,
          }),
        ),
        snapshot: z.unknown().describe('Published aggregates kept after raw answers are purged'),
      }),
    ),
  })
  .meta({ id: 'OrganisationExport' });

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
        response: { 200: exportSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
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
