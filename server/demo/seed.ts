// Demo data for a newcomer on the embedded database. Seeding runs a list of steps, each of which
// checks its own state first, so running it again changes nothing. Later features add steps to
// DEMO_STEPS (e.g. a completed round), without touching the base.
import { withSystemScope } from '../auth/tenant-scope.js';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword } from '../lib/crypto.js';
import type { DB } from '../db/schema.js';
import { demoRoundStep } from './demo-round.js';

export const DEMO_PASSWORD = 'demo-wachtwoord-2026';
export const DEMO_CONSULTANCY_NAME = 'Demo Adviesbureau (DEMO)';
export const DEMO_ORGANISATION_NAME = 'Voorbeeld Zorg & Techniek B.V. (DEMO)';
export const DEMO_LOGINS = [
  { email: 'consultant@demo.leercultuurscan.nl', name: 'Demo Consultant', role: 'consultant' as const },
  { email: 'hr@demo.leercultuurscan.nl', name: 'Demo HR', role: 'hr' as const },
  { email: 'directeur@demo.leercultuurscan.nl', name: 'Demo Directeur', role: 'director' as const },
];

export interface DemoContext {
  tx: Transaction<DB>;
  consultancyId: string;
  organisationId: string;
  users: Record<'consultant' | 'hr' | 'director', string>;
}

export interface DemoStep {
  name: string;
  run(ctx: DemoContext): Promise<void>;
}

/** Steps after the base (consultancy, organisation, users). Features append theirs here. */
export const DEMO_STEPS: DemoStep[] = [demoRoundStep];

export interface DemoSummary {
  consultancyId: string;
  organisationId: string;
  created: boolean;
  logins: Array<{ email: string; password: string; role: string }>;
}

async function ensureBase(tx: Transaction<DB>): Promise<{ ctx: DemoContext; created: boolean }> {
  const existing = await tx
    .selectFrom('consultancies')
    .select('id')
    .where('is_demo', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  let created = false;
  let consultancyId: string;
  let organisationId: string;
  if (existing) {
    consultancyId = existing.id;
    const org = await tx
      .selectFrom('organisations')
      .select('id')
      .where('consultancy_id', '=', consultancyId)
      .where('is_demo', '=', true)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    organisationId = org.id;
  } else {
    created = true;
    consultancyId = (
      await tx
        .insertInto('consultancies')
        .values({ name: DEMO_CONSULTANCY_NAME, is_demo: true, accent_color: '#1f5f7a' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    organisationId = (
      await tx
        .insertInto('organisations')
        .values({ consultancy_id: consultancyId, name: DEMO_ORGANISATION_NAME, sector: 'healthcare', size_class: 'medium', is_demo: true })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const users = {} as DemoContext['users'];
  // One hash serves the three demo logins (same published password): seeding stays fast.
  let demoHash: string | undefined;
  for (const login of DEMO_LOGINS) {
    let user = await tx.selectFrom('users').select('id').where('email', '=', login.email).executeTakeFirst();
    if (!user) {
      user = await tx
        .insertInto('users')
        .values({ email: login.email, name: login.name, password_hash: (demoHash ??= await hashPassword(DEMO_PASSWORD)), is_demo: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('user_roles')
        .values(
          login.role === 'consultant'
            ? { user_id: user.id, role: 'consultant', consultancy_id: consultancyId }
            : { user_id: user.id, role: login.role, organisation_id: organisationId },
        )
        .execute();
    }
    users[login.role] = user.id;
  }
  return { ctx: { tx, consultancyId, organisationId, users }, created };
}

/**
 * Ensures the demo exists when the database holds nothing but demo data. Returns undefined when the
 * database already holds real (non-demo) consultancies: demo data never mixes into a real install.
 */
export async function seedDemo(
  db: Kysely<DB>,
  log?: Pick<FastifyBaseLogger, 'info'>,
  steps: DemoStep[] = DEMO_STEPS,
): Promise<DemoSummary | undefined> {
  // Not for one tenant (it creates the demo consultancy and checks that no real one exists): the
  // documented system scope.
  return withSystemScope(db, async (tx) => {
    // Serialise seeders (two processes on one PostgreSQL); a no-op cost on PGlite.
    await sql`select pg_advisory_xact_lock(74210001)`.execute(tx);
    const real = await tx.selectFrom('consultancies').select('id').where('is_demo', '=', false).limit(1).executeTakeFirst();
    if (real) return undefined;
    const { ctx, created } = await ensureBase(tx);
    for (const step of steps) {
      await step.run(ctx);
    }
    if (created) log?.info({ consultancy: DEMO_CONSULTANCY_NAME, organisation: DEMO_ORGANISATION_NAME }, 'demo data created');
    return {
      consultancyId: ctx.consultancyId,
      organisationId: ctx.organisationId,
      created,
      logins: DEMO_LOGINS.map((l) => ({ email: l.email, password: DEMO_PASSWORD, role: l.role })),
    };
  });
}
