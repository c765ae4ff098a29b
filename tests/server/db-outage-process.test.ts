// A real server process on PostgreSQL loses its database while a report batch renders: every
// backend is terminated (pg_terminate_backend) and the database then becomes unreachable for a few
// seconds. The process must stay up, answer 503 problem+json with Retry-After meanwhile, and recover:
// ready again, and every report of the batch done (the interrupted ones retried). Runs when
// TEST_DATABASE_URL is set.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSULTANCY_NAME, DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';
import { CuttableProxy, httpLogin, sessionHeaders, startServer, type ServerProcess } from '../helpers/server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL outage while a report batch renders (real process)', () => {
  let t: TestDatabase;
  let proxy: CuttableProxy;
  let server: ServerProcess | undefined;
  let roundIds: string[];

  beforeAll(async () => {
    t = await createTestDatabase({ demo: true });
    await seedDemo(t.database.db);
    const rows = await t.database.db
      .selectFrom('rounds')
      .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
      .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
      .select('rounds.id')
      .where('rounds.status', '=', 'closed')
      .where('consultancies.name', '=', DEMO_CONSULTANCY_NAME)
      .execute();
    roundIds = rows.map((r) => r.id);
    proxy = CuttableProxy.forUrl(t.url!);
    await proxy.start();
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await proxy?.cut();
    await t?.dispose();
  });

  it('stays up, answers 503 with Retry-After, and finishes the batch after the database returns', async () => {
    server = await startServer({ DATABASE_URL: proxy.via(t.url!), DB_CONNECT_TIMEOUT_MS: '1000', REPORT_WORKERS: '1' });
    const session = await httpLogin(server.base, 'consultant@demo.leercultuurscan.nl', DEMO_PASSWORD);
    const jobs = Array.from({ length: 6 }, (_, i) => ({ roundId: roundIds[i % roundIds.length]!, type: 'client', lang: i % 2 ? 'en' : 'nl' }));
    const created = await fetch(`${server.base}/api/v1/report-batches`, {
      method: 'POST',
      headers: { ...sessionHeaders(session), 'content-type': 'application/json' },
      body: JSON.stringify({ jobs }),
    });
    expect(created.status).toBe(202);
    const { id: batchId } = (await created.json()) as { id: string };
    const progress = async () =>
      (await (await fetch(`${server!.base}/api/v1/report-batches/${batchId}`, { headers: sessionHeaders(session) })).json()) as {
        finished: boolean; done: number; failed: number; running: number; jobs: Array<{ status: string; error: string | null }>;
      };

    // Wait until a report is being rendered.
    for (let i = 0; i < 100 && (await progress()).running === 0; i++) await sleep(100);

    // Outage, part 1: every backend of this database terminated, twice, while the batch renders.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const dbName = new URL(t.url!).pathname.slice(1);
    for (let i = 0; i < 2; i++) {
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await sleep(300);
    }
    await admin.end();
    // Part 2: the database unreachable for 4 s (connections dropped, new ones refused).
    await proxy.cut();
    const during: Array<{ status: number; type: string | null; retryAfter: string | null }> = [];
    const cutUntil = Date.now() + 4000;
    while (Date.now() < cutUntil) {
      const res = await fetch(`${server.base}/api/v1/report-batches/${batchId}`, { headers: sessionHeaders(session) });
      during.push({ status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after') });
      await res.arrayBuffer();
      await sleep(200);
    }
    expect(server.alive()).toBe(true);
    expect(during.length).toBeGreaterThan(5);
    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.type).toMatch(/problem\+json/);
      expect(r.retryAfter).not.toBeNull();
    }
    await proxy.start();

    // Recovery: ready within 10 s, the batch completes with every report done.
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(`${server.base}/health/ready`)).status;
      if (ready !== 200) await sleep(100);
    }
    expect(ready).toBe(200);
    let last = await progress();
    for (let i = 0; i < 90 && !last.finished; i++) {
      await sleep(1000);
      last = await progress();
    }
    expect(last).toMatchObject({ finished: true, done: jobs.length, failed: 0 });
    expect(server.alive()).toBe(true);
    expect(server.output()).not.toMatch(/Fatal programming error|shutting down/);
  }, 150_000);
});
