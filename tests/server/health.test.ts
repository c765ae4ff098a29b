import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { driverName } from '../helpers/database.js';
import { setupTestApp, testConfig, type TestApp } from '../helpers/app.js';

describe(`health (${driverName})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await setupTestApp();
  });
  afterAll(async () => t.close());

  it('is live', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database answers, and says which one runs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    // The batch runner: in-process on the embedded database; pg-boss starts on the first batch in tests.
    expect(res.json()).toEqual({ status: 'ok', database: driverName, components: { reportBatches: { state: driverName === 'postgres' ? 'idle' : 'running' } } });
  });
});

describe('health when PostgreSQL cannot be reached', () => {
  it('stays live, answers ready with 503 problem+json and Retry-After', async () => {
    // Port 1 on loopback refuses connections at once.
    const config = testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECT_TIMEOUT_MS: '500' });
    const app = await buildApp({ config, migrate: false });
    try {
      const live = await app.inject({ method: 'GET', url: '/health/live' });
      expect(live.statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['content-type']).toMatch(/problem\+json/);
      expect(ready.headers['retry-after']).toBeDefined();
      expect(ready.json()).toMatchObject({ status: 503, code: 'database_unavailable' });
    } finally {
      await app.close();
    }
  });
});
