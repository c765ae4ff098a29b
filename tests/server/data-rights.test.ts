import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../server/db/schema.js';
import { purgeExpiredRounds } from '../../server/data-rights/retention.js';
import { RETENTION_LOCK_KEY, runRetentionSweep, startRetentionSweeper, type SweepResult } from '../../server/data-rights/sweeper.js';
import { sha256Hex } from '../../server/lib/crypto.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant, login, staffHeaders, TEST_PASSWORD, type StaffSession, type Tenant, twoTenantsSignedIn } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';

const MONTH = 30 * 24 * 3600 * 1000;
// The sweep runs registered hooks by default (results writes a real snapshot); these fixtures are not
// real rounds, so the sweep tests pass their own.
const noHook = async () => {};

/** A round with one invitation, two responses with answers and factors, a checklist and placements. */
async function seedRound(db: Kysely<DB>, tenant: Tenant, opts: { name?: string; closedAt?: Date | null; organisationId?: string } = {}) {
  const closedAt = opts.closedAt ?? null;
  const round = await db
    .insertInto('rounds')
    .values({
      organisation_id: opts.organisationId ?? tenant.organisationId,
      name: opts.name ?? `Ronde ${randomBytes(3).toString('hex')}`,
      instrument_id: 'culture-scan@1',
      modules: ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'],
      departments: ['Zorg', 'Techniek'],
      status: closedAt ? 'closed' : 'open',
      opened_at: new Date(Date.now() - 14 * MONTH),
      closed_at: closedAt,
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('invitations').values({ round_id: round.id, kind: 'personal', form: 'employee', token_hash: sha256Hex(token), email: `p-${round.id.slice(0, 8)}@example.nl`, department: 'Zorg', submitted_at: new Date() }).execute();
  const responseIds: string[] = [];
  for (const [i, dept] of ['Zorg', 'Techniek'].entries()) {
    const r = await db
      .insertInto('responses')
      .values({ round_id: round.id, form: 'employee', status: 'submitted', submitted_at: new Date(), department: dept, access_hash: sha256Hex(`${round.id}-${i}`) })
      .returning('id')
      .executeTakeFirstOrThrow();
    responseIds.push(r.id);
    await db.insertInto('answers').values([{ response_id: r.id, item_id: 'sd1', value: 4 }, { response_id: r.id, item_id: 'sd2', value: null }]).execute();
    await db.insertInto('factor_answers').values({ response_id: r.id, factor_id: 'health', value: -1 }).execute();
    await db.insertInto('placements').values({ round_id: round.id, participant_group: 'employee', response_id: r.id, frame: 'current', x: 10, y: -20 }).execute();
  }
  await db.insertInto('checklist_answers').values({ round_id: round.id, practice_id: 'training_plan', answer: 'yes', answered_by: tenant.hr.id }).execute();
  await db.insertInto('placements').values({ round_id: round.id, participant_group: 'director', user_id: tenant.director.id, frame: 'desired', x: 50, y: 50, note: 'Meer proactief' }).execute();
  await db.insertInto('round_snapshots').values({ round_id: round.id, result: JSON.stringify({ published: true }) }).execute();
  return { ...round, token, responseIds };
}

const countOf = async (db: Kysely<DB>, table: 'responses' | 'answers' | 'factor_answers' | 'placements' | 'invitations' | 'checklist_answers' | 'round_snapshots' | 'pool_entries', roundId: string) => {
  if (table === 'answers' || table === 'factor_answers') {
    return Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} x join responses r on r.id = x.response_id where r.round_id = ${roundId}`.execute(db)).rows[0]!.n);
  }
  return Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where round_id = ${roundId}`.execute(db)).rows[0]!.n);
};

describe(`data rights (${driverName})`, () => {
  let t: TestApp;
  let a: Tenant;
  let consultantA: StaffSession;
  let hrA: StaffSession;
  let directorA: StaffSession;
  let consultantB: StaffSession;

  beforeAll(async () => {
    t = await setupTestApp();
    ({ a, consultantA, hrA, directorA, consultantB } = await twoTenantsSignedIn(t.app, t.db, 'dr'));
  });
  afterAll(async () => t?.close());

  describe('export', () => {
    it('gives HR everything of the organisation, anonymous and without hashes', async () => {
      const round = await seedRound(t.db, a, { name: 'Export ronde' });
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/export`, headers: staffHeaders(hrA) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('attachment');
      const body = res.json();
      expect(body.format).toBe('leercultuurscan-organisation-export@1');
      expect(body.organisation).toMatchObject({ id: a.organisationId, name: a.organisationName });
      expect(body.users.map((u: { email: string }) => u.email).sort()).toEqual([a.director.email, a.hr.email].sort());
      const r = body.rounds.find((x: { id: string }) => x.id === round.id);
      expect(r.name).toBe('Export ronde');
      // Who was invited, but not whether that person started or submitted.
      expect(r.invitations).toEqual([
        { id: expect.any(String), kind: 'personal', form: 'employee', email: `p-${round.id.slice(0, 8)}@example.nl`, department: 'Zorg', maxResponses: null, createdAt: expect.any(String), revokedAt: null },
      ]);
      // The round is open: no answers at all (two exports around one submission would show whose).
      expect(r.responsesWithheld).toBe('round_not_closed');
      expect(r.responses).toEqual([]);
      expect(r.checklist).toEqual([expect.objectContaining({ practiceId: 'training_plan', answer: 'yes' })]);
      expect(r.placements).toEqual([expect.objectContaining({ participantGroup: 'director', userId: a.director.id, frame: 'desired', note: 'Meer proactief' })]);
      expect(r.snapshot).toEqual({ published: true });
      // No secrets, no way back from answers to a person.
      const text = res.body;
      expect(text).not.toContain(sha256Hex(round.token));
      expect(text).not.toContain('scrypt$');
      for (const id of round.responseIds) expect(text).not.toContain(id);
      expect(text).not.toMatch(/token_hash|access_hash|password/);
    });

    it('exports answers of closed rounds only as anonymous rows, k-anonymous over background and language', async () => {
      const closed = await seedRound(t.db, a, { name: 'Export gesloten', closedAt: new Date(Date.now() - 3600_000) });
      const exportRound = async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/export`, headers: staffHeaders(hrA) });
        expect(res.statusCode).toBe(200);
        return { body: res.body, round: res.json().rounds.find((x: { id: string }) => x.id === closed.id) };
      };
      // 2 respondents (< k): nothing.
      expect((await exportRound()).round).toMatchObject({ responsesWithheld: 'below_threshold', responses: [] });
      // 11 more: Zorg 6 (one in English), Techniek 7; age bands crossed with departments into cells of 1-4.
      const more: Array<{ department: string; age_band: string; language: 'nl' | 'en' }> = [
        ...Array.from({ length: 4 }, () => ({ department: 'Zorg', age_band: '25_34', language: 'nl' as const })),
        { department: 'Zorg', age_band: '55_plus', language: 'en' },
        ...Array.from({ length: 3 }, () => ({ department: 'Techniek', age_band: '25_34', language: 'nl' as const })),
        ...Array.from({ length: 3 }, () => ({ department: 'Techniek', age_band: '55_plus', language: 'nl' as const })),
      ];
      for (const [i, b] of more.entries()) {
        const r = await t.db
          .insertInto('responses')
          .values({ round_id: closed.id, form: 'employee', status: 'submitted', submitted_at: new Date(), ...b, access_hash: sha256Hex(`${closed.id}-more-${i}`) })
          .returning('id')
          .executeTakeFirstOrThrow();
        await t.db.insertInto('answers').values({ response_id: r.id, item_id: 'sd1', value: (i % 5) + 1 }).execute();
      }
      const { body, round } = await exportRound();
      expect(round.responsesWithheld).toBeNull();
      expect(round.responses).toHaveLength(13);
      expect(round.responses.map((x: { number: number }) => x.number)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
      const combos = new Map<string, number>();
      for (const x of round.responses as Array<{ language: string | null; background: Record<string, string | null>; status?: unknown }>) {
        expect(x).not.toHaveProperty('status');
        const key = JSON.stringify([x.language, x.background]);
        combos.set(key, (combos.get(key) ?? 0) + 1);
      }
      for (const [key, n] of combos) expect(n, key).toBeGreaterThanOrEqual(5);
      // The answers themselves are all there, with factors and anonymous placements.
      const seeded = round.responses.filter((x: { factors: Record<string, number> }) => x.factors.health === -1);
      expect(seeded).toHaveLength(2);
      expect(seeded[0]).toMatchObject({ form: 'employee', answers: { sd1: 4, sd2: null }, placements: [{ frame: 'current', x: 10, y: -20 }] });
      // The one English answer cannot be picked out.
      expect(round.responses.some((x: { language: string | null }) => x.language === 'en')).toBe(false);
      // Departments (6 + 7) are safe to keep.
      expect(round.responses.filter((x: { background: { department: string } }) => x.background.department === 'Techniek')).toHaveLength(7);
      for (const id of closed.responseIds) expect(body).not.toContain(id);
      expect(body).not.toMatch(/"(started|submitted|uses|submittedAt|startedAt)"/);
      // The same data twice: the same file (no order that changes with the moment of download).
      expect(JSON.stringify((await exportRound()).round.responses)).toBe(JSON.stringify(round.responses));
    });

    it('is for consultants and HR of the organisation only', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/export`, headers: staffHeaders(consultantA) })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/export`, headers: staffHeaders(directorA) })).statusCode).toBe(403);
      const other = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${a.organisationId}/export`, headers: staffHeaders(consultantB) });
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toContain(a.organisationName);
    });
  });

  describe('delete a round', () => {
    it('needs the exact round name and removes everything of that round only', async () => {
      const keep = await seedRound(t.db, a, { name: 'Blijft' });
      const round = await seedRound(t.db, a, { name: 'Weg ermee' });
      const url = `/api/v1/rounds/${round.id}`;
      expect((await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(directorA), payload: { confirm: 'Weg ermee' } })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(consultantB), payload: { confirm: 'Weg ermee' } })).statusCode).toBe(404);
      const wrong = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(hrA), payload: { confirm: 'weg ermee' } });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().code).toBe('confirmation_mismatch');
      expect((await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(hrA), payload: {} })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'DELETE', url, headers: { cookie: hrA.cookie }, payload: { confirm: 'Weg ermee' } })).statusCode).toBe(403);
      expect(await countOf(t.db, 'answers', round.id)).toBe(4);

      const ok = await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(hrA), payload: { confirm: 'Weg ermee' } });
      expect(ok.statusCode).toBe(204);
      expect(await t.db.selectFrom('rounds').select('id').where('id', '=', round.id).execute()).toHaveLength(0);
      for (const table of ['responses', 'invitations', 'placements', 'checklist_answers', 'round_snapshots'] as const) {
        expect(await countOf(t.db, table, round.id), table).toBe(0);
      }
      expect(await t.db.selectFrom('answers').select('item_id').where('response_id', 'in', round.responseIds).execute()).toHaveLength(0);
      expect(await countOf(t.db, 'answers', keep.id)).toBe(4);
      expect((await t.app.inject({ method: 'DELETE', url, headers: staffHeaders(hrA), payload: { confirm: 'Weg ermee' } })).statusCode).toBe(404);
    });
  });

  describe('retention', () => {
    let c: Tenant;
    beforeAll(async () => {
      c = await createTenant(t.db, { label: 'dr-retention' });
      await t.db.updateTable('organisations').set({ retention_months: 12 }).where('id', '=', c.organisationId).execute();
    });

    it('purges raw answers of closed rounds past retention, keeps aggregates, calls beforePurge first', async () => {
      const now = new Date();
      const expired = await seedRound(t.db, c, { closedAt: new Date(now.getTime() - 13 * MONTH) });
      const recent = await seedRound(t.db, c, { closedAt: new Date(now.getTime() - 11 * MONTH) });
      const open = await seedRound(t.db, c, {});
      const noRetention = await seedRound(t.db, a, { closedAt: new Date(now.getTime() - 60 * MONTH) });
      await t.db.insertInto('pool_entries').values({ round_id: expired.id, organisation_id: c.organisationId, mechanism_id: 'self_direction', sector: 'healthcare', size_class: 'medium', score: 3.5, favourable: 50, respondents: 5 }).execute();

      const seen: Array<{ roundId: string; responses: number }> = [];
      const result = await purgeExpiredRounds(t.db, now, {
        beforePurge: async (tx: Transaction<DB>, roundId: string) => {
          seen.push({ roundId, responses: await countOf(tx as unknown as Kysely<DB>, 'responses', roundId) });
        },
      });
      expect(result).toEqual({ purged: [expired.id], failed: [] });
      // The hook saw the raw data, inside the same transaction, before it went.
      expect(seen).toEqual([{ roundId: expired.id, responses: 2 }]);
      for (const table of ['responses', 'answers', 'factor_answers'] as const) expect(await countOf(t.db, table, expired.id), table).toBe(0);
      expect(await countOf(t.db, 'placements', expired.id)).toBe(1); // the director's named placement stays
      expect(await countOf(t.db, 'round_snapshots', expired.id)).toBe(1);
      expect(await countOf(t.db, 'pool_entries', expired.id)).toBe(1);
      expect(await countOf(t.db, 'checklist_answers', expired.id)).toBe(1);
      const row = await t.db.selectFrom('rounds').select(['raw_purged_at', 'status']).where('id', '=', expired.id).executeTakeFirstOrThrow();
      expect(row.raw_purged_at?.getTime()).toBe(now.getTime());
      expect(row.status).toBe('closed');
      for (const kept of [recent, open, noRetention]) expect(await countOf(t.db, 'answers', kept.id)).toBe(4);
      // A second run has nothing left to do.
      expect((await purgeExpiredRounds(t.db, now, { beforePurge: noHook })).purged).toEqual([]);
      // Two months later the recent one is due as well.
      expect((await purgeExpiredRounds(t.db, new Date(now.getTime() + 2 * MONTH), { beforePurge: noHook })).purged).toEqual([recent.id]);
    });

    it('rolls a round back when beforePurge throws, and carries on with the others', async () => {
      const now = new Date();
      const failing = await seedRound(t.db, c, { closedAt: new Date(now.getTime() - 20 * MONTH) });
      const fine = await seedRound(t.db, c, { closedAt: new Date(now.getTime() - 19 * MONTH) });
      const result = await purgeExpiredRounds(t.db, now, {
        beforePurge: async (_tx, roundId) => {
          if (roundId === failing.id) throw new Error('snapshot failed');
        },
      });
      expect(result.purged).toEqual([fine.id]);
      expect(result.failed).toEqual([{ roundId: failing.id, error: 'snapshot failed' }]);
      expect(await countOf(t.db, 'answers', failing.id)).toBe(4);
      expect((await t.db.selectFrom('rounds').select('raw_purged_at').where('id', '=', failing.id).executeTakeFirstOrThrow()).raw_purged_at).toBeNull();
      await t.db.deleteFrom('rounds').where('id', '=', failing.id).execute();
    });

    it('the sweep purges, removes expired sessions and day-old login attempts', async () => {
      const now = new Date();
      const expired = await seedRound(t.db, c, { closedAt: new Date(now.getTime() - 13 * MONTH) });
      const s = await login(t.app, c.hr.email, TEST_PASSWORD);
      await t.db.updateTable('sessions').set({ created_at: new Date(now.getTime() - 13 * 3600_000), expires_at: new Date(now.getTime() - 3600_000) }).where('id', '=', sha256Hex(s.cookie.split('=')[1]!)).execute();
      await t.db.insertInto('login_attempts').values({ email: 'old@example.nl', ip: '1.2.3.4', succeeded: false, attempted_at: new Date(now.getTime() - 25 * 3600_000) }).execute();
      const result = await runRetentionSweep(t.db, { now, roundClosed: t.app.roundHooks.roundClosed, beforePurge: noHook });
      expect(result.ran).toBe(true);
      if (!result.ran) return;
      expect(result.failed).toEqual([]);
      expect(result.purged).toContain(expired.id);
      expect(result.sessionsDeleted).toBeGreaterThanOrEqual(1);
      expect(result.loginAttemptsDeleted).toBeGreaterThanOrEqual(1);
      expect(await t.db.selectFrom('login_attempts').select('id').where('email', '=', 'old@example.nl').execute()).toHaveLength(0);
    });

    it('the timer sweeps and stops cleanly', async () => {
      const expired = await seedRound(t.db, c, { closedAt: new Date(Date.now() - 13 * MONTH) });
      let resolve!: (r: SweepResult) => void;
      const swept = new Promise<SweepResult>((r) => (resolve = r));
      const sweeper = startRetentionSweeper(t.db, { intervalMs: 3_600_000, firstDelayMs: 0, onSweep: resolve, roundClosed: t.app.roundHooks.roundClosed, beforePurge: noHook });
      const result = await swept;
      await sweeper.stop();
      expect(result.ran && result.purged).toContain(expired.id);
    });

    it.skipIf(driverName !== 'postgres')('skips the sweep while another instance holds the advisory lock', async () => {
      const expired = await seedRound(t.db, c, { closedAt: new Date(Date.now() - 13 * MONTH) });
      const other = new pg.Client({ connectionString: t.testDb.url });
      await other.connect();
      try {
        await other.query('select pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
        expect(await runRetentionSweep(t.db, { roundClosed: t.app.roundHooks.roundClosed, beforePurge: noHook })).toEqual({ ran: false });
        expect(await countOf(t.db, 'answers', expired.id)).toBe(4);
        await other.query('select pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
        const after = await runRetentionSweep(t.db, { roundClosed: t.app.roundHooks.roundClosed, beforePurge: noHook });
        expect(after.ran && after.purged).toContain(expired.id);
      } finally {
        await other.end();
      }
    });
  });

  it('an app with the sweep switched on starts and closes cleanly', async () => {
    const on = await setupTestApp({ NODE_ENV: 'development', RETENTION_SWEEP_MINUTES: '5' });
    await on.close();
  });
});
