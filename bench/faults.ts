// npm run bench:faults: the server under faults, on loopback, bounded in count and time.
// 1. outage under load (PostgreSQL): survey submits and reads from 8 clients while a report batch
//    renders; PostgreSQL becomes unreachable for OUTAGE_S seconds (a TCP proxy in front of it drops
//    every connection and refuses new ones, which is what a client sees when the server stops);
//    prints responses that were neither 2xx nor 503 problem+json with Retry-After, the seconds until
//    /health/ready answers again, acknowledged-but-lost submits, reset requests, whether the process
//    survived and whether the batch finished.
// 2. SIGTERM under load (embedded and PostgreSQL): resets and bad 503s, for clients that wait as
//    Retry-After says and for clients that ignore it; ms from the signal to the listener closing.
// 3. kill -9 loop (embedded): KILLS rounds of submits, kill -9, restart; acknowledged-but-lost and
//    duplicated submits, seconds to ready after each restart.
// Targets (issue 13): zero, zero, zero, and recovery under 10 s.
// Options: --outage S (default 6), --kills N (default 3), --only outage|sigterm|kill. BENCH_DATABASE_URL as bench:submit.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { BENCH_URL, createBenchDatabase } from './lib/setup.js';
import { openEmbedded, openPostgres } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { DB } from '../server/db/schema.js';
import { DEMO_CONSULTANCY_NAME, DEMO_PASSWORD, seedDemo } from '../server/demo/seed.js';
import { newToken } from '../server/lib/crypto.js';
import { requireCompiledScan } from '../server/rounds/instruments.js';
import { invitationHash } from '../server/rounds/responses.js';
import { CuttableProxy, httpLogin, msUntilRefused, requestLoop, sessionHeaders, startServer, type LoopTally } from '../tests/helpers/server-process.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const OUTAGE_S = Math.min(30, arg('outage', 6));
const KILLS = Math.min(10, arg('kills', 3));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An open round with `n` personal invitations; returns their tokens. */
async function openRoundWithInvitations(db: Kysely<DB>, n: number): Promise<{ roundId: string; tokens: string[] }> {
  const consultancy = await db.insertInto('consultancies').values({ name: `Bench faults ${randomBytes(3).toString('hex')}` }).returning('id').executeTakeFirstOrThrow();
  const org = await db.insertInto('organisations').values({ consultancy_id: consultancy.id, name: 'Bench B.V.', sector: 'healthcare', size_class: 'large' }).returning('id').executeTakeFirstOrThrow();
  const round = await db
    .insertInto('rounds')
    .values({ organisation_id: org.id, name: 'Bench faults', instrument_id: 'culture-scan@1', modules: ['culture_scan'], languages: ['nl'], departments: ['Zorg'], status: 'open', opened_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tokens = Array.from({ length: n }, () => newToken());
  await sql`insert into invitations (round_id, kind, form, token_hash, email)
    select ${round.id}::uuid, 'personal', 'employee', u.h, u.e
    from unnest(${tokens.map(invitationHash)}::text[], ${tokens.map((_, i) => `faults${i}@example.nl`)}::text[]) as u(h, e)`.execute(db);
  return { roundId: round.id, tokens };
}

const ITEMS = requireCompiledScan('culture-scan@1').itemIds;
const submitBody = (i: number) => JSON.stringify({ answers: Object.fromEntries(ITEMS.map((id, j) => [id, ((i + j) % 5) + 1])), background: { department: 'Zorg' } });

/** Submits, one per token (each token once, with its own Idempotency-Key), and reads in between. */
function submitLoad(tokens: string[], acked: Set<string>, start = { next: 0 }) {
  return (i: number) => {
    if (i % 3 === 2) return { method: 'GET', path: '/health/ready' };
    const k = start.next++ % tokens.length;
    return {
      method: 'POST',
      path: `/api/v1/survey/${tokens[k]}/submit`,
      headers: { 'content-type': 'application/json', 'idempotency-key': `faults-${k}`, 'x-token-index': String(k) },
      body: submitBody(k),
    };
  };
}

/** Tokens whose acknowledged submit is not stored (lost), and invitations stored more than once. */
async function lostSubmits(db: Kysely<DB>, roundId: string, tokens: string[], acked: Set<string>): Promise<{ lost: number; duplicated: number }> {
  const ackedTokens = [...acked].map((k) => tokens[Number(k)]!);
  const hashes = ackedTokens.map(invitationHash);
  const stored = await sql<{ n: number }>`select count(*)::int as n from invitations where token_hash = any(${hashes}::text[]) and submitted_at is not null`.execute(db);
  const submittedRows = await sql<{ n: number }>`select count(*)::int as n from responses where status = 'submitted' and round_id = ${roundId}::uuid`.execute(db);
  const submittedInvitations = await sql<{ n: number }>`select count(*)::int as n from invitations where submitted_at is not null and round_id = ${roundId}::uuid`.execute(db);
  return { lost: hashes.length - Number(stored.rows[0]!.n), duplicated: Number(submittedRows.rows[0]!.n) - Number(submittedInvitations.rows[0]!.n) };
}

const faultText = (t: LoopTally) => {
  const other = Object.entries(t.statuses).filter(([s]) => !['0', '200', '503'].includes(s) && !s.startsWith('2'));
  return `non-2xx/503: ${other.length ? other.map(([s, n]) => `${s}x${n}`).join(' ') : 'none'}; bad 503 (no problem+json or Retry-After): ${t.bad503}; resets/errors: ${JSON.stringify(t.errors)}`;
};


// --- 1. outage under load ---------------------------------------------------------------------------

async function outageUnderLoad(): Promise<void> {
  const bench = await createBenchDatabase('lcs_bench_faults');
  const url = new URL(bench.url);
  const database = openPostgres({ connectionString: url.toString(), max: 3, connectTimeoutMs: 5000, statementTimeoutMs: 60_000 });
  const proxy = CuttableProxy.forUrl(url.toString());
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await migrateToLatest(database.db);
    await seedDemo(database.db);
    const rounds = await database.db
      .selectFrom('rounds')
      .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
      .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
      .select('rounds.id')
      .where('rounds.status', '=', 'closed')
      .where('consultancies.name', '=', DEMO_CONSULTANCY_NAME)
      .execute();
    const { roundId, tokens } = await openRoundWithInvitations(database.db, 20_000);
    await proxy.start();
    server = await startServer({ DATABASE_URL: proxy.via(url.toString()), DB_CONNECT_TIMEOUT_MS: '1000', REPORT_WORKERS: '1' });
    const session = await httpLogin(server.base, 'consultant@demo.leercultuurscan.nl', DEMO_PASSWORD);
    const jobs = Array.from({ length: 6 }, (_, i) => ({ roundId: rounds[i % rounds.length]!.id, type: 'client', lang: 'nl' }));
    const created = await fetch(`${server.base}/api/v1/report-batches`, { method: 'POST', headers: { ...sessionHeaders(session), 'content-type': 'application/json' }, body: JSON.stringify({ jobs }) });
    const { id: batchId } = (await created.json()) as { id: string };

    const acked = new Set<string>();
    const request = submitLoad(tokens, acked);
    const pending = new Map<number, string>();
    const loop = await requestLoop(server.port, {
      concurrency: 8,
      honourRetryAfter: false,
      request: (i) => {
        const r = request(i);
        if (r.headers?.['x-token-index']) pending.set(i, r.headers['x-token-index']);
        return r;
      },
      onResponse: (i, status) => {
        const k = pending.get(i);
        pending.delete(i);
        if (k !== undefined && status >= 200 && status < 300) acked.add(k);
      },
    });
    await sleep(2000);
    await proxy.cut();
    const cutAt = Date.now();
    await sleep(OUTAGE_S * 1000);
    await proxy.start();
    const restoredAt = Date.now();
    let readyAfter: number | null = null;
    while (Date.now() - restoredAt < 30_000) {
      const res = await fetch(`${server.base}/health/ready`).catch(() => null);
      if (res?.status === 200) {
        readyAfter = (Date.now() - restoredAt) / 1000;
        break;
      }
      await sleep(50);
    }
    await sleep(2000);
    const tally = await loop.stop();
    let batch = { finished: false, done: 0, failed: 0 };
    const batchDeadline = Date.now() + 60_000;
    while (Date.now() < batchDeadline) {
      batch = (await (await fetch(`${server.base}/api/v1/report-batches/${batchId}`, { headers: sessionHeaders(session) })).json()) as typeof batch;
      if (batch.finished) break;
      await sleep(1000);
    }
    const { lost, duplicated } = await lostSubmits(database.db, roundId, tokens, acked);
    console.log(`outage        PostgreSQL away ${OUTAGE_S} s (proxy cut ${((restoredAt - cutAt) / 1000).toFixed(1)} s) under 8 clients, batch of ${jobs.length} rendering`);
    console.log(`  responses   ${JSON.stringify(tally.statuses)}  ${faultText(tally)}`);
    console.log(`  recovery    /health/ready 200 ${readyAfter === null ? 'NOT within 30 s' : `${readyAfter.toFixed(2)} s`} after the database returned (target < 10 s)`);
    console.log(`  submits     ${acked.size} acknowledged, ${lost} acknowledged-but-lost, ${duplicated} stored twice`);
    console.log(`  process     ${server.alive() ? 'stayed up' : 'EXITED'}; batch ${batch.finished ? `finished: ${batch.done} done, ${batch.failed} failed` : 'NOT finished within 60 s'}`);
  } finally {
    await server?.stop('SIGKILL');
    await proxy.cut();
    await database.close();
    await bench.drop();
  }
}

// --- 2. SIGTERM under load --------------------------------------------------------------------------

async function sigtermUnderLoad(driver: 'embedded' | 'postgres'): Promise<void> {
  let cleanup: () => Promise<void>;
  const env: Record<string, string> = { DATABASE_URL: '' };
  if (driver === 'postgres') {
    const bench = await createBenchDatabase('lcs_bench_faults');
    env.DATABASE_URL = bench.url;
    cleanup = bench.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-bench-faults-'));
    env.DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    for (const honour of [true, false]) {
      const server = await startServer(env);
      const loop = await requestLoop(server.port, { concurrency: 8, honourRetryAfter: honour, request: (i) => ({ method: 'GET', path: i % 2 ? '/health/ready' : '/api/v1/instruments' }) });
      await sleep(1500);
      server.child.kill('SIGTERM');
      const closedAfter = await msUntilRefused(server.port);
      const { code } = await server.exited;
      await sleep(100);
      const tally = await loop.stop();
      console.log(
        `sigterm       ${driver.padEnd(8)} clients ${honour ? 'honouring' : 'ignoring '} Retry-After: exit ${code}, listener closed ${closedAfter} ms after the signal; ${JSON.stringify(tally.statuses)}  ${faultText(tally)}`,
      );
    }
  } finally {
    await cleanup();
  }
}

// --- 3. kill -9 loop (embedded) ---------------------------------------------------------------------

async function killLoop(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lcs-bench-faults-'));
  try {
    let database = await openEmbedded(dir);
    await migrateToLatest(database.db);
    const { roundId, tokens } = await openRoundWithInvitations(database.db, 5000);
    await database.close();
    const acked = new Set<string>();
    const counter = { next: 0 };
    const request = submitLoad(tokens, acked, counter);
    const readyTimes: number[] = [];
    let faults: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const started = Date.now();
      const server = await startServer({ DATA_DIR: dir, DATABASE_URL: '' });
      while ((await fetch(`${server.base}/health/ready`).catch(() => null))?.status !== 200) await sleep(50);
      readyTimes.push((Date.now() - started) / 1000);
      const pending = new Map<number, string>();
      const loop = await requestLoop(server.port, {
        concurrency: 4,
        honourRetryAfter: false,
        request: (i) => {
          const r = request(i);
          if (r.headers?.['x-token-index']) pending.set(i, r.headers['x-token-index']);
          return r;
        },
        onResponse: (i, status) => {
          const key = pending.get(i);
          pending.delete(i);
          if (key !== undefined && status >= 200 && status < 300) acked.add(key);
        },
      });
      await sleep(2000 + Math.random() * 1000);
      server.child.kill('SIGKILL');
      await server.exited;
      const tally = await loop.stop();
      faults = [...faults, faultText(tally)];
    }
    database = await openEmbedded(dir);
    const { lost, duplicated } = await lostSubmits(database.db, roundId, tokens, acked);
    await database.close();
    console.log(`kill -9       embedded, ${KILLS} rounds of submits then kill -9: ${acked.size} acknowledged, ${lost} acknowledged-but-lost, ${duplicated} stored twice`);
    console.log(`  restarts    ready after ${readyTimes.map((s) => s.toFixed(1)).join(', ')} s (the first is a fresh start)`);
    console.log(`  (requests cut by the kill are expected to fail: ${faults.map((f) => f.split('; resets/errors: ')[1]).join(' ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
console.log(`bench:faults  loopback, PostgreSQL ${new URL(BENCH_URL).host}`);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (!only || only === 'outage') await outageUnderLoad();
if (!only || only === 'sigterm') {
  await sigtermUnderLoad('embedded');
  await sigtermUnderLoad('postgres');
}
if (!only || only === 'kill') await killLoop();
console.log(`total         ${((Date.now() - started) / 1000).toFixed(0)} s`);
