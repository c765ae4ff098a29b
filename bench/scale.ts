// `npm run bench:scale`: how the results path grows from 100 to 100,000 respondents, on the embedded
// database and on PostgreSQL. Per driver and size, in a child process of its own (so peak RSS is that
// run's): a server (buildApp, listening on 127.0.0.1) with an empty database; an open round with every
// module, whose culture-scan answers are imported through the CSV import (importResponses, in imports
// of MAX_IMPORT_ROWS respondents), plus factor ratings, dialogue placements, the checklist and a pool of
// other organisations seeded in SQL; then, over HTTP with an API token:
//   close    POST /close (pool contribution and the release build, in the close transaction), while a
//            loop requests /health/ready one after the other, at most one each 5 ms (its p99 is the
//            "blocked" figure), and
//            a second process does the same (what a request from outside waits: issue 13 item 5);
//   results  GET /results of the closed round, 100 times after 10 warm-ups (p50),
//            and 10 times more with the served cache emptied first (the stored view read and refreshed);
//   pdf      GET /reports/client.pdf, once cold and 5 times warm (median warm: the cached PDF), and 3
//            times with the cache emptied (a render with warm workers: after a pool or benchmark change);
//   chromium Chromium printing the results dashboard to PDF against the client PDF over HTTP,
//            alternated, 5 times after one warm-up (lib/chromium.ts; --no-chromium leaves it out);
//   rss      the measuring process's peak resident memory, overall and per phase (server, embedded database and
//            report workers; a PostgreSQL server's own memory is not in it). The round is seeded in a process of
//            its own and measured in a fresh one that starts the server on that database (BENCH_SCALE_ONE_PROCESS=1:
//            one process, as before), so the close's memory is not what the import left behind.
// Size `demo`: the demo round (seeded by the demo step, already closed: no import or close).
// Options: --sizes demo,100,1000,10000,100000 (or BENCH_SCALE_SIZES), --drivers embedded,postgres (or
// BENCH_SCALE_DRIVERS), --embedded-shared-buffers <MB> (the embedded database's EMBEDDED_SHARED_BUFFERS_MB;
// 32 when not given). PostgreSQL: a database created from BENCH_DATABASE_URL and dropped afterwards.
// Targets (issue 15): results p50 < 20 ms; close of 100,000 < 5 s PostgreSQL, < 20 s embedded, RSS
// < 500 MB; client PDF of 100,000 < 1 s warm; /health/ready p99 < 100 ms during the build.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { getHeapStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { getCultureScan } from '../scans/instruments/registry.js';
import { buildApp } from '../server/app.js';
import { parseConfig } from '../server/config/config.js';
import { openEmbedded, type Database } from '../server/db/database.js';
import { liveWorkers } from '../server/lib/spawn-worker.js';
import { importResponses, MAX_IMPORT_ROWS } from '../server/results/import.js';
import { createApiTokenFor } from '../tests/helpers/auth.js';
import { SERVER_NODE_FLAGS } from '../tests/helpers/server-process.js';
import { compareWithChromium, type ChromiumComparison } from './lib/chromium.js';
import { BENCH_DEPARTMENTS as DEPARTMENTS, insertBenchRound, seedModuleData } from './lib/seed.js';
import { servedCache } from '../server/results/served.js';
import { admin, createBenchDatabase, loadLine, median, peakRssMb, quantile, resetPeakRss, tempDataDir } from './lib/setup.js';
import { prng } from '../server/lib/prng.js';

type Driver = 'embedded' | 'postgres';
const POOL_ORGS = 200;
/** Results requests: warm-ups (the first requests run unoptimised code), then the measured ones. */
const RESULTS_WARMUP = 10;
const RESULTS_RUNS = 100;

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

interface RunResult {
  driver: Driver;
  respondents: number;
  importMs: number;
  moduleSeedMs: number;
  closeMs: number;
  resultsP50Ms: number;
  /** p50 with the served cache emptied before each request: the stored view read, refreshed and serialized. */
  resultsUncachedP50Ms: number;
  /** Of the cached-phase requests, how many the served cache answered (expected: all but the first). */
  resultsHits: number;
  resultsBytes: number;
  pdfColdMs: number;
  pdfWarmMs: number;
  /** Median of renders with warm workers and the cached PDF dropped: what a change of pool or benchmark costs. */
  pdfRerenderMs: number;
  pdfBytes: number;
  healthN: number;
  /** /health/ready requests that failed or did not answer 200. */
  healthFailed: number;
  healthP50Ms: number;
  healthP99Ms: number;
  healthMaxMs: number;
  /** The same loop from another process: what a request waits, without the bench's own client sharing the server's event loop. */
  probe: { n: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  peakRssMb: number;
  /**
   * Peak RSS within each phase (the peak is reset between phases where Linux allows): start is the
   * server's start on a new, empty database (initdb on the embedded one), close the release build.
   */
  rssByPhase: Record<string, number>;
  /** Peak resident memory of the process that seeded the round (when the close was measured in a fresh one). */
  seedRssMb?: number;
  /** Resident memory at the close's start, after a full garbage collection (what the close's peak grew from). */
  closeStartRssMb?: number;
  /** The main thread's V8 heap in use at its highest during the close, as sampled by the /health/ready loop. */
  closeHeapPeakMb?: number;
  /** The main thread's V8 heap in use at the close's start, after the full garbage collection. */
  closeStartHeapMb?: number;
  /** Memory by thread during the close, sampled each 100 ms (sampleThreads): where the RSS beyond the main heap goes. */
  closeThreads?: ThreadPeaks & { cpu: CloseCpu };
  load: number[];
  /** Chromium printing the dashboard vs the client PDF over HTTP (absent with --no-chromium). */
  chromium?: ChromiumComparison;
  /** The demo round (seeded by the demo step, already closed) instead of an imported one. */
  demo?: boolean;
}


/** CSV of `count` respondents in the import format: background columns and every item (1% management). */
function importCsv(count: number, offset: number, rnd: () => number): string {
  const scan = getCultureScan()!;
  const items = scan.scales.flatMap((s, si) => s.items.map((i) => ({ id: i.id, level: 2.6 + (si % 4) * 0.35 })));
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const lines = [['form', 'department', 'role', 'education', 'contract', 'age_band', ...items.map((i) => i.id)].join(',')];
  for (let n = 0; n < count; n++) {
    const management = (offset + n) % 100 === 0;
    const dept = rnd() < 0.05 ? '' : DEPARTMENTS[Math.min(DEPARTMENTS.length - 1, Math.floor(Math.pow(rnd(), 1.6) * DEPARTMENTS.length))]!;
    const cells = [
      management ? 'management' : 'employee',
      dept,
      rnd() < 0.1 ? '' : rnd() < 0.15 ? 'manager' : 'employee',
      pick(['basic', 'mbo', 'havo_vwo', 'hbo_wo']),
      rnd() < 0.2 ? 'flexible' : 'permanent',
      pick(['under_25', '25_34', '35_44', '45_54', '55_plus']),
    ];
    for (const item of items) {
      cells.push(rnd() < 0.04 ? 'dk' : String(Math.min(5, Math.max(1, Math.round(item.level + (rnd() + rnd() - 1) * 2.2)))));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

/**
 * A V8 CPU profile of this process's main thread (BENCH_CLOSE_PROFILE=<file>.cpuprofile: the close
 * only, for Chrome DevTools or speedscope). Worker threads are not in it.
 */
async function startProfile(): Promise<{ stop: (file: string) => Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * CPU seconds (user + system) per thread during the close, from Linux's /proc (empty elsewhere): this
 * process's threads by the name each reports (MainThread, the worker threads by their names, V8Worker
 * for V8's garbage-collection and compiler helpers, libuv-worker), and the PostgreSQL backends of the
 * bench's database. A thread that ended during the close counts with its last sample (each 100 ms).
 * On a shared 2-core machine the wall time of a close varies by ±0.5 s between runs; the CPU it took
 * varies less, and says where the time went.
 */
type CloseCpu = Record<string, number>;

/** USER_HZ: the unit of /proc's utime and stime (100 on Linux whatever the kernel's tick). */
const USER_HZ = 100;

function ticksOf(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** CPU ticks per thread of this process, keyed name:tid. */
function ownThreadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.platform !== 'linux') return out;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(`${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid}`, ticksOf(stat));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** The pids of PostgreSQL backends on this machine connected to `database` (from their process titles). */
function backendPids(database: string): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(' ').includes(database)) out.push(Number(pid));
    } catch {
      // Not ours to read, or gone.
    }
  }
  return out;
}

/** Peaks (MB) of the memory by thread during the close. */
interface ThreadPeaks {
  /** The main thread's V8 heap committed (heapTotal), and its external memory (Buffers, ArrayBuffers). */
  mainCommittedMb: number;
  mainExternalMb: number;
  /** Per worker module: the highest heap in use and committed of one such worker, and how many ran. */
  workers: Record<string, { usedMb: number; committedMb: number; n: number }>;
  /** The highest sum of the workers' committed heaps at one sample. */
  workersCommittedMb: number;
}

/** Samples the memory of this process's threads each 100 ms until stopped; resolves with the peaks. */
function sampleThreads(database?: string): { stop(): Promise<ThreadPeaks & { cpu: CloseCpu }> } {
  const peaks: ThreadPeaks = { mainCommittedMb: 0, mainExternalMb: 0, workers: {}, workersCommittedMb: 0 };
  // CPU: the ticks of each thread (and backend) at the start, and at its last sample.
  const first = ownThreadTicks();
  const last = new Map(first);
  const backends = new Map<number, { first: number; last: number }>();
  let rounds = 0;
  const sampleCpu = () => {
    for (const [k, v] of ownThreadTicks()) last.set(k, v);
    // New backends are looked for each second (a scan of /proc), the known ones read each time.
    if (database && rounds++ % 10 === 0) {
      for (const pid of backendPids(database)) if (!backends.has(pid)) backends.set(pid, { first: rounds === 1 ? -1 : 0, last: 0 });
    }
    for (const [pid, b] of backends) {
      try {
        const ticks = ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        if (b.first === -1) b.first = ticks;
        b.last = ticks;
      } catch {
        // The backend ended.
      }
    }
  };
  sampleCpu();
  const seen = new Map<string, Set<unknown>>();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  let running = true;
  // BENCH_WORKER_HEAPSNAPSHOT=<worker>:<MB>:<file>: one heap snapshot of that worker thread (extras,
  // disclosure, report) the first time its heap in use passes the mark (a diagnosis, as BENCH_CLOSE_HEAPSNAPSHOT).
  const [module, mark, ...file] = (process.env.BENCH_WORKER_HEAPSNAPSHOT ?? '').split(':');
  let snapshot = file.length > 0 ? { module: module!, mb: Number(mark), file: file.join(':') } : undefined;
  const loop = (async () => {
    while (running) {
      const main = process.memoryUsage();
      peaks.mainCommittedMb = Math.max(peaks.mainCommittedMb, mb(main.heapTotal));
      peaks.mainExternalMb = Math.max(peaks.mainExternalMb, mb(main.external));
      let sum = 0;
      await Promise.all(
        [...liveWorkers()].map(async ([worker, module]) => {
          const stats = await worker.getHeapStatistics().catch(() => undefined);
          if (!stats) return;
          const peak = (peaks.workers[module] ??= { usedMb: 0, committedMb: 0, n: 0 });
          peak.usedMb = Math.max(peak.usedMb, mb(stats.used_heap_size));
          if (snapshot && snapshot.module === module && mb(stats.used_heap_size) >= snapshot.mb) {
            const { file } = snapshot;
            snapshot = undefined;
            await pipeline(await worker.getHeapSnapshot(), createWriteStream(file)).catch(() => undefined);
          }
          peak.committedMb = Math.max(peak.committedMb, mb(stats.total_heap_size));
          const ids = seen.get(module) ?? new Set();
          ids.add(worker);
          seen.set(module, ids);
          peak.n = ids.size;
          sum += stats.total_heap_size;
        }),
      );
      peaks.workersCommittedMb = Math.max(peaks.workersCommittedMb, mb(sum));
      sampleCpu();
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      sampleCpu();
      const cpu: CloseCpu = {};
      for (const [key, ticks] of last) {
        const name = key.slice(0, key.lastIndexOf(':'));
        cpu[name] = (cpu[name] ?? 0) + (ticks - (first.get(key) ?? 0)) / USER_HZ;
      }
      let pg = 0;
      for (const b of backends.values()) pg += (b.last - Math.max(0, b.first)) / USER_HZ;
      if (backends.size > 0) cpu['PostgreSQL backends'] = pg;
      return { ...peaks, cpu };
    },
  };
}

/** A full garbage collection (V8's gc exposed for this process; the bench's child only). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Resident memory of this process now (MB). */
function currentRssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

/** POST without a body through node:http, which (unlike fetch) sets no 300 s limit on waiting for headers. */
function post(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/**
 * A seeded round left by a seeding process (runChild with seedOnly) for the measuring one: the database
 * (PostgreSQL) or data directory (embedded) and what was seeded.
 */
interface SeedState {
  pgName?: string;
  pgUrl?: string;
  dataDir?: string;
  roundId: string;
  organisationId: string;
  consultancyId: string;
  respondents: number;
  importMs: number;
  moduleSeedMs: number;
  /** Peak resident memory of the seeding process. */
  seedRssMb: number;
}

/**
 * One driver and size. By default (`--child`) in two processes: one seeds the round and exits, a fresh
 * one starts the server on that database and measures the close and what follows, so the close's
 * memory is not what the import of 100,000 respondents left in the process (after it, 867 MB of RSS
 * with 89 MB of V8 heap in use). BENCH_SCALE_ONE_PROCESS=1 (and the demo size) keep it in one.
 */
async function runChild(
  driver: Driver,
  size: string,
  withChromium: boolean,
  sharedBuffersMb?: number,
  stage: { seedOnly?: boolean; from?: SeedState } = {},
): Promise<RunResult | SeedState> {
  const demo = size === 'demo';
  let respondents = demo ? 0 : Number(size);
  const { from } = stage;
  const keep = stage.seedOnly || !!from; // the database outlives this process (the --child process drops it)
  const pgDb =
    driver !== 'postgres' ? null : from ? { name: from.pgName!, url: from.pgUrl!, drop: async () => undefined } : await createBenchDatabase('lcs_bench_scale');
  const dataDir = driver !== 'embedded' ? null : from ? { dir: from.dataDir!, remove: () => undefined } : tempDataDir('lcs-bench-scale');
  let app: FastifyInstance | undefined;
  let embedded: Database | null = null;
  try {
    const config = parseConfig({
      NODE_ENV: 'production',
      DATABASE_URL: pgDb?.url ?? '',
      DATA_DIR: dataDir?.dir,
      DEMO: 'false',
      LOG_LEVEL: 'silent',
      // Required in production; a throw-away key for a throw-away database.
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // A close (or the seeding) of a large round on a loaded machine may take longer than the defaults.
      REQUEST_TIMEOUT_MS: '600000',
      DB_STATEMENT_TIMEOUT_MS: '600000',
    });
    // Embedded: the bench seeds through the opener's (owner) connection; the app serves as lcs_login.
    embedded = dataDir ? await openEmbedded(dataDir.dir, sharedBuffersMb ? { sharedBuffersMb } : {}) : null;
    app = await buildApp({ config, migrate: true, logger: false, ...(embedded ? { database: embedded } : {}) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const db = embedded?.db ?? app.db;
    const rssByPhase: Record<string, number> = {};
    let closeStartRssMb: number | undefined;
    let closeHeapPeakMb = 0;
    let closeStartHeapMb = 0;
    let closeThreads: (ThreadPeaks & { cpu: CloseCpu }) | undefined;
    const mark = (phase: string) => {
      rssByPhase[phase] = Math.round(peakRssMb());
      resetPeakRss();
    };
    mark('start');
    let roundId: string;
    let organisationId: string;
    let consultancyId: string;
    let importMs = 0;
    let moduleSeedMs = 0;
    const health: number[] = [];
    let healthFailed = 0;
    let probe: RunResult['probe'] = { n: 0, failed: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
    let closeMs = 0;
    if (demo) {
      // The 295-respondent demo round of `npm start`, closed by its seed step.
      const { seedDemo } = await import('../server/demo/seed.js');
      moduleSeedMs = (await timed(() => seedDemo(db))).ms;
      const row = await db
        .selectFrom('rounds')
        .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
        .select(['rounds.id', 'rounds.organisation_id', 'organisations.consultancy_id'])
        .where('organisations.is_demo', '=', true)
        .where('rounds.status', '=', 'closed')
        .executeTakeFirstOrThrow();
      roundId = row.id;
      organisationId = row.organisation_id;
      consultancyId = row.consultancy_id;
      const n = await db.selectFrom('responses').select(db.fn.countAll<number>().as('n')).where('round_id', '=', roundId).where('status', '=', 'submitted').executeTakeFirstOrThrow();
      respondents = Number(n.n);
    } else {
      if (from) {
        ({ roundId, organisationId, consultancyId, importMs, moduleSeedMs } = from);
      } else {
        const seeded = await insertBenchRound(db, { organisation: 'Bench Gemeente', sector: 'government', round: `Bench ${respondents}`, status: 'open' });
        ({ roundId, organisationId, consultancyId } = seeded);

        // Import: the CSV import, in imports of at most MAX_IMPORT_ROWS respondents each.
        const rnd = prng(42);
        for (let done = 0; done < respondents; done += MAX_IMPORT_ROWS) {
          const csv = importCsv(Math.min(MAX_IMPORT_ROWS, respondents - done), done, rnd);
          importMs += (await timed(() => importResponses(db, roundId, csv))).ms;
        }
        moduleSeedMs = (
          await timed(async () => {
            await sql`select setseed(0.42)`.execute(db);
            await seedModuleData(db, roundId, consultancyId, POOL_ORGS);
            await sql`analyze`.execute(db);
          })
        ).ms;

        mark('seed');
        if (stage.seedOnly) {
          return {
            ...(pgDb ? { pgName: pgDb.name, pgUrl: pgDb.url } : {}),
            ...(dataDir ? { dataDir: dataDir.dir } : {}),
            roundId,
            organisationId,
            consultancyId,
            respondents,
            importMs,
            moduleSeedMs,
            seedRssMb: Math.max(...Object.values(rssByPhase)),
          } satisfies SeedState;
        }
      }
      const headers = { authorization: `Bearer ${await createApiTokenFor(db, { consultancyId })}` };
      // What the seeding left behind is collected first, so the close's peak is measured from what this
      // process holds at its start (the RSS then is printed: a server that closes a large round has not
      // usually just imported it in the same process).
      fullGc();
      closeStartRssMb = Math.round(currentRssMb());
      closeStartHeapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
      resetPeakRss();
      // Close, with /health/ready requested one after the other meanwhile, in this process and from another.
      const stopProbe = startProbe(`${base}/health/ready`);
      await new Promise((r) => setTimeout(r, 500)); // the probe's process started and connected
      let closing = true;
      let heapSnapshot = process.env.BENCH_CLOSE_HEAPSNAPSHOT
        ? { file: process.env.BENCH_CLOSE_HEAPSNAPSHOT, mb: Number(process.env.BENCH_CLOSE_HEAPSNAPSHOT_MB ?? 250) }
        : undefined;
      const loop = (async () => {
        while (closing) {
          // The V8 heap's high-water mark during the close (the rest of the RSS is off the heap: the
          // embedded database's WebAssembly memory, buffers, the worker threads' heaps). From V8's own
          // statistics: process.memoryUsage() also reads the RSS from /proc, and per request of this
          // loop that was ~110 ms of the server's main thread during the 100,000-respondent close.
          const used = { heapUsed: getHeapStatistics().used_heap_size };
          closeHeapPeakMb = Math.max(closeHeapPeakMb, Math.round(used.heapUsed / 1024 / 1024));
          // BENCH_CLOSE_HEAPSNAPSHOT=<file> (with BENCH_CLOSE_HEAPSNAPSHOT_MB, default 250): one heap
          // snapshot of the main thread the first time its heap in use passes that mark (a diagnosis:
          // writing it stalls the process for seconds, so the run's other figures do not count).
          if (heapSnapshot && used.heapUsed / 1024 / 1024 >= heapSnapshot.mb) {
            writeHeapSnapshot(heapSnapshot.file);
            heapSnapshot = undefined;
          }
          const t = performance.now();
          try {
            const res = await fetch(`${base}/health/ready`);
            await res.arrayBuffer();
            if (res.status !== 200) healthFailed++;
          } catch {
            healthFailed++;
          }
          health.push(performance.now() - t);
          // At most one request each 5 ms: back to back, the loop's own requests took a core on PostgreSQL
          // (250,000 requests during the 100,000 close, most of the main thread's time in socket writes).
          const left = 5 - (performance.now() - t);
          if (left > 0) await new Promise((r) => setTimeout(r, left));
        }
      })();
      const profiler = process.env.BENCH_CLOSE_PROFILE ? await startProfile() : undefined;
      const threads = sampleThreads(pgDb?.name);
      const close = await timed(async () => {
        const res = await post(`${base}/api/v1/rounds/${roundId}/close`, headers).catch((e: Error) => {
          throw new Error(`close: ${e.message}`);
        });
        if (res.status !== 200) throw new Error(`close: ${res.status} ${res.body}`);
      });
      if (profiler) await profiler.stop(process.env.BENCH_CLOSE_PROFILE!);
      closeThreads = await threads.stop();
      closing = false;
      await loop;
      probe = await stopProbe();
      closeMs = close.ms;
      mark('close');
    }
    const headers = { authorization: `Bearer ${await createApiTokenFor(db, { consultancyId })}` };

    const results: number[] = [];
    let resultsBytes = 0;
    for (let i = 0; i < RESULTS_WARMUP + RESULTS_RUNS; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/rounds/${roundId}/results`, { headers });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`results: ${res.status} ${Buffer.from(body).toString()}`);
      if (i >= RESULTS_WARMUP) results.push(performance.now() - t);
      resultsBytes = body.byteLength;
    }

    const cache = servedCache(app.db);
    const resultsHits = cache.hits;
    const uncached: number[] = [];
    for (let i = 0; i < 12; i++) {
      cache.clear();
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/rounds/${roundId}/results`, { headers });
      await res.arrayBuffer();
      if (i >= 2) uncached.push(performance.now() - t);
    }

    mark('results');
    const pdf: number[] = [];
    let pdfBytes = 0;
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/rounds/${roundId}/reports/client.pdf`, { headers });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`pdf: ${res.status} ${Buffer.from(body).toString()}`);
      pdf.push(performance.now() - t);
      pdfBytes = body.byteLength;
    }
    const rerender: number[] = [];
    for (let i = 0; i < 3; i++) {
      cache.clear();
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/rounds/${roundId}/reports/client.pdf`, { headers });
      await res.arrayBuffer();
      rerender.push(performance.now() - t);
    }
    mark('pdf');
    const chromium = withChromium ? await compareWithChromium({ db, base, organisationId, roundId, headers }) : undefined;
    const { loadavg } = await import('node:os');
    return {
      driver,
      respondents,
      importMs,
      moduleSeedMs,
      closeMs,
      resultsP50Ms: median(results),
      resultsUncachedP50Ms: median(uncached),
      resultsHits,
      pdfRerenderMs: median(rerender),
      resultsBytes,
      pdfColdMs: pdf[0]!,
      pdfWarmMs: median(pdf.slice(1)),
      pdfBytes,
      healthN: health.length,
      healthFailed,
      healthP50Ms: health.length ? median(health) : 0,
      healthP99Ms: health.length ? quantile(health, 0.99) : 0,
      healthMaxMs: health.reduce((a, b) => Math.max(a, b), 0),
      probe,
      peakRssMb: Math.max(peakRssMb(), ...Object.values(rssByPhase)),
      rssByPhase,
      ...(closeStartRssMb === undefined ? {} : { closeStartRssMb, closeStartHeapMb, closeHeapPeakMb, ...(closeThreads ? { closeThreads } : {}) }),
      load: loadavg(),
      ...(chromium ? { chromium } : {}),
      ...(demo ? { demo } : {}),
    };
  } finally {
    await app?.close();
    await embedded?.close();
    if (!keep) {
      await pgDb?.drop();
      dataDir?.remove();
    }
  }
}

/** runChild in two processes (see runChild): seeds here, measures in a fresh process, then drops the database. */
/**
 * BENCH_SCALE_SEED_CACHE=<directory> (for repeated diagnosis runs of one size): the first run keeps a
 * copy of its seeded round (PostgreSQL: a template database; embedded: a copy of the data directory)
 * and its seed state in that directory; later runs measure a fresh copy of it instead of seeding again.
 * Their import and module figures are those of the run that seeded. Delete the directory (and the
 * lcs_bench_seed_* databases) to seed again.
 */
async function seededRound(driver: Driver, size: string, withChromium: boolean, sharedBuffersMb?: number): Promise<SeedState> {
  const cacheDir = process.env.BENCH_SCALE_SEED_CACHE;
  if (!cacheDir) return (await runChild(driver, size, withChromium, sharedBuffersMb, { seedOnly: true })) as SeedState;
  const stateFile = join(cacheDir, `${driver}-${size}.json`);
  const template = `lcs_bench_seed_${size}`;
  const copy = async (from: SeedState): Promise<SeedState> => {
    if (driver === 'postgres') {
      const db = await createBenchDatabase('lcs_bench_scale', template);
      return { ...from, pgName: db.name, pgUrl: db.url };
    }
    const dir = tempDataDir('lcs-bench-scale').dir;
    cpSync(join(cacheDir, `${driver}-${size}`), dir, { recursive: true });
    return { ...from, dataDir: dir };
  };
  if (existsSync(stateFile)) return copy(JSON.parse(readFileSync(stateFile, 'utf8')) as SeedState);
  const seed = (await runChild(driver, size, withChromium, sharedBuffersMb, { seedOnly: true })) as SeedState;
  mkdirSync(cacheDir, { recursive: true });
  if (driver === 'postgres') await admin((c) => c.query(`create database ${template} template ${seed.pgName}`));
  else cpSync(seed.dataDir!, join(cacheDir, `${driver}-${size}`), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(seed));
  return seed;
}

async function runSplit(driver: Driver, size: string, withChromium: boolean, sharedBuffersMb?: number): Promise<RunResult> {
  const seed = await seededRound(driver, size, withChromium, sharedBuffersMb);
  try {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', driver, size, withChromium ? 'chromium' : 'no-chromium', sharedBuffersMb ? String(sharedBuffersMb) : '', JSON.stringify(seed)], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return { ...(JSON.parse(out.trim().split('\n').at(-1)!) as RunResult), seedRssMb: seed.seedRssMb };
  } finally {
    if (seed.pgName) await admin((c) => c.query(`drop database if exists ${seed.pgName} with (force)`));
    if (seed.dataDir) rmSync(seed.dataDir, { recursive: true, force: true });
  }
}

/**
 * /health/ready one request after the other (at most one each 10 ms) from a process of its own, until stopped: unlike the
 * in-process loop, its own client code does not wait for the server's event loop, so its figures are
 * what a request from outside waits behind the close.
 */
function startProbe(url: string) {
  const source = `
    let on = true;
    process.stdin.on('end', () => { on = false; });
    process.stdin.resume();
    const out = [];
    (async () => {
      while (on) {
        const t = performance.now();
        try {
          const res = await fetch(process.env.PROBE_URL);
          await res.arrayBuffer();
          out.push(res.status === 200 ? performance.now() - t : -1);
        } catch {
          out.push(-1);
        }
        // One request every 10 ms at most: a probe, not a load (back to back, it took a core from the server).
        const left = 10 - (performance.now() - t);
        if (left > 0) await new Promise((r) => setTimeout(r, left));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const child = spawn(process.execPath, ['-e', source], { env: { ...process.env, PROBE_URL: url }, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return async (): Promise<RunResult['probe']> => {
    child.stdin.end();
    await once(child, 'exit');
    const all = JSON.parse(out || '[]') as number[];
    const ok = all.filter((x) => x >= 0);
    return { n: all.length, failed: all.length - ok.length, p50Ms: ok.length ? median(ok) : 0, p99Ms: ok.length ? quantile(ok, 0.99) : 0, maxMs: ok.reduce((a, b) => Math.max(a, b), 0) };
  };
}

const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function verdicts(r: RunResult): string[] {
  const out: string[] = [];
  const v = (ok: boolean) => (ok ? 'met' : 'MISSED');
  out.push(`results p50 < 20 ms: ${v(r.resultsP50Ms < 20)}`);
  out.push(`health p99 < 100 ms: ${v(r.healthP99Ms < 100)}`);
  if (r.probe.n > 0) out.push(`from another process max <= 100 ms: ${v(r.probe.maxMs <= 100)}`);
  if (r.demo) out.push(`PDF warm < 250 ms: ${v(r.pdfWarmMs < 250)}`);
  if (r.respondents >= 100_000) {
    out.push(`close < ${r.driver === 'postgres' ? 5 : 20} s: ${v(r.closeMs < (r.driver === 'postgres' ? 5000 : 20_000))}`);
    out.push(`RSS of the close < 500 MB: ${v((r.rssByPhase.close ?? r.peakRssMb) < 500)}`);
    out.push(`PDF warm < 1 s: ${v(r.pdfWarmMs < 1000)}`);
  }
  return out;
}

async function main() {
  const sizes = (arg('sizes') ?? process.env.BENCH_SCALE_SIZES ?? 'demo,100,1000,10000,100000').split(',');
  const withChromium = !args.includes('--no-chromium');
  const drivers = (arg('drivers') ?? process.env.BENCH_SCALE_DRIVERS ?? 'embedded,postgres').split(',') as Driver[];
  console.log(`bench:scale sizes ${sizes.join(', ')} on ${drivers.join(', ')}${drivers.includes('embedded') ? `; embedded shared buffers ${arg('embedded-shared-buffers') ?? 32} MB` : ''}; at start: ${loadLine()}`);
  console.log('driver     respondents  import     modules    close      results p50  pdf cold   pdf warm   health p50/p99/max (n)      peak RSS  load 1m');
  const self = fileURLToPath(import.meta.url);
  for (const driver of drivers) {
    for (const size of sizes) {
      let r: RunResult;
      try {
        // As `npm start` and the Dockerfile run the server (the README's "Memory" says why); BENCH_NODE_FLAGS='' without.
        const nodeFlags = process.env.BENCH_NODE_FLAGS === undefined ? SERVER_NODE_FLAGS : process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
        const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', self, '--child', driver, size, withChromium ? 'chromium' : 'no-chromium', arg('embedded-shared-buffers') ?? ''], {
          encoding: 'utf8',
          maxBuffer: 16 * 1024 * 1024,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        r = JSON.parse(out.trim().split('\n').at(-1)!) as RunResult;
      } catch (e) {
        console.log(`${driver.padEnd(10)} ${String(size).padStart(11)}  failed: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      console.log(
        [
          driver.padEnd(10),
          (r.demo ? `demo ${r.respondents}` : String(r.respondents)).padStart(11),
          ' ' + s(r.importMs).padEnd(10),
          s(r.moduleSeedMs).padEnd(10),
          s(r.closeMs).padEnd(10),
          `${r.resultsP50Ms.toFixed(1)} ms`.padEnd(12),
          s(r.pdfColdMs).padEnd(10),
          s(r.pdfWarmMs).padEnd(10),
          `${r.healthP50Ms.toFixed(0)}/${r.healthP99Ms.toFixed(0)}/${r.healthMaxMs.toFixed(0)} ms (${r.healthN}${r.healthFailed ? `, ${r.healthFailed} failed` : ''})`.padEnd(27),
          `${r.peakRssMb.toFixed(0)} MB`.padEnd(9),
          r.load[0]!.toFixed(1),
        ].join(' '),
      );
      if (r.probe.n > 0) console.log(`           /health/ready from another process during the close: p50/p99/max ${r.probe.p50Ms.toFixed(0)}/${r.probe.p99Ms.toFixed(0)}/${r.probe.maxMs.toFixed(0)} ms (${r.probe.n}${r.probe.failed ? `, ${r.probe.failed} failed` : ''})`);
      console.log(`           peak RSS per phase: ${Object.entries(r.rssByPhase).map(([k, v]) => `${k} ${v} MB`).join(', ')}${r.closeStartRssMb === undefined ? '' : `; at the close's start (after a full GC) ${r.closeStartRssMb} MB with ${r.closeStartHeapMb} MB of V8 heap in use, which rose to ${r.closeHeapPeakMb} MB at most during it`}${r.seedRssMb === undefined ? '' : `; seeded in a process of its own (peak ${r.seedRssMb} MB), measured in a fresh one`}`);
      if (r.closeThreads) {
        const t = r.closeThreads;
        const workers = Object.entries(t.workers).map(([m, w]) => `${m.replace(/^\.\//, '')} x${w.n} ${w.usedMb} MB used / ${w.committedMb} MB committed`);
        console.log(`           during the close, by thread (peaks): main heap committed ${t.mainCommittedMb} MB, external ${t.mainExternalMb} MB; workers ${workers.join(', ') || 'none'}; all workers' heaps together ${t.workersCommittedMb} MB`);
        const cpu = Object.entries(t.cpu).filter(([, v]) => v >= 0.01).sort((a, b) => b[1] - a[1]);
        if (cpu.length > 0) {
          const total = cpu.reduce((n, [, v]) => n + v, 0);
          console.log(`           CPU of the close by thread: ${cpu.map(([name, v]) => `${name} ${v.toFixed(2)} s`).join(', ')}; ${total.toFixed(2)} s in all in ${s(r.closeMs)}`);
        }
      }
      console.log(`           uncached (served cache emptied): results p50 ${r.resultsUncachedP50Ms.toFixed(1)} ms (cached phase: ${r.resultsHits} of ${RESULTS_WARMUP + RESULTS_RUNS} from the cache), client PDF render ${s(r.pdfRerenderMs)}`);
      console.log(`           ${verdicts(r).join('; ')}; results ${(r.resultsBytes / 1024).toFixed(0)} KiB, PDF ${(r.pdfBytes / 1024).toFixed(0)} KiB${r.demo ? ' (the demo round; import and close not measured)' : ''}`);
      if (r.chromium) {
        const c = r.chromium;
        console.log(
          `           Chromium printing the dashboard: ${s(c.chromiumMs)} (${(c.chromiumBytes / 1024).toFixed(0)} KiB) vs client PDF over HTTP ${s(c.httpPdfMs)}: ${c.ratio.toFixed(1)}x (target >= 4x: ${c.ratio >= 4 ? 'met' : 'MISSED'}; median of ${c.runs}, alternated)`,
        );
      }
    }
  }
  console.log(`at end: ${loadLine()} (a shared machine: compare runs only at similar load)`);
}

if (args[0] === '--child' || args[0] === '--measure') {
  const [driver, size, chromium, buffers, state] = [args[1] as Driver, args[2]!, args[3] !== 'no-chromium', args[4] ? Number(args[4]) : undefined, args[5]];
  (args[0] === '--measure'
    ? runChild(driver, size, chromium, buffers, { from: JSON.parse(state!) as SeedState })
    : size === 'demo' || process.env.BENCH_SCALE_ONE_PROCESS === '1'
      ? runChild(driver, size, chromium, buffers)
      : runSplit(driver, size, chromium, buffers)
  )
    .then((r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
} else {
  await main();
}
