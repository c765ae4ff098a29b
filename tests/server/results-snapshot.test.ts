// Snapshots: written when a round closes (and before the retention purge); once the raw answers are
// purged, the results are served from the snapshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
import { saveRoundSnapshot } from '../../server/results/snapshots.js';
import { purgeExpiredRounds } from '../../server/data-rights/retention.js';
import { closeRound } from '../../server/rounds/lifecycle.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant } from '../helpers/auth.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof createTenant>>;
let token: Record<string, string>;
let roundId: string;

const results = (query = '') => t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/results${query}`, headers: token });

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db);
  token = bearer(await createApiTokenFor(t.db, { organisationId: tenant.organisationId }));
  roundId = await insertRound(t.db, tenant.organisationId, { status: 'open', departments: ['Zorg', 'Techniek'] });
  await respondMany(t.db, roundId, 6, 'employee', '4 4 4 4 2 4', { department: 'Zorg' });
  await respondMany(t.db, roundId, 5, 'employee', '2 2 2 2 4 2', { department: 'Techniek' });
  await t.db.transaction().execute((tx) => closeRound(tx, roundId, t.app.roundHooks.roundClosed));
});

afterAll(async () => {
  await t?.close();
});

describe('snapshots', () => {
  it('closing a round stores its result model', async () => {
    const row = await t.db.selectFrom('round_snapshots').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow();
    const snapshot = ResultModelSchema.parse(typeof row.result === 'string' ? JSON.parse(row.result) : row.result);
    expect(snapshot.meta.round.status).toBe('closed');
    expect(snapshot.mechanisms.find((m) => m.mechanismId === 'work_content')!.score!.n).toBe(11);
  });

  it('after the purge the results come from the snapshot, with the same figures', async () => {
    const live = ResultModelSchema.parse((await results()).json());
    await t.db.transaction().execute(async (tx) => {
      await saveRoundSnapshot(tx, roundId);
      await tx.deleteFrom('responses').where('round_id', '=', roundId).execute();
      await tx.updateTable('rounds').set({ raw_purged_at: new Date() }).where('id', '=', roundId).execute();
    });
    const res = await results();
    expect(res.statusCode, res.body).toBe(200);
    const served = ResultModelSchema.parse(res.json());
    expect(served.meta.source).toBe('snapshot');
    expect(served.meta.rawPurgedAt).not.toBeNull();
    // Zorg 6 x 4.0 and Techniek 5 x 2.0: (24 + 10) / 11.
    const wc = served.mechanisms.find((m) => m.mechanismId === 'work_content')!;
    expect(wc.score!.mean).toBeCloseTo(34 / 11, 10);
    expect(served.mechanisms).toEqual(live.mechanisms);
    expect(served.segments).toEqual(live.segments);
    // Segment views were published with the release at close, so they outlive the raw answers;
    // raw answers need the purged data.
    const zorg = await results('?segment=department:Zorg');
    expect(zorg.statusCode, zorg.body).toBe(200);
    expect(ResultModelSchema.parse(zorg.json()).mechanisms.find((m) => m.mechanismId === 'work_content')!.score).toMatchObject({ n: 6, mean: 4 });
    const raw = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}/raw.csv`, headers: token });
    expect(raw.statusCode).toBe(410);
  });

  it('the retention purge writes the snapshot first (a round closed without one)', async () => {
    const old = await insertRound(t.db, tenant.organisationId, { name: 'Oud', closedAt: new Date('2024-01-10T00:00:00Z') });
    await respondMany(t.db, old, 5, 'employee', '5 5 5 5 1 5');
    await t.db.updateTable('organisations').set({ retention_months: 12 }).where('id', '=', tenant.organisationId).execute();
    const purge = await purgeExpiredRounds(t.db, new Date('2026-06-01T00:00:00Z'), { beforePurge: t.app.roundHooks.beforePurge });
    expect(purge.purged).toContain(old);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${old}/results`, headers: token });
    expect(res.statusCode, res.body).toBe(200);
    const served = ResultModelSchema.parse(res.json());
    expect(served.meta.source).toBe('snapshot');
    expect(served.mechanisms.find((m) => m.mechanismId === 'work_content')!.score).toMatchObject({ n: 5, mean: 5 });
  });
});
