// Tenants and sign-in for route tests. `createTenant(db)` inserts a consultancy, one organisation and
// three users (consultant, HR, director) straight into the database; `login(app, email, password)`
// signs in through POST /api/v1/auth/login and returns what a browser would hold.
//
//   const t = await createTenant(db);
//   const s = await login(app, t.hr.email, t.hr.password);
//   await app.inject({ method: 'POST', url: '/api/v1/...', headers: staffHeaders(s), payload: {...} });
//
// Bearer API tokens need no CSRF header: `headers: bearer(await createApiTokenFor(db, { organisationId }))`.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { SESSION_COOKIE } from '../../server/auth/sessions.js';
import type { DB } from '../../server/db/schema.js';
import { hashPassword, newToken, sha256Hex } from '../../server/lib/crypto.js';

/** The password of every user createTenant inserts (>= 12 characters). */
export const TEST_PASSWORD = 'test-wachtwoord-2026';

export interface TenantUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

export interface Tenant {
  consultancyId: string;
  organisationId: string;
  organisationName: string;
  consultant: TenantUser;
  hr: TenantUser;
  director: TenantUser;
}

export interface CreateTenantOptions {
  /** Goes into names and emails; a random one by default, so tenants never collide. */
  label?: string;
  consultancyName?: string;
  organisationName?: string;
  sector?: string;
  sizeClass?: 'micro' | 'small' | 'medium' | 'large';
}

// One hash of the shared password per test file (cheap parameters in tests: see setup.ts).
let hashOnce: Promise<string> | undefined;
export function testPasswordHash(): Promise<string> {
  hashOnce ??= hashPassword(TEST_PASSWORD);
  return hashOnce;
}

/** Inserts a user with TEST_PASSWORD (or the given password) and no roles. */
export async function insertUser(db: Kysely<DB>, email: string, name: string, password = TEST_PASSWORD): Promise<TenantUser> {
  const hash = password === TEST_PASSWORD ? await testPasswordHash() : await hashPassword(password);
  const row = await db
    .insertInto('users')
    .values({ email: email.toLowerCase(), name, password_hash: hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email: email.toLowerCase(), name, password };
}

/** A consultancy with one organisation and a consultant, an HR user and a director. */
export async function createTenant(db: Kysely<DB>, opts: CreateTenantOptions = {}): Promise<Tenant> {
  const label = (opts.label ?? randomBytes(4).toString('hex')).toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const consultancy = await db
    .insertInto('consultancies')
    .values({ name: opts.consultancyName ?? `Adviesbureau ${label}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organisationName = opts.organisationName ?? `Organisatie ${label}`;
  const organisation = await db
    .insertInto('organisations')
    .values({
      consultancy_id: consultancy.id,
      name: organisationName,
      sector: opts.sector ?? 'healthcare',
      size_class: opts.sizeClass ?? 'medium',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const consultant = await insertUser(db, `consultant-${label}@example.nl`, `Consultant ${label}`);
  const hr = await insertUser(db, `hr-${label}@example.nl`, `HR ${label}`);
  const director = await insertUser(db, `director-${label}@example.nl`, `Directeur ${label}`);
  await db
    .insertInto('user_roles')
    .values([
      { user_id: consultant.id, role: 'consultant', consultancy_id: consultancy.id },
      { user_id: hr.id, role: 'hr', organisation_id: organisation.id },
      { user_id: director.id, role: 'director', organisation_id: organisation.id },
    ])
    .execute();
  return { consultancyId: consultancy.id, organisationId: organisation.id, organisationName, consultant, hr, director };
}

/** Adds another organisation to a tenant's consultancy (the tenant's consultant sees it; its HR does not). */
export async function addOrganisation(db: Kysely<DB>, consultancyId: string, name = `Organisatie ${randomBytes(3).toString('hex')}`) {
  const row = await db
    .insertInto('organisations')
    .values({ consultancy_id: consultancyId, name, sector: 'education', size_class: 'small' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, name };
}

export interface StaffSession {
  /** Ready for a `cookie` request header: `lcs_session=<token>`. */
  cookie: string;
  csrfToken: string;
}

/** Signs in through the API, as a browser would. Throws when the login does not succeed. */
export async function login(app: FastifyInstance, email: string, password: string): Promise<StaffSession> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`login of ${email} set no ${SESSION_COOKIE} cookie`);
  const body = res.json() as { csrfToken: string };
  return { cookie: `${SESSION_COOKIE}=${cookie.value}`, csrfToken: body.csrfToken };
}

/** Headers for any staff request: the session cookie and the CSRF token (needed for unsafe methods). */
export function staffHeaders(s: StaffSession): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
}

/** Inserts an API token bound to a consultancy or an organisation; returns the raw token. */
export async function createApiTokenFor(
  db: Kysely<DB>,
  bound: { consultancyId: string } | { organisationId: string },
  name = 'test token',
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      token_hash: sha256Hex(token),
      name,
      consultancy_id: 'consultancyId' in bound ? bound.consultancyId : null,
      organisation_id: 'organisationId' in bound ? bound.organisationId : null,
    })
    .execute();
  return token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Two tenants, and real sign-ins of tenant A's consultant, HR and director and tenant B's consultant. */
export interface TwoTenants {
  a: Tenant;
  b: Tenant;
  consultantA: StaffSession;
  hrA: StaffSession;
  directorA: StaffSession;
  consultantB: StaffSession;
}

export async function twoTenantsSignedIn(app: FastifyInstance, db: Kysely<DB>, label: string): Promise<TwoTenants> {
  const a = await createTenant(db, { label: `${label}-a` });
  const b = await createTenant(db, { label: `${label}-b` });
  return {
    a,
    b,
    consultantA: await login(app, a.consultant.email, TEST_PASSWORD),
    hrA: await login(app, a.hr.email, TEST_PASSWORD),
    directorA: await login(app, a.director.email, TEST_PASSWORD),
    consultantB: await login(app, b.consultant.email, TEST_PASSWORD),
  };
}
