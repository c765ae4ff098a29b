// The release build decides disclosure on classes of interchangeable respondents (ContributionTable,
// weighted bit sets) instead of one bit per respondent. This test builds the releases of random rounds
// (small ones near k, missing and "don't know" answers, all five segment dimensions, both forms,
// placements and factor ratings, reopened rounds with an earlier release) through the production path,
// and through the disclosure layer as it was before (disclosure-before.ts: one bit per respondent,
// respondents one by one), from the same candidate views, and requires byte-identical output: the
// unfiltered view, every segment view (and their order), and every suppression with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCultureScan, getFactors } from '../../scans/instruments/registry.js';
import { compositesOf, ContributionTable } from '../../scans/disclosure/model.js';
import { AGE_BAND_VALUES, CONTRACT_VALUES, EDUCATION_VALUES, ROLE_VALUES } from '../../scans/instruments/background.js';
import { inline, loadContributions } from '../../server/results/aggregate.js';
import { candidateViews, composeRelease } from '../../server/results/build.js';
import { loadReleases } from '../../server/results/release-store.js';
import { withPriorities } from '../../server/results/sections/priorities.js';
import { closeRound, reopenRound } from '../../server/rounds/lifecycle.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { createTenant } from '../helpers/auth.js';
import { discloseReleaseBefore } from './disclosure-before.js';
import { prng } from '../../server/lib/prng.js';

const K = 5;
const NOW = new Date('2026-06-01T12:00:00Z');


type Person = Parameters<typeof insertSubmittedResponse>[2];

/** People of a random round; a third copy an earlier person's background and answers (so classes hold several). */
function people(rnd: () => number, n: number, departments: readonly string[], itemIds: readonly string[], factorIds: readonly string[]): Person[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const maybe = <T,>(x: T, p = 0.8): T | undefined => (rnd() < p ? x : undefined);
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    if (out.length > 0 && rnd() < 0.33) {
      out.push(structuredClone(pick(out)));
      continue;
    }
    const management = rnd() < 0.15;
    const answers: Record<string, number | null> = {};
    const skipRate = rnd() < 0.3 ? 0.4 : 0.08;
    for (const id of itemIds) {
      const r = rnd();
      if (r < skipRate) continue;
      answers[id] = r < skipRate + 0.05 ? null : 1 + Math.floor(rnd() * 5);
    }
    if (management) {
      out.push({ form: 'management', answers, background: { ...(rnd() < 0.7 ? { role: 'hr' } : {}) } });
      continue;
    }
    const background: NonNullable<Person['background']> = {};
    const dept = maybe(pick(departments));
    if (dept) background.department = dept;
    const role = maybe(pick(ROLE_VALUES));
    if (role) background.role = role;
    const education = maybe(pick(EDUCATION_VALUES), 0.6);
    if (education) background.education = education;
    const contract = maybe(pick(CONTRACT_VALUES));
    if (contract) background.contract = contract;
    const age = maybe(pick(AGE_BAND_VALUES.slice(0, 3)));
    if (age) background.age_band = age;
    const factors: Record<string, number | null> = {};
    if (rnd() < 0.8) for (const f of factorIds) if (rnd() < 0.7) factors[f] = rnd() < 0.15 ? null : Math.floor(rnd() * 5) - 2;
    const frames = (['current', 'desired'] as const).filter(() => rnd() < 0.7);
    out.push({
      form: 'employee',
      answers,
      background,
      factors,
      ...(frames.length > 0 ? { placements: Object.fromEntries(frames.map((f) => [f, { x: Math.round(rnd() * 200 - 100), y: Math.round(rnd() * 200 - 100) }])) } : {}),
    });
  }
  return out;
}

let t: TestApp;
let organisationId: string;

beforeAll(async () => {
  t = await setupTestApp();
  organisationId = (await createTenant(t.db)).organisationId;
});

afterAll(async () => {
  await t?.close();
});

describe('release build on classes of respondents', () => {
  const scan = getCultureScan('culture-scan@1')!;
  const itemIds = scan.scales.flatMap((s) => s.items.map((i) => i.id));
  const factorIds = getFactors()!.groups.flatMap((g) => g.factors.map((f) => f.id)).slice(0, 5);

  /** Builds the release of the round as it stands both ways and compares them. */
  async function compare(roundId: string, opts: { worker?: boolean } = {}) {
    const earlier = await loadReleases(t.db, roundId);
    const composed = await composeRelease(t.db, roundId, { now: NOW, ...(opts.worker ? { discloseInWorkerFrom: 0 } : {}) }, earlier);
    const { k, views, instrument } = await candidateViews(inline(t.db), roundId, { now: NOW });
    const contributions = await loadContributions(t.db, roundId, instrument);
    const position = new Map(contributions.map((c, i) => [c.responseId, i]));
    const before = discloseReleaseBefore({
      k,
      views,
      respondents: contributions,
      earlier: earlier.map((r) => ({
        views: [r.main, ...Object.values(r.segments)],
        covered: r.covered.map((id) => position.get(id)).filter((i): i is number => i !== undefined),
      })),
    });
    expect(JSON.stringify(composed.main)).toBe(JSON.stringify(withPriorities(instrument, before.main)));
    expect(Object.keys(composed.segments)).toEqual([...before.segments.keys()]);
    for (const [key, view] of before.segments) expect(JSON.stringify(composed.segments[key]), key).toBe(JSON.stringify(withPriorities(instrument, view)));
    expect([...composed.suppressed]).toEqual([...before.suppressed]);
    expect(composed.covered).toEqual(contributions.map((c) => c.responseId));
    return { contributions, views, suppressed: before.suppressed.size, segments: before.segments.size };
  }

  async function newRound(departments: string[]) {
    const { id } = await t.db
      .insertInto('rounds')
      .values({
        organisation_id: organisationId,
        name: 'Klassen',
        instrument_id: 'culture-scan@1',
        modules: ['culture_scan', 'dialogue_model', 'factors'],
        languages: ['nl'],
        departments,
        anonymity_threshold: K,
        employee_placements: true,
        status: 'open',
        opened_at: new Date('2026-03-01T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  const insert = async (roundId: string, ps: readonly Person[]) => {
    for (const p of ps) await t.db.transaction().execute((tx) => insertSubmittedResponse(tx, roundId, p));
  };

  it('publishes byte for byte what the per-respondent decision published, on random rounds of 3 to 150 people', async () => {
    let merged = 0;
    let suppressions = 0;
    let segmentViews = 0;
    const sizes = [3, 4, 5, 6, 7, 9, 11, 14, 19, 26, 40, 150];
    for (const [i, n] of sizes.entries()) {
      const rnd = prng(1000 + i);
      const departments = ['Zorg', 'Techniek', 'Staf', 'ICT'].slice(0, 1 + (i % 4));
      const roundId = await newRound(departments);
      await insert(roundId, people(rnd, n, departments, itemIds, factorIds));
      const { contributions, views, suppressed, segments } = await compare(roundId, { worker: i === sizes.length - 1 });
      suppressions += suppressed;
      segmentViews += segments;
      // Respondents with identical contributions share a class (the weights are exercised, not only 1s).
      const table = ContributionTable.ofRespondents(compositesOf(views[0]!), contributions).data();
      if (table.families.some((f) => f.counts.some((c) => c > 1))) merged++;
    }
    expect(merged).toBeGreaterThan(sizes.length / 2);
    expect(suppressions).toBeGreaterThan(0);
    expect(segmentViews).toBeGreaterThan(0);
  }, 180_000);

  it('is byte-identical with earlier releases as fixed figures (reopened rounds, k or fewer added)', async () => {
    for (const [i, [first, added]] of ([[12, 6], [9, 3], [30, 5], [8, 11]] as const).entries()) {
      const rnd = prng(2000 + i);
      const departments = ['Zorg', 'Techniek', 'Staf'].slice(0, 2 + (i % 2));
      const roundId = await newRound(departments);
      await insert(roundId, people(rnd, first, departments, itemIds, factorIds));
      await t.db.transaction().execute((tx) => closeRound(tx, roundId, t.app.roundHooks.roundClosed));
      await t.db.transaction().execute((tx) => reopenRound(tx, roundId));
      await insert(roundId, people(rnd, added, departments, itemIds, factorIds));
      expect((await loadReleases(t.db, roundId)).length).toBe(1);
      await compare(roundId, { worker: i === 0 });
    }
  }, 180_000);
});
