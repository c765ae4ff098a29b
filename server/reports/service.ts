// The one report service of an app instance: the render pool (worker threads) and the batch runner
// (pg-boss on PostgreSQL, in-process on the embedded database). Routes and the CLI go through it.
import type { Kysely } from 'kysely';
import type { ReportType } from '../../report-templates/index.js';
import type { Language } from '../../scans/types.js';
import type { DB } from '../db/schema.js';
import { InProcessRunner, insertBatch, PgBossRunner, type BatchRunner, type Logger } from './batches.js';
import { loadReportInput, type ReportExtrasInput } from './input.js';
import { ReportPool } from './pool.js';

export interface ReportServiceOptions {
  db: Kysely<DB>;
  /** Set on PostgreSQL: batches run on pg-boss in this database. */
  databaseUrl?: string | undefined;
  workers: number;
  queueLimit: number;
  /** Stop a worker idle this long (ReportPoolOptions.idleMs); absent: never. */
  workerIdleMs?: number;
  log?: Logger;
}

export class ReportService {
  readonly pool: ReportPool;
  readonly runner: BatchRunner;
  private readonly db: Kysely<DB>;

  constructor(opts: ReportServiceOptions) {
    this.db = opts.db;
    this.pool = new ReportPool({ workers: opts.workers, queueLimit: opts.queueLimit, idleMs: opts.workerIdleMs });
    const render = (input: Parameters<ReportPool['render']>[0]) => this.pool.render(input, { wait: true });
    this.runner = opts.databaseUrl ? new PgBossRunner(opts.databaseUrl, opts.db, render, opts.log) : new InProcessRunner(opts.db, render, opts.log);
  }

  /** Renders one report of a round now (interactive download). Access is the caller's check. */
  async renderRound(roundId: string, type: ReportType, lang: Language): Promise<{ pdf: Buffer; fileName: string }> {
    // Refuse before the model is built when the pool is already saturated.
    this.pool.assertCapacity();
    const { fileName, ...input } = await loadReportInput(this.db, roundId, type, lang);
    const pdf = await this.pool.render(input);
    return { pdf, fileName };
  }

  /**
   * The two halves of renderRound for a route: load in the caller's tenant scope (db is the
   * withTenantScope transaction), render after that transaction has ended.
   */
  async loadRound(db: Kysely<DB>, roundId: string, type: ReportType, lang: Language, now?: Date, loaded?: ReportExtrasInput): Promise<Awaited<ReturnType<typeof loadReportInput>>> {
    this.pool.assertCapacity();
    return loadReportInput(db, roundId, type, lang, now, loaded);
  }

  async renderLoaded(loaded: Awaited<ReturnType<typeof loadReportInput>>): Promise<{ pdf: Buffer; fileName: string }> {
    const { fileName, ...input } = loaded;
    return { pdf: await this.pool.render(input), fileName };
  }

  /** Stores a batch and hands its jobs to the runner (atomically on pg-boss). */
  async createBatch(batch: Parameters<typeof insertBatch>[1]): Promise<{ batchId: string; jobIds: string[] }> {
    if (this.runner.kind === 'pg-boss') {
      return this.db.transaction().execute(async (tx) => {
        const ids = await insertBatch(tx, batch);
        await this.runner.enqueue(tx, ids.jobIds);
        return ids;
      });
    }
    const ids = await insertBatch(this.db, batch);
    await this.runner.enqueue(this.db, ids.jobIds);
    return ids;
  }

  async close(): Promise<void> {
    await this.runner.stop().catch(() => undefined);
    await this.pool.close();
  }
}
