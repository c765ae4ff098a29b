// Demo step: a completed round for the demo organisation, so every part of the result model has
// something to show right after `npm start`. All data is synthetic (seeded PRNG, deterministic) and
// labelled DEMO: a closed round "Leercultuurscan 2026 (DEMO)" with ~290 employees over five
// departments (ICT below the threshold), 8 management-form respondents, the SME checklist, named
// placements of the demo director and HR user, anonymous employee placements, factor ratings; an
// earlier closed round for the trend; and a handful of synthetic organisations (in their own demo
// consultancy, so the demo consultant's client list stays clean) in the benchmark pool.
import type { Transaction } from 'kysely';
import { getCultureScan, getFactors, getSmeChecklist } from '../../scans/instruments/registry.js';
import { MECHANISM_IDS, type MechanismId } from '../../scans/types.js';
import type { DB } from '../db/schema.js';
import { contributeToPool } from '../results/pool.js';
import { saveRoundSnapshot } from '../results/snapshots.js';
import type { DemoContext, DemoStep } from './seed.js';
import { insertSubmittedResponses } from '../rounds/bulk-insert.js';
import { prng } from '../lib/prng.js';

export const DEMO_ROUND_NAME = 'Leercultuurscan 2026 (DEMO)';
export const DEMO_PREVIOUS_ROUND_NAME = 'Leercultuurscan 2025 (DEMO)';
export const DEMO_POOL_CONSULTANCY_NAME = 'Benchmarkpool voorbeeldorganisaties (DEMO)';
export const DEMO_DEPARTMENTS = ['Zorg', 'Techniek', 'Facilitair', 'Staf', 'ICT'] as const;

type Rand = () => number;
const normal = (rand: Rand) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Keyed level per mechanism (1..5): self-direction and collaboration strong, organisation weak. */
const MECHANISM_LEVEL: Record<MechanismId, number> = {
  self_direction: 3.9,
  work_content: 3.6,
  room_safety: 3.3,
  collaborative_learning: 3.8,
  leadership: 3.2,
  organisation: 2.7,
  external_connection: 3.0,
};
/** Department offsets: Techniek lower on room and leadership, Staf higher on organisation. */
const DEPARTMENT_OFFSET: Record<string, Partial<Record<MechanismId, number>>> = {
  Zorg: { work_content: 0.2, collaborative_learning: 0.2, external_connection: -0.2 },
  Techniek: { room_safety: -0.5, leadership: -0.4, work_content: 0.1 },
  Facilitair: { work_content: -0.5, self_direction: -0.3, external_connection: -0.3 },
  Staf: { organisation: 0.5, external_connection: 0.4 },
  ICT: { external_connection: 0.6, room_safety: 0.3 },
};
/**
 * How much more positive management and HR are than employees, per mechanism. Work content is lower:
 * the published figures (58% of employees vs 31% of employers see much autonomy) point that way.
 */
const MANAGEMENT_EXTRA: Record<MechanismId, number> = {
  self_direction: 0.1,
  work_content: -0.35,
  room_safety: 0.5,
  collaborative_learning: 0.2,
  leadership: 0.85,
  organisation: 0.9,
  external_connection: 0.3,
};
/** The earlier round relative to now: most mechanisms improved since, leadership dropped. */
const PREVIOUS_SHIFT: Record<MechanismId, number> = {
  self_direction: -0.1,
  work_content: -0.2,
  room_safety: -0.3,
  collaborative_learning: 0,
  leadership: 0.3,
  organisation: -0.15,
  external_connection: -0.05,
};
/** Respondents per department (ICT under the threshold k = 5); 3 more leave the department empty. */
const DEPARTMENT_SIZES: Array<[string | null, number]> = [
  ['Zorg', 118],
  ['Techniek', 76],
  ['Facilitair', 46],
  ['Staf', 41],
  ['ICT', 3],
  [null, 3],
];

interface Respondent {
  form: 'employee' | 'management';
  department: string | null;
  role: 'employee' | 'manager' | null;
  education: string | null;
  contract: 'permanent' | 'flexible' | null;
  age_band: string | null;
  language: 'nl' | 'en';
  answers: Array<{ item_id: string; value: number | null }>;
  factors: Array<{ factor_id: string; value: number | null }>;
  placements: Array<{ frame: 'current' | 'desired'; x: number; y: number }>;
}

function synthesise(rand: Rand, opts: { shift: Partial<Record<MechanismId, number>>; withFactors: boolean; withPlacements: boolean }): Respondent[] {
  const scan = getCultureScan()!;
  const factorIds = opts.withFactors ? (getFactors()?.groups.flatMap((g) => g.factors.map((f) => f.id)) ?? []) : [];
  // Each factor leans stimulating or hindering for this organisation.
  const factorLean = new Map(factorIds.map((id) => [id, normal(rand) * 0.8]));
  const out: Respondent[] = [];
  const answer = (mech: MechanismId, department: string | null, trait: number, extra: number) => (reverse: boolean) => {
    if (rand() < 0.03) return null; // don't know
    const level = MECHANISM_LEVEL[mech] + (department ? (DEPARTMENT_OFFSET[department]?.[mech] ?? 0) : 0) + trait + extra + (opts.shift[mech] ?? 0);
    const keyed = Math.round(clamp(level + normal(rand) * 0.6, 1, 5));
    return reverse ? 6 - keyed : keyed;
  };
  const add = (form: Respondent['form'], department: string | null) => {
    // A general attitude plus one per scale: items of a scale hang together (alpha around 0.8).
    const general = normal(rand) * 0.35;
    const answers: Respondent['answers'] = [];
    // About 1 in 12 respondents stops early in one scale (partial answers, sometimes under 2/3).
    const partialScale = rand() < 0.08 ? pick(rand, MECHANISM_IDS) : null;
    for (const scale of scan.scales) {
      const extra = form === 'management' ? MANAGEMENT_EXTRA[scale.mechanism] : 0;
      const gen = answer(scale.mechanism, department, general + normal(rand) * 0.45, extra);
      const keep = partialScale === scale.mechanism ? 1 + Math.floor(rand() * (scale.items.length - 1)) : scale.items.length;
      scale.items.slice(0, keep).forEach((item) => answers.push({ item_id: item.id, value: gen(item.reverse) }));
    }
    const stated = (p: number) => rand() > p;
    out.push({
      form,
      department,
      role: form === 'management' ? null : stated(0.05) ? (rand() < 0.12 ? 'manager' : 'employee') : null,
      education: form === 'management' ? null : stated(0.06) ? pick(rand, ['basic', 'mbo', 'mbo', 'mbo', 'havo_vwo', 'hbo_wo', 'hbo_wo']) : null,
      contract: form === 'management' ? null : stated(0.05) ? (rand() < 0.22 ? 'flexible' : 'permanent') : null,
      age_band: form === 'management' ? null : stated(0.07) ? pick(rand, ['under_25', '25_34', '25_34', '35_44', '35_44', '45_54', '45_54', '55_plus']) : null,
      language: rand() < 0.08 ? 'en' : 'nl',
      answers,
      factors:
        form === 'employee'
          ? factorIds.map((factor_id) => ({ factor_id, value: rand() < 0.12 ? null : clamp(Math.round(normal(rand) * 1.0 + (factorLean.get(factor_id) ?? 0)), -2, 2) }))
          : [],
      placements:
        form === 'employee' && opts.withPlacements && rand() < 0.45
          ? [
              { frame: 'current', x: clamp(-15 + normal(rand) * 30, -100, 100), y: clamp(-25 + normal(rand) * 30, -100, 100) },
              { frame: 'desired', x: clamp(30 + normal(rand) * 28, -100, 100), y: clamp(35 + normal(rand) * 28, -100, 100) },
            ]
          : [],
    });
  };
  for (const [department, size] of DEPARTMENT_SIZES) for (let i = 0; i < size; i++) add('employee', department);
  for (let i = 0; i < 8; i++) add('management', null);
  return out;
}

function insertRespondents(tx: Transaction<DB>, roundId: string, respondents: Respondent[], day: Date): Promise<void> {
  return insertSubmittedResponses(
    tx,
    roundId,
    'demo',
    day,
    respondents.map(({ department, role, education, contract, age_band, ...r }) => ({ ...r, background: { department, role, education, contract, age_band } })),
  );
}

async function insertDemoPool(tx: Transaction<DB>, rand: Rand): Promise<void> {
  const existing = await tx.selectFrom('consultancies').select('id').where('name', '=', DEMO_POOL_CONSULTANCY_NAME).where('is_demo', '=', true).executeTakeFirst();
  if (existing) return;
  const consultancy = await tx
    .insertInto('consultancies')
    .values({ name: DEMO_POOL_CONSULTANCY_NAME, is_demo: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const profiles: Array<['healthcare' | 'education' | 'industry' | 'government', 'small' | 'medium' | 'large']> = [
    ['healthcare', 'medium'],
    ['healthcare', 'large'],
    ['healthcare', 'medium'],
    ['healthcare', 'small'],
    ['healthcare', 'medium'],
    ['healthcare', 'large'],
    ['education', 'medium'],
    ['education', 'large'],
    ['education', 'medium'],
    ['industry', 'medium'],
    ['industry', 'small'],
    ['government', 'large'],
  ];
  const orgs = await tx
    .insertInto('organisations')
    .values(
      profiles.map(([sector, size], i) => ({
        consultancy_id: consultancy.id,
        name: `Voorbeeldorganisatie ${String(i + 1).padStart(2, '0')} (DEMO)`,
        sector,
        size_class: size,
        is_demo: true,
      })),
    )
    .returning(['id', 'sector', 'size_class'])
    .execute();
  const rounds = await tx
    .insertInto('rounds')
    .values(
      orgs.map((o) => ({
        organisation_id: o.id,
        name: 'Leercultuurscan (DEMO)',
        instrument_id: 'culture-scan@1',
        modules: ['culture_scan'],
        status: 'closed' as const,
        is_demo: true,
        opened_at: new Date('2025-09-01T00:00:00Z'),
        closed_at: new Date('2025-10-01T00:00:00Z'),
      })),
    )
    .returning(['id', 'organisation_id'])
    .execute();
  const entries = rounds.flatMap((r) => {
    const org = orgs.find((o) => o.id === r.organisation_id)!;
    const orgShift = normal(rand) * 0.3;
    return MECHANISM_IDS.map((m) => ({
      round_id: r.id,
      organisation_id: org.id,
      is_demo: true,
      mechanism_id: m,
      sector: org.sector,
      size_class: org.size_class,
      score: clamp(MECHANISM_LEVEL[m] - 0.1 + orgShift + normal(rand) * 0.25, 1, 5),
      favourable: null,
      respondents: 20 + Math.floor(rand() * 200),
      contributed_at: new Date('2025-10-01T00:00:00Z'),
    }));
  });
  await tx.insertInto('pool_entries').values(entries).execute();
}

async function run(ctx: DemoContext): Promise<void> {
  const { tx, organisationId, users } = ctx;
  const existing = await tx.selectFrom('rounds').select('id').where('organisation_id', '=', organisationId).where('name', '=', DEMO_ROUND_NAME).executeTakeFirst();
  if (existing) return;
  const rand = prng(20260302);
  const scan = getCultureScan()!;

  // The earlier round (for the trend): slightly lower scores, culture scan only.
  const previous = await tx
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name: DEMO_PREVIOUS_ROUND_NAME,
      instrument_id: scan.id,
      modules: ['culture_scan'],
      languages: ['nl', 'en'],
      departments: [...DEMO_DEPARTMENTS],
      status: 'closed',
      is_demo: true,
      created_by: users.hr,
      opens_at: new Date('2025-02-03T00:00:00Z'),
      closes_at: new Date('2025-03-03T00:00:00Z'),
      opened_at: new Date('2025-02-03T00:00:00Z'),
      closed_at: new Date('2025-03-03T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertRespondents(tx, previous.id, synthesise(rand, { shift: PREVIOUS_SHIFT, withFactors: false, withPlacements: false }).slice(20), new Date('2025-02-17T00:00:00Z'));

  const round = await tx
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name: DEMO_ROUND_NAME,
      instrument_id: scan.id,
      modules: ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'],
      languages: ['nl', 'en'],
      departments: [...DEMO_DEPARTMENTS],
      employee_placements: true,
      status: 'closed',
      is_demo: true,
      created_by: users.hr,
      opens_at: new Date('2026-02-02T00:00:00Z'),
      closes_at: new Date('2026-03-02T00:00:00Z'),
      opened_at: new Date('2026-02-02T00:00:00Z'),
      closed_at: new Date('2026-03-02T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertRespondents(tx, round.id, synthesise(rand, { shift: {}, withFactors: true, withPlacements: true }), new Date('2026-02-16T00:00:00Z'));

  const checklist = getSmeChecklist();
  if (checklist) {
    const answers: Array<'yes' | 'no' | 'dont_know'> = ['no', 'no', 'yes', 'no', 'yes', 'yes', 'dont_know', 'yes', 'yes', 'yes'];
    await tx
      .insertInto('checklist_answers')
      .values(checklist.practices.map((p, i) => ({ round_id: round.id, practice_id: p.id, answer: answers[i % answers.length]!, answered_by: users.hr })))
      .execute();
  }
  const staff: Array<['director' | 'hr', string, Array<['past' | 'current' | 'desired', number, number]>]> = [
    ['director', users.director, [['past', -62, -55], ['current', -28, -12], ['desired', 38, 46]]],
    ['hr', users.hr, [['past', -40, -68], ['current', 12, -22], ['desired', 52, 30]]],
  ];
  await tx
    .insertInto('placements')
    .values(
      staff.flatMap(([group, userId, points]) =>
        points.map(([frame, x, y]) => ({
          round_id: round.id,
          participant_group: group,
          user_id: userId,
          frame,
          x,
          y,
          note: group === 'director' ? 'Demonstratieplaatsing (DEMO)' : null,
        })),
      ),
    )
    .execute();

  await insertDemoPool(tx, rand);
  await contributeToPool(tx, round.id);
  await saveRoundSnapshot(tx, previous.id);
  await saveRoundSnapshot(tx, round.id);
}

export const demoRoundStep: DemoStep = { name: 'results: completed demo round', run };
