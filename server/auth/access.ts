// Tenant isolation: every read and write goes through these. An object outside the caller's scope
// answers 404 (never its data); inside the scope but not allowed for the role answers 403.
import { sql } from 'kysely';
import type { Db, StaffRole } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { principalScope, type Principal } from './principal.js';

/** Roles in an organisation; API tokens act with HR rights ('integration'). */
export type EffectiveRole = StaffRole | 'integration';

export const MANAGE_ROLES: EffectiveRole[] = ['consultant', 'hr', 'integration'];
export const READ_ROLES: EffectiveRole[] = ['consultant', 'hr', 'director', 'integration'];

let appFilterDisabled = false;

/**
 * Test-only: turns the application's tenant filter off (visibleOrganisationsFilter matches every
 * organisation, rolesInOrganisation grants the principal's roles in any organisation), so a test can
 * show that row-level security alone keeps other tenants out (tests/server/tenancy-wall.test.ts).
 * Refuses outside test runs.
 */
export function setAppTenantFilterDisabledForTests(disabled: boolean): void {
  if (process.env.NODE_ENV !== 'test' && !process.env.VITEST) throw new Error('setAppTenantFilterDisabledForTests is for test runs only');
  appFilterDisabled = disabled;
}

/** The roles a principal holds in an organisation (empty: not visible). */
export function rolesInOrganisation(p: Principal, org: { id: string; consultancy_id: string }): EffectiveRole[] {
  if (appFilterDisabled) return p.kind === 'token' ? ['integration'] : [...new Set(p.roles.map((r) => r.role))];
  if (p.kind === 'token') {
    return p.organisationId === org.id || p.consultancyId === org.consultancy_id ? ['integration'] : [];
  }
  const roles: EffectiveRole[] = [];
  for (const r of p.roles) {
    if (r.role === 'consultant' && r.consultancyId === org.consultancy_id) roles.push('consultant');
    if (r.role !== 'consultant' && r.organisationId === org.id) roles.push(r.role);
  }
  return roles;
}

/** Restricts a query on `organisations` to what the principal can see. */
export function visibleOrganisationsFilter(p: Principal) {
  if (appFilterDisabled) return sql<boolean>`true`;
  const { consultancyIds, organisationIds } = principalScope(p);
  const none = '00000000-0000-0000-0000-000000000000';
  return sql<boolean>`(organisations.consultancy_id = any(${consultancyIds.length ? consultancyIds : [none]}::uuid[]) or organisations.id = any(${organisationIds.length ? organisationIds : [none]}::uuid[]))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertRole(roles: EffectiveRole[], allowed: EffectiveRole[]) {
  if (!roles.some((r) => allowed.includes(r))) throw new ForbiddenError('Your role does not allow this');
}

export async function requireOrganisation(db: Db, p: Principal, organisationId: string, allowed: EffectiveRole[] = READ_ROLES) {
  if (!UUID.test(organisationId)) throw new NotFoundError('Organisation');
  const org = await db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', organisationId)
    .where(visibleOrganisationsFilter(p))
    .executeTakeFirst();
  if (!org) throw new NotFoundError('Organisation');
  const roles = rolesInOrganisation(p, org);
  assertRole(roles, allowed);
  return { organisation: org, roles };
}

export async function requireRound(db: Db, p: Principal, roundId: string, allowed: EffectiveRole[] = READ_ROLES) {
  if (!UUID.test(roundId)) throw new NotFoundError('Round');
  const row = await db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .selectAll('rounds')
    .select(['organisations.consultancy_id', 'organisations.name as organisation_name', 'organisations.sector', 'organisations.size_class'])
    .where('rounds.id', '=', roundId)
    .where(visibleOrganisationsFilter(p))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Round');
  const roles = rolesInOrganisation(p, { id: row.organisation_id, consultancy_id: row.consultancy_id });
  assertRole(roles, allowed);
  return { round: row, roles };
}
