// PDF reports: the client report and the director summary of a round (same access as the results),
// and report batches for consultants (many rounds in one go, with progress and per-report download).
// Rendering runs in worker threads; a saturated pool answers 503 with Retry-After.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordRoundAccess } from '../../audit/record.js';
import { z } from 'zod';
import { REPORT_TYPES, type ReportType } from '../../../report-templates/index.js';
import { READ_ROLES, requireRound, type EffectiveRole } from '../../auth/access.js';
import type { Principal } from '../../auth/principal.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { principalScope } from '../../auth/principal.js';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import {
  REPORT_BATCH_MAX_JOBS as MAX_JOBS,
  REPORT_LANGS as LANGS,
  reportBatchRequestSchema,
  reportBatchSchema as batchSchema,
} from '../../contracts/reports.js';
import { contentDisposition, loadReportExtrasInput, reportFileName } from '../../reports/input.js';
import { admissionOf, lookupClosed, servedCache, storeServed, variantHash } from '../../results/served.js';
import { assertClosedStatus } from '../../reports/published.js';
import { ReportService } from '../../reports/service.js';
import { departmentReportRoutes } from './department.js';

/** Who may order batches: consultants (their consultancy's rounds). */
const BATCH_ROLES: EffectiveRole[] = ['consultant'];

const pdfResponse = z.any().describe('application/pdf (binary)');
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema, 503: problemSchema };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The calendar day a report prints as its date (fmtDate: the day in the Netherlands). */
function reportDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const cache = servedCache(app.db);
  const service = new ReportService({
    db: app.db,
    databaseUrl: app.config.DATABASE_URL,
    workers: app.config.REPORT_WORKERS,
    queueLimit: app.config.REPORT_QUEUE_LIMIT,
    workerIdleMs: app.config.REPORT_WORKER_IDLE_SECONDS * 1000,
    log: app.log,
  });
  // Batch workers start with the server, so every instance shares the queue. Test apps start them on
  // the first batch instead, to keep pg-boss and worker threads out of test files that never use them.
  app.addHook('onReady', async () => {
    if (app.config.NODE_ENV === 'test') {
      // Tests: workers start on the first report, pg-boss on the first batch.
      if (service.runner.kind === 'pg-boss') return;
    } else {
      // The first consultant should not wait for the workers to load fonts and templates; started a
      // little after boot so it does not compete with start-up itself.
      setTimeout(() => {
        service.pool.warm().catch((err: Error) => app.log.error({ err: { message: err.message } }, 'report workers did not start'));
      }, 3000).unref();
    }
    service.runner.start().catch((err: Error) => app.log.error({ err: { message: err.message } }, 'report batch runner did not start'));
  });
  app.addHook('onClose', async () => service.close());
  app.backgroundStatus.set('reportBatches', () => service.runner.status());
  await departmentReportRoutes(app, service);

  for (const type of REPORT_TYPES) {
    app.get(
      `/api/v1/rounds/:roundId/reports/${type}.pdf`,
      {
        preHandler: app.requireAuth,
        schema: {
          tags: ['reports'],
          summary: type === 'client' ? 'The client report of a round (PDF)' : 'The director summary of a round (PDF, two or three pages)',
          description:
            'Rendered from the result model of the round, with the consultancy\'s name, logo and accent colour. Same access and anonymity as `GET /api/v1/rounds/{roundId}/results`: only for closed rounds (409 round_not_closed otherwise). ' +
            'Dutch by default; `lang=en` for English. 503 with Retry-After when too many reports are being rendered.',
          params: z.object({ roundId: z.string() }),
          querystring: z.strictObject({ lang: z.enum(LANGS).default('nl') }),
          response: { 200: pdfResponse, ...errors },
        },
      },
      async (request, reply) => {
        const p = app.principalOf(request);
        const lang = request.query.lang;
        const now = new Date();
        // Read in the tenant scope; rendered after the transaction (it can take a while). A closed
        // round's PDF is cached with every input it prints (served.ts): the release and the refreshed
        // pool and benchmark comparisons, the language, the report day, branding and action plan.
        const { round, cached, loaded, lookup, admission, fileName } = await withTenantScope(app.db, p, async (tx) => {
          const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
          assertClosedStatus(round.status);
          const extrasInput = await loadReportExtrasInput(tx, round.id, type);
          const variant = ['pdf', type, lang, reportDay(now), variantHash(extrasInput)].join('|');
          const lookup = await lookupClosed<Buffer>(tx, cache, { round, segment: null, variant, now });
          const fileName = reportFileName(extrasInput.branding.organisationName, extrasInput.branding.roundName, type, lang);
          if (lookup.hit) return { round, cached: lookup.hit, loaded: null, lookup, admission: null, fileName };
          const loaded = await service.loadRound(tx, round.id, type, lang, now, extrasInput);
          return { round, cached: null, loaded, lookup, admission: await admissionOf(tx, round, lookup, loaded.model), fileName };
        });
        let pdf = cached;
        if (!pdf) {
          pdf = (await service.renderLoaded(loaded!)).pdf;
          storeServed(cache, lookup, admission, pdf);
        }
        await recordRoundAccess(app.db, request, `report.${type}.pdf`, round, request.query.lang);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(fileName))
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );
  }

  app.post(
    '/api/v1/report-batches',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Order reports for several rounds in one go (consultants)',
        description:
          `Up to ${MAX_JOBS} reports, all of rounds of the caller's consultancy, all closed (409 round_not_closed naming the job otherwise; nothing is ordered). Each report is tried up to 3 times; a report that still fails is reported with status failed and its error. ` +
          'Follow progress with `GET /api/v1/report-batches/{batchId}`.',
        body: reportBatchRequestSchema,
        response: { 202: batchSchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = app.principalOf(request);
      let consultancyId: string | null = null;
      const rounds = await withTenantScope(app.db, principal, async (tx) => {
        const out = [];
        for (const job of request.body.jobs) out.push((await requireRound(tx, principal, job.roundId, BATCH_ROLES)).round);
        return out;
      });
      for (const [i, round] of rounds.entries()) {
        if (consultancyId !== null && round.consultancy_id !== consultancyId) {
          throw new ValidationFailedError('All rounds of a batch must belong to one consultancy', [
            { path: `body.jobs.${i}.roundId`, message: 'Round of another consultancy than the first round' },
          ]);
        }
        consultancyId = round.consultancy_id;
        assertClosedStatus(round.status, [{ path: `body.jobs.${i}.roundId`, message: 'Round is not closed: it has no results to report yet' }]);
      }
      const { batchId } = await service.createBatch({
        consultancyId,
        requestedBy: principal.kind === 'user' ? principal.userId : null,
        jobs: request.body.jobs.map((j) => ({ roundId: j.roundId, type: j.type, lang: j.lang })),
      });
      reply.header('location', `/api/v1/report-batches/${batchId}`);
      return reply.code(202).send(await loadBatch(batchId, principal));
    },
  );

  app.get(
    '/api/v1/report-batches/:batchId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Progress of a report batch',
        params: z.object({ batchId: z.string() }),
        response: { 200: batchSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return loadBatch(request.params.batchId, app.principalOf(request));
    },
  );

  app.get(
    '/api/v1/report-batches/:batchId/jobs/:jobId.pdf',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['reports'],
        summary: 'Download one report of a batch (once its status is done)',
        description: '409 `report_not_ready` while the report is queued or running, 409 `report_failed` when it failed.',
        params: z.object({ batchId: z.string(), jobId: z.string() }),
        response: { 200: pdfResponse, ...errors },
      },
    },
    async (request, reply) => {
      const principal = app.principalOf(request);
      if (!UUID.test(request.params.jobId)) throw new NotFoundError('Report');
      const { job, round } = await withTenantScope(app.db, principal, async (tx) => {
      await visibleBatch(tx, request.params.batchId, principal);
      const job = await tx
        .selectFrom('report_jobs')
        .innerJoin('rounds', 'rounds.id', 'report_jobs.round_id')
        .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
        .select(['report_jobs.round_id', 'report_jobs.status', 'report_jobs.pdf', 'report_jobs.report_type', 'report_jobs.language', 'report_jobs.error', 'rounds.name as round_name', 'organisations.name as organisation_name'])
        .where('report_jobs.id', '=', request.params.jobId)
        .where('report_jobs.batch_id', '=', request.params.batchId)
        .executeTakeFirst();
      if (!job) throw new NotFoundError('Report');
      // The round must still be the caller's (access can be withdrawn after ordering).
      const { round } = await requireRound(tx, principal, job.round_id, BATCH_ROLES);
      return { job, round };
      });
      if (job.status === 'failed') throw new ConflictError('report_failed', `This report could not be made: ${job.error ?? 'unknown error'}`);
      if (job.status !== 'done' || !job.pdf) throw new ConflictError('report_not_ready', 'This report is not ready yet');
      await recordRoundAccess(app.db, request, 'report.batch.pdf', round, `${job.report_type} ${job.language}`);
      return reply
        .type('application/pdf')
        .header('content-disposition', contentDisposition(reportFileName(job.organisation_name, job.round_name, job.report_type as ReportType, job.language)))
        .header('cache-control', 'private, no-store')
        .send(job.pdf);
    },
  );

  /** The batch when the caller may see it: a consultant of its consultancy, or whoever ordered it. */
  async function visibleBatch(db: Transaction<DB>, batchId: string, principal: Principal) {
    if (!UUID.test(batchId)) throw new NotFoundError('Report batch');
    const batch = await db.selectFrom('report_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
    // Department batches have their own routes (./department.ts).
    if (!batch || batch.kind === 'departments') throw new NotFoundError('Report batch');
    const { consultancyIds } = principalScope(principal);
    const mine = (batch.consultancy_id !== null && consultancyIds.includes(batch.consultancy_id)) || (principal.kind === 'user' && batch.requested_by === principal.userId);
    if (!mine) throw new NotFoundError('Report batch');
    return batch;
  }

  async function loadBatch(batchId: string, principal: Principal): Promise<z.infer<typeof batchSchema>> {
    const { batch, jobs } = await withTenantScope(app.db, principal, async (tx) => {
    const batch = await visibleBatch(tx, batchId, principal);
    const jobs = await tx
      .selectFrom('report_jobs')
      .select(['id', 'round_id', 'report_type', 'language', 'status', 'attempts', 'error', 'started_at', 'finished_at'])
      .where('batch_id', '=', batchId)
      .orderBy('position')
      .execute();
    return { batch, jobs };
    });
    const count = (s: string) => jobs.filter((j) => j.status === s).length;
    const retrying = (j: (typeof jobs)[number]) => (j.status === 'queued' || j.status === 'running') && j.error !== null;
    return {
      id: batch.id,
      createdAt: new Date(batch.created_at).toISOString(),
      total: jobs.length,
      queued: count('queued'),
      running: count('running'),
      retrying: jobs.filter(retrying).length,
      done: count('done'),
      failed: count('failed'),
      finished: jobs.every((j) => j.status === 'done' || j.status === 'failed'),
      jobs: jobs.map((j) => ({
        id: j.id,
        roundId: j.round_id,
        type: j.report_type as ReportType,
        lang: j.language,
        status: j.status,
        attempts: j.attempts,
        error: j.error,
        retrying: retrying(j),
        startedAt: iso(j.started_at),
        finishedAt: iso(j.finished_at),
        download: j.status === 'done' ? `/api/v1/report-batches/${batchId}/jobs/${j.id}.pdf` : null,
      })),
    };
  }
};

export default reportsRoutes;
