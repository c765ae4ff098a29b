// A release's views are built from the round's placements and factor ratings read once
// (placementsOf, factorsOf); each view must get what a query under that view's filter returns
// (loadPlacements, loadFactors), on a seeded round with segments, placements and factors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFactors } from '../../scans/instruments/registry.js';
import { NOT_STATED_KEY } from '../../scans/result-model.js';
import { TIME_FRAMES } from '../../scans/types.js';
import type { SegmentFilter } from '../../server/results/aggregate.js';
import { loadAllPlacements, loadAllPlacementsStaged, loadPlacements, placementsOf, type Placements } from '../../server/results/sections/dialogue.js';
import { withSystemScope } from '../../server/auth/tenant-scope.js';
import { factorsOf, loadAllFactors, loadAllFactorsStaged, loadFactors } from '../../server/results/sections/factors.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { completeAnswers } from '../helpers/rounds.js';

let t: TestApp;
let roundId: string;
const DEPARTMENTS = ['Zorg', 'Techniek', 'Staf'];

beforeAll(async () => {
  t = await setupTestApp();
  const tenant = await createTenant(t.db);
  const round = await t.db
    .insertInto('rounds')
    .values({
      organisation_id: tenant.organisationId,
      name: 'Views',
      instrument_id: 'culture-scan@1',
      modules: ['culture_scan', 'dialogue_model', 'factors'],
      languages: ['nl'],
      departments: DEPARTMENTS,
      anonymity_threshold: 5,
      employee_placements: true,
      status: 'open',
      opened_at: new Date('2026-03-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  roundId = round.id;
  const factorIds = getFactors()!.groups.flatMap((g) => g.factors.map((f) => f.id));
  await t.db.transaction().execute(async (tx) => {
    for (let i = 0; i < 47; i++) {
      const employee = i % 8 !== 7;
      await insertSubmittedResponse(tx, roundId, {
        form: employee ? 'employee' : 'management',
        answers: completeAnswers(i),
        background: { department: i % 5 === 4 ? null : DEPARTMENTS[i % 3]!, age_band: i % 2 ? '35_44' : '25_34' },
        ...(employee
          ? {
              factors: Object.fromEntries(factorIds.slice(0, 4 + (i % 3)).map((f, j) => [f, j === 1 && i % 4 === 0 ? null : ((i + j) % 5) - 2])),
              ...(i % 6 === 5 ? {} : { placements: { current: { x: ((i * 7) % 41) - 20, y: ((i * 13) % 37) - 18 }, ...(i % 3 ? { desired: { x: (i % 9) * 3 - 12, y: 10 - (i % 7) * 3 } } : {}) } }),
            }
          : {}),
      });
    }
  });
});
afterAll(async () => t?.close());

const filters: Array<SegmentFilter | null> = [
  null,
  ...[...DEPARTMENTS, NOT_STATED_KEY].map((value) => ({ dimension: 'department' as const, value })),
  ...['35_44', '25_34'].map((value) => ({ dimension: 'age_band' as const, value })),
  { dimension: 'role', value: NOT_STATED_KEY },
];

/** A view's employee points (kept in columns per frame) as sorted "frame x y" lines. */
const sortedPoints = (p: Placements) =>
  TIME_FRAMES.flatMap((frame) => {
    const { n, x, y, at } = p.employeeFrames[frame];
    return Array.from({ length: n }, (_, i) => `${frame} ${x[at ? at[i]! : i]} ${y[at ? at[i]! : i]}`);
  }).sort();

describe(`views from data read once (${driverName})`, () => {
  it('placementsOf equals loadPlacements under every filter', async () => {
    const all = await loadAllPlacements(t.db, roundId);
    expect(all.points.n).toBeGreaterThan(30);
    for (const filter of filters) {
      const direct = await loadPlacements(t.db, roundId, filter);
      const derived = placementsOf(all, filter);
      const label = JSON.stringify(filter);
      expect(derived.staff, label).toEqual(direct.staff);
      expect(sortedPoints(derived), label).toEqual(sortedPoints(direct));
      const byFrame = new Map(direct.employee.map((e) => [e.frame, e]));
      expect(derived.employee.map((e) => e.frame).sort(), label).toEqual([...byFrame.keys()].sort());
      for (const e of derived.employee) {
        const d = byFrame.get(e.frame)!;
        expect(e.n, label).toBe(d.n);
        for (const [a, b] of [
          [e.mean.x, d.mean.x],
          [e.mean.y, d.mean.y],
          [e.meanDistance, d.meanDistance],
        ] as const) expect(a, label).toBeCloseTo(b, 9);
        for (const axis of ['x', 'y'] as const) {
          if (d.sd[axis] === null) expect(e.sd[axis], label).toBeNull();
          else expect(e.sd[axis]!, label).toBeCloseTo(d.sd[axis]!, 9);
        }
      }
    }
  });

  it('the placements read in chunks of respondents are those read at once, in the same order', async () => {
    const all = await loadAllPlacements(t.db, roundId);
    // In chunks of 4 respondents, each its own system-scoped transaction (the staged close's steps).
    const chunked = await loadAllPlacementsStaged((fn) => withSystemScope(t.db, fn), roundId, 4);
    expect(chunked.points.n).toBeGreaterThan(30);
    expect(JSON.stringify(chunked)).toBe(JSON.stringify(all));
  });

  it('factorsOf equals loadFactors under every filter', async () => {
    const all = await loadAllFactors(t.db, roundId);
    // In chunks of 4 respondents, each its own system-scoped transaction: the same counts.
    const chunked = await loadAllFactorsStaged((fn) => withSystemScope(t.db, fn), roundId, 4);
    for (const filter of filters) {
      const direct = await loadFactors(t.db, roundId, filter);
      const derived = factorsOf(all, filter);
      const fromChunks = factorsOf(chunked, filter);
      expect(fromChunks.respondents).toBe(direct.respondents);
      expect(fromChunks.rows.map((x) => `${x.factor_id} ${x.value} ${x.n}`).sort()).toEqual(derived.rows.map((x) => `${x.factor_id} ${x.value} ${x.n}`).sort());
      const rows = (r: typeof direct.rows) => r.map((x) => `${x.factor_id} ${x.value === null ? 'null' : Number(x.value)} ${Number(x.n)}`).sort();
      expect(derived.respondents, JSON.stringify(filter)).toBe(direct.respondents);
      expect(rows(derived.rows), JSON.stringify(filter)).toEqual(rows(direct.rows));
      if (filter === null) expect(direct.rows.length).toBeGreaterThan(5);
    }
  });
});
