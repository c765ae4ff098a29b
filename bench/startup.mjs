// npm run bench:startup — median time from process start to /health/ready answering 200 on an
// existing embedded data directory, and peak RSS (VmHWM) of the server process, read once it is ready
// and again after the report worker has started (3 s after boot).
// Target (issue 2): under 1.5 s and under 300 MB.
// Then `npm start` itself on the same data directory, as a newcomer's second start (issue 11 item 7:
// it builds only what changed, here nothing, and is ready in under 3 s): from the command to
// /health/ready, the build step included. NPM_START_RUNS=0 skips it.
// The server runs as `npm start` and the Dockerfile run it, with the flags of the start script in
// package.json (the README's "Memory" says why: without --liftoff-only V8 optimises PGlite's
// WebAssembly in the background right after start-up, and that compilation alone peaks at 400-550 MB).
// BENCH_NODE_FLAGS='' measures without them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const RUNS = Number(process.env.RUNS ?? 7);
const NPM_START_RUNS = Number(process.env.NPM_START_RUNS ?? 3);
const START_FLAGS = /\bnode((?: --\S+)*) dist\/server\/main\.js/.exec(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start)[1];
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? START_FLAGS).split(' ').filter(Boolean);
/** The report worker starts 3 s after boot (server/routes/reports/index.ts): read the peak after it. */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 4000);
const dataDir = mkdtempSync(join(tmpdir(), 'lcs-bench-startup-'));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** Polls /health/ready until it answers 200: the milliseconds since `started`. */
async function untilReady(child, port, started, limitMs, what) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited before it was ready`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) return performance.now() - started;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > limitMs) throw new Error(`${what}: not ready after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function startOnce() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/server/main.js'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ms = await untilReady(child, port, started, 30_000, 'server');
  // Start-up work that continues after readiness (PGlite's code, the report worker) counts too.
  await new Promise((r) => setTimeout(r, 300));
  const readyRss = peakRssMb(child.pid);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const rss = peakRssMb(child.pid);
  child.kill('SIGTERM');
  await exited;
  return { ms, rss, readyRss };
}

/** `npm start` (build, then the server) to /health/ready, in its own process group so all of it stops. */
async function npmStartOnce() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ms = await untilReady(child, port, started, 60_000, 'npm start');
  process.kill(-child.pid, 'SIGTERM');
  await exited;
  // npm may exit before the server it started has let go of the data directory: the next start would
  // then find it locked and refuse. Wait for the server's lock file to go.
  const lock = join(dataDir, 'leercultuurscan.lock');
  for (const until = performance.now() + 30_000; existsSync(lock) && performance.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  return ms;
}

try {
  // First start creates the data directory, runs migrations and seeds the demo: not measured.
  const first = await startOnce();
  console.log(`first start (migrations + demo seed, not counted): ${first.ms.toFixed(0)} ms`);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce());
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const peak = Math.max(...runs.map((r) => r.rss));
  console.log(`runs: ${RUNS}; start to ready (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`median start to /health/ready: ${median.toFixed(0)} ms (target < 1500 ms)`);
  const readyPeak = Math.max(...runs.map((r) => r.readyRss));
  console.log(`node flags: ${NODE_FLAGS.join(' ') || '(none)'}`);
  console.log(`peak RSS at ready: ${readyPeak.toFixed(0)} MB; after ${SETTLE_MS} ms (report worker started): ${peak.toFixed(0)} MB (target < 300 MB)`);
  if (NPM_START_RUNS > 0) {
    const npmTimes = [];
    for (let i = 0; i < NPM_START_RUNS; i++) npmTimes.push(await npmStartOnce());
    const sorted = [...npmTimes].sort((a, b) => a - b);
    console.log(`npm start again (nothing changed: the build is a no-op), command to /health/ready (ms): ${npmTimes.map((t) => t.toFixed(0)).join(', ')}; median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (target < 3000 ms)`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
