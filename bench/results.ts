// npm run bench:results: seeds one round of 5,000 respondents x all 42 items (plus 60 management
// respondents, the checklist, factor ratings and employee placements) and a pool of 500 organisations,
// then prints the median time to build the full result model, on PostgreSQL (its own database, created
// from BENCH_DATABASE_URL and dropped afterwards) and on PGlite (memory): once with every module, once
// with the culture scan and checklist only (the target case), plus the CPU time per build (node and,
// for a local PostgreSQL, the backend from /proc) as an estimate that does not depend on the machine's
// load. Targets: < 150 ms PostgreSQL, < 600 ms PGlite. Options: --runs N (default 15),
// --respondents N, --only postgres|pglite.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { getCultureScan } from '../scans/instruments/registry.js';
import { MECHANISM_IDS } from '../scans/types.js';
import { openEmbedded, openPostgres, type Database } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { DB } from '../server/db/schema.js';
import { buildResultModel } from '../server/results/build.js';
import { resultsToCsv } from '../server/results/export.js';
import { BENCH_DEPARTMENTS as DEPARTMENTS, insertBenchRound, seedModuleData } from './lib/seed.js';
import { createBenchDatabase, loadLine, median, peakRssMb } from './lib/setup.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? 15);
const RESPONDENTS = Number(arg('respondents') ?? 5000);
const MANAGEMENT = 60;
const POOL_ORGS = 500;
const ONLY = arg('only');

export async function seed(db: Kysely<DB>): Promise<string> {
  const scan = getCultureScan()!;
  const items = scan.scales.flatMap((s) => s.items);
  await sql`select setseed(0.42)`.execute(db);
  const { consultancyId, roundId } = await insertBenchRound(db, {
    organisation: 'Bench Zorggroep',
    sector: 'healthcare',
    round: 'Bench 2026',
    instrumentId: scan.id,
    status: 'closed',
    openedAt: new Date('2026-01-10T00:00:00Z'),
    closedAt: new Date('2026-02-10T00:00:00Z'),
  });
  // Respondents: departments skewed (the last one small), some background left empty.
  await sql`
    insert into responses (round_id, form, channel, status, department, role, education, contract, age_band, started_at, updated_at, submitted_at)
    select ${roundId}, case when g <= ${MANAGEMENT} then 'management' else 'employee' end, 'demo', 'submitted',
      case when random() < 0.05 then null else (${DEPARTMENTS}::text[])[1 + floor(power(random(), 1.6) * ${DEPARTMENTS.length})::int] end,
      case when random() < 0.1 then null when random() < 0.15 then 'manager' else 'employee' end,
      (array['basic','mbo','havo_vwo','hbo_wo'])[1 + floor(random() * 4)::int],
      case when random() < 0.2 then 'flexible' else 'permanent' end,
      (array['under_25','25_34','35_44','45_54','55_plus'])[1 + floor(random() * 5)::int],
      '2026-02-01', '2026-02-01', '2026-02-01'
    from generate_series(1, ${RESPONDENTS + MANAGEMENT}) g
  `.execute(db);
  // Answers: every item, 4% don't know, a per-mechanism level plus noise.
  const ids = items.map((i) => i.id);
  const levels = items.map((i) => 2.6 + (MECHANISM_IDS.indexOf(i.mechanism) % 4) * 0.35);
  await sql`
    insert into answers (response_id, item_id, value)
    select r.id, m.item_id,
      case when random() < 0.04 then null else least(5, greatest(1, round(m.level + (random() + random() - 1) * 2.2)))::smallint end
    from responses r cross join unnest(${ids}::text[], ${levels}::float8[]) as m(item_id, level)
    where r.round_id = ${roundId}
  `.execute(db);
  await seedModuleData(db, roundId, consultancyId, POOL_ORGS);
  await sql`analyze`.execute(db);
  return roundId;
}

interface Measured {
  median: number;
  min: number;
  max: number;
}

async function timeBuilds(db: Kysely<DB>, roundId: string, runs: number): Promise<{ wall: Measured; cpu: number; size: number }> {
  for (let i = 0; i < 2; i++) await buildResultModel(db, roundId); // warm-up
  const times: number[] = [];
  const cpus: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const s = performance.now();
    const model = await buildResultModel(db, roundId);
    times.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpus.push((used.user + used.system) / 1000);
    size = JSON.stringify(model).length;
    if (i === 0) resultsToCsv(model);
  }
  return { wall: { median: median(times), min: Math.min(...times), max: Math.max(...times) }, cpu: median(cpus), size };
}

/** CPU time (ms) a PostgreSQL backend has used, from /proc when the server runs on this machine. */
function backendCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return null;
  }
}

const fmt = (m: Measured) => `median ${m.median.toFixed(1)} ms (min ${m.min.toFixed(1)}, max ${m.max.toFixed(1)})`;

async function measure(label: string, database: Database, serial?: Database): Promise<{ scan: Measured; all: Measured; cpu: number | null }> {
  await migrateToLatest(database.db);
  const t0 = performance.now();
  const roundId = await seed(database.db);
  const seedMs = performance.now() - t0;
  const counts = await sql<{ responses: number; answers: number; factors: number; placements: number }>`
    select (select count(*) from responses)::int as responses, (select count(*) from answers)::int as answers,
           (select count(*) from factor_answers)::int as factors, (select count(*) from placements)::int as placements
  `.execute(database.db);
  const c = counts.rows[0]!;
  console.log(
    `${label}: seeded ${c.responses} respondents, ${c.answers} answers, ${c.factors} factor ratings, ${c.placements} placements, ${POOL_ORGS} pool organisations in ${(seedMs / 1000).toFixed(1)} s`,
  );
  const all = await timeBuilds(database.db, roundId, RUNS);
  console.log(`  all modules (scan, checklist, dialogue model, factors): ${fmt(all.wall)}; model ${(all.size / 1024).toFixed(0)} KiB JSON`);
  await database.db.updateTable('rounds').set({ modules: ['culture_scan', 'sme_checklist'] }).where('id', '=', roundId).execute();
  const scan = await timeBuilds(database.db, roundId, RUNS);
  console.log(`  culture scan x all items + checklist:                   ${fmt(scan.wall)}; node CPU ${scan.cpu.toFixed(0)} ms per build`);
  let cpu: number | null = scan.cpu;
  if (serial) {
    // One connection, so every query of a build runs in one backend whose CPU time /proc shows.
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(serial.db);
    const pid = rows[0]!.pid;
    const cpus: number[] = [];
    if (backendCpuMs(pid) !== null) {
      for (let i = 0; i < 2; i++) await buildResultModel(serial.db, roundId);
      for (let i = 0; i < RUNS; i++) {
        const before = backendCpuMs(pid)!;
        const c0 = process.cpuUsage();
        await buildResultModel(serial.db, roundId);
        const used = process.cpuUsage(c0);
        cpus.push(backendCpuMs(pid)! - before + (used.user + used.system) / 1000);
      }
      cpu = median(cpus);
    } else cpu = null;
  }
  console.log(
    cpu === null
      ? '  CPU time per build: not measurable (server not on this machine)'
      : `  CPU time per build (culture scan; ${serial ? 'node + PostgreSQL backend, one connection' : 'node process incl. PGlite'}): median ${cpu.toFixed(0)} ms (load-independent estimate of the idle-machine time)`,
  );
  return { scan: scan.wall, all: all.wall, cpu };
}

async function onPostgres() {
  const bench = await createBenchDatabase('lcs_bench');
  const database = openPostgres({ connectionString: bench.url, max: 10, connectTimeoutMs: 5000, statementTimeoutMs: 120_000 });
  const serial = openPostgres({ connectionString: bench.url, max: 1, connectTimeoutMs: 5000, statementTimeoutMs: 120_000 });
  try {
    return await measure('postgres', database, serial);
  } finally {
    await serial.close();
    await database.close();
    await bench.drop();
  }
}

async function onPglite() {
  const database = await openEmbedded('memory://');
  try {
    return await measure('pglite', database);
  } finally {
    await database.close();
  }
}

async function main() {
  const lines: string[] = [];
  console.log(`at start: ${loadLine()}`);
  const verdict = (m: Measured, target: number) => `${m.median.toFixed(1)} ms (target < ${target} ms: ${m.median < target ? 'met' : 'missed'})`;
  if (ONLY !== 'pglite') {
    try {
      const r = await onPostgres();
      lines.push(`postgres: culture scan ${verdict(r.scan, 150)}; all modules ${r.all.median.toFixed(1)} ms; CPU per build ${r.cpu === null ? 'n/a' : `${r.cpu.toFixed(0)} ms`}`);
    } catch (e) {
      lines.push(`postgres: not measured (${(e as Error).message}); set BENCH_DATABASE_URL`);
    }
  }
  if (ONLY !== 'postgres') {
    const r = await onPglite();
    lines.push(`pglite:   culture scan ${verdict(r.scan, 600)}; all modules ${r.all.median.toFixed(1)} ms; CPU per build ${r.cpu === null ? 'n/a' : `${r.cpu.toFixed(0)} ms`}`);
  }
  console.log(lines.join('\n'));
  console.log(`at end: ${loadLine()}`);
  console.log(`peak RSS: ${peakRssMb().toFixed(0)} MiB`);
}

if (process.argv[1]?.endsWith('results.ts') || process.argv[1]?.endsWith('results.js')) await main();
