// Graceful shutdown: requests arriving while the server closes are answered 503 problem+json with
// Retry-After (not Fastify's plain JSON, not a reset connection); under a request loop, SIGTERM
// resets nothing, also for clients that ignore Retry-After and keep sending, and the process exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../helpers/app.js';
import { driverName, prepareDataDir, TEST_DATABASE_URL } from '../helpers/database.js';
import { msUntilRefused, requestLoop, startServer } from '../helpers/server-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe(`shutdown (${driverName})`, () => {
  it('answers 503 problem+json with Retry-After and Connection: close while closing', async () => {
    const t = await setupTestApp();
    try {
      expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      t.app.lifecycle.closing = true;
      for (const url of ['/health/ready', '/api/v1/rounds', '/no/such/route']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['retry-after']).toBe('2');
        expect(res.headers.connection).toBe('close');
        expect(res.json()).toMatchObject({ status: 503, code: 'shutting_down' });
      }
    } finally {
      await t.close();
    }
  });

  it('resets no request when SIGTERM arrives under a request loop, and exits 0', async () => {
    const env: Record<string, string> = { DATABASE_URL: '' };
    if (TEST_DATABASE_URL) {
      // Same process shape on PostgreSQL: the test database of this file (migrated by the server).
      const { createTestDatabase } = await import('../helpers/database.js');
      const db = await createTestDatabase();
      env.DATABASE_URL = db.url!;
      afterAll(() => db.dispose());
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'lcs-shutdown-'));
      dirs.push(dir);
      await prepareDataDir(dir); // migrated, as after a first start
      env.DATA_DIR = dir;
    }
    const server = await startServer(env);
    const request = (i: number) => (i % 2 ? { method: 'GET', path: '/health/ready' } : { method: 'GET', path: '/api/v1/rounds' });
    // Clients that wait as Retry-After says, and clients that ignore it and keep sending in a tight
    // loop (the ones that used to be reset when the listener closed under them).
    const honouring = await requestLoop(server.port, { concurrency: 4, honourRetryAfter: true, request });
    const ignoring = await requestLoop(server.port, { concurrency: 8, honourRetryAfter: false, request: (i) => (i % 2 ? { method: 'GET', path: '/health/ready' } : { method: 'GET', path: '/api/v1/instruments' }) });
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGTERM');
    const listenerClosedAfter = await msUntilRefused(server.port);
    const { code } = await server.exited;
    await new Promise((r) => setTimeout(r, 200));
    expect(code).toBe(0);
    for (const tally of [await honouring.stop(), await ignoring.stop()]) {
      expect(tally.errors).toEqual({});
      expect(tally.bad503).toBe(0);
      expect((tally.statuses[200] ?? 0) + (tally.statuses[401] ?? 0)).toBeGreaterThan(10);
      expect(tally.statuses[503]).toBeGreaterThan(0); // requests during the drain got the problem+json 503
    }
    // The listener closed (connections refused) within a second of the signal: the drain (300 ms) and
    // no more, on either database.
    expect(listenerClosedAfter).not.toBeNull();
    expect(listenerClosedAfter!).toBeLessThan(1000);
  }, 120_000);
});
