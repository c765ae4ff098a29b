// Per-round sums of the submitted responses (migration 0024), which the close's fingerprint reads
// instead of the responses: they must equal the figures computed from the responses after every way
// responses are written. Through the survey API as the app's login role in the respondent's tenant
// scope (start, autosave, the general and the fast submit, many respondents at once); and by direct
// writes: batched inserts in both states, a batch submitted by one update, updates that keep the
// state, deletes, a purge of the round, a round deleted with its responses, and the migration's
// backfill. Another tenant reads none of them and cannot write them.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down as sumsDown, up as sumsUp } from '../../migrations/2026-12-03-0024-response-sums.js';
import { withTenantScope } from '../../server/auth/tenant-scope.js';
import type { DB } from '../../server/db/schema.js';
import { responsesFingerprint, responsesFingerprintFromRows } from '../../server/results/build.js';
import { createTenant, type Tenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';
import { completeAnswers } from '../helpers/rounds.js';
import { sharedLinkRound, type SharedLinkRound } from '../helpers/shared-link-round.js';
import { insertRound } from './results-helpers.js';

/** The fingerprint from the sums and from the rows, with the submitted count of the rows. */
async function both(db: Kysely<DB>, roundId: string) {
  const [sums, rows] = await Promise.all([responsesFingerprint(db, roundId), responsesFingerprintFromRows(db, roundId)]);
  return { sums, rows, n: Number(rows.split(':')[0]) };
}

describe(`response sums through the survey API, as the app's login role (${driverName})`, () => {
  let r: SharedLinkRound | undefined;
  let app: FastifyInstance;
  let owner: Kysely<DB>;
  let tenant: Tenant;
  let roundId: string;

  beforeAll(async () => {
    r = await sharedLinkRound('sums', { modules: ['culture_scan', 'factors'], maxResponses: 100 });
    ({ app, owner, tenant, roundId } = r);
  });

  afterAll(async () => {
    await r?.close();
  });

  const start = () => r!.start();
  const submit = async (token: string, i: number, payload: object = { answers: completeAnswers(i) }) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': `sums-${i}` }, payload });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('follow starts, autosaves and both submits, and many respondents submitting at once', async () => {
    const first = await start();
    expect(await both(owner, roundId)).toEqual({ sums: '0:0', rows: '0:0', n: 0 });
    const saved = await app.inject({ method: 'PUT', url: `/api/v1/survey/${first}/answers`, payload: { answers: { sd1: 3 }, factors: { health: 1 } } });
    expect(saved.statusCode, saved.body).toBe(200);
    // In progress: not counted.
    expect((await both(owner, roundId)).sums).toBe('0:0');
    await submit(first, 1);
    let now = await both(owner, roundId);
    expect(now.n).toBe(1);
    expect(now.sums).toBe(now.rows);
    // The fast submit, straight from the start.
    await submit(await start(), 2, { answers: completeAnswers(2), factors: { colleagues: 0 } });
    // A replayed submit changes nothing.
    await submit(first, 1);
    now = await both(owner, roundId);
    expect(now.n).toBe(2);
    expect(now.sums).toBe(now.rows);
    // 24 respondents at once (on PostgreSQL each in a transaction of its own, on several connections).
    const tokens = await Promise.all(Array.from({ length: 24 }, () => start()));
    await Promise.all(tokens.map((token, i) => submit(token, 10 + i)));
    now = await both(owner, roundId);
    expect(now.n).toBe(26);
    expect(now.sums).toBe(now.rows);
    // Deleted on another connection than the one that submitted them.
    const gone = await owner.selectFrom('responses').select('id').where('round_id', '=', roundId).orderBy('id').limit(5).execute();
    await owner.deleteFrom('responses').where('id', 'in', gone.map((r) => r.id)).execute();
    now = await both(owner, roundId);
    expect(now.n).toBe(21);
    expect(now.sums).toBe(now.rows);
  });

  it('the round\'s own tenant reads them as the owner does; another tenant reads none and writes none', async () => {
    const other = await createTenant(owner, { label: 'sums-b' });
    const as = (x: Tenant) => ({ kind: 'token' as const, tokenId: randomUUID(), consultancyId: x.consultancyId, organisationId: null });
    const own = await withTenantScope(app.db, as(tenant), (tx) => responsesFingerprint(tx, roundId));
    expect(own).toBe((await both(owner, roundId)).rows);
    expect(own).not.toBe('0:0');
    expect(await withTenantScope(app.db, as(other), (tx) => responsesFingerprint(tx, roundId))).toBe('0:0');
    await expect(
      withTenantScope(app.db, as(other), (tx) => sql`insert into round_response_sums (round_id, slot, n, h) values (${roundId}::uuid, 3, 1, 1)`.execute(tx)),
    ).rejects.toThrow(/row-level security|policy/);
    expect(await withTenantScope(app.db, as(tenant), (tx) => responsesFingerprint(tx, roundId))).toBe(own);
  });
});

describe(`response sums under direct writes (${driverName})`, () => {
  let t: TestDatabase;
  let owner: Kysely<DB>;
  let organisationId: string;
  let roundId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    owner = t.database.db;
    organisationId = (await createTenant(owner, { label: 'sums-direct' })).organisationId;
    roundId = await insertRound(owner, organisationId, { status: 'open' });
  });

  afterAll(async () => {
    await t?.dispose();
  });

  const insert = (n: number, status: 'submitted' | 'in_progress', round = roundId) =>
    owner
      .insertInto('responses')
      .values(Array.from({ length: n }, () => ({ round_id: round, form: 'employee' as const, status, submitted_at: status === 'submitted' ? new Date('2026-04-01') : null })))
      .returning('id')
      .execute();
  const expectEqual = async (n: number, round = roundId) => {
    const now = await both(owner, round);
    expect(now.n).toBe(n);
    expect(now.sums).toBe(now.rows);
  };

  it('follow batched inserts, a batch submitted at once, updates, deletes and a purge', async () => {
    const submitted = await insert(300, 'submitted');
    const open = await insert(50, 'in_progress');
    await expectEqual(300);
    // 30 in progress submitted by one statement; an update that keeps every state changes nothing.
    await owner.updateTable('responses').set({ status: 'submitted', submitted_at: new Date('2026-04-02') }).where('id', 'in', open.slice(0, 30).map((r) => r.id)).execute();
    await expectEqual(330);
    const before = await responsesFingerprint(owner, roundId);
    await owner.updateTable('responses').set({ department: 'A' }).where('round_id', '=', roundId).execute();
    expect(await responsesFingerprint(owner, roundId)).toBe(before);
    // Deletes of both states, and one replaced by another (the count the same, the sums not).
    await owner.deleteFrom('responses').where('id', 'in', [...submitted.slice(0, 20), ...open.slice(40)].map((r) => r.id)).execute();
    await expectEqual(310);
    const fewer = await responsesFingerprint(owner, roundId);
    await owner.deleteFrom('responses').where('id', '=', submitted[20]!.id).execute();
    await insert(1, 'submitted');
    await expectEqual(310);
    expect(await responsesFingerprint(owner, roundId)).not.toBe(fewer);
    // A second round's rows do not count in the first's.
    const second = await insertRound(owner, organisationId, { status: 'open' });
    await insert(7, 'submitted', second);
    await expectEqual(7, second);
    await expectEqual(310);
    // A purge of the raw answers deletes every response of the round.
    await owner.deleteFrom('responses').where('round_id', '=', second).execute();
    await expectEqual(0, second);
    // A round deleted with its responses takes its sums along, and writes none.
    await insert(4, 'submitted', second);
    await owner.deleteFrom('rounds').where('id', '=', second).execute();
    expect(await owner.selectFrom('round_response_sums').select('slot').where('round_id', '=', second).execute()).toEqual([]);
    // One row per round and connection slot, whatever the number of responses.
    const slots = await owner.selectFrom('round_response_sums').select('slot').where('round_id', '=', roundId).execute();
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.length).toBeLessThanOrEqual(64);
  });

  it('are backfilled by the migration for responses written before it, and kept again after it', async () => {
    await sumsDown(owner);
    await insert(12, 'submitted');
    await sumsUp(owner);
    const n = (await both(owner, roundId)).n;
    expect(n).toBeGreaterThan(12);
    await expectEqual(n);
    await insert(3, 'submitted');
    await expectEqual(n + 3);
  });
});
