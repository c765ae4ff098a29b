// The results of a round: the result model as JSON (optionally for one visible segment), the same
// model as one tidy CSV table, and the anonymised raw answers.
import { serializerCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordRoundAccess } from '../../audit/record.js';
import { z } from 'zod';
import { ResultModelSchema, type ResultModel } from '../../../scans/result-model.js';
import { MANAGE_ROLES, READ_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { ConflictError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { buildResultModel, parseSegmentParam } from '../../results/build.js';
import { rawAnswersCsv, resultsToCsv } from '../../results/export.js';
import extrasRoutes from './extras.js';
import { serveClosed, servedCache } from '../../results/served.js';

const params = z.object({ roundId: z.string() });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema };

/**
 * Results are published once a round is closed: figures that change with every new response would let
 * a reader derive one respondent's answers by comparing two moments. Response rates stay available
 * while a round is open (rounds routes).
 */
function assertClosed(status: string): void {
  if (status !== 'closed') throw new ConflictError('round_not_closed', 'Results are available once the round is closed');
}

function fileName(name: string, suffix: string, ext = 'csv'): string {
  const base = name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'round';
  return `${base}-${suffix}.${ext}`;
}

/**
 * A result model is validated against ResultModelSchema when its release is written (release-store.ts),
 * and a view is served as stored plus the refreshed comparisons built in code: validating 0.3-3 MB of
 * JSON again on every request made the results API of a large round slow. The 200 response is
 * therefore only stringified; every other status goes through the zod serializer as elsewhere.
 */
const storedModelSerializer = (route: { schema: unknown; method: string; url: string; httpStatus?: string }) =>
  String(route.httpStatus) === '200' ? (data: unknown) => JSON.stringify(data) : serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);

const resultsRoutes: FastifyPluginAsyncZod = async (app) => {
  const cache = servedCache(app.db);
  await app.register(extrasRoutes); // issue 17: roles, who learns less, optional modules
  app.get(
    '/api/v1/rounds/:roundId/results',
    {
      preHandler: app.requireAuth,
      serializerCompiler: storedModelSerializer,
      schema: {
        tags: ['results'],
        summary: 'The result model of a round',
        description:
          'Everything a round shows: response, mechanisms with items and benchmarks, perspectives, segments and heatmap, checklist, dialogue model, factors, priorities, trend, sources and anonymity notes. ' +
          'Only for closed rounds (409 round_not_closed otherwise). Optional `segment=<dimension>:<value>` restricts the model to one group of one dimension; only groups the segments section shows as visible can be selected (403 otherwise), and filters cannot be combined.',
        params,
        querystring: z.strictObject({ segment: z.string().max(300).optional().describe('e.g. department:Zorg, age_band:35_44, role:_not_stated') }),
        response: { 200: ResultModelSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const segment = parseSegmentParam(request.query.segment);
      // Inside the tenant scope: row-level security backs up requireRound for every read of the model.
      // A closed round is served from its stored release; the cache holds the serialized view for as
      // long as the release, the pool comparison and the benchmark set stay the same (served.ts).
      const { round, body } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosed(round.status);
        const { body } = await serveClosed(tx, cache, {
          round,
          segment: segment ? `${segment.dimension}:${segment.value}` : null,
          variant: 'json',
          model: () => buildResultModel(tx, round.id, { segment }),
          produce: async (model) => Buffer.from(JSON.stringify(model)),
        });
        return { round, body };
      });
      await recordRoundAccess(app.db, request, 'results.view', round, request.query.segment);
      // The stored view, serialized once (a Buffer is sent as it is, without the 200 serializer).
      return reply.type('application/json; charset=utf-8').send(body as unknown as ResultModel);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/results.csv',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['results'],
        summary: 'The result model as one tidy CSV table',
        produces: ['text/csv'],
        description:
          'One row per figure: section, mechanism, item, dimension, group, form, frame, metric, value, n, label, benchmark_kind, benchmark, benchmark_value, delta, source, year, population. Same anonymity as the JSON.',
        params,
        querystring: z.strictObject({ lang: z.enum(['nl', 'en']).default('nl') }),
        response: { 200: z.string().describe('text/csv'), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { round, csv } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosed(round.status);
        const lang = request.query.lang;
        const { body } = await serveClosed(tx, cache, { round, segment: null, variant: `csv|${lang}`, model: () => buildResultModel(tx, round.id), produce: async (m) => resultsToCsv(m, lang) });
        return { round, csv: body };
      });
      await recordRoundAccess(app.db, request, 'results.csv', round);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(round.name, 'results')}"`)
        .send(csv);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/results.xlsx',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['results'],
        summary: 'The result model as an Excel workbook (one sheet per part)',
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        description:
          'The rows of results.csv, one worksheet per part of the result model (round, response, mechanisms, statements, perspectives, groups, checklist, dialogue model, factors, priorities, trend) after a first sheet explaining the anonymity rules. Built from the published result model: the same suppression as the JSON and the CSV.',
        params,
        querystring: z.strictObject({ lang: z.enum(['nl', 'en']).default('nl') }),
        response: { 200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const lang = request.query.lang;
      const { round, body } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosed(round.status);
        const { body } = await serveClosed(tx, cache, { round, segment: null, variant: `xlsx|${lang}`, model: () => buildResultModel(tx, round.id), produce: async (m) => (await import('../../results/excel.js')).resultsWorkbookBuffer(m, lang) }); // exceljs loads on the first workbook
        return { round, body };
      });
      await recordRoundAccess(app.db, request, 'results.xlsx', round);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName(round.name, 'results', 'xlsx')}"`)
        .send(body);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/raw.csv',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['results'],
        summary: 'Anonymised raw answers (only from k submitted employee respondents)',
        produces: ['text/csv'],
        description:
          'One row per submitted respondent in random order, numbered; no ids, timestamps or language. Item cells: 1-5, dk (don\'t know) or empty. A background value is shown only when its group is visible in the results ("hidden" otherwise); management rows only from k management respondents. 403 below the threshold.',
        params,
        response: { 200: z.string().describe('text/csv'), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { round, csv } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        assertClosed(round.status);
        return { round, csv: await rawAnswersCsv(tx, round.id) };
      });
      await recordRoundAccess(app.db, request, 'raw.csv', round);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(round.name, 'raw')}"`)
        .send(csv);
    },
  );
};

export default resultsRoutes;
