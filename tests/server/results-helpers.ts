// Fixtures for the results, pool, export and import tests: rounds inserted directly and responses
// written through insertSubmittedResponse of tests/helpers/responses.ts (validated like the survey API).
import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.js';
import { insertSubmittedResponse } from '../helpers/responses.js';

export const WC_ITEMS = ['wc1', 'wc2', 'wc3', 'wc4', 'wc5', 'wc6'] as const;

export interface RoundOptions {
  name?: string;
  status?: 'draft' | 'open' | 'closed';
  departments?: string[];
  modules?: Array<'culture_scan' | 'sme_checklist' | 'dialogue_model' | 'factors'>;
  k?: number;
  closedAt?: Date;
  isDemo?: boolean;
}

export async function insertRound(db: Kysely<DB>, organisationId: string, o: RoundOptions = {}): Promise<string> {
  const status = o.status ?? 'closed';
  const row = await db
    .insertInto('rounds')
    .values({
      organisation_id: organisationId,
      name: o.name ?? 'Testmeting',
      instrument_id: 'culture-scan@1',
      modules: o.modules ?? ['culture_scan'],
      languages: ['nl', 'en'],
      departments: o.departments ?? [],
      anonymity_threshold: o.k ?? 5,
      status,
      is_demo: o.isDemo ?? false,
      opened_at: status === 'draft' ? null : new Date('2026-03-01T00:00:00Z'),
      closed_at: status === 'closed' ? (o.closedAt ?? new Date('2026-04-01T00:00:00Z')) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * One submitted response. `pattern` lists raw answers of the given items separated by spaces:
 * 1-5, "dk" for don't know, "-" for not answered.
 */
export async function respond(
  db: Kysely<DB>,
  roundId: string,
  form: 'employee' | 'management',
  pattern: string,
  background: Partial<Record<'department' | 'role' | 'education' | 'contract' | 'age_band', string>> = {},
  items: readonly string[] = WC_ITEMS,
): Promise<string> {
  const cells = pattern.trim().split(/\s+/);
  if (cells.length !== items.length) throw new Error(`pattern "${pattern}" has ${cells.length} cells for ${items.length} items`);
  const answers: Record<string, number | null> = {};
  cells.forEach((c, i) => {
    if (c === '-') return;
    answers[items[i]!] = c === 'dk' ? null : Number(c);
  });
  const { id } = await db.transaction().execute((tx) => insertSubmittedResponse(tx, roundId, { form, answers, background, channel: 'demo' }));
  return id;
}

/** Inserts `count` identical responses. */
export async function respondMany(
  db: Kysely<DB>,
  roundId: string,
  count: number,
  form: 'employee' | 'management',
  pattern: string,
  background: Partial<Record<'department' | 'role' | 'education' | 'contract' | 'age_band', string>> = {},
): Promise<void> {
  for (let i = 0; i < count; i++) await respond(db, roundId, form, pattern, background);
}

export async function insertOrganisation(db: Kysely<DB>, consultancyId: string, name: string, sector = 'healthcare', sizeClass: 'micro' | 'small' | 'medium' | 'large' = 'medium', isDemo = false) {
  const row = await db
    .insertInto('organisations')
    .values({ consultancy_id: consultancyId, name, sector, size_class: sizeClass, is_demo: isDemo })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A pool entry of another organisation (with the closed round it needs). */
export async function insertPoolEntry(
  db: Kysely<DB>,
  o: {
    consultancyId: string;
    mechanism: string;
    score: number;
    sector?: string;
    sizeClass?: 'micro' | 'small' | 'medium' | 'large';
    isDemo?: boolean;
    organisationId?: string;
    contributedAt?: Date;
  },
): Promise<string> {
  const orgId = o.organisationId ?? (await insertOrganisation(db, o.consultancyId, `Pool org ${Math.random().toString(36).slice(2, 8)}`, o.sector, o.sizeClass, o.isDemo));
  const roundId = await insertRound(db, orgId, { isDemo: o.isDemo });
  await db
    .insertInto('pool_entries')
    .values({
      round_id: roundId,
      organisation_id: orgId,
      is_demo: o.isDemo ?? false,
      mechanism_id: o.mechanism,
      sector: o.sector ?? 'healthcare',
      size_class: o.sizeClass ?? 'medium',
      score: o.score,
      favourable: null,
      respondents: 20,
      ...(o.contributedAt ? { contributed_at: o.contributedAt } : {}),
    })
    .execute();
  return orgId;
}
