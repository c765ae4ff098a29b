// Report batches: a consultant asks for many reports at once; each report is a job in report_jobs.
// A job is tried up to MAX_ATTEMPTS times; after the last failed attempt it is marked failed with its
// error, never silently dropped. Two runners execute the jobs:
// - PostgreSQL: pg-boss (a queue in PostgreSQL), so workers in every server instance share the work;
//   the pg-boss job is created in the same transaction as the report_jobs rows.
// - Embedded database: in this process, one job at a time, resumed at start-up.
// Both call processJob, which owns the state of a report_jobs row.

import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { ReportType } from '../../report-templates/index.js';
import type { Language } from '../../scans/types.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../lib/errors.js';
import { loadReportInput } from './input.js';
import type { RenderInput } from './render.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Attempts per report before it is reported failed. */
export const MAX_ATTEMPTS = 3;
/** Seconds between attempts. */
export const RETRY_DELAY_SECONDS = 1;
/** The pg-boss queue of report jobs. */
export const REPORT_JOB_QUEUE = 'report-job';

export type RenderFn = (input: RenderInput) => Promise<Buffer>;

export interface BatchJobRequest {
  roundId: string;
  type: ReportType;
  lang: Language;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Inserts a batch and its jobs (status queued); returns their ids in request order. */
export async function insertBatch(
  db: Db,
  batch: { consultancyId: string | null; requestedBy: string | null; jobs: BatchJobRequest[] },
): Promise<{ batchId: string; jobIds: string[] }> {
  const { id: batchId } = await db
    .insertInto('report_batches')
    .values({ consultancy_id: batch.consultancyId, requested_by: batch.requestedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = await db
    .insertInto('report_jobs')
    .values(batch.jobs.map((j, position) => ({ batch_id: batchId, round_id: j.roundId, report_type: j.type, language: j.lang, position })))
    .returning('id')
    .execute();
  return { batchId, jobIds: rows.map((r) => r.id) };
}

/** A job's error as stored and shown: stable codes for known errors, a short first line otherwise. */
export function jobErrorText(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? 'error').slice(0, 300) || 'error';
}

export type JobOutcome = 'done' | 'failed' | 'retry' | 'skipped';

/**
 * Runs one attempt of a job: marks it running, renders, stores the PDF. A failure before the last
 * attempt puts the job back to queued with its error ('retry'); the last one marks it failed.
 * `lastChance` forces failure on this attempt (the queue will not retry again).
 */
export async function processJob(db: Kysely<DB>, render: RenderFn, jobId: string, opts: { lastChance?: boolean; now?: () => Date } = {}): Promise<JobOutcome> {
  const claimed = await db
    .updateTable('report_jobs')
    .set({ status: 'running', attempts: sql`attempts + 1`, started_at: sql`coalesce(started_at, now())` })
    .where('id', '=', jobId)
    .where('status', 'in', ['queued', 'running'])
    .returning(['round_id', 'report_type', 'language', 'attempts'])
    .executeTakeFirst();
  if (!claimed) return 'skipped';
  try {
    const input = await loadReportInput(db, claimed.round_id, claimed.report_type, claimed.language, opts.now?.() ?? new Date());
    const { fileName: _fileName, ...renderInput } = input;
    const pdf = await render(renderInput);
    await db
      .updateTable('report_jobs')
      .set({ status: 'done', pdf, error: null, finished_at: sql`now()` })
      .where('id', '=', jobId)
      .execute();
    return 'done';
  } catch (err) {
    const error = jobErrorText(err);
    const last = claimed.attempts >= MAX_ATTEMPTS || opts.lastChance === true;
    await db
      .updateTable('report_jobs')
      .set(last ? { status: 'failed', error, finished_at: sql`now()` } : { status: 'queued', error })
      .where('id', '=', jobId)
      .execute();
    return last ? 'failed' : 'retry';
  }
}

export interface BatchRunner {
  readonly kind: 'pg-boss' | 'in-process';
  /**
   * Hands jobs to the runner. pg-boss: call it inside the transaction that inserted the rows (the
   * queue entries commit with them). In-process: call it after that transaction committed.
   */
  enqueue(db: Db, jobIds: string[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// --- in-process (embedded database) -------------------------------------------------------------------

export class InProcessRunner implements BatchRunner {
  readonly kind = 'in-process' as const;
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly render: RenderFn,
    private readonly log?: Logger,
    private readonly retryDelayMs = RETRY_DELAY_SECONDS * 1000,
  ) {}

  async enqueue(_db: Db, jobIds: string[]): Promise<void> {
    this.queue.push(...jobIds);
    this.kick();
  }

  /** Picks up jobs left queued or running by a previous process. */
  async start(): Promise<void> {
    const left = await this.db
      .selectFrom('report_jobs')
      .innerJoin('report_batches', 'report_batches.id', 'report_jobs.batch_id')
      .select('report_jobs.id')
      .where('report_jobs.status', 'in', ['queued', 'running'])
      .orderBy('report_batches.created_at')
      .orderBy('report_jobs.position')
      .execute();
    if (left.length > 0) await this.enqueue(this.db, left.map((r) => r.id));
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.queue.length > 0 && !this.stopped) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const jobId = this.queue.shift();
      if (!jobId) return;
      let outcome: JobOutcome;
      try {
        outcome = await processJob(this.db, this.render, jobId);
      } catch (err) {
        // The database itself failed; try the job again later rather than losing it.
        this.log?.warn({ err: { message: (err as Error).message }, jobId }, 'report job could not be processed');
        outcome = 'retry';
      }
      if (outcome === 'retry') {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.stopped) {
            this.queue.push(jobId);
            this.kick();
          }
        }, this.retryDelayMs);
        timer.unref();
        this.timers.add(timer);
      }
    }
  }

  /** Waits for the running job; queued jobs stay queued in the database for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }

  /** Resolves when nothing is queued, running or waiting for a retry (CLI). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.timers.size > 0) {
      await (this.running ?? new Promise((r) => setTimeout(r, 50)));
    }
  }
}

// --- pg-boss (PostgreSQL) --------------------------------------------------------------------------

/** pg-boss runs its statements through this adapter, so a send can join a Kysely transaction. */
function bossDb(db: Db): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}

export class PgBossRunner implements BatchRunner {
  readonly kind = 'pg-boss' as const;
  // pg-boss (and its dependencies) load on first use, not at server start-up.
  private boss: PgBoss | null = null;
  private started: Promise<void> | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly db: Kysely<DB>,
    private readonly render: RenderFn,
    private readonly log?: Logger,
  ) {}

  private async createBoss(): Promise<PgBoss> {
    const { PgBoss: PgBossClass } = await import('pg-boss');
    const boss = new PgBossClass({ connectionString: this.connectionString, max: 3, application_name: 'leercultuurscan-reports', schema: 'pgboss' });
    boss.on('error', (err) => this.log?.warn({ err: { message: err.message } }, 'report queue error'));
    this.boss = boss;
    return boss;
  }

  start(): Promise<void> {
    this.started ??= (async () => {
      const boss = await this.createBoss();
      await boss.start();
      await boss.createQueue(REPORT_JOB_QUEUE, {
        retryLimit: MAX_ATTEMPTS - 1,
        retryDelay: RETRY_DELAY_SECONDS,
        expireInSeconds: 15 * 60,
      });
      // One job at a time per instance: interactive downloads keep the rest of the render pool.
      const workOptions = { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true } as const;
      await boss.work<{ jobId: string }, void, typeof workOptions>(
        REPORT_JOB_QUEUE,
        workOptions,
        async ([job]) => {
          if (!job) return;
          const outcome = await processJob(this.db, this.render, job.data.jobId, { lastChance: job.retryCount >= job.retryLimit });
          if (outcome === 'retry') throw new Error('report job failed; retrying');
        },
      );
    })();
    return this.started;
  }

  async enqueue(db: Db, jobIds: string[]): Promise<void> {
    await this.start();
    for (const jobId of jobIds) {
      await this.boss!.send(REPORT_JOB_QUEUE, { jobId }, { db: bossDb(db), retryLimit: MAX_ATTEMPTS - 1, retryDelay: RETRY_DELAY_SECONDS });
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
  }
}
