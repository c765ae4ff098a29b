// Results assembly in sections: a single view read from the stored release equals that view of the
// whole release (main, a segment, an absent key), a release is stored parsed (unknown keys dropped),
// and the sources of the sections are merged in citation order, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkSource } from '../../scans/result-model.js';
import { insertRelease, loadLatestRelease, loadLatestView } from '../../server/results/release-store.js';
import { mergeSources } from '../../server/results/sections/context.js';
import { closeRound } from '../../server/rounds/lifecycle.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant } from '../helpers/auth.js';
import { insertRound, respondMany } from './results-helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('stored views', () => {
  it('reads the main view and one segment view alone, the same as the whole release holds them', async () => {
    const tenant = await createTenant(t.db);
    const id = await insertRound(t.db, tenant.organisationId, { status: 'open', name: 'Secties', departments: ['Zorg', 'Techniek'] });
    await respondMany(t.db, id, 6, 'employee', '4 4 4 4 2 4', { department: 'Zorg' });
    await respondMany(t.db, id, 6, 'employee', '2 2 2 2 4 2', { department: 'Techniek' });
    await t.db.transaction().execute((tx) => closeRound(tx, id, t.app.roundHooks.roundClosed));
    const release = (await loadLatestRelease(t.db, id))!;
    expect(Object.keys(release.segments)).toContain('department:Zorg');
    const main = await loadLatestView(t.db, id, null);
    expect(main?.seq).toBe(release.seq);
    expect(main?.view).toEqual(release.main);
    expect((await loadLatestView(t.db, id, 'department:Zorg'))?.view).toEqual(release.segments['department:Zorg']);
    const absent = await loadLatestView(t.db, id, 'department:Nergens');
    expect(absent).toEqual({ seq: release.seq, view: undefined });
    expect(await loadLatestView(t.db, '00000000-0000-4000-8000-000000000000', null)).toBeUndefined();

    // What is written is the parsed model: a key outside the schema is not stored.
    const extra = { ...release.main, internal: 'not for readers' } as typeof release.main;
    await insertRelease(t.db, { roundId: id, seq: release.seq + 1, main: extra, segments: {}, covered: release.covered });
    const stored = await loadLatestView(t.db, id, null);
    expect(stored?.seq).toBe(release.seq + 1);
    expect(stored?.view).not.toHaveProperty('internal');
    expect(stored?.view).toEqual(release.main);
  });
});

describe('mergeSources', () => {
  const src = (id: string, n: number | null = null): BenchmarkSource => ({
    id,
    kind: 'published',
    label: { nl: id, en: id },
    source: 's',
    year: 2024,
    dataYear: null,
    population: null,
    n,
  });
  it('keeps citation order and the first citation of each source', () => {
    expect(mergeSources([src('a', 1), src('b')], [], [src('a', 2), src('c')]).map((s) => [s.id, s.n])).toEqual([
      ['a', 1],
      ['b', null],
      ['c', null],
    ]);
  });
});
