// Releases in parts (migration 0022, issue 13 item 5): a staged close writes each segment view and the
// covered response ids as rows of result_release_parts, in short steps, and the release row (naming
// their build) last. Tested here on both drivers: the round trip through every reader; a reader while
// the parts are written sees the previous release whole (or none), never part of the new one; parts
// of a build that never got its row are never read and are deleted by the next release and by the
// retention purge; a release stored in the one-row layout of before 0022 is read and served byte for
// byte the same; another tenant reads none of the parts.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as migration0022 from '../../migrations/2026-12-01-0022-result-release-parts.js';
import { withTenantScope } from '../../server/auth/tenant-scope.js';
import { purgeExpiredRounds } from '../../server/data-rights/retention.js';
import type { DB } from '../../server/db/schema.js';
import {
  COVERED_PART_IDS,
  insertRelease,
  insertSerializedRelease,
  loadLatestRelease,
  loadLatestView,
  loadReleases,
  loadSnapshot,
  serializeRelease,
  writeReleaseParts,
  type StoredRelease,
} from '../../server/results/release-store.js';
import { servedCache } from '../../server/results/served.js';
import { closeRoundStaged } from '../../server/rounds/lifecycle.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, createTenant, type Tenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;
let a: Tenant;
let token: Record<string, string>;

const run = <T>(fn: (tx: Transaction<DB>) => Promise<T>) => t.db.transaction().execute(fn);

/** A round of tenant `a` with 12 employees in two departments, closed in stages (release 1). */
async function closedRound(name: string): Promise<string> {
  const id = await insertRound(t.db, a.organisationId, { status: 'open', name, departments: ['Zorg', 'Techniek'] });
  await respondMany(t.db, id, 6, 'employee', '4 4 4 4 2 4', { department: 'Zorg' });
  await respondMany(t.db, id, 6, 'employee', '2 2 2 2 4 2', { department: 'Techniek' });
  await closeRoundStaged(run, id, t.app.roundHooks.roundClosed);
  return id;
}

async function parts(roundId: string): Promise<Array<{ seq: number; build: string; kind: string; part_key: string }>> {
  const rows = await t.db.selectFrom('result_release_parts').select(['seq', 'build', 'kind', 'part_key']).where('round_id', '=', roundId).orderBy('seq').orderBy('kind').orderBy('part_key').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

async function get(url: string): Promise<Buffer> {
  const res = await t.app.inject({ method: 'GET', url, headers: token });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.rawPayload;
}

beforeAll(async () => {
  t = await setupTestApp();
  a = await createTenant(t.db, { label: 'parts-a' });
  token = bearer(await createApiTokenFor(t.db, { consultancyId: a.consultancyId }));
});

afterAll(async () => {
  await t?.close();
});

describe(`releases in parts (${driverName})`, () => {
  let roundId: string;
  let first: StoredRelease;

  it('a staged close stores each segment view and the covered ids as parts; the row names their build; every reader gets the release back', async () => {
    roundId = await closedRound('Delen');
    const row = await t.db
      .selectFrom('result_releases')
      .select(['seq', 'parts_build', sql<string>`segments::text`.as('segments'), sql<string>`covered_responses::text`.as('covered')])
      .where('round_id', '=', roundId)
      .executeTakeFirstOrThrow();
    expect(row.parts_build).toMatch(/^[0-9a-f-]{36}$/);
    expect({ segments: row.segments, covered: row.covered }).toEqual({ segments: '{}', covered: '[]' });

    first = (await loadLatestRelease(t.db, roundId))!;
    expect(first.seq).toBe(1);
    expect(Object.keys(first.segments)).toEqual(expect.arrayContaining(['department:Zorg', 'department:Techniek']));
    const stored = await parts(roundId);
    // One part per segment view and one of covered ids, all of the row's build; the unfiltered view is in the row only.
    expect(stored.every((p) => p.build === row.parts_build && p.seq === 1)).toBe(true);
    expect(stored.filter((p) => p.kind === 'segment').map((p) => p.part_key).sort()).toEqual(Object.keys(first.segments).sort());
    expect(stored.filter((p) => p.kind === 'covered').map((p) => p.part_key)).toEqual(['0']);
    expect(stored.filter((p) => p.kind === 'main')).toEqual([]);

    const submitted = await t.db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('status', '=', 'submitted').execute();
    expect([...first.covered].sort()).toEqual(submitted.map((r) => r.id).sort());
    expect((await loadLatestView(t.db, roundId, null))?.view).toEqual(first.main);
    for (const [key, view] of Object.entries(first.segments)) expect((await loadLatestView(t.db, roundId, key))?.view, key).toEqual(view);
    expect(await loadLatestView(t.db, roundId, 'department:Nergens')).toEqual({ seq: 1, view: undefined });
    expect(await loadReleases(t.db, roundId)).toEqual([first]);
    expect(await loadSnapshot(t.db, roundId)).toEqual(first.main);
    expect(first.main.mechanisms.find((m) => m.mechanismId === 'work_content')!.score).toMatchObject({ n: 12 });
  });

  it('covered ids of more than one part come back whole and in order', async () => {
    const covered = Array.from({ length: 2 * COVERED_PART_IDS + 7 }, () => randomUUID());
    await insertRelease(t.db, { roundId, seq: 2, main: first.main, segments: first.segments, covered });
    const latest = (await loadLatestRelease(t.db, roundId))!;
    expect(latest.seq).toBe(2);
    expect(latest.covered).toEqual(covered);
    expect(latest.segments).toEqual(first.segments);
    expect((await parts(roundId)).filter((p) => p.seq === 2 && p.kind === 'covered').map((p) => p.part_key)).toEqual(['0', '1', '2']);
  });

  it('while the parts of a release are written, readers see the previous release whole; the row makes the new one visible at once', async () => {
    const before = (await loadLatestRelease(t.db, roundId))!;
    // Release 3 publishes one segment view only, so a reader that mixed the two would show it.
    const next = serializeRelease({ roundId, seq: 3, main: first.main, segments: { 'department:Zorg': first.segments['department:Zorg']! }, covered: first.covered });
    const seen: Array<{ seq: number | undefined; keys: string[]; techniek: boolean; main: number | undefined }> = [];
    const observe = async () => {
      const latest = await loadLatestRelease(t.db, roundId);
      const techniek = await loadLatestView(t.db, roundId, 'department:Techniek');
      const main = await loadLatestView(t.db, roundId, null);
      seen.push({ seq: latest?.seq, keys: Object.keys(latest?.segments ?? {}).sort(), techniek: techniek?.view !== undefined, main: main?.seq });
    };
    await writeReleaseParts(async (fn) => {
      const r = await run(fn);
      await observe();
      return r;
    }, next);
    expect(seen.length).toBe(3); // main, one segment view, one part of covered ids
    const whole = { seq: before.seq, keys: Object.keys(before.segments).sort(), techniek: true, main: before.seq };
    for (const s of seen) expect(s).toEqual(whole);

    await run(async (tx) => {
      await insertSerializedRelease(tx, next);
      if (driverName === 'postgres') {
        // Another connection, before this transaction commits: still the previous release.
        seen.length = 0;
        await observe();
        expect(seen).toEqual([whole]);
      }
    });
    seen.length = 0;
    await observe();
    expect(seen).toEqual([{ seq: 3, keys: ['department:Zorg'], techniek: false, main: 3 }]);
  });

  it('with steps on connections of their own (overlap) writes two parts at a time, every part once, and takes no new step after a failure', async () => {
    const wide = serializeRelease({ roundId, seq: 7, main: first.main, segments: first.segments, covered: first.covered });
    const count = 1 + wide.segments.length + wide.covered.length;
    let active = 0;
    let most = 0;
    let steps = 0;
    const overlapping = Object.assign(
      async <T,>(fn: (tx: Transaction<DB>) => Promise<T>) => {
        steps++;
        most = Math.max(most, ++active);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await run(fn);
        } finally {
          active--;
        }
      },
      { overlap: true },
    );
    await writeReleaseParts(overlapping, wide);
    expect(most).toBe(2);
    expect(steps).toBe(count);
    expect((await parts(roundId)).filter((p) => p.build === wide.build).length).toBe(count);

    const broken = serializeRelease({ roundId, seq: 8, main: first.main, segments: first.segments, covered: first.covered });
    let calls = 0;
    const failing = Object.assign(
      async <T,>(fn: (tx: Transaction<DB>) => Promise<T>) => {
        const call = ++calls;
        await new Promise((r) => setTimeout(r, 5));
        if (call === 2) throw new Error('connection lost');
        return run(fn);
      },
      { overlap: true },
    );
    await expect(writeReleaseParts(failing, broken)).rejects.toThrow('connection lost');
    // The other writer may finish the step it had begun, but none starts after the failure: not before
    // the call returns, and not later.
    const atFailure = calls;
    expect(atFailure).toBeGreaterThanOrEqual(2);
    expect(atFailure).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(atFailure);
    expect((await parts(roundId)).filter((p) => p.build === broken.build).length).toBe(atFailure - 1);
  });

  it('parts of a build that never got its row are never read; the next release and the retention purge delete them', async () => {
    const orphan = serializeRelease({ roundId, seq: 4, main: first.main, segments: first.segments, covered: first.covered });
    await writeReleaseParts(run, orphan);
    expect((await loadLatestRelease(t.db, roundId))!.seq).toBe(3);
    expect((await parts(roundId)).filter((p) => p.build === orphan.build).length).toBe(1 + Object.keys(first.segments).length + 1);

    // A later release of the round (another build of the same seq) deletes them.
    await insertRelease(t.db, { roundId, seq: 4, main: first.main, segments: first.segments, covered: first.covered });
    const after = await parts(roundId);
    expect(after.filter((p) => p.build === orphan.build)).toEqual([]);
    expect(after.filter((p) => p.seq === 4 && p.kind === 'segment').length).toBe(Object.keys(first.segments).length);
    const kept = after.length;

    // The retention purge (a close that failed, then the round expired).
    const orphan5 = serializeRelease({ roundId, seq: 5, main: first.main, segments: first.segments, covered: first.covered });
    await writeReleaseParts(run, orphan5);
    await t.db.updateTable('organisations').set({ retention_months: 12 }).where('id', '=', a.organisationId).execute();
    try {
      const purge = await purgeExpiredRounds(t.db, new Date(Date.now() + 2 * 366 * 24 * 3600 * 1000), { beforePurge: t.app.roundHooks.beforePurge });
      expect(purge.purged).toContain(roundId);
    } finally {
      await t.db.updateTable('organisations').set({ retention_months: null }).where('id', '=', a.organisationId).execute();
    }
    const purged = await parts(roundId);
    expect(purged.filter((p) => p.build === orphan5.build)).toEqual([]);
    expect(purged.length).toBe(kept); // the published releases keep their parts
    // The published segment views outlive the raw answers.
    const zorg = JSON.parse((await get(`/api/v1/rounds/${roundId}/results?segment=department:Zorg`)).toString()) as { meta: { source: string } };
    expect(zorg.meta.source).toBe('snapshot');
  });

  it('a release stored in the one-row layout (before migration 0022) is read and served byte for byte the same', async () => {
    const id = await closedRound('Oude vorm');
    const urls = [
      `/api/v1/rounds/${id}/results`,
      `/api/v1/rounds/${id}/results?segment=department:Zorg`,
      `/api/v1/rounds/${id}/results?segment=department:Techniek`,
      `/api/v1/rounds/${id}/results.csv`,
    ];
    const inParts = await Promise.all(urls.map((u) => get(u)));
    const release = (await loadLatestRelease(t.db, id))!;
    // Rewrite it as the old code stored it: every view and the covered ids in the row, no parts.
    await run(async (tx) => {
      await sql`
        update result_releases r set
          segments = (select jsonb_object_agg(p.part_key, p.body) from result_release_parts p where p.round_id = r.round_id and p.build = r.parts_build and p.kind = 'segment'),
          covered_responses = (select p.body from result_release_parts p where p.round_id = r.round_id and p.build = r.parts_build and p.kind = 'covered' and p.part_key = '0'),
          parts_build = null
        where r.round_id = ${id}::uuid`.execute(tx);
      await tx.deleteFrom('result_release_parts').where('round_id', '=', id).execute();
    });
    const row = await t.db.selectFrom('result_releases').select(['parts_build', sql<number>`jsonb_array_length(covered_responses)`.as('n')]).where('round_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ parts_build: null, n: 12 });
    expect(await loadLatestRelease(t.db, id)).toEqual(release);
    servedCache(t.app.db).clear();
    const oneRow = await Promise.all(urls.map((u) => get(u)));
    for (let i = 0; i < urls.length; i++) expect(oneRow[i]!.equals(inParts[i]!), urls[i]).toBe(true);
  });

  it('another tenant reads none of the parts, the own tenant reads them', async () => {
    const b = await createTenant(t.db, { label: 'parts-b' });
    const as = (x: Tenant) => ({ kind: 'token' as const, tokenId: randomUUID(), consultancyId: x.consultancyId, organisationId: null });
    const count = (x: Tenant) =>
      withTenantScope(t.app.db, as(x), async (tx) => Number((await tx.selectFrom('result_release_parts').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).executeTakeFirstOrThrow()).n));
    expect(await count(a)).toBeGreaterThan(0);
    expect(await count(b)).toBe(0);
    // Nor can it write a part for another tenant's round.
    await expect(
      withTenantScope(t.app.db, as(b), (tx) =>
        tx.insertInto('result_release_parts').values({ round_id: roundId, seq: 9, build: randomUUID(), kind: 'segment', part_key: 'x:y', body: '{}' }).execute(),
      ),
    ).rejects.toThrow(/row-level security|policy/);
  });

  it('migration 0022 down folds releases in parts back into their rows, and up again reads them the same', async () => {
    const id = await closedRound('Terug');
    const release = (await loadLatestRelease(t.db, id))!;
    expect(Object.keys(release.segments).length).toBeGreaterThan(1);
    await migration0022.down(t.db);
    const row = await t.db
      .selectFrom('result_releases')
      .select([sql<string[]>`array(select jsonb_object_keys(segments) order by 1)`.as('keys'), sql<number>`jsonb_array_length(covered_responses)`.as('n')])
      .where('round_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ keys: Object.keys(release.segments).sort(), n: 12 });
    await migration0022.up(t.db);
    expect(await loadLatestRelease(t.db, id)).toEqual(release);
  });
});
