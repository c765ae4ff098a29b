// `npm run bench:report`: median warm render time and peak RSS of the client report of the demo round.
//
// The demo round's result model is built once (embedded database in a temporary directory, demo data
// seeded, buildResultModel); when the demo has no closed round the hand-made fixture is used and the
// output says so. Rendering is measured in child processes that load nothing but the report code, so
// PGlite's memory does not count: one child per chart format (SVG, the default, and PNG for
// comparison), and one through the worker-thread pool as the server uses it.
// Targets: < 300 ms per warm client report, < 350 MB peak RSS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_OLD_GENERATION_MB, WORKER_SEMI_SPACE_MB } from '../server/reports/pool.js';

const WARMUP = 3;
const RUNS = 15;

interface ChildResult {
  mode: string;
  coldMs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxRssMb: number;
  pdfBytes: number;
  pages: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/**
 * Peak resident memory of this process. On Linux getrusage's maxrss survives fork + exec (a child
 * would report its parent's peak, here PGlite's), so read the high-water mark of this process image.
 */
function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** A fixed amount of integer work, to tell a slow (shared, busy) machine from a slow report. */
function gauge(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003;
  if (x < 0) process.stdout.write('');
  return performance.now() - t;
}

async function child(mode: 'svg' | 'png' | 'pool', inputPath: string): Promise<void> {
  const input = JSON.parse(readFileSync(inputPath, 'utf8'));
  if (input.branding.logo) input.branding.logo = new Uint8Array(Buffer.from(input.branding.logo, 'base64'));
  let render: () => Promise<Buffer>;
  let close = async () => {};
  if (mode === 'pool') {
    const { ReportPool } = await import('../server/reports/pool.js');
    const pool = new ReportPool({ workers: 1, queueLimit: 8 });
    render = () => pool.render(input);
    close = () => pool.close();
  } else {
    const { ReportRenderer } = await import('../server/reports/render.js');
    const renderer = new ReportRenderer(mode);
    render = () => renderer.render(input);
  }
  let t = performance.now();
  let pdf = await render();
  const coldMs = performance.now() - t;
  for (let i = 0; i < WARMUP; i++) await render();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    pdf = await render();
    times.push(performance.now() - t);
  }
  await close();
  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  const result: ChildResult = {
    mode,
    coldMs,
    medianMs: median(times),
    p90Ms: quantile(times, 0.9),
    minMs: Math.min(...times),
    maxRssMb: peakRssMb(),
    pdfBytes: pdf.length,
    pages,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function buildInput(dir: string): Promise<{ input: object; source: string }> {
  const { openEmbedded } = await import('../server/db/database.js');
  const { migrateToLatest } = await import('../server/db/migrate.js');
  const { seedDemo } = await import('../server/demo/seed.js');
  const { loadReportInput } = await import('../server/reports/input.js');
  const database = await openEmbedded(join(dir, 'data'));
  try {
    await migrateToLatest(database.db);
    await seedDemo(database.db);
    const round = await database.db
      .selectFrom('rounds')
      .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
      .select(['rounds.id', 'rounds.name'])
      .where('organisations.is_demo', '=', true)
      .where('rounds.status', '=', 'closed')
      .orderBy('rounds.closed_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (round) {
      const { fileName: _f, ...input } = await loadReportInput(database.db, round.id, 'client', 'nl');
      const submitted = input.model.response.submitted;
      return {
        input: { ...input, branding: { ...input.branding, logo: input.branding.logo ? Buffer.from(input.branding.logo).toString('base64') : null } },
        source: `demo round "${round.name}" (${submitted} respondents), built with buildResultModel`,
      };
    }
  } finally {
    await database.close();
  }
  const { fixtureResultModel } = await import('../tests/fixtures/result-model.js');
  return {
    input: { type: 'client', lang: 'nl', model: fixtureResultModel(), branding: { name: 'Adviesbureau (bench)', accentColor: null, logo: null, logoMime: null } },
    source: 'FIXTURE tests/fixtures/result-model.ts (the demo has no closed round)',
  };
}

async function main(): Promise<void> {
  const [flag, mode, inputPath] = process.argv.slice(2);
  if (flag === '--child') return child(mode as 'svg' | 'png' | 'pool', inputPath!);

  const dir = mkdtempSync(join(tmpdir(), 'lcs-bench-report-'));
  try {
    process.stdout.write('bench:report: building the result model of the demo round...\n');
    const { input, source } = await buildInput(dir);
    const inputPath = join(dir, 'input.json');
    writeFileSync(inputPath, JSON.stringify(input));
    process.stdout.write(`model: ${source}\n`);
    process.stdout.write(`runs: ${WARMUP} warm-up + ${RUNS} measured per mode; each mode in its own process\n\n`);
    const self = fileURLToPath(import.meta.url);
    const results: ChildResult[] = [];
    for (const m of ['svg', 'png', 'pool'] as const) {
      // In-thread modes get the heap cap a worker has, so their RSS is what a worker would use.
      const heap = m === 'pool' ? [] : [`--max-old-space-size=${WORKER_OLD_GENERATION_MB}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
      const out = execFileSync(process.execPath, [...heap, '--import', 'tsx', self, '--child', m, inputPath], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      results.push(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    }
    const label: Record<string, string> = {
      svg: 'client report, charts as SVG (default)',
      png: 'client report, charts as PNG 2x',
      pool: 'client report via worker pool (SVG)',
    };
    process.stdout.write('mode                                     cold ms  median ms  p90 ms  min ms  peak RSS MB  pages  PDF kB\n');
    for (const r of results) {
      process.stdout.write(
        `${label[r.mode]!.padEnd(40)} ${r.coldMs.toFixed(0).padStart(7)}  ${r.medianMs.toFixed(0).padStart(9)}  ${r.p90Ms.toFixed(0).padStart(6)}  ${r.minMs.toFixed(0).padStart(6)}  ${r.maxRssMb.toFixed(0).padStart(11)}  ${String(r.pages).padStart(5)}  ${(r.pdfBytes / 1024).toFixed(0).padStart(6)}\n`,
      );
    }
    const svg = results.find((r) => r.mode === 'svg')!;
    const png = results.find((r) => r.mode === 'png')!;
    process.stdout.write(
      `\nSVG vs PNG: ${(png.medianMs - svg.medianMs).toFixed(0)} ms per report (${((png.medianMs / svg.medianMs - 1) * 100).toFixed(0)}%), PDF ${((png.pdfBytes - svg.pdfBytes) / 1024).toFixed(0)} kB larger with PNG.\n`,
    );
    const ok = svg.medianMs < 300 && Math.max(...results.map((r) => r.maxRssMb)) < 350;
    const os = await import('node:os');
    process.stdout.write(`targets: median < 300 ms and peak RSS < 350 MB: ${ok ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`machine: load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores; a fixed CPU loop took ${gauge().toFixed(0)} ms (compare runs by this)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:report failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
