// Department reports (issue 18 item 3): the visible departments of a closed round, the PDF of one
// department, and a batch of the PDFs of every visible department (consultants and HR), with progress
// and per-report download. A department is reportable only when the round's published release shows
// it (server/reports/department.ts); a hidden department and an unknown one give the same 404.
// Registered from ./index.ts so it shares that plugin's report service (render pool, batch runner).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { recordRoundAccess } from '../../audit/record.js';
import { READ_ROLES, requireRound, type EffectiveRole } from '../../auth/access.js';
import type { Principal } from '../../auth/principal.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import type { DB } from '../../db/schema.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { departmentFileName, loadDepartmentInput, loadVisibleDepartments } from '../../reports/department.js';
import { contentDisposition } from '../../reports/input.js';
import { assertClosedStatus } from '../../reports/published.js';
import type { ReportService } from '../../reports/service.js';

const LANGS = ['nl', 'en'] as const;
/** Who may order the department reports of a round in one batch. */
const BATCH_ROLES: EffectiveRole[] = ['consultant', 'hr'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pdfResponse = z.any().describe('application/pdf (binary)');
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema, 503: problemSchema };
const localized = z.object({ nl: z.string(), en: z.string() });
const departmentParam = z.string().min(1).max(200).describe('The department key, as listed by `GET /api/v1/rounds/{roundId}/departments`');

const departmentListSchema = z
  .object({
    departments: z.array(z.object({ key: z.string(), label: localized, report: z.string().describe('Path of the Dutch PDF; add `&lang=en` for English') })),
  })
  .meta({ id: 'VisibleDepartments' });

const departmentJobSchema = z.object({
  id: z.uuid(),
  department: z.string(),
  label: localized.nullable().describe('Null when the department is no longer visible in the published release'),
  lang: z.enum(LANGS),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  attempts: z.number().int(),
  error: z.string().nullable(),
  finishedAt: z.string().nullable(),
  download: z.string().nullable().describe('Path of the PDF once status is done'),
});

const departmentBatchSchema = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    createdAt: z.string(),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    finished: z.boolean(),
    jobs: z.array(departmentJobSchema),
  })
  .meta({ id: 'DepartmentReportBatch' });

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const pdfPath = (roundId: string, key: string) => `/api/v1/rounds/${roundId}/reports/department.pdf?department=${encodeURIComponent(key)}`;

export async function departmentReportRoutes(fastify: FastifyInstance, service: ReportService): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/rounds/:roundId/departments',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'The departments of a closed round that may have a department report',
        description:
          'The department groups the published results show (at least k respondents and not withheld by complementary suppression); hidden departments are not listed. Same access as the results; 409 round_not_closed for a round that is not closed.',
        params: z.object({ roundId: z.string() }),
        response: { 200: departmentListSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { round, departments } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosedStatus(round.status);
        return { round, departments: await loadVisibleDepartments(tx, round.id) };
      });
      // Which departments the results show is part of the results: a read of them, like the extras.
      await recordRoundAccess(app.db, request, 'results.view', round, 'departments');
      reply.header('cache-control', 'private, no-store');
      return { departments: departments.map((d) => ({ key: d.key, label: d.label, report: pdfPath(request.params.roundId, d.key) })) };
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/reports/department.pdf',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'The department report of one department (PDF, two to four pages)',
        description:
          'The department against the organisation as a whole, from the published results. Only for a department the results show (404 not_found otherwise, the same as for a department that does not exist) of a closed round (409 round_not_closed). Dutch by default; `lang=en` for English.',
        params: z.object({ roundId: z.string() }),
        querystring: z.strictObject({ department: departmentParam, lang: z.enum(LANGS).default('nl') }),
        response: { 200: pdfResponse, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { round, loaded } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosedStatus(round.status);
        service.pool.assertCapacity();
        return { round, loaded: await loadDepartmentInput(tx, round.id, request.query.department, request.query.lang) };
      });
      const { fileName, ...input } = loaded;
      const pdf = await service.pool.render(input);
      await recordRoundAccess(app.db, request, 'report.department.pdf', round, `${request.query.department} ${request.query.lang}`);
      return reply.type('application/pdf').header('content-disposition', contentDisposition(fileName)).header('cache-control', 'private, no-store').send(pdf);
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/reports/department-batches',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Order the department reports of every visible department of a round (consultants and HR)',
        description:
          'One report per visible department and language, rendered in the background like other report batches (tried up to 3 times each). Follow progress with `GET /api/v1/rounds/{roundId}/reports/department-batches/{batchId}`; hidden departments are never included. 409 no_visible_departments when the results show no department.',
        params: z.object({ roundId: z.string() }),
        body: z.strictObject({ languages: z.array(z.enum(LANGS)).min(1).max(2).default(['nl']) }).default({ languages: ['nl'] }),
        response: { 202: departmentBatchSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const languages = [...new Set(request.body.languages)];
      const { round, departments } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, BATCH_ROLES);
        assertClosedStatus(round.status);
        return { round, departments: await loadVisibleDepartments(tx, round.id) };
      });
      if (departments.length === 0) throw new ConflictError('no_visible_departments', 'The results of this round show no department, so there is no department report to make');
      const { batchId } = await service.createBatch({
        consultancyId: round.consultancy_id,
        requestedBy: p.kind === 'user' ? p.userId : null,
        kind: 'departments',
        jobs: departments.flatMap((d) => languages.map((lang) => ({ roundId: round.id, type: 'department' as const, department: d.key, lang }))),
      });
      reply.header('location', `/api/v1/rounds/${round.id}/reports/department-batches/${batchId}`);
      return reply.code(202).send(await loadBatch(p, round.id, batchId));
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/reports/department-batches/:batchId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Progress of a batch of department reports',
        params: z.object({ roundId: z.string(), batchId: z.string() }),
        response: { 200: departmentBatchSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return loadBatch(app.principalOf(request), request.params.roundId, request.params.batchId);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/reports/department-batches/:batchId/jobs/:jobId.pdf',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Download one department report of a batch (once its status is done)',
        description: '409 `report_not_ready` while the report is queued or running, 409 `report_failed` when it failed.',
        params: z.object({ roundId: z.string(), batchId: z.string(), jobId: z.string() }),
        response: { 200: pdfResponse, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (!UUID.test(request.params.jobId)) throw new NotFoundError('Report');
      const { round, job } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await visibleBatch(tx, p, request.params.roundId, request.params.batchId);
        const job = await tx
          .selectFrom('report_jobs')
          .select(['status', 'pdf', 'department', 'language', 'error'])
          .where('id', '=', request.params.jobId)
          .where('batch_id', '=', request.params.batchId)
          .where('report_type', '=', 'department')
          .executeTakeFirst();
        if (!job) throw new NotFoundError('Report');
        return { round, job };
      });
      if (job.status === 'failed') throw new ConflictError('report_failed', `This report could not be made: ${job.error ?? 'unknown error'}`);
      if (job.status !== 'done' || !job.pdf) throw new ConflictError('report_not_ready', 'This report is not ready yet');
      await recordRoundAccess(app.db, request, 'report.department.batch.pdf', round, `${job.department ?? ''} ${job.language}`);
      return reply
        .type('application/pdf')
        .header('content-disposition', contentDisposition(departmentFileName(round.organisation_name, round.name, job.department ?? '', job.language)))
        .header('cache-control', 'private, no-store')
        .send(job.pdf);
    },
  );

  /** A department batch of this round that the caller may see: they may order batches for the round, and it is theirs or their consultancy's. */
  async function visibleBatch(tx: Transaction<DB>, p: Principal, roundId: string, batchId: string) {
    const { round } = await requireRound(tx, p, roundId, BATCH_ROLES);
    if (!UUID.test(batchId)) throw new NotFoundError('Report batch');
    const batch = await tx.selectFrom('report_batches').selectAll().where('id', '=', batchId).where('kind', '=', 'departments').executeTakeFirst();
    if (!batch) throw new NotFoundError('Report batch');
    const other = await tx.selectFrom('report_jobs').select('id').where('batch_id', '=', batchId).where('round_id', '!=', round.id).executeTakeFirst();
    const mine = batch.consultancy_id === round.consultancy_id || (p.kind === 'user' && batch.requested_by === p.userId);
    if (other || !mine) throw new NotFoundError('Report batch');
    return { round, batch };
  }

  async function loadBatch(p: Principal, roundId: string, batchId: string): Promise<z.infer<typeof departmentBatchSchema>> {
    const { round, batch, jobs, departments } = await withTenantScope(app.db, p, async (tx) => {
      const { round, batch } = await visibleBatch(tx, p, roundId, batchId);
      const jobs = await tx
        .selectFrom('report_jobs')
        .select(['id', 'department', 'language', 'status', 'attempts', 'error', 'finished_at'])
        .where('batch_id', '=', batchId)
        .orderBy('position')
        .execute();
      return { round, batch, jobs, departments: await loadVisibleDepartments(tx, round.id) };
    });
    const labels = new Map(departments.map((d) => [d.key, d.label]));
    const count = (s: string) => jobs.filter((j) => j.status === s).length;
    return {
      id: batch.id,
      roundId: round.id,
      createdAt: new Date(batch.created_at).toISOString(),
      total: jobs.length,
      done: count('done'),
      failed: count('failed'),
      finished: jobs.every((j) => j.status === 'done' || j.status === 'failed'),
      jobs: jobs.map((j) => ({
        id: j.id,
        department: j.department ?? '',
        label: labels.get(j.department ?? '') ?? null,
        lang: j.language,
        status: j.status,
        attempts: j.attempts,
        error: j.error,
        finishedAt: iso(j.finished_at),
        download: j.status === 'done' ? `/api/v1/rounds/${round.id}/reports/department-batches/${batchId}/jobs/${j.id}.pdf` : null,
      })),
    };
  }
}
