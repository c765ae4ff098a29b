// Import of a round's responses from another survey tool (CSV, all or nothing).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { boundedTextParser } from '../../lib/bounded-body.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { importResponses, MAX_IMPORT_ROWS } from '../../results/import.js';

const IMPORT_LIMIT = 20 * 1024 * 1024;

const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Bytes and lines counted as the CSV streams (a header, the rows, and a little slack for blank lines).
  app.addContentTypeParser(['text/csv', 'text/plain'], boundedTextParser({ maxBytes: IMPORT_LIMIT, maxLines: MAX_IMPORT_ROWS + 100 }));

  app.post(
    '/api/v1/rounds/:roundId/imports',
    {
      preHandler: app.requireAuth,
      bodyLimit: IMPORT_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'Import responses from another survey tool (CSV)',
        consumes: ['text/csv', 'application/json'],
        description:
          `Body: text/csv (with \`?form=employee|management\`) or JSON \`{ csv, form? }\`. One row per respondent (at most ${MAX_IMPORT_ROWS}); columns: the item ids of the round's instrument (1-5, dk for don't know, empty for not answered), ` +
          'optional background columns department, role, education, contract, age_band, optional form and respondent_id (ignored). Every problem is reported as `line N, column X`; nothing is stored unless every row is valid. Not for closed rounds (409).',
        params: z.object({ roundId: z.string() }),
        querystring: z.strictObject({ form: z.enum(['employee', 'management']).optional() }),
        body: z.union([z.string(), z.strictObject({ csv: z.string(), form: z.enum(['employee', 'management']).optional() })]),
        response: {
          201: z.object({
            roundId: z.uuid(),
            imported: z.number().int(),
            byForm: z.object({ employee: z.number().int(), management: z.number().int() }),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
          413: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const body = request.body;
      const csv = typeof body === 'string' ? body : body.csv;
      const form = (typeof body === 'string' ? undefined : body.form) ?? request.query.form ?? 'employee';
      const { round, result } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return { round, result: await importResponses(tx, round.id, csv, { form }) };
      });
      return reply.code(201).send({ roundId: round.id, ...result });
    },
  );
};

export default importRoutes;
