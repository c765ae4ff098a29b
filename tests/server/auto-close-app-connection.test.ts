// The auto-close and the retention sweep through the app's own connection (app.db), which since
// migration 0019 sees no tenant row outside a scope: an expired round is closed with its release,
// snapshot and pool contribution stored, an expired closed round is purged with a snapshot first, and
// the sweep's housekeeping (expired sessions, old login attempts) still deletes. Both drivers, set up
// as tests/server/deny-by-default.test.ts does (on PostgreSQL a real two-role start: the app serves as
// a fresh login role that is no superuser and has no BYPASSRLS).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultModelSchema } from '../../scans/result-model.js';
import { runRetentionSweep } from '../../server/data-rights/sweeper.js';
import type { DB } from '../../server/db/schema.js';
import { closeExpiredRounds } from '../../server/rounds/auto-close.js';
import { buildAppAsLoginRole, type AppAsLoginRole } from '../helpers/app-role.js';
import { createTenant, login, staffHeaders, TEST_PASSWORD, type Tenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { completeAnswers, createOpenRound } from '../helpers/rounds.js';

const DAY_MS = 86_400_000;


describe(`auto-close and retention sweep through the app's connection (${driverName})`, () => {
  let t: TestDatabase;
  let served: AppAsLoginRole | undefined;
  let app: FastifyInstance;
  let owner: Kysely<DB>;
  let tenant: Tenant;
  let headers: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase();
    served = await buildAppAsLoginRole(t, 'close');
    app = served.app;
    owner = t.database.db;
    tenant = await createTenant(owner, { label: 'autoclose' });
    headers = staffHeaders(await login(app, tenant.consultant.email, TEST_PASSWORD));
  });

  afterAll(async () => {
    if (served) await served.close();
    else await t?.dispose();
  });

  async function dueRound(name: string): Promise<string> {
    const round = await createOpenRound(app, headers, tenant.organisationId, { name, closesAt: new Date(Date.now() + 60_000).toISOString() });
    for (let i = 0; i < 6; i++) {
      await owner.transaction().execute((tx) => insertSubmittedResponse(tx, round.id, { form: 'employee', answers: completeAnswers(i), channel: 'link' }));
    }
    return round.id;
  }

  async function stored(roundId: string) {
    const round = await owner.selectFrom('rounds').select(['status', 'closed_at', 'raw_purged_at']).where('id', '=', roundId).executeTakeFirstOrThrow();
    const releases = await owner.selectFrom('result_releases').select(['seq', 'main']).where('round_id', '=', roundId).execute();
    const snapshot = await owner.selectFrom('round_snapshots').select('round_id').where('round_id', '=', roundId).executeTakeFirst();
    const pool = await owner.selectFrom('pool_entries').select('mechanism_id').where('round_id', '=', roundId).execute();
    const responses = await owner.selectFrom('responses').select('id').where('round_id', '=', roundId).execute();
    return { round, releases, snapshot: snapshot !== undefined, pool: pool.length, responses: responses.length };
  }

  it('the app connection sees no round outside a scope (the premise)', async () => {
    await dueRound('Premisse');
    expect(await app.db.selectFrom('rounds').select('id').execute()).toEqual([]);
    expect((await owner.selectFrom('rounds').select('id').where('organisation_id', '=', tenant.organisationId).execute()).length).toBe(1);
  });

  it('closeExpiredRounds on app.db closes the expired round and stores its release, snapshot and pool contribution', async () => {
    const [premise] = await owner.selectFrom('rounds').select('id').where('name', '=', 'Premisse').execute();
    const now = new Date(Date.now() + 120_000);
    const result = await closeExpiredRounds(app.db, app.roundHooks.roundClosed, now);
    expect(result).toEqual({ closed: [premise!.id], failed: [] });
    const s = await stored(premise!.id);
    expect(s.round).toMatchObject({ status: 'closed', closed_at: now, raw_purged_at: null });
    expect(s.releases.map((r) => r.seq)).toEqual([1]);
    const raw = s.releases[0]!.main;
    const main = ResultModelSchema.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
    expect(main.meta.round.id).toBe(premise!.id);
    expect(main.mechanisms.filter((m) => m.score !== null)).toHaveLength(7);
    expect(s.snapshot).toBe(true);
    expect(s.pool).toBe(7); // six employees (>= k): seven mechanisms in the pool
    expect(s.responses).toBe(6);
    // The published results are served from that release.
    const results = await app.inject({ method: 'GET', url: `/api/v1/rounds/${premise!.id}/results`, headers });
    expect(results.statusCode, results.body).toBe(200);
    expect(results.json().meta.round).toMatchObject({ id: premise!.id, status: 'closed' });
    // Nothing more to do at the same moment.
    expect(await closeExpiredRounds(app.db, app.roundHooks.roundClosed, now)).toEqual({ closed: [], failed: [] });
  });

  it('runRetentionSweep on app.db purges the expired closed round, closes the newly expired one and does its housekeeping', async () => {
    const [first] = await owner.selectFrom('rounds').select('id').where('name', '=', 'Premisse').execute();
    const second = await dueRound('Tweede');
    await owner.updateTable('organisations').set({ retention_months: 1 }).where('id', '=', tenant.organisationId).execute();
    const now = new Date(Date.now() + 62 * DAY_MS); // past the first round's retention of one month
    await owner
      .insertInto('sessions')
      .values({ id: randomBytes(32).toString('hex'), user_id: tenant.hr.id, csrf_token: 'x', created_at: new Date(now.getTime() - 40 * DAY_MS), last_seen_at: new Date(now.getTime() - 40 * DAY_MS), expires_at: new Date(now.getTime() - DAY_MS) })
      .execute();
    await owner.insertInto('login_attempts').values({ email: 'onbekend@example.org', ip: '192.0.2.7', succeeded: false, attempted_at: new Date(now.getTime() - 2 * DAY_MS) }).execute();

    const result = await runRetentionSweep(app.db, { ...app.roundHooks, now });
    expect(result.ran).toBe(true);
    if (!result.ran) return;
    expect(result.purged).toEqual([first!.id]);
    expect(result.failed).toEqual([]);
    expect(result.autoClosed).toEqual({ closed: [second], failed: [] });
    expect(result.sessionsDeleted).toBeGreaterThanOrEqual(1);
    expect(result.loginAttemptsDeleted).toBeGreaterThanOrEqual(1);

    const a = await stored(first!.id);
    expect(a.round.raw_purged_at).toEqual(now);
    expect(a.responses).toBe(0);
    expect(a.releases.map((r) => r.seq)).toEqual([1]); // the published figures outlive the raw answers
    expect(a.snapshot).toBe(true);
    const b = await stored(second);
    expect(b.round).toMatchObject({ status: 'closed', closed_at: now, raw_purged_at: null });
    expect(b.releases.map((r) => r.seq)).toEqual([1]);
    expect(b.snapshot).toBe(true);
    expect(b.pool).toBe(7);
    expect(await owner.selectFrom('sessions').select('id').where('expires_at', '<=', now).execute()).toEqual([]);
    expect(await owner.selectFrom('login_attempts').select('id').where('email', '=', 'onbekend@example.org').execute()).toEqual([]);
  });
});
