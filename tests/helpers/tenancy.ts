// Cross-tenant attempts as a table. `describeTenancy(title, cases)` builds one app with a victim
// tenant (organisation, round with answers, API token, logo) and an attacking tenant, then tries every
// case as each attacker: the consultant, HR and director of the other tenant and its two API tokens.
// Each attempt must answer the expected status (404 by default) with problem+json, leak none of the
// victim's names, emails or ids, and leave the victim's data exactly as it was.
//
// Other features add their routes in their own test file:
//
//   import { describeTenancy, type RouteCase } from '../helpers/tenancy.js';
//   const cases: RouteCase[] = [
//     { name: 'open a round', method: 'POST', url: (v) => `/api/v1/rounds/${v.roundId}/open` },
//     { name: 'list rounds', method: 'GET', url: () => '/api/v1/rounds', list: true },
//   ];
//   describeTenancy('rounds', cases);
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAppTenantFilterDisabledForTests } from '../../server/auth/access.js';
import type { DB } from '../../server/db/schema.js';
import { setupTestApp, type TestApp } from './app.js';
import { bearer, createApiTokenFor, createTenant, login, staffHeaders, TEST_PASSWORD, type Tenant } from './auth.js';
import { driverName } from './database.js';

export type AttackerKind = 'consultant' | 'hr' | 'director' | 'organisationToken' | 'consultancyToken';
export const ATTACKERS: AttackerKind[] = ['consultant', 'hr', 'director', 'organisationToken', 'consultancyToken'];

export interface Victim extends Tenant {
  roundId: string;
  roundName: string;
  responseId: string;
  apiTokenId: string;
  /** Whatever a feature's `extendVictim` added (ids of its own objects). */
  extra: Record<string, string>;
}

export interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (v: Victim) => string;
  payload?: (v: Victim) => unknown;
  /** Status every attacker must get; 404 unless said otherwise. */
  status?: number;
  /** Per-attacker exceptions, e.g. 403 where a role may never call the route at all. */
  statusFor?: Partial<Record<AttackerKind, number>>;
  /** A listing of the attacker's own things: 200 (unless statusFor says otherwise), without the victim in it. */
  list?: boolean;
}

export interface TenancyOptions {
  /** Adds feature objects to the victim (ids go into `extra` and are checked for leaks). */
  extendVictim?: (db: Kysely<DB>, victim: Omit<Victim, 'extra'>) => Promise<Record<string, string>>;
  /**
   * Turns the application's tenant filter off for the attempts (setAppTenantFilterDisabledForTests),
   * so only row-level security stands between the attacker and the victim.
   */
  appFilterDisabled?: boolean;
}

/** Rows that must not change when another tenant tries something. */
async function fingerprint(db: Kysely<DB>, v: Omit<Victim, 'extra'>): Promise<string> {
  const q = await sql<{ f: string }>`
    select md5(concat_ws('|',
      (select string_agg(concat_ws(',', id, name, sector, size_class, retention_months), ';' order by id) from organisations where consultancy_id = ${v.consultancyId}),
      (select concat_ws(',', name, accent_color, md5(logo)) from consultancies where id = ${v.consultancyId}),
      (select string_agg(concat_ws(',', ur.user_id, ur.role, u.email, u.name, u.disabled_at), ';' order by ur.id) from user_roles ur join users u on u.id = ur.user_id
        where ur.consultancy_id = ${v.consultancyId} or ur.organisation_id = ${v.organisationId}),
      (select string_agg(concat_ws(',', id, name, revoked_at), ';' order by id) from api_tokens where consultancy_id = ${v.consultancyId} or organisation_id = ${v.organisationId}),
      (select string_agg(concat_ws(',', id, name, status, closed_at), ';' order by id) from rounds where organisation_id = ${v.organisationId}),
      (select count(*) from responses r join rounds o on o.id = r.round_id where o.organisation_id = ${v.organisationId}),
      (select count(*) from answers a join responses r on r.id = a.response_id join rounds o on o.id = r.round_id where o.organisation_id = ${v.organisationId}),
      (select string_agg(concat_ws(',', id, title, owner, status, due_date, notes, array_to_string(item_ids, ' ')), ';' order by id) from action_plan_actions where organisation_id = ${v.organisationId}),
      (select string_agg(concat_ws(',', i.id, i.used_at), ';' order by i.id) from staff_invites i join user_roles ur on ur.user_id = i.user_id
        where ur.consultancy_id = ${v.consultancyId} or ur.organisation_id = ${v.organisationId}),
      (select count(*) from staff_mail where consultancy_id = ${v.consultancyId}),
      (select count(*) from audit_events where consultancy_id = ${v.consultancyId})
    )) as f
  `.execute(db);
  return q.rows[0]!.f;
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('victim-logo')]);

export function describeTenancy(title: string, cases: RouteCase[], opts: TenancyOptions = {}): void {
  describe(`tenant isolation: ${title} (${driverName}${opts.appFilterDisabled ? ', application filter off' : ''})`, () => {
    let t: TestApp;
    let victim: Victim;
    let markers: string[];
    const headers: Partial<Record<AttackerKind, Record<string, string>>> = {};

    beforeAll(async () => {
      t = await setupTestApp();
      const label = `victim-${randomBytes(3).toString('hex')}`;
      const v = await createTenant(t.db, { label, organisationName: `Slachtoffer BV ${label}`, consultancyName: `Bureau Slachtoffer ${label}` });
      await t.db.updateTable('consultancies').set({ logo: PNG, logo_mime: 'image/png' }).where('id', '=', v.consultancyId).execute();
      const roundName = `Geheime ronde ${label}`;
      const round = await t.db
        .insertInto('rounds')
        .values({ organisation_id: v.organisationId, name: roundName, instrument_id: 'culture-scan@1', modules: ['culture_scan'], status: 'open', opened_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const response = await t.db.insertInto('responses').values({ round_id: round.id, form: 'employee' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('answers').values({ response_id: response.id, item_id: 'sd1', value: 5 }).execute();
      await createApiTokenFor(t.db, { organisationId: v.organisationId }, 'victim token');
      const token = await t.db.selectFrom('api_tokens').select('id').where('organisation_id', '=', v.organisationId).executeTakeFirstOrThrow();
      const base = { ...v, roundId: round.id, roundName, responseId: response.id, apiTokenId: token.id };
      victim = { ...base, extra: opts.extendVictim ? await opts.extendVictim(t.db, base) : {} };
      markers = [
        v.organisationName, `Bureau Slachtoffer ${label}`, roundName, v.hr.email, v.director.email, v.consultant.email,
        v.organisationId, v.consultancyId, round.id, response.id, token.id, ...Object.values(victim.extra),
      ];

      const attacker = await createTenant(t.db, { label: `attacker-${randomBytes(3).toString('hex')}` });
      headers.consultant = staffHeaders(await login(t.app, attacker.consultant.email, TEST_PASSWORD));
      headers.hr = staffHeaders(await login(t.app, attacker.hr.email, TEST_PASSWORD));
      headers.director = staffHeaders(await login(t.app, attacker.director.email, TEST_PASSWORD));
      headers.organisationToken = bearer(await createApiTokenFor(t.db, { organisationId: attacker.organisationId }));
      headers.consultancyToken = bearer(await createApiTokenFor(t.db, { consultancyId: attacker.consultancyId }));
      if (opts.appFilterDisabled) setAppTenantFilterDisabledForTests(true);
    });
    afterAll(async () => {
      if (opts.appFilterDisabled) setAppTenantFilterDisabledForTests(false);
      await t?.close();
    });

    for (const c of cases) {
      describe(c.name, () => {
        for (const who of ATTACKERS) {
          const expected = c.statusFor?.[who] ?? (c.list ? 200 : (c.status ?? 404));
          it(`${who} of another tenant: ${expected}${c.list ? ' without the victim' : ''}`, async () => {
            const before = await fingerprint(t.db, victim);
            const payload = c.payload?.(victim);
            const res = await t.app.inject({
              method: c.method,
              url: c.url(victim),
              headers: headers[who]!,
              ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
            });
            expect(res.statusCode).toBe(expected);
            if (expected >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
            const body = res.body;
            for (const m of markers) {
              // The URL the attacker sent comes back in `instance`; anything else is a leak.
              const withoutInstance = body.replace(/"instance":"[^"]*"/, '');
              expect(withoutInstance, `leaked ${m}`).not.toContain(m);
            }
            expect(await fingerprint(t.db, victim)).toBe(before);
          });
        }
      });
    }
  });
}
