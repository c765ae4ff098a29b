// `npm run report`: PDF reports from the command line, rendered in this process.
//
//   npm run report -- --round <id> --type client|director --lang nl|en --out report.pdf
//   npm run report -- --demo [--type client] [--lang nl] [--out report.pdf]
//   npm run report -- --batch jobs.json [--out-dir reports]
//
// --demo uses the embedded database in DATA_DIR (seeded with the demo data when it holds nothing
// else) and the demo organisation's latest closed round. --batch reads a JSON list of
// { "roundId", "type", "lang" } (or { "jobs": [...] }), runs it as a report batch (3 attempts per
// report) with a progress bar on stderr, and writes the PDFs to --out-dir. Exit code 1 when any
// report failed, 2 for bad arguments.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { REPORT_TYPES, type ReportType } from '../../report-templates/index.js';
import type { Language } from '../../scans/types.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { embeddedOptions, openDatabase, openEmbedded, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { seedDemo } from '../demo/seed.js';
import { InProcessRunner, insertBatch } from '../reports/batches.js';
import { AppError } from '../lib/errors.js';
import { REPORT_LANGS, reportOrderSchema } from '../contracts/reports.js';
import { loadReportInput, reportFileName } from '../reports/input.js';
import { ReportRenderer } from '../reports/render.js';
import { renderAny } from '../reports/department-render.js';

class UsageError extends Error {}

const USAGE = `Usage:
  npm run report -- --round <id> --type client|director --lang nl|en --out report.pdf
  npm run report -- --demo [--type client|director] [--lang nl|en] [--out report.pdf]
  npm run report -- --batch jobs.json [--out-dir reports]`;

const LANGS = REPORT_LANGS;
// A job of a batch file: the API's batch order, naming its round by id or by name (unknown keys allowed).
const batchFileJob = z.object({ ...reportOrderSchema.shape, roundId: z.string().optional(), round: z.string().optional() });
const BatchFileSchema = z.union([z.array(batchFileJob), z.object({ jobs: z.array(batchFileJob) })]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReportCliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress bar redrawn in place). */
  tty: boolean;
}

const defaultIo: ReportCliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  tty: process.stderr.isTTY === true,
};

/** Runs the CLI with the given arguments and environment; returns the exit code. */
export async function runReportCli(argv: string[], env: Record<string, string | undefined> = process.env, io: ReportCliIo = defaultIo): Promise<number> {
  let database: Database | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        round: { type: 'string' },
        type: { type: 'string', default: 'client' },
        lang: { type: 'string', default: 'nl' },
        out: { type: 'string' },
        demo: { type: 'boolean', default: false },
        batch: { type: 'string' },
        'out-dir': { type: 'string', default: 'reports' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const modes = [values.round !== undefined, values.demo, values.batch !== undefined].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('Give exactly one of --round <id>, --demo or --batch <file>');
    if (!(REPORT_TYPES as readonly string[]).includes(values.type)) throw new UsageError(`--type must be client or director, not "${values.type}"`);
    if (!(LANGS as readonly string[]).includes(values.lang)) throw new UsageError(`--lang must be nl or en, not "${values.lang}"`);
    const type = values.type as ReportType;
    const lang = values.lang as Language;
    const config = parseConfig(env);

    if (values.batch !== undefined) {
      const jobs = readBatchFile(values.batch);
      database = await openDatabase(config, { operatorScope: true });
      await migrateToLatest(database.db);
      return await runBatch(database.db, jobs, resolve(values['out-dir']), io);
    }

    let roundId: string;
    if (values.demo) {
      // The demo lives in the embedded database, whatever DATABASE_URL says.
      database = await openEmbedded(config.DATA_DIR, embeddedOptions(config));
      await migrateToLatest(database.db);
      await seedDemo(database.db);
      roundId = await latestDemoRound(database.db);
    } else {
      if (!UUID.test(values.round!)) throw new UsageError(`--round must be a round id (uuid), not "${values.round}"`);
      database = await openDatabase(config, { operatorScope: true });
      await migrateToLatest(database.db);
      roundId = values.round!;
    }
    const started = performance.now();
    const { fileName, ...input } = await loadReportInput(database.db, roundId, type, lang);
    const pdf = await new ReportRenderer().render(input);
    const out = resolve(values.out ?? fileName);
    writeFileSync(out, pdf);
    io.stdout(`${out} (${Math.round(pdf.length / 1024)} kB, ${Math.round(performance.now() - started)} ms)\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return 2;
    }
    const code = err instanceof AppError ? ` (${err.code})` : '';
    io.stderr(`Report failed: ${(err as Error).message}${code}\n`);
    return 1;
  } finally {
    await database?.close();
  }
}

function readBatchFile(path: string): { roundId: string; type: ReportType; lang: Language }[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`Cannot read the batch file ${path}: ${(err as Error).message}`);
  }
  const parsed = BatchFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`Bad batch file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.jobs;
  if (list.length === 0) throw new UsageError(`The batch file ${path} lists no reports`);
  return list.map((j, i) => {
    const roundId = j.roundId ?? j.round;
    if (!roundId || !UUID.test(roundId)) throw new UsageError(`Bad batch file ${path}: entry ${i} needs a roundId (uuid)`);
    return { roundId, type: j.type, lang: j.lang };
  });
}

async function latestDemoRound(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .select('rounds.id')
    .where('organisations.is_demo', '=', true)
    .where('rounds.status', '=', 'closed')
    .orderBy('rounds.closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error('The demo organisation has no closed round in this database yet');
  return row.id;
}

function progressBar(done: number, total: number, width = 28): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

async function runBatch(db: Kysely<DB>, jobs: { roundId: string; type: ReportType; lang: Language }[], outDir: string, io: ReportCliIo): Promise<number> {
  // Unknown rounds fail fast, before any work.
  const rounds = await db.selectFrom('rounds').select(['id', 'status']).where('id', 'in', [...new Set(jobs.map((j) => j.roundId))]).execute();
  const known = new Set(rounds.map((r) => r.id));
  const unknown = jobs.filter((j) => !known.has(j.roundId));
  if (unknown.length > 0) throw new UsageError(`Unknown round(s): ${[...new Set(unknown.map((j) => j.roundId))].join(', ')}`);
  // Results exist only for closed rounds (as in the API): refuse the whole batch before any work.
  const open = rounds.filter((r) => r.status !== 'closed').map((r) => r.id);
  if (open.length > 0) throw new Error(`Round(s) not closed, no results to report yet (round_not_closed): ${open.join(', ')}`);

  const renderer = new ReportRenderer();
  const { batchId } = await insertBatch(db, { consultancyId: null, requestedBy: null, jobs });
  const runner = new InProcessRunner(db, (input) => renderAny(renderer, input));
  const rows = () =>
    db
      .selectFrom('report_jobs')
      .innerJoin('rounds', 'rounds.id', 'report_jobs.round_id')
      .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
      .select(['report_jobs.id', 'report_jobs.status', 'report_jobs.error', 'report_jobs.attempts', 'report_jobs.position', 'report_jobs.report_type', 'report_jobs.language', 'rounds.name as round', 'organisations.name as organisation'])
      .where('report_jobs.batch_id', '=', batchId)
      .orderBy('report_jobs.position')
      .execute();

  let last = '';
  const draw = async (final = false) => {
    const r = await rows();
    const done = r.filter((x) => x.status === 'done').length;
    const failed = r.filter((x) => x.status === 'failed').length;
    const running = r.filter((x) => x.status === 'running').length;
    const line = `${progressBar(done + failed, r.length)} ${done + failed}/${r.length}  done ${done} · failed ${failed}${running ? ` · running ${running}` : ''}`;
    if (io.tty) io.stderr(`\r${line}${final ? '\n' : ''}`);
    else if (line !== last) io.stderr(`${line}\n`);
    last = line;
    return r;
  };
  await runner.enqueue(db, (await rows()).map((r) => r.id));
  const timer = setInterval(() => void draw().catch(() => undefined), 200);
  try {
    await runner.idle();
  } finally {
    clearInterval(timer);
    await runner.stop();
  }
  const final = await draw(true);

  mkdirSync(outDir, { recursive: true });
  const width = String(final.length).length;
  for (const job of final) {
    const name = `${String(job.position + 1).padStart(width, '0')}-${reportFileName(job.organisation, job.round, job.report_type as ReportType, job.language)}`;
    if (job.status === 'done') {
      const { pdf } = await db.selectFrom('report_jobs').select('pdf').where('id', '=', job.id).executeTakeFirstOrThrow();
      writeFileSync(join(outDir, name), pdf!);
      io.stdout(`${join(outDir, name)}\n`);
    } else {
      io.stderr(`FAILED after ${job.attempts} attempts: ${name}: ${job.error ?? 'unknown error'}\n`);
    }
  }
  return final.some((j) => j.status !== 'done') ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href;
if (isMain) {
  runReportCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`Report failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
