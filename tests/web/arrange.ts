// Arranged data for the browser tests: rounds created and run through the API (as HR or a consultant
// would), with synthetic submitted responses inserted by the rounds service's seeding function.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { CULTURE_SCAN_V1 } from '../../scans/index.js';
import type { DB } from '../../server/db/schema.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { login, staffHeaders, type StaffSession } from '../helpers/auth.js';

export const DEPARTMENTS = ['Zorg', 'Techniek', 'Staf', 'Facilitair'];

/** A small deterministic generator, so arranged results are the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function api(app: FastifyInstance, s: StaffSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, headers: staffHeaders(s), ...(payload !== undefined ? { payload: payload as object } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body ? res.json() : undefined;
}

export interface ArrangedRound {
  roundId: string;
  organisationId: string;
}

export interface ArrangeOptions {
  organisationId: string;
  /** A consultant or HR user of the organisation. */
  email: string;
  password: string;
  name?: string;
  employees?: number;
  managers?: number;
  close?: boolean;
  /** Placements of signed-in staff (director, HR) by email. */
  placers?: Array<{ email: string; password: string; points: Record<'past' | 'current' | 'desired', { x: number; y: number }> }>;
}

/** Creates, opens and fills a round with synthetic answers; closes it unless `close: false`. */
export async function arrangeRound(app: FastifyInstance, db: Kysely<DB>, o: ArrangeOptions): Promise<ArrangedRound> {
  const s = await login(app, o.email, o.password);
  const round = (await api(app, s, 'POST', `/api/v1/organisations/${o.organisationId}/rounds`, {
    name: o.name ?? 'Leercultuurscan voorjaar',
    // The synthetic answers below are version 1's items (new rounds default to version 2).
    instrumentId: 'culture-scan@1',
    modules: ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'],
    languages: ['nl', 'en'],
    departments: DEPARTMENTS,
    anonymityThreshold: 5,
    employeePlacements: true,
  })) as { id: string };
  await api(app, s, 'POST', `/api/v1/rounds/${round.id}/open`);

  const random = rng(42);
  const items = CULTURE_SCAN_V1.scales.flatMap((sc, si) => sc.items.map((it) => ({ id: it.id, reverse: it.reverse, level: 2.6 + si * 0.22 })));
  const answer = (level: number, reverse: boolean) => {
    const v = Math.max(1, Math.min(5, Math.round(level + (random() - 0.5) * 2.4)));
    return reverse ? 6 - v : v;
  };
  const employees = o.employees ?? 48;
  for (let i = 0; i < employees; i++) {
    // Facilitair gets 3 respondents: under the threshold, so it is hidden in the results.
    const department = i < 3 ? 'Facilitair' : DEPARTMENTS[i % 3]!;
    const shift = department === 'Techniek' ? -0.4 : department === 'Zorg' ? 0.3 : 0;
    await insertSubmittedResponse(db, round.id, {
      form: 'employee',
      answers: Object.fromEntries(items.map((it) => [it.id, random() < 0.04 ? null : answer(it.level + shift, it.reverse)])),
      background: { department, role: random() < 0.2 ? 'manager' : 'employee', age_band: (['25_34', '35_44', '45_54', '55_plus'] as const)[i % 4] },
      factors: { colleagues: 2, management: random() < 0.5 ? 1 : -1, money: -1, health: 0 },
      placements: { current: { x: -40 + random() * 30, y: -30 + random() * 30 }, desired: { x: 30 + random() * 30, y: 40 + random() * 30 } },
    });
  }
  for (let i = 0; i < (o.managers ?? 6); i++) {
    await insertSubmittedResponse(db, round.id, {
      form: 'management',
      answers: Object.fromEntries(items.map((it) => [it.id, answer(it.level + 0.5, it.reverse)])),
    });
  }
  if (app.hasRoute({ method: 'PUT', url: '/api/v1/rounds/:roundId/checklist' })) {
    await api(app, s, 'PUT', `/api/v1/rounds/${round.id}/checklist`, {
      answers: { training_plan: 'yes', ld_vision: 'no', personal_development_plans: 'yes', training_budget: 'yes', development_conversations: 'yes', supports_learning: 'yes', learning_needs: 'dont_know' },
    });
  }
  for (const placer of o.placers ?? []) {
    const ps = await login(app, placer.email, placer.password);
    await api(app, ps, 'PUT', `/api/v1/rounds/${round.id}/placements/me`, placer.points);
  }
  if (o.close !== false) await api(app, s, 'POST', `/api/v1/rounds/${round.id}/close`);
  return { roundId: round.id, organisationId: o.organisationId };
}
