// Seeding shared by the bench scripts: the consultancy, organisation and round a bench measures
// (insertBenchRound), and the data of the modules besides the culture scan: factor ratings and dialogue
// placements of every submitted employee respondent of a round, the SME checklist, and a pool of other
// organisations (each with a closed round and seven scale scores) for the pool comparison.
import { sql, type Kysely } from 'kysely';
import { getFactors, getSmeChecklist, getCultureScan } from '../../scans/instruments/registry.js';
import { MECHANISM_IDS } from '../../scans/types.js';
import type { DB } from '../../server/db/schema.js';

/** Departments of the bench rounds: skewed when drawn with power(random, 1.6), the last one small. */
export const BENCH_DEPARTMENTS = ['Zorg', 'Techniek', 'Staf', 'ICT', 'Logistiek', 'Verkoop', 'Facilitair', 'Onderzoek'];

export interface BenchRoundOptions {
  consultancy?: string;
  organisation?: string;
  sector?: string;
  sizeClass?: 'micro' | 'small' | 'medium' | 'large';
  round: string;
  instrumentId?: string;
  /** Default: every module (culture scan, checklist, dialogue model, factors). */
  modules?: string[];
  languages?: Array<'nl' | 'en'>;
  departments?: string[];
  status: 'open' | 'closed';
  openedAt?: Date;
  closedAt?: Date;
}

/** A consultancy with one organisation and one round (employee placements on), inserted directly. */
export async function insertBenchRound(db: Kysely<DB>, o: BenchRoundOptions): Promise<{ consultancyId: string; organisationId: string; roundId: string }> {
  const consultancy = await db.insertInto('consultancies').values({ name: o.consultancy ?? 'Bench Adviseurs' }).returning('id').executeTakeFirstOrThrow();
  const org = await db
    .insertInto('organisations')
    .values({ consultancy_id: consultancy.id, name: o.organisation ?? 'Bench Organisatie', sector: o.sector ?? 'government', size_class: o.sizeClass ?? 'large' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const round = await db
    .insertInto('rounds')
    .values({
      organisation_id: org.id,
      name: o.round,
      instrument_id: o.instrumentId ?? getCultureScan()!.id,
      modules: o.modules ?? ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'],
      languages: o.languages ?? ['nl', 'en'],
      departments: o.departments ?? BENCH_DEPARTMENTS,
      employee_placements: true,
      status: o.status,
      opened_at: o.openedAt ?? new Date(Date.now() - 86_400_000),
      ...(o.closedAt ? { closed_at: o.closedAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { consultancyId: consultancy.id, organisationId: org.id, roundId: round.id };
}

export async function seedModuleData(db: Kysely<DB>, roundId: string, consultancyId: string, poolOrgs: number): Promise<void> {
  const scan = getCultureScan()!;
  const factorIds = getFactors()!.groups.flatMap((g) => g.factors.map((f) => f.id));
  await sql`
    insert into factor_answers (response_id, factor_id, value)
    select r.id, f, case when random() < 0.1 then null else floor(random() * 5)::int - 2 end
    from responses r cross join unnest(${factorIds}::text[]) as f
    where r.round_id = ${roundId} and r.form = 'employee'
  `.execute(db);
  await sql`
    insert into placements (round_id, participant_group, response_id, frame, x, y)
    select ${roundId}, 'employee', r.id, fr, (random() * 200 - 100)::float8, (random() * 200 - 100)::float8
    from responses r cross join unnest(array['current', 'desired']) as fr
    where r.round_id = ${roundId} and r.form = 'employee'
  `.execute(db);
  const practices = getSmeChecklist()!.practices;
  await db
    .insertInto('checklist_answers')
    .values(practices.map((p, i) => ({ round_id: roundId, practice_id: p.id, answer: i % 3 === 0 ? ('no' as const) : ('yes' as const) })))
    .execute();
  // The pool: other organisations, each with a closed round and seven scale scores.
  await sql`
    with o as (
      insert into organisations (consultancy_id, name, sector, size_class)
      select ${consultancyId}, 'Pool ' || g, (array['healthcare','education','manufacturing','government','retail'])[1 + g % 5],
             (array['micro','small','medium','large'])[1 + g % 4]
      from generate_series(1, ${poolOrgs}) g
      returning id, sector, size_class
    ), r as (
      insert into rounds (organisation_id, name, instrument_id, modules, status, opened_at, closed_at)
      select id, 'Pool', ${scan.id}, array['culture_scan'], 'closed', '2025-01-01', '2025-02-01' from o
      returning id, organisation_id
    )
    insert into pool_entries (round_id, organisation_id, mechanism_id, sector, size_class, score, favourable, respondents)
    select r.id, o.id, m, o.sector, o.size_class, 2 + random() * 2.5, random() * 100, 20 + floor(random() * 200)::int
    from r join o on o.id = r.organisation_id cross join unnest(${[...MECHANISM_IDS]}::text[]) m
  `.execute(db);
}
