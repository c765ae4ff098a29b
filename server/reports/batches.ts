// Report batches: a consultant asks for many reports at once; each report is a job in report_jobs.
// A job is tried up to MAX_ATTEMPTS times; after the last failed attempt it is marked failed with its
// error, never silently dropped. Two runners execute the jobs:
// - PostgreSQL: pg-boss (a queue in PostgreSQL), so workers in every server instance share the work;
//   the pg-boss job is created in the same transaction as the report_jobs rows.
// - Embedded database: in this process, one job at a time, resumed at start-up.
// Both call processJob, which owns the state of a report_jobs row.

import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { ReportType } from '../../report-templates/index.js';
import type { Language } from '../../scans/types.js';
import type { Principal } from '../auth/principal.js';
import { withSystemScope, withTenantScope } from '../auth/tenant-scope.js';
import type { DB, Db } from '../db/schema.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, ServiceUnavailableError } from '../lib/errors.js';
import { loadDepartmentInput } from './department.js';
import type { AnyRenderInput } from './department-render.js';
import { loadReportInput } from './input.js';

/** Attempts per report before it is reported failed. */
export const MAX_ATTEMPTS = 3;
/** Seconds between attempts. */
export const RETRY_DELAY_SECONDS = 1;
/** The pg-boss queue of report jobs. */
export const REPORT_JOB_QUEUE = 'report-job';
/**
 * pg-boss: a worker refreshes its job's heartbeat every HEARTBEAT_SECONDS / 2; a job whose heartbeat
 * stops (its instance was killed) is failed and retried by the next supervise pass of any instance,
 * which runs every SUPERVISE_SECONDS. Worst case from kill to retry: 10 + 10 + retry delay + poll, ~22 s.
 */
export const HEARTBEAT_SECONDS = 10;
export const SUPERVISE_SECONDS = 10;
/** A render is bounded by the pool's timeout (60 s); this only catches a handler that never settles. */
export const JOB_EXPIRE_SECONDS = 5 * 60;
/**
 * Extra pg-boss retries for attempts that fail because the database is away (not counted as one of
 * MAX_ATTEMPTS); with exponential backoff capped at 30 s they cover an outage of about three minutes.
 */
export const OUTAGE_RETRIES = 8;
/** Shown on a job whose previous attempt stopped half-way (its server instance went away). */
export const INTERRUPTED_ERROR = 'interrupted: the previous attempt did not finish (its server stopped or lost the database); retrying';
export const OUTAGE_ERROR = 'database_unavailable: the database was not reachable; retrying';

export type RenderFn = (input: AnyRenderInput) => Promise<Buffer>;

export interface BatchJobRequest {
  roundId: string;
  /** A round report, or 'department': the report of one department (then `department` names it). */
  type: ReportType | 'department';
  lang: Language;
  /** The department key of a 'department' job. */
  department?: string;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Inserts a batch and its jobs (status queued); returns their ids in request order. */
export async function insertBatch(
  db: Db,
  batch: { consultancyId: string | null; requestedBy: string | null; jobs: BatchJobRequest[]; kind?: 'rounds' | 'departments' },
): Promise<{ batchId: string; jobIds: string[] }> {
  // Deny by default outside a scope (issue 12): the insert runs in the system scope, after the
  // route's checks, on its own or inside the caller's transaction when that has no scope yet
  // (the pg-boss path's transaction; set_config(..., true) ends with it).
  if (!db.isTransaction) return withSystemScope(db as Kysely<DB>, (tx) => insertBatch(tx, batch));
  await sql`select set_config('lcs.scope', 'system', true) where coalesce(current_setting('lcs.scope', true), '') = ''`.execute(db);
  const { id: batchId } = await db
    .insertInto('report_batches')
    .values({ consultancy_id: batch.consultancyId, requested_by: batch.requestedBy, ...(batch.kind ? { kind: batch.kind } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = await db
    .insertInto('report_jobs')
    .values(
      batch.jobs.map((j, position) => ({
        batch_id: batchId,
        round_id: j.roundId,
        report_type: j.type,
        language: j.lang,
        position,
        ...(j.type === 'department' ? { department: j.department ?? null } : {}),
      })),
    )
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
  // The job's own bookkeeping is scheduled work, not for one tenant: the system scope (issue 12,
  // deny by default outside a scope). The report's data is read in the batch's tenant scope below.
  const sys = <T>(fn: (tx: Kysely<DB>) => Promise<T>) => withSystemScope(db, fn);
  const claimed = await sys((db) => db
    .updateTable('report_jobs')
    // A row still 'running' when claimed was abandoned half-way (a killed instance): say so, so the
    // batch progress shows the job as retrying rather than silently running again.
    .set({
      status: 'running',
      attempts: sql`attempts + 1`,
      started_at: sql`coalesce(started_at, now())`,
      error: sql`case when status = 'running' then ${INTERRUPTED_ERROR} else error end`,
    })
    .where('id', '=', jobId)
    .where('status', 'in', ['queued', 'running'])
    .returning(['round_id', 'report_type', 'language', 'attempts', 'batch_id', 'department'])
    .executeTakeFirst());
  if (!claimed) return 'skipped';
  try {
    // Read in the tenant scope of the batch's consultancy (row-level security: a job for a round of
    // another consultancy loads nothing); see server/auth/tenant-scope.ts.
    const batch = await sys((db) => db.selectFrom('report_batches').select('consultancy_id').where('id', '=', claimed.batch_id).executeTakeFirst());
    // A batch without a consultancy is the command line's (npm run report --batch): the system scope.
    const now = opts.now?.() ?? new Date();
    // A department job re-checks at render time that the department is still visible in the
    // published release (a newer release can hide it); otherwise it fails as not found.
    const load = (tx: Db): Promise<AnyRenderInput & { fileName: string }> =>
      claimed.report_type === 'department'
        ? loadDepartmentInput(tx, claimed.round_id, claimed.department ?? '', claimed.language, now)
        : loadReportInput(tx, claimed.round_id, claimed.report_type, claimed.language, now);
    const scope: Principal | null = batch?.consultancy_id ? { kind: 'token', tokenId: 'report-worker', consultancyId: batch.consultancy_id, organisationId: null } : null;
    const input = await (scope ? withTenantScope(db, scope, load) : withSystemScope(db, load));
    const { fileName: _fileName, ...renderInput } = input;
    const pdf = await render(renderInput);
    await sys((db) => db
      .updateTable('report_jobs')
      .set({ status: 'done', pdf, error: null, finished_at: sql`now()` })
      .where('id', '=', jobId)
      .execute());
    return 'done';
  } catch (err) {
    if (isDatabaseUnavailable(err) && opts.lastChance !== true) {
      // An outage is not the report's fault: back to queued without using up an attempt. When the
      // database cannot even take this update, the error propagates and the runner retries later.
      await sys((db) => db
        .updateTable('report_jobs')
        .set({ status: 'queued', error: OUTAGE_ERROR, attempts: sql`greatest(attempts - 1, 0)` })
        .where('id', '=', jobId)
        .execute());
      return 'retry';
    }
    const error = jobErrorText(err);
    const last = claimed.attempts >= MAX_ATTEMPTS || opts.lastChance === true;
    await sys((db) => db
      .updateTable('report_jobs')
      .set(last ? { status: 'failed', error, finished_at: sql`now()` } : { status: 'queued', error })
      .where('id', '=', jobId)
      .execute());
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
  /** For /health/ready: whether batches can run now, and why not. */
  status(): RunnerStatus;
}

export interface RunnerStatus {
  /** idle: not started yet (started on first use); starting; running; retrying: start failed, trying again. */
  state: 'idle' | 'starting' | 'running' | 'retrying' | 'stopped';
  /** The last start-up error while retrying. */
  error?: string;
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

  status(): RunnerStatus {
    return { state: this.stopped ? 'stopped' : 'running' };
  }

  async enqueue(_db: Db, jobIds: string[]): Promise<void> {
    this.queue.push(...jobIds);
    this.kick();
  }

  /** Picks up jobs left queued or running by a previous process. */
  async start(): Promise<void> {
    const left = await withSystemScope(this.db, (tx) =>
      tx
        .selectFrom('report_jobs')
        .innerJoin('report_batches', 'report_batches.id', 'report_jobs.batch_id')
        .select('report_jobs.id')
        .where('report_jobs.status', 'in', ['queued', 'running'])
        .orderBy('report_batches.created_at')
        .orderBy('report_jobs.position')
        .execute(),
    );
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

/** PostgreSQL's "deadlock detected": two instances creating the queue at once on a fresh database. */
function isDeadlock(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '40P01';
}

/** Runs fn, again after a short random pause when it deadlocks (up to `attempts` times). */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDeadlock(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * i));
    }
  }
}

const QUEUE_OPTIONS = {
  retryLimit: MAX_ATTEMPTS - 1 + OUTAGE_RETRIES,
  retryDelay: RETRY_DELAY_SECONDS,
  retryBackoff: true,
  retryDelayMax: 30,
  expireInSeconds: JOB_EXPIRE_SECONDS,
  heartbeatSeconds: HEARTBEAT_SECONDS,
} as const;

export class PgBossRunner implements BatchRunner {
  readonly kind = 'pg-boss' as const;
  // pg-boss (and its dependencies) load on first use, not at server start-up.
  private boss: PgBoss | null = null;
  private started: Promise<void> | null = null;
  private state: RunnerStatus['state'] = 'idle';
  private lastError: string | undefined;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly connectionString: string,
    private readonly db: Kysely<DB>,
    private readonly render: RenderFn,
    private readonly log?: Logger,
    /** First pause before another start attempt after a failed one (doubles up to 30 s). */
    private readonly restartDelayMs = 1000,
  ) {}

  status(): RunnerStatus {
    return this.lastError && this.state === 'retrying' ? { state: this.state, error: this.lastError } : { state: this.state };
  }

  private async createBoss(): Promise<PgBoss> {
    const { PgBoss: PgBossClass } = await import('pg-boss');
    const boss = new PgBossClass({
      connectionString: this.connectionString,
      max: 3,
      application_name: 'leercultuurscan-reports',
      schema: 'pgboss',
      // Heartbeat failures and expiry are handled in the supervise pass (see HEARTBEAT_SECONDS).
      superviseIntervalSeconds: SUPERVISE_SECONDS,
      monitorIntervalSeconds: SUPERVISE_SECONDS,
    });
    boss.on('error', (err) => this.log?.warn({ err: { message: err.message } }, 'report queue error'));
    return boss;
  }

  private async startOnce(): Promise<void> {
    const boss = await this.createBoss();
    try {
      await retryOnDeadlock(() => boss.start());
      await retryOnDeadlock(() => boss.createQueue(REPORT_JOB_QUEUE, QUEUE_OPTIONS));
      // createQueue leaves an existing queue as it was; bring its settings up to date.
      await retryOnDeadlock(() => boss.updateQueue(REPORT_JOB_QUEUE, QUEUE_OPTIONS));
      // One job at a time per instance: interactive downloads keep the rest of the render pool.
      const workOptions = { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true } as const;
      await boss.work<{ jobId: string }, void, typeof workOptions>(REPORT_JOB_QUEUE, workOptions, async ([job]) => {
        if (!job) return;
        const outcome = await processJob(this.db, this.render, job.data.jobId, { lastChance: job.retryCount >= job.retryLimit });
        if (outcome === 'retry') throw new Error('report job failed; retrying');
      });
    } catch (err) {
      await boss.stop({ graceful: false, timeout: 1000 }).catch(() => undefined);
      throw err;
    }
    this.boss = boss;
  }

  /**
   * Starts pg-boss. A failed start is retried in the background (with backoff) until it works or the
   * runner stops; meanwhile status() says so and enqueue answers 503. Resolves when started, rejects
   * with the first attempt's error (the caller logs it; the retries go on).
   */
  start(): Promise<void> {
    if (this.started) return this.started;
    if (this.stopping) return Promise.reject(new Error('report batch runner stopped'));
    this.state = this.state === 'retrying' ? 'retrying' : 'starting';
    const attempt = this.startOnce().then(
      () => {
        this.state = 'running';
        this.lastError = undefined;
      },
      (err: Error) => {
        this.started = null;
        this.lastError = err.message.split('\n')[0]?.slice(0, 200);
        this.state = 'retrying';
        this.scheduleRestart();
        throw err;
      },
    );
    this.started = attempt;
    return attempt;
  }

  private restartDelay = 0;
  private scheduleRestart(): void {
    if (this.stopping || this.retryTimer) return;
    this.restartDelay = Math.min(30_000, this.restartDelay ? this.restartDelay * 2 : this.restartDelayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start().then(
        () => this.log?.info({}, 'report batch runner started after retrying'),
        (err: Error) => this.log?.warn({ err: { message: err.message } }, 'report batch runner still not started; retrying'),
      );
    }, this.restartDelay);
    this.retryTimer.unref();
  }

  async enqueue(db: Db, jobIds: string[]): Promise<void> {
    try {
      await this.start();
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err; // the error handler answers 503 database_unavailable
      throw new ServiceUnavailableError('reports_unavailable', 'The report queue is not available yet; try again shortly', 5);
    }
    for (const jobId of jobIds) {
      await this.boss!.send(REPORT_JOB_QUEUE, { jobId }, {
        db: bossDb(db),
        retryLimit: QUEUE_OPTIONS.retryLimit,
        retryDelay: QUEUE_OPTIONS.retryDelay,
        retryBackoff: QUEUE_OPTIONS.retryBackoff,
        retryDelayMax: QUEUE_OPTIONS.retryDelayMax,
        expireInSeconds: QUEUE_OPTIONS.expireInSeconds,
        heartbeatSeconds: QUEUE_OPTIONS.heartbeatSeconds,
      });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
  }
}
