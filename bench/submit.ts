// npm run bench:submit: completed survey submissions per second and their latency, on loopback
// against PostgreSQL. Creates its own database from BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) and drops it afterwards; starts the real server
// (buildApp + listen on 127.0.0.1, random port, logger off) in a child process so the load generator
// does not share its event loop; creates an open round and one personal invitation per request; fires
// POST /api/v1/survey/:token/submit with autocannon, each request to its own token with its own
// Idempotency-Key and 45 answers (42 statements + 3 factor ratings); then counts what was stored:
// submitted responses must equal successful requests (nothing lost, nothing duplicated).
// Target: >= 1,000 submissions/s with p99 < 50 ms.
// Options: --amount N (default 20000), --warmup N (default 3000), --connections N (default 32),
//          --pool N (server pool size, default 16).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../server/app.js';
import { parseConfig } from '../server/config/config.js';
import { openPostgres } from '../server/db/database.js';
import type { DB } from '../server/db/schema.js';
import { newToken } from '../server/lib/crypto.js';
import { requireCompiledScan } from '../server/rounds/instruments.js';
import { invitationHash } from '../server/rounds/responses.js';
import { createBenchDatabase } from './lib/setup.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const AMOUNT = arg('amount', 20_000);
const WARMUP = arg('warmup', 3_000);
const CONNECTIONS = arg('connections', 32);
const POOL = arg('pool', 16);
const FACTORS = ['health', 'colleagues', 'money'];

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { average: number };
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  amount: number;
  requests: Array<{ setupRequest: (req: AutocannonRequest) => AutocannonRequest }>;
}) => Promise<AutocannonResult>;

// --- server role (child process) ---------------------------------------------------------------------

async function serve() {
  const config = parseConfig({
    NODE_ENV: 'production',
    DATABASE_URL: process.env.BENCH_SERVER_URL,
    DEMO: 'false',
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: String(POOL),
    // Required in production since two-factor secrets are sealed at rest; unused by the bench.
    TOTP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  });
  const app = await buildApp({ config, migrate: true, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', async (m) => {
    if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (m === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
}

// --- load generator (parent) ---------------------------------------------------------------------------

interface ServerHandle {
  port: number;
  /** CPU microseconds (user + system) the server process has used so far. */
  cpu: () => Promise<number>;
  stop: () => Promise<void>;
}

/** CPU seconds used so far by the PostgreSQL backends connected to one database (Linux /proc). */
async function backendCpuSeconds(db: Kysely<DB>, database: string): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`.execute(db);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not on Linux, or the backend is gone
    }
  }
  return ticks / 100;
}

function startServer(url: string): Promise<ServerHandle> {
  const child = fork(process.argv[1]!, args, {
    execArgv: process.env.BENCH_CPU_PROF_DIR ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : process.execArgv,
    env: { ...process.env, BENCH_ROLE: 'server', BENCH_SERVER_URL: url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.once('message', (m: { port: number }) =>
      resolve({
        port: m.port,
        cpu: () =>
          new Promise<number>((done) => {
            child.once('message', (r: { cpu: { user: number; system: number } }) => done(r.cpu.user + r.cpu.system));
            child.send('cpu');
          }),
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('stop');
          }),
      }),
    );
  });
}

async function main() {
  const require = createRequire(import.meta.url);
  const autocannon = require('autocannon') as Autocannon;
  const bench = await createBenchDatabase('lcs_bench_submit');
  const url = new URL(bench.url);
  const database = openPostgres({ connectionString: url.toString(), max: 4, connectTimeoutMs: 5000, statementTimeoutMs: 120_000 });
  let server: ServerHandle | undefined;
  try {
    server = await startServer(url.toString()); // runs the migrations
    const db = database.db;
    const consultancy = await db.insertInto('consultancies').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
    const org = await db
      .insertInto('organisations')
      .values({ consultancy_id: consultancy.id, name: 'Bench B.V.', sector: 'healthcare', size_class: 'large' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await db
      .insertInto('rounds')
      .values({
        organisation_id: org.id,
        name: 'Bench submit',
        instrument_id: 'culture-scan@1',
        modules: ['culture_scan', 'factors'],
        languages: ['nl'],
        departments: ['Zorg', 'ICT'],
        status: 'open',
        opened_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const total = WARMUP + AMOUNT;
    const tokens = Array.from({ length: total }, () => newToken());
    for (let i = 0; i < total; i += 5000) {
      const chunk = tokens.slice(i, i + 5000);
      await sql`insert into invitations (round_id, kind, form, token_hash, email)
        select ${round.id}::uuid, 'personal', 'employee', u.h, u.e
        from unnest(${chunk.map(invitationHash)}::text[], ${chunk.map((_, n) => `bench${i + n}@example.nl`)}::text[]) as u(h, e)`.execute(db);
    }

    const items = requireCompiledScan('culture-scan@1').itemIds;
    const bodyFor = (i: number) =>
      JSON.stringify({
        answers: Object.fromEntries(items.map((id, j) => [id, (i + j) % 9 === 8 ? null : ((i * 7 + j) % 5) + 1])),
        factors: Object.fromEntries(FACTORS.map((f, j) => [f, ((i + j) % 5) - 2])),
        background: { department: i % 3 === 0 ? 'Zorg' : 'ICT' },
      });
    let next = 0;
    const run = (amount: number) =>
      autocannon({
        url: `http://127.0.0.1:${server!.port}`,
        connections: CONNECTIONS,
        amount,
        requests: [
          {
            setupRequest: (req) => {
              const i = next++;
              req.method = 'POST';
              req.path = `/api/v1/survey/${tokens[i % total]}/submit`;
              req.headers = { 'content-type': 'application/json', 'idempotency-key': `bench-${i}` };
              req.body = bodyFor(i);
              return req;
            },
          },
        ],
      });

    console.log(`bench:submit  PostgreSQL ${url.host}, ${cpus().length} cores, ${CONNECTIONS} connections, server pool ${POOL}`);
    const warm = await run(WARMUP);
    console.log(`warm-up       ${warm['2xx']} submissions, ${(warm['2xx'] / (warm.duration || 1)).toFixed(0)}/s`);
    const cpuBefore = { server: await server.cpu(), pg: await backendCpuSeconds(db, bench.name), bench: process.cpuUsage() };
    const r = await run(AMOUNT);
    const cpu = {
      server: (await server.cpu()) - cpuBefore.server,
      pg: (await backendCpuSeconds(db, bench.name)) - cpuBefore.pg,
      bench: process.cpuUsage(cpuBefore.bench),
    };
    const perSecond = r['2xx'] / r.duration;
    console.log(`measured      ${r['2xx']} submissions in ${r.duration.toFixed(2)} s`);
    console.log(`throughput    ${perSecond.toFixed(0)} submissions/s   (target >= 1000)`);
    console.log(`latency       p50 ${r.latency.p50} ms   p90 ${r.latency.p90} ms   p99 ${r.latency.p99} ms   max ${r.latency.max} ms   (target p99 < 50)`);
    const per = (us: number) => ((us / 1000) / r['2xx']).toFixed(2);
    console.log(
      `cpu           per submission: server ${per(cpu.server)} ms, PostgreSQL backends ${per(cpu.pg * 1e6)} ms, load generator ${per(cpu.bench.user + cpu.bench.system)} ms`,
    );
    console.log(`failures      non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`, JSON.stringify(r.statusCodeStats));

    const ok = warm['2xx'] + r['2xx'];
    const counts = await sql<{ submitted: number; answers: number; factor_answers: number; invited_submitted: number; in_progress: number }>`
      select (select count(*) from responses where round_id = ${round.id}::uuid and status = 'submitted') as submitted,
             (select count(*) from responses where round_id = ${round.id}::uuid and status <> 'submitted') as in_progress,
             (select count(*) from answers a join responses s on s.id = a.response_id where s.round_id = ${round.id}::uuid) as answers,
             (select count(*) from factor_answers a join responses s on s.id = a.response_id where s.round_id = ${round.id}::uuid) as factor_answers,
             (select count(*) from invitations where round_id = ${round.id}::uuid and submitted_at is not null) as invited_submitted`.execute(db);
    const c = counts.rows[0]!;
    const fine = Number(c.submitted) === ok && Number(c.invited_submitted) === ok && Number(c.answers) === ok * items.length && Number(c.factor_answers) === ok * FACTORS.length && Number(c.in_progress) === 0;
    console.log(
      `stored        ${c.submitted} submitted responses for ${ok} successful requests; ${c.answers} answers + ${c.factor_answers} factor ratings (= ${ok} x ${items.length + FACTORS.length}); ${c.invited_submitted} invitations marked submitted; ${c.in_progress} in progress`,
    );
    console.log(`check         ${fine ? 'OK: zero lost, zero duplicated' : 'MISMATCH'}`);
    console.log(`verdict       ${perSecond >= 1000 && r.latency.p99 < 50 ? 'target met' : 'target NOT met'} on this run`);
    if (!fine) process.exitCode = 1;
  } finally {
    await server?.stop();
    await database.close();
    await bench.drop();
  }
}

if (process.env.BENCH_ROLE === 'server') {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
