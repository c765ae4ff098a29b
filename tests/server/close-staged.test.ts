// Closing a round in stages (closeRoundStaged): answers stop first, the release is built outside any
// long transaction in short steps, and a short transaction checks and closes. Other requests are not
// stuck behind the build (order of completion, not milliseconds), a failed build leaves the round
// answerable, a close a process left unfinished is finished by the auto-close, and a response that
// slips in during the build is not lost from the release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inline, loadResponseIds } from '../../server/results/aggregate.js';
import { composeRelease, composeReleaseStaged, responsesFingerprint } from '../../server/results/build.js';
import { resultRoundHooks, resultRoundHooksFor } from '../../server/results/hooks.js';
import { composeExtrasForRelease } from '../../server/results/modules/store.js';
import type { StoredRelease } from '../../server/results/release-store.js';
import { loadLatestRelease } from '../../server/results/release-store.js';
import { closeExpiredRounds } from '../../server/rounds/auto-close.js';
import type { PrepareClose, RoundClosedHandler } from '../../server/rounds/hooks.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../server/rounds/survey-session.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { completeAnswers, createOpenRound, sharedLink, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
// What the test does while the build runs (after the answers were stopped, before the close transaction).
let duringPrepare: ((roundId: string) => Promise<void>) | undefined;
const inner = resultRoundHooks.roundClosed;
const prepare: PrepareClose = async (run, roundId, now) => {
  const during = duringPrepare;
  const built = inner.prepare!(run, roundId, now);
  if (during) await during(roundId);
  return built;
};
// Called without a prepared build (a close that builds inside its transaction, as before the staged close),
// the test's step runs there instead, so the test tells the two apart.
// The tidying after the close transaction (the copied part of the release), which a test can make fail.
let afterClose = inner.afterClose!;
const roundClosed: RoundClosedHandler = Object.assign(
  async (tx: Parameters<RoundClosedHandler>[0], id: string, p?: unknown) => {
    if (p === undefined && duringPrepare) await duringPrepare(id);
    return inner(tx, id, p);
  },
  { prepare, afterClose: (run: Parameters<typeof afterClose>[0], id: string, p?: unknown) => afterClose(run, id, p) },
);

const DEPARTMENTS = ['Zorg', 'Techniek', 'Staf'];

async function seededRound(n: number, opts: { closesAt?: string } = {}) {
  const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: DEPARTMENTS, instrumentId: 'culture-scan@1', closesAt: opts.closesAt ?? '2099-01-01T00:00:00Z' });
  await t.db.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i++) {
      await insertSubmittedResponse(tx, round.id, {
        form: i % 10 === 9 ? 'management' : 'employee',
        answers: completeAnswers(i),
        background: { department: DEPARTMENTS[i % 3]!, age_band: i % 2 ? '35_44' : '25_34', education: i % 4 < 2 ? 'hbo_wo' : 'mbo' },
      });
    }
  });
  return round;
}

const close = (id: string) => t.app.inject({ method: 'POST', url: `/api/v1/rounds/${id}/close`, headers: a.as.hr });

beforeAll(async () => {
  t = await setupTestApp({}, { roundHooks: { ...resultRoundHooks, roundClosed } });
  a = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

describe(`closing a round in stages (${driverName})`, () => {
  it('a readiness check issued while the release is built completes before the close does', async () => {
    const round = await seededRound(90);
    const order: string[] = [];
    let health: Promise<unknown> | undefined;
    duringPrepare = async () => {
      // The build has started: this request must not wait for it.
      health = t.app.inject({ method: 'GET', url: '/health/ready' }).then((r) => {
        order.push(`health ${r.statusCode}`);
      });
    };
    const closing = close(round.id).then((r) => {
      order.push(`close ${r.statusCode}`);
      return r;
    });
    const res = await closing;
    await health;
    duringPrepare = undefined;
    expect(res.json()).toMatchObject({ status: 'closed', closesAt: '2099-01-01T00:00:00.000Z' });
    expect(order).toEqual(['health 200', 'close 200']);
    // The staged release is the one the in-transaction build would publish for the same responses.
    const stored = await loadLatestRelease(t.db, round.id);
    const fresh = await t.db.transaction().execute((tx) => composeRelease(tx, round.id, { now: new Date(stored!.createdAt) }, []));
    expect(Object.keys(stored!.segments).length).toBeGreaterThan(3);
    expect(stored!.covered).toEqual(fresh.covered);
    expect(JSON.stringify(Object.keys(stored!.segments).sort())).toBe(JSON.stringify(Object.keys(fresh.segments).sort()));
    expect(stored!.main.mechanisms).toEqual(fresh.main.mechanisms);
    expect(stored!.segments['department:Zorg']!.mechanisms).toEqual(fresh.segments['department:Zorg']!.mechanisms);
    // The close handlers ran: pool entries and the extras of release 1.
    expect((await t.db.selectFrom('pool_entries').select('mechanism_id').where('round_id', '=', round.id).execute()).length).toBeGreaterThan(0);
    expect(await t.db.selectFrom('result_extras').select('seq').where('round_id', '=', round.id).execute()).toEqual([{ seq: 1 }]);
  });

  it('the fingerprint the close checks changes when a submitted response is replaced by another, the count staying the same', async () => {
    const round = await seededRound(12);
    const before = await responsesFingerprint(t.db, round.id);
    expect(await responsesFingerprint(t.db, round.id)).toBe(before);
    const gone = await t.db.selectFrom('responses').select('id').where('round_id', '=', round.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    await t.db.deleteFrom('responses').where('id', '=', gone.id).execute();
    const fewer = await responsesFingerprint(t.db, round.id);
    expect(fewer).not.toBe(before);
    await insertSubmittedResponse(t.db, round.id, { form: 'employee', answers: completeAnswers(99), background: { department: DEPARTMENTS[0]! } });
    const replaced = await responsesFingerprint(t.db, round.id);
    expect(replaced.split(':')[0]).toBe(before.split(':')[0]);
    expect(replaced).not.toBe(before);
    expect(replaced).not.toBe(fewer);
  });

  it('refuses answers once the close has started', async () => {
    const round = await seededRound(6);
    const link = await sharedLink(t.app, a.as.hr, round.id);
    const respondent = (await t.app.inject({ method: 'POST', url: `/api/v1/survey/${link.token}/start`, payload: {} })).json().token as string;
    const headers = { [SURVEY_SESSION_HEADER]: surveySessionProof(respondent) };
    const save = () => t.app.inject({ method: 'PUT', url: `/api/v1/survey/${respondent}/answers`, payload: { answers: { [Object.keys(completeAnswers(0))[0]!]: 3 } }, headers });
    expect((await save()).statusCode).toBe(200);
    let during: { status: number; code: string; answerable: boolean } | undefined;
    duringPrepare = async (id) => {
      const res = await save();
      const dto = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${id}`, headers: a.as.hr })).json();
      during = { status: res.statusCode, code: res.json().code, answerable: dto.answerable };
    };
    expect((await close(round.id)).statusCode).toBe(200);
    duringPrepare = undefined;
    expect(during).toEqual({ status: 410, code: 'round_closed', answerable: false });
  });

  it('a failing build leaves the round open with its closing date, and it can be closed again', async () => {
    const round = await seededRound(6);
    duringPrepare = async () => {
      throw new Error('build failed');
    };
    const res = await close(round.id);
    duringPrepare = undefined;
    expect(res.statusCode).toBe(500);
    const stored = await t.db.selectFrom('rounds').select(['status', 'closed_at', 'closes_at']).where('id', '=', round.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'open', closed_at: null, closes_at: new Date('2099-01-01T00:00:00Z') });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}`, headers: a.as.hr })).json().answerable).toBe(true);
    expect((await close(round.id)).json()).toMatchObject({ status: 'closed' });
  });

  it('drops the part the release\'s unfiltered view was copied from after the close transaction; a failure there does not fail the close', async () => {
    const mainParts = (id: string) => t.db.selectFrom('result_release_parts').select('kind').where('round_id', '=', id).where('kind', '=', 'main').execute();
    const round = await seededRound(6);
    expect((await close(round.id)).json()).toMatchObject({ status: 'closed' });
    expect(await mainParts(round.id)).toEqual([]);
    const other = await seededRound(6);
    afterClose = async () => {
      throw new Error('tidying failed');
    };
    const res = await close(other.id);
    afterClose = inner.afterClose!;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed' });
    // Left behind, the part only takes space: the release reads from its row.
    expect(await mainParts(other.id)).toHaveLength(1);
    const release = await loadLatestRelease(t.db, other.id);
    expect(release?.seq).toBe(1);
    expect(release?.main.mechanisms.length).toBeGreaterThan(0);
  });

  it('a close that a process left after stopping the answers is finished by the auto-close sweep', async () => {
    const round = await seededRound(6);
    // What stage 1 leaves behind when the process dies during the build: open, closing date = the start.
    const stoppedAt = new Date(Date.now() - 1000);
    await t.db.updateTable('rounds').set({ closes_at: stoppedAt }).where('id', '=', round.id).execute();
    const result = await closeExpiredRounds(t.db, roundClosed);
    expect(result.closed).toContain(round.id);
    expect(result.failed).toEqual([]);
    expect((await t.db.selectFrom('rounds').select('status').where('id', '=', round.id).executeTakeFirstOrThrow()).status).toBe('closed');
    expect((await loadLatestRelease(t.db, round.id))?.covered).toHaveLength(6);
  });

  it('a response stored during the build (bypassing the stop) is in the release: the close transaction rebuilds', async () => {
    const round = await seededRound(6);
    duringPrepare = async (id) => {
      await t.db.transaction().execute((tx) => insertSubmittedResponse(tx, id, { form: 'employee', answers: completeAnswers(99), background: { department: 'Zorg' } }));
    };
    expect((await close(round.id)).statusCode).toBe(200);
    duringPrepare = undefined;
    expect((await loadLatestRelease(t.db, round.id))?.covered).toHaveLength(7);
  });

  it('the disclosure on a worker thread publishes exactly what it publishes in this thread (with an earlier release)', async () => {
    const round = await seededRound(60);
    expect((await close(round.id)).statusCode).toBe(200);
    const earlier = [(await loadLatestRelease(t.db, round.id))!];
    const now = new Date('2026-06-01T00:00:00Z');
    const compose = (from: number) => t.db.transaction().execute((tx) => composeRelease(tx, round.id, { now, discloseInWorkerFrom: from }, earlier));
    const [inThread, onWorker] = [await compose(Number.POSITIVE_INFINITY), await compose(0)];
    // The close's path: the response ids known first, so the worker is started before the answer pass.
    const startedAhead = await t.db.transaction().execute(async (tx) => {
      const run = inline(tx);
      return composeReleaseStaged(run, round.id, { now, discloseInWorkerFrom: 0 }, earlier, await loadResponseIds(run, round.id));
    });
    for (const other of [onWorker, startedAhead]) {
      expect(JSON.stringify(other.main)).toBe(JSON.stringify(inThread.main));
      expect(JSON.stringify(Object.entries(other.segments))).toBe(JSON.stringify(Object.entries(inThread.segments)));
      expect([...other.suppressed]).toEqual([...inThread.suppressed]);
    }
    expect(Object.keys(onWorker.segments).length).toBeGreaterThan(3);
    expect(onWorker.suppressed.size).toBeGreaterThan(0);
    expect(JSON.stringify(onWorker.main)).toBe(JSON.stringify(inThread.main));
    expect(JSON.stringify(Object.entries(onWorker.segments))).toBe(JSON.stringify(Object.entries(inThread.segments)));
    expect([...onWorker.suppressed]).toEqual([...inThread.suppressed]);
    expect(onWorker.covered).toEqual(inThread.covered);
  });

  it('the extras composed beside the release (the PostgreSQL close) are those composed after it, also when a respondent leaves during the build', async () => {
    type Prepared = { release: { release: StoredRelease | null; earlier: StoredRelease[] }; extras: { seq: number; extras: unknown } | null };
    const now = new Date('2026-06-01T00:00:00Z');
    const prepareWith = async (mode: 'postgres' | 'embedded', roundId: string, before?: (call: number) => Promise<void>) => {
      let calls = 0;
      const run = async <T,>(fn: Parameters<PrepareClose>[0] extends (f: infer F) => unknown ? F : never): Promise<T> => {
        await before?.(++calls);
        return t.db.transaction().execute(fn as never) as Promise<T>;
      };
      return (await resultRoundHooksFor(mode).roundClosed.prepare!(run as never, roundId, now)) as Prepared;
    };
    const afterIt = (p: Prepared) => composeExtrasForRelease(t.db, p.release.release!, p.release.earlier, new Map());

    const round = await seededRound(40);
    const [beside, after] = [await prepareWith('postgres', round.id), await prepareWith('embedded', round.id)];
    expect(beside.extras?.seq).toBe(1);
    expect(JSON.stringify(beside.extras?.extras)).toBe(JSON.stringify(after.extras?.extras));
    expect(JSON.stringify(beside.extras?.extras)).toBe(JSON.stringify(await afterIt(beside)));
    expect(JSON.stringify(beside.release.release?.main)).toBe(JSON.stringify(after.release.release?.main));

    // A respondent deleted once the ids were read (an erasure racing the build), at each step of the
    // build in turn: the release covers one fewer, and the extras are always those of the release as built.
    let differed = 0;
    for (let at = 3; at <= 12; at++) {
      const other = await seededRound(40);
      const gone = await t.db.selectFrom('responses').select('id').where('round_id', '=', other.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      const changed = await prepareWith('postgres', other.id, async (call) => {
        if (call === at) await t.db.deleteFrom('responses').where('id', '=', gone.id).execute();
      });
      const covered = changed.release.release?.covered ?? [];
      if (covered.length === 40) continue; // deleted after the pass had read it: the close transaction rebuilds
      differed++;
      expect(covered).not.toContain(gone.id);
      expect(JSON.stringify(changed.extras?.extras), `deleted at step ${at}`).toBe(JSON.stringify(await afterIt(changed)));
    }
    expect(differed).toBeGreaterThan(0);
  });

  it('the extras fed from the answer pass (motivation, learning mix, open answers, tenure and hours) are those read after the release, on both drivers\' close', async () => {
    type Prepared = { release: { release: StoredRelease | null; earlier: StoredRelease[] }; extras: { seq: number; extras: { motivation: { groups: unknown[] }; open: { groups: Array<{ prompts: unknown[] | null }> } } } | null };
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, {
      departments: DEPARTMENTS,
      instrumentId: 'culture-scan@1',
      closesAt: '2099-01-01T00:00:00Z',
      surveyModules: ['motivation', 'learning_mix', 'open_questions'],
    });
    const ways = ['doing', 'colleagues', 'searching', 'feedback', 'courses'] as const;
    await t.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 36; i++) {
        const employee = i % 9 !== 8;
        await insertSubmittedResponse(tx, round.id, {
          form: employee ? 'employee' : 'management',
          answers: completeAnswers(i),
          background: {
            department: DEPARTMENTS[i % 3]!,
            age_band: i % 2 ? '35_44' : '25_34',
            ...(employee ? { tenure: i % 4 === 0 ? 'over_10' : '2_5', contract_hours: i % 3 === 0 ? 'under_16' : 'over_32' } : {}),
          },
          ...(employee
            ? { modules: { motivation: { mo_aut1: 1 + (i % 5), mo_mst1: i % 7 === 0 ? null : 2 + (i % 3) }, learning: ways[i % 5]!, open: i % 2 ? { helps: `Samen oefenen ${i}` } : { change: `Meer tijd ${i}` } } }
            : {}),
        });
      }
    });
    const now = new Date('2026-06-01T00:00:00Z');
    const run = async <T,>(fn: Parameters<PrepareClose>[0] extends (f: infer F) => unknown ? F : never): Promise<T> => t.db.transaction().execute(fn as never) as Promise<T>;
    for (const mode of ['postgres', 'embedded'] as const) {
      const p = (await resultRoundHooksFor(mode).roundClosed.prepare!(run as never, round.id, now)) as Prepared;
      const read = await composeExtrasForRelease(t.db, p.release.release!, p.release.earlier, new Map());
      expect(p.extras?.extras.motivation.groups.length, mode).toBeGreaterThan(0);
      expect(p.extras?.extras.open.groups.some((g) => (g.prompts ?? []).length > 0), mode).toBe(true);
      expect(JSON.stringify(p.extras?.extras), mode).toBe(JSON.stringify(read));
    }
  });

  it('two closes at once: one closes, the other gets invalid_round_status', async () => {
    const round = await seededRound(6);
    const [r1, r2] = await Promise.all([close(round.id), close(round.id)]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    expect((r1.statusCode === 409 ? r1 : r2).json().code).toBe('invalid_round_status');
  });
});
