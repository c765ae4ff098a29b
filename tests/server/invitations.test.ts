// Invitations: shared links with a cap, personal links from CSV (strict, all or nothing), the CSV
// export for a mail merge, reissue, list, revoke, roles and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/lib/crypto.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor } from '../helpers/auth.js';
import { driverName } from '../helpers/database.js';
import { createOpenRound, createRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;
let b: TenantWithSessions;

beforeAll(async () => {
  t = await setupTestApp({ PUBLIC_URL: 'https://scan.example.nl' });
  a = await tenantWithSessions(t.db);
  b = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

// These tests are about the mail-merge download, which a round has only when it sends its own links
// (the default is that the platform mails them: tests/server/mail.test.ts). The settings call fails
// harmlessly for callers outside the round, whose upload then fails as the test expects.
const upload = async (roundId: string, csv: string, headers: Record<string, string>, opts: { form?: string; accept?: string } = {}) => {
  await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers, payload: { selfSendLinks: true } });
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/rounds/${roundId}/invitations/personal${opts.form ? `?form=${opts.form}` : ''}`,
    headers: { ...headers, 'content-type': 'text/csv', accept: opts.accept ?? 'application/json' },
    payload: csv,
  });
};

const countInvitations = async (roundId: string) =>
  Number((await t.db.selectFrom('invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).executeTakeFirstOrThrow()).n);

describe(`invitations (${driverName})`, () => {
  it('creates a shared link whose token is shown once and stored only as a hash', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${round.id}/invitations/shared`,
      headers: a.as.hr,
      payload: { form: 'management', maxResponses: 25 },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.link).toBe(`https://scan.example.nl/s/${body.token}`);
    expect(body.invitation).toMatchObject({ kind: 'shared', form: 'management', maxResponses: 25, uses: 0, email: null, revokedAt: null });
    const row = await t.db.selectFrom('invitations').selectAll().where('id', '=', body.invitation.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/invitations`, headers: a.as.hr });
    expect(list.body).not.toContain(body.token);
  });

  it.each([
    [{ form: 'manager' }, 'body.form'],
    [{ maxResponses: 0 }, 'body.maxResponses'],
    [{ maxResponses: 2.5 }, 'body.maxResponses'],
    [{ token: 'x' }, 'body.token'],
  ])('rejects shared link body %j', async (payload, path) => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers: a.as.hr, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await countInvitations(round.id)).toBe(0);
  });

  it('imports personal links from CSV with a header, semicolons and departments in any case', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg', 'ICT'] });
    const csv = '\uFEFFE-mailadres;Afdeling\r\nAnna@Example.nl;zorg\r\n\r\nbob@example.nl;\r\n"carla@example.nl";"ICT"\r\n';
    const res = await upload(round.id, csv, a.as.hr);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(3);
    expect(body.alreadyInvited).toEqual([]);
    expect(body.invitations.map((i: { email: string; department: string | null }) => [i.email, i.department])).toEqual([
      ['anna@example.nl', 'Zorg'],
      ['bob@example.nl', null],
      ['carla@example.nl', 'ICT'],
    ]);
    const lines = body.csv.trim().split('\r\n');
    expect(lines[0]).toBe('email,department,form,link');
    expect(lines[1]).toBe(`anna@example.nl,Zorg,employee,https://scan.example.nl/s/${body.invitations[0].token}`);
    const stored = await t.db.selectFrom('invitations').selectAll().where('round_id', '=', round.id).orderBy('email').execute();
    expect(stored.map((s) => s.token_hash)).toEqual(body.invitations.map((i: { token: string }) => sha256Hex(i.token)));
    expect(stored.every((s) => s.kind === 'personal' && s.form === 'employee')).toBe(true);
  });

  it('answers the CSV itself for a mail merge with Accept: text/csv', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await upload(round.id, 'jan@example.nl\npiet@example.nl\n', a.as.hr, { form: 'management', accept: 'text/csv' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^jan@example\.nl,,management,https:\/\/scan\.example\.nl\/s\/[A-Za-z0-9_-]{43}$/);
  });

  it('rejects a list with problems as a whole, naming every line', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'] });
    const csv = ['email,department', 'ok@example.nl,Zorg', 'not-an-email,Zorg', 'x@example.nl,Marketing', 'ok@example.nl,', ',Zorg', 'y@example.nl,Zorg,extra'].join('\n');
    const res = await upload(round.id, csv, a.as.hr);
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['line 3, column email', 'line 4, column department', 'line 5, column email', 'line 6, column email', 'line 7']);
    expect(res.json().errors[2].message).toContain('line 2');
    expect(await countInvitations(round.id)).toBe(0);
  });

  it.each([
    ['', 'body'],
    ['email,phone\na@example.nl,0612345678\n', 'line 1, column 2'],
    ['"unterminated@example.nl\n', 'line 1, column 1'],
  ])('rejects %j', async (csv, path) => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await upload(round.id, csv, a.as.hr);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await countInvitations(round.id)).toBe(0);
  });

  it('refuses other content types', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${round.id}/invitations/personal`,
      headers: { ...a.as.hr, 'content-type': 'application/json' },
      payload: { emails: ['a@example.nl'] },
    });
    expect([400, 415]).toContain(res.statusCode);
    expect(await countInvitations(round.id)).toBe(0);
  });

  it('reports addresses already invited for the form instead of issuing a second link', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    await upload(round.id, 'a@example.nl\nb@example.nl\n', a.as.hr);
    const again = await upload(round.id, 'b@example.nl\nc@example.nl\n', a.as.hr);
    expect(again.statusCode).toBe(201);
    expect(again.json().created).toBe(1);
    expect(again.json().alreadyInvited).toEqual([{ line: 1, email: 'b@example.nl' }]);
    // The same address on the other form is a separate invitation.
    const other = await upload(round.id, 'b@example.nl\n', a.as.hr, { form: 'management' });
    expect(other.json().created).toBe(1);
    expect(await countInvitations(round.id)).toBe(4);
  });

  it('reissues new links for invitations not started, and the old link stops working', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const first = (await upload(round.id, 'a@example.nl\nb@example.nl\n', a.as.hr)).json();
    const [tokA, tokB] = first.invitations.map((i: { token: string }) => i.token);
    // a starts answering: keeps the link.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/survey/${tokA}/start`, payload: {} })).statusCode).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/personal/reissue`, headers: a.as.hr });
    expect(res.statusCode).toBe(200);
    const links = res.json().invitations;
    expect(links.map((l: { email: string }) => l.email)).toEqual(['b@example.nl']);
    expect(links[0].token).not.toBe(tokB);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${tokB}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${links[0].token}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${tokA}` })).statusCode).toBe(200);
  });

  it('lists invitations with who started and submitted, and revokes a link', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'] });
    const links = (await upload(round.id, 'a@example.nl,Zorg\n', a.as.hr)).json().invitations;
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/invitations?kind=personal`, headers: a.as.hr });
    expect(list.json().invitations).toEqual([
      expect.objectContaining({ email: 'a@example.nl', department: 'Zorg', kind: 'personal', startedAt: null, submittedAt: null, revokedAt: null }),
    ]);
    const id = list.json().invitations[0].id;
    const revoke = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${id}/revoke`, headers: a.as.hr });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedAt).not.toBeNull();
    const survey = await t.app.inject({ method: 'GET', url: `/api/v1/survey/${links[0].token}` });
    expect(survey.statusCode).toBe(410);
    expect(survey.json().code).toBe('link_revoked');
    // Revoking again is harmless and keeps the first moment.
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${id}/revoke`, headers: a.as.hr });
    expect(again.json().revokedAt).toBe(revoke.json().revokedAt);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/00000000-0000-0000-0000-000000000000/revoke`, headers: a.as.hr })).statusCode).toBe(404);
  });

  it('refuses new links in a closed round', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr });
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers: a.as.hr, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('round_closed');
  });

  it('is for HR, consultants and API tokens; directors get 403', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const token = bearer(await createApiTokenFor(t.db, { organisationId: a.organisationId }));
    for (const headers of [a.as.consultant, token]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers, payload: {} });
      expect(res.statusCode).toBe(201);
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers: a.as.director, payload: {} })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/invitations`, headers: a.as.director })).statusCode).toBe(403);
  });

  it('hides every invitation route of another tenant', async () => {
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    const links = (await upload(round.id, 'geheim@example.nl\n', a.as.hr)).json().invitations;
    const before = await countInvitations(round.id);
    const otherToken = bearer(await createApiTokenFor(t.db, { consultancyId: b.consultancyId }));
    for (const headers of [b.as.hr, b.as.consultant, otherToken]) {
      const attempts = [
        t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/shared`, headers, payload: {} }),
        upload(round.id, 'x@example.nl\n', headers),
        t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/personal/reissue`, headers }),
        t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/invitations`, headers }),
        t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${links[0].id}/revoke`, headers }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain('geheim@example.nl');
      }
    }
    expect(await countInvitations(round.id)).toBe(before);
    const row = await t.db.selectFrom('invitations').select('revoked_at').where('id', '=', links[0].id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });
});
