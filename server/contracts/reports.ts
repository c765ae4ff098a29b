// Contracts of the reports feature: report jobs and batches as the API answers them, and the batch
// order the API and the CLI's batch file accept.
import { z } from 'zod';
import { REPORT_TYPES } from '../../report-templates/index.js';

export const REPORT_LANGS = ['nl', 'en'] as const;
/** Most reports one batch may order. */
export const REPORT_BATCH_MAX_JOBS = 100;

export const reportJobSchema = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    type: z.enum(REPORT_TYPES),
    lang: z.enum(REPORT_LANGS),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    attempts: z.number().int(),
    error: z.string().nullable().describe('The last attempt\'s error; for status failed, why the report could not be made'),
    retrying: z.boolean().describe('Queued or running again after a failed or interrupted attempt (its instance stopped): the error says why'),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    download: z.string().nullable().describe('Path of the PDF once status is done'),
  })
  .meta({ id: 'ReportJob' });

export const reportBatchSchema = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    total: z.number().int(),
    queued: z.number().int(),
    running: z.number().int(),
    retrying: z.number().int().describe('Of queued and running: jobs on a second or later attempt'),
    done: z.number().int(),
    failed: z.number().int(),
    finished: z.boolean().describe('True when every job is done or failed'),
    jobs: z.array(reportJobSchema),
  })
  .meta({ id: 'ReportBatch' });

/** One report of a batch order. */
export const reportOrderSchema = z.strictObject({ roundId: z.string(), type: z.enum(REPORT_TYPES), lang: z.enum(REPORT_LANGS).default('nl') });

export const reportBatchRequestSchema = z.strictObject({
  jobs: z.array(reportOrderSchema).min(1).max(REPORT_BATCH_MAX_JOBS),
});

export type ReportJob = z.infer<typeof reportJobSchema>;
export type ReportBatch = z.infer<typeof reportBatchSchema>;
