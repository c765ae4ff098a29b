// A consultancy's own benchmark sets: upload as CSV (bad rows rejected with line numbers, nothing
// stored), list, read, delete, and pick one per round.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import { MANAGE_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import type { DB } from '../../db/schema.js';
import { actingConsultancy } from '../../auth/consultancy.js';
import { principalScope } from '../../auth/principal.js';
import { NotFoundError, ValidationFailedError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { benchmarkSetSchema, benchmarkValueSchema } from '../../contracts/benchmarks.js';
import { createBenchmarkSet, getBenchmarkSetValues, listBenchmarkSets, parseBenchmarkCsv } from '../../results/benchmark-sets.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CSV_LIMIT = 2 * 1024 * 1024;

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 415: problemSchema };

const benchmarkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_request, body, done) => done(null, body));

  /** Sets the caller may see: its own consultancies', and for HR/directors/organisation tokens those of their organisations' consultancies. */
  async function visibleConsultancies(db: Transaction<DB>, p: ReturnType<typeof app.principalOf>): Promise<string[]> {
    const scope = principalScope(p);
    const ids = new Set(scope.consultancyIds);
    if (scope.organisationIds.length > 0) {
      const orgs = await db.selectFrom('organisations').select('consultancy_id').where('id', 'in', scope.organisationIds).execute();
      for (const o of orgs) ids.add(o.consultancy_id);
    }
    return [...ids];
  }

  async function requireOwnSet(db: Transaction<DB>, p: ReturnType<typeof app.principalOf>, setId: string, manage: boolean) {
    if (!UUID.test(setId)) throw new NotFoundError('Benchmark set');
    const allowed = manage ? principalScope(p).consultancyIds : await visibleConsultancies(db, p);
    const set = await db.selectFrom('benchmark_sets').selectAll().where('id', '=', setId).executeTakeFirst();
    if (!set || !allowed.includes(set.consultancy_id)) throw new NotFoundError('Benchmark set');
    return set;
  }

  app.post(
    '/api/v1/benchmark-sets',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['benchmarks'],
        summary: 'Upload a benchmark set (consultants)',
        consumes: ['text/csv', 'application/json'],
        description:
          'Body: text/csv with `?name=`, or JSON `{ name, csv }`. CSV header: target_kind,target_id,metric,value,n,source,year (metric optional, default favourable). ' +
          'target_kind scale (target_id a mechanism id) or item (an item id); favourable 0-100 or mean 1-5. Every bad row is reported as `line N, column X`; nothing is stored unless all rows are valid.',
        querystring: z.strictObject({ name: z.string().trim().min(1).max(200).optional(), consultancyId: z.uuid().optional() }),
        body: z.union([z.string(), z.strictObject({ name: z.string().trim().min(1).max(200), csv: z.string().max(CSV_LIMIT) })]),
        response: { 201: benchmarkSetSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      const body = request.body;
      const name = typeof body === 'string' ? request.query.name : body.name;
      const csv = typeof body === 'string' ? body : body.csv;
      if (!name) throw new ValidationFailedError('A name is required', [{ path: 'querystring.name', message: 'Required with a text/csv body' }]);
      const values = parseBenchmarkCsv(csv);
      const set = await withTenantScope(app.db, p, (tx) =>
        createBenchmarkSet(tx, { consultancyId, name, createdBy: p.kind === 'user' ? p.userId : null, values }),
      );
      return reply.code(201).send({
        id: set.id,
        consultancyId: set.consultancy_id,
        name: set.name,
        valueCount: set.valueCount,
        createdAt: new Date(set.created_at).toISOString(),
      });
    },
  );

  app.get(
    '/api/v1/benchmark-sets',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['benchmarks'],
        summary: 'Benchmark sets the caller can use',
        response: { 200: z.object({ sets: z.array(benchmarkSetSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const sets = await withTenantScope(app.db, p, async (tx) => listBenchmarkSets(tx, await visibleConsultancies(tx, p)));
      return {
        sets: sets.map((s) => ({
          id: s.id,
          consultancyId: s.consultancy_id,
          name: s.name,
          valueCount: Number(s.value_count),
          createdAt: new Date(s.created_at).toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/benchmark-sets/:setId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['benchmarks'],
        summary: 'One benchmark set with its values',
        params: z.object({ setId: z.string() }),
        response: { 200: benchmarkSetSchema.extend({ values: z.array(benchmarkValueSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { set, values } = await withTenantScope(app.db, p, async (tx) => {
        const set = await requireOwnSet(tx, p, request.params.setId, false);
        return { set, values: await getBenchmarkSetValues(tx, set.id) };
      });
      return {
        id: set.id,
        consultancyId: set.consultancy_id,
        name: set.name,
        valueCount: values.length,
        createdAt: new Date(set.created_at).toISOString(),
        values: values.map((v) => ({
          targetKind: v.target_kind,
          targetId: v.target_id,
          metric: v.metric,
          value: Number(v.value),
          n: v.n,
          source: v.source,
          year: v.year,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/benchmark-sets/:setId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['benchmarks'],
        summary: 'Delete a benchmark set (rounds that used it fall back to none)',
        params: z.object({ setId: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      await withTenantScope(app.db, p, async (tx) => {
        const set = await requireOwnSet(tx, p, request.params.setId, true);
        await tx.deleteFrom('benchmark_sets').where('id', '=', set.id).execute();
      });
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/rounds/:roundId/benchmark-set',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['benchmarks'],
        summary: "Pick the round's benchmark set (a set of the organisation's consultancy), or null for none",
        params: z.object({ roundId: z.string() }),
        body: z.strictObject({ benchmarkSetId: z.uuid().nullable() }),
        response: {
          200: z.object({ roundId: z.uuid(), benchmarkSet: z.object({ id: z.uuid(), name: z.string() }).nullable() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
      const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
      let set: { id: string; name: string } | null = null;
      if (request.body.benchmarkSetId) {
        const found = await tx
          .selectFrom('benchmark_sets')
          .select(['id', 'name'])
          .where('id', '=', request.body.benchmarkSetId)
          .where('consultancy_id', '=', round.consultancy_id)
          .executeTakeFirst();
        if (!found) throw new NotFoundError('Benchmark set');
        set = found;
      }
      await tx.updateTable('rounds').set({ benchmark_set_id: set?.id ?? null }).where('id', '=', round.id).execute();
      return { roundId: round.id, benchmarkSet: set };
      });
    },
  );
};

export default benchmarkRoutes;
