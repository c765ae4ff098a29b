// Survey answering runs in the tenant scope of the round's organisation (issue 12, item 2), on both
// drivers, through the app's own connection (PostgreSQL: a login role that is no superuser, has no
// BYPASSRLS and owns nothing; embedded: lcs_login):
// - the token is resolved first, to the organisation id only (lcs_survey_token_organisation), and the
//   rest runs as lcs_app with lcs.scope=tenant and that one organisation;
// - inside that scope, statements with no tenant filter at all (no WHERE on the token, the round or
//   the response) read nothing of another organisation and write nothing to it, including the
//   database functions of the fast submit and the idempotency keys;
// - with the application's tenant filter switched off (setAppTenantFilterDisabledForTests), a whole
//   respondent's journey through the API and the pages changes no row of the other organisation;
// - no survey route opens the account or system scope (observed at run time, and checked in source).
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAppTenantFilterDisabledForTests } from '../../server/auth/access.js';
import { observeScopesForTests, type ScopeKind } from '../../server/auth/tenant-scope.js';
import type { DB } from '../../server/db/schema.js';
import { sha256Hex } from '../../server/lib/crypto.js';
import { inSurveyScope, invitationHash, resolveToken, responseAccessHash } from '../../server/rounds/responses.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../server/rounds/survey-session.js';
import { buildAppAsLoginRole, type AppAsLoginRole } from '../helpers/app-role.js';
import { createTenant, type Tenant } from '../helpers/auth.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';
import { completeAnswers, createOpenRound, itemIds, personalLinks, sessionHeaders, sharedLink, type Headers } from '../helpers/rounds.js';

const ROUND = {
  modules: ['culture_scan', 'factors', 'dialogue_model'],
  employeePlacements: true,
  departments: ['Zorg'],
  surveyModules: ['motivation', 'open_questions'],
};
const FULL_BODY = (seed: number) => ({
  answers: completeAnswers(seed),
  factors: { health: 1, colleagues: 2 },
  placements: { current: { x: 10, y: 20 }, desired: { x: 30, y: 40 } },
  background: { department: 'Zorg' },
});

interface Side {
  tenant: Tenant;
  headers: Headers;
  roundId: string;
  /** Personal link tokens, not used yet. */
  personal: string[];
  shared: { token: string; id: string };
}

/** Every row of an organisation's survey data, as the owner reads it (order-independent). */
async function snapshot(owner: Kysely<DB>, roundId: string): Promise<string> {
  const q = async (text: string) => (await sql.raw<Record<string, unknown>>(text).execute(owner)).rows;
  const responses = `(select id from responses where round_id = '${roundId}')`;
  const parts = {
    round: await q(`select status, name, closes_at from rounds where id = '${roundId}'`),
    invitations: await q(`select id, uses, started_at, submitted_at, revoked_at from invitations where round_id = '${roundId}' order by id`),
    responses: await q(`select id, status, language, department, access_hash, submitted_at from responses where round_id = '${roundId}' order by id`),
    answers: await q(`select response_id, item_id, value from answers where response_id in ${responses} order by 1, 2`),
    factors: await q(`select response_id, factor_id, value from factor_answers where response_id in ${responses} order by 1, 2`),
    placements: await q(`select response_id, frame, x, y from placements where round_id = '${roundId}' order by 1, 2`),
    modules: await q(`select response_id, question_id, value from module_answers where response_id in ${responses} order by 1, 2`),
    open: await q(`select response_id, prompt_id, body from open_answers where response_id in ${responses} order by 1, 2`),
    keys: await q(`select scope, key, request_hash, body from idempotency_keys where round_id = '${roundId}' order by 1, 2`),
  };
  return JSON.stringify(parts);
}

describe(`survey answering in the tenant scope of the round's organisation (${driverName})`, () => {
  let t: TestDatabase;
  let served: AppAsLoginRole | undefined;
  let app: FastifyInstance;
  let owner: Kysely<DB>;
  let a: Side;
  let b: Side;
  /** B's personal token that has a submitted response (with answers, factors, placements, a key). */
  let bSubmitted: string;
  let bRespondent: string;

  async function side(label: string): Promise<Side> {
    const tenant = await createTenant(owner, { label });
    const headers = await sessionHeaders(owner, tenant.consultant.id);
    const round = await createOpenRound(app, headers, tenant.organisationId, ROUND);
    const links = await personalLinks(app, headers, round.id, `email\np1-${label}@example.nl\np2-${label}@example.nl\np3-${label}@example.nl\n`);
    const shared = await sharedLink(app, headers, round.id, { maxResponses: 10 });
    return { tenant, headers, roundId: round.id, personal: [...links.values()], shared };
  }

  const submit = (token: string, body: unknown, key: string) =>
    app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': key }, payload: body as object });

  beforeAll(async () => {
    t = await createTestDatabase();
    served = await buildAppAsLoginRole(t, 'survey');
    app = served.app;
    owner = t.database.db;
    a = await side('scope-a');
    b = await side('scope-b');
    // B's data, as a respondent of B leaves it: a submitted personal response with a key, a started
    // shared-link response with saved answers and module answers.
    bSubmitted = b.personal[0]!;
    const first = await submit(bSubmitted, FULL_BODY(1), 'key-b-1');
    expect(first.statusCode, first.body).toBe(200);
    const started = await app.inject({ method: 'POST', url: `/api/v1/survey/${b.shared.token}/start`, payload: {} });
    expect(started.statusCode).toBe(201);
    bRespondent = started.json().token;
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/v1/survey/${bRespondent}/answers`,
      payload: { answers: { sd1: 3 }, modules: { motivation: { mo_aut1: 4 }, open: { helps: 'Collega’s van B' } } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  afterAll(async () => {
    setAppTenantFilterDisabledForTests(false);
    observeScopesForTests(null);
    if (served) await served.close();
    else await t?.dispose();
  });

  it('opens the scope from the token: lcs.scope=tenant, only the organisation of the round, as lcs_app', async () => {
    for (const token of [a.personal[2]!, a.shared.token]) {
      const s = await inSurveyScope(app.db, token, async (tx) =>
        (await sql<{ scope: string; orgs: string; consultancies: string; user_id: string; role: string }>`
          select current_setting('lcs.scope') as scope, current_setting('lcs.organisation_ids') as orgs,
            current_setting('lcs.consultancy_ids') as consultancies, current_setting('lcs.user_id') as user_id, current_user as role`.execute(tx)).rows[0]!);
      expect(s).toEqual({ scope: 'tenant', orgs: a.tenant.organisationId, consultancies: '', user_id: '', role: 'lcs_app' });
    }
    // B's respondent token leads to B (the lookup by response access hash).
    const s = await inSurveyScope(app.db, bRespondent, async (tx) => (await sql<{ orgs: string }>`select current_setting('lcs.organisation_ids') as orgs`.execute(tx)).rows[0]!);
    expect(s.orgs).toBe(b.tenant.organisationId);
    // An unknown token opens nothing: 404 before any work.
    await expect(inSurveyScope(app.db, 'x'.repeat(43), async () => 'reached')).rejects.toMatchObject({ status: 404 });
    // The lookup returns the organisation id and nothing else.
    const { rows } = await sql<{ org: string | null }>`select lcs_survey_token_organisation(${invitationHash(a.shared.token)}, ${responseAccessHash(a.shared.token)}) as org`.execute(app.db);
    expect(rows).toEqual([{ org: a.tenant.organisationId }]);
  });

  it("inside A's survey scope, statements without any tenant filter read no row of B", async () => {
    const bResponses = (await owner.selectFrom('responses').select('id').where('round_id', '=', b.roundId).execute()).map((r) => r.id);
    const aResponses = (await owner.selectFrom('responses').select('id').where('round_id', '=', a.roundId).execute()).map((r) => r.id);
    const bUsers = [b.tenant.consultant.id, b.tenant.hr.id, b.tenant.director.id];
    // B has rows in every table looked at (else the check below could not fail).
    const ownerCounts = async (table: string, where: string) => (await sql.raw<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`).execute(owner)).rows[0]!.n;
    const inB = `in (${bResponses.map((id) => `'${id}'`).join(',')})`;
    for (const [table, where] of [
      ['rounds', `id = '${b.roundId}'`], ['invitations', `round_id = '${b.roundId}'`], ['responses', `round_id = '${b.roundId}'`],
      ['answers', `response_id ${inB}`], ['factor_answers', `response_id ${inB}`], ['placements', `round_id = '${b.roundId}'`],
      ['module_answers', `response_id ${inB}`], ['open_answers', `response_id ${inB}`], ['idempotency_keys', `round_id = '${b.roundId}'`],
    ] as const) {
      expect(await ownerCounts(table, where), table).toBeGreaterThan(0);
    }

    const seen = await inSurveyScope(app.db, a.personal[1]!, async (tx) => {
      const col = async (text: string) => (await sql.raw<{ v: string }>(text).execute(tx)).rows.map((r) => r.v);
      return {
        organisations: await col(`select id::text as v from organisations`),
        consultancies: await col(`select id::text as v from consultancies`),
        rounds: await col(`select organisation_id::text as v from rounds`),
        roundIds: [
          ...(await col(`select round_id::text as v from invitations`)),
          ...(await col(`select round_id::text as v from responses`)),
          ...(await col(`select round_id::text as v from placements`)),
          ...(await col(`select round_id::text as v from idempotency_keys`)),
          ...(await col(`select round_id::text as v from result_releases`)),
          ...(await col(`select round_id::text as v from pool_entries`)),
        ],
        responseIds: [
          ...(await col(`select response_id::text as v from answers`)),
          ...(await col(`select response_id::text as v from factor_answers`)),
          ...(await col(`select response_id::text as v from module_answers`)),
          ...(await col(`select response_id::text as v from open_answers`)),
        ],
        users: await col(`select id::text as v from users`),
        audit: await col(`select id::text as v from audit_events`),
        // The token functions find nothing of B either.
        resolved: (await sql<{ id: string }>`select id::text from lcs_resolve_survey_token(${invitationHash(bSubmitted)}::text, ${responseAccessHash(bRespondent)}::text)`.execute(tx)).rows,
        keyOfB: await col(`select key as v from idempotency_keys where scope = 'survey-submit:${sha256Hex(`idempotency:${bSubmitted}`)}'`),
      };
    });
    expect(seen.organisations).toEqual([a.tenant.organisationId]);
    expect(seen.consultancies).toEqual([a.tenant.consultancyId]);
    expect(new Set(seen.rounds)).toEqual(new Set([a.tenant.organisationId]));
    expect(seen.roundIds.length).toBeGreaterThan(0); // A's own invitations
    expect(seen.roundIds.filter((id) => id !== a.roundId)).toEqual([]);
    expect(seen.responseIds.filter((id) => !aResponses.includes(id))).toEqual([]);
    expect(seen.users.filter((id) => bUsers.includes(id))).toEqual([]);
    expect(seen.audit).toEqual([]);
    expect(seen.resolved).toEqual([]);
    expect(seen.keyOfB).toEqual([]);
    await expect(inSurveyScope(app.db, a.personal[1]!, (tx) => resolveToken(tx, bSubmitted))).rejects.toMatchObject({ status: 404 });
  });

  it("inside A's survey scope, writes aimed at B change nothing of B, also through the fast-submit functions", async () => {
    const before = await snapshot(owner, b.roundId);
    const beforeA = await snapshot(owner, a.roundId);
    const bShared = b.shared.id;
    const bPersonal = b.personal[1]!;
    const rolledBack = new Error('roll back');
    const outcome: Record<string, unknown> = {};
    await expect(
      inSurveyScope(app.db, a.personal[1]!, async (tx) => {
        const n = async (text: string) => (await sql.raw(`${text} returning 1`).execute(tx)).rows.length;
        const fails = async (name: string, text: string) => {
          await sql`savepoint probe`.execute(tx);
          try {
            await sql.raw(text).execute(tx);
            outcome[name] = 'accepted';
          } catch (err) {
            outcome[name] = /row-level security|permission denied/.test((err as Error).message) ? 'refused' : (err as Error).message;
          }
          await sql`rollback to savepoint probe`.execute(tx);
        };
        const fast = async (token: string) =>
          (await sql<{ o: string }>`select lcs_submit_fast(${invitationHash(token)}, ${responseAccessHash(token)}, 'culture-scan@1', false, false, null,
            now(), '{}'::jsonb, ${JSON.stringify(completeAnswers(3))}::json, null::json, null::json, 'survey-submit:y', 'k-fast', 'h', '{}'::jsonb) as o`.execute(tx)).rows[0]!.o;
        // A's own fresh personal link goes through the fast path in this scope...
        outcome.fastA = await fast(a.personal[2]!);
        // ... and with B's tokens the invitation and the response are not visible.
        outcome.fastB = await fast(bPersonal);
        outcome.fastBRespondent = await fast(bRespondent);
        // No WHERE at all, or a WHERE naming B: row-level security leaves only A's rows.
        outcome.usesOfB = await n(`update invitations set uses = uses + 1 where id = '${bShared}'`);
        outcome.responsesOfB = await n(`update responses set status = 'in_progress', submitted_at = null where round_id = '${b.roundId}'`);
        outcome.answersOfAll = await n(`update answers set value = 1`); // A's only (rolled back below)
        await n(`delete from factor_answers`);
        await n(`delete from placements`);
        await n(`delete from idempotency_keys`);
        await n(`delete from module_answers`);
        await n(`delete from open_answers`);
        await n(`update invitations set uses = 0, revoked_at = now()`);
        await fails('insertResponseInB', `insert into responses (round_id, form, access_hash, channel, link_kind, language) values ('${b.roundId}', 'employee', 'x-${Date.now()}', 'link', 'shared', 'nl')`);
        await fails('insertKeyInB', `insert into idempotency_keys (scope, key, request_hash, status_code, body, round_id) values ('s', 'k', 'h', 200, '{}', '${b.roundId}')`);
        await fails('insertPlacementInB', `insert into placements (round_id, participant_group, frame, x, y) values ('${b.roundId}', 'employee', 'current', 1, 1)`);
        // The write function with B's round: the round is not visible, nothing is written.
        const write = await sql<{ response_id: string | null; round_open: boolean }>`
          select * from lcs_write_response(${b.roundId}::uuid, 'employee', ${responseAccessHash(bPersonal)}, 'personal', null::uuid, true, now(), 'nl', 'nl',
            '{}'::jsonb, ${JSON.stringify(completeAnswers(2))}::json, null::json, null::json, null::text[], 0, 'survey-submit:x', 'k-b', 'h', '{}'::jsonb)`.execute(tx);
        outcome.writeInB = write.rows[0];
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(outcome).toEqual({
      usesOfB: 0,
      responsesOfB: 0,
      answersOfAll: itemIds().length, // A's fast submit just above, nothing of B
      insertResponseInB: 'refused',
      insertKeyInB: 'refused',
      insertPlacementInB: 'refused',
      writeInB: { response_id: null, round_open: false },
      fastB: 'fallback',
      fastBRespondent: 'fallback',
      fastA: 'ok',
    });
    expect(await snapshot(owner, b.roundId)).toBe(before);
    expect(await snapshot(owner, a.roundId)).toBe(beforeA);
  });

  it("with the application's tenant filter off, A's whole survey journey changes no row of B and opens no account or system scope", async () => {
    const before = await snapshot(owner, b.roundId);
    const scopes: ScopeKind[] = [];
    setAppTenantFilterDisabledForTests(true);
    observeScopesForTests((k) => scopes.push(k));
    try {
      const [p1, p2] = a.personal as [string, string];
      const own = (token: string) => ({ [SURVEY_SESSION_HEADER]: surveySessionProof(token) });
      expect((await app.inject({ method: 'GET', url: `/api/v1/survey/${p1}` })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: `/api/v1/survey/${p1}/start`, payload: {} })).statusCode).toBe(201);
      const put = await app.inject({ method: 'PUT', url: `/api/v1/survey/${p1}/answers`, headers: own(p1), payload: { answers: { sd1: 5 }, factors: { health: 0 }, modules: { motivation: { mo_aut1: 2 } } } });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json().progress.answered).toBe(1);
      expect((await app.inject({ method: 'GET', url: `/api/v1/survey/${p1}/data`, headers: own(p1) })).json().answers).toEqual({ sd1: 5 });
      // The general path (the body carries module answers) and the fast path (p2), each replayed.
      const general = { ...FULL_BODY(4), modules: { open: { change: 'Meer tijd' } } };
      expect((await submit(p1, general, 'key-a-1')).statusCode).toBe(200);
      const replay = await submit(p1, general, 'key-a-1');
      expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
      expect((await submit(p1, general, 'key-a-2')).json().code).toBe('already_submitted');
      expect((await submit(p1, FULL_BODY(5), 'key-a-1')).statusCode).toBe(422);
      expect((await submit(p2, FULL_BODY(6), 'key-a-3')).statusCode).toBe(200);
      expect((await submit(p2, FULL_BODY(6), 'key-a-3')).headers['idempotent-replayed']).toBe('true');
      // Shared link: a GET uses no place; a start does; then the respondent token.
      expect((await app.inject({ method: 'GET', url: `/api/v1/survey/${a.shared.token}` })).statusCode).toBe(200);
      const start = await app.inject({ method: 'POST', url: `/api/v1/survey/${a.shared.token}/start`, payload: {} });
      expect(start.statusCode).toBe(201);
      const respondent = start.json().token as string;
      expect((await submit(respondent, FULL_BODY(7), 'key-a-4')).statusCode).toBe(200);
      // The pages: the link sets the cookie, the questionnaire and the data download read through it.
      for (const token of [a.shared.token, p1]) {
        const link = await app.inject({ method: 'GET', url: `/s/${token}` });
        expect(link.statusCode).toBe(303);
        const cookie = String(link.headers['set-cookie']).split(';')[0]!;
        expect((await app.inject({ method: 'GET', url: '/survey', headers: { cookie } })).statusCode).toBe(200);
        if (token === p1) expect((await app.inject({ method: 'GET', url: '/survey/data', headers: { cookie } })).statusCode).toBe(200);
      }
      // Unknown token: 404, no scope work beyond the lookup.
      expect((await app.inject({ method: 'GET', url: `/api/v1/survey/${'y'.repeat(43)}` })).statusCode).toBe(404);
    } finally {
      observeScopesForTests(null);
      setAppTenantFilterDisabledForTests(false);
    }
    expect(scopes.length).toBeGreaterThan(15);
    expect(scopes.filter((k) => k !== 'survey')).toEqual([]);
    expect(await snapshot(owner, b.roundId)).toBe(before);
    // What A did landed in A: three submitted responses (two personal, one shared), one use of the link.
    const aRows = await owner.selectFrom('responses').select(['status', 'link_kind']).where('round_id', '=', a.roundId).execute();
    expect(aRows.filter((r) => r.status === 'submitted')).toHaveLength(3);
    const shared = await owner.selectFrom('invitations').select('uses').where('id', '=', a.shared.id).executeTakeFirstOrThrow();
    expect(shared.uses).toBe(1); // the start, not the GETs of the API and the page
    const keys = await owner.selectFrom('idempotency_keys').select('round_id').where('key', 'in', ['key-a-1', 'key-a-3', 'key-a-4']).execute();
    expect(keys.map((k) => k.round_id)).toEqual([a.roundId, a.roundId, a.roundId]);
  });

  it('no survey source file opens the account, system or staff tenant scope', () => {
    for (const file of ['server/routes/survey/index.ts', 'server/rounds/responses.ts', 'server/rounds/survey-session.ts', 'server/web/pages/survey.ts', 'server/web/pages/survey-api.ts']) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      expect(text.match(/\b(withAccountScope|accountScoped|withSystemScope|withTenantScope)\b/g), file).toBeNull();
      expect(/\bapp\.db\b/.test(text) && !/inSurveyScope\(app\.db/.test(text), file).toBe(false);
    }
  });
});
