// Issue 13, jobs: a server instance killed (kill -9) while it renders a report of a batch. Its job's
// pg-boss heartbeat stops; another instance retries the job within 60 s, the batch progress shows it
// as retrying (the interrupted attempt named in its error) and the batch finishes with every report
// done. Real processes on PostgreSQL: runs when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSULTANCY_NAME, DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { INTERRUPTED_ERROR } from '../../server/reports/batches.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';
import { httpLogin, sessionHeaders, startServer, type HttpSession, type ServerProcess } from '../helpers/server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Progress {
  finished: boolean;
  done: number;
  failed: number;
  running: number;
  retrying: number;
  jobs: Array<{ id: string; status: string; attempts: number; error: string | null; retrying: boolean }>;
}

describe.skipIf(!TEST_DATABASE_URL)('report batch job of a killed instance (real processes, PostgreSQL)', () => {
  let t: TestDatabase;
  const servers: ServerProcess[] = [];
  let roundId: string;

  beforeAll(async () => {
    t = await createTestDatabase({ demo: true });
    await seedDemo(t.database.db);
    const row = await t.database.db
      .selectFrom('rounds')
      .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
      .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
      .select('rounds.id')
      .where('rounds.status', '=', 'closed')
      .where('consultancies.name', '=', DEMO_CONSULTANCY_NAME)
      .executeTakeFirstOrThrow();
    roundId = row.id;
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await t?.dispose();
  });

  it('is retried by another instance within 60 s and shown as retrying meanwhile', async () => {
    const env = { DATABASE_URL: t.url!, REPORT_WORKERS: '1' };
    const first = await startServer(env);
    servers.push(first);
    const session: HttpSession = await httpLogin(first.base, 'consultant@demo.leercultuurscan.nl', DEMO_PASSWORD);
    const created = await fetch(`${first.base}/api/v1/report-batches`, {
      method: 'POST',
      headers: { ...sessionHeaders(session), 'content-type': 'application/json' },
      body: JSON.stringify({ jobs: [{ roundId, type: 'client', lang: 'nl' }] }),
    });
    expect(created.status).toBe(202);
    const { id: batchId } = (await created.json()) as { id: string };
    const progress = async (base: string) => (await (await fetch(`${base}/api/v1/report-batches/${batchId}`, { headers: sessionHeaders(session) })).json()) as Progress;

    // Kill the instance while it renders the report.
    let p = await progress(first.base);
    for (let i = 0; i < 300 && p.running === 0 && !p.finished; i++) {
      await sleep(50);
      p = await progress(first.base);
    }
    expect(p.running).toBe(1);
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await first.exited;

    // Another instance (the same session works: sessions live in the database).
    const second = await startServer(env);
    servers.push(second);
    let retriedAfter: number | null = null;
    let shownRetrying = false;
    p = await progress(second.base);
    while (!p.finished && Date.now() - killedAt < 90_000) {
      const job = p.jobs[0]!;
      if (retriedAfter === null && job.attempts >= 2) retriedAfter = Date.now() - killedAt;
      if (job.retrying && job.error === INTERRUPTED_ERROR && p.retrying === 1) shownRetrying = true;
      await sleep(200);
      p = await progress(second.base);
    }
    if (retriedAfter === null && p.jobs[0]!.attempts >= 2) retriedAfter = Date.now() - killedAt;
    expect(retriedAfter).not.toBeNull();
    expect(retriedAfter!).toBeLessThan(60_000);
    expect(shownRetrying).toBe(true);
    expect(p).toMatchObject({ finished: true, done: 1, failed: 0, retrying: 0 });
    expect(p.jobs[0]).toMatchObject({ status: 'done', retrying: false, error: null });
    console.log(`batch job of a killed instance retried ${retriedAfter} ms after kill -9`);
  }, 180_000);
});
