// The render pool: a bounded queue in front of the worker threads. A full queue refuses at once with
// 503 + Retry-After (problem+json through the route); batch work may wait; a closed pool refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../server/lib/errors.js';
import { ReportPool } from '../../server/reports/pool.js';
import type { RenderInput } from '../../server/reports/render.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, staffHeaders } from '../helpers/auth.js';
import { fixtureResultModel } from '../fixtures/result-model.js';

const input = (): RenderInput => ({
  type: 'director',
  lang: 'nl',
  model: fixtureResultModel(),
  branding: { name: 'Adviesbureau', accentColor: null, logo: null, logoMime: null },
});

describe('ReportPool', () => {
  it('refuses a report when every worker is busy and the queue is full, with a Retry-After', async () => {
    const pool = new ReportPool({ workers: 1, queueLimit: 1 });
    try {
      const first = pool.render(input()); // taken by the worker
      const second = pool.render(input()); // waits in the queue
      let refused: unknown;
      try {
        await pool.render(input());
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(ServiceUnavailableError);
      const e = refused as ServiceUnavailableError;
      expect(e.status).toBe(503);
      expect(e.code).toBe('report_queue_full');
      expect(Number(e.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
      // Batch work may wait beyond the limit instead of being refused.
      const batch = pool.render(input(), { wait: true });
      const pdfs = await Promise.all([first, second, batch]);
      for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pool.stats).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });

  it('reports a failed render as an error and keeps working', async () => {
    const pool = new ReportPool({ workers: 1, queueLimit: 2 });
    try {
      const broken = { ...input(), model: { ...input().model, mechanisms: null } } as unknown as RenderInput;
      await expect(pool.render(broken)).rejects.toThrow();
      const pdf = await pool.render(input());
      expect(pdf.length).toBeGreaterThan(1000);
    } finally {
      await pool.close();
    }
  });

  it('stops a worker that stays idle and starts one again for the next report', async () => {
    const pool = new ReportPool({ workers: 1, queueLimit: 2, idleMs: 300 });
    try {
      const first = await pool.render(input());
      expect(first.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pool.stats).toMatchObject({ workers: 1, retired: 0 });
      await expect.poll(() => pool.stats.workers, { timeout: 5000, interval: 50 }).toBe(0);
      expect(pool.stats.retired).toBe(1);
      // The next report gets a fresh worker, and renders the same bytes' worth of report.
      const second = await pool.render(input());
      expect(second.subarray(0, 5).toString()).toBe('%PDF-');
      expect(Math.abs(second.length - first.length)).toBeLessThan(first.length / 10);
      expect(pool.stats).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
    expect(pool.stats.workers).toBe(0);
  });

  it('keeps a worker that is given work before its idle time is up', async () => {
    const pool = new ReportPool({ workers: 1, queueLimit: 2, idleMs: 60_000 });
    try {
      await pool.warm();
      await pool.render(input());
      await pool.render(input());
      expect(pool.stats).toMatchObject({ workers: 1, retired: 0 });
    } finally {
      await pool.close();
    }
  });

  it('refuses new work once closed', async () => {
    const pool = new ReportPool({ workers: 0, queueLimit: 1 });
    await pool.close();
    await expect(async () => pool.render(input())).rejects.toMatchObject({ status: 503, code: 'reports_unavailable' });
  });
});

describe('GET .../reports/director.pdf under load', () => {
  let t: TestApp;
  let roundId: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    t = await setupTestApp({ REPORT_WORKERS: '1', REPORT_QUEUE_LIMIT: '1' });
    const tenant = await createTenant(t.db);
    ({ id: roundId } = await t.db
      .insertInto('rounds')
      .values({ organisation_id: tenant.organisationId, name: 'Meting', instrument_id: 'culture-scan@1', modules: ['culture_scan'], languages: ['nl'], status: 'closed', opened_at: new Date('2026-09-01T08:00:00Z'), closed_at: new Date('2026-09-30T18:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow());
    headers = staffHeaders(await login(t.app, tenant.hr.email, tenant.hr.password));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 problem+json with Retry-After when the queue is full, and renders the others', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/reports/director.pdf`, headers })),
    );
    const refused = responses.filter((r) => r.statusCode === 503);
    const served = responses.filter((r) => r.statusCode === 200);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(refused.length + served.length).toBe(6);
    for (const r of refused) {
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ status: 503, code: 'report_queue_full' });
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    for (const r of served) expect(r.headers['content-type']).toBe('application/pdf');
  });
});
